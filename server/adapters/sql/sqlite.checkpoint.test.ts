/**
 * WAL checkpoints off the request thread (issue 12). SQLite's automatic checkpoint runs inside the
 * commit that fills the WAL past 1,000 pages: with 100,000 claims stored that was every ~50 claim
 * commits, 14–30 ms each, synchronously on the server's only thread (59 % of all commit time). Once
 * a store has written a while, a worker thread with its own connection checkpoints instead, and the
 * store's own connection never does.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../../test/support/ports';
import { SQLITE_FILE, SqliteStore } from './sqlite';

const waitFor = async (done: () => boolean, ms = 10_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const padding = 'x'.repeat(6000);

describe('SQLite WAL checkpoints', () => {
  it('are run by a background connection once the store has written a while, never by a commit', async () => {
    const dir = tempDir('yb-sqlite-checkpoint-');
    const store = SqliteStore.open(dir, {
      checkpointAfterCommits: 20,
      checkpointEveryMs: 10,
      checkpointRestartPages: 500,
    });
    let total = 0;
    try {
      const claims = store.collection<{ _id: string; n: number; padding: string }>('claims');
      for (let index = 0; index < 30; index += 1) await claims.insert({ _id: `c${index}`, n: index, padding });
      await waitFor(() => store.backgroundCheckpoints().running);
      // The store's own connection no longer checkpoints on commit.
      expect(store.autoCheckpointPages()).toBe(0);
      // Steady writes, as a server's (a moment between every 10): past 500 WAL pages the store's own
      // write copies what the worker has not yet, and the WAL starts again from its beginning — it
      // does not keep every commit since the open (~16 pages a claim). Timing depends on the machine's
      // load, so the writes go on until that happens (a few hundred on an idle machine).
      let written = 30;
      while (store.backgroundCheckpoints().walRestarts === 0 && written < 5000) {
        const index = written;
        await store.transaction(async (tx) => {
          await tx.set('claims', { _id: `c${index}`, n: index, padding });
        });
        written += 1;
        if (written % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(store.backgroundCheckpoints().walRestarts).toBeGreaterThan(0);
      expect(store.backgroundCheckpoints().framesCheckpointed).toBeGreaterThan(0);
      // The WAL index (-shm, mxFrame at byte 16) now holds only what was written since the restart.
      expect(readFileSync(path.join(dir, `${SQLITE_FILE}-shm`)).readUInt32LE(16)).toBeLessThan(500);
      total = written;
      expect(await claims.count({})).toBe(total);
    } finally {
      store.close();
    }
    // Everything acknowledged is there for the next connection.
    const reopened = new Database(path.join(dir, SQLITE_FILE), { readonly: true });
    expect((reopened.prepare('SELECT count(*) AS n FROM claims').get() as { n: number }).n).toBe(total);
    reopened.close();
  });

  it('starts no thread for a store that writes little (the tests open thousands)', async () => {
    const store = SqliteStore.open(tempDir('yb-sqlite-checkpoint-'), { checkpointAfterCommits: 50 });
    try {
      const claims = store.collection<{ _id: string }>('claims');
      for (let index = 0; index < 10; index += 1) await claims.insert({ _id: `c${index}` });
      expect(store.backgroundCheckpoints().running).toBe(false);
      expect(store.autoCheckpointPages()).toBe(1000);
    } finally {
      store.close();
    }
  });

  it('an in-memory store has no WAL and no checkpointer', async () => {
    const store = SqliteStore.open(null, { checkpointAfterCommits: 1 });
    try {
      for (let index = 0; index < 5; index += 1) await store.collection('claims').insert({ _id: `c${index}` });
      expect(store.backgroundCheckpoints().running).toBe(false);
    } finally {
      store.close();
    }
  });
});
