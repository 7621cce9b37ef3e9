/**
 * Counts on a reading thread (issue 12): SQLite answers synchronously, so a `groupCount` over a million claims'
 * facts held the server's only thread 0.1–0.3 s (the dashboard, measured by the server bench). With
 * `backgroundReads` a worker thread's own connection runs it, and the process's thread keeps turning.
 */
import { tempDir } from '../../../test/support/ports';
import { SqliteStore } from './sqlite';

interface Fact {
  _id: string;
  status: string;
  clean: boolean;
  paidFen: number;
  padding: string;
}

const ROWS = 20_000;

/** A store of ROWS facts, written in one transaction. */
async function storeOfFacts(backgroundReads: boolean): Promise<SqliteStore> {
  const store = SqliteStore.open(tempDir('yb-sqlite-reads-'), { durable: false, backgroundReads });
  await store.transaction(async (tx) => {
    for (let index = 0; index < ROWS; index += 1)
      tx.set<Fact>('claimFacts', {
        _id: `f${String(index).padStart(6, '0')}`,
        status: ['submitted', 'paid', 'rejected'][index % 3]!,
        clean: index % 5 === 0,
        paidFen: index,
        padding: 'x'.repeat(200),
      });
  });
  return store;
}

/** The groups of a count no index answers (by `clean`, adding up `paidFen`), and the event loop's turns meanwhile. */
async function countWithTurns(store: SqliteStore): Promise<{ groups: unknown; turns: number }> {
  let turns = 0;
  let counting = true;
  const turn = (): void => {
    turns += 1;
    if (counting) setImmediate(turn);
  };
  setImmediate(turn);
  const groups = await store.collection<Fact>('claimFacts').groupCount({}, ['clean'], 'paidFen');
  counting = false;
  const sorted = [...groups].sort((a, b) => String(a.key[0]).localeCompare(String(b.key[0])));
  return { groups: sorted, turns };
}

describe('SQLite counts on a reading thread', () => {
  it('answers as the store itself does, while the process keeps turning', async () => {
    const inThread = await storeOfFacts(false);
    const inWorker = await storeOfFacts(true);
    try {
      const own = await countWithTurns(inThread);
      // First count: starts the worker.
      await countWithTurns(inWorker);
      const background = await countWithTurns(inWorker);
      expect(background.groups).toEqual(own.groups);
      expect(own.groups).toEqual([
        { key: [false], count: ROWS * 0.8, sum: expect.any(Number) },
        { key: [true], count: ROWS * 0.2, sum: expect.any(Number) },
      ]);
      // On the store's connection the count runs from start to end in one turn; in the worker, the loop turns.
      expect(own.turns).toBeLessThanOrEqual(1);
      expect(background.turns).toBeGreaterThan(1);
      expect(inWorker.backgroundReadsState()).toEqual({ running: true, answered: 2 });
    } finally {
      inThread.close();
      inWorker.close();
    }
  });

  it('sees every commit made before the count was asked', async () => {
    const store = await storeOfFacts(true);
    try {
      const facts = store.collection<Fact>('claimFacts');
      const before = await facts.groupCount({ status: 'withdrawn' }, ['status']);
      expect(before).toEqual([]);
      await facts.insert({ _id: 'late', status: 'withdrawn', clean: true, paidFen: 7, padding: '' });
      expect(await facts.groupCount({ status: 'withdrawn' }, ['status'], 'paidFen')).toEqual([
        { key: ['withdrawn'], count: 1, sum: 7 },
      ]);
      expect(store.backgroundReadsState().answered).toBe(2);
    } finally {
      store.close();
    }
  });

  it("leaves a statement the worker cannot run to the store's own connection, which reports its error", async () => {
    const store = await storeOfFacts(true);
    try {
      expect(await store.readInBackground('SELECT no_such_column FROM "claimFacts"', [])).toBeNull();
      expect(() => store.read('SELECT no_such_column FROM "claimFacts"').all()).toThrow(/no_such_column/);
      // The worker is still there for the next count.
      expect(await store.collection<Fact>('claimFacts').count({})).toBe(ROWS);
      await store.collection<Fact>('claimFacts').groupCount({}, ['status']);
      expect(store.backgroundReadsState()).toEqual({ running: true, answered: 1 });
    } finally {
      store.close();
    }
  });

  it('has no worker for a store in memory, nor unless asked', async () => {
    const inMemory = SqliteStore.open(null, { backgroundReads: true });
    const notAsked = await storeOfFacts(false);
    try {
      await inMemory.collection('claimFacts').groupCount({}, ['status']);
      await notAsked.collection('claimFacts').groupCount({}, ['status']);
      expect(inMemory.backgroundReadsState()).toEqual({ running: false, answered: 0 });
      expect(notAsked.backgroundReadsState()).toEqual({ running: false, answered: 0 });
    } finally {
      inMemory.close();
      notAsked.close();
    }
  });
});
