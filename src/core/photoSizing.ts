/**
 * How a receipt photo is shrunk before upload (拍照/上传): pure decisions, no platform.
 *
 * The goal is a JPEG of at most 400 KB whose small print (金额, 项目名称, 发票号码) is still legible:
 * - the long side goes to 2000 px (never upscaled: a smaller photo keeps its size);
 * - JPEG quality steps down 0.8 → 0.7 → 0.62 → 0.55 at that size;
 * - only then the long side drops to 1600 px, where the quality steps 0.55 → 0.47 → 0.4;
 * - below that we stop: the smallest attempt is accepted and flagged as over the target, because a
 *   photo that blurs the amounts is worse than a large upload.
 * An attempt more than twice the target skips the remaining qualities of its size: those steps
 * cannot halve a JPEG, so trying them only costs time on the phone.
 *
 * The same `nextAttempt` drives the mini-program (Taro.compressImage), H5 (canvas) and the bench
 * (sharp), through `runLadder` with a platform `encode` function.
 */

export interface SizingOptions {
  /** Largest accepted output, in bytes. */
  targetBytes: number;
  /** Long side of the first attempts, in px. */
  maxLongSide: number;
  /** Long side once the qualities at `maxLongSide` are used up, in px. */
  reducedLongSide: number;
  /** Qualities (0-1) tried at `maxLongSide` (or the original size when smaller), highest first. */
  qualities: readonly number[];
  /** Qualities (0-1) tried at `reducedLongSide`, highest first. */
  reducedQualities: readonly number[];
  /** An attempt above `targetBytes * skipFactor` skips the remaining qualities of its size. */
  skipFactor: number;
}

export const DEFAULT_SIZING: SizingOptions = {
  targetBytes: 400 * 1024,
  maxLongSide: 2000,
  reducedLongSide: 1600,
  qualities: [0.8, 0.7, 0.62, 0.55],
  reducedQualities: [0.55, 0.47, 0.4],
  skipFactor: 2,
};

/** What is known of the picture the person chose. */
export interface OriginalImage {
  width: number;
  height: number;
  bytes: number;
  /** 'jpeg', 'jpg', 'image/jpeg', 'png', … when known; only a JPEG can be kept as it is. */
  format?: string;
}

/** One encoding to try: the output size in px and the JPEG quality (0-1). */
export interface Attempt {
  width: number;
  height: number;
  quality: number;
}

/** An attempt once encoded: what it really measured (a platform may round the size differently). */
export interface AttemptResult extends Attempt {
  bytes: number;
}

export type SizingDecision =
  | { kind: 'keepOriginal' }
  | { kind: 'try'; attempt: Attempt }
  /** Stop: `best` is the result to upload; `withinTarget` is false when even the last step was too large. */
  | { kind: 'accept'; best: AttemptResult; withinTarget: boolean };

function assertDimensions(width: number, height: number): void {
  if (!(Number.isFinite(width) && Number.isFinite(height) && width >= 1 && height >= 1)) {
    throw new RangeError(`image dimensions must be positive, got ${width}×${height}`);
  }
}

/**
 * The size of the picture scaled so that its long side is at most `longSide`, keeping the aspect
 * ratio (within 1 px after rounding). Never upscales.
 */
export function fitLongSide(width: number, height: number, longSide: number): { width: number; height: number } {
  assertDimensions(width, height);
  const long = Math.max(width, height);
  if (long <= longSide) return { width: Math.round(width), height: Math.round(height) };
  const scale = longSide / long;
  return {
    width: width >= height ? longSide : Math.max(1, Math.round(width * scale)),
    height: height > width ? longSide : Math.max(1, Math.round(height * scale)),
  };
}

export function isJpeg(format: string | undefined): boolean {
  return format !== undefined && /^(image\/)?(jpe?g|pjpeg)$/i.test(format.trim());
}

/** The full ladder for a picture, in the order it is tried (sizes and qualities). */
export function ladder(
  original: Pick<OriginalImage, 'width' | 'height'>,
  options: SizingOptions = DEFAULT_SIZING,
): Attempt[] {
  const first = fitLongSide(original.width, original.height, options.maxLongSide);
  const steps: Attempt[] = options.qualities.map((quality) => ({ ...first, quality }));
  const reduced = fitLongSide(original.width, original.height, options.reducedLongSide);
  const smaller = Math.max(reduced.width, reduced.height) < Math.max(first.width, first.height);
  const floor = options.qualities[options.qualities.length - 1] ?? 1;
  for (const quality of options.reducedQualities) {
    // A photo already no larger than the reduced size keeps its size and goes on below the floor.
    if (smaller || quality < floor) steps.push({ ...(smaller ? reduced : first), quality });
  }
  return steps;
}

