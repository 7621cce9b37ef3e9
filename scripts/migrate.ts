/**
 * `npm run migrate`: creates or migrates the schema of the store the server would open (PostgreSQL
 * when DATABASE_URL is set, else SQLite under DATA_DIR, default .data) and prints what it did.
 * `npm run migrate -- --from-nedb <dir>`: also copies a former nedb store from <dir> into it,
 * verified by counts and checksums (the nedb files are left as they were). Then writes the dashboard facts
 * of every submitted claim that has none (server/claims/dashboardFacts.ts), so the dashboard counts them
 * from the first request instead of after the server's background runs have worked through them.
 */
import path from 'node:path';
import { openSelectedStore } from '../server/adapters/selectStore';
import { copyNedbInto } from '../server/adapters/sql/fromNedb';
import { PostgresStore } from '../server/adapters/sql/postgres';
import { SqliteStore } from '../server/adapters/sql/sqlite';
import { backfillClaimFacts } from '../server/claims/dashboardFacts';
import { systemClock } from '../server/ports';
import { StorePolicyCatalog } from '../server/policies/catalog';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const fromIndex = args.indexOf('--from-nedb');
  const from = fromIndex >= 0 ? args[fromIndex + 1] : undefined;
  if (fromIndex >= 0 && !from) throw new Error('usage: npm run migrate -- [--from-nedb <dir>]');
  const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
  const opened = await openSelectedStore(dataDir, process.env, (line) => console.log(line));
  try {
    if (opened.store instanceof PostgresStore) {
      const report = await opened.store.migrate();
      console.log(
        `PostgreSQL ${opened.location}: schema up to date (steps applied now: ${report.applied.join(', ') || 'none'}; indexes created: ${report.indexesCreated.length}, dropped: ${report.indexesDropped.length}; stored columns added: ${report.columnsAdded.length}, dropped: ${report.columnsDropped.length}; checks added: ${report.checksAdded.length}, dropped: ${report.checksDropped.length})`,
      );
    } else if (opened.store instanceof SqliteStore) {
      const report = opened.store.migrate();
      console.log(
        `SQLite ${opened.location}: schema up to date (steps applied now: ${report.applied.join(', ') || 'none'}; indexes created: ${report.indexesCreated.length}, dropped: ${report.indexesDropped.length})`,
      );
    } else {
      console.log(`${opened.kind} ${opened.location}: no schema to migrate`);
    }
    if (from) {
      for (const entry of await copyNedbInto(path.resolve(from), opened.store))
        console.log(`copied ${entry.collection}: ${entry.count} documents, sha256 ${entry.sha256}`);
    }
    const context = {
      store: opened.store,
      clock: systemClock,
      policies: new StorePolicyCatalog(opened.store, systemClock),
    };
    let facts = 0;
    for (;;) {
      const run = await backfillClaimFacts(context, { pages: 100 });
      facts += run.written;
      if (run.complete) break;
    }
    console.log(`dashboard facts: ${facts} written, every submitted claim has its own`);
  } finally {
    await opened.close();
  }
}

main().catch((error: unknown) => {
  console.error('migrate failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
