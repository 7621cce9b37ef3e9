/**
 * End to end on real pixels: generated receipts (one per layout, degraded like phone photos) →
 * sharp → jsQR + PaddleOCR → extraction → cross-checks. Slow by nature (model load ≈ 2 s, ≈ 1 s
 * a receipt on 2 cores); kept to six receipts (three classic, two of issue 16's, one for issue 13's
 * detection on a smaller copy).
 */
import sharp from 'sharp';
import { DET_LONG_SIDE, prepareImage, sharedPaddle } from '../../server/ocr/paddle';
import { readReceipt } from '../../server/receipts/readReceipt';
import { generateReceipt, type Layout } from './generator';
import { scoreReading } from './score';
import { generateExtendedReceipt } from './varieties';

jest.setTimeout(60_000);

afterAll(async () => {
  await sharedPaddle().close();
});

describe('receipt photos read end to end', () => {
  it('generates the same bytes from the same seed', async () => {
    const a = await generateReceipt(5, { layout: 'outpatient' });
    const b = await generateReceipt(5, { layout: 'outpatient' });
    expect(a.image.equals(b.image)).toBe(true);
    expect(a.degradation).toEqual(b.degradation);
    expect(Math.abs(a.degradation!.rotation)).toBeLessThanOrEqual(5);
  });

  it.each<[Layout, number]>([
    ['outpatient', 11],
    ['inpatient', 12],
    ['invoice', 13],
  ])('%s receipt (seed %i): fields read, QR decoded, total exact', async (layout, seed) => {
    const receipt = await generateReceipt(seed, { layout, qr: true });
    const result = await readReceipt(receipt.image, { ocr: sharedPaddle() });
    const score = scoreReading(receipt.truth, result);
    const wrong = score.fields.filter((f) => !f.exact);
    // A phone photo may cost a character here and there; the total never goes through wrong.
    expect(wrong.length).toBeLessThanOrEqual(1);
    expect(score.totalExact || score.totalFlagged).toBe(true);
    expect(result.extracted.fields.code?.value).toBe(receipt.truth.code);
    expect(result.extracted.fields.number?.value).toBe(receipt.truth.number);
    expect(result.qr?.raw).toBe(receipt.truth.qr);
    expect(result.crossCheck.checks.find((c) => c.id === 'qrAmount')?.status).toBe('agree');
    expect(result.identity?.key).toBe(`cn:${receipt.truth.code}:${receipt.truth.number}`);
    // Every field says where it came from, in the photo's pixels.
    for (const field of Object.values(result.extracted.fields)) {
      expect(field.sources.length).toBeGreaterThan(0);
      const box = field.sources[0]!.box!;
      expect(box[0]).toBeGreaterThanOrEqual(0);
      expect(box[0] + box[2]).toBeLessThanOrEqual(receipt.width + 2);
    }
  });

  it('a 费用明细 table on a desk at an angle, seal over the total, small low-quality JPEG: items by column, nothing wrong unflagged', async () => {
    const receipt = await generateExtendedReceipt(1);
    expect(receipt.kinds).toEqual(expect.arrayContaining(['detail', 'seal:total', 'perspective', 'lowres']));
    const result = await readReceipt(receipt.image, { ocr: sharedPaddle() });
    const score = scoreReading(receipt.truth, result);
    expect([...score.fields, ...score.items].filter((f) => f.silent)).toEqual([]);
    expect(score.totalExact || score.totalFlagged).toBe(true);
    // Every row read with its 数量, 单价 and 金额 (the amount, not the unit price), and a category from 自付比例.
    expect(result.extracted.items).toHaveLength(receipt.truth.items.length);
    result.extracted.items.forEach((item, i) => {
      const truth = receipt.truth.items[i]!;
      expect([item.amount?.value, item.quantity?.value, item.unitPrice?.value]).toEqual([
        truth.fen,
        truth.quantity,
        truth.unitPriceFen,
      ]);
      expect(item.category?.value).toBeDefined();
    });
    expect(result.crossCheck.checks.find((c) => c.id === 'itemsVsTotal')?.status).toBe('agree');
  }, 120_000);

  it('a two-column grid whose 类别 cells the detector stacked into one box standing on end: each row gets its own', async () => {
    // Receipt 33: 乙/甲/乙/甲 one under the other in the left 类别 column came out as one tall box read
    // "乙甲乙甲", a row of its own, and the four items had no category.
    const receipt = await generateExtendedReceipt(33);
    expect(receipt.kinds).toEqual(expect.arrayContaining(['grid', 'class:category']));
    const result = await readReceipt(receipt.image, { ocr: sharedPaddle() });
    const score = scoreReading(receipt.truth, result);
    expect(score.items.filter((item) => !item.exact)).toEqual([]);
    expect([...score.fields, ...score.items].filter((f) => f.silent)).toEqual([]);
  }, 120_000);

  it('flags a 小写 that disagrees with the 大写 on the photo', async () => {
    const receipt = await generateReceipt(14, { layout: 'outpatient', misprintFigures: true, qr: false });
    const result = await readReceipt(receipt.image, { ocr: sharedPaddle() });
    expect(result.crossCheck.checks.find((c) => c.id === 'wordsVsFigures')?.status).toBe('disagree');
    expect(result.crossCheck.needsConfirmation.map((c) => c.field)).toEqual(
      expect.arrayContaining(['totalFigures', 'totalWords']),
    );
  });

  it('detects text on a copy of at most 1024 px and reads the lines from the 1600 px image (issue 13)', async () => {
    const receipt = await generateReceipt(11, { layout: 'outpatient' });
    const prepared = await prepareImage(receipt.image);
    expect(prepared.width).toBe(1600);
    expect(DET_LONG_SIDE).toBe(1024);
    const timings: Record<string, number> = {};
    const pieces = await sharedPaddle().pieces(prepared, timings);
    expect(timings.lines).toBe(pieces.length);
    expect(pieces.filter((piece) => piece.text !== '').length).toBeGreaterThan(20);
    // Boxes in the pixels of the 1600 px image the crops were cut from, not of the 1024 px copy.
    const xs = pieces.flatMap((piece) => piece.box.map(([x]) => x));
    expect(Math.max(...xs)).toBeGreaterThan(1200);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1600);
  });

  it.each([180, 90])(
    'reads a receipt photographed turned %i° with no EXIF to say so: turned back, its values marked on the photo as stored',
    async (turn) => {
      const receipt = await generateReceipt(15, { layout: 'outpatient', qr: false });
      const turned = await sharp(receipt.image).rotate(turn).jpeg({ quality: 90 }).toBuffer();
      const result = await readReceipt(turned, { ocr: sharedPaddle() });
      expect(result.image.turnedBy).toBe(turn === 90 ? 270 : 180);
      const score = scoreReading(receipt.truth, result);
      expect(score.totalExact || score.totalFlagged).toBe(true);
      expect(result.extracted.fields.number?.value).toBe(receipt.truth.number);
      // Regions on the photo as stored (turned): inside it.
      const { width, height } = result.image;
      for (const field of Object.values(result.extracted.fields)) {
        const [x, y, w, h] = field.sources[0]!.box!;
        expect(x).toBeGreaterThanOrEqual(-2);
        expect(y).toBeGreaterThanOrEqual(-2);
        expect(x + w).toBeLessThanOrEqual(width + 2);
        expect(y + h).toBeLessThanOrEqual(height + 2);
      }
    },
  );

  it('turns nothing with no text on it (a blank page is not read four times)', async () => {
    const blank = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#fdfdf8' } })
      .jpeg()
      .toBuffer();
    let reads = 0;
    const counting = { recognise: (image: Buffer) => ((reads += 1), sharedPaddle().recognise(image)) };
    const result = await readReceipt(blank, { ocr: counting });
    expect(reads).toBe(1);
    expect(result.image.turnedBy).toBeUndefined();
  });

  it('refuses what is not an image', async () => {
    await expect(readReceipt(Buffer.from('%PDF-1.4 not a photo'), { ocr: sharedPaddle() })).rejects.toMatchObject({
      code: 'RECEIPT_NOT_IMAGE',
    });
  });
});
