/**
 * QR codes on receipt photos (server side; the app tries on the device first). jsQR on RGBA pixels
 * decoded by sharp, in a few attempts: small first (fast; a large QR decodes best there), then
 * larger and slightly blurred — phone-photo noise breaks jsQR's binariser, and a light blur restores
 * the finder patterns (measured on 30 generated photos: 21 read at 1000 px, 26 at 1600 px blurred,
 * 28 with the three attempts). The first successful read wins.
 */
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { FairQueue } from './fairQueue';

/** What jsQR answers, as far as this module reads it. */
interface JsQrFound {
  data: string;
  location: Record<
    'topLeftCorner' | 'topRightCorner' | 'bottomRightCorner' | 'bottomLeftCorner',
    { x: number; y: number }
  >;
}

/**
 * jsQR runs in a worker thread: it is synchronous JavaScript, and on a 4000×3000 photo with no QR code four reads at
 * once held the server's thread for up to 3.6 s (one read ≈ 0.9 s) — no other request was answered meanwhile. sharp's
 * decoding already runs off the thread. The worker requires jsQR by the path resolved here, so it loads the same
 * package under tsx, Jest and the bundled server; it holds the process open only while a read is waiting.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const jsQR = require(workerData.jsqr);
parentPort.on('message', ({ id, data, width, height }) => {
  try {
    const found = jsQR(new Uint8ClampedArray(data), width, height, { inversionAttempts: 'dontInvert' });
    parentPort.postMessage({ id, found: found ? { data: found.data, location: found.location } : null });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});
`;

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve: (found: JsQrFound | null) => void; reject: (error: Error) => void }>();

function qrWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { jsqr: require.resolve('jsqr') } });
  started.on('message', (message: { id: number; found?: JsQrFound | null; error?: string }) => {
    const waiter = waiting.get(message.id);
    waiting.delete(message.id);
    if (waiting.size === 0) started.unref();
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.found ?? null);
  });
  const fail = (error: Error): void => {
    worker = null;
    for (const waiter of waiting.values()) waiter.reject(error);
    waiting.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`QR worker stopped (${code})`)));
  started.unref();
  worker = started;
  return started;
}

/**
 * The worker's scans, one at a time, taken in turns by requester (server/ocr/fairQueue.ts): with one line for all,
 * a claimant who sent many large photos without a code (three scans each) made the next claimant's photo wait for all
 * of them.
 */
export const scanTurns = new FairQueue(1);

/** Who a read is for, when nobody says: their reads share one line. */
const ANONYMOUS = '';

/** One jsQR scan of RGBA pixels, in the worker (the pixels are moved there, not copied). */
function scan(data: Uint8ClampedArray, width: number, height: number): Promise<JsQrFound | null> {
  const id = (nextId += 1);
  const target = qrWorker();
  // A view of part of a larger buffer is copied first: moving the buffer would move its neighbours too.
  const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    target.ref();
    target.postMessage({ id, data: own.buffer, width, height }, [own.buffer as ArrayBuffer]);
  });
}

export interface QrAttempt {
  /** Long side in px; `0` means the image as it is (capped at MAX_SIDE). */
  longSide: number;
  /** Gaussian blur sigma applied after resizing (≥ 0.3), or none. */
  blur?: number;
}

export const QR_ATTEMPTS: readonly QrAttempt[] = [
  { longSide: 1000 },
  { longSide: 1600, blur: 0.8 },
  { longSide: 1200 },
];
const MAX_SIDE = 2400;

export interface QrRead {
  text: string;
  /** The long side, in px, at which it was read. */
  scale: number;
  /** Corners in the pixels of the (oriented) original image. */
  location: {
    topLeft: [number, number];
    topRight: [number, number];
    bottomRight: [number, number];
    bottomLeft: [number, number];
  };
}

async function rgbaAt(
  image: Buffer,
  longSide: number,
  blur: number | undefined,
): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  let pipeline = sharp(image)
    .rotate()
    .resize({ width: longSide, height: longSide, fit: 'inside', withoutEnlargement: true });
  if (blur !== undefined) pipeline = pipeline.blur(Math.max(0.3, blur));
  const { data, info } = await pipeline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
  };
}

export interface DecodeOptions {
  attempts?: readonly QrAttempt[];
  /** Whose read it is (an account): each requester's scans wait in a line of their own (`scanTurns`). */
  requester?: string;
}

/** The first QR code found in the image, or null. Throws only if sharp cannot decode the image. */
export async function decodeQr(image: Buffer, options: DecodeOptions = {}): Promise<QrRead | null> {
  const attempts = options.attempts ?? QR_ATTEMPTS;
  const requester = options.requester ?? ANONYMOUS;
  const meta = await sharp(image).metadata();
  const swapped = (meta.orientation ?? 1) >= 5;
  const originalLong = Math.max(meta.width ?? 0, meta.height ?? 0);
  const originalWidth = (swapped ? meta.height : meta.width) ?? 0;
  const tried = new Set<string>();
  for (const attempt of attempts) {
    const longSide = Math.min(attempt.longSide === 0 ? originalLong : attempt.longSide, originalLong, MAX_SIDE);
    const id = `${longSide}/${attempt.blur ?? 0}`;
    if (longSide <= 0 || tried.has(id)) continue;
    tried.add(id);
    const { data, width, height } = await rgbaAt(image, longSide, attempt.blur);
    const found = await scanTurns.run(requester, () => scan(data, width, height));
    if (found && found.data !== '') {
      const k = originalWidth > 0 ? originalWidth / width : 1;
      const p = (point: { x: number; y: number }): [number, number] => [
        Math.round(point.x * k),
        Math.round(point.y * k),
      ];
      const l = found.location;
      return {
        text: found.data,
        scale: longSide,
        location: {
          topLeft: p(l.topLeftCorner),
          topRight: p(l.topRightCorner),
          bottomRight: p(l.bottomRightCorner),
          bottomLeft: p(l.bottomLeftCorner),
        },
      };
    }
  }
  return null;
}
