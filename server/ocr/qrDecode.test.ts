/**
 * The QR reader on real photos: it finds the code, and while it searches a large photo the thread that answers
 * requests keeps turning (jsQR in a worker thread; on the main thread one 4000×3000 photo without a code held it ≈ 0.9 s).
 */
import QRCode from 'qrcode';
import sharp from 'sharp';
import { decodeQr, scanTurns } from './qrDecode';

const TEXT = '01,10,044031900111,12345678,3850.56,20260220,72615430981276354821,';

async function photo(withCode: boolean): Promise<Buffer> {
  const paper = sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      background: '#f4f1ea',
      noise: { type: 'gaussian', mean: 200, sigma: 30 },
    },
  });
  if (!withCode) return paper.jpeg({ quality: 85 }).toBuffer();
  const code = await QRCode.toBuffer(TEXT, { width: 400 });
  const noisy = await paper.png().toBuffer();
  return sharp(noisy)
    .composite([{ input: code, left: 800, top: 550 }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

describe('decodeQr', () => {
  // 4000×3000 with noise: at 2000×1500 the same code (random noise each run) was missed in 1 of 3 loaded runs.
  it('reads the code of a 4000×3000 photo', async () => {
    expect((await decodeQr(await photo(true)))?.text).toBe(TEXT);
  }, 60_000);

  it('finds no code where there is none, leaving the thread free while it searches (timers keep firing)', async () => {
    const image = await photo(false);
    let ticks = 0;
    let longestGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks += 1;
    }, 5);
    const started = performance.now();
    expect(await decodeQr(image)).toBeNull();
    const took = performance.now() - started;
    clearInterval(timer);
    // With jsQR on this thread, each scan held it: the longest gap between ticks was 1,334 ms in an 8.2 s search. In
    // the worker: 38 ms in 3.0 s (same machine, a CI run beside it).
    expect(took).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThan(10);
    // 700 ms: 434 ms was seen with two whole test suites running beside it on the 2 cores; on the thread, 1,334 ms.
    expect(longestGap).toBeLessThan(700);
  }, 60_000);

  it('puts each scan in its requester’s line (the turns themselves: fairQueue.test.ts)', async () => {
    const code = await QRCode.toBuffer('light', { width: 300 });
    const image = await sharp({ create: { width: 1000, height: 750, channels: 3, background: '#f4f1ea' } })
      .composite([{ input: code, left: 100, top: 100 }])
      .jpeg({ quality: 85 })
      .toBuffer();
    const lines = jest.spyOn(scanTurns, 'run');
    try {
      expect((await decodeQr(image, { requester: 'claimant-a' }))?.text).toBe('light');
      const blank = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#f4f1ea' } })
        .jpeg()
        .toBuffer();
      // No code: three attempts, three scans.
      expect(await decodeQr(blank, { requester: 'claimant-b' })).toBeNull();
      expect(lines.mock.calls.map(([requester]) => requester)).toEqual([
        'claimant-a',
        'claimant-b',
        'claimant-b',
        'claimant-b',
      ]);
    } finally {
      lines.mockRestore();
    }
  }, 60_000);
});
