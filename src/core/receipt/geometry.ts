/**
 * Plane geometry for receipt photos, pure: the projective map (homography) between a photographed
 * sheet's four corners and a flat rectangle, and the corners of a sheet from the outline of a mask.
 * The pixel work (masks, warping) happens in server/ocr; the maths lives here so it is tested alone.
 */

export type Point = readonly [number, number];
/** Row-major 3×3 matrix, h[8] normalised to 1. */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

/** Solves A·x = b (n×n) by Gaussian elimination with partial pivoting; null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) if (Math.abs(m[r]?.[col] ?? 0) > Math.abs(m[pivot]?.[col] ?? 0)) pivot = r;
    const top = m[pivot];
    if (!top || Math.abs(top[col] ?? 0) < 1e-12) return null;
    [m[col], m[pivot]] = [top, m[col] ?? top];
    const row = m[col] ?? top;
    for (let r = 0; r < n; r += 1) {
      if (r === col) continue;
      const other = m[r];
      if (!other) continue;
      const factor = (other[col] ?? 0) / (row[col] ?? 1);
      if (factor === 0) continue;
      for (let k = col; k <= n; k += 1) other[k] = (other[k] ?? 0) - factor * (row[k] ?? 0);
    }
  }
  return m.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}

/** The homography H with H·from[i] ∝ to[i] for four point pairs (no three collinear); null when degenerate. */
export function homography(from: readonly Point[], to: readonly Point[]): Homography | null {
  if (from.length !== 4 || to.length !== 4) return null;
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i += 1) {
    const [x, y] = from[i] ?? [0, 0];
    const [u, v] = to[i] ?? [0, 0];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  const h = solve(a, b);
  if (!h || h.some((value) => !Number.isFinite(value))) return null;
  const [h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0] = h;
  return [h0, h1, h2, h3, h4, h5, h6, h7, 1];
}

export function project(h: Homography, x: number, y: number): [number, number] {
  const w = h[6] * x + h[7] * y + h[8];
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

/** The four corners of the largest blob, as top-left, top-right, bottom-right, bottom-left. */
export type Quad = readonly [Point, Point, Point, Point];

const distance = (a: Point, b: Point): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Twice the signed area of a polygon (shoelace). */
export function polygonArea(points: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i += 1) {
    const [x1, y1] = points[i] ?? [0, 0];
    const [x2, y2] = points[(i + 1) % points.length] ?? [0, 0];
    sum += x1 * y2 - x2 * y1;
  }
  return Math.abs(sum) / 2;
}

/**
 * Corners of a sheet from the points of its outline (any order): the extreme points along the two
 * diagonals (x+y, x−y) — right for a convex quadrilateral turned by less than 45° — then each side
 * refitted as a least-squares line through the outline points near it, and the corners recomputed as
 * the sides' intersections (robust to a rounded or torn corner). Null when the shape is not a
 * plausible quadrilateral.
 */
export function quadFromOutline(outline: readonly Point[]): Quad | null {
  if (outline.length < 8) return null;
  let tl = outline[0] as Point;
  let tr = tl;
  let br = tl;
  let bl = tl;
  for (const p of outline) {
    if (p[0] + p[1] < tl[0] + tl[1]) tl = p;
    if (p[0] + p[1] > br[0] + br[1]) br = p;
    if (p[0] - p[1] > tr[0] - tr[1]) tr = p;
    if (p[1] - p[0] > bl[1] - bl[0]) bl = p;
  }
  const rough: Quad = [tl, tr, br, bl];
  const sides = [0, 1, 2, 3].map((i) => {
    const a = rough[i] as Point;
    const b = rough[(i + 1) % 4] as Point;
    const length = distance(a, b);
    if (length < 1) return null;
    // Outline points close to the segment, away from its ends (the corners may be rounded or occluded).
    const near = outline.filter((p) => {
      const t = ((p[0] - a[0]) * (b[0] - a[0]) + (p[1] - a[1]) * (b[1] - a[1])) / (length * length);
      if (t < 0.1 || t > 0.9) return false;
      const off = Math.abs((b[0] - a[0]) * (a[1] - p[1]) - (a[0] - p[0]) * (b[1] - a[1])) / length;
      return off < Math.max(3, length * 0.03);
    });
    return fitLine(near.length >= 5 ? near : [a, b]);
  });
  const corners: Point[] = [];
  for (let i = 0; i < 4; i += 1) {
    const before = sides[(i + 3) % 4];
    const after = sides[i];
    const meet = before && after ? intersect(before, after) : null;
    corners.push(
      meet && distance(meet, rough[i] as Point) < 0.1 * distance(rough[0] as Point, rough[2] as Point)
        ? meet
        : (rough[i] as Point),
    );
  }
  const quad = corners as unknown as Quad;
  return isPlausibleQuad(quad) ? quad : null;
}

interface Line {
  /** A point on the line and its unit direction. */
  px: number;
  py: number;
  dx: number;
  dy: number;
}

/** Total least squares: the line through the centroid along the principal axis. */
function fitLine(points: readonly Point[]): Line | null {
  const n = points.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (const [x, y] of points) {
    mx += x;
    my += y;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
    sxy += (x - mx) * (y - my);
  }
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  return { px: mx, py: my, dx: Math.cos(angle), dy: Math.sin(angle) };
}

function intersect(a: Line, b: Line): Point | null {
  const det = a.dx * b.dy - a.dy * b.dx;
  if (Math.abs(det) < 1e-6) return null;
  const t = ((b.px - a.px) * b.dy - (b.py - a.py) * b.dx) / det;
  return [a.px + t * a.dx, a.py + t * a.dy];
}

/** Convex, corners in order, every side and angle reasonable for a photographed sheet. */
export function isPlausibleQuad(quad: Quad): boolean {
  for (let i = 0; i < 4; i += 1) {
    const a = quad[(i + 3) % 4] as Point;
    const b = quad[i] as Point;
    const c = quad[(i + 1) % 4] as Point;
    const v1x = a[0] - b[0];
    const v1y = a[1] - b[1];
    const v2x = c[0] - b[0];
    const v2y = c[1] - b[1];
    const cross = v1x * v2y - v1y * v2x;
    // Image y points down: clockwise order (tl → tr → br → bl) gives a negative cross product.
    if (cross >= 0) return false;
    const cos = (v1x * v2x + v1y * v2y) / (Math.hypot(v1x, v1y) * Math.hypot(v2x, v2y));
    // Interior angles between ~55° and ~125°.
    if (Math.abs(cos) > 0.58) return false;
  }
  return true;
}

/** Width and height of the flat sheet: the mean lengths of opposite sides. */
export function quadSize(quad: Quad): { width: number; height: number } {
  const [tl, tr, br, bl] = quad;
  return { width: (distance(tl, tr) + distance(bl, br)) / 2, height: (distance(tl, bl) + distance(tr, br)) / 2 };
}
