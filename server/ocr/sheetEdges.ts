/**
 * The sheet's corners from its four straight borders (perspective.ts asks when the region it grew is
 * doubtful). Everything is measured on the logarithm of the grey level: light multiplies, so the step
 * at the paper's edge is the same in a shadow as in the light, while a shadow's own edge is spread
 * over many pixels and a wooden desk's grain is a small ratio.
 *
 * - Edge pixels (a steep log step) vote for the lines through them, at about their gradient's angle:
 *   a Hough transform over the normal's direction (0–360°, so the side the brighter paper lies on is
 *   part of the line) and the line's distance from the origin.
 * - Each side of the sheet (top, right, bottom, left) takes the few strongest lines in its range of
 *   directions, ranked by their longest stretch where the paper side is brighter than the other by a
 *   paper-to-desk ratio — a table rule or a line of text has paper on both sides, a grain stripe too
 *   weak a ratio.
 * - Every combination is intersected into a quadrilateral; the plausible ones (convex, sides at
 *   55–125°, inside the frame, 12–95 % of it) are scored by `borderSupport` and the best wins.
 */
import { isPlausibleQuad, type Point, polygonArea, type Quad } from '../../src/core/receipt/geometry';
import { luma } from './luma';

/** Log grey levels of a (blurred) work copy, row by row. */
export interface LogImage {
  data: Float32Array;
  width: number;
  height: number;
}

/** log((grey + 8)): the 8 keeps a dark photo's grain from becoming steep steps. */
export function logGrey(rgb: Uint8Array | Buffer, channels: number, width: number, height: number): LogImage {
  const n = width * height;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i += 1) {
    const o = i * channels;
    const grey = luma(rgb[o] ?? 0, rgb[o + 1] ?? 0, rgb[o + 2] ?? 0);
    data[i] = Math.log(grey + 8);
  }
  return { data, width, height };
}

/** Smallest log ratio between paper and what lies beyond its edge (paper ÷ desk ≈ 1.8–2.6, lit or shaded). */
const BORDER_STEP = Math.log(1.45);
/** How far either side of a border the two sides are compared (work pixels). */
const BORDER_GAP = 3;
/** Smallest log gradient (per pixel, Sobel ÷ 8) that votes for a line. */
const EDGE_MIN = 0.07;
/** Lines kept for each side, and directions (degrees either side of a side's own) searched. */
const PER_SIDE = 4;
const SIDE_RANGE = 35;

/** Bilinear sample at (x, y), pixel i's centre being at i + 0.5 (as the work copy's corners are measured). */
function sample(image: LogImage, cx: number, cy: number): number | null {
  const { data, width, height } = image;
  const x = cx - 0.5;
  const y = cy - 0.5;
  if (x < 0 || y < 0 || x > width - 1 || y > height - 1) return null;
  const ix = Math.min(width - 2, Math.floor(x));
  const iy = Math.min(height - 2, Math.floor(y));
  const fx = x - ix;
  const fy = y - iy;
  const i = iy * width + ix;
  const top = (data[i] ?? 0) * (1 - fx) + (data[i + 1] ?? 0) * fx;
  const bottom = (data[i + width] ?? 0) * (1 - fx) + (data[i + width + 1] ?? 0) * fx;
  return top * (1 - fy) + bottom * fy;
}

/** True where the paper side (along the unit normal nx, ny) is brighter than the far side by a border's ratio. */
function stepAt(image: LogImage, x: number, y: number, nx: number, ny: number): boolean {
  const inside = sample(image, x + BORDER_GAP * nx, y + BORDER_GAP * ny);
  const outside = sample(image, x - BORDER_GAP * nx, y - BORDER_GAP * ny);
  return inside !== null && outside !== null && inside - outside > BORDER_STEP;
}

/**
 * Share (0–1) of a quadrilateral's perimeter (corners in clockwise order, image y down) where the
 * inside is brighter than the outside by a paper-to-desk ratio: ~1 for the sheet's true outline, low
 * for an outline that runs over the desk, through the paper or along a shadow. The mean of the four
 * sides, each counted alone, so a short side weighs as much as a long one.
 */
export function borderSupport(image: LogImage, quad: Quad): number {
  let total = 0;
  for (let i = 0; i < 4; i += 1) {
    const [ax, ay] = quad[i] as Point;
    const [bx, by] = quad[(i + 1) % 4] as Point;
    const length = Math.hypot(bx - ax, by - ay);
    if (length < 1) return 0;
    // Clockwise with y down: the inside is to the right of the direction of travel.
    const nx = -(by - ay) / length;
    const ny = (bx - ax) / length;
    const count = Math.max(8, Math.round(length / 2));
    let supported = 0;
    for (let k = 0; k < count; k += 1) {
      const t = 0.04 + (0.92 * (k + 0.5)) / count;
      if (stepAt(image, ax + t * (bx - ax), ay + t * (by - ay), nx, ny)) supported += 1;
    }
    total += supported / count;
  }
  return total / 4;
}

