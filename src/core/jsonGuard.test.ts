import { forbiddenKeyReason, jsonObjectProblem } from './jsonGuard';

const limits = { maxDepth: 3, maxChars: 200 };

describe('jsonObjectProblem', () => {
  it('accepts plain JSON up to the depth limit exactly', () => {
    expect(jsonObjectProblem({ a: { b: [1, 'x', true, null] } }, limits)).toBeNull();
    expect(jsonObjectProblem({ a: { b: [[1]] } }, limits)).toMatchObject({ kind: 'depth', path: ['a', 'b', 0] });
  });

  it('measures a million levels in one loop (no recursion, no stack overflow)', () => {
    let value: unknown = {};
    for (let level = 0; level < 1_000_000; level += 1) value = { a: value };
    const started = Date.now();
    expect(jsonObjectProblem(value, limits)?.kind).toBe('depth');
    expect(Date.now() - started).toBeLessThan(100);
  });

  it.each([
    ['not an object', [1, 2], 'notObject'],
    ['null', null, 'notObject'],
    ['a string', 'x', 'notObject'],
    ['NaN', { a: Number.NaN }, 'value'],
    ['Infinity', { a: Number.POSITIVE_INFINITY }, 'value'],
    ['a Date', { a: new Date(0) }, 'value'],
    ['a Map', { a: new Map() }, 'value'],
    ['a function', { a: () => 1 }, 'value'],
    ['a bigint', { a: 1n }, 'value'],
    ['undefined', { a: undefined }, 'value'],
    ['too long', { a: 'x'.repeat(300) }, 'size'],
    ['too many small values', { a: Array.from({ length: 100 }, () => 1) }, 'size'],
  ])('refuses %s', (_name, value, kind) => {
    expect(jsonObjectProblem(value, limits)?.kind).toBe(kind);
  });

  it.each([['$where'], ['$gt'], ['a.b'], ['__proto__'], ['constructor'], ['prototype'], ['']])(
    'refuses the key %j anywhere',
    (key) => {
      expect(forbiddenKeyReason(key)).toMatch(/[\u4e00-\u9fff]/);
      expect(
        jsonObjectProblem(JSON.parse(`{"ok":{"list":[{${JSON.stringify(key)}:1}]}}`) as unknown, {
          maxDepth: 9,
          maxChars: 1000,
        }),
      ).toMatchObject({ kind: 'key', path: ['ok', 'list', 0, key] });
    },
  );

  it('allows ordinary keys, including Chinese and dashes', () => {
    expect(jsonObjectProblem({ 医院: 1, 'line-item_2': 2, a$: 3 }, limits)).toBeNull();
  });
});
