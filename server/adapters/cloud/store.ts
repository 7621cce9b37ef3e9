/** Store on the WeChat cloud database (wx-server-sdk), same contract as the embedded store. */
import { MAX_PAGE_SIZE, StoreError, type Collection, type FieldCondition, type Filter, type FindOptions, type Store, type StoredDoc, type Transaction } from '../../ports';
import type { WxCommand, WxDatabase, WxTransaction } from './sdk';

export function translateFilter(filter: Filter, command: WxCommand): Record<string, unknown> {
  const condition: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(filter)) condition[field] = translateCondition(value, command);
  return condition;
}

function translateCondition(value: FieldCondition, command: WxCommand): unknown {
  if (value === null || typeof value !== 'object') return value;
  if ('$in' in value) return command.in(value.$in);
  if ('$lt' in value) return command.lt(value.$lt);
  if ('$lte' in value) return command.lte(value.$lte);
  if ('$gt' in value) return command.gt(value.$gt);
  if ('$gte' in value) return command.gte(value.$gte);
  return command.neq(value.$ne);
}

function isDuplicate(error: unknown): boolean {
  return /duplicate key|E11000|-502001/i.test(String((error as { errMsg?: string; message?: string })?.errMsg ?? (error as Error)?.message ?? error));
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
      await this.ref.add({ data: { ...(doc as Record<string, unknown>) } });
      return doc;
    } catch (error) {
      if (isDuplicate(error)) throw new StoreError('DUPLICATE_KEY', `duplicate key in ${this.name}`);
      throw error;
    }
  }

  async get(id: string): Promise<T | null> {
    const { data } = await this.ref.where({ _id: id }).limit(1).get();
    return (data[0] as T | undefined) ?? null;
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    let query = this.ref.where(translateFilter(filter, this.database.command));
    for (const [field, order] of Object.entries(options.sort ?? {})) query = query.orderBy(field, order === 1 ? 'asc' : 'desc');
    if (options.skip) query = query.skip(options.skip);
    query = query.limit(Math.min(options.limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE));
    return (await query.get()).data as T[];
  }

  async count(filter: Filter): Promise<number> {
    return (await this.ref.where(translateFilter(filter, this.database.command)).count()).total;
  }

  async update(id: string, patch: Partial<T>, options: { expectVersion?: number } = {}): Promise<boolean> {
    const condition: Record<string, unknown> = { _id: id };
    if (options.expectVersion !== undefined) condition.version = options.expectVersion;
    const { _id: ignored, ...fields } = patch as Record<string, unknown>;
    void ignored;
    try {
      const result = await this.ref.where(condition).update({ data: fields });
      return result.stats.updated === 1;
    } catch (error) {
      if (isDuplicate(error)) throw new StoreError('DUPLICATE_KEY', `duplicate key in ${this.name}`);
      throw error;
    }
  }

  async remove(id: string): Promise<boolean> {
    return (await this.ref.where({ _id: id }).remove()).stats.removed === 1;
  }
}

/** A transaction on the WeChat database: documents by id, whole-document `set` (no nested merge). */
class CloudTransaction implements Transaction {
  constructor(private readonly transaction: WxTransaction) {}

  async get<T extends StoredDoc>(collection: string, id: string): Promise<T | null> {
    try {
      const { data } = await this.transaction.collection(collection).doc(id).get();
      return (data as T | null) ?? null;
    } catch (error) {
      if (/not exist|cannot find document|DATABASE_DOCUMENT_NOT_EXIST/i.test(String((error as { errMsg?: string; message?: string })?.errMsg ?? (error as Error)?.message ?? error))) return null;
      throw error;
    }
  }

  async set<T extends StoredDoc>(collection: string, doc: T): Promise<void> {
    const { _id: ignored, ...data } = doc as Record<string, unknown>;
    void ignored;
    await this.transaction.collection(collection).doc(doc._id).set({ data });
  }

  async remove(collection: string, id: string): Promise<void> {
    await this.transaction.collection(collection).doc(id).remove();
  }
}

export class CloudStore implements Store {
  constructor(private readonly database: WxDatabase) {}

  transaction<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    return this.database.runTransaction((transaction) => work(new CloudTransaction(transaction)));
  }

  collection<T extends StoredDoc>(name: string): Collection<T> {
    return new CloudCollection<T>(this.database, name);
  }
}
