/**
 * Perspective: find the sheet's four corners on a photo and warp it flat before recognition.
 *
 * The sheet is the largest region of bright, colourless pixels of a small copy, holes (the print)
 * filled; its outer outline gives four corners (src/core/receipt/geometry.ts: extreme points refined
 * by line fits along each side). A photo where the sheet fills the frame, touches its edges or is not
 * a plausible quadrilateral is left to the deskew path. The warp samples the photo bilinearly through
 * the homography from the flat rectangle to the corners; the same homography maps boxes back.
 */
import sharp from 'sharp';
import {
  homography,
  type Homography,
  type Point,
  polygonArea,
  project,
  type Quad,
  quadFromOutline,
  quadSize,
} from '../../src/core/receipt/geometry';
import { borderSupport, logGrey, sheetByEdges } from './sheetEdges';
import { luma } from './luma';

const WORK_SIDE = 480;

export interface SheetFound {
  /** Corners in the pixels of the (oriented) photo: top-left, top-right, bottom-right, bottom-left. */
  quad: Quad;
  /** Width and height of the oriented photo. */
  width: number;
  height: number;
}

/** Otsu's threshold of an 8-bit histogram. */
function otsu(histogram: Uint32Array, count: number): number {
  let sum = 0;
  for (let i = 0; i < 256; i += 1) sum += i * (histogram[i] ?? 0);
  let sumB = 0;
  let weightB = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t += 1) {
    weightB += histogram[t] ?? 0;
    if (weightB === 0) continue;
    const weightF = count - weightB;
    if (weightF === 0) break;
    sumB += t * (histogram[t] ?? 0);
    const meanB = sumB / weightB;
    const meanF = (sum - sumB) / weightF;
    const between = weightB * weightF * (meanB - meanF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

interface Attempt {
  quad: Quad;
  /** |1 − quadrilateral area ÷ region area|: 0 for a perfect sheet. */
  misfit: number;
}

/** The largest 4-connected region above `threshold`, as a mask (or null when none has a sheet's size). */
function largestRegion(feature: Uint8Array, w: number, h: number, threshold: number): Uint8Array | null {
  const n = w * h;
  const largest = regionsAbove(feature, w, h, threshold, Math.round(0.12 * n))[0];
  if (!largest) return null;
  let size = 0;
  for (let p = 0; p < n; p += 1) size += largest[p] ?? 0;
  return size > 0.95 * n ? null : largest;
}

/** Every connected region above `threshold` of at least `minSize` pixels, as masks, largest first. */
function regionsAbove(feature: Uint8Array, w: number, h: number, threshold: number, minSize: number): Uint8Array[] {
  const n = w * h;
  const label = new Int32Array(n);
  const queue = new Int32Array(n);
  const kept: Array<{ label: number; size: number }> = [];
  let next = 1;
  for (let start = 0; start < n; start += 1) {
    if (label[start] !== 0 || (feature[start] ?? 0) <= threshold) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    label[start] = next;
    while (head < tail) {
      const p = queue[head++] ?? 0;
      const x = p % w;
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w]) {
        if (q < 0 || q >= n || label[q] !== 0 || (feature[q] ?? 0) <= threshold) continue;
        label[q] = next;
        queue[tail++] = q;
      }
    }
    if (tail >= minSize) kept.push({ label: next, size: tail });
    next += 1;
  }
  return kept
    .sort((a, b) => b.size - a.size)
    .map(({ label: wanted }) => {
      const mask = new Uint8Array(n);
      for (let p = 0; p < n; p += 1) if (label[p] === wanted) mask[p] = 1;
      return mask;
    });
}

/**
 * Largest ratio between neighbours (+8 grey levels, against noise in the dark) that a soft shadow's edge
 * makes on the work copy: a shadow multiplies, so its edge is a ratio spread over many pixels; the
 * paper's edge against the table or desk is a steep one (≥ 1.5 a pixel, lit or shadowed).
 */
const SOFT_RATIO = 1.22;

/**
 * A region grown across soft steps only: a shadow across the sheet darkens it gradually (a blurred
 * edge, a few per cent a pixel), while the paper's edge against the table or desk is a sharp step.
 * Grown from the bright region, the shadowed part of the sheet joins it; the background does not.
 */
