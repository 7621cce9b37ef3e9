/**
 * Drafts never lose work: the claim being filled in lives here. Every change is written to local
 * storage at once (synchronously, so a reload a moment later finds it) and, a little later, to the
 * server draft (claims.saveDraft) with the photos that finished uploading. A reload, or closing the
 * mini-program, resumes exactly where the person was: same step, same text, same photos.
 */
import { useEffect, useState } from 'react';
import {
  draftFromServer,
  emptyDraft,
  putAsideBlocker,
  serverDraftOf,
  type ClaimDraftState,
  type PutAsideAction,
} from '../core/claimFormDraft';
import { maskBankAccount, maskIdNumber, maskPhone } from '../core/identity';
import type { UploadQueue } from '../core/uploadQueue';
import { claimsApi } from './claims';
import { CloudError, newRequestId } from './cloud';
// One draft per person: the key, and reading and writing it, are in ./draftStorage (首页 reads it from there).
import {
  draftStorageKey,
  readStoredDraft,
  readTypedPersonalFields,
  writeStoredDraft,
  writeTypedPersonalFields,
  type TypedPersonalFields,
} from './draftStorage';
import { onNetworkBack } from './network';
import { photoUploader } from './photos';

const SERVER_SAVE_DELAY_MS = 1200;
const RETRY_DELAY_MS = 15_000;

/** `signedOut`: the server asked who is saving (H5 before its dev login): not the network's fault, and not said as it. */
export type SyncState = 'local' | 'saving' | 'saved' | 'offline' | 'signedOut';

let current: ClaimDraftState | null = null;
let loadedKey: string | null = null;
let sync: SyncState = 'local';
let saveTimer: ReturnType<typeof setTimeout> | null = null;
let saving: Promise<void> | null = null;
let dirtyWhileSaving = false;
const listeners = new Set<() => void>();
const watchedUploads = new Map<string, () => void>();

function notify(): void {
  listeners.forEach((listener) => listener());
}

/** The photos of the draft that finished uploading, by material (the only ones a claim may name). */
export function draftMaterials(draft: Pick<ClaimDraftState, 'localId'>): Record<string, string[]> {
  const uploader = photoUploader(draft.localId);
  const materials: Record<string, string[]> = {};
  for (const item of uploader.queue.items) {
    if (item.state === 'done' && item.fileID) (materials[item.materialId] ??= []).push(item.fileID);
  }
  return materials;
}

function watchUploads(localId: string): void {
  if (watchedUploads.has(localId)) return;
  let doneCount = -1;
  const stop = photoUploader(localId).subscribe((queue: UploadQueue) => {
    const done = queue.items.filter((item) => item.state === 'done').length;
    if (done !== doneCount) {
      doneCount = done;
      scheduleServerSave();
    }
  });
  watchedUploads.set(localId, stop);
}

/** The draft in progress on this device (resuming its photo uploads), or null. */
export function getDraft(): ClaimDraftState | null {
  const key = draftStorageKey();
  if (loadedKey !== key) {
    loadedKey = key;
    current = readStoredDraft();
    if (current) watchUploads(current.localId);
  }
  return current;
}

function scheduleServerSave(delay = SERVER_SAVE_DELAY_MS): void {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    saveTimer = null;
    void saveToServer();
  }, delay);
}

async function saveToServer(draft: ClaimDraftState | null = getDraft()): Promise<void> {
  if (saving) {
    dirtyWhileSaving = true;
    return saving;
  }
  if (!draft) return;
  sync = 'saving';
  notify();
  saving = (async () => {
    try {
      // The first save creates the server draft: its request id is the draft's own id, so a retry never makes two.
      const summary = await claimsApi.saveDraft(
        {
          ...(draft.serverId ? { id: draft.serverId } : {}),
          form: serverDraftOf(draft),
          materials: draftMaterials(draft),
        },
        draft.serverId ? newRequestId() : draft.localId,
      );
      if (current && current.localId === draft.localId && !current.serverId) {
        current = { ...current, serverId: summary.id };
        writeStoredDraft(current);
      }
      sync = 'saved';
    } catch (error) {
      // Already submitted elsewhere (a retry after a timeout): nothing left to save.
      if (error instanceof CloudError && error.code === 'TRANSITION_NOT_ALLOWED') sync = 'saved';
      else {
        // Not signed in is said as such (a walk saw 网络不太好 before choosing an account); tried again either way.
        sync = error instanceof CloudError && error.code === 'UNAUTHENTICATED' ? 'signedOut' : 'offline';
        scheduleServerSave(RETRY_DELAY_MS);
      }
    } finally {
      saving = null;
      notify();
    }
  })();
  await saving;
  if (dirtyWhileSaving) {
    dirtyWhileSaving = false;
    await saveToServer();
  }
}