/** Mean log step across the outline between points a pixel inside and a pixel outside: largest on the border's middle. */
function borderStrength(image: LogImage, quad: Quad): number {
  let total = 0;
  let count = 0;
  for (let i = 0; i < 4; i += 1) {
    const [ax, ay] = quad[i] as Point;
    const [bx, by] = quad[(i + 1) % 4] as Point;
    const length = Math.hypot(bx - ax, by - ay);
    const nx = -(by - ay) / length;
    const ny = (bx - ax) / length;
    for (let t = 0.04; t < 0.96; t += 2 / length) {
      const x = ax + t * (bx - ax);
      const y = ay + t * (by - ay);
      const inside = sample(image, x + nx, y + ny);
      const outside = sample(image, x - nx, y - ny);
      if (inside === null || outside === null) continue;
      total += inside - outside;
      count += 1;
    }
  }
  return count === 0 ? 0 : total / count;
}

/** A line as x·cos θ + y·sin θ = rho, the paper on the side where the left-hand side is larger. */
interface EdgeLine {
  theta: number;
  rho: number;
}

interface Vote {
  /** Accumulator: θ in whole degrees (0–359) × rho in pixels offset by `diagonal`. */
  counts: Uint16Array;
  diagonal: number;
  /** Edge pixels: x, y and gradient direction in degrees. */
  points: Float32Array;
}

const COS = Float64Array.from({ length: 360 }, (_, d) => Math.cos((d * Math.PI) / 180));
const SIN = Float64Array.from({ length: 360 }, (_, d) => Math.sin((d * Math.PI) / 180));

/** Sobel on the log image; each steep pixel votes for the lines within 3° of its gradient's direction. */
function vote(image: LogImage): Vote {
  const { data, width: w, height: h } = image;
  const diagonal = Math.ceil(Math.hypot(w, h));
  const rhos = 2 * diagonal + 1;
  const counts = new Uint16Array(360 * rhos);
  const points: number[] = [];
  for (let y = 1; y < h - 1; y += 1) {
    for (let x = 1; x < w - 1; x += 1) {
      const i = y * w + x;
      const a = data[i - w - 1] ?? 0;
      const b = data[i - w] ?? 0;
      const c = data[i - w + 1] ?? 0;
      const d = data[i - 1] ?? 0;
      const f = data[i + 1] ?? 0;
      const g = data[i + w - 1] ?? 0;
      const k = data[i + w] ?? 0;
      const l = data[i + w + 1] ?? 0;
      const gx = (c + 2 * f + l - a - 2 * d - g) / 8;
      const gy = (g + 2 * k + l - a - 2 * b - c) / 8;
      if (gx * gx + gy * gy < EDGE_MIN * EDGE_MIN) continue;
      const direction = (Math.atan2(gy, gx) * 180) / Math.PI;
      // At the pixel's centre.
      const px = x + 0.5;
      const py = y + 0.5;
      points.push(px, py, direction);
      const centre = Math.round(direction);
      for (let dt = -3; dt <= 3; dt += 1) {
        const theta = (((centre + dt) % 360) + 360) % 360;
        const rho = Math.round(px * (COS[theta] ?? 0) + py * (SIN[theta] ?? 0)) + diagonal;
        const cell = theta * rhos + rho;
        if ((counts[cell] ?? 0) < 65535) counts[cell] = (counts[cell] ?? 0) + 1;
      }
    }
  }
  return { counts, diagonal, points: Float32Array.from(points) };
}

/** Fewest votes a line needs (edge pixels along it, give or take the 7 directions each votes for). */
const MIN_VOTES = 20;

/**
 * The strongest `count` peaks with θ within SIDE_RANGE of `centre`: the maxima along rho of each
 * direction, strongest first, each keeping out the others within 4° and 6 px.
 */
function peaks(v: Vote, centre: number, count: number): EdgeLine[] {
  const rhos = 2 * v.diagonal + 1;
  const { counts } = v;
  const candidates: Array<{ theta: number; rho: number; votes: number }> = [];
  for (let dt = -SIDE_RANGE; dt <= SIDE_RANGE; dt += 1) {
    const theta = (((centre + dt) % 360) + 360) % 360;
    const row = theta * rhos;
    for (let r = 1; r < rhos - 1; r += 1) {
      const votes = counts[row + r] ?? 0;
      if (votes < MIN_VOTES || votes < (counts[row + r - 1] ?? 0) || votes <= (counts[row + r + 1] ?? 0)) continue;
      candidates.push({ theta, rho: r - v.diagonal, votes });
    }
  }
  candidates.sort((a, b) => b.votes - a.votes);
  const taken: EdgeLine[] = [];
  for (const c of candidates) {
    if (taken.length >= count) break;
    if (taken.some((line) => angleGap(line.theta, c.theta) <= 4 && Math.abs(line.rho - c.rho) <= 6)) continue;
    taken.push({ theta: c.theta, rho: c.rho });
  }
  return taken;
}

const angleGap = (a: number, b: number): number => {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
};

/**
 * The line refitted to the edge pixels within 2 px of it whose gradient agrees (within 8°): total
 * least squares in normal form, so θ and rho come to a fraction of a degree and of a pixel.
 */
