import { extractReceipt } from './extract';
import { extractedReceiptSchema, type OcrLine } from './schema';

/** A line with an axis-aligned box. */
const at = (text: string, x: number, y: number, w = text.length * 22, h = 26, confidence = 0.98): OcrLine => ({
  text,
  box: [x, y, w, h],
  confidence,
});

/** Recorded from PaddleOCR (PP-OCRv4) on a generated outpatient receipt: merged lines, 参 for 叁. */
const RECORDED_PADDLE: OcrLine[] = [
  {
    confidence: 0.9986,
    text: '医疗门诊收费票据（电子）',
    box: [
      [312, 46],
      [773, 49],
      [773, 85],
      [312, 82],
    ],
  },
  {
    confidence: 0.9986,
    text: '票据代码：33060121票据号码：0012345678校验码：a1B2c3',
    box: [
      [70, 140],
      [732, 140],
      [732, 163],
      [70, 163],
    ],
  },
  {
    confidence: 0.9907,
    text: '合计（大写）参佰肆拾伍元陆角柒分（小写）345.67',
    box: [
      [70, 200],
      [627, 200],
      [627, 223],
      [70, 223],
    ],
  },
];

/** Outpatient receipt, every label and value in its own box (split lines), full-width punctuation, two item columns. */
const OUTPATIENT_SPLIT: OcrLine[] = [
  at('浙江省医疗门诊收费票据（电子）', 300, 40, 520, 40),
  at('票据代码：', 40, 110),
  at('33O6O121', 150, 112, 140),
  at('票据号码：', 420, 110),
  at('0012345678', 530, 111, 180),
  at('交款人：', 40, 160),
  at('王小明', 130, 161, 80),
  at('校验码：', 420, 160),
  at('a1B2c3', 510, 160, 100),
  at('开票日期：', 40, 210),
  at('2024年03月05日', 150, 210, 200),
  at('门诊号：', 420, 210),
  at('MZ2024030501', 510, 211, 200),
  at('项目名称', 40, 270),
  at('金额（元）', 300, 270),
  at('项目名称', 420, 270),
  at('金额（元）', 680, 270),
  at('西药费', 40, 310),
  at('120.00', 300, 311, 90),
  at('检查费', 420, 310),
  at('80.5O', 680, 310, 90),
  at('化验费', 40, 350),
  at('45.17', 300, 351, 90),
  at('诊察费', 420, 350),
  at('1OO.00', 680, 351, 90),
  at('合计（大写）', 40, 420),
  at('参佰肆拾伍元陆角柒分', 180, 420, 260),
  at('（小写）', 470, 420),
  at('￥345.67', 560, 421, 120),
  at('医保统筹支付：0.00', 40, 470, 250),
  at('个人自付：345.67', 420, 470, 250),
  at('收款单位（章）：', 40, 520, 200),
  at('杭州市第一人民医院', 240, 521, 250),
  at('收款人：李四', 560, 520, 150),
];

/** Inpatient receipt, no boxes, OCR merged the fields of a row into one line. */
const INPATIENT_MERGED: OcrLine[] = [
  { text: '医疗住院收费票据', confidence: 0.99 },
  { text: '票据代码:44010221 票据号码:0000098765 校验码:Qx7k2P', confidence: 0.97 },
  { text: '交款人:陈丽 住院号:ZY000123 开票日期:2024-01-12', confidence: 0.96 },
  { text: '住院时间:2024.01.02至2024.01.10', confidence: 0.95 },
  { text: '项目名称 金额 项目名称 金额', confidence: 0.99 },
  { text: '床位费 400.00 护理费 216.00', confidence: 0.95 },
  { text: '西药费 1,234.56 手术费 2000.00', confidence: 0.95 },
  { text: '合计(大写)叁仟捌佰伍拾元伍角陆分 (小写) 3850.56', confidence: 0.93 },
  { text: '收款单位:广州市红十字会医院', confidence: 0.97 },
];

