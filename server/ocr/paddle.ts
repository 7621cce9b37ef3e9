/**
 * Local OCR: PaddleOCR PP-OCRv4 (Chinese) through @gutenye/ocr-node, for the local server, the CLI,
 * the bench and the tests. The cloud uses WeChat's printedText instead (wechat.ts).
 *
 * - The image is auto-oriented (EXIF) and downscaled with sharp to ~1600 px on its long side first:
 *   recognition time grows with pixels (≈1 s at 1200×800, ≈4 s at 3000×2000 on 2 cores) and a
 *   receipt's print is still ≥ 20 px high at 1600.
 * - The model is loaded once per process, in a worker thread (paddleWorker.mjs): the package is
 *   ESM-only and onnxruntime's inference is CPU-bound, so the worker keeps both away from the
 *   caller's module system and event loop. The worker holds the process open only while a request
 *   is in flight.
 * - Boxes come back in the pixels of the oriented original image, so a reviewer's view can draw them
 *   on the photo the claimant took.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { quadSize } from '../../src/core/receipt/geometry';
import type { Rect } from '../../src/core/receipt/schema';
import { estimateSkew } from './deskew';
import { normaliseLight } from './light';
import { findSheet, flattenSheet } from './perspective';
import { notAnImage, type Ocr, type OcrLine } from './port';
import { sealCover, suppressSeals } from './seal';

export const OCR_LONG_SIDE = 1600;

export interface PreparedImage {
  /** Lossless PNG at the OCR size, turned straight. */
  png: Buffer;
  width: number;
  height: number;
  /** Resized size ÷ original (oriented) size: ≤ 1, never enlarged. */
  scale: number;
  /** Degrees the photo was turned clockwise (it was turned back by as much before recognition). */
  skew: number;
  /** Maps a point of `png` back to the pixels of the (oriented) original photo. */
  toOriginal: (x: number, y: number) => [number, number];
  /** Milliseconds each preparation step took (for the bench). */
  steps?: Record<string, number>;
  /** Red seals found (boxes in the pixels of `png`); text under them is flagged. */
  seals?: Rect[];
  /** True when the sheet's corners were found and it was warped flat. */
  flattened?: boolean;
}

/** Below this, turning the photo straight is not worth its cost. */
const MIN_SKEW = 0.4;

export interface PrepareOptions {
  /** Find the sheet's corners and warp it flat (default on; off: deskew only). */
  perspective?: boolean;
  /** Divide by the paper's background: shading, shadows, dim rooms (default on). */
  light?: boolean;
  /** Remove red seal ink and note where seals are (default on). */
  seal?: boolean;
}

interface Straightened {
  data: Buffer;
  width: number;
  height: number;
  scale: number;
  skew: number;
  toOriginal: (x: number, y: number) => [number, number];
}

