import type { PolicyCatalog } from './policies/catalog';
import type { FieldSealer } from './security/fieldCipher';

/**
 * The ports every handler talks to. Two kinds of adapter implement them: embedded (nedb + files on
 * disk, for the local server and tests) and cloud (wx-server-sdk, in the cloud functions).
 * Handlers receive them as arguments, together with the caller's identity — they never reach for
 * process-wide state (the platform context of a cloud function reads environment variables).
 */

/** Every stored document has a string id; claims and ledgers also carry a `version` for optimistic concurrency. */
export interface StoredDoc {
  _id: string;
}

type Bound = string | number;
type Lower = { $gt: Bound; $gte?: never } | { $gte: Bound; $gt?: never };
type Upper = { $lt: Bound; $lte?: never } | { $lte: Bound; $lt?: never };
type NoLower = { $gt?: never; $gte?: never };
type NoUpper = { $lt?: never; $lte?: never };

/**
 * A range on one field: a lower bound (`$gt` or `$gte`), an upper bound (`$lt` or `$lte`), or both. A string bound
 * matches strings only, a number bound numbers only.
 */
export type RangeCondition = (Lower & (Upper | NoUpper)) | (NoLower & Upper);

export type RangeOperator = '$gt' | '$gte' | '$lt' | '$lte';
const rangeOperators: readonly RangeOperator[] = ['$gt', '$gte', '$lt', '$lte'];

/** The bounds a condition sets, in the order $gt, $gte, $lt, $lte (none: not a range). */
export function rangeBounds(condition: object): Array<[RangeOperator, Bound]> {
  const bounds = condition as Partial<Record<RangeOperator, Bound>>;
  return rangeOperators.flatMap((operator) => {
    const bound = bounds[operator];
    return bound === undefined ? [] : [[operator, bound] as [RangeOperator, Bound]];
  });
}

/** A deliberately small query language that both nedb and the WeChat database express natively. */
export type FieldCondition =
  | string
  | number
  | boolean
  | null
  | { $in: Array<string | number> }
  | RangeCondition
  | { $ne: string | number | boolean | null };

export type Filter = Record<string, FieldCondition>;

export interface FindOptions {
  /** Field → 1 ascending / -1 descending, applied in key order. */
  sort?: Record<string, 1 | -1>;
  skip?: number;
  /** At most 100: the WeChat database returns no more per call, so we never rely on more. */
  limit?: number;
  /**
   * Only these fields are needed (dotted paths reach into objects; `_id` always comes; no field the
   * prefix of another). A hint: an adapter may return whole documents (SQLite reads just these, the
   * others everything), so the caller must read nothing else of what it gets.
   */
  fields?: readonly string[];
}

export const MAX_PAGE_SIZE = 100;

/** A value a document's field is grouped by: a JSON scalar; null when the field is missing or null. */
export type GroupKeyValue = string | number | boolean | null;

/** One group of `groupCount`: the `by` fields' values in order, how many documents, the sum of the `sum` field. */
export interface Group {
  key: GroupKeyValue[];
  count: number;
  /** The `sum` field's numbers added up (a document without a number there adds 0); 0 when no field was given. */
  sum: number;
}

/**
 * At most this many groups come back from one `groupCount` (more is refused, not cut short): the
 * WeChat database's aggregation answers 20 results unless told a limit, and at most 10,000.
 */
export const MAX_GROUPS = 1000;

export interface Collection<T extends StoredDoc> {
  /** Inserts a document; rejects with StoreError('DUPLICATE_KEY') when a unique index refuses it. */
  insert(doc: T): Promise<T>;
  get(id: string): Promise<T | null>;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  count(filter: Filter): Promise<number>;
  /**
   * The documents matching `filter` counted by the values of the `by` fields (scalars: a field holding an
   * object or array is not a key), with the `sum` field added up per group: one call, whatever the number
   * of documents (SQL's GROUP BY, the WeChat database's aggregation; nedb reads them). Groups in no order;
   * StoreError('TOO_MANY_GROUPS') past MAX_GROUPS.
   */
  groupCount(filter: Filter, by: readonly string[], sum?: string): Promise<Group[]>;
  /**
   * Replaces fields of one document. With `expectVersion`, the update happens only when the stored
   * `version` equals it (and the caller's patch is expected to bump it); returns false otherwise.
   */
  update(id: string, patch: Partial<T>, options?: { expectVersion?: number }): Promise<boolean>;
  /**
   * Replaces fields of every document matching `filter`, in one call (SQL's UPDATE … WHERE, the WeChat database's
   * `where().update()`), each document on its own (no transaction across them); returns how many were written.
   * Put in the filter what the patch changes (`read: false` to set `read: true`): the WeChat database does not
   * count a document the patch leaves as it was. An empty filter is refused (a whole collection rewritten by
   * mistake).
   */
  updateWhere(filter: Filter, patch: Partial<T>): Promise<number>;
  remove(id: string): Promise<boolean>;
}

