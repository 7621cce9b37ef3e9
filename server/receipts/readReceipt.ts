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
import type { OcrLine, Rect } from '../../src/core/receipt/schema';
import { notAnImage, type Ocr } from '../ocr/port';
import { FairQueue } from '../ocr/fairQueue';
import { countSheets } from '../ocr/perspective';
import { decodeQr, type QrRead } from '../ocr/qrDecode';

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

type Turn = 90 | 180 | 270;
/** Upside down first (a receipt held the wrong way round), then either way sideways. */
const TURNS: readonly Turn[] = [180, 90, 270];

/**
 * Text found but neither a total nor an item read from it: the photo is most likely turned (a test of unseen layouts: a
 * receipt at 90° or 180° without EXIF read nothing, the same photo with EXIF orientation 6 read perfectly; sideways,
 * the OCR still picks a name or a number out of the columns). A photo with no text at all (a blank page, a picture) is
 * not turned in vain.
 */
function readNothing(reading: ReceiptReading, lines: readonly OcrLine[]): boolean {
  const { fields, items } = reading.extracted;
  return lines.length >= MIN_LINES_TO_TURN && !fields.totalFigures && !fields.totalWords && items.length === 0;
}
/** How much a reading found: its fields and items. */
const found = (reading: ReceiptReading): number =>
  Object.keys(reading.extracted.fields).length + reading.extracted.items.length;
const MIN_LINES_TO_TURN = 1;

/**
 * A point of the photo turned `turn` degrees clockwise (a `width` × `height` photo, upright) back on the upright photo:
 * the reviewer's view marks each value where it is on the photo as stored.
 */
function unturnPoint([x, y]: [number, number], turn: Turn, width: number, height: number): [number, number] {
  if (turn === 180) return [width - x, height - y];
  if (turn === 90) return [y, height - x];
  return [width - y, x];
}

function cornersOf(box: NonNullable<OcrLine['box']>): Array<[number, number]> {
  if (box.length === 4 && typeof box[0] === 'number') {
    const [x, y, w, h] = box as [number, number, number, number];
    return [
      [x, y],
      [x + w, y],
      [x + w, y + h],
      [x, y + h],
    ];
  }
  return box as Array<[number, number]>;
}

/** A rectangle of the turned photo as the rectangle around it on the upright photo. */
function unturnRect(rect: Rect, turn: Turn, width: number, height: number): Rect {
  const points = cornersOf(rect).map((point) => unturnPoint(point, turn, width, height));
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const [x, y] = [Math.min(...xs), Math.min(...ys)];
  return [x, y, Math.max(...xs) - x, Math.max(...ys) - y];
}

/**
 * A reading of the turned photo, its every region (each value's sources, the lines) put back on the photo as stored.
 * It is read in the turned frame — rows line up there — and shown on the upright one.
 */
function unturnReading(reading: ReceiptReading, turn: Turn, width: number, height: number): ReceiptReading {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value).map(([key, inner]) => {
      if (key === 'box' && Array.isArray(inner) && inner.length === 4 && typeof inner[0] === 'number')
        return [key, unturnRect(inner as Rect, turn, width, height)];
      return [key, walk(inner)];
    });
    return Object.fromEntries(entries);
  };
  return { ...reading, extracted: walk(reading.extracted) as ReceiptReading['extracted'] };
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
      for (const turn of TURNS) {
        const turned = await sharp(image).autoOrient().rotate(turn).jpeg({ quality: 92 }).toBuffer();
        const [lines, ms] = await time(() => deps.ocr.recognise(turned));
        ocrMs += ms;
        const candidate = readOcrResult(lines, qrText);
        if (readNothing(candidate, lines) || found(candidate) <= found(reading)) continue;
        const { width, height } = described;
        ocrLines = lines.map((line) =>
          line.box
            ? { ...line, box: cornersOf(line.box).map((point) => unturnPoint(point, turn, width, height)) }
            : line,
        );
        [reading, turnedBy] = [unturnReading(candidate, turn, width, height), turn];
        break;
      }
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
