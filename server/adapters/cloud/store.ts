/**
 * Store on the WeChat cloud database (wx-server-sdk), same contract as the embedded store.
 *
 * What the SDK does with what we give it (read in @cloudbase/database 1.4.3, proven by
 * test/cloud/*.test.ts against the real SDK): `where().update({ data })` flattens every nested
 * object into dot-path `$set`s and drops `undefined`, so a patch would merge into stored objects —
 * and MongoDB refuses a dot path into a field that is null. `Collection.update` therefore replaces
 * each top-level field whole (`command.set`) and deletes fields given as `undefined`
 * (`command.remove()`). Inside `db.runTransaction`, `doc(id).set({ data })` is sent as a
 * replacement (`merge: false`), which is what `Transaction.set` promises.
 */
import {
  MAX_GROUPS,
  MAX_PAGE_SIZE,
  refuseEmptyFilter,
  StoreError,
  type Collection,
  type FieldCondition,
  rangeBounds,
  type Filter,
  type FindOptions,
  type Group,
  type Store,
  type StoredDoc,
  type Transaction,
} from '../../ports';
import { checkGroupFields, GroupMerger } from '../grouping';
import type { WxCommand, WxDatabase, WxError, WxTransaction } from './sdk';

export function translateFilter(filter: Filter, command: WxCommand): Record<string, unknown> {
  const condition: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(filter)) condition[field] = translateCondition(value, command);
  return condition;
}

const cloudOperators = { $lt: 'lt', $lte: 'lte', $gt: 'gt', $gte: 'gte' } as const;

function translateCondition(value: FieldCondition, command: WxCommand): unknown {
  if (value === null || typeof value !== 'object') return value;
  if ('$in' in value) return command.in(value.$in);
  const bounds = rangeBounds(value).map(([operator, bound]) => command[cloudOperators[operator]](bound));
  if (bounds.length === 1) return bounds[0];
  // Both bounds: `_.and(_.gte(a), _.lte(b))` on the field.
  if (bounds.length > 1) return command.and(...bounds);
  if ('$ne' in value) return command.neq(value.$ne);
  throw new Error(`Unsupported condition: ${JSON.stringify(value)}`);
}

/** -502001: the SDK's number for every failed database request (DATABASE_REQUEST_FAILED). */
export const DATABASE_REQUEST_FAILED = -502001;

const messageOf = (error: unknown): string => {
  const e = error as WxError | null;
  return String(e?.errMsg ?? e?.message ?? error);
};

/**
 * A unique index refused the write. The service answers DATABASE_REQUEST_FAILED (-502001) for every
 * failed request; a duplicate key is the one whose message carries MongoDB's E11000.
 */
export function isDuplicateKey(error: unknown): boolean {
  return (
    (error as WxError | null)?.errCode === DATABASE_REQUEST_FAILED && /E11000 duplicate key/.test(messageOf(error))
  );
}

/**
 * A transaction met a concurrent write. At a document operation the SDK has no errCode for
 * DATABASE_TRANSACTION_CONFLICT and reports -501001 with the service's message; at commit the
 * TcbError keeps its `code`.
 */
export function isTransactionConflict(error: unknown): boolean {
  const e = error as WxError | null;
  return (
    e?.code === 'DATABASE_TRANSACTION_CONFLICT' ||
    /DATABASE_TRANSACTION_CONFLICT|TransactionConflict|transaction (is )?conflict/i.test(messageOf(error))
  );
}

/** Every other rejection of the database is the store being unavailable (never a user's conflict). */
function storeFailure(error: unknown, operation: string): StoreError {
  if (error instanceof StoreError) return error;
  const failure = new StoreError('STORE_UNAVAILABLE', `${operation}: ${messageOf(error).slice(0, 300)}`);
  (failure as Error & { cause?: unknown }).cause = error;
  return failure;
}

/** A patch as an update the SDK sends as is: each field replaced whole, `undefined` deleted. */
export function replacingFields(patch: Record<string, unknown>, command: WxCommand): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (field === '_id') continue;
    data[field] =
      value === undefined ? command.remove() : value !== null && typeof value === 'object' ? command.set(value) : value;
  }
  return data;
}

