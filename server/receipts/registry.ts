/**
 * The duplicate registry: every receipt submitted in a claim is recorded by its identity (票据代码 +
 * 号码, else QR payload, else hospital + date + total) and by the content hash of its photo, in the
 * `receiptKeys` collection whose `_id` is the key — a unique index across all claims of all users.
 * A voided claim (withdrawn, rejected) frees its keys.
 */
import { createHash } from 'node:crypto';
import type { DuplicateHit } from '../../src/core/contracts/views';
import { DomainError } from '../../src/core/errors';
import { StoreError, type Files, type Store } from '../ports';
import type { ReceiptReadingDoc } from './readings';

export interface ReceiptKeyDoc {
  _id: string;
  claimId: string;
  _openid: string;
  claimTitle: string;
  fileID: string;
  basis: string;
  at: string;
}

export type { DuplicateHit } from '../../src/core/contracts/views';

/** Keys are stored hashed: the registry never holds a receipt number or QR payload in plain. */
export function storedKey(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40);
}

export function claimLabel(doc: Pick<ReceiptKeyDoc, '_openid' | 'claimId' | 'claimTitle'>, viewer: string): string {
  return doc._openid === viewer ? `您的申请「${doc.claimTitle}」` : `他人的申请（编号 ****${doc.claimId.slice(-4).toUpperCase()}）`;
}

/** The keys of one photo: its identity as read (if read) and its content hash. */
export async function keysOfFile(store: Store, files: Files, fileID: string): Promise<Array<{ key: string; basis: string }>> {
  const keys: Array<{ key: string; basis: string }> = [];
  const reading = await store.collection<ReceiptReadingDoc>('receiptReadings').get(storedKey(fileID));
  if (reading?.identity) keys.push({ key: storedKey(reading.identity.key), basis: reading.identity.basis });
  const meta = await files.describe(fileID);
  if (meta?.sha256) keys.push({ key: storedKey(`sha256:${meta.sha256}`), basis: 'photo' });
  return keys;
}

export async function findDuplicates(store: Store, keys: Array<{ key: string; basis: string }>, viewer: string, exceptClaimId: string | null): Promise<DuplicateHit[]> {
  const hits: DuplicateHit[] = [];
  for (const { key, basis } of keys) {
    const doc = await store.collection<ReceiptKeyDoc>('receiptKeys').get(key);
    if (doc && doc.claimId !== exceptClaimId) hits.push({ key, basis, claimId: doc.claimId, claimLabel: claimLabel(doc, viewer), mine: doc._openid === viewer });
  }
  return hits;
}

/**
 * Records the keys of a claim's receipt photos; refuses (DUPLICATE_RECEIPT) when one belongs to
 * another claim. Idempotent for the same claim. On refusal nothing of this claim stays recorded.
 */
export async function reserveReceipts(store: Store, files: Files, claim: { id: string; owner: string; title: string }, fileIDs: readonly string[], now: Date): Promise<number> {
  const collection = store.collection<ReceiptKeyDoc>('receiptKeys');
  const taken: string[] = [];
  try {
    for (const fileID of fileIDs) {
      for (const { key, basis } of await keysOfFile(store, files, fileID)) {
        try {
          await collection.insert({ _id: key, claimId: claim.id, _openid: claim.owner, claimTitle: claim.title, fileID, basis, at: now.toISOString() });
          taken.push(key);
        } catch (error) {
          if (!(error instanceof StoreError && error.code === 'DUPLICATE_KEY')) throw error;
          const holder = await collection.get(key);
          if (!holder || holder.claimId === claim.id) continue;
          const what = basis === 'photo' ? '同一张照片' : '这张票据';
          throw new DomainError('DUPLICATE_RECEIPT', `${what}已在${claimLabel(holder, claim.owner)}中提交过，不能重复报销。`, {
            details: { claimId: holder._openid === claim.owner ? holder.claimId : null, basis },
          });
        }
      }
    }
  } catch (error) {
    for (const key of taken) await collection.remove(key);
    throw error;
  }
  return taken.length;
}

/** Frees a voided claim's receipts. */
export async function releaseReceipts(store: Store, claimId: string): Promise<void> {
  const collection = store.collection<ReceiptKeyDoc>('receiptKeys');
  for (;;) {
    const held = await collection.find({ claimId }, { limit: 100 });
    if (held.length === 0) return;
    for (const doc of held) await collection.remove(doc._id);
  }
}
