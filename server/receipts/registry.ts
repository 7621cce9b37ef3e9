/**
 * The duplicate registry: every receipt submitted in a claim is recorded by its identity (票据代码 +
 * 号码, else QR payload, else hospital + date + total) and by the content hash of its photo, in the
 * `receiptKeys` collection whose `_id` is the key — a unique index across all claims of all users.
 * Only the claim's own transitions write its keys: submitting reserves them, withdrawing or
 * rejecting frees them, each in the transaction that moves the claim (see server/claims/effects.ts).
 */
import { createHash } from 'node:crypto';
import type { DuplicateHit } from '../../src/core/contracts/views';
import { DomainError } from '../../src/core/errors';
import type { Files, Store, Transaction } from '../ports';
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

/** A key a claim's receipt photo would hold in the registry. */
export interface ReceiptKey {
  key: string;
  basis: string;
  fileID: string;
}

/** The registry keys of a claim's receipt photos (read before the submitting transaction). */
export async function receiptKeysOf(store: Store, files: Files, fileIDs: readonly string[]): Promise<ReceiptKey[]> {
  const keys: ReceiptKey[] = [];
  for (const fileID of fileIDs) for (const { key, basis } of await keysOfFile(store, files, fileID)) keys.push({ key, basis, fileID });
  return keys;
}

/**
 * Records a claim's receipt keys inside its submitting transaction; refuses (DUPLICATE_RECEIPT,
 * naming the holder) when another claim holds one — and the whole transaction, claim included,
 * is then rolled back. Idempotent for the same claim.
 */
export async function reserveReceipts(tx: Transaction, claim: { id: string; owner: string; title: string }, keys: readonly ReceiptKey[], now: Date): Promise<string[]> {
  const held: string[] = [];
  for (const { key, basis, fileID } of keys) {
    const holder = await tx.get<ReceiptKeyDoc>('receiptKeys', key);
    if (holder && holder.claimId !== claim.id) {
      const what = basis === 'photo' ? '同一张照片' : '这张票据';
      throw new DomainError('DUPLICATE_RECEIPT', `${what}已在${claimLabel(holder, claim.owner)}中提交过，不能重复报销。`, {
        details: { claimId: holder._openid === claim.owner ? holder.claimId : null, basis },
      });
    }
    if (!holder) await tx.set<ReceiptKeyDoc>('receiptKeys', { _id: key, claimId: claim.id, _openid: claim.owner, claimTitle: claim.title, fileID, basis, at: now.toISOString() });
    if (!held.includes(key)) held.push(key);
  }
  return held;
}

/** Frees the keys a voided claim (withdrawn, rejected) holds, inside that transition's transaction. */
export async function releaseReceipts(tx: Transaction, claimId: string, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    const holder = await tx.get<ReceiptKeyDoc>('receiptKeys', key);
    if (holder?.claimId === claimId) await tx.remove('receiptKeys', key);
  }
}