class CloudCollection<T extends StoredDoc> implements Collection<T> {
  constructor(
    private readonly database: WxDatabase,
    private readonly name: string,
  ) {}

  private get ref() {
    return this.database.collection(this.name);
  }

  async insert(doc: T): Promise<T> {
    try {
      await this.ref.add({ data: withoutUndefined(doc as Record<string, unknown>) });
      return doc;
    } catch (error) {
      if (isDuplicateKey(error)) throw new StoreError('DUPLICATE_KEY', `duplicate key in ${this.name}`);
      throw storeFailure(error, `${this.name}.insert`);
    }
  }

  async get(id: string): Promise<T | null> {
    try {
      const { data } = await this.ref.where({ _id: id }).limit(1).get();
      return (data[0] as T | undefined) ?? null;
    } catch (error) {
      throw storeFailure(error, `${this.name}.get`);
    }
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    let query = this.ref.where(translateFilter(filter, this.database.command));
    for (const [field, order] of Object.entries(options.sort ?? {}))
      query = query.orderBy(field, order === 1 ? 'asc' : 'desc');
    if (options.skip) query = query.skip(options.skip);
    query = query.limit(Math.min(options.limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE));
    // Only the fields asked for come back (`_id` always does): a page of 我的报销 is 20 small cards, not 20 whole claims.
    if (options.fields) query = query.field(Object.fromEntries(options.fields.map((field) => [field, true])));
    try {
      return (await query.get()).data as T[];
    } catch (error) {
      throw storeFailure(error, `${this.name}.find`);
    }
  }

  async count(filter: Filter): Promise<number> {
    try {
      return (await this.ref.where(translateFilter(filter, this.database.command)).count()).total;
    } catch (error) {
      throw storeFailure(error, `${this.name}.count`);
    }
  }

  /**
   * One aggregation: match, group by the fields (`_id: { k0: '$field', … }`), count and sum. Its `limit` is past
   * MAX_GROUPS, so an answer of more groups than that is seen and refused rather than cut at the service's 20.
   */
  async groupCount(filter: Filter, by: readonly string[], sum?: string): Promise<Group[]> {
    checkGroupFields(by, sum);
    const $ = this.database.command.aggregate;
    try {
      const { list } = await this.ref
        .aggregate()
        .match(translateFilter(filter, this.database.command))
        .group({
          _id: Object.fromEntries(by.map((field, index) => [`k${index}`, `$${field}`])),
          count: $.sum(1),
          sum: $.sum(sum === undefined ? 0 : `$${sum}`),
        })
        .limit(MAX_GROUPS + 1)
        .end();
      const merger = new GroupMerger();
      for (const group of list as Array<{ _id?: Record<string, unknown> | null; count: number; sum: number }>)
        merger.add(
          by.map((_, index) => group._id?.[`k${index}`]),
          Number(group.count),
          Number(group.sum),
        );
      return merger.result();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw storeFailure(error, `${this.name}.groupCount`);
    }
  }

  async update(id: string, patch: Partial<T>, options: { expectVersion?: number } = {}): Promise<boolean> {
    const condition: Record<string, unknown> = { _id: id };
    if (options.expectVersion !== undefined) condition.version = options.expectVersion;
    const data = replacingFields(patch as Record<string, unknown>, this.database.command);
    if (Object.keys(data).length === 0) return (await this.get(id)) !== null;
    try {
      // `updated` counts documents whose content changed: a patch equal to what is stored reads as 0.
      const result = await this.ref.where(condition).update({ data });
      if (result.stats.updated === 1) return true;
      const stored = await this.get(id);
      return (
        stored !== null &&
        (options.expectVersion === undefined ||
          (stored as StoredDoc & { version?: number }).version === options.expectVersion)
      );
    } catch (error) {
      if (isDuplicateKey(error)) throw new StoreError('DUPLICATE_KEY', `duplicate key in ${this.name}`);
      throw storeFailure(error, `${this.name}.update`);
    }
  }

