/**
 * Receipt readings in the app: the typed `receipts.read` call, one reading per uploaded photo (kept
 * for the session, so the 填写 and 材料 pages share it and a photo is never sent twice at once), the
 * photos read one at a time in the order they were uploaded (src/core/readingQueue.ts), and
 * what the person did on each receipt card (confirmations, corrections), kept on the device per draft.
 */
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { emptyReview, type ReceiptReadResult, type ReceiptReview } from '../core/receiptFill';
import {
  emptyReadingQueue,
  enqueueRead,
  finishRead,
  photosAhead,
  readingElapsedMs,
  type ReadingQueue,
  startNextRead,
} from '../core/readingQueue';
import { call, CloudError } from './cloud';

export const receiptsApi = {
  read: (fileID: string, claimId?: string) =>
    call<ReceiptReadResult>('receipts', 'read', { fileID, ...(claimId ? { claimId } : {}) }),
};

export type ReadingState =
  | { status: 'waiting'; queuedAt: number }
  | { status: 'reading'; startedAt: number }
  | { status: 'done'; reading: ReceiptReadResult; elapsedMs: number }
  | { status: 'failed'; message: string; code: string };

const states = new Map<string, ReadingState>();
const listeners = new Set<() => void>();
const notify = (): void => listeners.forEach((listener) => listener());

// One queue for the photos of the session (src/core/readingQueue.ts): read one at a time, in order.
let queue: ReadingQueue = emptyReadingQueue();
const claimIds = new Map<string, string | undefined>();

function readNext(): void {
  const next = startNextRead(queue);
  queue = next.queue;
  const fileID = next.fileID;
  if (fileID === null) return;
  const startedAt = Date.now();
  states.set(fileID, { status: 'reading', startedAt });
  notify();
  receiptsApi
    .read(fileID, claimIds.get(fileID))
    .then((reading) =>
      states.set(fileID, {
        status: 'done',
        reading,
        elapsedMs: readingElapsedMs(Date.now() - startedAt, reading.timings),
      }),
    )
    .catch((error: unknown) => {
      const failure =
        error instanceof CloudError
          ? error
          : new CloudError({ code: 'NETWORK', message: '网络不太好，没能识别这张票据' });
      states.set(fileID, { status: 'failed', message: failure.message, code: failure.code });
    })
    .finally(() => {
      queue = finishRead(queue, fileID);
      notify();
      readNext();
    });
}

/** Queues a photo for reading unless it is waiting, being read or was read; a failed read is queued again. */
export function startReading(fileID: string, claimId?: string): void {
  const state = states.get(fileID);
  if (state && state.status !== 'failed') return;
  claimIds.set(fileID, claimId);
  states.set(fileID, { status: 'waiting', queuedAt: Date.now() });
  queue = enqueueRead(queue, fileID);
  notify();
  readNext();
}

/** Photos read before this one (the one being read included); -1 when it is not waiting. */
export function readingsAhead(fileID: string): number {
  return photosAhead(queue, fileID);
}

/** The reading of each photo, queued as soon as it is asked for; re-renders on every change. */
export function useReceiptReadings(
  fileIDs: readonly string[],
  claimId: string | undefined,
): Record<string, ReadingState> {
  const [, setVersion] = useState(0);
  const key = fileIDs.join(',');
  useEffect(() => {
    const listener = (): void => setVersion((version) => version + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  useEffect(() => {
    for (const fileID of fileIDs) startReading(fileID, claimId);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- start when the set of photos changes
  }, [key]);
  return Object.fromEntries(
    fileIDs.flatMap((fileID) => {
      const state = states.get(fileID);
      return state ? [[fileID, state]] : [];
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// What the person did on each card, per draft

const reviewKey = (draftLocalId: string): string => `receipts.reviews.${draftLocalId}`;
const reviewListeners = new Set<() => void>();

function readReviews(draftLocalId: string): Record<string, ReceiptReview> {
  try {
    const raw = Taro.getStorageSync(reviewKey(draftLocalId)) as unknown;
    const value = typeof raw === 'string' && raw ? (JSON.parse(raw) as unknown) : null;
    return value && typeof value === 'object' ? (value as Record<string, ReceiptReview>) : {};
  } catch {
    return {};
  }
}

export function reviewOf(draftLocalId: string, fileID: string): ReceiptReview {
  return readReviews(draftLocalId)[fileID] ?? emptyReview();
}

export function saveReview(draftLocalId: string, fileID: string, review: ReceiptReview): void {
  Taro.setStorageSync(reviewKey(draftLocalId), JSON.stringify({ ...readReviews(draftLocalId), [fileID]: review }));
  reviewListeners.forEach((listener) => listener());
}

/** Re-renders when any card's review changes (the same receipt may be on two pages of the stack). */
export function useReviewChanges(): void {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = (): void => setVersion((version) => version + 1);
    reviewListeners.add(listener);
    return () => {
      reviewListeners.delete(listener);
    };
  }, []);
}
