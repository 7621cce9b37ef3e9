/**
 * The store under the handler and HTTP suites, chosen by `TEST_STORE`:
 * - `sqlite` (default, the product's default store): a fresh `store.sqlite` in the ports' temp directory;
 * - `postgres`: a fresh schema per store on one throw-away cluster per jest run (test/support/globalSetup.ts
 *   starts it when TEST_STORE=postgres and hands its URL over in TEST_PG_URL; globalTeardown.ts stops it);
 * - `nedb`: the former embedded store, in memory.
 * Every store opened here is closed (and its PostgreSQL schema dropped) after the test that opened it, or
 * after the file when opened outside a test (test/support/storeLifecycle.ts, jest's setupFilesAfterEnv).
 * A local server in a child process gets the same choice through its environment (`childStoreEnv`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EmbeddedStore } from '../../server/adapters/embedded/store';
import { openPostgresStore, pgDriver, type PgDriver } from '../../server/adapters/sql/postgres';
import { SqliteStore } from '../../server/adapters/sql/sqlite';
import { collections } from '../../server/collections';
import type { Store } from '../../server/ports';

export type TestStoreKind = 'sqlite' | 'postgres' | 'nedb';

export function testStoreKind(): TestStoreKind {
  const kind = process.env.TEST_STORE ?? 'sqlite';
  if (kind === 'sqlite' || kind === 'postgres' || kind === 'nedb') return kind;
  throw new Error(`TEST_STORE=${kind}: choose sqlite (default), postgres or nedb`);
}

/** Cleanups of what this file opened: 'test' ones run after the test that opened them, 'file' ones after the file. */
const opened: Array<{ scope: 'test' | 'file'; close: () => Promise<void> }> = [];

function register(close: () => Promise<void>): void {
  opened.push({ scope: expect.getState().currentTestName ? 'test' : 'file', close });
}

let admin: Promise<PgDriver> | null = null;
let serial = 0;

/** Schemas of this process, migrated and emptied, waiting for the next store (a schema's DDL costs ~10× emptying it). */
const emptySchemas: Array<{ schema: string; url: string; driver: PgDriver }> = [];
/** At most this many wait; the others (a property test opens hundreds in one test) are dropped. */
const KEEP_EMPTY = 4;
/** Schemas no longer used, dropped together at the end of the cleanup. */
const retired: string[] = [];

const everyTable = collections.map((spec) => `"${spec.name}"`).join(', ');

/** Closes what was opened in `scope` ('file': everything left, and the schemas), newest first. */
export async function closeTestStores(scope: 'test' | 'file'): Promise<void> {
  const closing = opened.filter((entry) => scope === 'file' || entry.scope === 'test');
  for (const entry of closing) opened.splice(opened.indexOf(entry), 1);
  for (const entry of closing.reverse()) await entry.close();
  if (scope === 'file') {
    for (const { schema, driver } of emptySchemas.splice(0)) {
      await driver.close();
      retired.push(schema);
    }
  }
  // A few at a time: each table and index dropped takes a lock until the commit.
  while (retired.length > 0)
    await (await adminDriver()).query(`DROP SCHEMA ${retired.splice(0, 10).join(', ')} CASCADE`);
  if (scope === 'file' && admin) {
    const driver = admin;
    admin = null;
    await (await driver).close();
  }
}

async function adminDriver(): Promise<PgDriver> {
  const url = process.env.TEST_PG_URL;
  if (!url)
    throw new Error(
      'TEST_STORE=postgres without TEST_PG_URL: run jest with the project config (its globalSetup starts the cluster)',
    );
  admin ??= pgDriver(url, { max: 2 });
  return admin;
}

/** A new schema in the run's PostgreSQL database (dropped after the file); the URL whose connections use it. */
async function newSchema(): Promise<{ schema: string; url: string }> {
  serial += 1;
  const schema = `t${process.pid}_${serial}`;
  await (await adminDriver()).query(`CREATE SCHEMA ${schema}`);
  return { schema, url: `${process.env.TEST_PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}` };
}

/**
 * An empty, migrated PostgreSQL store of its own schema: one emptied by an earlier test of this file, or
 * a new one. Closed, its tables are emptied and the schema waits for the next store.
 */
async function postgresTestStore(): Promise<Store> {
  const waiting = emptySchemas.pop();
  let reused = waiting;
  if (!reused) {
    const { schema, url } = await newSchema();
    // Idle connections are let go after a second: a property test opens hundreds of stores in one test.
    reused = { schema, url, driver: await pgDriver(url, { max: 4, idleTimeoutMillis: 1000 }) };
  }
  const entry = reused;
  const store = await openPostgresStore(entry.driver, { migrate: !waiting });
  register(async () => {
    if (emptySchemas.length < KEEP_EMPTY) {
      await entry.driver.query(`TRUNCATE ${everyTable}`);
      emptySchemas.push(entry);
    } else {
      await entry.driver.close();
      retired.push(entry.schema);
    }
  });
  return store;
}

/** A fresh, empty store of the chosen kind; `dataDir` is where the SQLite file goes. */
export async function openTestStore(dataDir: string): Promise<Store> {
  const kind = testStoreKind();
  if (kind === 'nedb') return EmbeddedStore.open(null);
  if (kind === 'sqlite') {
    // Thrown away after the test: no fsync (durable: false) — 55 ms less per store on this disk, thousands of stores.
    const store = SqliteStore.open(dataDir, { durable: false });
    register(async () => store.close());
    return store;
  }
  return postgresTestStore();
}

/** What a child server's environment needs to open a fresh store of the chosen kind (none for SQLite, its default). */
export async function childStoreEnv(kind: TestStoreKind = testStoreKind()): Promise<Record<string, string>> {
  if (kind !== 'postgres') return kind === 'nedb' ? { STORE: 'nedb' } : {};
  // A schema of its own, never reused: the server process may still hold connections to it.
  const { schema, url } = await newSchema();
  register(async () => {
    retired.push(schema);
  });
  return { DATABASE_URL: url };
}

/** Every file under `dir` except the uploaded photos (the embedded stores' files: nedb's .db, SQLite's file and WAL). */
function filesUnder(dir: string): Buffer[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name !== 'files')
    .map((name) => path.join(dir, name))
    .flatMap((full) => (statSync(full).isDirectory() ? filesUnder(full) : [readFileSync(full)]));
}

/**
 * Everything a child server's store holds, as one text: the bytes of its files under `dataDir`
 * (SQLite, nedb: what is on disk, freed pages included), or every document of its PostgreSQL schema.
 */
export async function storedText(dataDir: string, env: Record<string, string>): Promise<string> {
  if (!env.DATABASE_URL)
    return filesUnder(dataDir)
      .map((bytes) => bytes.toString('utf8'))
      .join('\n');
  const driver = await pgDriver(env.DATABASE_URL, { max: 1 });
  try {
    const texts: string[] = [];
    for (const spec of collections)
      texts.push(
        ...(await driver.query(`SELECT doc::text AS doc FROM "${spec.name}"`)).rows.map((row) => String(row.doc)),
      );
    return texts.join('\n');
  } finally {
    await driver.close();
  }
}
