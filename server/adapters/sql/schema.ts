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
import { collections, type IndexSpec } from '../../collections';
import { sqliteGroupKey, sqliteJson, type Dialect } from './dialect';

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

function indexDefinition(dialect: Dialect, collection: string, index: IndexSpec): IndexDefinition {
  const columns = index.fields.map((field) =>
    dialect.name === 'postgres' ? `(${dialect.text(field)}) NULLS FIRST` : dialect.text(field),
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
      .map((index) => indexDefinition(dialect, spec.name, index)),
  );
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

export interface MigrationReport {
  applied: number[];
  indexesCreated: string[];
  indexesDropped: string[];
}
