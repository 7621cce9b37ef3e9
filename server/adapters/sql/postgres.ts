/**
 * Store on PostgreSQL: a server through `pg` (DATABASE_URL), or PGlite (PostgreSQL in WebAssembly,
 * in process) — one adapter, two drivers. Documents are JSONB in one table per collection; the
 * indexes of server/collections.ts are expression indexes (server/adapters/sql/schema.ts).
 *
 * Transactions run at READ COMMITTED with every document read `SELECT … FOR UPDATE`: a transaction
 * holds each document it read until it commits, so two settlements of one person's ledger queue on
 * the ledger row, across processes and machines. The one race a row lock cannot cover — two
 * transactions both finding a document absent and both creating it — ends with the second INSERT
 * refused by the primary key, and that transaction starts again, as do the losers of a deadlock
 * or a serialization failure (40P01, 40001); when the attempts run out, StoreError('TRANSACTION_CONFLICT').
 * A unique index refusing a write is StoreError('DUPLICATE_KEY'). `update` with `expectVersion` is
 * one conditional UPDATE.
 */
import { transactionScope } from '../transactionScope';
import { freshRandomBytes } from '../../security/randomPool';
import { collections, collectionSpec, type IndexSpec } from '../../collections';
import {
  MAX_PAGE_SIZE,
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
import { type Dialect, postgres as dialect, postgresGroupKey, postgresJson } from './dialect';
import { findSql, groupQuery, groupsOfRows, orderClause, Params, patchFields, projected, whereClause } from './query';
import {
  declaredChecks,
  declaredColumns,
  declaredIndexes,
  isStoredColumn,
  postgresOf,
  emptyMigrationReport,
  MIGRATIONS_TABLE,
  pendingSteps,
  staleChecks,
  staleIndexes,
  tableStatements,
  type MigrationReport,
} from './schema';
import {
  BufferedTransaction,
  defaultRetryPolicy,
  RetryTransaction,
  withRetries,
  type PendingWrite,
  type RetryPolicy,
} from './transaction';

export interface PgResult {
  rows: Array<Record<string, unknown>>;
  rowCount: number;
}

export interface PgSession {
  query(sql: string, params?: unknown[]): Promise<PgResult>;
}

/** What the adapter needs of a PostgreSQL connection: queries, a transaction on one connection, close. */
export interface PgDriver extends PgSession {
  readonly kind: 'pg' | 'pglite';
  /** Runs `work` between BEGIN and COMMIT on one connection; ROLLBACK and rethrow when it throws. */
  transaction<R>(work: (session: PgSession) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

interface PgError {
  code?: string;
  constraint?: string;
}

const RETRYABLE = new Set(['40001', '40P01']);
const UNAVAILABLE = /^(08|57P0|53)/;

const pgErrorOf = (error: unknown): PgError => (typeof error === 'object' && error !== null ? (error as PgError) : {});

/** A driver or server error as the port's errors (unique violation, unavailable); anything else unchanged. */
function mapped(error: unknown, collection: string): unknown {
  const { code } = pgErrorOf(error);
  if (code === '23505')
    return new StoreError('DUPLICATE_KEY', `duplicate key in ${collection}: ${(error as Error).message}`);
  if (code === '23514')
    return new Error(
      `${collection}: a write broke a CHECK constraint (a field declared \`strings\` or \`booleans\` in server/collections.ts ` +
        `given a value of another type): ${(error as Error).message}`,
    );
  if (code && UNAVAILABLE.test(code)) return new StoreError('STORE_UNAVAILABLE', (error as Error).message);
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  if (errno === 'ECONNREFUSED' || errno === 'ECONNRESET' || errno === 'ENOTFOUND' || errno === 'ETIMEDOUT')
    return new StoreError('STORE_UNAVAILABLE', (error as Error).message);
  return error;
}

export const newId = (): string => freshRandomBytes(12).toString('base64url');

const parseDoc = (value: unknown): StoredDoc =>
  typeof value === 'string' ? (JSON.parse(value) as StoredDoc) : (value as StoredDoc);

/**
 * The ids of a sorted page whose filter takes a field's values from a list (`$in`, as the review queue's open
 * statuses), read per value: each value's first skip + limit ids in the order of an index that holds the filter's
 * other equalities, that field, then the first sort field; then those merged, sorted and cut. PostgreSQL reads a
 * sort key out of the document, never from an expression index: sorting every matching claim decompressed each one
 * (1.7 s a page of the queue at 100,000 open claims), where each value's rows come in the index's order and stop at the
 * page. Null when no index serves it: a page per value through no index would scan the table once per value.
 */
function pagePerValue(
  dialect: Dialect,
  table: string,
  indexes: readonly IndexSpec[],
  filter: Filter,
  options: FindOptions,
): { sql: string; values: unknown[] } | null {
  const sort = Object.entries(options.sort ?? {});
  if (sort.length === 0) return null;
  const equalities = new Set(
    Object.entries(filter)
      .filter(([, condition]) => condition === null || typeof condition !== 'object')
      .map(([field]) => field),
  );
  const listed = Object.entries(filter).find(([field, condition]) => {
    if (condition === null || typeof condition !== 'object' || !('$in' in condition)) return false;
    const values = condition.$in;
    if (values.length < 2 || !values.every((value) => typeof value === 'string')) return false;
    return indexes.some((index) => {
      const at = index.fields.indexOf(field);
      return (
        at >= 0 &&
        !index.sparse &&
        index.fields.slice(0, at).every((leading) => equalities.has(leading)) &&
        index.fields[at + 1] === sort[0]![0]
      );
    });
  });
  if (!listed) return null;
  const [field, condition] = listed as [string, { $in: string[] }];
  const params = new Params(dialect);
  const skip = Math.max(0, Math.floor(options.skip ?? 0));
  const limit = Math.max(0, Math.min(options.limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE));
  const keys = sort.map(([sorted], index) => `, ${dialect.text(sorted)} AS s${index}`).join('');
  const order = orderClause(dialect, options);
  const branches = [...new Set(condition.$in)].map(
    (value) =>
      `(SELECT _id${keys} FROM ${table}${whereClause(dialect, params, { ...filter, [field]: value })}${order} LIMIT ${params.add(skip + limit)})`,
  );
  const terms = sort.map(
    ([, direction], index) => `s${index} ${direction === 1 ? 'ASC NULLS FIRST' : 'DESC NULLS LAST'}`,
  );
  if (!sort.some(([sorted]) => sorted === '_id')) terms.push(`_id ${sort[sort.length - 1]![1] === 1 ? 'ASC' : 'DESC'}`);
  return {
    sql: `SELECT _id FROM (${branches.join(' UNION ALL ')}) AS page ORDER BY ${terms.join(', ')} LIMIT ${params.add(limit)} OFFSET ${params.add(skip)}`,
    values: params.values,
  };
}

/** A find's SELECT as PostgreSQL runs it: keys first whenever sorted (no plan to ask, and no loss where an index orders). */
const pageQuery = ({ direct, keysFirst, values }: ReturnType<typeof findSql>): { sql: string; values: unknown[] } => ({
  sql: keysFirst ?? direct,
  values,
});

class PgCollection<T extends StoredDoc> implements Collection<T> {
  private readonly table: string;
  private readonly indexes: IndexSpec[];
  /** PostgreSQL as this collection is queried: indexed fields read from their stored columns, declared types unchecked. */
  private readonly dialect: Dialect;

  constructor(
    private readonly store: PostgresStore,
    private readonly name: string,
  ) {
    const spec = collectionSpec(name);
    this.indexes = spec.indexes;
    this.dialect = postgresOf(spec);
    this.table = dialect.table(name);
  }

  private async run(sql: string, params: unknown[], writes = false): Promise<PgResult> {
    if (writes) this.store.refuseInsideTransaction();
    try {
      return await this.store.driver.query(sql, params);
    } catch (error) {
      throw mapped(error, this.name);
    }
  }

  async insert(doc: T): Promise<T> {
    const stored = (doc._id ? doc : { ...doc, _id: newId() }) as T;
    await this.run(
      `INSERT INTO ${this.table} (_id, doc) VALUES ($1, ${dialect.docParam(2)})`,
      [stored._id, JSON.stringify(stored)],
      true,
    );
    return stored;
  }

  async get(id: string): Promise<T | null> {
    const { rows } = await this.run(`SELECT doc FROM ${this.table} WHERE _id = $1`, [id]);
    return rows[0] ? (parseDoc(rows[0].doc) as T) : null;
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    // Only the fields asked for cross the wire, each as its JSON text (a list of 20 claims: 20 small values a field).
    const fields = options.fields ? options.fields.filter((field) => field !== '_id') : null;
    const select = fields
      ? `_id${fields.map((field, index) => `, ${postgresJson(field)} AS f${index}`).join('')}`
      : 'doc';
    // Sorted, a page is read keys first (query.ts findSql): PostgreSQL computes the selected columns below a sort, and
    // each field read out of a TOASTed claim decompresses it (the review queue: 18 s a page at 100,000 open claims).
    // With a list of values an index orders, the page's ids are read per value (pagePerValue).
    const perValue = pagePerValue(this.dialect, this.table, this.indexes, filter, options);
    const query = perValue
      ? {
          sql: `SELECT ${select} FROM ${this.table} WHERE _id IN (${perValue.sql})${orderClause(this.dialect, options)}`,
          values: perValue.values,
        }
      : pageQuery(findSql(this.dialect, this.table, select, filter, options, '_id'));
    const { rows } = await this.run(query.sql, query.values);
    if (fields)
      return rows.map(
        (row) =>
          projected([row._id as string, ...fields.map((_, index) => row[`f${index}`] as string | null)], fields) as T,
      );
    return rows.map((row) => parseDoc(row.doc) as T);
  }

  async count(filter: Filter): Promise<number> {
    const params = new Params(this.dialect);
    const { rows } = await this.run(
      `SELECT count(*)::int AS n FROM ${this.table}${whereClause(this.dialect, params, filter)}`,
      params.values,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async groupCount(filter: Filter, by: readonly string[], sum?: string): Promise<Group[]> {
    const { sql, values } = groupQuery(this.dialect, postgresGroupKey, this.table, filter, by, sum);
    return groupsOfRows((await this.run(sql, values)).rows, by, postgresGroupKey);
  }

  async update(id: string, patch: Partial<T>, options: { expectVersion?: number } = {}): Promise<boolean> {
    const params = new Params(this.dialect);
    const idParam = params.add(id);
    const { set, unset } = patchFields(patch as Record<string, unknown>);
    const fields = params.add(JSON.stringify(set));
    // Fields given as undefined leave the document (jsonb minus a text array removes those keys).
    const kept = unset.length > 0 ? `(doc - ${params.add(unset)}::text[])` : 'doc';
    let sql = `UPDATE ${this.table} SET doc = ${kept} || ${fields}::text::jsonb WHERE _id = ${idParam}`;
    if (options.expectVersion !== undefined)
      sql += ` AND ${dialect.number('version')} = ${params.add(options.expectVersion)}`;
    return (await this.run(sql, params.values, true)).rowCount === 1;
  }

  /** One UPDATE … WHERE, the patch applied as `update` applies it. */
  async updateWhere(filter: Filter, patch: Partial<T>): Promise<number> {
    refuseEmptyFilter(filter, `${this.name}.updateWhere`);
    const params = new Params(this.dialect);
    const { set, unset } = patchFields(patch as Record<string, unknown>);
    if (Object.keys(set).length + unset.length === 0) return 0;
    const fields = params.add(JSON.stringify(set));
    const kept = unset.length > 0 ? `(doc - ${params.add(unset)}::text[])` : 'doc';
    const sql = `UPDATE ${this.table} SET doc = ${kept} || ${fields}::text::jsonb${whereClause(this.dialect, params, filter)}`;
    return (await this.run(sql, params.values, true)).rowCount;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.run(`DELETE FROM ${this.table} WHERE _id = $1`, [id], true)).rowCount === 1;
  }
}

export class PostgresStore implements Store {
  constructor(
    readonly driver: PgDriver,
    private readonly retry: RetryPolicy = defaultRetryPolicy,
  ) {}

  /**
   * A plain write inside `work` would run on another connection, outside the transaction, and could
   * wait on the transaction's own locks forever: refused, as the embedded store refuses it. (A plain
   * read there is allowed: it sees committed data and takes no lock.)
   */
  refuseInsideTransaction(): void {
    if (transactionScope.inside(this))
      throw new Error("A write outside the transaction inside a transaction: use the transaction's own writes");
  }

  collection<T extends StoredDoc>(name: string): Collection<T> {
    return new PgCollection<T>(this, name);
  }

  async transaction<R>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    if (transactionScope.inside(this)) throw new Error('Transactions do not nest');
    return withRetries(this.retry, async () => {
      try {
        return await this.driver.transaction(async (session) => {
          const tx = new BufferedTransaction(async (collection, id) => {
            const { rows } = await session.query(
              `SELECT doc FROM ${dialect.table(collection)} WHERE _id = $1 FOR UPDATE`,
              [id],
            );
            return rows[0] ? parseDoc(rows[0].doc) : null;
          });
          const result = await transactionScope.run(this, () => work(tx));
          for (const write of tx.pendingWrites()) await this.apply(session, write);
          return result;
        });
      } catch (error) {
        const { code } = pgErrorOf(error);
        if (code && RETRYABLE.has(code)) throw new RetryTransaction(`${code}: ${(error as Error).message}`);
        throw error instanceof StoreError || error instanceof RetryTransaction ? error : mapped(error, 'transaction');
      }
    });
  }

  private async apply(session: PgSession, write: PendingWrite): Promise<void> {
    const table = dialect.table(write.collection);
    try {
      if (write.json === null) await session.query(`DELETE FROM ${table} WHERE _id = $1`, [write.id]);
      else if (write.seen === 'absent')
        await session.query(`INSERT INTO ${table} (_id, doc) VALUES ($1, ${dialect.docParam(2)})`, [
          write.id,
          write.json,
        ]);
      else
        await session.query(
          `INSERT INTO ${table} (_id, doc) VALUES ($1, ${dialect.docParam(2)}) ON CONFLICT (_id) DO UPDATE SET doc = EXCLUDED.doc`,
          [write.id, write.json],
        );
    } catch (error) {
      const { code, constraint } = pgErrorOf(error);
      if (code === '23505' && write.seen === 'absent' && constraint === `${write.collection}_pkey`) {
        throw new RetryTransaction(`${write.collection}/${write.id} was created by a concurrent transaction`);
      }
      throw mapped(error, write.collection);
    }
  }

  /** Creates or migrates the schema (idempotent; concurrent callers wait for each other). */
  async migrate(): Promise<MigrationReport> {
    return migratePostgres(this.driver);
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

export async function migratePostgres(driver: PgDriver): Promise<MigrationReport> {
  return driver.transaction(async (session) => {
    await session.query(`SELECT pg_advisory_xact_lock(7320113)`);
    await session.query(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const applied = new Set(
      (await session.query(`SELECT version FROM ${MIGRATIONS_TABLE}`)).rows.map((row) => Number(row.version)),
    );
    const report = emptyMigrationReport();
    for (const step of pendingSteps(dialect, applied)) {
      for (const statement of step.statements) await session.query(statement);
      await session.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, description) VALUES ($1, $2)`, [
        step.version,
        step.description,
      ]);
      report.applied.push(step.version);
    }
    for (const statement of tableStatements(dialect)) await session.query(statement);
    const staleColumns = await migrateColumns(session, report);
    const existing = (
      await session.query(
        `SELECT indexname AS name, tablename AS collection FROM pg_indexes WHERE schemaname = current_schema()`,
      )
    ).rows.map((row) => ({
      name: String(row.name),
      collection: String(row.collection),
    }));
    for (const name of staleIndexes(dialect, existing)) {
      await session.query(`DROP INDEX IF EXISTS "${name}"`);
      report.indexesDropped.push(name);
    }
    const present = new Set(existing.map((index) => index.name));
    for (const index of declaredIndexes(dialect)) {
      if (present.has(index.name)) continue;
      await session.query(index.sql);
      report.indexesCreated.push(index.name);
    }
    // After the indexes: a stale column's own indexes are stale too, and went with them.
    for (const column of staleColumns) {
      await session.query(`ALTER TABLE ${dialect.table(column.collection)} DROP COLUMN IF EXISTS "${column.name}"`);
      report.columnsDropped.push(`${column.collection}.${column.name}`);
    }
    await migrateChecks(session, report);
    return report;
  });
}

/**
 * Adds the stored generated columns the collections' indexes need (schema.ts `declaredColumns`): one ALTER TABLE a
 * collection, so its rows are rewritten once (with the indexes rebuilt on the columns: 55 s for 100,000 claims, once). Returns the managed columns no longer
 * declared, for the caller to drop once the indexes on them are gone.
 */
async function migrateColumns(
  session: PgSession,
  report: MigrationReport,
): Promise<Array<{ name: string; collection: string }>> {
  const existing = (
    await session.query(
      `SELECT column_name AS name, table_name AS collection FROM information_schema.columns
       WHERE table_schema = current_schema()`,
    )
  ).rows.map((row) => ({ name: String(row.name), collection: String(row.collection) }));
  const present = new Set(existing.map((column) => `${column.collection}.${column.name}`));
  const declared = declaredColumns(dialect);
  const missing = new Map<string, typeof declared>();
  for (const column of declared) {
    if (present.has(`${column.collection}.${column.name}`)) continue;
    missing.set(column.collection, [...(missing.get(column.collection) ?? []), column]);
  }
  for (const [collection, columns] of missing) {
    await session.query(
      `ALTER TABLE ${dialect.table(collection)} ${columns.map((column) => `ADD COLUMN ${column.definition}`).join(', ')}`,
    );
    report.columnsAdded.push(...columns.map((column) => `${collection}.${column.name}`));
  }
  const wanted = new Set(declared.map((column) => `${column.collection}.${column.name}`));
  const tables = new Set(collections.map((spec) => spec.name));
  return existing.filter(
    (column) =>
      isStoredColumn(column.name) &&
      tables.has(column.collection) &&
      !wanted.has(`${column.collection}.${column.name}`),
  );
}

/**
 * Brings the managed CHECK constraints in line with the collections' `strings` and `booleans` (schema.ts `declaredChecks`). Adding
 * one validates every row: a row breaking it stops the migration with the collection, the fields and the first
 * offending ids, rather than leaving a constraint the queries would trust but the rows do not meet.
 */
async function migrateChecks(session: PgSession, report: MigrationReport): Promise<void> {
  const existing = (
    await session.query(
      `SELECT c.conname AS name, t.relname AS collection FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
       WHERE c.contype = 'c' AND t.relnamespace = current_schema()::regnamespace`,
    )
  ).rows.map((row) => ({ name: String(row.name), collection: String(row.collection) }));
  for (const check of staleChecks(dialect, existing)) {
    await session.query(`ALTER TABLE ${dialect.table(check.collection)} DROP CONSTRAINT IF EXISTS "${check.name}"`);
    report.checksDropped.push(check.name);
  }
  const present = new Set(existing.map((check) => check.name));
  for (const check of declaredChecks(dialect)) {
    if (present.has(check.name)) continue;
    const { rows } = await session.query(
      `SELECT _id FROM ${dialect.table(check.collection)} WHERE NOT (${check.condition}) ORDER BY _id LIMIT 5`,
    );
    if (rows.length > 0)
      throw new Error(
        `Migration stopped: documents of ${check.collection} hold a value of another type in a field declared ` +
          `\`strings\` or \`booleans\` in server/collections.ts (ids ${rows.map((row) => String(row._id)).join(', ')}). ` +
          `Check: ${check.condition}`,
      );
    await session.query(check.sql);
    report.checksAdded.push(check.name);
  }
}

/** The `pg` driver on a connection pool. */
export async function pgDriver(
  connectionString: string,
  options: { max?: number; idleTimeoutMillis?: number } = {},
): Promise<PgDriver> {
  const { Pool } = await import('pg');
  const pool = new Pool({
    connectionString,
    max: options.max ?? 10,
    ...(options.idleTimeoutMillis !== undefined ? { idleTimeoutMillis: options.idleTimeoutMillis } : {}),
  });
  // An idle client losing its connection must not crash the process: the next query reports it.
  pool.on('error', () => undefined);
  const query = async (sql: string, params: unknown[] = []): Promise<PgResult> => {
    const result = await pool.query(sql, params);
    return { rows: result.rows as Array<Record<string, unknown>>, rowCount: result.rowCount ?? 0 };
  };
  return {
    kind: 'pg',
    query,
    async transaction(work) {
      let client;
      try {
        client = await pool.connect();
      } catch (error) {
        throw mapped(error, 'transaction');
      }
      const session: PgSession = {
        query: async (sql, params = []) => {
          const result = await client.query(sql, params);
          return { rows: result.rows as Array<Record<string, unknown>>, rowCount: result.rowCount ?? 0 };
        },
      };
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(session);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/** PGlite: PostgreSQL in WebAssembly, in this process, its files under `dataDir` (in memory when null). */
export async function pgliteDriver(dataDir: string | null): Promise<PgDriver> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const wrap = (result: { rows: unknown[]; affectedRows?: number }): PgResult => ({
    rows: result.rows as Array<Record<string, unknown>>,
    rowCount: result.affectedRows ?? result.rows.length,
  });
  return {
    kind: 'pglite',
    query: async (sql, params = []) => wrap(await db.query(sql, params)),
    transaction: (work) =>
      db.transaction((tx) => work({ query: async (sql, params = []) => wrap(await tx.query(sql, params)) })),
    close: () => db.close(),
  };
}

/** Opens a PostgreSQL store and brings its schema up to date. */
export async function openPostgresStore(
  driver: PgDriver,
  options: { migrate?: boolean; retry?: RetryPolicy } = {},
): Promise<PostgresStore> {
  const store = new PostgresStore(driver, options.retry);
  if (options.migrate ?? true) await store.migrate();
  return store;
}
