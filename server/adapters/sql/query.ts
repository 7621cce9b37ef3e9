/**
 * The Filter language of server/ports.ts as SQL, with nedb's semantics (the embedded store the
 * handlers were written against):
 * - `{ f: value }` matches a stored value of the same JSON type and equal (`1` never matches `"1"`);
 *   `{ f: null }` matches an explicit null, not a missing field;
 * - `$ne` also matches documents without the field; `$in` is equality with any listed value;
 * - `$lt`/`$lte`/`$gt`/`$gte` compare strings with strings and numbers with numbers only.
 * Sorting: strings in byte order, missing and null first when ascending, ties broken so pages never
 * overlap. (PostgreSQL sorts a field by its text: sort fields are dates, ids or null.)
 * One difference, in SQLite only: a string equality also matches a field holding an object or
 * array whose JSON text is that string (checking the type would parse every candidate document).
 */
import {
  MAX_PAGE_SIZE,
  type FieldCondition,
  rangeBounds,
  type Filter,
  type FindOptions,
  type Group,
  type StoredDoc,
} from '../../ports';
import { checkGroupFields, GroupMerger } from '../grouping';
import type { Dialect, GroupKeySql } from './dialect';

export class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect.param(this.values.length);
  }
}

type Scalar = string | number | boolean | null;

function equals(dialect: Dialect, params: Params, field: string, value: Scalar): string {
  if (value === null) return dialect.isNull(field);
  if (typeof value === 'boolean') return dialect.isBoolean(field, value);
  if (typeof value === 'number') return `${dialect.number(field)} = ${params.add(value)}`;
  const exact = dialect.stringEquality(field, [value]);
  return `(${dialect.text(field)} = ${params.add(value)}${exact ? ` AND ${exact}` : ''})`;
}

function anyOf(dialect: Dialect, params: Params, field: string, values: Array<string | number>): string {
  const strings = values.filter((value): value is string => typeof value === 'string');
  const numbers = values.filter((value): value is number => typeof value === 'number');
  const parts: string[] = [];
  const exact = dialect.stringEquality(field, strings);
  if (strings.length > 0)
    parts.push(
      `(${dialect.text(field)} IN (${strings.map((value) => params.add(value)).join(', ')})${exact ? ` AND ${exact}` : ''})`,
    );
  if (numbers.length > 0)
    parts.push(`${dialect.number(field)} IN (${numbers.map((value) => params.add(value)).join(', ')})`);
  return parts.length === 0 ? '1 = 0' : `(${parts.join(' OR ')})`;
}

function compare(
  dialect: Dialect,
  params: Params,
  field: string,
  operator: '<' | '<=' | '>' | '>=',
  value: string | number,
): string {
  if (typeof value === 'number') return `${dialect.number(field)} ${operator} ${params.add(value)}`;
  const strings = dialect.stringRange(field, operator);
  return `(${dialect.text(field)} ${operator} ${params.add(value)}${strings ? ` AND ${strings}` : ''})`;
}

const sqlOperators = { $lt: '<', $lte: '<=', $gt: '>', $gte: '>=' } as const;

function condition(dialect: Dialect, params: Params, field: string, value: FieldCondition): string {
  if (value === null || typeof value !== 'object') return equals(dialect, params, field, value);
  if ('$in' in value) return anyOf(dialect, params, field, value.$in);
  const bounds = rangeBounds(value);
  if (bounds.length === 1) return compare(dialect, params, field, sqlOperators[bounds[0]![0]], bounds[0]![1]);
  if (bounds.length > 1)
    return `(${bounds.map(([operator, bound]) => compare(dialect, params, field, sqlOperators[operator], bound)).join(' AND ')})`;
  if ('$ne' in value)
    return `NOT COALESCE(${equals(dialect, params, field, value.$ne)}, ${dialect.name === 'sqlite' ? '0' : 'FALSE'})`;
  throw new Error(`Unsupported condition on "${field}": ${JSON.stringify(value)}`);
}