function grownAcrossSoftSteps(feature: Uint8Array, w: number, h: number, seedMask: Uint8Array): Uint8Array {
  const n = w * h;
  const mask = new Uint8Array(seedMask);
  // Smooth all round, two pixels each way: the pixels along the paper's edge (between paper and table,
  // darker or lighter along the edge) are not, so the growth cannot creep along the edge out of the sheet.
  const smooth = (p: number): boolean => {
    const x = p % w;
    const y = (p - x) / w;
    if (x < 2 || y < 2 || x >= w - 2 || y >= h - 2) return false;
    const value = (feature[p] ?? 0) + 8;
    for (const q of [p - 2, p + 2, p - 2 * w, p + 2 * w]) {
      const other = (feature[q] ?? 0) + 8;
      if (Math.max(other, value) > SOFT_RATIO * SOFT_RATIO * Math.min(other, value)) return false;
    }
    return true;
  };
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let p = 0; p < n; p += 1) if (mask[p]) queue[tail++] = p;
  while (head < tail) {
    const p = queue[head++] ?? 0;
    const x = p % w;
    const value = (feature[p] ?? 0) + 8;
    const neighbours = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w];
    for (const q of neighbours) {
      if (q < 0 || q >= n || mask[q]) continue;
      const other = (feature[q] ?? 0) + 8;
      if (Math.max(other, value) > SOFT_RATIO * Math.min(other, value) || !smooth(q)) continue;
      mask[q] = 1;
      queue[tail++] = q;
    }
  }
  return mask;
}

/** A region (mask) with its holes filled, as a quadrilateral; null when it runs off the frame or has no four corners. */
function quadOfRegion(region: Uint8Array, w: number, h: number): Attempt | null {
  const n = w * h;
  const queue = new Int32Array(n);
  // Outside = everything reachable from the border without crossing the sheet (fills the print's holes).
  const outside = new Uint8Array(n);
  let head = 0;
  let tail = 0;
  const seed = (p: number): void => {
    if (region[p] || outside[p]) return;
    outside[p] = 1;
    queue[tail++] = p;
  };
  for (let x = 0; x < w; x += 1) {
    seed(x);
    seed((h - 1) * w + x);
  }
  for (let y = 0; y < h; y += 1) {
    seed(y * w);
    seed(y * w + w - 1);
  }
  while (head < tail) {
    const p = queue[head++] ?? 0;
    const x = p % w;
    if (x > 0) seed(p - 1);
    if (x < w - 1) seed(p + 1);
    if (p - w >= 0) seed(p - w);
    if (p + w < n) seed(p + w);
  }
  // The sheet must not run off the frame: count its pixels on the border.
  let onBorder = 0;
  for (let x = 0; x < w; x += 1) onBorder += (outside[x] ? 0 : 1) + (outside[(h - 1) * w + x] ? 0 : 1);
  for (let y = 0; y < h; y += 1) onBorder += (outside[y * w] ? 0 : 1) + (outside[y * w + w - 1] ? 0 : 1);
  if (onBorder > 0.02 * 2 * (w + h)) return null;
  const outline: Point[] = [];
  let filled = 0;
  for (let p = 0; p < n; p += 1) {
    if (outside[p]) continue;
    filled += 1;
    const x = p % w;
    if (
      (x > 0 && outside[p - 1]) ||
      (x < w - 1 && outside[p + 1]) ||
      (p >= w && outside[p - w]) ||
      (p + w < n && outside[p + w])
    )
      outline.push([x + 0.5, Math.floor(p / w) + 0.5]);
  }
  if (filled > 0.95 * n) return null;
  const quad = quadFromOutline(outline);
  if (!quad) return null;
  return { quad, misfit: Math.abs(1 - polygonArea(quad) / filled) };
}

/** A region must fit its quadrilateral this well to count as the sheet. */
const MAX_MISFIT = 0.05;

/**
 * Below this share of its outline on a paper-to-desk step (sheetEdges.ts: borderSupport), the region's
 * quadrilateral is doubtful and the sheet is looked for by its straight borders too.
 */
const DOUBTFUL_SUPPORT = 0.9;
/** The borders' quadrilateral must be this well supported to replace the region's (or stand in for none). */
const EDGE_SUPPORT = 0.8;

export interface FindSheetOptions {
  /** Look for the sheet's straight borders where the region is doubtful (default on). */
  edges?: boolean;
  /** Filled with the milliseconds the borders' search took (`edges`), when it ran. */
  timings?: Record<string, number>;
}