/** The deskew path: long side at most `longSide`, turned straight by the projection-profile angle. */
async function straighten(image: Buffer, width: number, longSide: number, steps: Record<string, number>): Promise<Straightened> {
  let t0 = performance.now();
  const skew = await estimateSkew(image);
  steps.deskew = performance.now() - t0;
  t0 = performance.now();
  const resized = sharp(image)
    .autoOrient()
    .flatten({ background: '#ffffff' })
    .resize({ width: longSide, height: longSide, fit: 'inside', withoutEnlargement: true })
    .removeAlpha();
  if (Math.abs(skew) < MIN_SKEW) {
    const { data, info } = await resized.raw().toBuffer({ resolveWithObject: true });
    const scale = info.width / width;
    steps.resize = performance.now() - t0;
    return { data, width: info.width, height: info.height, scale, skew: 0, toOriginal: (x, y) => [x / scale, y / scale] };
  }
  const raw = await resized.raw().toBuffer({ resolveWithObject: true });
  const { data, info } = await sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: raw.info.channels } })
    .rotate(-skew, { background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  steps.resize = performance.now() - t0;
  const scale = raw.info.width / width;
  const a = (skew * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const c1x = raw.info.width / 2;
  const c1y = raw.info.height / 2;
  const c2x = info.width / 2;
  const c2y = info.height / 2;
  const toOriginal = (x: number, y: number): [number, number] => {
    const dx = x - c2x;
    const dy = y - c2y;
    return [(c1x + dx * cos - dy * sin) / scale, (c1y + dx * sin + dy * cos) / scale];
  };
  return { data, width: info.width, height: info.height, scale, skew, toOriginal };
}

/**
 * EXIF orientation applied; the sheet found and warped flat (else the photo turned straight, see
 * deskew.ts), long side at most `longSide`; light evened out; red seal ink removed. Each step's time
 * is in `steps`. Anything sharp cannot decode is RECEIPT_NOT_IMAGE.
 */
export async function prepareImage(image: Buffer, longSide = OCR_LONG_SIDE, options: PrepareOptions = {}): Promise<PreparedImage> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(image).metadata();
  } catch {
    throw notAnImage();
  }
  if (!meta.width || !meta.height || !meta.format || meta.format === 'svg') throw notAnImage();
  const swapped = (meta.orientation ?? 1) >= 5;
  const width = swapped ? meta.height : meta.width;
  const steps: Record<string, number> = {};
  try {
    let t0 = performance.now();
    const sheet = options.perspective === false ? null : await findSheet(image);
    let base: Straightened;
    if (sheet) {
      const flat = await flattenSheet(image, sheet, longSide);
      const size = quadSize(sheet.quad);
      base = { data: flat.data, width: flat.width, height: flat.height, scale: flat.width / size.width, skew: 0, toOriginal: flat.toPhoto };
      steps.perspective = performance.now() - t0;
    } else {
      if (options.perspective !== false) steps.perspective = performance.now() - t0;
      base = await straighten(image, width, longSide, steps);
    }
    const { width: w, height: h } = base;
    let data = base.data;
    if (options.light !== false) {
      t0 = performance.now();
      data = (await normaliseLight(data, w, h)).data;
      steps.light = performance.now() - t0;
    }
    let seals: Rect[] = [];
    if (options.seal !== false) {
      t0 = performance.now();
      seals = suppressSeals(data, w, h);
      steps.seal = performance.now() - t0;
    }
    t0 = performance.now();
    const png = await sharp(data, { raw: { width: w, height: h, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
    steps.encode = performance.now() - t0;
    return { png, width: w, height: h, scale: base.scale, skew: base.skew, toOriginal: base.toOriginal, steps, seals, flattened: sheet !== null };
  } catch {
    throw notAnImage();
  }
}

interface RawLine {
  text: string;
  mean: number;
  box: number[][] | null;
}

type WorkerReply = { ready: true } | { id: number; lines: RawLine[] } | { id: number; error: string };

export interface PaddleOptions {
  /** Long side the image is reduced to before recognition (default 1600). */
  longSide?: number;
  /** onnxruntime intra-op threads (default: the cores available, at most 4; measured faster than onnxruntime's own default on a busy 2-core machine). */
  threads?: number;
}

const WORKER_FILE = path.join(__dirname, 'paddleWorker.mjs');

export class PaddleAdapter implements Ocr {
  readonly longSide: number;
  readonly #threads: number;
  #worker: Worker | null = null;
  #ready: Promise<Worker> | null = null;
  readonly #pending = new Map<number, { resolve: (lines: RawLine[]) => void; reject: (error: Error) => void }>();
  #nextId = 1;

  constructor(options: PaddleOptions = {}) {
    this.longSide = options.longSide ?? OCR_LONG_SIDE;
    this.#threads = options.threads ?? Math.min(4, availableParallelism());
  }

  /** Starts the worker and loads the model (once); later calls return the same promise. */
  load(): Promise<Worker> {
    if (this.#ready) return this.#ready;
    if (!existsSync(WORKER_FILE)) return Promise.reject(new Error(`PaddleOCR worker missing: ${WORKER_FILE}`));
    this.#ready = new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(WORKER_FILE, { workerData: { threads: this.#threads } });
      this.#worker = worker;
      worker.on('message', (reply: WorkerReply) => {
        if ('ready' in reply) {
          this.#idle();
          resolve(worker);
          return;
        }
        const pending = this.#pending.get(reply.id);
        if (!pending) return;
        this.#pending.delete(reply.id);
        this.#idle();
        if ('error' in reply) pending.reject(new Error(`PaddleOCR: ${reply.error}`));
        else pending.resolve(reply.lines);
      });
      const fail = (error: Error): void => {
        reject(error);
        for (const pending of this.#pending.values()) pending.reject(error);
        this.#pending.clear();
        this.#worker = null;
        this.#ready = null;
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (this.#worker === worker) fail(new Error(`PaddleOCR worker stopped (exit code ${code})`));
      });
    });
    return this.#ready;
  }

  /** The worker keeps the process alive only while it has work. */
  #idle(): void {
    if (this.#pending.size === 0) this.#worker?.unref();
    else this.#worker?.ref();
  }

  /** Recognition on an already prepared image; boxes in its pixels. Exposed for the bench's timings. */
  async detect(png: Buffer): Promise<RawLine[]> {
    const worker = await this.load();
    const id = this.#nextId;
    this.#nextId += 1;
    return new Promise<RawLine[]>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#idle();
      worker.postMessage({ id, image: new Uint8Array(png) });
    });
  }

  async recognise(image: Buffer): Promise<OcrLine[]> {
    const prepared = await prepareImage(image, this.longSide);
    const raw = await this.detect(prepared.png);
    return toOcrLines(raw, prepared.toOriginal, prepared);
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    this.#ready = null;
    if (worker) await worker.terminate();
  }
}

/** Confidence of text read under a seal: below CONFIDENT (src/core/receipt/crossCheck.ts), so it is confirmed. */
export const UNDER_SEAL_CONFIDENCE = 0.7;
/** Share of a line's box a seal must cover for the line to count as under it. */
const SEAL_COVER = 0.05;

/**
 * Paddle's lines → our OcrLine: boxes mapped back to the original photo, reading order top to bottom.
 * Lines under a seal (`seals`, in the prepared image's pixels) are marked and their confidence lowered.
 */
export function toOcrLines(raw: RawLine[], toOriginal: PreparedImage['toOriginal'], prepared?: Pick<PreparedImage, 'seals'>): OcrLine[] {
  const round = (value: number): number => Math.round(value * 10) / 10;
  const seals = prepared?.seals ?? [];
  const lines = raw
    .filter((line) => line.text.trim() !== '')
    .map((line) => {
      const out: OcrLine = { text: line.text, confidence: Math.max(0, Math.min(1, Number.isFinite(line.mean) ? line.mean : 0)) };
      const points = (line.box ?? []).filter((p): p is [number, number] => Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]));
      if (points.length >= 3) {
        if (seals.length > 0) {
          const xs = points.map((p) => p[0]);
          const ys = points.map((p) => p[1]);
          const box: Rect = [Math.min(...xs), Math.min(...ys), Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)];
          if (sealCover(box, seals) >= SEAL_COVER) {
            out.underSeal = true;
            out.confidence = Math.min(out.confidence ?? 1, UNDER_SEAL_CONFIDENCE);
          }
        }
        out.box = points.map(([x, y]) => toOriginal(x, y).map(round) as [number, number]);
      }
      return out;
    });
  const top = (line: OcrLine): [number, number] => {
    const points = (line.box ?? []) as Array<[number, number]>;
    return points.length ? [Math.min(...points.map((p) => p[1])), Math.min(...points.map((p) => p[0]))] : [0, 0];
  };
  return lines.sort((a, b) => top(a)[0] - top(b)[0] || top(a)[1] - top(b)[1]);
}

let shared: PaddleAdapter | null = null;

/** The process-wide adapter: one model per process. */
export function sharedPaddle(): PaddleAdapter {
  shared ??= new PaddleAdapter();
  return shared;
}

/** Recognises a receipt photo with the process-wide model. */
export function recognise(image: Buffer): Promise<OcrLine[]> {
  return sharedPaddle().recognise(image);
}
