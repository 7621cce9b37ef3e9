/**
 * Receipts photographed upside down or sideways with no EXIF to say so (a test of unseen layouts: at 90° or 180° they
 * read nothing; the same photo with EXIF orientation 6 read perfectly): read again turned, the first turn that finds
 * more kept, its regions put back on the photo as stored — read in the turned frame, where rows line up, shown on the
 * upright one.
 */
import sharp from 'sharp';
import { readOcrResult, type ReceiptReading } from '../../src/core/receipt';
import type { OcrLine, Rect } from '../../src/core/receipt/schema';

export type Turn = 90 | 180 | 270;
/** Any text found is worth turning for: a blank page or a picture (none) is not read four times. */
const MIN_LINES_TO_TURN = 1;

/** Upside down first (a receipt held the wrong way round), then either way sideways. */
const TURNS: readonly Turn[] = [180, 90, 270];

/**
 * Text found but neither a total nor an item read from it: the photo is most likely turned (a test of unseen layouts: a
 * receipt at 90° or 180° without EXIF read nothing, the same photo with EXIF orientation 6 read perfectly; sideways,
 * the OCR still picks a name or a number out of the columns). A photo with no text at all (a blank page, a picture) is
 * not turned in vain.
 */
export function readNothing(reading: ReceiptReading, lines: readonly OcrLine[]): boolean {
  const { fields, items } = reading.extracted;
  return lines.length >= MIN_LINES_TO_TURN && !fields.totalFigures && !fields.totalWords && items.length === 0;
}
/** How much a reading found: its fields and items. */
const found = (reading: ReceiptReading): number =>
  Object.keys(reading.extracted.fields).length + reading.extracted.items.length;

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

/**
 * The photo read turned (180°, 90°, 270°) until a turn finds more than `reading` did, or null. `recognise` is the OCR
 * (its time counted by the caller); `qrText` the QR code's, read once on the photo as it is.
 */
export async function readTurned(
  image: Buffer,
  reading: ReceiptReading,
  { width, height }: { width: number; height: number },
  qrText: string | null,
  recognise: (image: Buffer) => Promise<OcrLine[]>,
): Promise<{ reading: ReceiptReading; ocrLines: OcrLine[]; turnedBy: Turn } | null> {
  for (const turn of TURNS) {
    const turned = await sharp(image).autoOrient().rotate(turn).jpeg({ quality: 92 }).toBuffer();
    const lines = await recognise(turned);
    const candidate = readOcrResult(lines, qrText);
    if (readNothing(candidate, lines) || found(candidate) <= found(reading)) continue;
    return {
      reading: unturnReading(candidate, turn, width, height),
      ocrLines: lines.map((line) => {
        const unturn = (box: NonNullable<OcrLine['box']>) =>
          cornersOf(box).map((point) => unturnPoint(point, turn, width, height));
        return {
          ...line,
          ...(line.box ? { box: unturn(line.box) } : {}),
          ...(line.pieces ? { pieces: line.pieces.map((piece) => ({ ...piece, box: unturn(piece.box) })) } : {}),
        };
      }),
      turnedBy: turn,
    };
  }
  return null;
}
