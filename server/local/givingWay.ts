/**
 * Background work that gives way to requests. SQLite answers synchronously, so a run of the outbox
 * drain (every 2 s: up to 100 claims, each a read, a card, a message and an update, ≈ 0.6 ms of CPU
 * a claim at 20,000 claims stored) would otherwise hold every request for its whole length, and show
 * as the slowest tenth of every list and submission answered meanwhile. Through this view of the
 * store each collection call first lets the requests already waiting run (one turn of the event
 * loop); the calls themselves, and what they write, are the store's own.
 */
import type { Collection, Store, StoredDoc } from '../ports';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function givingWay(store: Store): Store {
  return {
    collection<T extends StoredDoc>(name: string): Collection<T> {
      const inner = store.collection<T>(name);
      return {
        insert: async (doc) => (await nextTurn(), inner.insert(doc)),
        get: async (id) => (await nextTurn(), inner.get(id)),
        find: async (filter, options) => (await nextTurn(), inner.find(filter, options)),
        count: async (filter) => (await nextTurn(), inner.count(filter)),
        groupCount: async (filter, by, sum) => (await nextTurn(), inner.groupCount(filter, by, sum)),
        update: async (id, patch, options) => (await nextTurn(), inner.update(id, patch, options)),
        updateWhere: async (filter, patch) => (await nextTurn(), inner.updateWhere(filter, patch)),
        remove: async (id) => (await nextTurn(), inner.remove(id)),
      };
    },
    transaction: async (work) => (await nextTurn(), store.transaction(work)),
  };
}
