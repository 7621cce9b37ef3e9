/**
 * Embedded Store: one @seald-io/nedb datastore per collection, persisted to `<dataDir>/<name>.db`
 * (append-only log, compacted at load). Indexes come from server/collections.ts.
 *
 * Transactions: one at a time per store (a write lock held from the first read to the commit), and
 * every write outside a transaction takes the same lock, so what a transaction read cannot change
 * under it. Its writes are buffered and applied at commit; should one be refused (a unique index),
 * the writes already applied are put back as they were, and the error is rethrown.
 */
import { transactionScope } from '../transactionScope';
import path from 'node:path';
import Datastore from '@seald-io/nedb';
import { collections, collectionSpec } from '../../collections';
import { checkGroupFields, groupDocuments } from '../grouping';
import {
  MAX_PAGE_SIZE,
  refuseEmptyFilter,
  StoreError,
  type Collection,
  type Filter,
  type FindOptions,
  type Group,
  type Store,
  type StoredDoc,
  type Transaction,
} from '../../ports';

type NedbError = Error & { errorType?: string };

/** A FIFO lock: `run` waits its turn, then holds the lock while `work` runs. */
class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<R>(work: () => Promise<R>): Promise<R> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const duplicateKeyOf = (error: unknown): unknown =>
  (error as NedbError).errorType === 'uniqueViolated'
    ? new StoreError('DUPLICATE_KEY', (error as Error).message)
    : error;

class EmbeddedCollection<T extends StoredDoc> implements Collection<T> {
  constructor(
    private readonly datastore: Datastore<T>,
    private readonly writing: <R>(work: () => Promise<R>) => Promise<R>,
  ) {}

  async insert(doc: T): Promise<T> {
    return this.writing(async () => {
      try {
        return (await this.datastore.insertAsync(doc)) as T;
      } catch (error) {
        throw duplicateKeyOf(error);
      }
    });
  }

  async get(id: string): Promise<T | null> {
    return ((await this.datastore.findOneAsync({ _id: id } as never)) as T | null) ?? null;
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    let cursor = this.datastore.findAsync(filter as never);
    if (options.sort) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    cursor = cursor.limit(Math.min(options.limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE));
    return (await cursor) as T[];
  }

  async count(filter: Filter): Promise<number> {
    return this.datastore.countAsync(filter as never);
  }

  /** nedb has no aggregation: the matching documents are read (it holds them all in memory anyway) and counted here. */
  async groupCount(filter: Filter, by: readonly string[], sum?: string): Promise<Group[]> {
    checkGroupFields(by, sum);
    return groupDocuments((await this.datastore.findAsync(filter as never)) as T[], by, sum);
  }

  async update(id: string, patch: Partial<T>, options: { expectVersion?: number } = {}): Promise<boolean> {
    const query: Record<string, unknown> = { _id: id };
    if (options.expectVersion !== undefined) query.version = options.expectVersion;
    const { _id: ignored, ...fields } = patch as Record<string, unknown>;
    void ignored;
    return this.writing(async () => {
      try {
        const { numAffected } = await this.datastore.updateAsync(query as never, { $set: fields } as never, {});
        return numAffected === 1;
      } catch (error) {
        throw duplicateKeyOf(error);
      }
    });
  }

  async updateWhere(filter: Filter, patch: Partial<T>): Promise<number> {
    refuseEmptyFilter(filter, 'updateWhere');
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, true> = {};
    for (const [field, value] of Object.entries(patch as Record<string, unknown>)) {
      if (field === '_id') continue;
      if (value === undefined) $unset[field] = true;
      else $set[field] = value;
    }
    if (Object.keys($set).length + Object.keys($unset).length === 0) return 0;
    return this.writing(async () => {
      try {
        const { numAffected } = await this.datastore.updateAsync(filter as never, { $set, $unset } as never, {
          multi: true,
        });
        return numAffected;
      } catch (error) {
        throw duplicateKeyOf(error);
      }
    });
  }

  async remove(id: string): Promise<boolean> {
    return this.writing(async () => (await this.datastore.removeAsync({ _id: id } as never, {})) === 1);
  }
}

/** Writes buffered by collection and id: the document to store, or null to remove it. */
type WriteSet = Map<string, Map<string, StoredDoc | null>>;

class EmbeddedTransaction implements Transaction {
  readonly writes: WriteSet = new Map();

  constructor(private readonly datastoreOf: (name: string) => Datastore<StoredDoc>) {}

