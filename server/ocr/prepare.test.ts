/**
 * The preparation steps on real generated photos, without the OCR model: the sheet's corners on a
 * desk in perspective, the light evened out, a red seal found and its ink removed.
 */
import sharp from 'sharp';
import { generateExtendedReceipt, specOf } from '../../test/receipts/varieties';
import { normaliseLight } from './light';
import { prepareImage } from './paddle';
import { findSheet } from './perspective';
import { sealCover, suppressSeals } from './seal';

jest.setTimeout(60_000);

describe('preparing a receipt photo', () => {
  it('finds the sheet on a desk photographed at an angle and warps it flat', async () => {
    const receipt = await generateExtendedReceipt(7, { photo: { ...specOf(7).photo, shadow: true } });
    expect(receipt.kinds).toEqual(expect.arrayContaining(['perspective', 'shadow']));
    const sheet = await findSheet(receipt.image);
    expect(sheet).not.toBeNull();
    const prepared = await prepareImage(receipt.image);
    expect(prepared.flattened).toBe(true);
    // Paper proportions come back (1600 wide; the sheet is 1000–1300 high), not the photo's 4:3.
    expect(prepared.width / prepared.height).toBeGreaterThan(1.2);
    // A point of the flat sheet maps into the photo, inside the sheet's corners.
    const [x, y] = prepared.toOriginal(prepared.width / 2, prepared.height / 2);
    expect(x).toBeGreaterThan(0.3 * receipt.width);
    expect(x).toBeLessThan(0.7 * receipt.width);
    expect(y).toBeGreaterThan(0.25 * receipt.height);
    expect(Object.keys(prepared.steps ?? {})).toEqual(expect.arrayContaining(['perspective', 'light', 'seal']));
    // Raw RGB at the OCR size, handed to the OCR workers as it is (no PNG in between).
    expect(prepared.data.length).toBe(prepared.width * prepared.height * 3);
  });

  it('takes the sheet whole when a shadow falls across it (not only its lit part)', async () => {
    // A soft shadow (a hand, a phone) across a sheet on a plain table: the lit part alone is a fine
    // quadrilateral too, and was taken for the sheet (a third of the receipt read).
    const receipt = await generateExtendedReceipt(73);
    expect(receipt.kinds).toContain('shadow');
    const prepared = await prepareImage(receipt.image);
    expect(prepared.flattened).toBe(true);
    expect(prepared.width / prepared.height).toBeGreaterThan(1.2);
    const [left] = prepared.toOriginal(0, prepared.height / 2);
    const [right] = prepared.toOriginal(prepared.width, prepared.height / 2);
    expect(right - left).toBeGreaterThan(0.6 * receipt.width);
  });

  it.each([28, 34])(
    'finds the corners of a sheet on a grey wooden desk under a shadow (receipt %i): the region leaks, the borders do not',
    async (seed) => {
      // A grey desk (colourless, like the paper in the shade) and a shadow over a corner of the sheet:
      // the region grown across soft steps ran out over the desk and the warp took in half the desk.
      const receipt = await generateExtendedReceipt(seed, { misprintFigures: seed % 10 === 0 });
      expect(receipt.kinds).toEqual(expect.arrayContaining(['perspective', 'shadow']));
      const sheet = await findSheet(receipt.image);
      expect(sheet).not.toBeNull();
      // Within 1 % of the photo's width (~19 px; the work copy is 480 px, a pixel there is ~4 here).
      const limit = 0.01 * receipt.width;
      sheet!.quad.forEach(([x, y], i) => {
        const [tx, ty] = receipt.corners[i]!;
        expect(Math.hypot(x - tx, y - ty)).toBeLessThan(limit);
      });
    },
  );

  it('leaves a photo without a sheet to stand out (paper filling the frame) to the deskew path', async () => {
    const plain = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#f4f2ee' } })
      .jpeg()
      .toBuffer();
    expect(await findSheet(plain)).toBeNull();
    const prepared = await prepareImage(plain);
    expect(prepared.flattened).toBe(false);
  });

  it('evens out a dim, shaded page: paper comes out light on both sides', async () => {
    const width = 400;
    const height = 200;
    const data = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const paper = 60 + (140 * x) / width; // dark on the left, lit on the right
        const ink = y % 40 < 4 && x % 50 < 30; // short printed strokes
        for (let c = 0; c < 3; c += 1) data[(y * width + x) * 3 + c] = Math.round(ink ? paper * 0.2 : paper);
      }
    }
    const { data: out, paperLevel } = await normaliseLight(data, width, height);
    const at = (x: number, y: number): number => out[(y * width + x) * 3] ?? 0;
    expect(paperLevel).toBeLessThan(150);
    expect(Math.abs(at(20, 20) - at(380, 20))).toBeLessThan(25);
    expect(at(20, 20)).toBeGreaterThan(200);
    expect(at(10, 1)).toBeLessThan(100); // ink stays dark
  });

  it('finds a red seal, removes its ink and keeps the black print under it', async () => {
    const width = 600;
    const height = 300;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fbfaf6"/>
      <rect x="100" y="140" width="300" height="24" fill="#111"/>
      <text x="300" y="60" font-size="40" fill="#8b1a1a" text-anchor="middle">TITLE TITLE TITLE</text>
      <circle cx="250" cy="150" r="80" fill="none" stroke="rgb(215,38,48)" stroke-width="8" opacity="0.9"/>
      <circle cx="250" cy="150" r="20" fill="rgb(215,38,48)"/></svg>`;
    const { data } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const seals = suppressSeals(data, width, height);
    expect(seals).toHaveLength(1);
    expect(sealCover([100, 140, 300, 24], seals)).toBeGreaterThan(0.3);
    expect(sealCover([20, 20, 40, 20], seals)).toBe(0);
    const px = (x: number, y: number): number[] => [...data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];
    const ring = px(250, 70);
    expect(Math.min(...ring)).toBeGreaterThan(180); // the red ring is paper now
    expect(Math.max(...px(150, 150))).toBeLessThan(60); // the black bar is still black
  });
});
