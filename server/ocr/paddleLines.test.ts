import { cropOf, type Piece, type RgbImage, rowsOf, shareOut, splitStack } from './paddleLines';

const piece = (text: string, x: number, y: number, w: number, h: number, mean = 0.9): Piece => ({
  text,
  mean,
  box: [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
  ],
});

describe('rowsOf: pieces to rows, as the OCR library returns them', () => {
  it("keeps each character's confidence through the join (the joining space counts as sure)", () => {
    const rows = rowsOf([
      { ...piece('校验码:ab', 10, 100, 200, 30), chars: [1, 1, 1, 1, 0.9, 0.4] },
      piece('开票', 300, 100, 80, 30, 0.8),
    ]);
    expect(rows[0]!.text).toBe('校验码:ab 开票');
    expect(rows[0]!.chars).toEqual([1, 1, 1, 1, 0.9, 0.4, 1, 0.8, 0.8]);
  });

  it('joins the pieces of a row left to right, rows top to bottom, and drops weak pieces', () => {
    const pieces = [
      piece('合计', 10, 200, 80, 30),
      piece('128.50', 300, 204, 120, 30),
      piece('门诊收费票据', 100, 20, 400, 40),
      piece('噪音', 600, 100, 40, 20, 0.3),
      piece('交款人：张三', 10, 100, 200, 30),
    ];
    const rows = rowsOf(pieces);
    expect(rows.map((row) => row.text)).toEqual(['门诊收费票据', '交款人：张三', '合计 128.50']);
    // A row's box runs from its first piece's left corners to its last piece's right ones.
    expect(rows[2]!.box).toEqual([
      [10, 200],
      [420, 204],
      [420, 234],
      [10, 230],
    ]);
    expect(rows[2]!.mean).toBeCloseTo(0.9);
    // Where each piece of a joined row lies (its characters and box); a row of one piece needs none.
    expect(rows[2]!.pieces).toEqual([
      { start: 0, end: 2, box: pieces[0]!.box },
      { start: 3, end: 9, box: pieces[1]!.box },
    ]);
    expect(rows[0]!.pieces).toBeUndefined();
  });

  it('keeps a weak single character (乙 is often read as Z at 0.3) with its own low confidence, out of the row mean', () => {
    const rows = rowsOf([
      piece('3 西药费', 10, 100, 200, 30, 0.95),
      piece('Z', 300, 100, 30, 30, 0.28),
      piece('411.76', 400, 100, 100, 30, 0.95),
      piece('·', 600, 100, 10, 30, 0.1),
    ]);
    expect(rows.map((row) => row.text)).toEqual(['3 西药费 Z 411.76']);
    expect(rows[0]!.mean).toBeCloseTo(0.95);
    expect(rows[0]!.chars?.[6]).toBeCloseTo(0.28);
  });

  it("groups in the library's order: last detected first (the first piece of a row sets its midline)", () => {
    // Three pieces drifting down: b is within half a height of a and of c, a and c are not.
    const a = piece('a', 0, 0, 50, 20);
    const b = piece('b', 60, 8, 50, 20);
    const c = piece('c', 120, 16, 50, 20);
    expect(rowsOf([a, b, c]).map((row) => row.text)).toEqual(['a', 'b c']);
    expect(rowsOf([c, b, a]).map((row) => row.text)).toEqual(['a b', 'c']);
  });

  it('returns nothing for nothing', () => {
    expect(rowsOf([])).toEqual([]);
    expect(rowsOf([piece('', 0, 0, 10, 10, 0)])).toEqual([]);
  });
});

describe('shareOut: crops over the recognition workers', () => {
  it('gives each worker about the same width, every crop once', () => {
    const widths = [900, 120, 400, 380, 60, 60, 700, 250];
    const shares = shareOut(widths, 2);
    expect(shares.flat().sort((a, b) => a - b)).toEqual(widths.map((_, i) => i));
    const total = shares.map((share) => share.reduce((sum, i) => sum + widths[i]!, 0));
    expect(Math.abs(total[0]! - total[1]!)).toBeLessThan(200);
  });

  it('one worker takes everything; more workers than crops leave some idle', () => {
    expect(shareOut([10, 20], 1)).toEqual([[1, 0]]);
    expect(shareOut([10], 3).filter((share) => share.length > 0)).toEqual([[0]]);
  });
});

describe('splitStack: cells of a column stacked in one tall box', () => {
  /** White paper with dark blocks (x, y, w, h) as glyphs. */
  const page = (blocks: Array<[number, number, number, number]>, width = 80, height = 240): RgbImage => {
    const data = new Uint8Array(width * height * 3).fill(240);
    for (const [bx, by, bw, bh] of blocks)
      for (let y = by; y < by + bh; y += 1) data.fill(30, (y * width + bx) * 3, (y * width + bx + bw) * 3);
    return { data, width, height };
  };
  /** An upright box's four corners (top-left, top-right, bottom-right, bottom-left). */
  const upright = (x0: number, y0: number, x1: number, y1: number): Array<[number, number]> => [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
  const tall = upright(20, 10, 60, 190);

  it('cuts at the blank rows between cells, keeps the gaps inside a character, leaves specks out', () => {
    // Three cells 30 px high, 12 px apart; the middle one two strokes 4 px apart (like 二); a speck.
    const image = page([
      [25, 15, 30, 30],
      [25, 57, 30, 12],
      [25, 73, 30, 14],
      [25, 99, 30, 30],
      [40, 150, 3, 3],
    ]);
    const cells = splitStack(image, tall);
    expect(cells).toHaveLength(3);
    expect(cells!.map((cell) => [cell[0]![1], cell[2]![1]])).toEqual([
      [10, 51],
      [51, 93],
      [93, 190],
    ]);
    const crop = cropOf(image, cells![1]!);
    expect([crop.width, crop.height]).toEqual([40, 42]);
    expect(crop.data[(10 * 40 + 10) * 3]).toBe(30); // a stroke of the middle cell
  });

  it('leaves a box lying down, a single cell and a blank box as they are', () => {
    const wide = upright(10, 10, 200, 40);
    expect(splitStack(page([[20, 15, 100, 20]], 240, 60), wide)).toBeNull();
    expect(splitStack(page([[25, 40, 30, 30]]), tall)).toBeNull();
    expect(splitStack(page([]), tall)).toBeNull();
  });
});
