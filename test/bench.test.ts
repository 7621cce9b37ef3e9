/**
 * The bench's own set-up, at a few claims: `npm run bench` is not part of `npm test`, so a change that
 * broke its seeding (a visit after the seeding clock's today, 2026-12-05) went unnoticed until the next
 * bench run. Also holds the store calls per action to the figures README.md and docs/store.md give: each
 * call is a round trip in the WeChat cloud, so one more is a regression to see, not to find in a table.
 */
import { SqliteStore } from '../server/adapters/sql/sqlite';
import { claimsFunction } from '../server/handlers/claims';
import { invoke } from '../server/handlers/framework';
import { seed } from '../bench/server.bench';
import { benchPorts, storeCallsPerAction } from '../bench/storeCalls';
import { callers, tempDir } from './support/ports';

describe('the bench', () => {
  it('seeds SQLite with submitted claims that the handlers read', async () => {
    const dataDir = tempDir('yb-bench-seed-');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await seed('sqlite', dataDir, 25);
    } finally {
      log.mockRestore();
    }
    const store = SqliteStore.open(dataDir);
    try {
      const claims = await store.collection<{ _id: string; status: string }>('claims').find({}, { limit: 100 });
      expect(claims).toHaveLength(25);
      expect(new Set(claims.map((claim) => claim.status))).toEqual(new Set(['submitted']));
      // The first 20 are 张三's: the list bench's reader.
      const listed = await invoke(
        claimsFunction,
        { action: 'listMine', payload: { page: 1, pageSize: 50 } },
        callers.zhangsan,
        benchPorts(store),
      );
      expect(listed.ok).toBe(true);
      expect((listed as { data: { items: unknown[] } }).data.items).toHaveLength(20);
    } finally {
      store.close();
    }
  });

  it('counts the store calls of each action within the documented figures', async () => {
    const results = await storeCallsPerAction();
    const calls = Object.fromEntries(results.map(({ action, counts }) => [action, counts.calls]));
    expect(calls).toEqual({
      submit: 8,
      listMine: 2,
      get: 2,
      'decide passPreliminary': 4,
      'decide requestSupplement': 4,
      answerSupplement: 8,
      'decide passPreliminary (again)': 4,
      'decide passReview': 4,
      receiveOriginals: 4,
      // After the page's read of the claim (its 结算预估, the figure sent): the working calendar is read by then.
      settle: 6,
      verify: 4,
      // Paid through a batch (a claim is never marked paid on its own): the batch of one made, its bank file exported
      // (the batch read, its claims in one read, exportedAt written), then paid.
      'createBatch (1 claim)': 6,
      'export (batch of 1)': 4,
      'markPaid (batch of 1)': 6,
    });
  });
});
