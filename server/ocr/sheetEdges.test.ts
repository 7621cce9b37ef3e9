/**
 * The sheet's straight borders on drawn photos: a sheet in perspective on a striped grey desk, a soft
 * shadow over one corner (paper in the shade as dark as the lit desk), table rules inside the sheet.
 */
import sharp from 'sharp';
import type { Point, Quad } from '../../src/core/receipt/geometry';
import { borderSupport, logGrey, sheetByEdges } from './sheetEdges';

const W = 480;
const H = 360;
const SHEET: Quad = [
  [52, 40],
  [431, 58],
  [440, 312],
  [38, 298],
];

const points = (quad: readonly Point[]): string => quad.map(([x, y]) => `${x},${y}`).join(' ');

/** A drawn photo, blurred like the work copy perspective.ts looks at. */
async function photo(shadow: boolean): Promise<ReturnType<typeof logGrey>> {
  const stripes = Array.from({ length: 30 }, (_, k) => {
    const y = (k * 37) % H;
    return `<rect x="0" y="${y}" width="${W}" height="${2 + (k % 5) * 2}" fill="rgba(0,0,0,${0.05 + (k % 3) * 0.04})"/>`;
  }).join('');
  // Rules across the sheet and a box inside it: long straight dark lines with paper on both sides.
  const rules = [110, 150, 190, 230]
    .map((y) => `<line x1="80" y1="${y}" x2="410" y2="${y + 14}" stroke="#222" stroke-width="2"/>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
    <rect width="100%" height="100%" fill="rgb(92,92,98)"/>${stripes}
    <polygon points="${points(SHEET)}" fill="rgb(246,244,240)"/>${rules}
    <rect x="90" y="100" width="300" height="160" fill="none" stroke="#333" stroke-width="2"/></svg>`;
  // A soft shadow multiplies what it falls on: the shaded paper (~105) is as dark as the lit desk.
  const shade = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#fff"/>
    <polygon points="-40,-40 250,-40 160,400 -40,400" fill="rgb(110,110,120)"/></svg>`;
  const layers = shadow
    ? [{ input: await sharp(Buffer.from(shade)).blur(8).png().toBuffer(), blend: 'multiply' as const }]
    : [];
  const drawn = await sharp(Buffer.from(svg)).composite(layers).png().toBuffer();
  const { data, info } = await sharp(drawn).removeAlpha().blur(1.2).raw().toBuffer({ resolveWithObject: true });
  return logGrey(data, info.channels, info.width, info.height);
}

const offBy = (found: Quad, truth: Quad): number =>
  Math.max(...found.map(([x, y], i) => Math.hypot(x - (truth[i]?.[0] ?? 0), y - (truth[i]?.[1] ?? 0))));

describe("the sheet's straight borders", () => {
  it.each([false, true])('finds the corners within 1.5 px (shadow over a corner: %s)', async (shadow) => {
    const image = await photo(shadow);
    const found = sheetByEdges(image);
    expect(found).not.toBeNull();
    expect(offBy(found!.quad, SHEET)).toBeLessThan(1.5);
    expect(found!.support).toBeGreaterThan(0.9);
  });

  it("scores an outline by how much of it lies on the paper's edge", async () => {
    const image = await photo(true);
    expect(borderSupport(image, SHEET)).toBeGreaterThan(0.9);
    // Ten pixels out on every side: on the desk, no step.
    const out = SHEET.map(([x, y], i) => [x + (i === 1 || i === 2 ? 10 : -10), y + (i >= 2 ? 10 : -10)] as Point);
    expect(borderSupport(image, out as unknown as Quad)).toBeLessThan(0.2);
    // The box printed inside: dark lines with paper on both sides.
    const box: Quad = [
      [90, 100],
      [390, 100],
      [390, 260],
      [90, 260],
    ];
    expect(borderSupport(image, box)).toBeLessThan(0.2);
    // The right half of the sheet as if the shadow's edge were its left border: three sides of four.
    const half: Quad = [[240, 48], SHEET[1], SHEET[2], [240, 305]];
    expect(borderSupport(image, half)).toBeLessThan(0.8);
  });

  it('finds nothing on a desk without a sheet', async () => {
    const { data, info } = await sharp({ create: { width: W, height: H, channels: 3, background: '#5c5c62' } })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(sheetByEdges(logGrey(data, info.channels, info.width, info.height))).toBeNull();
  });
});
