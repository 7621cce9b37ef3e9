/**
 * The two SQL dialects the SQL adapters speak: PostgreSQL (a server through `pg`, or PGlite in
 * process) and SQLite (better-sqlite3). A collection is a table `(_id text primary key, doc json)`;
 * a field of the `Filter` language is a JSON path into `doc`, and every expression here is written
 * exactly as the expression indexes of server/adapters/sql/schema.ts are, so the planner can use them.
 *
 * PostgreSQL compares text fields with COLLATE "C" (byte order, as nedb and JavaScript compare
 * strings), whatever the database's default collation.
 */

/** A field name of the Filter language: `a` or a dotted path `a.b`, plain identifiers only. */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Whether `field` is a field path of the Filter language (a plain name, or dotted plain names). */
export const isFieldPath = (field: string): boolean => FIELD.test(field);

export function checkField(field: string): string[] {
  if (!isFieldPath(field)) throw new Error(`Field "${field}" cannot be queried: plain names and dotted paths only`);
  return field.split('.');
}

export interface Dialect {
  readonly name: 'postgres' | 'sqlite';
  /** Placeholder of the n-th parameter (1-based). */
  param(n: number): string;
  /** A table name as an identifier. */
  table(collection: string): string;
  /** The field's value as text (strings as themselves, numbers and booleans as JSON text), NULL when missing or null. */
  text(field: string): string;
  /** True when the field holds a JSON string. */
  isString(field: string): string;
  /** The field's value as a number when it is a JSON number, else NULL. */
  number(field: string): string;
  /** True when the field holds the JSON boolean `value`. */
  isBoolean(field: string, value: boolean): string;
  /** True when the field holds JSON null (not when it is missing). */
  isNull(field: string): string;
  /** ORDER BY term: missing and null first when ascending (nedb's order), last when descending. */
  order(field: string, direction: 1 | -1): string;
  /** The last ORDER BY key, so equal sort keys still page without overlap (SQLite: rowid, which every index ends with). */
  readonly tieBreak: string;
  /**
   * Extra condition making a string range compare strings only (nedb never orders a string against
   * a number): PostgreSQL checks the JSON type; in SQLite every number sorts before '' so `>= ''` does it.
   */
  stringRange(field: string, operator: '<' | '<=' | '>' | '>='): string | null;
  /**
   * Extra condition making an equality with any of these strings exact, or null when the comparison itself is
   * (SQLite: TEXT never equals a number; PostgreSQL: no other JSON value's text can be such a string).
   */
  stringEquality(field: string, values: readonly string[]): string | null;
  /** Column type of `doc` and how a JSON text parameter is written into it. */
  readonly docType: string;
  docParam(n: number): string;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A field's text as `->>` gives it (strings as themselves, other values as JSON text, NULL for null), in byte order. */
function fieldText(field: string): string {
  const path = checkField(field);
  const value = path.length === 1 ? `doc->>'${path[0]}'` : `doc#>>'{${path.join(',')}}'`;
  return `((${value}) COLLATE "C")`;
}

/**
 * PostgreSQL: the stored generated column that holds a field's text (`fieldText`), for the fields a collection's
 * indexes hold: `f_` and the path, dots as `__` (server/adapters/sql/schema.ts adds them).
 */
export const storedColumn = (field: string): string => `f_${checkField(field).join('__')}`;

/** The SQL that computes a stored column's value: exactly what `text` reads without the column. */
export const storedColumnExpression = (field: string): string => fieldText(field);

/**
 * PostgreSQL as one collection is queried:
 * - `columns`: fields kept in stored generated columns (the indexed ones). Their text is read from the column, not out
 *   of the document: a claim is TOASTed (5–7 KB), and every field read out of one decompresses it, so a condition or
 *   a sort key the index did not settle cost a decompression per row (the overdue count: 0.9 s at 36,000 claims).
 * - `strings`, `booleans`: fields the collection declares so (a CHECK constraint holds them to that type or nothing),
 *   compared without reading their JSON type out of the document.
 */
function postgresWith(
  columns: ReadonlySet<string>,
  strings: ReadonlySet<string>,
  booleans: ReadonlySet<string>,
): Dialect {
  const text = (field: string): string => {
    if (field === '_id') return '_id';
    return columns.has(field) ? quoteIdent(storedColumn(field)) : fieldText(field);
  };
  const isString = (field: string): string =>
    field === '_id' ? 'TRUE' : `jsonb_typeof(${postgresJsonValue(field)}) = 'string'`;
  return {
    name: 'postgres',
    param: (n) => `$${n}`,
    table: quoteIdent,
    text,
    isString,
    number: (field) =>
      field === '_id'
        ? 'NULL::float8'
        : `(CASE WHEN jsonb_typeof(${postgresJsonValue(field)}) = 'number' THEN (${postgresJsonValue(field)})::float8 END)`,
    isBoolean: (field, value) => {
      if (field === '_id') return 'FALSE';
      if (booleans.has(field)) return `${text(field)} = '${value}'`;
      return `(${text(field)} = '${value}' AND jsonb_typeof(${postgresJsonValue(field)}) = 'boolean')`;
    },
    isNull: (field) => (field === '_id' ? 'FALSE' : `jsonb_typeof(${postgresJsonValue(field)}) = 'null'`),
    order: (field, direction) => `${text(field)} ${direction === 1 ? 'ASC NULLS FIRST' : 'DESC NULLS LAST'}`,
    tieBreak: '_id',
    stringRange: (field) => (field === '_id' || strings.has(field) ? null : isString(field)),
    // The check reads the document: a status filter over 100,000 claims decompressed every one. Only a string some
    // other JSON value's text could equal (a number's, true, false, an object's or an array's) needs it, and only in a
    // field not declared `strings`; `->>` gives SQL NULL for a JSON null.
    stringEquality: (field, values) =>
      field === '_id' || strings.has(field) || values.every((value) => !textOfOtherJson(value))
        ? null
        : isString(field),
    docType: 'jsonb',
    docParam: (n) => `$${n}::jsonb`,
  };
}

/** PostgreSQL on a table with no stored columns and no declared string fields: every field read out of `doc`. */
export const postgres: Dialect = postgresWith(new Set(), new Set(), new Set());

/** PostgreSQL for one collection: its stored columns and its declared string and boolean fields (see `postgresWith`). */
export function postgresFor(shape: {
  columns?: readonly string[];
  strings?: readonly string[];
  booleans?: readonly string[];
}): Dialect {
  if (!shape.columns?.length && !shape.strings?.length && !shape.booleans?.length) return postgres;
  return postgresWith(new Set(shape.columns), new Set(shape.strings), new Set(shape.booleans));
}

/** Whether `->>` could give this text for a JSON value that is not a string: a number, true, false, an object, an array. */
export const textOfOtherJson = (text: string): boolean => text === 'true' || text === 'false' || /^[-\d{[]/.test(text);

/** PostgreSQL: a field's JSON value in the document (`->` for a top-level field, `#>` for a path); NULL when missing. */
export function postgresJsonValue(field: string): string {
  const path = checkField(field);
  return path.length === 1 ? `doc->'${path[0]}'` : `doc#>'{${path.join(',')}}'`;
}

/** PostgreSQL: a field as a projection reads it — its JSON text (NULL when missing, 'null' when stored null). */
export const postgresJson = (field: string): string => `(${postgresJsonValue(field)})::text`;

const sqlitePath = (field: string): string => `'$.${checkField(field).join('.')}'`;

/**
 * SQLite: a field as a projection reads it — its JSON text (`->`: NULL when missing), `_id` the column.
 * Written the same in an index's included columns, so that SQLite answers the projection from the index.
 */
export const sqliteJson = (field: string): string => (field === '_id' ? '_id' : `doc -> ${sqlitePath(field)}`);

/** SQLite: a field's JSON type (`json_type`: 'text', 'integer', 'real', 'true', 'false', 'null', …), NULL when missing. */
export const sqliteType = (field: string): string => `json_type(doc, ${sqlitePath(field)})`;

export const sqlite: Dialect = {
  name: 'sqlite',
  param: () => '?',
  table: quoteIdent,
  // json_extract gives TEXT for strings, INTEGER/REAL for numbers, 1/0 for booleans; SQLite orders NULL < numbers < text, as nedb does.
  text: (field) => (field === '_id' ? '_id' : `json_extract(doc, ${sqlitePath(field)})`),
  isString: (field) => (field === '_id' ? '1' : `${sqliteType(field)} = 'text'`),
  number: (field) =>
    field === '_id'
      ? 'NULL'
      : `(CASE WHEN json_type(doc, ${sqlitePath(field)}) IN ('integer', 'real') THEN json_extract(doc, ${sqlitePath(field)}) END)`,
  isBoolean: (field, value) =>
    field === '_id'
      ? '0'
      : `(json_extract(doc, ${sqlitePath(field)}) = ${value ? 1 : 0} AND json_type(doc, ${sqlitePath(field)}) = '${value}')`,
  // The json_extract term (NULL for null and missing alike) lets an expression index find the candidates; json_type tells null from missing.
  isNull: (field) =>
    field === '_id' ? '0' : `(${sqlite.text(field)} IS NULL AND json_type(doc, ${sqlitePath(field)}) = 'null')`,
  order: (field, direction) => `${sqlite.text(field)} ${direction === 1 ? 'ASC' : 'DESC'}`,
  tieBreak: 'rowid',
  // Answered from the expression index alone: no document is parsed to check a type.
  stringRange: (field, operator) =>
    field !== '_id' && (operator === '<' || operator === '<=') ? `${sqlite.text(field)} >= ''` : null,
  stringEquality: () => null,
  docType: 'TEXT',
  docParam: () => '?',
};

/**
 * How `groupCount` groups by a field in SQL: the columns that together tell the field's value, and its group key
 * (server/adapters/grouping.ts `groupKeyValue`: strings, numbers and booleans; null otherwise) from their values.
 */
export interface GroupKeySql {
  columns(field: string): string[];
  keyOf(values: readonly unknown[]): unknown;
}

/** PostgreSQL: the field's JSON text. */
export const postgresGroupKey: GroupKeySql = {
  columns: (field) => [postgresJson(field)],
  keyOf: ([text]) => (typeof text === 'string' ? (JSON.parse(text) as unknown) : null),
};

/**
 * SQLite: the field's value (`json_extract`) and its JSON type, the two expressions an index of server/collections.ts
 * keeps for its `counted` fields, so the count is answered from the index alone (schema.ts). Grouped by its JSON text
 * (`->`) instead, SQLite computed the key from every row's document, never from an index: 154–275 ms against 6–13 ms
 * over 100,000 facts. `json_extract` alone gives booleans as 1 and 0; the type tells them from numbers.
 */
export const sqliteGroupKey: GroupKeySql = {
  columns: (field) => [sqlite.text(field), sqliteType(field)],
  keyOf: ([value, type]) => {
    if (type === 'true') return true;
    if (type === 'false') return false;
    return type === 'text' || type === 'integer' || type === 'real' ? value : null;
  },
};