  /** `where(filter).update()`: the SDK sends it with `multi: true`, every matching document. */
  async updateWhere(filter: Filter, patch: Partial<T>): Promise<number> {
    refuseEmptyFilter(filter, `${this.name}.updateWhere`);
    const data = replacingFields(patch as Record<string, unknown>, this.database.command);
    if (Object.keys(data).length === 0) return 0;
    try {
      return (await this.ref.where(translateFilter(filter, this.database.command)).update({ data })).stats.updated;
    } catch (error) {
      if (isDuplicateKey(error)) throw new StoreError('DUPLICATE_KEY', `duplicate key in ${this.name}`);
      throw storeFailure(error, `${this.name}.updateWhere`);
    }
  }

  async remove(id: string): Promise<boolean> {
    try {
      return (await this.ref.where({ _id: id }).remove()).stats.removed === 1;
    } catch (error) {
      throw storeFailure(error, `${this.name}.remove`);
    }
  }
}

/** `undefined` fields are not stored (the SDK's EJSON drops them): say so rather than rely on it. */
function withoutUndefined(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([, value]) => value !== undefined));
}

/** A transaction on the WeChat database: documents by id, whole-document `set` (no nested merge). */
class CloudTransaction implements Transaction {
  constructor(private readonly transaction: WxTransaction) {}

  async get<T extends StoredDoc>(collection: string, id: string): Promise<T | null> {
    // The database is opened with throwOnNotFound: false, so a missing document is `data: null`.
    const { data } = await this.transaction.collection(collection).doc(id).get();
    return (data as T | null) ?? null;
  }

  async set<T extends StoredDoc>(collection: string, doc: T): Promise<void> {
    const { _id: ignored, ...data } = doc as Record<string, unknown>;
    void ignored;
    await this.transaction
      .collection(collection)
      .doc(doc._id)
      .set({ data: withoutUndefined(data) });
  }

  async remove(collection: string, id: string): Promise<void> {
    await this.transaction.collection(collection).doc(id).remove();
  }
}

/**
 * A transaction that meets concurrent writes is run again (the SDK itself retries only conflicts
 * at commit): backoff doubling from 25 ms to at most 400 ms with jitter, so racing instances spread
 * out, for at most TRANSACTION_RETRY_MS — well inside the functions' 10 s timeout.
 */
export const TRANSACTION_RETRY_MS = 6_000;

const backoffMs = (attempt: number): number => Math.min(400, 25 * 2 ** attempt) * (0.5 + Math.random());

export class CloudStore implements Store {
  private readonly database: WxDatabase;

  /** Pass the SDK's `cloud`: the store opens its database with `throwOnNotFound: false`. */
  constructor(cloud: { database(config?: { throwOnNotFound?: boolean }): WxDatabase }) {
    this.database = cloud.database({ throwOnNotFound: false });
  }

  async transaction<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    let lastConflict: unknown = null;
    const started = Date.now();
    for (let attempt = 0; attempt === 0 || Date.now() - started < TRANSACTION_RETRY_MS; attempt += 1) {
      try {
        return await this.database.runTransaction((transaction) => work(new CloudTransaction(transaction)));
      } catch (error) {
        if (!isTransactionConflict(error)) {
          if (isDuplicateKey(error)) throw new StoreError('DUPLICATE_KEY', 'duplicate key in a transaction');
          if ((error as WxError | null)?.errCode !== undefined || typeof error === 'string')
            throw storeFailure(error, 'transaction');
          throw error; // the work's own exception (a DomainError, a failed invariant): rethrown as is
        }
        lastConflict = error;
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
      }
    }
    throw new StoreError(
      'TRANSACTION_CONFLICT',
      `transaction kept conflicting: ${messageOf(lastConflict).slice(0, 200)}`,
    );
  }

  collection<T extends StoredDoc>(name: string): Collection<T> {
    return new CloudCollection<T>(this.database, name);
  }
}