/** Paper-ness of each pixel of a small blurred copy: brightness minus 1.5 × colourfulness (a desk is coloured). */
async function paperFeature(image: Buffer) {
  const { data, info } = await sharp(image)
    .autoOrient()
    .resize({ width: WORK_SIDE, height: WORK_SIDE, fit: 'inside' })
    .removeAlpha()
    .blur(1.2)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const w = info.width;
  const h = info.height;
  const n = w * h;
  const channels = info.channels;
  const feature = new Uint8Array(n);
  const histogram = new Uint32Array(256);
  for (let i = 0; i < n; i += 1) {
    const r = data[i * channels] ?? 0;
    const g = data[i * channels + 1] ?? 0;
    const b = data[i * channels + 2] ?? 0;
    const grey = luma(r, g, b);
    const chroma = Math.max(r, g, b) - Math.min(r, g, b);
    const value = Math.max(0, Math.min(255, Math.round(grey - 1.5 * chroma)));
    feature[i] = value;
    histogram[value] = (histogram[value] ?? 0) + 1;
  }
  return { data, channels, w, h, feature, histogram };
}

/** A second sheet counts when it is at least this share of the largest one (a corner of another paper does not). */
const SECOND_SHEET_SHARE = 0.4;
/** …and at least this share of the photo. */
const SHEET_MIN_SHARE = 0.05;

/**
 * How many sheets of paper lie apart on the photo (1 for most receipts): separate bright, colourless regions, each a
 * plausible quadrilateral within the frame and at least 40 % of the largest. Two receipts in one photo were read as
 * one — the sheet found is the one recognised — and the other's money never reached the claim, with nothing said (a
 * test of unseen layouts); the reading says how many there are.
 */
export async function countSheets(image: Buffer): Promise<number> {
  const { w, h, feature, histogram } = await paperFeature(image);
  const n = w * h;
  const regions = regionsAbove(feature, w, h, otsu(histogram, n), Math.round(SHEET_MIN_SHARE * n));
  const quads = regions
    .map((region) => quadOfRegion(region, w, h))
    .filter((attempt): attempt is Attempt => attempt !== null && attempt.misfit <= MAX_MISFIT)
    .map((attempt) => attempt.quad);
  if (quads.length === 0) return regions.length > 0 ? 1 : 0;
  const largest = Math.max(...quads.map(polygonArea));
  const boxes = quads.filter((quad) => polygonArea(quad) >= SECOND_SHEET_SHARE * largest).map(boundsOf);
  // Parts of one sheet cut apart by a ruled line lie side by side; two sheets have desk between them (a clean render
  // of one receipt counted its two halves).
  const apart = boxes.filter(
    (box, index) => !boxes.slice(0, index).some((earlier) => gapBetween(box, earlier) < SHEET_GAP),
  );
  return apart.length;
}

/** Desk between two sheets (work pixels): wider than a ruled line across one sheet at this size. */
const SHEET_GAP = 8;

type Bounds = [number, number, number, number];

