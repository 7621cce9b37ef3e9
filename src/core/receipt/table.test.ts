import { crossCheck } from './crossCheck';
import { extractReceipt } from './extract';
import { extractedReceiptSchema, type OcrLine } from './schema';

/** A line with an axis-aligned box. */
const at = (text: string, x: number, y: number, w: number, h = 26, confidence = 0.98): OcrLine => ({
  text,
  box: [x, y, w, h],
  confidence,
});

const HEAD: OcrLine[] = [
  at('浙江省医疗住院收费票据（电子）', 500, 40, 600, 44),
  at('票据代码：33060121 票据号码：0012345678', 200, 120, 900),
  at('交款人：王小明 校验码：a1B2c3 开票日期：2026年7月21日', 200, 160, 1000),
];

/** A 费用明细 table as PaddleOCR returns it: every row one box, cells separated by spaces. */
const DETAIL_MERGED: OcrLine[] = [
  ...HEAD,
  at('序号 项目名称 医保类别 数量 单价 金额 自付比例', 70, 250, 1450),
  at('1 头孢呋辛钠注射液 乙 3 25.55 76.65 10%', 80, 294, 1430),
  at('2 床位费 甲 8 30.00 240.00 0%', 80, 338, 1430),
  at('3 人血白蛋白 丙 1 1,230.80 1,230.80 100%', 80, 382, 1430),
  at('4 雾化吸入 Z 7 1.27 8.89 596', 80, 426, 1430),
  at('金额合计（大写）壹仟伍佰伍拾陆元叁角肆分 （小写）¥1,556.34', 80, 490, 1300),
  at('收款单位（章）：杭州市第一人民医院', 80, 600, 500),
];

/** The same table with every cell in its own box (a sharper photo), one row's amount unreadable. */
const DETAIL_CELLS: OcrLine[] = [
  ...HEAD,
  at('项目名称', 200, 250, 100),
  at('数量', 830, 250, 50),
  at('单价', 1010, 250, 50),
  at('金额', 1230, 250, 50),
  at('静脉输液', 160, 294, 100),
  at('3', 880, 294, 14),
  at('12.50', 1080, 294, 60),
  at('37.50', 1300, 294, 60),
  at('血常规', 160, 338, 80),
  at('2', 880, 338, 14),
  at('20.00', 1080, 338, 60),
  at('40.50', 1300, 338, 60),
  at('心电图', 160, 382, 80),
  at('1', 880, 382, 14),
  at('25.00', 1080, 382, 60),
  at('###', 1300, 382, 60, 26, 0.3),
  at('合计（大写）壹佰零叁元整 （小写）103.00', 80, 450, 1000),
];

/** Two items side by side with 序号 and 类别, merged into row boxes; a speck under the table. */
const GRID: OcrLine[] = [
  ...HEAD,
  at('序号 项目名称 类别 金额（元） 序号 项目名称 类别 金额（元）', 70, 250, 1450),
  at('1 西药费 甲 120.00 2 检查费 乙 80.50', 80, 294, 1430),
  at('3 其他费丙 4.50 4 化验费 45.17', 80, 338, 1430),
  at('4', 1200, 360, 10, 10, 0.5),
  at('金额合计（大写）贰佰伍拾元壹角柒分 （小写）250.17', 80, 420, 1300),
];

const rows = (lines: OcrLine[]) =>
  extractReceipt(lines).items.map((i) => [
    i.name.value,
    i.amount?.value,
    i.quantity?.value,
    i.unitPrice?.value,
    i.category?.value,
    i.flag ?? null,
  ]);

