/**
 * Store on SQLite (better-sqlite3): the embedded default. One file `<dataDir>/store.sqlite` in WAL
 * mode; documents as JSON text in one table per collection; the indexes of server/collections.ts
 * as expression indexes on json_extract (server/adapters/sql/schema.ts). Only the pages a query
 * touches are read: memory does not grow with the data, and opening is immediate.
 *
 One connection (better-sqlite3 is synchronous: a statement runs to its end before anything else
 * in the process does). Transactions and plain writes take turns (a FIFO lock in this process), each
 * transaction inside `BEGIN IMMEDIATE` (SQLite's write lock, so a second process on the same file
 * waits its turn: busy_timeout). A transaction's writes are buffered and applied at COMMIT in one
 * synchronous burst, so a read outside it never sees them half-done; a unique index refusing one
 * rolls the whole transaction back with StoreError('DUPLICATE_KEY').
 * synchronous=NORMAL: a killed process loses nothing acknowledged (the WAL is in the OS's hands);
 * a power cut may lose the last transactions, never corrupt the file.
 * WAL checkpoints (copying committed pages back into the database file) run in a worker thread on a
 * connection of its own once the store has committed a while (`BackgroundCheckpoints`), not inside
 * whichever commit fills the WAL: on the server's thread that was a 14–30 ms stall every ~50 claims.
 * Counts (`groupCount`) may run on a reading connection in another worker thread (`BackgroundReads`,
 * `backgroundReads` option, on in the local server): the dashboard's count over a million claims' facts
 * held the server's thread ≈ 0.1–0.3 s.
 */
import { transactionScope } from '../transactionScope';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { collectionSpec } from '../../collections';
import {
  refuseEmptyFilter,
  StoreError,
  type Collection,
  type Filter,
  type FindOptions,
  type Group,
  type Store,
  type StoredDoc,
  type Transaction,
} from '../../ports';
import { isFieldPath, sqlite as dialect, sqliteGroupKey, sqliteJson } from './dialect';
import { newId } from './postgres';
import { findSql, groupQuery, groupsOfRows, Params, patchFields, projected, whereClause } from './query';
import {
  declaredIndexes,
  emptyMigrationReport,
  MIGRATIONS_TABLE,
  pendingSteps,
  staleIndexes,
  tableStatements,
  type MigrationReport,
} from './schema';
import {
  BufferedTransaction,
  defaultRetryPolicy,
  RetryTransaction,
  withRetries,
  type RetryPolicy,
} from './transaction';

export const SQLITE_FILE = 'store.sqlite';

type Db = Database.Database;

/** A FIFO lock: `run` waits its turn, then holds the lock while `work` runs. */
class Lock {
  private tail: Promise<unknown> = Promise.resolve();
  run<R>(work: () => Promise<R> | R): Promise<R> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const sqliteCode = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? '');

function mapped(error: unknown, collection: string): unknown {
  const code = sqliteCode(error);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
    return new StoreError('DUPLICATE_KEY', `duplicate key in ${collection}: ${(error as Error).message}`);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new RetryTransaction(code);
  return error;
}

function configure(db: Db, durable: boolean): void {
  // Before the switch to WAL, so that a throw-away store (durable: false) makes no fsync at all.
  db.pragma(durable ? 'synchronous = NORMAL' : 'synchronous = OFF');
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -32768'); // 32 MB of page cache per connection
  db.pragma('foreign_keys = OFF');
}

/**
 * Runs in the checkpoint worker: its own connection, a PASSIVE checkpoint every `everyMs`. PASSIVE
 * never takes the write lock, so the store's commits never wait for it (a RESTART checkpoint did:
 * measured, the server's BEGIN IMMEDIATE waited 4–78 ms behind it, its copy and fsync). The WAL
 * starts again from its beginning only when a commit finds every frame checkpointed, which steady
 * writes seldom leave it (measured: 50,000 pages, 200 MB, during the server bench's submits); past
 * `restartPages` the store's own connection checkpoints before its next write — the few frames the
 * worker has not copied yet — and that write starts the WAL again.
 */
const checkpointWorkerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
let timer = null;
let closed = false;
const pass = () => {
  if (closed) return;
  const [row] = db.pragma('wal_checkpoint(PASSIVE)');
  if (row && row.checkpointed > 0) parentPort.postMessage({ checkpointed: row.checkpointed, log: row.log });
  const long = row && row.log >= workerData.restartPages;
  if (long) parentPort.postMessage({ resetDue: true });
  // While the WAL is long, every few ms: what the store's connection copies itself stays a few frames.
  timer = setTimeout(pass, long ? 5 : workerData.everyMs);
};
timer = setTimeout(pass, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  closed = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

/**
 * A worker thread running `source` (its own connection to `file`: `workerData.module` is better-sqlite3, `workerData.file`
 * the database), not holding the process open.
 */
function sqliteWorker(source: string, file: string, data: Record<string, unknown> = {}): Worker {
  const worker = new Worker(source, {
    eval: true,
    workerData: { module: require.resolve('better-sqlite3'), file, ...data },
  });
  worker.unref();
  return worker;
}

/** SQLite's own automatic checkpoint: after a commit leaving the WAL at this many pages or more. */
const AUTO_CHECKPOINT_PAGES = 1000;

/**
 * WAL checkpoints in a worker thread. Started once the store has committed `afterCommits` times (a
 * test's store that writes a few documents starts no thread); when the worker's connection is open
 * the store's own stops checkpointing on commit (wal_autocheckpoint = 0), and takes it back if the
 * worker stops for any reason other than `close`. Durability is the WAL's, as before: a checkpoint
 * moves committed pages, it commits nothing.
 */
class BackgroundCheckpoints {
  private worker: Worker | null = null;
  private commits = 0;
  private closing = false;
  private resetDue = false;
  running = false;
  framesCheckpointed = 0;
  /** Times the store's connection caught the WAL up itself (it starts again from its beginning at that write). */
  walRestarts = 0;

  constructor(
    private readonly writer: Db,
    private readonly file: string,
    private readonly afterCommits: number,
    private readonly everyMs: number,
    private readonly restartPages: number,
  ) {}

  committed(): void {
    this.commits += 1;
    if (this.commits === this.afterCommits && !this.worker && !this.closing) this.start();
  }

  /** Before a write: when the WAL has grown past `restartPages`, the frames not yet copied, so that this write starts it again. */
  beforeWrite(): void {
    if (!this.resetDue || !this.running) return;
    const [row] = this.writer.pragma('wal_checkpoint(PASSIVE)') as Array<{
      busy: number;
      log: number;
      checkpointed: number;
    }>;
    if (row && !row.busy && row.checkpointed >= row.log) {
      this.resetDue = false;
      this.walRestarts += 1;
    }
  }

  private start(): void {
    const worker = sqliteWorker(checkpointWorkerSource, this.file, {
      everyMs: this.everyMs,
      restartPages: this.restartPages,
    });
    this.worker = worker;
    worker.on('message', (message: { ready?: boolean; checkpointed?: number; resetDue?: boolean }) => {
      if (message.resetDue) this.resetDue = true;
      if (message.ready && !this.closing && this.writer.open) {
        this.writer.pragma('wal_autocheckpoint = 0');
        this.running = true;
      }
      if (message.checkpointed) this.framesCheckpointed += message.checkpointed;
    });
    const stopped = (): void => {
      this.running = false;
      if (!this.closing && this.writer.open) this.writer.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    };
    worker.on('error', stopped);
    worker.on('exit', stopped);
  }

  close(): void {
    this.closing = true;
    this.running = false;
    this.worker?.postMessage('close');
  }
}

/**
 * Runs in the reading worker: a connection of its own that only reads (`query_only`), answering
 * `{ id, sql, values }` with `{ id, rows }` or `{ id, error }`.
 */
const readerWorkerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('query_only = ON');
db.pragma('cache_size = -32768');
const statements = new Map();
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    let statement = statements.get(message.sql);
    if (!statement) {
      if (statements.size > 100) statements.clear();
      statement = db.prepare(message.sql);
      statements.set(message.sql, statement);
    }
    parentPort.postMessage({ id: message.id, rows: statement.all(...message.values) });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String((error && error.message) || error) });
  }
});
`;

/**
 * Long reads on a connection in a worker thread, so the process's thread serves requests meanwhile. Started on the
 * first read; it holds the process open only while a read is pending. WAL mode lets it read what is committed while
 * the store writes; a read sees every commit made before it was asked. When the thread cannot start or stops, the
 * reads run on the store's own connection again (`null` from `all`).
 */
class BackgroundReads {
  private worker: Worker | null = null;
  private failed = false;
  private closed = false;
  private nextId = 0;
  /** What each pending read resolves with its rows (null: read them on the store's connection). */
  private readonly pending = new Map<number, (rows: unknown[] | null) => void>();
  /** Reads answered by the worker. */
  answered = 0;

  constructor(private readonly file: string) {}

  get running(): boolean {
    return this.worker !== null && !this.failed;
  }

  /** The rows of `sql`, read in the worker; null when the worker is not there (the caller reads them itself). */
  all(sql: string, values: unknown[]): Promise<unknown[] | null> {
    if (this.failed || this.closed) return Promise.resolve(null);
    const worker = this.worker ?? this.start();
    const id = (this.nextId += 1);
    return new Promise<unknown[] | null>((resolve) => {
      this.pending.set(id, resolve);
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, sql, values });
    });
  }

  private start(): Worker {
    const worker = sqliteWorker(readerWorkerSource, this.file);
    this.worker = worker;
    worker.on('message', (message: { id: number; rows?: unknown[]; error?: string }) => {
      const resolve = this.pending.get(message.id);
      if (!resolve) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      // A statement the worker could not run (busy, an error of SQLite's): the store's connection runs it and
      // reports its own error, the same as without the worker.
      if (message.rows) this.answered += 1;
      resolve(message.rows ?? null);
    });
    const stopped = (): void => {
      this.failed = true;
      for (const resolve of this.pending.values()) resolve(null);
      this.pending.clear();
    };
    worker.on('error', stopped);
    worker.on('exit', stopped);
    return worker;
  }

  close(): void {
    this.closed = true;
    this.worker?.postMessage('close');
  }
}

class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();
  constructor(private readonly db: Db) {}
  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * The SELECT of a `find` on `table`. With `options.fields`, each field's JSON (`->`: NULL when missing)
 * read out of the document by SQLite: a list of 20 claims parses 20 small values per field, not 20
 * whole claims; none at all when an index includes the fields (server/collections.ts `include`), the
 * page then read from the index alone. `fields`: the projected fields in the row's order after `_id`.
 * `keysFirstSql`, with a sort: the same page read keys first (query.ts `findSql`), for a plan that
 * sorts every matching row (SqliteStore.sortsEveryRow chooses).
 */
export function findQuery(
  table: string,
  filter: Filter,
  options: FindOptions = {},
): { sql: string; keysFirstSql: string | null; values: unknown[]; fields: string[] | null } {
  const fields = options.fields ? options.fields.filter((field) => field !== '_id') : null;
  const select = fields ? `_id${fields.map((field) => `, ${sqliteJson(field)}`).join('')}` : 'doc';
  const { direct, keysFirst, values } = findSql(dialect, table, select, filter, options, 'rowid');
  return { sql: direct, keysFirstSql: keysFirst, values, fields };
}

/** The stored JSON with a patch applied, as one SQL expression: removed fields by `json_remove`, set ones by `json_set`. */
function patchedDoc(params: Params, fields: { set: Record<string, unknown>; unset: string[] }): string {
  let doc = 'doc';
  if (fields.unset.length > 0)
    doc = `json_remove(doc, ${fields.unset.map((name) => params.add(`$.${name}`)).join(', ')})`;
  const set = Object.entries(fields.set);
  if (set.length > 0)
    doc = `json_set(${doc}, ${set.map(([name, value]) => `${params.add(`$.${name}`)}, json(${params.add(JSON.stringify(value))})`).join(', ')})`;
  return doc;
}

class SqliteCollection<T extends StoredDoc> implements Collection<T> {
  private readonly table: string;

  constructor(
    private readonly store: SqliteStore,
    private readonly name: string,
  ) {
    collectionSpec(name);
    this.table = dialect.table(name);
  }

  async insert(doc: T): Promise<T> {
    const stored = (doc._id ? doc : { ...doc, _id: newId() }) as T;
    const json = JSON.stringify(stored);
    await this.store.write(this.name, (writer) =>
      writer.get(`INSERT INTO ${this.table} (_id, doc) VALUES (?, ?)`).run(stored._id, json),
    );
    return stored;
  }

  async get(id: string): Promise<T | null> {
    const row = this.store.read(`SELECT doc FROM ${this.table} WHERE _id = ?`).get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    const query = findQuery(this.table, filter, options);
    const { values, fields } = query;
    const sql =
      query.keysFirstSql !== null && this.store.sortsEveryRow(query.sql, values) ? query.keysFirstSql : query.sql;
    if (fields) {
      const rows = this.store
        .read(sql)
        .raw(true)
        .all(...values) as Array<Array<string | null>>;
      return rows.map((row) => projected(row, fields) as T);
    }
    const rows = this.store.read(sql).all(...values) as Array<{ doc: string }>;
    return rows.map((row) => JSON.parse(row.doc) as T);
  }

  async count(filter: Filter): Promise<number> {
    const params = new Params(dialect);
    const row = this.store
      .read(`SELECT count(*) AS n FROM ${this.table}${whereClause(dialect, params, filter)}`)
      .get(...params.values) as { n: number };
    return row.n;
  }

  async groupCount(filter: Filter, by: readonly string[], sum?: string): Promise<Group[]> {
    const { sql, values } = groupQuery(dialect, sqliteGroupKey, this.table, filter, by, sum);
    const rows = (await this.store.readInBackground(sql, values)) ?? this.store.read(sql).all(...values);
    return groupsOfRows(rows as Array<Record<string, unknown>>, by, sqliteGroupKey);
  }

  /**
   * One UPDATE: SQLite sets the patched fields in the stored JSON (`json_set`, a field given as `undefined`
   * removed with `json_remove`) and checks the version in the same statement, so no process writes in
   * between and the document never travels to JavaScript and back (a claim: ≈ 6.8 KB parsed and written
   * out again per update — the outbox drain's update of every submitted claim). Each value goes in as its
   * JSON text. A field name that is not a plain name (never one of ours) takes the read-merge-write way.
   */
  async update(id: string, patch: Partial<T>, options: { expectVersion?: number } = {}): Promise<boolean> {
    const fields = patchFields(patch as Record<string, unknown>);
    const names = [...Object.keys(fields.set), ...fields.unset];
    // patchFields refuses dotted names: a field path here is one plain name, which SQLite's `$.name` takes as it is.
    if (!names.every(isFieldPath)) return this.updateInJavaScript(id, fields, options);
    const params = new Params(dialect);
    const doc = patchedDoc(params, fields);
    let sql = `UPDATE ${this.table} SET doc = ${doc} WHERE _id = ${params.add(id)}`;
    if (options.expectVersion !== undefined)
      sql += ` AND ${dialect.number('version')} = ${params.add(options.expectVersion)}`;
    return this.store.write(this.name, (writer) => writer.get(sql).run(...params.values).changes === 1);
  }

  /** One UPDATE … WHERE, the patch applied as `update` applies it (json_set / json_remove in SQLite). */
  async updateWhere(filter: Filter, patch: Partial<T>): Promise<number> {
    refuseEmptyFilter(filter, `${this.name}.updateWhere`);
    const fields = patchFields(patch as Record<string, unknown>);
    const names = [...Object.keys(fields.set), ...fields.unset];
    if (names.length === 0) return 0;
    if (!names.every(isFieldPath)) throw new Error(`${this.name}.updateWhere: plain field names only`);
    const params = new Params(dialect);
    const doc = patchedDoc(params, fields);
    const sql = `UPDATE ${this.table} SET doc = ${doc}${whereClause(dialect, params, filter)}`;
    return this.store.write(this.name, (writer) => writer.get(sql).run(...params.values).changes);
  }

  private updateInJavaScript(
    id: string,
    fields: { set: Record<string, unknown>; unset: string[] },
    options: { expectVersion?: number },
  ): Promise<boolean> {
    return this.store.write(this.name, (writer, db) =>
      // Read, merge and write in one immediate transaction: nothing, in this process or another, writes in between.
      db
        .transaction((): boolean => {
          const row = writer.get(`SELECT doc FROM ${this.table} WHERE _id = ?`).get(id) as { doc: string } | undefined;
          if (!row) return false;
          const doc = JSON.parse(row.doc) as Record<string, unknown>;
          if (options.expectVersion !== undefined && doc.version !== options.expectVersion) return false;
          for (const key of fields.unset) delete doc[key];
          writer
            .get(`UPDATE ${this.table} SET doc = ? WHERE _id = ?`)
            .run(JSON.stringify({ ...doc, ...fields.set }), id);
          return true;
        })
        .immediate(),
    );
  }

  async remove(id: string): Promise<boolean> {
    return this.store.write(
      this.name,
      (writer) => writer.get(`DELETE FROM ${this.table} WHERE _id = ?`).run(id).changes === 1,
    );
  }
}

export interface SqliteOptions {
  retry?: RetryPolicy;
  /** Commits after which WAL checkpoints move to a worker thread (default 200; 0: never, SQLite's own on commit). */
  checkpointAfterCommits?: number;
  /** How often the worker checkpoints (ms, default 200). */
  checkpointEveryMs?: number;
  /** WAL pages past which the store's next write first checkpoints what the worker has not, and starts the WAL again (default 4,000 pages, 16 MB). */
  checkpointRestartPages?: number;
  /**
   * Default true: synchronous=NORMAL (see above). false: synchronous=OFF — no fsync at all, so an OS crash or power
   * cut may corrupt the file; only for throw-away stores (the test suites open thousands, each fsync 10–20 ms here).
   */
  durable?: boolean;
  /**
   * Counts (`groupCount`) on a reading connection in a worker thread, so the process's thread stays free (default
   * false: a test's store would start a thread for each; the local server turns it on). A store in memory has none.
   */
  backgroundReads?: boolean;
}

export class SqliteStore implements Store {
  private readonly lock = new Lock();
  private readonly writes: StatementCache;
  private readonly checkpoints: BackgroundCheckpoints | null;
  /** Per SELECT: whether its plan sorts every matching row (`sortsEveryRow`). */
  private readonly fullSorts = new Map<string, boolean>();
  private readonly reads: BackgroundReads | null;

  private constructor(
    private readonly writer: Db,
    readonly file: string,
    private readonly retry: RetryPolicy,
    options: SqliteOptions,
  ) {
    this.writes = new StatementCache(writer);
    const after = options.checkpointAfterCommits ?? 200;
    this.checkpoints =
      file === ':memory:' || after <= 0
        ? null
        : new BackgroundCheckpoints(
            writer,
            file,
            after,
            options.checkpointEveryMs ?? 200,
            options.checkpointRestartPages ?? 4000,
          );
    this.reads = file !== ':memory:' && options.backgroundReads ? new BackgroundReads(file) : null;
  }

  /** Opens (or creates) `<dataDir>/store.sqlite` and brings its schema up to date; `dataDir` null → a private in-memory database (tests). */
  static open(dataDir: string | null, options: SqliteOptions = {}): SqliteStore {
    const file = dataDir ? path.join(dataDir, SQLITE_FILE) : ':memory:';
    const writer = new Database(file);
    configure(writer, options.durable ?? true);
    migrateSqlite(writer);
    return new SqliteStore(writer, file, options.retry ?? defaultRetryPolicy, options);
  }

  /** Whether the checkpoint worker is running, the WAL frames it has checkpointed, and the WAL's restarts. */
  backgroundCheckpoints(): { running: boolean; framesCheckpointed: number; walRestarts: number } {
    return {
      running: this.checkpoints?.running ?? false,
      framesCheckpointed: this.checkpoints?.framesCheckpointed ?? 0,
      walRestarts: this.checkpoints?.walRestarts ?? 0,
    };
  }

  /** Whether the reading worker is running, and the reads it has answered. */
  backgroundReadsState(): { running: boolean; answered: number } {
    return { running: this.reads?.running ?? false, answered: this.reads?.answered ?? 0 };
  }

  /** A read-only statement's rows from the reading worker; null without one (read them with `read`). */
  readInBackground(sql: string, values: unknown[]): Promise<unknown[] | null> {
    return this.reads ? this.reads.all(sql, values) : Promise.resolve(null);
  }

  /** The store's own connection's wal_autocheckpoint (0 once the worker checkpoints). */
  autoCheckpointPages(): number {
    return this.writer.pragma('wal_autocheckpoint', { simple: true }) as number;
  }

  /** A plain read (also allowed inside a transaction's work: nothing of the transaction is written before its commit). */
  read(sql: string): Database.Statement {
    return this.writes.get(sql);
  }

  /**
   * Whether SQLite's plan for this SELECT sorts every matching row to return its page ("USE TEMP B-TREE
   * FOR ORDER BY": no index gives the order; not "… FOR LAST TERM OF ORDER BY", which sorts only rows
   * of equal leading keys). Asked once per statement (EXPLAIN QUERY PLAN); without ANALYZE statistics
   * the plan does not depend on the data.
   */
  sortsEveryRow(sql: string, values: readonly unknown[]): boolean {
    let sorts = this.fullSorts.get(sql);
    if (sorts === undefined) {
      const plan = this.writer.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as Array<{ detail: string }>;
      sorts = plan.some((step) => step.detail === 'USE TEMP B-TREE FOR ORDER BY');
      if (this.fullSorts.size > 500) this.fullSorts.clear();
      this.fullSorts.set(sql, sorts);
    }
    return sorts;
  }

  /** A plain write: waits for the running transaction, if any, then runs at once. */
  write<R>(collection: string, work: (writer: StatementCache, db: Db) => R): Promise<R> {
    if (transactionScope.inside(this))
      throw new Error("A write outside the transaction inside a transaction: use the transaction's own writes");
    return this.lock.run(() => {
      let result: R;
      try {
        this.checkpoints?.beforeWrite();
        result = work(this.writes, this.writer);
      } catch (error) {
        throw mapped(error, collection);
      }
      this.checkpoints?.committed();
      return result;
    });
  }

  collection<T extends StoredDoc>(name: string): Collection<T> {
    return new SqliteCollection<T>(this, name);
  }

  async transaction<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    if (transactionScope.inside(this)) throw new Error('Transactions do not nest');
    return this.lock.run(() =>
      withRetries(this.retry, async () => {
        try {
          this.checkpoints?.beforeWrite();
          this.writes.get('BEGIN IMMEDIATE').run();
        } catch (error) {
          throw mapped(error, 'transaction');
        }
        try {
          const tx = new BufferedTransaction(async (collection, id) => {
            const row = this.writes.get(`SELECT doc FROM ${dialect.table(collection)} WHERE _id = ?`).get(id) as
              | { doc: string }
              | undefined;
            return row ? (JSON.parse(row.doc) as StoredDoc) : null;
          });
          const result = await transactionScope.run(this, () => work(tx));
          for (const write of tx.pendingWrites()) {
            const table = dialect.table(write.collection);
            try {
              if (write.json === null) this.writes.get(`DELETE FROM ${table} WHERE _id = ?`).run(write.id);
              else
                this.writes
                  .get(
                    `INSERT INTO ${table} (_id, doc) VALUES (?, ?) ON CONFLICT (_id) DO UPDATE SET doc = excluded.doc`,
                  )
                  .run(write.id, write.json);
            } catch (error) {
              throw mapped(error, write.collection);
            }
          }
          this.writes.get('COMMIT').run();
          this.checkpoints?.committed();
          return result;
        } catch (error) {
          if (this.writer.inTransaction) this.writes.get('ROLLBACK').run();
          throw error;
        }
      }),
    );
  }

  /** Creates or migrates the schema (also done by `open`). */
  migrate(): MigrationReport {
    return migrateSqlite(this.writer);
  }

  close(): void {
    this.checkpoints?.close();
    this.reads?.close();
    this.writer.close();
  }
}

export function migrateSqlite(db: Db): MigrationReport {
  return db
    .transaction((): MigrationReport => {
      db.prepare(
        `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)`,
      ).run();
      const applied = new Set(
        (db.prepare(`SELECT version FROM ${MIGRATIONS_TABLE}`).all() as Array<{ version: number }>).map(
          (row) => row.version,
        ),
      );
      const report = emptyMigrationReport();
      for (const step of pendingSteps(dialect, applied)) {
        for (const statement of step.statements) db.prepare(statement).run();
        db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, description, applied_at) VALUES (?, ?, ?)`).run(
          step.version,
          step.description,
          new Date().toISOString(),
        );
        report.applied.push(step.version);
      }
      for (const statement of tableStatements(dialect)) db.prepare(statement).run();
      const existing = db
        .prepare(`SELECT name, tbl_name AS collection FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`)
        .all() as Array<{ name: string; collection: string }>;
      for (const name of staleIndexes(dialect, existing)) {
        db.prepare(`DROP INDEX IF EXISTS "${name}"`).run();
        report.indexesDropped.push(name);
      }
      const present = new Set(existing.map((index) => index.name));
      for (const index of declaredIndexes(dialect)) {
        if (present.has(index.name)) continue;
        db.prepare(index.sql).run();
        report.indexesCreated.push(index.name);
      }
      return report;
    })
    .immediate();
}
