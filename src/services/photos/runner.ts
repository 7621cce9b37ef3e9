/**
 * Drives the pure upload queue (src/core/uploadQueue) with the platform behind injected functions:
 * persistence, the cloud upload, durable local files, clock, randomness and timers. No Taro import,
 * so jest runs it as is; `uploader.ts` binds it to Taro and services/cloud.
 */
import {
  type NewUpload,
  type RetryPolicy,
  type UploadQueue,
  DEFAULT_RETRY,
  completedFileIds,
  emptyQueue,
  enqueue,
  markDone,
  markFailed,
  markProgress,
  markUploading,
  nextWakeAt,
  parseQueue,
  readyToUpload,
  remove,
  restoreUploaded,
  resumeAfterRestart,
  retry,
  serializeQueue,
  type UploadedElsewhere,
} from '../../core/uploadQueue';

export interface RunnerDeps {
  /** The stored queue (a JSON string or whatever `save` wrote), or nothing. */
  load(): unknown;
  save(serialized: string): void;
  upload(
    filePath: string,
    name: string,
    contentType: string,
    onProgress: (percent: number) => void,
  ): Promise<{ fileID: string }>;
  /** Turns a durable local path into one the upload can read; null when the file is gone. */
  open(durablePath: string): Promise<string | null>;
  /** Forgets a durable local file (the photo was deleted). */
  discard(durablePath: string): void;
  now(): number;
  random(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Uploads in flight at once (default 2: phones on 4G do better with few parallel uploads). */
  concurrency?: number;
  policy?: RetryPolicy;
}

/** Error codes a later attempt can fix (the network, a busy server); any other code fails at once. */
const RETRYABLE = new Set(['NETWORK', 'BAD_RESPONSE', 'INTERNAL', 'UNAVAILABLE', 'TIMEOUT', 'RATE_LIMITED']);

export function describeUploadError(error: unknown): { code: string; message: string; retryable: boolean } {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    const { code, message } = error as { code: string; message?: unknown };
    return {
      code,
      message: typeof message === 'string' && message ? message : '上传失败，请重试',
      retryable: RETRYABLE.has(code),
    };
  }
  // Not one of ours (a platform exception): assume the network and try again later.
  return { code: 'NETWORK', message: '网络不太好，照片稍后会自动重新上传', retryable: true };
}

export const FILE_MISSING = { code: 'FILE_MISSING', message: '照片已不在手机上，请删除后重新拍摄' };

export class UploadRunner {
  private queue: UploadQueue = emptyQueue();
  private readonly listeners = new Set<(queue: UploadQueue) => void>();
  private readonly inFlight = new Set<string>();
  private timer: unknown = null;
  private timerAt: number | null = null;
  private running = false;

  constructor(private readonly deps: RunnerDeps) {}

  /** Loads the stored queue, puts interrupted uploads back in line and starts uploading. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.queue = resumeAfterRestart(parseQueue(this.deps.load()), this.deps.now());
    this.commit(this.queue, true);
    this.pump();
  }

  /** Stops scheduling (uploads in flight finish and are recorded). */
  stop(): void {
    this.running = false;
    this.cancelTimer();
  }

  get snapshot(): UploadQueue {
    return this.queue;
  }

  subscribe(listener: (queue: UploadQueue) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  completedFileIds(materialId: string): string[] {
    return completedFileIds(this.queue, materialId);
  }

  add(upload: NewUpload): void {
    this.commit(enqueue(this.queue, upload, this.deps.now()), true);
    this.pump();
  }

  /** Photos the server already holds join the queue as finished uploads (nothing to upload). */
  restore(uploaded: readonly UploadedElsewhere[]): void {
    this.commit(restoreUploaded(this.queue, uploaded), true);
  }

  retry(localId: string): void {
    this.commit(retry(this.queue, localId, this.deps.now()), true);
    this.pump();
  }

  remove(localId: string): void {
    const item = this.queue.items.find((candidate) => candidate.localId === localId);
    if (!item) return;
    this.commit(remove(this.queue, localId), true);
    if (item.filePath) this.deps.discard(item.filePath);
  }

  private commit(next: UploadQueue, persist: boolean): void {
    const changed = next !== this.queue;
    this.queue = next;
    if (persist) this.deps.save(serializeQueue(next));
    if (changed || persist) this.listeners.forEach((listener) => listener(next));
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
    this.timerAt = null;
  }

  /** Starts what is ready, up to the concurrency, and sets a timer for the next backoff to end. */
  private pump(): void {
    if (!this.running) return;
    const limit = this.deps.concurrency ?? 2;
    const now = this.deps.now();
    for (const item of readyToUpload(this.queue, now)) {
      if (this.inFlight.size >= limit) break;
      void this.uploadOne(item.localId);
    }
    const wake = this.inFlight.size >= limit ? null : nextWakeAt(this.queue);
    if (wake === null || wake <= now) {
      if (wake === null) this.cancelTimer();
      return;
    }
    if (this.timerAt === wake) return;
    this.cancelTimer();
    this.timerAt = wake;
    this.timer = this.deps.setTimer(() => {
      this.timer = null;
      this.timerAt = null;
      this.pump();
    }, wake - now);
  }

  private async uploadOne(localId: string): Promise<void> {
    this.inFlight.add(localId);
    this.commit(markUploading(this.queue, localId), true);
    const item = this.queue.items.find((candidate) => candidate.localId === localId);
    try {
      if (!item) return;
      const path = await this.deps.open(item.filePath);
      if (path === null) {
        this.fail(localId, { ...FILE_MISSING, retryable: false });
        return;
      }
      const { fileID } = await this.deps.upload(path, item.name, item.contentType, (percent) => {
        this.commit(markProgress(this.queue, localId, percent), false);
      });
      // markDone ignores an item deleted meanwhile: its file is then simply never referenced.
      this.commit(markDone(this.queue, localId, fileID), true);
    } catch (error) {
      this.fail(localId, describeUploadError(error));
    } finally {
      this.inFlight.delete(localId);
      this.pump();
    }
  }

  private fail(localId: string, error: { code: string; message: string; retryable: boolean }): void {
    const policy = this.deps.policy ?? DEFAULT_RETRY;
    const next = markFailed(this.queue, localId, error, {
      now: this.deps.now(),
      random: () => this.deps.random(),
      retryable: error.retryable,
      policy,
    });
    this.commit(next, true);
  }
}
