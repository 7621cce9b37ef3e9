import { correctionText } from './lineCorrections';

describe('a line correction in words', () => {
  it('names the 医保类别 on both sides: a 甲类 → 乙类 change at the same amount is not read as no change (a walk)', () => {
    const line = { name: '化验费', amountFen: 34_371 };
    expect(correctionText({ index: 1, before: { ...line, category: 'A' }, after: { ...line, category: 'B' } })).toBe(
      '第 2 项：化验费 甲类 343.71 元 → 化验费 乙类 343.71 元',
    );
  });

  it('says a line added and a line removed', () => {
    const line = { name: '检查费', amountFen: 90_717, category: 'C' as const };
    expect(correctionText({ index: 0, before: null, after: line })).toBe(
      '第 1 项：（新增） → 检查费 丙类/自费 907.17 元',
    );
    expect(correctionText({ index: 2, before: line, after: null })).toBe(
      '第 3 项：检查费 丙类/自费 907.17 元 → （删除）',
    );
  });
});
