/**
 * Embedded Store: one @seald-io/nedb datastore per collection, persisted to `<dataDir>/<name>.db`
 * (append-only log, compacted at load). Indexes come from server/collections.ts.
 */
import path from 'node:path';
import Datastore from '@seald-io/nedb';
import { collections, collectionSpec } from '../../collections';
import { MAX_PAGE_SIZE, StoreError, type Collection, type Filter, type FindOptions, type Store, type StoredDoc } from '../../ports';

type NedbError = Error & { errorType?: string };

class EmbeddedCollection<T extends StoredDoc> implements Collection<T> {
  constructor(private readonly datastore: Datastore<T>) {}

  async insert(doc: T): Promise<T> {
    try {
      return (await this.datastore.insertAsync(doc)) as T;
    } catch (error) {
      if ((error as NedbError).errorType === 'uniqueViolated') throw new StoreError('DUPLICATE_KEY', (error as Error).message);
      throw error;
    }
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

  async update(id: string, patch: Partial<T>, options: { expectVersion?: number } = {}): Promise<boolean> {
    const query: Record<string, unknown> = { _id: id };
    if (options.expectVersion !== undefined) query.version = options.expectVersion;
    const { _id: ignored, ...fields } = patch as Record<string, unknown>;
    void ignored;
    try {
      const { numAffected } = await this.datastore.updateAsync(query as never, { $set: fields } as never, {});
      return numAffected === 1;
    } catch (error) {
      if ((error as NedbError).errorType === 'uniqueViolated') throw new StoreError('DUPLICATE_KEY', (error as Error).message);
      throw error;
    }
  }

  async remove(id: string): Promise<boolean> {
    return (await this.datastore.removeAsync({ _id: id } as never, {})) === 1;
  }
}

export class EmbeddedStore implements Store {
  private readonly datastores = new Map<string, Datastore<StoredDoc>>();

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

  collection<T extends StoredDoc>(name: string): Collection<T> {
    const datastore = this.datastores.get(name);
    if (!datastore) throw new Error(`Collection "${name}" is not open: declare it in server/collections.ts`);
    return new EmbeddedCollection<T>(datastore as unknown as Datastore<T>);
  }

  /** Rewrites every datafile without its superseded lines (also done automatically at load). */
  async compact(): Promise<void> {
    for (const datastore of this.datastores.values()) await datastore.compactDatafileAsync();
  }
}
