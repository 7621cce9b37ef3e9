import { findAmounts, findDates, fixDigits, normaliseText, parseDate } from './text';

describe('receipt text helpers', () => {
  it('folds width, brackets, colons and spaces', () => {
    expect(normaliseText('票据号码： ００１２　３４（电子）')).toBe('票据号码:001234(电子)');
  });

  it('fixes digit look-alikes', () => {
    expect(fixDigits('1O5l2S')).toEqual({ text: '105125', corrected: true });
    expect(fixDigits('123')).toEqual({ text: '123', corrected: false });
  });

  it.each([
    ['2024年3月5日', '2024-03-05'],
    ['2024-03-05 10:22:33', '2024-03-05'],
    ['2024/3/5', '2024-03-05'],
    ['2024.03.05', '2024-03-05'],
    ['20240305', '2024-03-05'],
    ['2O24-O3-05', '2024-03-05'],
    ['2024-02-30', null],
    ['2023-02-29', null],
    ['2024-02-29', '2024-02-29'],
  ])('date %s → %s', (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });

  it('finds two dates of a stay', () => {
    expect(findDates('2024.01.02至2024.01.10').map((d) => d.iso)).toEqual(['2024-01-02', '2024-01-10']);
  });

  it.each([
    ['¥345.67', [34567]],
    ['1,234.56 元', [123456]],
    ['1O5.0O', [10500]],
    ['345,67', [34567]],
    ['西药费 12.00 检查费 8.50', [1200, 850]],
    ['2024.03.05', []],
    ['345', []],
    ['0012345678', []],
    // Grouped thousands with the comma read as a dot, or the decimal point lost under a seal: corrections.
    ['卫生材料费 2.911.85', [291185]],
    ['床位费 5,89319 手术费 1,422.49', [589319, 142249]],
    ['2026.10.14', []],
  ])('amounts in %s', (text, expected) => {
    expect(findAmounts(text).map((a) => a.fen)).toEqual(expected);
  });

  it('marks a grouped amount read with a wrong or lost separator as corrected', () => {
    expect(findAmounts('2.911.85')[0]).toMatchObject({ fen: 291185, corrected: true, index: 0, length: 8 });
    expect(findAmounts('1,422.49')[0]).toMatchObject({ corrected: false });
  });
});
