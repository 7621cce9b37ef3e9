/** jest globalTeardown: stops the PostgreSQL cluster globalSetup started, if any, and removes its files. */
import './globalSetup';

export default async function globalTeardown(): Promise<void> {
  const cluster = globalThis.testPostgresCluster;
  globalThis.testPostgresCluster = undefined;
  await cluster?.stop();
}
