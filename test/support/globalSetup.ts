/**
 * jest globalSetup: with TEST_STORE=postgres, one throw-away PostgreSQL cluster for the whole run
 * (test/support/postgres.ts) and one database in it; its URL goes to the test files in TEST_PG_URL,
 * where each store is a schema of its own (test/support/testStore.ts). Nothing otherwise.
 */
import { startThrowawayPostgres, type ThrowawayPostgres } from './postgres';

declare global {
  var testPostgresCluster: ThrowawayPostgres | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_STORE !== 'postgres' || process.env.TEST_PG_URL) return;
  const cluster = await startThrowawayPostgres({ maxConnections: 300 });
  globalThis.testPostgresCluster = cluster;
  process.env.TEST_PG_URL = await cluster.createDatabase('tests');
}
