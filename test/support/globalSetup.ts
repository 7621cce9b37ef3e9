/**
 * jest globalSetup, in Jest's own process before it forks its workers:
 * - the workers are forked with jestWorkerExit.cjs preloaded, so they end at once when asked to (its comment
 *   says why: Node's teardown of their heap outlasted Jest's 500 ms and every run warned);
 * - with TEST_STORE=postgres, one throw-away PostgreSQL cluster for the whole run (test/support/postgres.ts)
 *   and one database in it; its URL goes to the test files in TEST_PG_URL, where each store is a schema of
 *   its own (test/support/testStore.ts).
 */
import path from 'node:path';
import { startThrowawayPostgres, type ThrowawayPostgres } from './postgres';

declare global {
  var testPostgresCluster: ThrowawayPostgres | undefined;
}

const workerExitPreload = path.join(__dirname, 'jestWorkerExit.cjs');

export default async function globalSetup(): Promise<void> {
  // jest-worker forks each worker with process.execArgv (ChildProcessWorker); read when the pool starts, after this.
  if (!process.execArgv.includes(workerExitPreload)) process.execArgv.push('--require', workerExitPreload);
  if (process.env.TEST_STORE !== 'postgres' || process.env.TEST_PG_URL) return;
  const cluster = await startThrowawayPostgres({ maxConnections: 300 });
  globalThis.testPostgresCluster = cluster;
  process.env.TEST_PG_URL = await cluster.createDatabase('tests');
}
