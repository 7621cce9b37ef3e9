import { homography, isPlausibleQuad, type Point, project, quadFromOutline, quadSize } from './geometry';

/** The outline of a filled quadrilateral, as pixel centres on its border (what a mask's edge gives). */
function outlineOf(corners: Point[], step = 1): Point[] {
  const points: Point[] = [];
  for (let i = 0; i < 4; i += 1) {
    const [ax, ay] = corners[i]!;
    const [bx, by] = corners[(i + 1) % 4]!;
    const n = Math.ceil(Math.hypot(bx - ax, by - ay) / step);
    for (let k = 0; k < n; k += 1)
      points.push([Math.round(ax + ((bx - ax) * k) / n), Math.round(ay + ((by - ay) * k) / n)]);
  }
  return points;
}

describe('geometry', () => {
  it('maps four corners onto a rectangle and back', () => {
    const quad: Point[] = [
      [120, 80],
      [900, 130],
      [870, 640],
      [90, 600],
    ];
    const rect: Point[] = [
      [0, 0],
      [800, 0],
      [800, 500],
      [0, 500],
    ];
    const toRect = homography(quad, rect)!;
    const back = homography(rect, quad)!;
    quad.forEach((p, i) => {
      const [x, y] = project(toRect, p[0], p[1]);
      expect(x).toBeCloseTo(rect[i]![0], 6);
      expect(y).toBeCloseTo(rect[i]![1], 6);
    });
    const [x, y] = project(back, ...project(toRect, 400, 300));
    expect(x).toBeCloseTo(400, 6);
    expect(y).toBeCloseTo(300, 6);
    expect(
      homography(
        [
          [0, 0],
          [1, 1],
          [2, 2],
          [3, 3],
        ],
        rect,
      ),
    ).toBeNull();
  });

  it('finds the corners of a tilted sheet from its outline, even with a corner torn off', () => {
    const corners: Point[] = [
      [60, 50],
      [410, 80],
      [430, 330],
      [40, 300],
    ];
    const quad = quadFromOutline(outlineOf(corners))!;
    quad.forEach((p, i) => {
      expect(Math.hypot(p[0] - corners[i]![0], p[1] - corners[i]![1])).toBeLessThan(2);
    });
    // A torn corner: the bottom-right corner cut off diagonally; the sides' lines still meet there.
    const torn = outlineOf(corners).filter(([x, y]) => x + y < 430 + 330 - 40);
    torn.push(
      ...outlineOf(
        [
          [430 - 12, 330 - 28],
          [430 - 28, 330 - 12],
          [430 - 28, 330 - 12],
          [430 - 12, 330 - 28],
        ],
        1,
      ),
    );
    const fixed = quadFromOutline(torn)!;
    expect(Math.hypot(fixed[2][0] - 430, fixed[2][1] - 330)).toBeLessThan(6);
    expect(quadSize(quad).width).toBeGreaterThan(360);
  });

  it('refuses shapes that are not a sheet', () => {
    expect(
      isPlausibleQuad([
        [0, 0],
        [100, 0],
        [0, 100],
        [100, 100],
      ]),
    ).toBe(false);
    expect(
      isPlausibleQuad([
        [0, 0],
        [100, 0],
        [100, 100],
        [0, 100],
      ]),
    ).toBe(true);
    expect(
      quadFromOutline([
        [0, 0],
        [1, 1],
      ]),
    ).toBeNull();
  });
});
