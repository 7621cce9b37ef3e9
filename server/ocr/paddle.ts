/**
 * Local OCR: PaddleOCR PP-OCRv4 (Chinese) with the models and processing of @gutenye/ocr-node, for
 * the local server, the CLI, the bench and the tests. The cloud uses WeChat's printedText instead
 * (wechat.ts).
 *
 * - The image is auto-oriented (EXIF), its sheet found and flattened (or turned straight), downscaled
 *   with sharp to ~1600 px on its long side, its light evened out and red seal ink removed: a
 *   receipt's print is still ≥ 20 px high at 1600.
 * - Text is detected on a copy of at most 1024 px (PaddleOCR's own default is 960; detection time
 *   grows with pixels) and the lines are recognised from crops of the 1600 px image (issue 13). See
 *   paddleWorker.mjs for what else differs from the library's own `detect`, and the bench for the
 *   figures (bench/receipts.bench.ts: the library's plain `detect` is its baseline).
 * - The models are loaded in OCR processes of their own (paddleWorker.mjs, forked): the packages are
 *   ESM-only and onnxruntime's inference is CPU-bound, so the processes keep both away from the
 *   caller's module system and event loop. Processes, not worker threads: onnxruntime-node cannot be
 *   started again in a thread once another thread that loaded it has stopped (the whole server died;
 *   ocrProcesses.test.ts), and a crash in native code ends one OCR process, not the server; the next
 *   photo starts a new one. One process detects, and each (one per core, at most two) recognises a
 *   share of the lines. They hold the server open only while busy; the local server starts them when
 *   it starts (`load`), the first photo does not wait for them.
 * - Boxes come back in the pixels of the oriented original image, so a reviewer's view can draw them
 *   on the photo the claimant took.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { quadSize } from '../../src/core/receipt/geometry';
import type { Rect } from '../../src/core/receipt/schema';
import { estimateSkew } from './deskew';
import { normaliseLight } from './light';
import { findSheet, flattenSheet } from './perspective';
import { cropOf, type Piece, type Point, type RawLine, rowsOf, shareOut, splitStack } from './paddleLines';
import { notAnImage, type Ocr, type OcrLine } from './port';
import { sealCover, suppressSeals } from './seal';

export const OCR_LONG_SIDE = 1600;

export interface PreparedImage {
  /** Raw RGB pixels at the OCR size, turned straight (3 bytes a pixel, row by row). */
  data: Buffer;
  width: number;
  height: number;
  /** Resized size ÷ original (oriented) size: ≤ 1, never enlarged. */
  scale: number;
  /** Degrees the photo was turned clockwise (it was turned back by as much before recognition). */
  skew: number;
  /** Maps a point of `data` back to the pixels of the (oriented) original photo. */
  toOriginal: (x: number, y: number) => [number, number];
  /** Milliseconds each preparation step took (for the bench). */
  steps?: Record<string, number>;
  /** Red seals found (boxes in the pixels of `data`); text under them is flagged. */
  seals?: Rect[];
  /** True when the sheet's corners were found and it was warped flat. */
  flattened?: boolean;
}

/** Below this, turning the photo straight is not worth its cost. */
const MIN_SKEW = 0.4;