/** Saves the server copy now (before leaving a step, before submitting). Never throws. */
export async function flushDraft(): Promise<void> {
  if (saveTimer) {
    clearTimeout(saveTimer);
    saveTimer = null;
  }
  await saveToServer();
}

/**
 * Saves the draft in progress now and says why it cannot be put aside yet (a photo still on its way,
 * a change the server has not got), or null when it can: putting it aside forgets it on this device.
 * A draft not yet begun (no 情况 chosen, no photo) has nothing to lose.
 */
export async function whyNotPutAside(action: PutAsideAction): Promise<string | null> {
  const draft = getDraft();
  if (!draft) return null;
  const items = photoUploader(draft.localId).queue.items;
  if (draft.step === 'guide' && !draft.guide.scenario && items.length === 0) return null;
  const photosNotUploaded = items.filter((item) => item.state !== 'done').length;
  if (photosNotUploaded === 0 && (saveTimer || sync !== 'saved')) await flushDraft();
  // A change made while a save was on its way is saved right after it, by the call that started that save.
  while (saving) await saving;
  return putAsideBlocker({ saved: sync === 'saved', photosNotUploaded }, action);
}

/**
 * Starts another claim. The one in progress stays in 我的报销: its last changes (and photos) are sent
 * to the server first when they have not been, then it is forgotten on this device.
 */
export function startNewDraft(): ClaimDraftState {
  const previous = getDraft();
  if (previous) {
    if (saveTimer || sync !== 'saved') {
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = null;
      // The request and its materials are built before the first await, so discarding below loses nothing.
      void saveToServer(previous);
    }
    discardLocal(previous);
  }
  current = emptyDraft(newRequestId(), newRequestId(), Date.now());
  writeStoredDraft(current);
  watchUploads(current.localId);
  sync = 'local';
  notify();
  return current;
}

/** Applies a change: stored on the device at once, on the server shortly after. */
export function updateDraft(change: (draft: ClaimDraftState) => ClaimDraftState): ClaimDraftState | null {
  const draft = getDraft();
  if (!draft) return null;
  current = { ...change(draft), updatedAt: Date.now() };
  writeStoredDraft(current);
  sync = 'local';
  notify();
  scheduleServerSave();
  return current;
}

function discardLocal(draft: ClaimDraftState): void {
  // Put aside, a draft keeps on this device what was typed of its personal values (the server's copy is masked).
  if (draft.serverId) {
    const before = readTypedPersonalFields(draft.serverId);
    // A value not typed here (empty, or a mask) keeps what was typed before.
    const typed = (value: string, earlier: string | undefined): string =>
      value && !value.includes('*') ? value : (earlier ?? '');
    writeTypedPersonalFields(draft.serverId, {
      idNumber: typed(draft.insured.idNumber, before?.idNumber),
      accountNumber: typed(draft.payout.accountNumber, before?.accountNumber),
      phone: typed(draft.phone, before?.phone),
    });
  }
  watchedUploads.get(draft.localId)?.();
  watchedUploads.delete(draft.localId);
  photoUploader(draft.localId).clear();
}

/** The draft was submitted (or abandoned): forget it and its photos on the device. */
export function finishDraft(): void {
  const draft = getDraft();
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = null;
  if (draft) discardLocal(draft);
  if (draft?.serverId) writeTypedPersonalFields(draft.serverId, null);
  current = null;
  writeStoredDraft(null);
  // Nothing left to save: 网络不太好 stayed on screen after the claim itself had gone through (a walk).
  sync = 'saved';
  notify();
}

