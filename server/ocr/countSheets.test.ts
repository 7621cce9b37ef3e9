/**
 * Sheets of paper apart on a photo (server/ocr/perspective.ts `countSheets`): two receipts in one photo were read as
 * one and the other's money never reached the claim, with nothing said (a test of unseen layouts). Measured there: 3
 * photos of two receipts counted 2, and 83 photos of one receipt (phone photos, clean renders filling the frame, fee
 * lists, e-bill screenshots, a blank page, a picture) counted 1.
 */
import sharp from 'sharp';
import { generateReceipt } from '../../test/receipts/generator';
import { readReceipt } from '../receipts/readReceipt';
import { countSheets } from './perspective';

jest.setTimeout(30_000);

/** Two receipts' papers side by side on a brown desk, as a person photographs them together. */
async function twoOnADesk(gap: number): Promise<Buffer> {
  const papers = await Promise.all(
    [21, 22].map(async (seed) =>
      sharp((await generateReceipt(seed, { layout: 'outpatient', qr: false })).image)
        .resize({ width: 900 })
        .toBuffer(),
    ),
  );
  const [a, b] = await Promise.all(papers.map((paper) => sharp(paper).metadata()));
  const height = Math.max(a!.height!, b!.height!) + 200;
  return sharp({ create: { width: 1800 + gap + 200, height, channels: 3, background: '#7a5230' } })
    .composite([
      { input: papers[0]!, left: 100, top: 100 },
      { input: papers[1]!, left: 100 + 900 + gap, top: 100 },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();
}

describe('countSheets', () => {
  it('counts two receipts on a desk as two, one as one', async () => {
    expect(await countSheets(await twoOnADesk(120))).toBe(2);
    expect(await countSheets((await generateReceipt(23, { layout: 'inpatient' })).image)).toBe(1);
  });

  it('counts one sheet cut in two by a thick ruled line as one (a clean render counted its halves), a blank page as one', async () => {
    const paper = await sharp({ create: { width: 1000, height: 700, channels: 3, background: '#fffef8' } })
      .composite([
        {
          input: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="700"><rect x="0" y="340" width="1000" height="14" fill="#111"/></svg>',
          ),
        },
      ])
      .png()
      .toBuffer();
    const onDesk = await sharp({ create: { width: 1400, height: 1100, channels: 3, background: '#7a5230' } })
      .composite([{ input: paper, left: 200, top: 200 }])
      .jpeg()
      .toBuffer();
    expect(await countSheets(onDesk)).toBe(1);
    const blank = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#fdfdf8' } })
      .jpeg()
      .toBuffer();
    expect(await countSheets(blank)).toBe(1);
  });

  it('the reading says how many sheets a photo of two has (the card and the 预审 then say only one was read)', async () => {
    const reading = await readReceipt(await twoOnADesk(150), { ocr: { recognise: async () => [] } });
    expect(reading.image.sheets).toBe(2);
    const one = await readReceipt((await generateReceipt(24, { layout: 'outpatient' })).image, {
      ocr: { recognise: async () => [] },
    });
    expect(one.image.sheets).toBeUndefined();
  });
});
