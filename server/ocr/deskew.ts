/**
 * Skew of a receipt photo, by projection profile: the dark pixels of printed rows (and table rules)
 * line up into sharp horizontal bands when the image is turned by the right angle. PaddleOCR's
 * detector (as packaged by @gutenye/ocr-node) merges neighbouring rows into one box once a photo is
 * turned by more than ~2°, so prepareImage turns the photo straight first.
 */
import sharp from 'sharp';

const WORK_SIDE = 900;
const MAX_POINTS = 60_000;

/** Degrees the content is turned clockwise (rotate by the negative to straighten), within ±maxDegrees. */
export async function estimateSkew(image: Buffer, maxDegrees = 8): Promise<number> {
  const base = sharp(image).autoOrient().resize({ width: WORK_SIDE, height: WORK_SIDE, fit: 'inside' }).greyscale();
  const [{ data, info }, blurred] = await Promise.all([
    base.clone().raw().toBuffer({ resolveWithObject: true }),
    base.clone().blur(12).raw().toBuffer(),
  ]);
  const { width, height } = info;
  // Dark against the local background: ink, whatever the lighting.
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = y * width + x;
      if ((data[i] ?? 255) < (blurred[i] ?? 255) - 30) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  if (xs.length < 200) return 0;
  const step = Math.max(1, Math.floor(xs.length / MAX_POINTS));
  const cx = width / 2;
  const cy = height / 2;
  const diagonal = Math.ceil(Math.hypot(width, height));
  const bins = new Float64Array(diagonal * 2 + 4);
  const sharpness = (degrees: number): number => {
    const a = (degrees * Math.PI) / 180;
    const sin = Math.sin(a);
    const cos = Math.cos(a);
    bins.fill(0);
    for (let k = 0; k < xs.length; k += step) {
      const x = (xs[k] ?? 0) - cx;
      const y = (ys[k] ?? 0) - cy;
      // The row a point falls in once the image is turned back by `degrees`.
      const row = Math.round(y * cos - x * sin) + diagonal;
      bins[row] = (bins[row] ?? 0) + 1;
    }
    let sum = 0;
    for (const count of bins) sum += count * count;
    return sum;
  };
  let best = 0;
  let bestScore = sharpness(0);
  for (let d = -maxDegrees; d <= maxDegrees; d += 0.5) {
    const score = sharpness(d);
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  const coarse = best;
  for (let d = coarse - 0.5; d <= coarse + 0.5; d += 0.1) {
    const score = sharpness(d);
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return Math.round(best * 100) / 100;
}