describe('item tables by geometry', () => {
  it('reads a 费用明细 row by column: 数量 and 单价 are not amounts; 类别 甲/乙/丙, 自付比例 checked against it', () => {
    const result = extractReceipt(DETAIL_MERGED);
    expect(rows(DETAIL_MERGED)).toEqual([
      ['头孢呋辛钠注射液', 7665, 3, 2555, 'B', null],
      ['床位费', 24000, 8, 3000, 'A', null],
      ['人血白蛋白', 123080, 1, 123080, 'C', null],
      // 乙 read as Z, 5% read as 596: both corrections, so the row is looked at.
      ['雾化吸入', 889, 7, 127, 'B', null],
    ]);
    const fog = result.items[3]!;
    expect(fog.category).toMatchObject({ value: 'B', corrected: true });
    expect(fog.selfPayPercent).toMatchObject({ value: 5, corrected: true });
    expect(result.items[0]!.selfPayPercent?.value).toBe(10);
    const check = crossCheck(result);
    expect(check.checks.find((c) => c.id === 'itemsVsTotal')?.status).toBe('agree');
    expect(check.needsConfirmation).toContainEqual({
      field: 'items',
      reason: '部分收费项目的医保类别识别把握不大，请核对',
    });
    expect(() => extractedReceiptSchema.parse(result)).not.toThrow();
    // The amount's region is its share of the merged row box, right of the unit price.
    const amountBox = result.items[0]!.amount!.sources[0]!.box!;
    const unitBox = result.items[0]!.unitPrice!.sources[0]!.box!;
    expect(amountBox[0]).toBeGreaterThan(unitBox[0]);
  });

  it('cells in boxes of their own: 数量 × 单价 ≠ 金额 is flagged; an unreadable amount is computed and says so', () => {
    const result = extractReceipt(DETAIL_CELLS);
    expect(rows(DETAIL_CELLS)).toEqual([
      ['静脉输液', 3750, 3, 1250, undefined, null],
      ['血常规', 4050, 2, 2000, undefined, '数量 × 单价（40.00）与金额不一致'],
      ['心电图', 2500, 1, 2500, undefined, '有未能归入表格列的内容（###）；金额未能识别，已按数量 × 单价计算'],
    ]);
    expect(result.items[2]!.amount).toMatchObject({ corrected: true });
    expect(result.items[2]!.amount!.confidence).toBeLessThan(0.8);
    const reasons = crossCheck(result)
      .needsConfirmation.filter((c) => c.field === 'items')
      .map((c) => c.reason);
    expect(reasons[0]).toBe('第 2 项：数量 × 单价（40.00）与金额不一致，请核对');
  });

  it('reads a grid of two items per row with 序号 and 类别 (one glued to its name); a row without its category is flagged, a speck is no item', () => {
    expect(rows(GRID)).toEqual([
      ['西药费', 12000, undefined, undefined, 'A', null],
      ['检查费', 8050, undefined, undefined, 'B', null],
      ['其他费', 450, undefined, undefined, 'C', null],
      ['化验费', 4517, undefined, undefined, undefined, '医保类别未能识别'],
    ]);
  });

  it('measures rows and columns on the flattened sheet when the lines carry it (a photo at an angle slants the columns)', () => {
    // The photo: the sheet leans back, each row lower on the page is wider and further right than the
    // header; on the flattened sheet (flatBox) the columns line up again.
    const toPoints = ([x, y, w, h]: number[]): Array<[number, number]> => [
      [x!, y!],
      [x! + w!, y!],
      [x! + w!, y! + h!],
      [x!, y! + h!],
    ];
    const onPhoto = ([px, py]: [number, number]): [number, number] => {
      const k = 0.55 + (0.9 * (py - 250)) / 240;
      return [300 + px * k, py];
    };
    const leaning = DETAIL_MERGED.map((line) => {
      const flat = toPoints(line.box as number[]);
      return { ...line, box: flat.map(onPhoto), flatBox: flat };
    });
    expect(rows(leaning)).toEqual(rows(DETAIL_MERGED));
  });

  it('a lone 甲/乙/丙 is the category, not the end of the name, even where the row box runs wider than the header', () => {
    // As PaddleOCR read a generated 费用明细 photo (turned 5°): the 2 of 数量 was taken for a 乙 misread,
    // 890.21 for the 数量, and 丙 glued to the name.
    const lines: OcrLine[] = [
      ...HEAD,
      {
        text: '序号 项目名称 医保类别 数量 单价 金额',
        box: [
          [219, 462],
          [1226, 376],
          [1227, 408],
          [222, 495],
        ],
      },
      {
        text: '1 床位费 甲 13 28.26 367.38',
        box: [
          [239, 504],
          [1289, 410],
          [1292, 440],
          [240, 527],
        ],
      },
      {
        text: '8 营养餐费 丙 2 890.21 1780.42',
        box: [
          [261, 777],
          [1312, 686],
          [1315, 716],
          [264, 806],
        ],
      },
    ].map((line) => ({ ...line, confidence: 0.98 }) as OcrLine);
    expect(rows(lines)).toEqual([
      ['床位费', 36738, 13, 2826, 'A', null],
      ['营养餐费', 178042, 2, 89021, 'C', null],
    ]);
  });

  it('a seal over a line makes its value confirmed by the person, even when it reads well', () => {
    const sealed = DETAIL_MERGED.map((line) =>
      line.text.startsWith('收款单位') ? { ...line, underSeal: true, confidence: 0.7 } : line,
    );
    const result = extractReceipt(sealed);
    expect(result.fields.hospital).toMatchObject({ value: '杭州市第一人民医院', underSeal: true });
    expect(crossCheck(result).needsConfirmation).toContainEqual({
      field: 'hospital',
      reason: '印章压住了文字，请按票据核对',
    });
  });

  it('small print on the photo sends names to the person, not the figures', () => {
    const small = DETAIL_MERGED.map((line) => ({
      ...line,
      box: [...(line.box as number[]).slice(0, 3), 18] as [number, number, number, number],
    }));
    const result = extractReceipt(small);
    expect(result.fields.payer!.confidence).toBeLessThan(0.8);
    expect(result.items[0]!.name.confidence).toBeLessThan(0.8);
    expect(result.items[0]!.amount!.confidence).toBeGreaterThan(0.9);
    expect(crossCheck(result).needsConfirmation.map((c) => c.field)).toEqual(
      expect.arrayContaining(['payer', 'items']),
    );
  });
});
