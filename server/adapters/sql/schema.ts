/**
 * The SQL schema, derived from server/collections.ts: one table per collection
 * `(_id text primary key, doc json)` and one expression index per declared index (`cloudOnly` ones
 * too: the nedb-only reason does not apply to a B-tree), except an index whose fields lead a longer
 * declared one (`servedByLongerIndex`: the longer B-tree answers its queries). Index names carry a hash of
 * their definition, so a changed declaration is a new index and the old one is dropped.
 *
 * The migration step (on start, or `npm run migrate`) runs the numbered structural steps not yet
 * recorded in `store_migrations`, creates the table of any collection declared since, then brings
 * the indexes in line with server/collections.ts. Every statement is idempotent.
 */
import { createHash } from 'node:crypto';
import { collections, type CollectionSpec, type IndexSpec } from '../../collections';
import {
  postgresFor,
  postgresJsonValue,
  sqliteGroupKey,
  sqliteJson,
  storedColumn,
  storedColumnExpression,
  type Dialect,
} from './dialect';

/** The table of one collection: `_id` primary key, the document as JSON. */
export const tableStatement = (dialect: Dialect, collection: string): string =>
  `CREATE TABLE IF NOT EXISTS ${dialect.table(collection)} (_id TEXT ${dialect.name === 'postgres' ? 'COLLATE "C" ' : ''}PRIMARY KEY, doc ${dialect.docType} NOT NULL)`;

/** Every declared collection's table (run on each migration: a collection declared later gets its table). */
export const tableStatements = (dialect: Dialect): string[] =>
  collections.map((spec) => tableStatement(dialect, spec.name));

/** Structural changes, in order, never edited once released: add a step instead. */
const structuralSteps: Array<{ version: number; description: string; statements: (dialect: Dialect) => string[] }> = [
  {
    version: 1,
    description: 'one table per collection: _id primary key, the document as JSON',
    statements: tableStatements,
  },
];

export const SCHEMA_VERSION = structuralSteps[structuralSteps.length - 1]!.version;

export const MIGRATIONS_TABLE = 'store_migrations';

export interface IndexDefinition {
  name: string;
  collection: string;
  sql: string;
}

/** Prefix of every index this module manages on `collection` (others are left alone). */
export const indexPrefix = (collection: string): string => `ix_${collection.toLowerCase()}_`;

/** PostgreSQL: the fields a collection keeps in stored generated columns — every field its indexes hold but `_id`. */
export const storedFields = (spec: CollectionSpec): string[] => [
  ...new Set(spec.indexes.flatMap((index) => index.fields).filter((field) => field !== '_id')),
];

/** PostgreSQL as a collection is queried and indexed: its stored columns and its declared string fields. */
export const postgresOf = (spec: CollectionSpec): Dialect =>
  postgresFor({
    columns: storedFields(spec),
    ...(spec.strings ? { strings: spec.strings } : {}),
    ...(spec.booleans ? { booleans: spec.booleans } : {}),
  });

/** A managed stored column of PostgreSQL: its name and its definition in `ALTER TABLE … ADD COLUMN`. */
export interface StoredColumnDefinition {
  name: string;
  collection: string;
  definition: string;
}

/**
 * PostgreSQL: every stored generated column the collections' indexes need. Each holds a field's text as the queries
 * compare and sort it, so an index is on plain columns and a row's condition or sort key is read without decompressing
 * its document; PostgreSQL computes the column on every write of the row.
 */
export function declaredColumns(dialect: Dialect): StoredColumnDefinition[] {
  if (dialect.name !== 'postgres') return [];
  return collections.flatMap((spec) =>
    storedFields(spec).map((field) => ({
      name: storedColumn(field),
      collection: spec.name,
      definition: `"${storedColumn(field)}" TEXT COLLATE "C" GENERATED ALWAYS AS (${storedColumnExpression(field)}) STORED`,
    })),
  );
}

/** Whether a column of a collection's table is one this module manages (`f_…`: `_id` and `doc` are the table's own). */
export const isStoredColumn = (column: string): boolean => column.startsWith('f_');

function indexDefinition(dialect: Dialect, collection: string, index: IndexSpec): IndexDefinition {
  const columns = index.fields.map((field) =>
    dialect.name === 'postgres' ? `${dialect.text(field)} NULLS FIRST` : dialect.text(field),
  );
  // SQLite: the included fields after the key, so the projection reading them is answered from the index alone.
  if (dialect.name === 'sqlite' && !index.unique) columns.push(...(index.include ?? []).map(sqliteJson));
  // SQLite: each counted field's value and type as groupCount reads them (a key's value is in the index already).
  if (dialect.name === 'sqlite' && !index.unique)
    for (const field of index.counted ?? [])
      columns.push(...sqliteGroupKey.columns(field).filter((column) => !columns.includes(column)));
  const where = index.sparse
    ? ` WHERE ${index.fields.map((field) => `${dialect.text(field)} IS NOT NULL`).join(' OR ')}`
    : '';
  const shape = `${index.unique ? 'unique ' : ''}${columns.join(', ')}${where}`;
  const hash = createHash('sha256').update(shape).digest('hex').slice(0, 10);
  const name = `${indexPrefix(collection)}${index.fields.join('_').toLowerCase().slice(0, 30)}_${hash}`;
  return {
    name,
    collection,
    sql: `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS "${name}" ON ${dialect.table(collection)} (${columns.join(', ')})${where}`,
  };
}