/** What `updateWhere` refuses: an empty filter (every document of the collection). */
export function refuseEmptyFilter(filter: Filter, where: string): void {
  if (Object.keys(filter).length === 0)
    throw new Error(`${where}: updateWhere needs a filter (it would rewrite every document)`);
}

export class StoreError extends Error {
  constructor(
    /**
     * DUPLICATE_KEY: a unique index refused a write; TRANSACTION_CONFLICT: a transaction kept meeting
     * concurrent writes to what it read and gave up; STORE_UNAVAILABLE: the database did not answer;
     * TOO_MANY_GROUPS: a `groupCount` would answer more than MAX_GROUPS groups.
     */
    readonly code: 'DUPLICATE_KEY' | 'TRANSACTION_CONFLICT' | 'STORE_UNAVAILABLE' | 'TOO_MANY_GROUPS',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * The reads and writes of one transaction: documents by id only, whole documents only — the WeChat
 * database allows nothing else inside `db.runTransaction` (no `where`, no partial updates that merge).
 * So every document a state change touches has a computed id: the claim, `ledgers/<person:region:type:year>`,
 * `receiptKeys/<hashed key>`.
 */
export interface Transaction {
  get<T extends StoredDoc>(collection: string, id: string): Promise<T | null>;
  /** Creates the document or replaces it whole (no merge of nested fields). */
  set<T extends StoredDoc>(collection: string, doc: T): Promise<void>;
  remove(collection: string, id: string): Promise<void>;
}

export interface Store {
  collection<T extends StoredDoc>(name: string): Collection<T>;
  /**
   * Runs `work` as one transaction: every write it made lands, or none does (an exception from
   * `work` rolls all back and is rethrown). Concurrent transactions on the same documents are
   * serialised or retried by the adapter, so `work` may run more than once: it must do nothing
   * outside `tx` that cannot be repeated (no calls to other ports, no writes outside `tx`).
   * Gives up with StoreError('TRANSACTION_CONFLICT') when retries run out.
   */
  transaction<R>(work: (tx: Transaction) => Promise<R>): Promise<R>;
}

export interface StoredFile {
  fileID: string;
  owner: string;
  contentType: string;
  size: number;
  sha256: string;
  name: string;
  uploadedAt: string;
}

/** Cloud storage: files are owned by whoever uploaded them. */
export interface Files {
  /** Metadata of a stored file, or null when there is none with this id. */
  describe(fileID: string): Promise<StoredFile | null>;
  /** Metadata of many files in one query (per 100): those found, by fileID. */
  describeMany(fileIDs: readonly string[]): Promise<Map<string, StoredFile>>;
  /** A URL the browser or mini-program can load for a short while (WeChat: getTempFileURL). */
  temporaryUrl(fileID: string): Promise<string>;
  /** Temporary URLs of many files in one call where the platform allows it ('' for a file that is gone). */
  temporaryUrls(fileIDs: readonly string[]): Promise<string[]>;
  /** The file's bytes (for reading a receipt on the server). */
  bytes(fileID: string): Promise<Buffer>;
  /**
   * Records that `owner` uploaded `fileID` (the mini-program uploads straight to cloud storage, then
   * tells the function). The first owner wins; a file of someone else's is refused with FILE_FORBIDDEN.
   */
  register(owner: string, fileID: string, name: string): Promise<StoredFile>;
  /**
   * Removes an upload: its record first (so no record ever names bytes that are gone), then its bytes. A file
   * already gone is nothing to do. Only for uploads no claim holds (server/files/sweep.ts).
   */
  remove(fileID: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type Role = 'claimant' | 'reviewer' | 'secondReviewer' | 'operator';

/** Who is calling: from the platform (OPENID) or the local dev login — never from the request body. */
export interface Caller {
  openid: string;
  roles: Role[];
}

export interface Ports {
  store: Store;
  files: Files;
  clock: Clock;
  /** Encrypts personal fields at rest (AES-256-GCM) and fingerprints them for lookups. */
  sealer: FieldSealer;
  /** The reimbursement policies: the published versions and any version a claim is pinned to. */
  policies: PolicyCatalog;
  /**
   * The text of a photo's QR code, null when none is found or the bytes are no image. Submit reads it from a receipt
   * photo nobody read (`receipts.read`), so the duplicate registry holds the receipt's identity whatever the client
   * did. Without it (functions that never submit), such a photo is registered by its content hash alone.
   */
  readQr?: (image: Buffer, requester?: string) => Promise<string | null>;
}
