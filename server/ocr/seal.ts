/**
 * Red seals (收费专用章, 发票专用章) stamped over the print.
 * - Suppression: wherever a pixel is reddish, its red channel stands for it — red ink turns to
 *   paper, black print under it stays black (the dark red of titles and rules turns grey, still
 *   legible; ruled lines fade, which helps recognition).
 * - Location: a seal is a cluster of bright-red pixels (red well above green and blue, and bright:
 *   JPEG's halved colour resolution leaves thin red strokes only moderately saturated) of a seal's
 *   size and roundish shape (a title is a long band; a seal cut by the paper's edge may be half round).
 *   The boxes are returned so that text read under a seal gets a lower confidence and is flagged for
 *   confirmation (paddle.ts) — never silently wrong.
 */
import type { Rect } from '../../src/core/receipt/schema';

const CELL = 4;

const isSealRed = (r: number, g: number, b: number): boolean => r > 165 && r - Math.max(g, b) > 45;

/** Finds seals on an RGB raw image and removes their red ink in place; returns their boxes. */
export function suppressSeals(data: Buffer, width: number, height: number): Rect[] {
  const cw = Math.ceil(width / CELL);
  const ch = Math.ceil(height / CELL);
  const red = new Uint8Array(cw * ch);
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      const i = (y * width + x) * 3;
      if (isSealRed(data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0))
        red[Math.floor(y / CELL) * cw + Math.floor(x / CELL)] = 1;
    }
  }
  // 8-connected clusters of red cells, joined across one-cell gaps (a ring drawn in broken ink).
  const label = new Int32Array(cw * ch);
  const queue = new Int32Array(cw * ch);
  const minSide = Math.max(12, Math.round((Math.min(width, height) * 0.08) / CELL));
  const maxSide = Math.round((Math.max(width, height) * 0.4) / CELL);
  const seals: Rect[] = [];
  let next = 1;
  for (let start = 0; start < red.length; start += 1) {
    if (!red[start] || label[start]) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    label[start] = next;
    let x0 = cw;
    let y0 = ch;
    let x1 = 0;
    let y1 = 0;
    while (head < tail) {
      const p = queue[head++] ?? 0;
      const px = p % cw;
      const py = Math.floor(p / cw);
      x0 = Math.min(x0, px);
      x1 = Math.max(x1, px);
      y0 = Math.min(y0, py);
      y1 = Math.max(y1, py);
      for (let dy = -2; dy <= 2; dy += 1) {
        for (let dx = -2; dx <= 2; dx += 1) {
          const qx = px + dx;
          const qy = py + dy;
          if (qx < 0 || qy < 0 || qx >= cw || qy >= ch) continue;
          const q = qy * cw + qx;
          if (!red[q] || label[q]) continue;
          label[q] = next;
          queue[tail++] = q;
        }
      }
    }
    next += 1;
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    // Round-ish and seal-sized, with enough ink (a ring, not a stray red word).
    if (
      w < minSide ||
      h < minSide ||
      w > maxSide ||
      h > maxSide ||
      Math.max(w, h) > 2.2 * Math.min(w, h) ||
      tail < 0.05 * w * h
    )
      continue;
    const pad = Math.round(0.06 * Math.max(w, h)) + 1;
    const rx = Math.max(0, (x0 - pad) * CELL);
    const ry = Math.max(0, (y0 - pad) * CELL);
    seals.push([rx, ry, Math.min(width, (x1 + pad + 1) * CELL) - rx, Math.min(height, (y1 + pad + 1) * CELL) - ry]);
  }
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i] ?? 0;
    // Reddish pixels only: the red channel is the print's darkness under red ink.
    if (r - Math.max(data[i + 1] ?? 0, data[i + 2] ?? 0) > 20) {
      data[i + 1] = r;
      data[i + 2] = r;
    }
  }
  return seals;
}

/** Share of a box covered by any of the seals (0–1). */
export function sealCover(box: Rect, seals: readonly Rect[]): number {
  const [x, y, w, h] = box;
  const area = Math.max(1, w * h);
  let covered = 0;
  for (const [sx, sy, sw, sh] of seals) {
    const ox = Math.max(0, Math.min(x + w, sx + sw) - Math.max(x, sx));
    const oy = Math.max(0, Math.min(y + h, sy + sh) - Math.max(y, sy));
    covered += ox * oy;
  }
  return Math.min(1, covered / area);
}