describe('extractReceipt', () => {
  it('reads a recorded PaddleOCR result with merged lines and 参 for 叁', () => {
    const result = extractReceipt(RECORDED_PADDLE);
    expect(result.kind).toBe('outpatient');
    expect(result.fields.title?.value).toBe('医疗门诊收费票据(电子)');
    expect(result.fields.code?.value).toBe('33060121');
    expect(result.fields.number?.value).toBe('0012345678');
    expect(result.fields.checkCode?.value).toBe('a1B2c3');
    expect(result.fields.totalFigures?.value).toBe(34567);
    expect(result.fields.totalWords).toMatchObject({ value: 34567, corrected: true });
    expect(result.fields.totalWords!.confidence).toBeLessThan(result.fields.totalFigures!.confidence);
    // The value's region is narrowed within the merged line: the number sits in the middle of line 1.
    const box = result.fields.number!.sources[0]!.box!;
    expect(result.fields.number!.sources[0]!.line).toBe(1);
    expect(box[0]).toBeGreaterThan(250);
    expect(box[0] + box[2]).toBeLessThan(600);
    expect(() => extractedReceiptSchema.parse(result)).not.toThrow();
  });

  it('places a value of a row the OCR joined from pieces far apart on its own piece, not in proportion to the row (a walk: 深圳市中医院 outlined 250 px right of its words)', () => {
    const row = '收款单位（章）：深圳市中医院 复核人：赵敏 收款人：钱丽';
    const joined: OcrLine = {
      text: row,
      confidence: 0.98,
      box: [220, 1090, 1310, 40],
      // The three pieces as printed: the 收款单位 at the left, 复核人 and 收款人 at the right, wide gaps between.
      pieces: [
        { start: 0, end: 14, box: [220, 1090, 330, 40] },
        { start: 15, end: 21, box: [1150, 1100, 150, 36] },
        { start: 22, end: 28, box: [1380, 1104, 150, 36] },
      ],
    };
    const withPieces = extractReceipt([at('医疗门诊收费票据', 600, 100), joined]);
    const box = withPieces.fields.hospital!.sources[0]!.box!;
    expect(withPieces.fields.hospital!.value).toBe('深圳市中医院');
    // 深圳市中医院 is the last 6 of the piece's 14 characters (the colon and brackets narrower): its right part.
    expect(box[0]).toBeGreaterThan(220 + 330 * 0.5);
    expect(box[0] + box[2]).toBe(550);
    expect(box[1]).toBe(1090);
    // Without the pieces, in proportion to the whole row: the box lay on the gap.
    const { pieces: _unused, ...withoutPieces } = joined;
    const guessed = extractReceipt([at('医疗门诊收费票据', 600, 100), withoutPieces]).fields.hospital!.sources[0]!.box!;
    expect(guessed[0]).toBeGreaterThan(550);
    // Pieces that do not fit the text are not used.
    const misfit = extractReceipt([
      at('医疗门诊收费票据', 600, 100),
      { ...joined, pieces: [{ start: 0, end: 99, box: [220, 1090, 330, 40] }] },
    ]);
    expect(misfit.fields.hospital!.sources[0]!.box).toEqual(guessed);
  });

  it('reads split lines, full-width punctuation and 0/O confusions of an outpatient receipt', () => {
    const result = extractReceipt(OUTPATIENT_SPLIT);
    const f = result.fields;
    expect(result.kind).toBe('outpatient');
    expect(f.code).toMatchObject({ value: '33060121', corrected: true });
    expect(f.code!.confidence).toBeLessThan(0.9);
    expect(f.code!.sources).toEqual([{ line: 2, box: [150, 112, 140, 26] }]);
    expect(f.number?.value).toBe('0012345678');
    expect(f.payer?.value).toBe('王小明');
    expect(f.checkCode?.value).toBe('a1B2c3');
    expect(f.issueDate?.value).toBe('2024-03-05');
    expect(f.outpatientNo?.value).toBe('MZ2024030501');
    expect(f.hospital?.value).toBe('杭州市第一人民医院');
    expect(f.totalFigures?.value).toBe(34567);
    expect(f.totalWords?.value).toBe(34567);
    expect(result.items.map((i) => [i.name.value, i.amount?.value])).toEqual([
      ['西药费', 12000],
      ['检查费', 8050],
      ['化验费', 4517],
      ['诊察费', 10000],
    ]);
    expect(result.items[1]!.amount!.corrected).toBe(true);
  });

  it('reads merged lines of an inpatient receipt without boxes', () => {
    const result = extractReceipt(INPATIENT_MERGED);
    const f = result.fields;
    expect(result.kind).toBe('inpatient');
    expect(f.code?.value).toBe('44010221');
    expect(f.number?.value).toBe('0000098765');
    expect(f.checkCode?.value).toBe('Qx7k2P');
    expect(f.payer?.value).toBe('陈丽');
    expect(f.inpatientNo?.value).toBe('ZY000123');
    expect(f.issueDate?.value).toBe('2024-01-12');
    expect(f.admissionDate?.value).toBe('2024-01-02');
    expect(f.dischargeDate?.value).toBe('2024-01-10');
    expect(f.totalFigures?.value).toBe(385056);
    expect(f.totalWords?.value).toBe(385056);
    expect(f.hospital?.value).toBe('广州市红十字会医院');
    expect(result.items.map((i) => i.amount?.value)).toEqual([40000, 21600, 123456, 200000]);
    expect(f.payer!.sources).toEqual([{ line: 2 }]);
  });

  it('groups boxes of a photo turned by 4° into the right rows', () => {
    const angle = (4 * Math.PI) / 180;
    const turn = (line: OcrLine): OcrLine => {
      const [x, y, w, h] = line.box as [number, number, number, number];
      const corners: Array<[number, number]> = [
        [x, y],
        [x + w, y],
        [x + w, y + h],
        [x, y + h],
      ];
      return {
        ...line,
        box: corners.map(
          ([px, py]) =>
            [
              Math.round(px * Math.cos(angle) - py * Math.sin(angle) + 100),
              Math.round(px * Math.sin(angle) + py * Math.cos(angle)),
            ] as [number, number],
        ),
      };
    };
    const result = extractReceipt(OUTPATIENT_SPLIT.map(turn));
    expect(result.fields.number?.value).toBe('0012345678');
    expect(result.fields.issueDate?.value).toBe('2024-03-05');
    expect(result.fields.totalFigures?.value).toBe(34567);
    expect(result.items).toHaveLength(4);
  });

  it('ends the hospital at the 收款员 beside it (a 广东 layout read 广州市红十字会医院收款员陈芳)', () => {
    for (const clerk of ['收款员 陈芳', '收费员:陈芳', '操作员 0012']) {
      const result = extractReceipt([
        ...INPATIENT_MERGED.slice(0, -1),
        { text: `收款单位 广州市红十字会医院 ${clerk}`, confidence: 0.97 },
      ]);
      expect(result.fields.hospital?.value).toBe('广州市红十字会医院');
    }
  });

  it('reads a value printed on the row under its label', () => {
    const result = extractReceipt([
      { text: '门诊收费票据' },
      { text: '票据号码' },
      { text: '0012345678' },
      { text: '开票日期' },
      { text: '2024/3/5' },
    ]);
    expect(result.fields.number?.value).toBe('0012345678');
    expect(result.fields.number!.confidence).toBeLessThan(0.9);
    expect(result.fields.issueDate?.value).toBe('2024-03-05');
  });

  it('returns nothing of the wrong shape (never guesses)', () => {
    const result = extractReceipt([
      { text: '票据代码:3306012 票据号码:00123456789' },
      { text: '开票日期:2024-02-30' },
      { text: '校验码:a1B2' },
      { text: '合计(大写)叁佰伍元 (小写)345' },
    ]);
    expect(result.fields).toEqual({});
  });

  it('does not take a payer credit code, a payment line or a date for an item', () => {
    const result = extractReceipt([
      { text: '交款人统一社会信用代码:' },
      { text: '交款人:赵六' },
      { text: '项目名称 金额' },
      { text: '治疗费 30.00' },
      { text: '合计 30.00' },
      { text: '个人账户支付 10.00 个人现金支付 20.00' },
    ]);
    expect(result.fields.payer?.value).toBe('赵六');
    expect(result.items.map((i) => i.name.value)).toEqual(['治疗费']);
    expect(result.fields.totalFigures?.value).toBe(3000);
  });

  it('reads what the fund paid at the counter (医保统筹支付), never as an item or the total', () => {
    const settled = (line: string) =>
      extractReceipt([
        { text: '交款人:赵六' },
        { text: '项目名称 金额' },
        { text: '治疗费 1,000.00' },
        { text: '合计 1,000.00' },
        { text: line },
      ]);
    for (const [line, fen] of [
      ['医保统筹支付:850.00 个人账户支付:0.00 个人现金支付:150.00', 85_000],
      ['统筹基金支付 ¥850.00 个人自付 150.00', 85_000],
      ['医保统筹基金支付:0.00 个人现金支付:1000.00', 0],
    ] as const) {
      const result = settled(line);
      expect(result.fields.fundPaid?.value).toBe(fen);
      expect(result.fields.totalFigures?.value).toBe(100_000);
      expect(result.items.map((i) => i.name.value)).toEqual(['治疗费']);
    }
    expect(settled('个人现金支付:1000.00').fields.fundPaid).toBeUndefined();
  });

  it('finds a 大写 total and a hospital without their labels, with lower confidence', () => {
    const result = extractReceipt([
      { text: '门诊收费收据' },
      { text: '某县中医医院' },
      { text: '人民币 壹佰元整' },
      { text: '小写:100.00' },
    ]);
    expect(result.fields.totalWords?.value).toBe(10000);
    expect(result.fields.totalWords!.confidence).toBeLessThan(0.8);
    expect(result.fields.hospital?.value).toBe('某县中医医院');
    expect(result.fields.hospital!.confidence).toBeLessThan(0.8);
  });

  it('reads a 小写 whose ¥ the OCR took for a question mark (recorded on an invoice photo)', () => {
    const result = extractReceipt([{ text: '价税合计（大写）伍佰伍拾叁元伍角捌分 （小写）?553.58', confidence: 0.95 }]);
    expect(result.fields.totalFigures?.value).toBe(55358);
    expect(result.fields.totalWords?.value).toBe(55358);
  });

  it('keeps the lines aligned with the input for the reviewer', () => {
    const result = extractReceipt([{ text: '  ' }, { text: '票据号码：００１２３４５６７８', confidence: 0.5 }]);
    expect(result.lines).toEqual([
      { text: '', confidence: 0.9 },
      { text: '票据号码:0012345678', confidence: 0.5 },
    ]);
    expect(result.fields.number).toMatchObject({ value: '0012345678', confidence: 0.5, sources: [{ line: 1 }] });
  });

  it("lowers a value holding one doubtful character, not its neighbours on the line (the OCR's own per-character confidence)", () => {
    // Recorded: 校验码 xsiess read as xstess at 0.93 for the line; the t alone was doubtful.
    const text = '交款人：赵洋 校验码：xstess 开票日期：2026-09-19';
    const charConfidence = [...text].map((ch, i) => (i === text.indexOf('xstess') + 2 ? 0.41 : 0.97));
    const result = extractReceipt([{ text, confidence: 0.93, charConfidence }]);
    expect(result.fields.checkCode).toMatchObject({ value: 'xstess' });
    expect(result.fields.checkCode!.confidence).toBeLessThan(0.8);
    expect(result.fields.payer!.confidence).toBeGreaterThan(0.9);
    expect(result.fields.issueDate!.confidence).toBeGreaterThan(0.9);
  });
});
