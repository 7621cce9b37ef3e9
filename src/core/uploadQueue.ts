/**
 * The photo upload queue of one claim draft, as a pure state machine (拍照/上传, "drafts never lose
 * work"). Every function returns a new queue; the app persists it as JSON after each change, so
 * uploads resume after the mini-program is closed or the H5 page reloaded.
 *
 * queued ──start──▶ uploading ──done──▶ done
 *   ▲                  │ fail (retryable, attempts left): back to queued after a backoff
 *   │                  └ fail (attempts used up, or not retryable) ──▶ failed
 *   └──────────── retry (the person taps 重试) ◀──────────────────────────┘
 *
 * Invariant: `completedFileIds` lists only fileIDs of finished uploads, so a claim never references
 * a file that did not finish uploading.
 */

export type UploadState = 'queued' | 'uploading' | 'done' | 'failed';

export interface UploadError {
  code: string;
  message: string;
}

export interface UploadItem {
  /** Chosen on the device when the photo is added; stable across restarts. */
  localId: string;
  /** The checklist item (材料) the photo belongs to. */
  materialId: string;
  /**
   * A path that survives a restart (a saved file in the mini-program, a stored blob in H5); empty
   * for a photo uploaded from another device (`restoreUploaded`): it is shown from the cloud.
   */
  filePath: string;
  name: string;
  contentType: string;
  state: UploadState;
  /** Upload attempts started so far (reset when the person retries by hand). */
  attempts: number;
  /** Epoch ms before which a queued item is not started again (backoff). */
  nextAttemptAt: number;
  /** Set only when `state` is 'done'. */
  fileID?: string;
  /** 0-100, for the progress bar; 100 only when done. */
  progress: number;
  lastError?: UploadError;
}

export interface UploadQueue {
  version: 1;
  items: UploadItem[];
}

export interface RetryPolicy {
  /** Delay after the first failure, in ms. */
  baseMs: number;
  /** Longest delay, in ms. */
  maxMs: number;
  /** Attempts before the item is marked 'failed' (the person can still retry it). */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 8 };

export function emptyQueue(): UploadQueue {
  return { version: 1, items: [] };
}

/**
 * Delay before attempt `failures + 1`: base·2^(failures-1) capped at `maxMs` (1 s, 2 s, 4 s … 60 s),
 * with "equal jitter": a random point in the upper half, so phones that lost the network together
 * do not come back together. `random` returns a number in [0, 1).
 */
