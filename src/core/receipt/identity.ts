/**
 * A receipt's identity, for duplicate detection across all claims (a unique index on `key`):
 * 1. 票据代码 + 票据号码 — the issuer's own identity, printed and in the QR;
 * 2. else the QR payload (normalised) — unique per receipt even when its format is unknown to us;
 * 3. else 收款单位 + 开票日期 + 合计 — weaker (two identical bills on one day collide), so it says so.
 */
import { type Fen, toHalfWidth } from '../money';
import type { CrossCheckResult } from './crossCheck';
import { parseQrPayload, qrFields, type QrPayload } from './qr';
import type { ExtractedReceipt } from './schema';

export type IdentityBasis = 'code-number' | 'qr' | 'hospital-date-total';

export interface ReceiptIdentity {
  key: string;
  basis: IdentityBasis;
}

export interface IdentityInput {
  code?: string | undefined;
  number?: string | undefined;
  qrRaw?: string | undefined;
  hospital?: string | undefined;
  /** YYYY-MM-DD */
  date?: string | undefined;
  totalFen?: Fen | undefined;
}

const digitsOnly = (text: string): string =>
  toHalfWidth(text)
    .replace(/[^0-9A-Za-z]/g, '')
    .toUpperCase();

/** Hospital names as printed vary by spaces, brackets and the (章) stamp note: keep only the letters of the name. */
export function normaliseHospital(name: string): string {
  return toHalfWidth(name)
    .replace(/[(（](?:盖)?章[)）]/g, '')
    .replace(/[\s()（）[\]【】·.,，。:：、\-—_"'“”]/g, '')
    .toUpperCase();
}

/** Same payload, same key: surrounding space and line-break differences are not a different receipt. */
export function normaliseQr(raw: string): string {
  return raw
    .trim()
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+/g, ' ');
}

export function receiptIdentity(input: IdentityInput): ReceiptIdentity | null {
  const code = input.code ? digitsOnly(input.code) : '';
  const number = input.number ? digitsOnly(input.number) : '';
  if (number !== '' && (code !== '' || number.length === 20)) {
    // 全电发票 have no 代码: their 20-digit number is unique on its own.
    return { key: `cn:${code}:${number}`, basis: 'code-number' };
  }
  const qr = input.qrRaw ? normaliseQr(input.qrRaw) : '';
  if (qr !== '') return { key: `qr:${qr}`, basis: 'qr' };
  const hospital = input.hospital ? normaliseHospital(input.hospital) : '';
  if (
    hospital !== '' &&
    input.date &&
    /^\d{4}-\d{2}-\d{2}$/.test(input.date) &&
    input.totalFen !== undefined &&
    Number.isSafeInteger(input.totalFen)
  ) {
    return { key: `hdt:${hospital}:${input.date}:${String(input.totalFen)}`, basis: 'hospital-date-total' };
  }
  return null;
}

/** The identity of a receipt as read: QR and cross-checked values first, then the OCR fields. */
export function identityOfReading(
  receipt: ExtractedReceipt,
  qr: QrPayload | null,
  check: CrossCheckResult | null,
): ReceiptIdentity | null {
  const s = check?.suggested;
  return receiptIdentity({
    code: s?.code?.value ?? receipt.fields.code?.value,
    number: s?.number?.value ?? receipt.fields.number?.value,
    qrRaw: qr?.raw,
    hospital: s?.hospital?.value ?? receipt.fields.hospital?.value,
    date: s?.issueDate?.value ?? receipt.fields.issueDate?.value,
    totalFen: s?.totalFen?.value ?? receipt.fields.totalFigures?.value,
  });
}

/**
 * The identity of a receipt from its QR code's text alone, as a reading without text finds it (`identityOfReading` of
 * an empty extraction): for a photo submitted without being read (server/receipts/registry.ts `identitiesOfUnread`).
 */
export function identityOfQr(text: string): ReceiptIdentity | null {
  if (text.trim() === '') return null;
  const qr = parseQrPayload(text);
  const fields = qrFields(qr);
  return receiptIdentity({
    code: fields.code,
    number: fields.number,
    qrRaw: qr.raw,
    hospital: fields.hospital,
    date: fields.date,
    totalFen: fields.amountFen,
  });
}
