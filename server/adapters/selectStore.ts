/**
 * Which Store the local server (and `npm run migrate`) opens, from the environment:
 * - `DATABASE_URL` set → PostgreSQL through `pg`, schema created or migrated on open;
 * - otherwise `STORE` (default `sqlite`): `sqlite` → `<dataDir>/store.sqlite` (the embedded default,
 *   docs/store.md says why), `pglite` → PostgreSQL in WebAssembly under `<dataDir>/pglite`,
 *   `nedb` → the former embedded store (`<dataDir>/<collection>.db`).
 * A data directory that holds only a former nedb store is copied into SQLite on the first open
 * (server/adapters/sql/fromNedb.ts: counts and checksums verified), the nedb files left untouched.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Store } from '../ports';
import { copyNedbInto, hasNedbStore } from './sql/fromNedb';
import { openPostgresStore, pgDriver, pgliteDriver } from './sql/postgres';
import { SQLITE_FILE, SqliteStore } from './sql/sqlite';

export type StoreKind = 'postgres' | 'sqlite' | 'pglite' | 'nedb';

export interface OpenedStore {
  store: Store;
  kind: StoreKind;
  /** Where the data is: a file, a directory, or the database URL without its password. */
  location: string;
  close(): Promise<void>;
}

/** The variables read here (process.env by default). */
export interface StoreEnv {
  DATABASE_URL?: string;
  STORE?: string;
  [name: string]: string | undefined;
}

const redacted = (url: string): string => url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');

export async function openSelectedStore(
  dataDir: string,
  env: StoreEnv = process.env,
  log: (line: string) => void = () => undefined,
): Promise<OpenedStore> {
  if (env.DATABASE_URL) {
    const store = await openPostgresStore(await pgDriver(env.DATABASE_URL));
    return { store, kind: 'postgres', location: redacted(env.DATABASE_URL), close: () => store.close() };
  }
  const kind = (env.STORE ?? 'sqlite') as StoreKind;
  switch (kind) {
    case 'sqlite': {
      const fresh = !existsSync(path.join(dataDir, SQLITE_FILE));
      // The dashboard's counts on a reading thread: the server's thread keeps answering meanwhile.
      const store = SqliteStore.open(dataDir, { backgroundReads: true });
      if (fresh && hasNedbStore(dataDir)) {
        const report = await copyNedbInto(dataDir, store);
        log(
          `[store] copied the former nedb store into ${SQLITE_FILE}: ${report.map((entry) => `${entry.collection} ${entry.count}`).join(', ')} (counts and checksums verified)`,
        );
      }
      return { store, kind, location: store.file, close: async () => store.close() };
    }
    case 'pglite': {
      const location = path.join(dataDir, 'pglite');
      const store = await openPostgresStore(await pgliteDriver(location));
      return { store, kind, location, close: () => store.close() };
    }
    case 'nedb': {
      // Loaded only when chosen: nedb is no part of a SQLite or PostgreSQL server's start.
      const { EmbeddedStore } = await import('./embedded/store');
      return { store: await EmbeddedStore.open(dataDir), kind, location: dataDir, close: async () => undefined };
    }
    default:
      throw new Error(
        `STORE=${String(kind)}: choose sqlite (default), pglite or nedb, or set DATABASE_URL for PostgreSQL`,
      );
  }
}