export interface PrepareOptions {
  /** Find the sheet's corners and warp it flat (default on; off: deskew only). */
  perspective?: boolean;
  /**
   * Where the region found for the sheet is doubtful, look for its straight borders too (default on;
   * perspective.ts, sheetEdges.ts). Its time is `steps.edges`, a part of `steps.perspective`.
   */
  edges?: boolean;
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
async function straighten(
  image: Buffer,
  width: number,
  longSide: number,
  steps: Record<string, number>,
): Promise<Straightened> {
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
    return {
      data,
      width: info.width,
      height: info.height,
      scale,
      skew: 0,
      toOriginal: (x, y) => [x / scale, y / scale],
    };
  }
  const raw = await resized.raw().toBuffer({ resolveWithObject: true });
  const { data, info } = await sharp(raw.data, {
    raw: { width: raw.info.width, height: raw.info.height, channels: raw.info.channels },
  })
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
export async function prepareImage(
  image: Buffer,
  longSide = OCR_LONG_SIDE,
  options: PrepareOptions = {},
): Promise<PreparedImage> {
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
    const sheet =
      options.perspective === false ? null : await findSheet(image, { edges: options.edges, timings: steps });
    let base: Straightened;
    if (sheet) {
      const flat = await flattenSheet(image, sheet, longSide);
      const size = quadSize(sheet.quad);
      base = {
        data: flat.data,
        width: flat.width,
        height: flat.height,
        scale: flat.width / size.width,
        skew: 0,
        toOriginal: flat.toPhoto,
      };
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
    return {
      data,
      width: w,
      height: h,
      scale: base.scale,
      skew: base.skew,
      toOriginal: base.toOriginal,
      steps,
      seals,
      flattened: sheet !== null,
    };
  } catch {
    throw notAnImage();
  }
}

type Reply = { ready: true } | { id: number; error: string } | ({ id: number } & Record<string, unknown>);

/**
 * One OCR process (paddleWorker.mjs, forked) in a role; requests by id. It holds the server open only
 * while busy, and ends with it. Messages go with V8's structured serialisation, so pixels travel as
 * typed arrays (≈ 6 MB for a 1600 px photo; copied, ≈ 10 ms each way, against ≈ 1 s of reading).
 */
class OcrWorker {
  readonly ready: Promise<void>;
  readonly #process: ChildProcess;
  readonly #pending = new Map<
    number,
    { resolve: (reply: Record<string, unknown>) => void; reject: (error: Error) => void }
  >();
  #nextId = 1;
  #failure: Error | null = null;
  #exited = false;

  constructor(
    workerData: { role: 'detect' | 'recognise' | 'plain'; threads: number; detThreads?: number },
    onFail: () => void,
  ) {
    const child = fork(WORKER_FILE, [JSON.stringify(workerData)], {
      serialization: 'advanced',
      // Plain ESM: none of the caller's loaders (tsx, jest) or flags.
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#process = child;
    this.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (reply: Reply) => {
        if ('ready' in reply) {
          this.#idle();
          resolve();
          return;
        }
        const pending = this.#pending.get(reply.id);
        if (!pending) return;
        this.#pending.delete(reply.id);
        this.#idle();
        if ('error' in reply && typeof reply.error === 'string') pending.reject(new Error(`PaddleOCR: ${reply.error}`));
        else pending.resolve(reply);
      });
      const fail = (error: Error): void => {
        if (this.#failure) return;
        this.#failure = error;
        reject(error);
        for (const pending of this.#pending.values()) pending.reject(error);
        this.#pending.clear();
        onFail();
      };
      child.on('error', fail);
      child.on('exit', (code, signal) => {
        this.#exited = true;
        fail(new Error(`PaddleOCR process stopped (${signal ?? `exit code ${code}`})`));
      });
    });
    // A failed start is reported to whoever awaits `ready`; never as an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  async request<T>(message: Record<string, unknown>): Promise<T> {
    await this.ready;
    if (this.#failure) throw this.#failure;
    const id = this.#nextId;
    this.#nextId += 1;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: (reply) => resolve(reply as T), reject });
      this.#idle();
      this.#process.send({ ...message, id });
    });
  }

  /** Busy: the process and its channel keep the server's event loop alive; idle: they do not. */
  #idle(): void {
    const channel = this.#process.channel;
    if (this.#pending.size === 0) {
      this.#process.unref();
      channel?.unref();
    } else {
      this.#process.ref();
      channel?.ref();
    }
  }

  async terminate(): Promise<void> {
    this.#failure ??= new Error('PaddleOCR closed');
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#process.once('exit', () => resolve()));
    // Held until it has gone: an idle process is unreferenced, and the caller awaits its end.
    this.#process.ref();
    this.#process.kill();
    await exited;
  }
}

interface Crop {
  data: Uint8Array;
  width: number;
  height: number;
}

/** What one photo cost, stage by stage (milliseconds), for the bench. */
export type OcrTimings = Record<string, number>;

