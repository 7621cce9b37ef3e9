/**
 * The pure parts of the local OCR pipeline (server/ocr/paddle.ts), apart from the OCR processes:
 * - `rowsOf`: recognised pieces → rows, exactly as @gutenye/ocr-node 1.4 returns them from `detect`
 *   (pieces below 0.5 confidence dropped; pieces whose midlines are within half the average box
 *   height joined left to right with a space; rows top to bottom). The extraction in src/core was
 *   tuned on those rows, so the faster pipeline keeps them.
 * - `shareOut`: a photo's line crops spread over the recognition workers by width (the work).
 * - `splitStack`: a box standing on end (cells of a column one under the other, taken by the detector
 *   for one line of vertical text) cut into its cells at the blank rows between them.
 */

import { luma } from './luma';

export type Point = [number, number];

/** One row as the OCR worker returns it: text, mean confidence, its box (four corners) in the image's pixels. */
export interface RawLine {
  text: string;
  mean: number;
  box: number[][] | null;
  /** Each character's own confidence, aligned with the characters of `text` (the joining spaces 1). */
  chars?: number[];
  /** A row joined from several pieces: each piece's characters [start, end) of `text` (code points) and its box. */
  pieces?: Array<{ start: number; end: number; box: number[][] }>;
}

export interface Piece {
  text: string;
  mean: number;
  chars?: number[];
  /** Four corners: top-left, top-right, bottom-right, bottom-left (as detection returns them). */
  box: Point[];
}

/** The library drops what it read with less confidence than this. */
export const MIN_PIECE_CONFIDENCE = 0.5;
/**
 * A single character is kept down to this confidence: 乙 alone in its cell is read as "Z" at 0.3–0.6 and
 * was dropped, so the row lost its 医保类别. It comes with its own low confidence (`chars`) and does not
 * count in the row's mean; what reads it (table.ts) takes it as a look-alike, to be confirmed.
 */
export const MIN_SINGLE_CHARACTER_CONFIDENCE = 0.25;

const keep = (piece: Piece): boolean =>
  piece.mean >= MIN_PIECE_CONFIDENCE ||
  ([...piece.text.trim()].length === 1 && piece.mean >= MIN_SINGLE_CHARACTER_CONFIDENCE);

/**
 * Pieces in detection order → rows. The library recognises the boxes in detection order and builds
 * its list back to front, so it groups them last-first: the same order is kept here, for the same rows.
 */
export function rowsOf(pieces: readonly Piece[]): RawLine[] {
  const kept = [...pieces].reverse().filter(keep);
  if (kept.length === 0) return [];
  const top = (piece: Piece): number => piece.box[0]?.[1] ?? 0;
  const bottom = (piece: Piece): number => piece.box[2]?.[1] ?? 0;
  const averageHeight = kept.reduce((sum, piece) => sum + bottom(piece) - top(piece), 0) / kept.length;
  const groups: Piece[][] = [];
  for (const piece of kept) {
    const midline = (top(piece) + bottom(piece)) / 2;
    const group = groups.find((g) => Math.abs((top(g[0]!) + bottom(g[0]!)) / 2 - midline) < averageHeight / 2);
    if (group) group.push(piece);
    else groups.push([piece]);
  }
  const left = (piece: Piece): number => piece.box[0]?.[0] ?? 0;
  for (const group of groups) group.sort((a, b) => left(a) - left(b));
  groups.sort((a, b) => top(a[0]!) - top(b[0]!));
  return groups.map((group) => {
    const first = group[0]!.box;
    const last = group[group.length - 1]!.box;
    const row: RawLine = {
      text: group.map((piece) => piece.text).join(' '),
      mean: meanOf(group),
      chars: group.flatMap((piece, i) => [...(i > 0 ? [1] : []), ...charsOf(piece)]),
      box: [first[0]!, last[1]!, last[2]!, first[3]!].map((p) => [p[0], p[1]]),
    };
    // Where each piece lies: the row's box spans the gaps between them, and a value is outlined on its own piece.
    if (group.length > 1) {
      let end = -1;
      row.pieces = group.map((piece) => {
        const start = end + 1;
        end = start + [...piece.text].length;
        return { start, end, box: piece.box.map((p) => [p[0], p[1]]) };
      });
    }
    return row;
  });
}

/** The row's mean over its pieces read with confidence (over all of them when none was). */
function meanOf(group: readonly Piece[]): number {
  const sure = group.filter((piece) => piece.mean >= MIN_PIECE_CONFIDENCE);
  const counted = sure.length > 0 ? sure : group;
  return counted.reduce((sum, piece) => sum + piece.mean, 0) / counted.length;
}

