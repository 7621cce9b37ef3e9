import { correctionText, linesDisease } from './lineCorrections';

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

  it('says a 病种 corrected, by name where one is given, and only when it changed', () => {
    const line = { name: '西药费', amountFen: 86_000, category: 'A' as const };
    const names = (code: string): string =>
      ({ tumor: '恶性肿瘤门诊放化疗', diabetes: '糖尿病（慢特病）' })[code] ?? code;
    expect(correctionText({ index: 0, before: line, after: { ...line, disease: 'tumor' } }, names)).toBe(
      '第 1 项：西药费 甲类 860.00 元 → 西药费 甲类 860.00 元，病种 （按申请） → 恶性肿瘤门诊放化疗',
    );
    expect(
      correctionText({ index: 0, before: { ...line, disease: 'diabetes' }, after: { ...line, disease: 'tumor' } }),
    ).toBe('第 1 项：西药费 甲类 860.00 元 → 西药费 甲类 860.00 元，病种 diabetes → tumor');
    expect(
      correctionText({ index: 0, before: { ...line, disease: 'tumor' }, after: { ...line, disease: 'tumor' } }, names),
    ).toBe('第 1 项：西药费 甲类 860.00 元 → 西药费 甲类 860.00 元');
  });

  it('finds the one disease all lines name, and none where they name several or none', () => {
    expect(linesDisease([{ disease: 'tumor' }, { disease: 'tumor' }])).toBe('tumor');
    expect(linesDisease([{ disease: 'tumor' }, { disease: 'diabetes' }])).toBeNull();
    expect(linesDisease([{ disease: 'tumor' }, {}])).toBeNull();
    expect(linesDisease([{}, {}])).toBeNull();
  });
});