export interface PaddleOptions {
  /** Long side the image is reduced to before recognition (default 1600). */
  longSide?: number;
  /** Long side of the copy that text is detected on (default DET_LONG_SIDE); lines are read from the full image. */
  detSide?: number;
  /** Recognition workers (default: the cores available, at most 2); the first one also detects. */
  recognisers?: number;
  /** Lines of about the same width recognised in one call (default 1: see paddleWorker.mjs). */
  batch?: number;
  /** onnxruntime intra-op threads for detection (default: the cores available, at most 4). */
  threads?: number;
}

const WORKER_FILE = path.join(__dirname, 'paddleWorker.mjs');

/**
 * Default long side of the detection copy: about PaddleOCR's own `limit_side_len` (960). Measured on
 * the 20 classic generated receipts: at 960 two check codes lost a letter (cybvvy → cybvwy, b0t6te →
 * bOt6te: the boxes move by a pixel or two and the recogniser tips over), at 1024 and 1120 none did.
 */
export const DET_LONG_SIDE = 1024;

export class PaddleAdapter implements Ocr {
  readonly longSide: number;
  readonly detSide: number;
  readonly batch: number;
  readonly #recognisers: number;
  readonly #threads: number;
  #workers: OcrWorker[] | null = null;
  #plain: OcrWorker | null = null;

  constructor(options: PaddleOptions = {}) {
    const cores = availableParallelism();
    this.longSide = options.longSide ?? OCR_LONG_SIDE;
    this.detSide = options.detSide ?? DET_LONG_SIDE;
    this.batch = Math.max(1, options.batch ?? 1);
    this.#recognisers = Math.max(1, options.recognisers ?? Math.min(2, cores));
    this.#threads = options.threads ?? Math.min(4, cores);
  }

