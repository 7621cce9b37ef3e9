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
import { identityOfQr, type ReceiptIdentity } from '../../src/core/receipt/identity';
import type { Files, Ports, Store, StoredFile, Transaction } from '../ports';
import { getMany } from '../repositories/getMany';
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
  return doc._openid === viewer
    ? `您的申请「${doc.claimTitle}」`
    : `他人的申请（编号 ****${doc.claimId.slice(-4).toUpperCase()}）`;
}

/** The keys of one photo: its identity as read (if read) and its content hash. */
function keysFrom(
  identity: ReceiptIdentity | null | undefined,
  meta: StoredFile | null | undefined,
): Array<{ key: string; basis: string }> {
  const keys: Array<{ key: string; basis: string }> = [];
  if (identity) keys.push({ key: storedKey(identity.key), basis: identity.basis });
  if (meta?.sha256) keys.push({ key: storedKey(`sha256:${meta.sha256}`), basis: 'photo' });
  return keys;
}

export async function keysOfFile(
  store: Store,
  files: Files,
  fileID: string,
): Promise<Array<{ key: string; basis: string }>> {
  const [reading, meta] = await Promise.all([
    store.collection<ReceiptReadingDoc>('receiptReadings').get(storedKey(fileID)),
    files.describe(fileID),
  ]);
  return keysFrom(reading?.identity, meta);
}

export async function findDuplicates(
  store: Store,
  keys: Array<{ key: string; basis: string }>,
  viewer: string,
  exceptClaimId: string | null,
): Promise<DuplicateHit[]> {
  const hits: DuplicateHit[] = [];
  for (const { key, basis } of keys) {
    const doc = await store.collection<ReceiptKeyDoc>('receiptKeys').get(key);
    if (doc && doc.claimId !== exceptClaimId)
      hits.push({
        key,
        basis,
        claimId: doc.claimId,
        claimLabel: claimLabel(doc, viewer),
        mine: doc._openid === viewer,
      });
  }
  return hits;
}

/** A key a claim's receipt photo would hold in the registry. */
export interface ReceiptKey {
  key: string;
  basis: string;
  fileID: string;
}

/** What was read from these photos, by fileID: one query (per 100 photos), not one each. */
export async function readingsOf(store: Store, fileIDs: readonly string[]): Promise<Map<string, ReceiptReadingDoc>> {
  const docs = await getMany(store.collection<ReceiptReadingDoc>('receiptReadings'), fileIDs.map(storedKey));
  const readings = new Map<string, ReceiptReadingDoc>();
  for (const fileID of fileIDs) {
    const doc = docs.get(storedKey(fileID));
    if (doc) readings.set(fileID, doc);
  }
  return readings;
}

/**
 * The identities of receipt photos nobody read, from their QR codes alone (`readQr`; text, the OCR, is not run): a
 * client that calls submit without `receipts.read` still has the receipt checked against the registry, not only the
 * photo's bytes. A photo without a readable QR keeps its content hash only, and the 预审 says it was not read.
 */
export async function identitiesOfUnread(
  ports: Pick<Ports, 'files' | 'readQr'>,
  readings: ReadonlyMap<string, ReceiptReadingDoc>,
  fileIDs: readonly string[],
  /** Whose claim it is: their photos wait in a line of their own for the QR reader (server/ocr/fairQueue.ts). */
  requester: string,
): Promise<Map<string, ReceiptIdentity>> {
  const identities = new Map<string, ReceiptIdentity>();
  const { readQr } = ports;
  if (!readQr) return identities;
  for (const fileID of new Set(fileIDs)) {
    if (readings.has(fileID)) continue;
    // Best effort: bytes that cannot be fetched leave the photo as one nobody read (its hash held, the 预审 saying so).
    const text = await ports.files
      .bytes(fileID)
      .then((bytes) => readQr(bytes, requester))
      .catch(() => null);
    const identity = text === null ? null : identityOfQr(text);
    if (identity) identities.set(fileID, identity);
  }
  return identities;
}

/** The registry keys of a claim's receipt photos (before the submitting transaction), from their metadata and readings already read. */
export function receiptKeysOf(
  known: {
    files: ReadonlyMap<string, StoredFile>;
    readings: ReadonlyMap<string, ReceiptReadingDoc>;
    /** Identities of photos not read (`identitiesOfUnread`). */
    unread?: ReadonlyMap<string, ReceiptIdentity>;
  },
  fileIDs: readonly string[],
): ReceiptKey[] {
  return fileIDs.flatMap((fileID) =>
    keysFrom(known.readings.get(fileID)?.identity ?? known.unread?.get(fileID), known.files.get(fileID)).map(
      ({ key, basis }) => ({ key, basis, fileID }),
    ),
  );
}

/**
 * Records a claim's receipt keys inside its submitting transaction; refuses (DUPLICATE_RECEIPT,
 * naming the holder) when another claim holds one — and the whole transaction, claim included,
 * is then rolled back. Idempotent for the same claim.
 */
export async function reserveReceipts(
  tx: Transaction,
  claim: { id: string; owner: string; title: string },
  keys: readonly ReceiptKey[],
  now: Date,
): Promise<string[]> {
  refuseOneReceiptTwice(claim.id, keys);
  const held: string[] = [];
  for (const { key, basis, fileID } of keys) {
    const holder = await tx.get<ReceiptKeyDoc>('receiptKeys', key);
    if (holder && holder.claimId !== claim.id) {
      const what = basis === 'photo' ? '同一张照片' : '这张票据';
      throw new DomainError(
        'DUPLICATE_RECEIPT',
        `${what}已在${claimLabel(holder, claim.owner)}中提交过，不能重复报销。`,
        {
          details: { claimId: holder._openid === claim.owner ? holder.claimId : null, basis },
        },
      );
    }
    if (!holder)
      await tx.set<ReceiptKeyDoc>('receiptKeys', {
        _id: key,
        claimId: claim.id,
        _openid: claim.owner,
        claimTitle: claim.title,
        fileID,
        basis,
        at: now.toISOString(),
      });
    if (!held.includes(key)) held.push(key);
  }
  return held;
}

/** Identities that name one receipt for certain (票据代码 + 号码, the QR payload); hospital + day + total may be two. */
export const DEFINITIVE_BASES: ReadonlySet<string> = new Set(['code-number', 'qr']);

/**
 * Two photos of one receipt among those a step files (a submit, a 补件 answer): refused. The registry let a key through
 * for its own claim, so one invoice photographed twice was filed, pre-checked and paid twice in one claim (black-box
 * probe: 397.49 元 paid over). Receipts alike only by hospital, day and total (two 挂号 of one day) pass.
 */
function refuseOneReceiptTwice(claimId: string, keys: readonly ReceiptKey[]): void {
  const photoOf = new Map<string, string>();
  for (const { key, basis, fileID } of keys) {
    const first = photoOf.get(key);
    if (first !== undefined && first !== fileID && DEFINITIVE_BASES.has(basis))
      throw new DomainError(
        'DUPLICATE_RECEIPT',
        '同一张票据在这份申请里交了两张照片，同一张票据只能报销一次。请删掉其中一张后再提交。',
        { details: { claimId, basis, fileIDs: [first, fileID] } },
      );
    if (first === undefined) photoOf.set(key, fileID);
  }
}

/** Frees the keys a voided claim (withdrawn, rejected) holds, inside that transition's transaction. */
export async function releaseReceipts(tx: Transaction, claimId: string, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    const holder = await tx.get<ReceiptKeyDoc>('receiptKeys', key);
    if (holder?.claimId === claimId) await tx.remove('receiptKeys', key);
  }
}