/**
 * Whether a B-tree on `other` answers every query `index` serves: `index` is a plain index (not unique,
 * not partial, nothing included or counted) whose fields are the leading fields of `other`, itself not partial.
 * nedb and the WeChat database keep such an index; in SQL it would only be one more expression
 * computed and one more page written on every write of the collection (≈ 20 µs a claim write here).
 */
export function servedByLongerIndex(index: IndexSpec, other: IndexSpec): boolean {
  if (index.unique || index.sparse || (index.include?.length ?? 0) + (index.counted?.length ?? 0) > 0 || other.sparse)
    return false;
  return (
    other.fields.length > index.fields.length &&
    index.fields.every((field, position) => other.fields[position] === field)
  );
}

/** Every index server/collections.ts declares, as this dialect writes it — but those a longer one serves. */
export function declaredIndexes(dialect: Dialect): IndexDefinition[] {
  return collections.flatMap((spec) =>
    spec.indexes
      .filter((index) => !spec.indexes.some((other) => servedByLongerIndex(index, other)))
      .map((index) => indexDefinition(dialect.name === 'postgres' ? postgresOf(spec) : dialect, spec.name, index)),
  );
}

/** Prefix of every CHECK constraint this module manages on `collection` (others are left alone). */
export const checkPrefix = (collection: string): string => `ck_${collection.toLowerCase()}_`;

/** PostgreSQL only: a managed CHECK constraint and the statement adding it. */
export interface CheckDefinition {
  name: string;
  collection: string;
  /** The condition every row must meet. */
  condition: string;
  sql: string;
}

/**
 * PostgreSQL: one CHECK constraint per collection that declares `strings` or `booleans`: each such field is a JSON
 * string (a boolean), JSON null or missing (`jsonb_typeof` gives NULL for a missing field, and a NULL check passes). Named by a hash of the
 * condition, as the indexes are, so a changed declaration replaces it. SQLite needs none: its `json_extract` is typed.
 */
export function declaredChecks(dialect: Dialect): CheckDefinition[] {
  if (dialect.name !== 'postgres') return [];
  const typed = (fields: readonly string[] | undefined, type: 'string' | 'boolean'): string[] =>
    (fields ?? []).map((field) => `jsonb_typeof(${postgresJsonValue(field)}) IN ('${type}', 'null')`);
  return collections.flatMap((spec) => {
    const conditions = [...typed(spec.strings, 'string'), ...typed(spec.booleans, 'boolean')];
    if (conditions.length === 0) return [];
    const condition = conditions.join(' AND ');
    const hash = createHash('sha256').update(condition).digest('hex').slice(0, 10);
    const name = `${checkPrefix(spec.name)}types_${hash}`;
    return [
      {
        name,
        collection: spec.name,
        condition,
        sql: `ALTER TABLE ${dialect.table(spec.name)} ADD CONSTRAINT "${name}" CHECK (${condition})`,
      },
    ];
  });
}

/** The names of managed CHECK constraints that exist but are no longer declared (to drop), with their collection. */
export function staleChecks(
  dialect: Dialect,
  existing: Array<{ name: string; collection: string }>,
): Array<{ name: string; collection: string }> {
  const declared = new Set(declaredChecks(dialect).map((check) => check.name));
  return existing.filter((check) => check.name.startsWith(checkPrefix(check.collection)) && !declared.has(check.name));
}

/** The structural steps not yet applied (by version), with their statements. */
export function pendingSteps(
  dialect: Dialect,
  applied: ReadonlySet<number>,
): Array<{ version: number; description: string; statements: string[] }> {
  return structuralSteps
    .filter((step) => !applied.has(step.version))
    .map((step) => ({ version: step.version, description: step.description, statements: step.statements(dialect) }));
}

/** The names of managed indexes that exist but are no longer declared (to drop). */
export function staleIndexes(dialect: Dialect, existing: Array<{ name: string; collection: string }>): string[] {
  const declared = new Set(declaredIndexes(dialect).map((index) => index.name));
  return existing
    .filter((index) => index.name.startsWith(indexPrefix(index.collection)) && !declared.has(index.name))
    .map((index) => index.name);
}

/** A migration that has changed nothing yet. */
export const emptyMigrationReport = (): MigrationReport => ({
  applied: [],
  indexesCreated: [],
  indexesDropped: [],
  columnsAdded: [],
  columnsDropped: [],
  checksAdded: [],
  checksDropped: [],
});

export interface MigrationReport {
  applied: number[];
  indexesCreated: string[];
  /** PostgreSQL: managed stored generated columns added and dropped (`collection.column`). */
  columnsAdded: string[];
  columnsDropped: string[];
  /** PostgreSQL: managed CHECK constraints added (each validated over the table's rows) and dropped. */
  checksAdded: string[];
  checksDropped: string[];
  indexesDropped: string[];
}