  #pool(): OcrWorker[] {
    if (this.#workers) return this.#workers;
    if (!existsSync(WORKER_FILE)) throw new Error(`PaddleOCR worker missing: ${WORKER_FILE}`);
    const reset = (): void => {
      const workers = this.#workers;
      this.#workers = null;
      for (const worker of workers ?? []) void worker.terminate();
    };
    // Several recognisers: one onnxruntime thread each. One alone: all the threads.
    const recThreads = this.#recognisers > 1 ? 1 : this.#threads;
    const workers = [new OcrWorker({ role: 'detect', threads: recThreads, detThreads: this.#threads }, reset)];
    for (let i = 1; i < this.#recognisers; i += 1)
      workers.push(new OcrWorker({ role: 'recognise', threads: recThreads }, reset));
    this.#workers = workers;
    return workers;
  }

  /** Starts the workers and loads the models (once); the local server calls it at start. */
  async load(): Promise<void> {
    await Promise.all(this.#pool().map((worker) => worker.ready));
  }

  /**
   * Text rows of an already prepared image (raw RGB), boxes in its pixels: detection on a copy at
   * `detSide`, the line crops cut from the full image and read by the recognition workers in parallel.
   */
  async read(image: { data: Buffer; width: number; height: number }, timings: OcrTimings = {}): Promise<RawLine[]> {
    return rowsOf(await this.pieces(image, timings));
  }

  /** What `read` joins into rows: each text box with what was read in it, in detection order. */
  async pieces(image: { data: Buffer; width: number; height: number }, timings: OcrTimings = {}): Promise<Piece[]> {
    const [detector, ...others] = this.#pool();
    const t0 = performance.now();
    const found = await detector!.request<{ boxes: Point[][]; crops: Crop[]; timings: OcrTimings }>({
      op: 'detect',
      image: {
        data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength),
        width: image.width,
        height: image.height,
      },
      detSide: this.detSide,
    });
    const t1 = performance.now();
    // A box standing on end that holds a column's cells one under the other is read cell by cell.
    const boxes: Point[][] = [];
    const crops: Crop[] = [];
    found.boxes.forEach((box, i) => {
      const cells = splitStack(image, box);
      if (!cells) {
        boxes.push(box);
        crops.push(found.crops[i]!);
        return;
      }
      for (const cell of cells) {
        boxes.push(cell);
        crops.push(cropOf(image, cell));
      }
    });
    const shares = shareOut(
      crops.map((crop) => (crop.width * 48) / Math.max(1, crop.height)),
      1 + others.length,
    );
    const read = await Promise.all(
      [detector!, ...others].map(async (worker, w) => {
        const share = shares[w] ?? [];
        if (share.length === 0) return { share, lines: [] as Array<{ text: string; mean: number; chars?: number[] }> };
        const mine = share.map((i) => crops[i]!);
        const reply = await worker.request<{ lines: Array<{ text: string; mean: number; chars?: number[] }> }>({
          op: 'recognise',
          crops: mine,
          batch: this.batch,
        });
        return { share, lines: reply.lines };
      }),
    );
    const pieces: Piece[] = boxes.map((box) => ({ text: '', mean: 0, box }));
    for (const { share, lines } of read) share.forEach((index, k) => Object.assign(pieces[index]!, lines[k]));
    Object.assign(timings, found.timings, {
      detectStage: t1 - t0,
      recogniseStage: performance.now() - t1,
      lines: crops.length,
    });
    return pieces;
  }

  #plainWorker(): OcrWorker {
    this.#plain ??= new OcrWorker({ role: 'plain', threads: this.#threads }, () => (this.#plain = null));
    return this.#plain;
  }

  /** Loads the library's own pipeline (the bench's baseline) in a worker of its own. */
  async loadPlain(): Promise<void> {
    await this.#plainWorker().ready;
  }

  /** The library's own `detect` on an encoded image, as this adapter ran it before issue 13: the bench's baseline. */
  async plainDetect(image: Buffer): Promise<RawLine[]> {
    const reply = await this.#plainWorker().request<{ lines: RawLine[] }>({
      op: 'plain',
      image: new Uint8Array(image),
    });
    return reply.lines;
  }

  async recognise(image: Buffer): Promise<OcrLine[]> {
    const prepared = await prepareImage(image, this.longSide);
    const raw = await this.read(prepared);
    return toOcrLines(raw, prepared.toOriginal, prepared);
  }

  async close(): Promise<void> {
    const workers = [...(this.#workers ?? []), ...(this.#plain ? [this.#plain] : [])];
    this.#workers = null;
    this.#plain = null;
    await Promise.all(workers.map((worker) => worker.terminate()));
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
export function toOcrLines(
  raw: RawLine[],
  toOriginal: PreparedImage['toOriginal'],
  prepared?: Pick<PreparedImage, 'seals'>,
): OcrLine[] {
  const round = (value: number): number => Math.round(value * 10) / 10;
  const seals = prepared?.seals ?? [];
  const lines = raw
    .filter((line) => line.text.trim() !== '')
    .map((line) => {
      const out: OcrLine = {
        text: line.text,
        confidence: Math.max(0, Math.min(1, Number.isFinite(line.mean) ? line.mean : 0)),
      };
      if (line.chars?.length === [...line.text].length)
        out.charConfidence = line.chars.map((c) => Math.max(0, Math.min(1, Number.isFinite(c) ? c : 0)));
      const points = (line.box ?? []).filter(
        (p): p is [number, number] =>
          Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]),
      );
      if (points.length >= 3) {
        if (seals.length > 0) {
          const xs = points.map((p) => p[0]);
          const ys = points.map((p) => p[1]);
          const box: Rect = [
            Math.min(...xs),
            Math.min(...ys),
            Math.max(...xs) - Math.min(...xs),
            Math.max(...ys) - Math.min(...ys),
          ];
          if (sealCover(box, seals) >= SEAL_COVER) {
            out.underSeal = true;
            out.confidence = Math.min(out.confidence ?? 1, UNDER_SEAL_CONFIDENCE);
          }
        }
        out.box = points.map(([x, y]) => toOriginal(x, y).map(round) as [number, number]);
        const pieces = (line.pieces ?? []).map((piece) => ({
          start: piece.start,
          end: piece.end,
          box: piece.box
            .filter((p) => p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]))
            .map(([x, y]) => toOriginal(x!, y!).map(round) as [number, number]),
        }));
        if (pieces.length > 0 && pieces.every((piece) => piece.box.length >= 3)) out.pieces = pieces;
        // Where it lies on the sheet flattened (perspective undone, straightened): rows and columns line up there.
        out.flatBox = points.map(([x, y]) => [round(x), round(y)] as [number, number]);
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
