import fc from 'fast-check';
import {
  DEFAULT_SIZING,
  type AttemptResult,
  type OriginalImage,
  fitLongSide,
  isJpeg,
  ladder,
  nextAttempt,
  runLadder,
} from './photoSizing';

const KB = 1024;
const photo: OriginalImage = { width: 4000, height: 3000, bytes: 5000 * KB, format: 'jpeg' };

/** Plays the ladder against a fake encoder whose sizes come from a table keyed by "long@quality". */
function play(original: OriginalImage, sizes: (long: number, quality: number) => number): AttemptResult[] {
  const results: AttemptResult[] = [];
  for (let guard = 0; guard < 20; guard += 1) {
    const decision = nextAttempt(original, results);
    if (decision.kind !== 'try') return results;
    const { attempt } = decision;
    results.push({ ...attempt, bytes: sizes(Math.max(attempt.width, attempt.height), attempt.quality) });
  }
  throw new Error('ladder did not end');
}

describe('fitLongSide', () => {
  it.each([
    [4000, 3000, 2000, 2000, 1500],
    [3000, 4000, 2000, 1500, 2000],
    [4032, 3024, 1600, 1600, 1200],
    [1200, 900, 2000, 1200, 900],
    [2000, 2000, 1600, 1600, 1600],
    [9000, 100, 2000, 2000, 22],
    [10000, 1, 2000, 2000, 1],
  ])('%i×%i to long side %i → %i×%i', (width, height, long, expectedWidth, expectedHeight) => {
    expect(fitLongSide(width, height, long)).toEqual({ width: expectedWidth, height: expectedHeight });
  });

  it('rejects impossible dimensions', () => {
    expect(() => fitLongSide(0, 100, 2000)).toThrow(RangeError);
    expect(() => fitLongSide(Number.NaN, 100, 2000)).toThrow(RangeError);
  });
});

describe('the ladder', () => {
  it('steps quality down at 2000 px, then drops to 1600 px before going lower', () => {
    expect(ladder(photo).map((a) => `${a.width}x${a.height}@${a.quality}`)).toEqual([
      '2000x1500@0.8',
      '2000x1500@0.7',
      '2000x1500@0.62',
      '2000x1500@0.55',
      '1600x1200@0.55',
      '1600x1200@0.47',
      '1600x1200@0.4',
    ]);
  });

  it('keeps a photo between 1600 and 2000 px at its size first', () => {
    expect(ladder({ width: 1800, height: 1200 }).map((a) => `${a.width}x${a.height}@${a.quality}`)).toEqual([
      '1800x1200@0.8',
      '1800x1200@0.7',
      '1800x1200@0.62',
      '1800x1200@0.55',
      '1600x1067@0.55',
      '1600x1067@0.47',
      '1600x1067@0.4',
    ]);
  });

  it('never upscales a small photo: it only goes on below the quality floor', () => {
    expect(ladder({ width: 1200, height: 900 }).map((a) => `${a.width}x${a.height}@${a.quality}`)).toEqual([
      '1200x900@0.8',
      '1200x900@0.7',
      '1200x900@0.62',
      '1200x900@0.55',
      '1200x900@0.47',
      '1200x900@0.4',
    ]);
  });
});

describe('nextAttempt', () => {
  it.each<[string, OriginalImage, (long: number, q: number) => number, string[], 'within' | 'over' | 'original']>([
    ['first try fits', photo, () => 300 * KB, ['2000@0.8'], 'within'],
    [
      'fits at the quality floor',
      photo,
      (_l, q) => (q <= 0.55 ? 390 * KB : 500 * KB),
      ['2000@0.8', '2000@0.7', '2000@0.62', '2000@0.55'],
      'within',
    ],
    [
      'needs 1600 px',
      photo,
      (l, q) => (l === 1600 && q <= 0.47 ? 380 * KB : 450 * KB),
      ['2000@0.8', '2000@0.7', '2000@0.62', '2000@0.55', '1600@0.55', '1600@0.47'],
      'within',
    ],
    [
      'more than twice the target skips to 1600 px',
      photo,
      (l) => (l === 2000 ? 900 * KB : 350 * KB),
      ['2000@0.8', '1600@0.55'],
      'within',
    ],
    [
      'nothing fits: the smallest is accepted, flagged',
      photo,
      (l, q) => Math.round(400 * KB + (l / 10 + q * 100) * KB),
      ['2000@0.8', '2000@0.7', '2000@0.62', '2000@0.55', '1600@0.55', '1600@0.47', '1600@0.4'],
      'over',
    ],
    [
      'small JPEG kept as it is',
      { width: 1500, height: 1000, bytes: 300 * KB, format: 'image/jpeg' },
      () => 1,
      [],
      'original',
    ],
    [
      'small PNG is re-encoded',
      { width: 1500, height: 1000, bytes: 300 * KB, format: 'png' },
      () => 100 * KB,
      ['1500@0.8'],
      'within',
    ],
    [
      'light but too large JPEG is resized',
      { width: 4000, height: 3000, bytes: 350 * KB, format: 'jpg' },
      () => 200 * KB,
      ['2000@0.8'],
      'within',
    ],
  ])('%s', (_name, original, sizes, expectedSteps, outcome) => {
    const results = play(original, sizes);
    expect(results.map((r) => `${Math.max(r.width, r.height)}@${r.quality}`)).toEqual(expectedSteps);
    const final = nextAttempt(original, results);
    if (outcome === 'original') {
      expect(final).toEqual({ kind: 'keepOriginal' });
    } else {
      expect(final.kind).toBe('accept');
      if (final.kind !== 'accept') return;
      expect(final.withinTarget).toBe(outcome === 'within');
      expect(final.best.bytes).toBe(Math.min(...results.map((r) => r.bytes)));
    }
  });
});

