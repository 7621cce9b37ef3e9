import fc from 'fast-check';
import { fenToChineseUppercase, parseChineseAmount } from './chineseAmount';

const fen = (text: string): number | null => {
  const result = parseChineseAmount(text);
  return result.ok ? result.fen : null;
};

describe('parseChineseAmount', () => {
  it.each([
    ['叁佰肆拾伍元陆角柒分', 34567],
    ['壹拾元整', 1000],
    ['拾伍元整', 1500],
    ['壹仟零伍元整', 100500],
    ['壹万零贰佰零叁元零伍分', 1020305],
    ['伍角', 50],
    ['零元伍角陆分', 56],
    ['陆分', 6],
    ['贰佰元正', 20000],
    ['壹亿元整', 10000000000],
    ['叁万伍仟元整', 3500000],
    ['人民币壹佰贰拾叁圆肆角伍分', 12345],
    ['零元整', 0],
  ])('%s → %i fen', (text, expected) => {
    expect(fen(text)).toBe(expected);
  });

  it.each([
    ['参佰肆拾伍元陆角柒分', 34567],
    ['叁伯肆抬伍元陆角柒分', 34567],
    ['壹仟陸佰元整', 160000],
    ['三百四十五元六角七分', 34567],
    ['叁佰肆拾伍圆陆角柒分', 34567],
    ['玫拾元整', 9000],
  ])('tolerates OCR look-alikes and lower-case numerals: %s', (text, expected) => {
    const result = parseChineseAmount(text);
    expect(result.ok && result.fen).toBe(expected);
    expect(result.ok && result.corrected).toBe(true);
  });

  it.each(['', '叁佰伍元', '佰元整', '叁叁元', '叁佰肆拾伍元陆分角', '叁佰肆拾伍', '叁佰X元', '壹佰万万元'])(
    'refuses %j',
    (text) => {
      expect(parseChineseAmount(text).ok).toBe(false);
    },
  );
});

describe('fenToChineseUppercase', () => {
  it.each([
    [34567, '叁佰肆拾伍元陆角柒分'],
    [1000, '壹拾元整'],
    [100500, '壹仟零伍元整'],
    [1020305, '壹万零贰佰零叁元零伍分'],
    [50, '伍角'],
    [5, '伍分'],
    [0, '零元整'],
    [10000000000, '壹亿元整'],
    [1000001000, '壹仟万零壹拾元整'],
    [100100000, '壹佰万壹仟元整'],
    [100010000, '壹佰万零壹佰元整'],
    [10000000100, '壹亿零壹元整'],
  ])('%i → %s', (value, expected) => {
    expect(fenToChineseUppercase(value)).toBe(expected);
  });

  it('round-trips through the parser for every amount up to 1 亿元', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (value) => {
        expect(fen(fenToChineseUppercase(value))).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });
});