/**
 * The network is back (the platform says so: services/network.ts): a save that failed is tried now, not at its next
 * retry up to 15 s later — 网络不太好：已保存在本机 stayed while the server was answering again (a walk). Listened to
 * from this module (loaded with the claim's pages), not from app.tsx: the draft's module in 首页's first load carried
 * zod and the rules engine with it (212.6 KB gzip against 149 KB; scripts/check-h5-chunks.ts).
 */
export function networkBack(): void {
  if (sync !== 'offline') return;
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = null;
  void saveToServer();
}
onNetworkBack(networkBack);

/**
 * A draft reopened from the server, with the personal values typed into it on this device put back where the server's
 * masked copy is theirs (a walk: a parent's 身份证号 came back empty after switching to another draft and back). A value
 * the server holds otherwise (changed on another phone since) is left as the server says.
 */
export function withTypedPersonalFields(
  draft: ClaimDraftState,
  serverForm: Record<string, unknown>,
  typed: TypedPersonalFields | null,
): ClaimDraftState {
  if (!typed) return draft;
  const server = serverForm as {
    insured?: { idNumber?: unknown };
    payout?: { accountNumber?: unknown };
    phone?: unknown;
  };
  const takes = (kept: unknown, value: string, mask: (full: string) => string): boolean =>
    value !== '' && typeof kept === 'string' && kept !== '' && (kept === value || kept === mask(value));
  return {
    ...draft,
    insured: takes(server.insured?.idNumber, typed.idNumber, maskIdNumber)
      ? { ...draft.insured, idNumber: typed.idNumber }
      : draft.insured,
    payout: takes(server.payout?.accountNumber, typed.accountNumber, maskBankAccount)
      ? { ...draft.payout, accountNumber: typed.accountNumber }
      : draft.payout,
    phone: takes(server.phone, typed.phone, maskPhone) ? typed.phone : draft.phone,
  };
}

/** Continues a server draft on this device (its masked personal fields must be typed again); the one in progress must be saved first (`whyNotPutAside`). */
export async function resumeServerDraft(id: string): Promise<ClaimDraftState> {
  const existing = getDraft();
  if (existing?.serverId === id) return existing;
  const detail = await claimsApi.get(id);
  if (existing) {
    const blocker = await whyNotPutAside('openOther');
    if (blocker) throw new CloudError({ code: 'DRAFT_NOT_SAVED', message: blocker });
    discardLocal(existing);
  }
  current = withTypedPersonalFields(
    draftFromServer(id, detail.form ?? {}, Date.now(), {
      localId: newRequestId(),
      submitRequestId: newRequestId(),
    }),
    detail.form ?? {},
    readTypedPersonalFields(id),
  );
  // The photos go with the draft: without them the next save would name none and empty the server copy.
  photoUploader(current.localId).restoreUploaded(detail.materials);
  writeStoredDraft(current);
  watchUploads(current.localId);
  sync = 'saved';
  notify();
  return current;
}

export function syncState(): SyncState {
  return sync;
}

/** Calls `listener` on every change of the draft or its save state; returns the unsubscribe function. */
export function subscribeDraft(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The draft and its save state, re-rendering on every change. */
export function useDraft(): { draft: ClaimDraftState | null; sync: SyncState } {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const listener = (): void => setVersion((version) => version + 1);
    const unsubscribe = subscribeDraft(listener);
    // A change made before this effect ran (e.g. in the page's onLoad) must show too.
    listener();
    return unsubscribe;
  }, []);
  return { draft: getDraft(), sync };
}

/** The photo queue of the draft, re-rendering on every change (state, progress). */
export function useUploadQueue(localId: string | undefined): UploadQueue | null {
  const [queue, setQueue] = useState<UploadQueue | null>(() => (localId ? photoUploader(localId).queue : null));
  useEffect(() => {
    if (!localId) return undefined;
    const uploader = photoUploader(localId);
    setQueue(uploader.queue);
    return uploader.subscribe(setQueue);
  }, [localId]);
  return queue;
}