  private pending(collection: string): Map<string, StoredDoc | null> {
    let writes = this.writes.get(collection);
    if (!writes) {
      this.datastoreOf(collection); // refuses an undeclared collection now, not at commit
      writes = new Map();
      this.writes.set(collection, writes);
    }
    return writes;
  }

  async get<T extends StoredDoc>(collection: string, id: string): Promise<T | null> {
    const pending = this.pending(collection);
    if (pending.has(id)) return structuredClone(pending.get(id) ?? null) as T | null;
    return ((await this.datastoreOf(collection).findOneAsync({ _id: id } as never)) as T | null) ?? null;
  }

  async set<T extends StoredDoc>(collection: string, doc: T): Promise<void> {
    this.pending(collection).set(doc._id, structuredClone(doc));
  }

  async remove(collection: string, id: string): Promise<void> {
    this.pending(collection).set(id, null);
  }
}

export class EmbeddedStore implements Store {
  private readonly datastores = new Map<string, Datastore<StoredDoc>>();
  private readonly lock = new WriteLock();
  /** Set while a transaction runs in this async context: a plain write there would deadlock. */

  private constructor(private readonly dataDir: string | null) {}

  /** Opens (or creates) every declared collection under `dataDir`, or in memory when `dataDir` is null (tests). */
  static async open(dataDir: string | null): Promise<EmbeddedStore> {
    const store = new EmbeddedStore(dataDir);
    for (const spec of collections) await store.openCollection(spec.name);
    return store;
  }

  private async openCollection(name: string): Promise<Datastore<StoredDoc>> {
    const existing = this.datastores.get(name);
    if (existing) return existing;
    const spec = collectionSpec(name);
    const datastore = new Datastore<StoredDoc>(
      this.dataDir ? { filename: path.join(this.dataDir, `${name}.db`) } : { inMemoryOnly: true },
    );
    await datastore.loadDatabaseAsync();
    for (const index of spec.indexes.filter((candidate) => !candidate.cloudOnly)) {
      const fieldName = index.fields.length === 1 ? index.fields[0]! : index.fields;
      await datastore.ensureIndexAsync({ fieldName, unique: index.unique ?? false, sparse: index.sparse ?? false });
    }
    this.datastores.set(name, datastore);
    return datastore;
  }

  private datastoreOf(name: string): Datastore<StoredDoc> {
    const datastore = this.datastores.get(name);
    if (!datastore) throw new Error(`Collection "${name}" is not open: declare it in server/collections.ts`);
    return datastore;
  }

  private readonly writing = <R>(work: () => Promise<R>): Promise<R> => {
    if (transactionScope.inside(this))
      throw new Error("A write outside the transaction inside a transaction: use the transaction's own writes");
    return this.lock.run(work);
  };

  collection<T extends StoredDoc>(name: string): Collection<T> {
    return new EmbeddedCollection<T>(this.datastoreOf(name) as unknown as Datastore<T>, this.writing);
  }

  async transaction<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    if (transactionScope.inside(this)) throw new Error('Transactions do not nest');
    return this.lock.run(async () => {
      const tx = new EmbeddedTransaction((name) => this.datastoreOf(name));
      const result = await transactionScope.run(this, () => work(tx));
      await this.commit(tx.writes);
      return result;
    });
  }

  /** Applies a transaction's writes; on a refused write, restores what was already applied. */
  private async commit(writes: WriteSet): Promise<void> {
    const undo: Array<{ datastore: Datastore<StoredDoc>; id: string; before: StoredDoc | null }> = [];
    try {
      for (const [collection, docs] of writes) {
        const datastore = this.datastoreOf(collection);
        for (const [id, doc] of docs) {
          const before = ((await datastore.findOneAsync({ _id: id } as never)) as StoredDoc | null) ?? null;
          undo.push({ datastore, id, before });
          if (doc === null) await datastore.removeAsync({ _id: id } as never, {});
          else if (before) await datastore.updateAsync({ _id: id } as never, doc as never, {});
          else await datastore.insertAsync(doc);
        }
      }
    } catch (error) {
      for (const { datastore, id, before } of undo.reverse()) {
        await datastore.removeAsync({ _id: id } as never, {});
        if (before) await datastore.insertAsync(before);
      }
      throw duplicateKeyOf(error);
    }
  }

  /** Rewrites every datafile without its superseded lines (also done automatically at load). */
  async compact(): Promise<void> {
    for (const datastore of this.datastores.values()) await datastore.compactDatafileAsync();
  }
}
