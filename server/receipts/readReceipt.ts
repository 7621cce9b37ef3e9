/**
 * A receipt photo → everything the claim form and the reviewer need: the QR payload (if any), the
 * OCR lines with their regions, the extracted fields with confidences and sources, the
 * cross-checks and what must be confirmed, and the receipt's identity for duplicate detection.
 *
 * The OCR is a port (PaddleOCR locally, WeChat in the cloud); its output crosses into the core
 * through the zod boundary (`readOcrResult`).
 */
import sharp from 'sharp';
import { readOcrResult, type ReceiptReading } from '../../src/core/receipt';
import type { OcrLine } from '../../src/core/receipt/schema';
import { notAnImage, type Ocr } from '../ocr/port';
import { FairQueue } from '../ocr/fairQueue';
import { countSheets } from '../ocr/perspective';
import { decodeQr, type QrRead } from '../ocr/qrDecode';
import { readNothing, readTurned, type Turn } from './turned';

export interface ReadReceiptResult extends ReceiptReading {
  ocrLines: OcrLine[];
  qrRead: QrRead | null;
  /**
   * `turnedBy`: the photo was read turned this far clockwise (taken upside down or sideways, no EXIF to say so).
   * `sheets`: sheets of paper lying apart on it (server/ocr/perspective.ts `countSheets`); above 1, only one was read.
   */
  image: { format: string; width: number; height: number; turnedBy?: Turn; sheets?: number };
  timings: { qrMs: number; ocrMs: number; totalMs: number };
}

export interface ReadReceiptDeps {
  ocr: Ocr;
  /** Override QR decoding (tests; or a QR text already decoded on the device). */
  decodeQr?: (image: Buffer) => Promise<QrRead | null>;
  /** Whose receipt it is (an account): each requester's reads wait in a line of their own (`readingTurns`). */
  requester?: string;
}

/**
 * Receipt reads (QR, then OCR) two at a time — the OCR's recognisers are at most two — taken in turns by requester
 * (server/ocr/fairQueue.ts): one claimant's twenty photos no longer hold up the next claimant's first.
 */
export const readingTurns = new FairQueue(2);

const READABLE = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif', 'avif']);

/** Image sniffing before any work: non-images and unreadable files are RECEIPT_NOT_IMAGE. */
export async function describeImage(image: Buffer): Promise<{ format: string; width: number; height: number }> {
  if (!Buffer.isBuffer(image) || image.length === 0) throw notAnImage();
  let meta: sharp.Metadata;
  try {
    meta = await sharp(image).metadata();
  } catch {
    throw notAnImage();
  }
  if (!meta.format || !READABLE.has(meta.format) || !meta.width || !meta.height) throw notAnImage();
  const swapped = (meta.orientation ?? 1) >= 5;
  return { format: meta.format, width: swapped ? meta.height : meta.width, height: swapped ? meta.width : meta.height };
}

export async function readReceipt(image: Buffer, deps: ReadReceiptDeps): Promise<ReadReceiptResult> {
  const started = performance.now();
  const described = await describeImage(image);
  const requester = deps.requester ?? '';
  // The time in line counts in totalMs: it is what the person waits.
  return readingTurns.run(requester, async () => {
    // One after the other: on a 2-core machine the OCR worker uses both cores, so running jsQR beside
    // it gains nothing and blurs both timings.
    const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
      const t0 = performance.now();
      const value = await work();
      return [value, performance.now() - t0];
    };
    const [qrRead, qrMs] = await time(() =>
      (deps.decodeQr ?? ((bytes: Buffer) => decodeQr(bytes, { requester })))(image).catch(() => null),
    );
    const qrText = qrRead?.text ?? null;
    // ≈ 20–90 ms on a 480 px copy; a photo it cannot make out counts as one sheet.
    const sheets = await countSheets(image).catch(() => 1);
    let [ocrLines, ocrMs] = await time(() => deps.ocr.recognise(image));
    let reading = readOcrResult(ocrLines, qrText);
    let turnedBy: Turn | undefined;
    if (readNothing(reading, ocrLines)) {
      const turned = await readTurned(image, reading, described, qrText, async (bytes) => {
        const [lines, ms] = await time(() => deps.ocr.recognise(bytes));
        ocrMs += ms;
        return lines;
      });
      if (turned) [reading, ocrLines, turnedBy] = [turned.reading, turned.ocrLines, turned.turnedBy];
    }
    return {
      ...reading,
      ocrLines,
      qrRead,
      image: { ...described, ...(turnedBy ? { turnedBy } : {}), ...(sheets > 1 ? { sheets } : {}) },
      timings: { qrMs: Math.round(qrMs), ocrMs: Math.round(ocrMs), totalMs: Math.round(performance.now() - started) },
    };
  });
}