const sameAttempt = (a: Attempt, b: Attempt): boolean =>
  a.width === b.width && a.height === b.height && a.quality === b.quality;

/** The long side an attempt was asked for (results may differ by a pixel on some platforms). */
const longSideOf = (attempt: Attempt): number => Math.max(attempt.width, attempt.height);

/**
 * What to do next, given what has been tried so far (in order). Deterministic: the same results
 * give the same decision on every platform.
 */
export function nextAttempt(
  original: OriginalImage,
  previous: readonly AttemptResult[],
  options: SizingOptions = DEFAULT_SIZING,
): SizingDecision {
  const within = previous.find((result) => result.bytes <= options.targetBytes);
  if (within) return { kind: 'accept', best: within, withinTarget: true };

  const long = Math.max(original.width, original.height);
  if (
    previous.length === 0 &&
    original.bytes <= options.targetBytes &&
    long <= options.maxLongSide &&
    isJpeg(original.format)
  ) {
    return { kind: 'keepOriginal' };
  }

  const steps = ladder(original, options);
  const last = previous[previous.length - 1];
  let from = 0;
  if (last) {
    const index = steps.findIndex((step) => sameAttempt(step, last));
    from = index >= 0 ? index + 1 : previous.length;
    if (last.bytes > options.targetBytes * options.skipFactor) {
      // Far too large: the remaining qualities of this size cannot get there; go to the next size.
      const lastLong = longSideOf(index >= 0 ? (steps[index] as Attempt) : last);
      while (from < steps.length && longSideOf(steps[from] as Attempt) === lastLong) from += 1;
    }
  }
  const next = steps[from];
  if (next) return { kind: 'try', attempt: next };

  // Ladder used up: upload the smallest we made rather than blur the text further.
  const best = previous.reduce<AttemptResult | undefined>(
    (smallest, result) => (!smallest || result.bytes < smallest.bytes ? result : smallest),
    undefined,
  );
  if (!best) throw new Error('nextAttempt: empty ladder');
  return { kind: 'accept', best, withinTarget: false };
}

/** What a platform encoder produced for one attempt. */
export interface Encoded<T> {
  output: T;
  bytes: number;
  /** The size really produced, when the platform can tell (else the attempt's size is assumed). */
  width?: number;
  height?: number;
}

export interface LadderOutcome<T> {
  /** `null`: the original is small enough and is uploaded as it is. */
  output: T | null;
  result: AttemptResult | null;
  /** Size in px of what is uploaded (the encoder's own figure when it gave one). */
  width: number;
  height: number;
  withinTarget: boolean;
  /** Every attempt made, in order. */
  attempts: AttemptResult[];
}

/**
 * Runs the ladder with a platform encoder: encodes each attempt `nextAttempt` asks for and returns
 * the accepted output. Outputs that are not kept are handed to `discard` (temp files, object URLs).
 */
export async function runLadder<T>(
  original: OriginalImage,
  encode: (attempt: Attempt) => Promise<Encoded<T>>,
  options: SizingOptions = DEFAULT_SIZING,
  discard: (output: T) => void = () => undefined,
): Promise<LadderOutcome<T>> {
  const attempts: AttemptResult[] = [];
  const encodings: Encoded<T>[] = [];
  for (;;) {
    const decision = nextAttempt(original, attempts, options);
    if (decision.kind === 'keepOriginal') {
      return {
        output: null,
        result: null,
        width: original.width,
        height: original.height,
        withinTarget: true,
        attempts,
      };
    }
    if (decision.kind === 'accept') {
      const index = attempts.indexOf(decision.best);
      encodings.forEach((encoded, i) => {
        if (i !== index) discard(encoded.output);
      });
      const kept = encodings[index] as Encoded<T>;
      return {
        output: kept.output,
        result: decision.best,
        width: kept.width ?? decision.best.width,
        height: kept.height ?? decision.best.height,
        withinTarget: decision.withinTarget,
        attempts,
      };
    }
    const encoded = await encode(decision.attempt);
    // The ladder position is tracked by the attempt asked for; the real pixels are reported above.
    attempts.push({ ...decision.attempt, bytes: encoded.bytes });
    encodings.push(encoded);
  }
}