/** `WHERE …` for a filter (empty string for `{}`), its parameters added to `params`. */
export function whereClause(dialect: Dialect, params: Params, filter: Filter): string {
  const parts = Object.entries(filter).map(([field, value]) => condition(dialect, params, field, value));
  return parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`;
}

/** `ORDER BY …` for find options, the tie-break last ('' without a sort). It takes no parameters. */
export function orderClause(dialect: Dialect, options: FindOptions): string {
  const sort = Object.entries(options.sort ?? {});
  if (sort.length === 0) return '';
  const terms = sort.map(([field, direction]) => dialect.order(field, direction));
  if (!sort.some(([field]) => field === '_id'))
    terms.push(`${dialect.tieBreak} ${sort[sort.length - 1]![1] === 1 ? 'ASC' : 'DESC'}`);
  return ` ORDER BY ${terms.join(', ')}`;
}

/** `ORDER BY … LIMIT … OFFSET …` for find options (limit capped at MAX_PAGE_SIZE). */
export function pageClause(dialect: Dialect, params: Params, options: FindOptions): string {
  let clause = orderClause(dialect, options);
  const limit = Math.max(0, Math.min(options.limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE));
  clause += ` LIMIT ${params.add(limit)}`;
  if (options.skip) clause += ` OFFSET ${params.add(Math.max(0, Math.floor(options.skip)))}`;
  return clause;
}

/**
 * A find's SELECT of `select` (columns) on `table`: `direct`, and with a sort `keysFirst` — the same page found by an
 * inner SELECT that reads only what the filter and the sort need and returns the page's row keys (`rowKey`: SQLite's
 * rowid, PostgreSQL's _id), then the selected columns of those rows alone, in the same order. Same parameters, same
 * rows. A database that sorts every matching row with its selected columns (no index gives the order) computes them
 * for rows it then drops: SQLite parsed each open claim's document for the review queue (2 s a page at 100,000),
 * PostgreSQL decompressed each TOASTed claim once per field (18 s).
 */
export function findSql(
  dialect: Dialect,
  table: string,
  select: string,
  filter: Filter,
  options: FindOptions,
  rowKey: string,
): { direct: string; keysFirst: string | null; values: unknown[] } {
  const params = new Params(dialect);
  const where = whereClause(dialect, params, filter);
  const page = pageClause(dialect, params, options);
  const order = orderClause(dialect, options);
  return {
    direct: `SELECT ${select} FROM ${table}${where}${page}`,
    keysFirst: order
      ? `SELECT ${select} FROM ${table} WHERE ${rowKey} IN (SELECT ${rowKey} FROM ${table}${where}${page})${order}`
      : null,
    values: params.values,
  };
}

/**
 * The top-level fields of an `update` patch, `_id` left out: those it sets, and those it removes (a
 * field given as `undefined`, as the Store port says). Dotted names are refused (whole fields only).
 */
export function patchFields(patch: Record<string, unknown>): { set: Record<string, unknown>; unset: string[] } {
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '_id') continue;
    if (key.includes('.') || key.startsWith('$'))
      throw new Error(`update sets whole top-level fields: "${key}" is not one`);
    if (value === undefined) unset.push(key);
    else set[key] = value;
  }
  return { set, unset };
}

/**
 * A document of `_id` and the fields a projection read (`FindOptions.fields`): `row` is `_id`, then each field's JSON
 * text, null (or undefined) where the document has no such field — so a stored `null` (JSON text "null") stays null
 * and a missing field stays missing. Dotted fields are rebuilt as nested objects.
 */
export function projected(row: ReadonlyArray<string | null | undefined>, fields: readonly string[]): StoredDoc {
  const doc: StoredDoc & Record<string, unknown> = { _id: String(row[0]) };
  fields.forEach((field, index) => {
    const json = row[index + 1];
    if (json === null || json === undefined) return;
    const path = field.split('.');
    let target: Record<string, unknown> = doc;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1]!] = JSON.parse(json);
  });
  return doc;
}

/**
 * The SELECT of a `groupCount` on `table`: each `by` field's key columns (`key` of the dialect), the count, and the sum
 * of the `sum` field's numbers, grouped by those columns (a missing field and a stored null may be two rows here, one
 * group after `groupsOfRows`).
 */
export function groupQuery(
  dialect: Dialect,
  key: GroupKeySql,
  table: string,
  filter: Filter,
  by: readonly string[],
  sum?: string,
): { sql: string; values: unknown[] } {
  checkGroupFields(by, sum);
  const params = new Params(dialect);
  const where = whereClause(dialect, params, filter);
  const columns = by.flatMap((field, index) =>
    key.columns(field).map((column, part) => `${column} AS k${index}_${part}`),
  );
  const added = sum === undefined ? '0' : `coalesce(sum(${dialect.number(sum)}), 0)`;
  const positions = columns.map((_, index) => index + 1).join(', ');
  return {
    sql: `SELECT ${columns.join(', ')}, count(*) AS n, ${added} AS s FROM ${table}${where} GROUP BY ${positions}`,
    values: params.values,
  };
}

/** The rows of a `groupQuery` (key columns k0_0…, n, s) as groups: each key read by the dialect, same keys merged. */
export function groupsOfRows(
  rows: ReadonlyArray<Record<string, unknown>>,
  by: readonly string[],
  key: GroupKeySql,
): Group[] {
  const merger = new GroupMerger();
  const widths = by.map((field) => key.columns(field).length);
  for (const row of rows) {
    const values = widths.map((width, index) =>
      key.keyOf(Array.from({ length: width }, (_, part) => row[`k${index}_${part}`])),
    );
    merger.add(values, Number(row.n), Number(row.s));
  }
  return merger.result();
}