function refine(v: Vote, line: EdgeLine): EdgeLine {
  const c = Math.cos((line.theta * Math.PI) / 180);
  const s = Math.sin((line.theta * Math.PI) / 180);
  let n = 0;
  let mx = 0;
  let my = 0;
  const near: number[] = [];
  for (let k = 0; k < v.points.length; k += 3) {
    const x = v.points[k] ?? 0;
    const y = v.points[k + 1] ?? 0;
    if (Math.abs(x * c + y * s - line.rho) > 2 || angleGap(v.points[k + 2] ?? 0, line.theta) > 8) continue;
    near.push(x, y);
    mx += x;
    my += y;
    n += 1;
  }
  if (n < 10) return line;
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let k = 0; k < near.length; k += 2) {
    const dx = (near[k] ?? 0) - mx;
    const dy = (near[k + 1] ?? 0) - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  // The normal is the direction of least spread; keep it on the side of the original normal.
  let normal = 0.5 * Math.atan2(2 * sxy, sxx - syy) + Math.PI / 2;
  if (Math.cos(normal) * c + Math.sin(normal) * s < 0) normal += Math.PI;
  const theta = ((((normal * 180) / Math.PI) % 360) + 360) % 360;
  if (angleGap(theta, line.theta) > 3) return line;
  return { theta, rho: mx * Math.cos(normal) + my * Math.sin(normal) };
}

/** Longest stretch (pixels, gaps of up to 6 px bridged) along the line, inside the image, where it is a border. */
function longestBorderRun(image: LogImage, line: EdgeLine): number {
  const nx = Math.cos((line.theta * Math.PI) / 180);
  const ny = Math.sin((line.theta * Math.PI) / 180);
  // Foot of the perpendicular from the origin, and the line's direction.
  const px = line.rho * nx;
  const py = line.rho * ny;
  const reach = Math.hypot(image.width, image.height);
  let best = 0;
  let start = Number.NaN;
  let last = Number.NaN;
  for (let t = -reach; t <= reach; t += 1) {
    const x = px - t * ny;
    const y = py + t * nx;
    if (x < 0 || y < 0 || x > image.width - 1 || y > image.height - 1) continue;
    if (!stepAt(image, x, y, nx, ny)) continue;
    if (!(t - last <= 6)) start = t;
    last = t;
    best = Math.max(best, last - start + 1);
  }
  return best;
}

function meet(a: EdgeLine, b: EdgeLine): Point | null {
  const ca = Math.cos((a.theta * Math.PI) / 180);
  const sa = Math.sin((a.theta * Math.PI) / 180);
  const cb = Math.cos((b.theta * Math.PI) / 180);
  const sb = Math.sin((b.theta * Math.PI) / 180);
  const det = ca * sb - sa * cb;
  if (Math.abs(det) < 1e-6) return null;
  return [(a.rho * sb - b.rho * sa) / det, (b.rho * ca - a.rho * cb) / det];
}

export interface EdgeSheet {
  quad: Quad;
  /** borderSupport of the quadrilateral (0–1). */
  support: number;
}

/**
 * The sheet as the quadrilateral of straight borders that best bounds bright paper (see the file's
 * comment), in the work copy's pixels; null when no plausible one is found.
 */
export function sheetByEdges(image: LogImage): EdgeSheet | null {
  const { width: w, height: h } = image;
  const v = vote(image);
  // Normals pointing into the paper: the top border's points down (90°), the right one's left (180°)…
  const sides = [90, 180, 270, 0].map((centre) =>
    peaks(v, centre, 2 * PER_SIDE)
      .map((line) => refine(v, line))
      .map((line) => ({ line, run: longestBorderRun(image, line) }))
      .filter((c) => c.run >= 0.12 * Math.min(w, h))
      .sort((a, b) => b.run - a.run)
      .slice(0, PER_SIDE)
      .map((c) => c.line),
  );
  const [tops = [], rights = [], bottoms = [], lefts = []] = sides;
  const found: Array<EdgeSheet & { strength: number }> = [];
  const margin = 2;
  for (const top of tops)
    for (const right of rights)
      for (const bottom of bottoms)
        for (const left of lefts) {
          const corners = [meet(left, top), meet(top, right), meet(right, bottom), meet(bottom, left)];
          if (corners.some((p) => !p || p[0] < -margin || p[1] < -margin || p[0] > w + margin || p[1] > h + margin))
            continue;
          const quad = corners as unknown as Quad;
          const share = polygonArea(quad) / (w * h);
          if (share < 0.12 || share > 0.95 || !isPlausibleQuad(quad)) continue;
          found.push({ quad, support: borderSupport(image, quad), strength: borderStrength(image, quad) });
        }
  // The best supported; among those as good, the outline on the steepest steps (a line a pixel or two
  // beside the border is supported as well, but crosses the step off its middle).
  const top = Math.max(...found.map((f) => f.support));
  let best: EdgeSheet | null = null;
  let strongest = -Infinity;
  for (const f of found) {
    if (f.support < top - 0.02 || f.strength <= strongest) continue;
    strongest = f.strength;
    best = { quad: f.quad, support: f.support };
  }
  return best;
}