/** A piece's character confidences, one a character (its mean where the worker gave none). */
function charsOf(piece: Piece): number[] {
  const length = [...piece.text].length;
  return piece.chars?.length === length ? piece.chars : new Array<number>(length).fill(piece.mean);
}

/**
 * Indexes of `widths` in `parts` shares of about equal total width (widest first, each to the
 * lightest share so far). Every index lands in exactly one share; shares may be empty.
 */
export function shareOut(widths: readonly number[], parts: number): number[][] {
  const shares: number[][] = Array.from({ length: Math.max(1, parts) }, () => []);
  const load = shares.map(() => 0);
  const order = widths.map((_, i) => i).sort((a, b) => (widths[b] ?? 0) - (widths[a] ?? 0) || a - b);
  for (const index of order) {
    let lightest = 0;
    for (let s = 1; s < shares.length; s += 1) if ((load[s] ?? 0) < (load[lightest] ?? 0)) lightest = s;
    shares[lightest]!.push(index);
    load[lightest] = (load[lightest] ?? 0) + (widths[index] ?? 0) + PER_CALL_WIDTH;
  }
  return shares;
}

/** A recognition call costs about as much as this many pixels of width besides its width. */
const PER_CALL_WIDTH = 24;

/** Raw RGB pixels, 3 bytes a pixel, row by row. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The detection worker turns a crop this many times as tall as wide on its side (PaddleOCR's rule). */
const ON_END = 1.5;

/** Darkest and lightest grey levels of a window (5th and 95th percentiles) must differ this much to hold ink. */
const MIN_CONTRAST = 40;

/**
 * A box standing on end, cut into the cells stacked in it: 甲/乙/丙 (or 序号) in a table's column one
 * under the other, which the detector joined into one tall box and the recogniser read as one word
 * ("乙甲乙甲", a row of its own: the items beside them lost their 医保类别). The cut falls at the blank
 * rows of the box's ink profile; runs of ink closer than a sixth of the box's width (the gaps inside a
 * character such as 三 or 丙) stay together, specks shorter than a fifth of it are left out. Null when
 * the box does not stand on end or holds fewer than two cells: it is read as it is.
 */
export function splitStack(image: RgbImage, box: readonly Point[]): Point[][] | null {
  const xs = box.map((p) => p[0]);
  const ys = box.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(image.width, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(image.height, Math.ceil(Math.max(...ys)));
  const w = x1 - x0;
  const h = y1 - y0;
  if (w < 4 || h < ON_END * w) return null;
  const grey = new Uint8Array(w * h);
  for (let y = 0; y < h; y += 1)
    for (let x = 0; x < w; x += 1) {
      const o = ((y0 + y) * image.width + x0 + x) * 3;
      grey[y * w + x] = Math.round(luma(image.data[o] ?? 0, image.data[o + 1] ?? 0, image.data[o + 2] ?? 0));
    }
  const sorted = Uint8Array.from(grey).sort();
  const dark = sorted[Math.floor(0.05 * sorted.length)] ?? 0;
  const light = sorted[Math.floor(0.95 * sorted.length)] ?? 255;
  if (light - dark < MIN_CONTRAST) return null;
  const ink = (dark + light) / 2;
  const minInk = Math.max(2, Math.round(0.06 * w));
  const runs: Array<[number, number]> = [];
  for (let y = 0; y < h; y += 1) {
    let count = 0;
    for (let x = 0; x < w; x += 1) if ((grey[y * w + x] ?? 255) < ink) count += 1;
    if (count < minInk) continue;
    const last = runs[runs.length - 1];
    if (last && y - last[1] <= w / 6) last[1] = y + 1;
    else runs.push([y, y + 1]);
  }
  const cells = runs.filter(([top, bottom]) => bottom - top >= w / 5);
  if (cells.length < 2) return null;
  return cells.map(([top, bottom], i) => {
    // Out to the middle of the blank rows on either side (the box's own edge at the ends).
    const above = i === 0 ? 0 : Math.round((top + (cells[i - 1]?.[1] ?? top)) / 2);
    const below = i === cells.length - 1 ? h : Math.round((bottom + (cells[i + 1]?.[0] ?? bottom)) / 2);
    return [
      [x0, y0 + above],
      [x1, y0 + above],
      [x1, y0 + below],
      [x0, y0 + below],
    ];
  });
}

/** The pixels of an upright box (as splitStack gives), in a buffer of their own. */
export function cropOf(image: RgbImage, box: readonly Point[]): RgbImage {
  const [[x0, y0] = [0, 0], , [x1, y1] = [0, 0]] = box;
  const width = Math.max(1, x1 - x0);
  const height = Math.max(1, y1 - y0);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    const from = ((y0 + y) * image.width + x0) * 3;
    data.set(image.data.subarray(from, from + width * 3), y * width * 3);
  }
  return { data, width, height };
}
