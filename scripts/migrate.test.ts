/**
 * `npm run migrate` as an operator runs it after an upgrade: a real process on a real data directory. Claims
 * from before the dashboard facts get theirs, so the dashboard counts them from the first request.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SqliteStore } from '../server/adapters/sql/sqlite';
import { BACKFILL_MARKER, CLAIM_FACTS, JOBS, type BackfillMarkerDoc } from '../server/claims/dashboardFacts';
import { newClaimDoc, type ClaimDoc } from '../server/repositories/claims';
import { tempDir } from '../test/support/ports';

const root = path.join(__dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

jest.setTimeout(60_000);

describe('npm run migrate', () => {
  it('writes the dashboard facts of every submitted claim that has none, and says how many', async () => {
    const dataDir = tempDir('yb-migrate-');
    const store = SqliteStore.open(dataDir);
    // 250 claims written as an installation from before the facts holds them: 50 drafts, 200 submitted.
    await store.transaction(async (tx) => {
      for (let index = 0; index < 250; index += 1) {
        const at = new Date(Date.UTC(2026, 2, 1 + (index % 20))).toISOString();
        const doc = newClaimDoc(`owner-${index % 7}`, `request-${index}`, at, {});
        const draft = index % 5 === 0;
        await tx.set<ClaimDoc>('claims', {
          ...doc,
          status: draft ? 'draft' : index % 2 === 0 ? 'submitted' : 'rejected',
          submittedAt: draft ? null : at,
        } as ClaimDoc);
      }
    });
    store.close();

    const result = spawnSync(tsx, [path.join(root, 'scripts', 'migrate.ts')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 50_000,
      env: { ...process.env, DATA_DIR: dataDir, STORE: 'sqlite', DATABASE_URL: '' },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/dashboard facts: 200 written/);

    const after = SqliteStore.open(dataDir);
    expect(await after.collection(CLAIM_FACTS).count({})).toBe(200);
    expect(await after.collection(CLAIM_FACTS).count({ status: 'rejected' })).toBe(100);
    expect((await after.collection<BackfillMarkerDoc>(JOBS).get(BACKFILL_MARKER))?.complete).toBe(true);
    after.close();
  });
});
