/** The one band routine (segments and 大病 tiers): exact cuts, rounding per piece, and properties over any bands. */
import fc from 'fast-check';
import { applyRatio } from '../money';
import { pieces, type Band } from './estimate';

const bands: Band[] = [
  { upTo: 3000000, ratio: 8500 },
  { upTo: 4000000, ratio: 9000 },
  { upTo: null, ratio: 9500 },
];

describe('pieces', () => {
  it('cuts a span at the band bounds and pays each piece at its ratio, rounded per piece', () => {
    expect(pieces(2999999, 4000001, bands)).toEqual([
      { from: 0, upTo: 3000000, ratio: 8500, amount: 1, pays: 1 },
      { from: 3000000, upTo: 4000000, ratio: 9000, amount: 1000000, pays: 900000 },
      { from: 4000000, upTo: null, ratio: 9500, amount: 1, pays: 1 },
    ]);
  });

  it('gives nothing for an empty span, and only the open band above the last bound', () => {
    expect(pieces(5000, 5000, bands)).toEqual([]);
    expect(pieces(5000000, 5000100, bands)).toEqual([
      { from: 4000000, upTo: null, ratio: 9500, amount: 100, pays: 95 },
    ]);
  });

  it('property: the pieces tile the span in order, each inside its band, each paid applyRatio(amount, ratio)', () => {
    const bandList = fc
      .uniqueArray(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 0, maxLength: 5 })
      .chain((bounds) =>
        fc.tuple(
          fc.constant([...bounds].sort((a, b) => a - b)),
          fc.array(fc.integer({ min: 0, max: 10000 }), { minLength: bounds.length + 1, maxLength: bounds.length + 1 }),
        ),
      )
      .map(
        ([bounds, ratios]) =>
          [
            ...bounds.map((upTo, index) => ({ upTo, ratio: ratios[index]! })),
            { upTo: null, ratio: ratios[bounds.length]! },
          ] as Band[],
      );
    fc.assert(
      fc.property(
        bandList,
        fc.integer({ min: 0, max: 60_000_000 }),
        fc.integer({ min: 0, max: 60_000_000 }),
        (list, a, b) => {
          const [start, end] = a <= b ? [a, b] : [b, a];
          const cut = pieces(start, end, list);
          expect(cut.reduce((sum, piece) => sum + piece.amount, 0)).toBe(end - start);
          let cursor = start;
          for (const piece of cut) {
            expect(piece.amount).toBeGreaterThan(0);
            expect(Math.max(cursor, piece.from)).toBe(cursor);
            cursor += piece.amount;
            if (piece.upTo !== null) expect(cursor).toBeLessThanOrEqual(piece.upTo);
            expect(piece.pays).toBe(applyRatio(piece.amount, piece.ratio));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
