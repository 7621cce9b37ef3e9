/**
 * What the SQL adapters share about a transaction: `work` reads by id through the adapter (rows it
 * reads are locked or otherwise protected by the adapter), its writes are buffered and applied at
 * commit, and it reads its own writes. The buffer remembers, for each document, what it was when
 * first read (present or absent), so the adapter can write a document read as absent with a plain
 * INSERT: a concurrent transaction that created it first makes that INSERT fail, and the whole
 * transaction is retried instead of overwriting the other's write.
 */
import { collectionSpec } from '../../collections';
import { StoreError, type StoredDoc, type Transaction } from '../../ports';

export interface PendingWrite {
  collection: string;
  id: string;
  /** The document to store as its JSON text (taken when it was set: later changes to the object do not count), or null to remove it. */
  json: string | null;
  /** What the transaction saw: 'absent' / 'present' when it read the document first, 'unread' for a blind write. */
  seen: 'absent' | 'present' | 'unread';
}

export class BufferedTransaction implements Transaction {
  private readonly writes = new Map<string, PendingWrite>();
  private readonly seen = new Map<string, 'absent' | 'present'>();

  constructor(private readonly read: (collection: string, id: string) => Promise<StoredDoc | null>) {}

  private static key(collection: string, id: string): string {
    return `${collection}\u0000${id}`;
  }

  async get<T extends StoredDoc>(collection: string, id: string): Promise<T | null> {
    collectionSpec(collection);
    const key = BufferedTransaction.key(collection, id);
    const pending = this.writes.get(key);
    if (pending) return pending.json === null ? null : (JSON.parse(pending.json) as T);
    const doc = await this.read(collection, id);
    if (!this.seen.has(key)) this.seen.set(key, doc ? 'present' : 'absent');
    return doc as T | null;
  }

  async set<T extends StoredDoc>(collection: string, doc: T): Promise<void> {
    collectionSpec(collection);
    if (typeof doc._id !== 'string' || doc._id.length === 0)
      throw new Error(`set in "${collection}" needs a document with an _id`);
    const key = BufferedTransaction.key(collection, doc._id);
    // Serialised once, here: the copy that protects the write from later changes is the text the commit stores.
    this.writes.set(key, { collection, id: doc._id, json: JSON.stringify(doc), seen: this.seen.get(key) ?? 'unread' });
  }

  async remove(collection: string, id: string): Promise<void> {
    collectionSpec(collection);
    const key = BufferedTransaction.key(collection, id);
    this.writes.set(key, { collection, id, json: null, seen: this.seen.get(key) ?? 'unread' });
  }

  pendingWrites(): PendingWrite[] {
    return [...this.writes.values()];
  }
}

/** Thrown inside an adapter when a transaction must start again (lost a race it could not wait out). */
export class RetryTransaction extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RetryTransaction';
  }
}

export interface RetryPolicy {
  attempts: number;
  /** Upper bound of the random pause before attempt n (n ≥ 2), in ms. */
  backoffMs: (attempt: number) => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 30,
  backoffMs: (attempt) => Math.min(200, 2 ** Math.min(attempt, 8)),
};

/** Runs `attempt` until it does not ask for a retry; TRANSACTION_CONFLICT when the attempts run out. */
export async function withRetries<R>(policy: RetryPolicy, attempt: () => Promise<R>): Promise<R> {
  let last = '';
  for (let n = 1; n <= policy.attempts; n += 1) {
    if (n > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * policy.backoffMs(n)));
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof RetryTransaction)) throw error;
      last = error.message;
    }
  }
  throw new StoreError('TRANSACTION_CONFLICT', `transaction gave up after ${policy.attempts} attempts: ${last}`);
}
