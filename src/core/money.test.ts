import fc from 'fast-check';
import { applyRatio, applyRatios, fenToInputText, formatFen, formatRatio, formatYuan, parseYuan } from './money';

describe('parseYuan', () => {
  it('says a negative amount is refused as such, not that it is not a number (a desk walk typed -5)', () => {
    expect(parseYuan('-5')).toEqual({
      ok: false,
      code: 'MONEY_NEGATIVE',
      message: '金额不能是负数：退费不在这里填，请填写实际支付的金额',
    });
  });

  it.each([
    ['0', 0],
    ['12', 1200],
    ['12.3', 1230],
    ['12.34', 1234],
    ['1,234.50', 123450],
    ['￥88', 8800],
    ['¥ 0.01', 1],
    ['１２３．４５', 12345],
    ['99元', 9900],
    ['  7.5 ', 750],
    ['.5', null],
  ])('"%s" → %p fen', (input, expected) => {
    const result = parseYuan(input);
    if (expected === null) expect(result.ok).toBe(false);
    else expect(result).toEqual({ ok: true, fen: expected });
  });

  it.each([
    ['', 'MONEY_EMPTY'],
    ['abc', 'MONEY_FORMAT'],
    ['-5', 'MONEY_NEGATIVE'],
    ['－12.50', 'MONEY_NEGATIVE'],
    ['1.234', 'MONEY_PRECISION'],
    ['1e5', 'MONEY_FORMAT'],
    ['1000000000', 'MONEY_TOO_LARGE'],
  ])('refuses "%s" with %s and a Chinese message', (input, code) => {
    const result = parseYuan(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('round-trips every amount through fenToInputText', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (fen) => {
        expect(parseYuan(fenToInputText(fen))).toEqual({ ok: true, fen });
        expect(parseYuan(formatFen(fen))).toEqual({ ok: true, fen });
      }),
    );
  });
});

describe('formatting', () => {
  it('groups thousands and keeps two decimals', () => {
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(123456789)).toBe('1,234,567.89');
    expect(formatFen(-1050)).toBe('-10.50');
    expect(formatYuan(130000)).toBe('1,300.00 元');
  });
  it('refuses a non-integer amount', () => {
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });
  it('formats ratios in basis points', () => {
    expect(formatRatio(6500)).toBe('65%');
    expect(formatRatio(8750)).toBe('87.5%');
    expect(formatRatio(8725)).toBe('87.25%');
  });
});

describe('applyRatio beyond 2^53 stays exact without BigInt syntax in the bundle', () => {
  it('agrees with BigInt arithmetic on products past Number.MAX_SAFE_INTEGER', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1e12, max: 9e14 }), fc.integer({ min: 1, max: 20000 }), (amount, ratio) => {
        const exact = (BigInt(amount) * BigInt(ratio) + BigInt(5000)) / BigInt(10000);
        if (exact > BigInt(Number.MAX_SAFE_INTEGER)) expect(() => applyRatio(amount, ratio)).toThrow(RangeError);
        else expect(BigInt(applyRatio(amount, ratio))).toBe(exact);
      }),
    );
  });
});

describe('applyRatio rounds once, half up, to the fen', () => {
  it.each([
    [100, 5000, 50],
    [1, 5000, 1], // 0.5 fen → 1
    [3, 3333, 1], // 0.9999 → 1
    [1, 4999, 0], // 0.4999 → 0
    [12345, 6500, 8024], // 8024.25 → 8024
    [12347, 6500, 8026], // 8025.55 → 8026
    [100_000_000_00, 9500, 95_000_000_00],
  ])('%i fen × %i bp = %i fen', (amount, ratio, expected) => {
    expect(applyRatio(amount, ratio)).toBe(expected);
  });
  it('never exceeds the amount for ratios ≤ 100% and is monotone', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 10000 }), (amount, ratio) => {
        const paid = applyRatio(amount, ratio);
        expect(Number.isSafeInteger(paid)).toBe(true);
        expect(paid).toBeLessThanOrEqual(amount);
        expect(applyRatio(amount + 1, ratio)).toBeGreaterThanOrEqual(paid);
      }),
    );
  });
  it('refuses negative or fractional input', () => {
    expect(() => applyRatio(-1, 5000)).toThrow(RangeError);
    expect(() => applyRatio(1.5, 5000)).toThrow(RangeError);
  });
});

describe('applyRatios: several pieces, each at its ratio, rounded half up once', () => {
  it('rounds the exact sum once and shares it back by the largest fraction', () => {
    // 3 × 50% = 1.5 and 3 × 50% = 1.5: each alone would round to 2 (4 in all); once, 3.0 → 3.
    expect(
      applyRatios([
        { amount: 3, ratio: 5000 },
        { amount: 3, ratio: 5000 },
      ]),
    ).toEqual({ total: 3, shares: [2, 1] });
    // 2,000.03 元 × 75% = 1,500.0225 and 1,000.01 元 × 80% = 800.008: 2,300.0305 → 2,300.03.
    expect(
      applyRatios([
        { amount: 200003, ratio: 7500 },
        { amount: 100001, ratio: 8000 },
      ]),
    ).toEqual({ total: 230003, shares: [150002, 80001] });
    expect(applyRatios([])).toEqual({ total: 0, shares: [] });
  });

  it('is applyRatio for one piece and for pieces at one ratio; shares add up; never less for a higher ratio', () => {
    const piece = fc.record({ amount: fc.integer({ min: 0, max: 1e12 }), ratio: fc.integer({ min: 0, max: 10000 }) });
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 4 }),
        fc.nat({ max: 3 }),
        fc.integer({ min: 0, max: 10000 }),
        (pieces, index, raise) => {
          const { total, shares } = applyRatios(pieces);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          expect(applyRatios([pieces[0]!]).total).toBe(applyRatio(pieces[0]!.amount, pieces[0]!.ratio));
          const ratio = pieces[0]!.ratio;
          const sameRatio = pieces.map((p) => ({ ...p, ratio }));
          expect(applyRatios(sameRatio).total).toBe(
            applyRatio(
              sameRatio.reduce((sum, p) => sum + p.amount, 0),
              ratio,
            ),
          );
          const at = index % pieces.length;
          const higher = pieces.map((p, i) => (i === at ? { ...p, ratio: Math.min(10000, p.ratio + raise) } : p));
          expect(applyRatios(higher).total).toBeGreaterThanOrEqual(total);
        },
      ),
    );
  });
});