describe('runLadder', () => {
  it('returns the accepted output and discards the others', async () => {
    const discarded: string[] = [];
    const outcome = await runLadder(
      photo,
      async (attempt) => ({
        output: `${attempt.width}@${attempt.quality}`,
        bytes: attempt.quality > 0.6 ? 500 * KB : 380 * KB,
        width: attempt.width - 1,
      }),
      DEFAULT_SIZING,
      (output) => discarded.push(output),
    );
    expect(outcome.output).toBe('2000@0.55');
    expect(outcome.withinTarget).toBe(true);
    expect(outcome.width).toBe(1999);
    expect(outcome.height).toBe(1500);
    expect(discarded).toEqual(['2000@0.8', '2000@0.7', '2000@0.62']);
    expect(outcome.attempts).toHaveLength(4);
  });

  it('keeps the original without encoding when it is already small', async () => {
    const encode = jest.fn();
    const outcome = await runLadder({ width: 800, height: 600, bytes: 90 * KB, format: 'jpeg' }, encode);
    expect(outcome).toMatchObject({ output: null, result: null, withinTarget: true, width: 800, height: 600 });
    expect(encode).not.toHaveBeenCalled();
  });
});

describe('isJpeg', () => {
  it.each([
    ['jpeg', true],
    ['JPG', true],
    ['image/jpeg', true],
    ['png', false],
    ['image/heic', false],
    [undefined, false],
  ])('%s → %s', (format, expected) => {
    expect(isJpeg(format)).toBe(expected);
  });
});

describe('properties', () => {
  const dimension = fc.integer({ min: 1, max: 12000 });
  const original = fc.record({
    width: dimension,
    height: dimension,
    bytes: fc.integer({ min: 1, max: 30_000_000 }),
    format: fc.constantFrom('jpeg', 'png', undefined),
  });

  it('fitLongSide never upscales, keeps the aspect ratio within 1 px, and puts the long side within bounds', () => {
    fc.assert(
      fc.property(dimension, dimension, fc.integer({ min: 1, max: 4000 }), (width, height, long) => {
        const out = fitLongSide(width, height, long);
        expect(out.width).toBeLessThanOrEqual(width);
        expect(out.height).toBeLessThanOrEqual(height);
        expect(Math.max(out.width, out.height)).toBe(Math.min(long, Math.max(width, height)));
        // Height predicted from the width by the original ratio, and vice versa: within 1 px.
        expect(
          Math.abs(out.height - (out.width * height) / width) <= 1 ||
            Math.abs(out.width - (out.height * width) / height) <= 1,
        ).toBe(true);
        expect(out.width).toBeGreaterThanOrEqual(1);
        expect(out.height).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it('every step of the ladder stays between 1600 and 2000 px on the long side (or the original, never more), qualities descend', () => {
    fc.assert(
      fc.property(original, (image) => {
        const steps = ladder(image);
        const long = Math.max(image.width, image.height);
        for (const step of steps) {
          const stepLong = Math.max(step.width, step.height);
          expect(stepLong).toBeLessThanOrEqual(Math.min(long, DEFAULT_SIZING.maxLongSide));
          expect(stepLong).toBeGreaterThanOrEqual(Math.min(long, DEFAULT_SIZING.reducedLongSide));
          expect(step.width).toBeLessThanOrEqual(image.width);
          expect(step.height).toBeLessThanOrEqual(image.height);
        }
        for (let i = 1; i < steps.length; i += 1) {
          const [a, b] = [steps[i - 1]!, steps[i]!];
          // Either the size shrinks or the quality does: never both back up.
          expect(Math.max(b.width, b.height) < Math.max(a.width, a.height) || b.quality < a.quality).toBe(true);
          expect(Math.max(b.width, b.height)).toBeLessThanOrEqual(Math.max(a.width, a.height));
        }
      }),
    );
  });

  it('always ends, within the ladder, and accepts a fitting result as soon as one exists', () => {
    fc.assert(
      fc.property(original, fc.func(fc.integer({ min: 1, max: 3_000_000 })), (image, sizeOf) => {
        const results = play(image, (long, quality) => sizeOf(long, quality));
        expect(results.length).toBeLessThanOrEqual(ladder(image).length);
        const final = nextAttempt(image, results);
        expect(final.kind).not.toBe('try');
        if (final.kind === 'accept') {
          const firstFit = results.findIndex((r) => r.bytes <= DEFAULT_SIZING.targetBytes);
          if (firstFit >= 0) {
            expect(final.withinTarget).toBe(true);
            expect(firstFit).toBe(results.length - 1);
          } else {
            expect(final.withinTarget).toBe(false);
          }
        }
      }),
    );
  });
});
