/**
 * Receipt reading, pure: QR payloads, 大写 amounts, extraction from OCR lines, cross-checks, identity.
 * `readOcrResult` is the boundary: untrusted OCR output (an adapter's, or a client's) is validated
 * with zod before anything reads it.
 */
import { parseOrThrow } from '../validation';
import { type CrossCheckResult, crossCheck } from './crossCheck';
import { extractReceipt } from './extract';
import { type ReceiptIdentity, identityOfReading } from './identity';
import { type QrPayload, parseQrPayload } from './qr';
import { type ExtractedReceipt, ocrLinesSchema } from './schema';

export * from './chineseAmount';
export * from './crossCheck';
export * from './extract';
export * from './identity';
export * from './qr';
export * from './schema';

export interface ReceiptReading {
  qr: QrPayload | null;
  extracted: ExtractedReceipt;
  crossCheck: CrossCheckResult;
  identity: ReceiptIdentity | null;
}

/** OCR lines (validated here) and an optional decoded QR text → everything the form and the reviewer need. */
export function readOcrResult(ocrLines: unknown, qrText: string | null = null): ReceiptReading {
  const lines = parseOrThrow(ocrLinesSchema, ocrLines, '识别结果格式不正确');
  const qr = qrText === null || qrText.trim() === '' ? null : parseQrPayload(qrText);
  const extracted = extractReceipt(lines);
  const check = crossCheck(extracted, qr);
  return { qr, extracted, crossCheck: check, identity: identityOfReading(extracted, qr, check) };
}