export function backoffDelay(failures: number, random: () => number, policy: RetryPolicy = DEFAULT_RETRY): number {
  const exponent = Math.max(0, failures - 1);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

export interface NewUpload {
  localId: string;
  materialId: string;
  filePath: string;
  name: string;
  contentType: string;
}

function update(queue: UploadQueue, localId: string, change: (item: UploadItem) => UploadItem): UploadQueue {
  let changed = false;
  const items = queue.items.map((item) => {
    if (item.localId !== localId) return item;
    const next = change(item);
    changed ||= next !== item;
    return next;
  });
  // Unchanged queues keep their identity, so a page does not re-render (or persist) for nothing.
  return changed ? { ...queue, items } : queue;
}

/** Adds a photo to upload now. Adding a localId twice is ignored. */
export function enqueue(queue: UploadQueue, upload: NewUpload, now: number): UploadQueue {
  if (queue.items.some((item) => item.localId === upload.localId)) return queue;
  const item: UploadItem = { ...upload, state: 'queued', attempts: 0, nextAttemptAt: now, progress: 0 };
  return { ...queue, items: [...queue.items, item] };
}

export interface UploadedElsewhere {
  localId: string;
  materialId: string;
  fileID: string;
}

/**
 * Photos the server draft already holds (uploaded from another device, or before this device lost
 * its queue) join the queue as finished uploads without a local copy, so the page shows them and the
 * next save names them again. A fileID already in the queue is not added twice.
 */
export function restoreUploaded(queue: UploadQueue, uploaded: readonly UploadedElsewhere[]): UploadQueue {
  const known = new Set(queue.items.map((item) => item.fileID).filter(Boolean));
  const knownIds = new Set(queue.items.map((item) => item.localId));
  const added: UploadItem[] = [];
  for (const { localId, materialId, fileID } of uploaded) {
    if (!fileID || known.has(fileID) || knownIds.has(localId)) continue;
    known.add(fileID);
    knownIds.add(localId);
    added.push({
      localId,
      materialId,
      filePath: '',
      name: `${materialId}-${localId}.jpg`,
      contentType: 'image/jpeg',
      state: 'done',
      attempts: 0,
      nextAttemptAt: 0,
      fileID,
      progress: 100,
    });
  }
  return added.length > 0 ? { ...queue, items: [...queue.items, ...added] } : queue;
}

/** Queued items whose backoff has passed, oldest first. */
export function readyToUpload(queue: UploadQueue, now: number): UploadItem[] {
  return queue.items.filter((item) => item.state === 'queued' && item.nextAttemptAt <= now);
}

/** When the next queued item becomes ready (epoch ms), or null when nothing waits. */
export function nextWakeAt(queue: UploadQueue): number | null {
  const times = queue.items.filter((item) => item.state === 'queued').map((item) => item.nextAttemptAt);
  return times.length > 0 ? Math.min(...times) : null;
}

/** A queued item starts uploading (counts one attempt). Other states are left alone. */
export function markUploading(queue: UploadQueue, localId: string): UploadQueue {
  return update(queue, localId, (item) => {
    if (item.state !== 'queued') return item;
    const { lastError: _lastError, ...rest } = item;
    return { ...rest, state: 'uploading', attempts: item.attempts + 1, progress: 0 };
  });
}

/** Progress of an upload in flight, 0-99 (100 is reserved for done). */
export function markProgress(queue: UploadQueue, localId: string, percent: number): UploadQueue {
  const clamped = Math.max(0, Math.min(99, Math.round(Number.isFinite(percent) ? percent : 0)));
  return update(queue, localId, (item) =>
    item.state === 'uploading' ? { ...item, progress: Math.max(item.progress, clamped) } : item,
  );
}

/** The upload finished: the item gets its fileID. Only an item in flight can finish. */
export function markDone(queue: UploadQueue, localId: string, fileID: string): UploadQueue {
  if (!fileID) return queue;
  return update(queue, localId, (item) => {
    if (item.state !== 'uploading') return item;
    const { lastError: _lastError, ...rest } = item;
    return { ...rest, state: 'done', fileID, progress: 100 };
  });
}

export interface FailureContext {
  now: number;
  random: () => number;
  /** False for errors a retry cannot fix (file gone, refused by the server). */
  retryable: boolean;
  policy?: RetryPolicy;
}

/** The upload failed: back to the queue after a backoff, or 'failed' when it is no use trying again. */
export function markFailed(
  queue: UploadQueue,
  localId: string,
  error: UploadError,
  context: FailureContext,
): UploadQueue {
  const policy = context.policy ?? DEFAULT_RETRY;
  return update(queue, localId, (item) => {
    if (item.state !== 'uploading') return item;
    const lastError = { code: error.code, message: error.message };
    if (!context.retryable || item.attempts >= policy.maxAttempts) {
      return { ...item, state: 'failed', progress: 0, lastError };
    }
    const nextAttemptAt = context.now + backoffDelay(item.attempts, context.random, policy);
    return { ...item, state: 'queued', progress: 0, nextAttemptAt, lastError };
  });
}

/** The person taps 重试 on a failed photo: it goes back to the queue at once with fresh attempts. */
export function retry(queue: UploadQueue, localId: string, now: number): UploadQueue {
  return update(queue, localId, (item) =>
    item.state === 'failed' ? { ...item, state: 'queued', attempts: 0, nextAttemptAt: now, progress: 0 } : item,
  );
}

/** The person deletes a photo (whatever its state). */
export function remove(queue: UploadQueue, localId: string): UploadQueue {
  return { ...queue, items: queue.items.filter((item) => item.localId !== localId) };
}

/**
 * After a restart nothing is in flight any more: an item left 'uploading' goes back to the queue,
 * ready now (the attempt it had started still counts).
 */
export function resumeAfterRestart(queue: UploadQueue, now: number): UploadQueue {
  return {
    ...queue,
    items: queue.items.map((item) =>
      item.state === 'uploading'
        ? { ...item, state: 'queued', progress: 0, nextAttemptAt: Math.min(item.nextAttemptAt, now) }
        : item,
    ),
  };
}

/** The fileIDs a claim may reference for a material: finished uploads only, in the order added. */
export function completedFileIds(queue: UploadQueue, materialId: string): string[] {
  return queue.items
    .filter((item) => item.materialId === materialId && item.state === 'done' && item.fileID)
    .map((item) => item.fileID as string);
}

/** Items of a material, for the page (thumbnails with their state and progress). */
export function itemsOf(queue: UploadQueue, materialId: string): UploadItem[] {
  return queue.items.filter((item) => item.materialId === materialId);
}

/** True while something is still to upload (queued or in flight). */
export function hasPendingUploads(queue: UploadQueue): boolean {
  return queue.items.some((item) => item.state === 'queued' || item.state === 'uploading');
}

export function serializeQueue(queue: UploadQueue): string {
  return JSON.stringify(queue);
}

const STATES: readonly UploadState[] = ['queued', 'uploading', 'done', 'failed'];
const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

function parseItem(value: unknown): UploadItem | null {
  if (!value || typeof value !== 'object') return null;
  const raw = value as Record<string, unknown>;
  const {
    localId,
    materialId,
    filePath,
    name,
    contentType,
    state,
    attempts,
    nextAttemptAt,
    fileID,
    progress,
    lastError,
  } = raw;
  if (
    !isString(localId) ||
    !isString(materialId) ||
    typeof filePath !== 'string' ||
    (filePath === '' && state !== 'done') ||
    !isString(name) ||
    typeof contentType !== 'string'
  )
    return null;
  if (typeof state !== 'string' || !STATES.includes(state as UploadState)) return null;
  if (!isCount(attempts) || !isCount(nextAttemptAt) || !isCount(progress)) return null;
  const item: UploadItem = {
    localId,
    materialId,
    filePath,
    name,
    contentType,
    state: state as UploadState,
    attempts,
    nextAttemptAt,
    progress: Math.min(100, progress),
  };
  if (item.state === 'done') {
    // A finished upload without its fileID cannot be referenced: upload it again (from the local
    // copy; a photo restored from the server has none and is dropped).
    if (!isString(fileID)) return filePath === '' ? null : { ...item, state: 'queued', progress: 0 };
    item.fileID = fileID;
  }
  if (lastError && typeof lastError === 'object') {
    const { code, message } = lastError as Record<string, unknown>;
    if (typeof code === 'string' && typeof message === 'string') item.lastError = { code, message };
  }
  return item;
}

/**
 * Reads a queue back from storage. Tolerant: anything unreadable gives an empty queue, malformed
 * items are dropped (never a crash on start), duplicates keep their first occurrence.
 */
export function parseQueue(stored: unknown): UploadQueue {
  let value: unknown = stored;
  if (typeof stored === 'string') {
    try {
      value = JSON.parse(stored);
    } catch {
      return emptyQueue();
    }
  }
  if (!value || typeof value !== 'object' || (value as { version?: unknown }).version !== 1) return emptyQueue();
  const rawItems = (value as { items?: unknown }).items;
  if (!Array.isArray(rawItems)) return emptyQueue();
  const seen = new Set<string>();
  const items: UploadItem[] = [];
  for (const raw of rawItems) {
    const item = parseItem(raw);
    if (!item || seen.has(item.localId)) continue;
    seen.add(item.localId);
    items.push(item);
  }
  return { version: 1, items };
}

/** The server's answer past an account's uploads for the day (src/core/uploadQuota.ts): 重试 helps from tomorrow. */
export const UPLOAD_LIMIT_REACHED = 'UPLOAD_LIMIT_REACHED';

/** What a photo's tile says of its upload. */
export function uploadStateText(item: UploadItem): string {
  switch (item.state) {
    case 'done':
      return '已上传';
    case 'uploading':
      return `上传中 ${item.progress}%`;
    case 'queued':
      // Only a network failure is the network's: a server error read 网络不好 to a person on good Wi-Fi (a walk).
      if (!item.lastError) return '等待上传';
      return item.lastError.code === 'NETWORK' ? '网络不好，稍后自动重试' : '没传上，稍后自动重试';
    case 'failed':
      // The day's limit is said once under the photos, in full: a tile is too narrow for its sentence.
      if (item.lastError?.code === UPLOAD_LIMIT_REACHED) return '今天已达上限';
      return item.lastError?.message ?? '上传失败';
  }
}
