/**
 * Which stores' transactions the running code is inside, for the stores' guards: a plain write or a second
 * transaction inside a transaction's work would wait for that transaction, which waits for the work — a hang, so the
 * stores refuse it with an error instead.
 *
 * One AsyncLocalStorage for every store, not one per store: Node 20 copies the value of every instance ever used into
 * each promise as it is created, and an instance stays known for good once used. The test suites open thousands of
 * stores; with one instance each, the interleavings suite spent 47 % of its CPU in that copying, more with every
 * store (0.1 s a schedule at the start, 0.86 s after 500).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<readonly object[]>();

export const transactionScope = {
  /** Whether the running code is inside a transaction of `store` (also through another store's transaction). */
  inside(store: object): boolean {
    return scope.getStore()?.includes(store) ?? false;
  },
  /** Runs `work` as the work of a transaction of `store`. */
  run<R>(store: object, work: () => R): R {
    return scope.run([...(scope.getStore() ?? []), store], work);
  },
};
