/**
 * Uneven light: every channel divided by its own background — the paper's brightness estimated on
 * 8×8 blocks (the brightest 2×2 mean in each block: print is dark and thin, grain averages out),
 * spread to cover text-heavy blocks and smoothed — so a shaded corner, a shadow across the sheet
 * and a dim room all come out as dark print on white paper. The division would amplify a dim room's
 * grain; when the paper was dark, a 3×3 median takes the grain out again.
 */
import sharp from 'sharp';

const BLOCK = 8;
/** What the paper becomes. */
const PAPER = 240;

export interface LightResult {
  data: Buffer;
  /** Mean paper brightness before normalisation (0–255): low in a dim room. */
  paperLevel: number;
  denoised: boolean;
}

function smooth(values: Float32Array, w: number, h: number, radius: number, mode: 'max' | 'mean'): Float32Array {
  const out = new Float32Array(values.length);
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      let acc = mode === 'max' ? 0 : 0;
      let count = 0;
      for (let dy = -radius; dy <= radius; dy += 1) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -radius; dx <= radius; dx += 1) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const v = values[yy * w + xx] ?? 0;
          if (mode === 'max') acc = Math.max(acc, v);
          else acc += v;
          count += 1;
        }
      }
      out[y * w + x] = mode === 'max' ? acc : acc / Math.max(1, count);
    }
  }
  return out;
}

/** Divides an RGB raw image by its background, per channel. */
export async function normaliseLight(data: Buffer, width: number, height: number): Promise<LightResult> {
  const bw = Math.ceil(width / BLOCK);
  const bh = Math.ceil(height / BLOCK);
  const backgrounds: Float32Array[] = [];
  let paperSum = 0;
  for (let c = 0; c < 3; c += 1) {
    const block = new Float32Array(bw * bh);
    for (let by = 0; by < bh; by += 1) {
      for (let bx = 0; bx < bw; bx += 1) {
        let best = 0;
        const y0 = by * BLOCK;
        const x0 = bx * BLOCK;
        for (let y = y0; y < Math.min(height - 1, y0 + BLOCK); y += 2) {
          for (let x = x0; x < Math.min(width - 1, x0 + BLOCK); x += 2) {
            const i = (y * width + x) * 3 + c;
            const mean =
              ((data[i] ?? 0) + (data[i + 3] ?? 0) + (data[i + width * 3] ?? 0) + (data[i + width * 3 + 3] ?? 0)) / 4;
            if (mean > best) best = mean;
          }
        }
        block[by * bw + bx] = best;
      }
    }
    const spread = smooth(block, bw, bh, 1, 'max');
    const background = smooth(smooth(spread, bw, bh, 2, 'mean'), bw, bh, 2, 'mean');
    let sum = 0;
    for (const v of background) sum += v;
    paperSum += sum / background.length;
    backgrounds.push(background);
  }
  const paperLevel = paperSum / 3;
  // The background at full size: the three block grids as one small image, enlarged by sharp.
  const small = Buffer.alloc(bw * bh * 3);
  for (let i = 0; i < bw * bh; i += 1) {
    for (let c = 0; c < 3; c += 1)
      small[i * 3 + c] = Math.max(16, Math.min(255, Math.round((backgrounds[c] as Float32Array)[i] ?? 255)));
  }
  const background = await sharp(small, { raw: { width: bw, height: bh, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i += 1) {
    const value = ((data[i] ?? 0) * PAPER) / (background[i] ?? 255);
    out[i] = value >= 255 ? 255 : value | 0;
  }
  if (paperLevel >= 150) return { data: out, paperLevel, denoised: false };
  const denoised = await sharp(out, { raw: { width, height, channels: 3 } })
    .median(3)
    .raw()
    .toBuffer();
  return { data: denoised, paperLevel, denoised: true };
}