function boundsOf(quad: Quad): Bounds {
  const xs = quad.map(([x]) => x);
  const ys = quad.map(([, y]) => y);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The distance between two boxes (0 when they touch or overlap). */
function gapBetween(a: Bounds, b: Bounds): number {
  const dx = Math.max(0, a[0] - b[2], b[0] - a[2]);
  const dy = Math.max(0, a[1] - b[3], b[1] - a[3]);
  return Math.max(dx, dy);
}

/**
 * The sheet's corners on the photo, or null when no sheet stands out from its background. Paper is
 * bright and colourless; a wooden desk is coloured: the feature is brightness minus 1.5 × colourfulness,
 * so a shadow across the sheet keeps it apart from a brown desk. Thresholds: Otsu's, then lower ones
 * (a shadow darkens part of the sheet); the region that best fits a quadrilateral wins. Its outline is
 * then checked against the photo's steps (a grey desk under a shadow is as dark and colourless as the
 * shaded paper, and the region leaks onto it): when too little of it lies on a paper-to-desk step, the
 * quadrilateral of the sheet's straight borders (sheetEdges.ts) is taken if its outline does better.
 */
export async function findSheet(image: Buffer, options: FindSheetOptions = {}): Promise<SheetFound | null> {
  const meta = await sharp(image).metadata();
  const swapped = (meta.orientation ?? 1) >= 5;
  const width = (swapped ? meta.height : meta.width) ?? 0;
  const height = (swapped ? meta.width : meta.height) ?? 0;
  if (width === 0 || height === 0) return null;
  const { data, channels, w, h, feature, histogram } = await paperFeature(image);
  const n = w * h;
  const t = otsu(histogram, n);
  let best: Attempt | null = null;
  let bestRegion: Uint8Array | null = null;
  for (const factor of [1, 0.85, 0.7, 0.55]) {
    const region = largestRegion(feature, w, h, Math.round(t * factor));
    const attempt = region ? quadOfRegion(region, w, h) : null;
    if (attempt && (!best || attempt.misfit < best.misfit)) {
      best = attempt;
      bestRegion = region;
    }
    if (best && best.misfit < 0.015) break;
  }
  let quad: Quad | null = null;
  if (best && bestRegion && best.misfit <= MAX_MISFIT) {
    // A shadow across the sheet leaves only its lit part above the threshold, and that part may be a fine
    // quadrilateral too: the region grown across soft steps takes the sheet whole when it fits as well.
    const grown = quadOfRegion(grownAcrossSoftSteps(feature, w, h, bestRegion), w, h);
    quad =
      grown && grown.misfit <= MAX_MISFIT && polygonArea(grown.quad) > 1.08 * polygonArea(best.quad)
        ? grown.quad
        : best.quad;
  }
  if (options.edges !== false) {
    const log = logGrey(data, channels, w, h);
    const support = quad ? borderSupport(log, quad) : 0;
    if (support < DOUBTFUL_SUPPORT) {
      const t0 = performance.now();
      const edges = sheetByEdges(log);
      if (options.timings) options.timings.edges = performance.now() - t0;
      if (edges && edges.support >= EDGE_SUPPORT && edges.support > support) quad = edges.quad;
    }
  }
  if (!quad) return null;
  const kx = width / w;
  const ky = height / h;
  const scaled = quad.map(([x, y]) => [x * kx, y * ky] as Point) as unknown as Quad;
  return { quad: scaled, width, height };
}

export interface FlatSheet {
  /** Raw RGB pixels of the flattened sheet. */
  data: Buffer;
  width: number;
  height: number;
  /** Maps a point of the flat sheet to the (oriented) photo. */
  toPhoto: (x: number, y: number) => [number, number];
}

/** Warps the sheet flat: long side at most `longSide` (never enlarged beyond its size on the photo). */
export async function flattenSheet(image: Buffer, sheet: SheetFound, longSide: number): Promise<FlatSheet> {
  const size = quadSize(sheet.quad);
  const k = Math.min(1, longSide / Math.max(size.width, size.height));
  const outW = Math.max(1, Math.round(size.width * k));
  const outH = Math.max(1, Math.round(size.height * k));
  // Decode the photo at about the output's scale (sampling near 1:1, no aliasing from a large photo).
  const sourceScale = Math.min(1, (1.2 * Math.max(outW, outH)) / Math.max(size.width, size.height));
  const srcW = Math.max(1, Math.round(sheet.width * sourceScale));
  const srcH = Math.max(1, Math.round(sheet.height * sourceScale));
  const source = await sharp(image)
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .resize(srcW, srcH, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer();
  const quadInSource = sheet.quad.map(([x, y]) => [x * sourceScale, y * sourceScale] as Point);
  const toSource = homography(
    [
      [0, 0],
      [outW, 0],
      [outW, outH],
      [0, outH],
    ],
    quadInSource,
  );
  const toPhotoH = homography(
    [
      [0, 0],
      [outW, 0],
      [outW, outH],
      [0, outH],
    ],
    sheet.quad,
  );
  if (!toSource || !toPhotoH) throw new Error('degenerate sheet');
  const data = Buffer.alloc(outW * outH * 3, 255);
  warp(source, srcW, srcH, data, outW, outH, toSource);
  const h: Homography = toPhotoH;
  return { data, width: outW, height: outH, toPhoto: (x, y) => project(h, x, y) };
}

function warp(
  source: Buffer,
  srcW: number,
  srcH: number,
  out: Buffer,
  outW: number,
  outH: number,
  h: Homography,
): void {
  const [h0, h1, h2, h3, h4, h5, h6, h7, h8] = h;
  for (let y = 0; y < outH; y += 1) {
    const py = y + 0.5;
    for (let x = 0; x < outW; x += 1) {
      const px = x + 0.5;
      const w = h6 * px + h7 * py + h8;
      const sx = (h0 * px + h1 * py + h2) / w - 0.5;
      const sy = (h3 * px + h4 * py + h5) / w - 0.5;
      if (sx < 0 || sy < 0 || sx >= srcW - 1 || sy >= srcH - 1) continue;
      const ix = sx | 0;
      const iy = sy | 0;
      const fx = sx - ix;
      const fy = sy - iy;
      const i00 = (iy * srcW + ix) * 3;
      const i01 = i00 + srcW * 3;
      const o = (y * outW + x) * 3;
      for (let c = 0; c < 3; c += 1) {
        const top = (source[i00 + c] ?? 0) * (1 - fx) + (source[i00 + 3 + c] ?? 0) * fx;
        const bottom = (source[i01 + c] ?? 0) * (1 - fx) + (source[i01 + 3 + c] ?? 0) * fx;
        out[o + c] = (top * (1 - fy) + bottom * fy + 0.5) | 0;
      }
    }
  }
}
