import { freshRandomBytes } from './randomPool';

describe('freshRandomBytes', () => {
  it('hands out each byte once: 2,000 IVs across several pool refills are all distinct and keep their value', () => {
    const ivs = Array.from({ length: 2000 }, () => freshRandomBytes(12));
    const texts = ivs.map((iv) => iv.toString('hex'));
    expect(new Set(texts).size).toBe(2000);
    // A refill replaces the buffer instead of overwriting it: the views handed out earlier do not change.
    expect(ivs.map((iv) => iv.toString('hex'))).toEqual(texts);
    expect(ivs.every((iv) => iv.length === 12)).toBe(true);
  });

  it('spreads its bytes over all values (not a zero-filled or constant pool)', () => {
    const counts = new Array<number>(256).fill(0);
    for (let index = 0; index < 4096; index += 1) for (const byte of freshRandomBytes(16)) counts[byte]! += 1;
    // 65,536 bytes: each value expected 256 times; a constant or zeroed source puts them all in one bucket.
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(Math.max(...counts)).toBeLessThan(380);
  });

  it('refuses lengths it cannot give from one pool', () => {
    expect(() => freshRandomBytes(0)).toThrow(RangeError);
    expect(() => freshRandomBytes(4097)).toThrow(RangeError);
    expect(() => freshRandomBytes(1.5)).toThrow(RangeError);
  });
});
