/**
 * The sweep of unattached uploads: a photo uploaded 30 days ago or more that no claim holds — no draft, no
 * submitted claim, whatever its status — is removed (record, bytes, and its receipt reading). Such photos are
 * retakes, photos taken off a draft, or a client that uploads without filing (a probe left 228 MB of them).
 *
 * Why 30 days is safe: the app saves the draft with every photo that finished uploading 1.2 s after the change
 * (src/services/draft.ts), so a photo a person still means to file is held by their draft within seconds. Only a
 * phone that uploaded, could never save the draft, and comes back after 30 days would find a photo gone: the claim
 * then names a file that does not exist, and submit says which photo to take again (FILE_NOT_FOUND).
 * One more edge: a process that read the record before it was removed keeps its copy (FileRecords' cache), so a
 * claim naming such a photo there would pass the check; it takes a photo never held by any claim for 30 days, named
 * at the moment of the sweep.
 *
 * Each upload is looked at once, when it turns 30 days old: a cursor over `uploadedAt` (server/repositories/cursorScan.ts)
 * goes on where the last run stopped, a slice a run (the `notify` drain: every minute in the cloud, every 2 s locally).
 * A photo a claim held then is kept for good, even if that draft is deleted later.
 */
import { JOBS } from '../claims/dashboardFacts';
import type { Files, Store, StoredDoc } from '../ports';
import { storedKey } from '../receipts/registry';
import { claimsOf } from '../repositories/claims';
import { fromCursor } from '../repositories/cursorScan';

const DAY_MS = 86_400_000;
export const UNATTACHED_UPLOAD_DAYS = 30;
export const SWEEP_JOB = 'uploads.sweep';
/** Pages of 100 uploads a run looks at, at most. */
export const SWEEP_PAGES = 2;

interface UploadRecord extends StoredDoc {
  _openid: string;
  fileID: string;
  uploadedAt: string;
}

export interface SweepReport {
  /** Uploads looked at (30 days old, not looked at before). */
  checked: number;
  /** Of those, removed: no claim held them. */
  removed: number;
}

/** The fileIDs the owner's claims hold (drafts included): their materials, their receipt photos, those sent back. */
async function heldBy(store: Store, owner: string): Promise<Set<string>> {
  const held = new Set<string>();
  for (let skip = 0; ; skip += 100) {
    const page = await claimsOf(store).find(
      { _openid: owner },
      { sort: { _id: 1 }, skip, limit: 100, fields: ['materials', 'receiptFileIds', 'retakenPhotos'] },
    );
    for (const claim of page) {
      for (const fileIDs of Object.values(claim.materials ?? {})) for (const fileID of fileIDs ?? []) held.add(fileID);
      for (const fileID of claim.receiptFileIds ?? []) held.add(fileID);
      // Sent back to be taken again (重拍): kept with the claim's record.
      for (const photo of claim.retakenPhotos ?? []) held.add(photo.fileID);
    }
    if (page.length < 100) return held;
  }
}

/** Time the sweep leaves its run (ms): in the cloud, a removal is three calls of 10–30 ms. */
export const SWEEP_STOP_WITH_MS_LEFT = 3000;

/** One slice of the sweep; the cursor moves only past uploads that were dealt with. */
export async function sweepUnattachedUploads(
  deps: { store: Store; files: Files; now: Date },
  options: { pages?: number; timeLeftMs?: () => number } = {},
): Promise<SweepReport> {
  const { store, files, now } = deps;
  const upTo = new Date(now.getTime() - UNATTACHED_UPLOAD_DAYS * DAY_MS).toISOString();
  const { docs, cursor } = await fromCursor<UploadRecord>(store, now, {
    collection: 'files',
    job: SWEEP_JOB,
    filter: {},
    field: 'uploadedAt',
    fields: ['_openid', 'fileID'],
    start: '',
    upTo,
    valuesShared: true,
    pages: options.pages ?? SWEEP_PAGES,
  });
  const owners = new Map<string, Set<string>>();
  let removed = 0;
  let done = 0;
  for (const upload of docs) {
    // Out of time: the cursor stops after the last upload dealt with, the next run goes on from there.
    if (options.timeLeftMs && options.timeLeftMs() < SWEEP_STOP_WITH_MS_LEFT) break;
    let held = owners.get(upload._openid);
    if (!held) owners.set(upload._openid, (held = await heldBy(store, upload._openid)));
    if (!held.has(upload.fileID)) {
      await files.remove(upload.fileID);
      await store.collection('receiptReadings').remove(storedKey(upload.fileID));
      removed += 1;
    }
    done += 1;
  }
  const last = docs[done - 1];
  const moved =
    done === docs.length
      ? cursor
      : last
        ? { _id: SWEEP_JOB, value: last.uploadedAt, lastId: last._id, at: now.toISOString() }
        : null;
  if (moved) await store.transaction((tx) => tx.set(JOBS, moved));
  return { checked: done, removed };
}
