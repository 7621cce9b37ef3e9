/**
 * A page read keys first (findQuery's `keysFirstSql`: the rowids sorted and paged by an inner SELECT, then those rows
 * read) is the page the plain SELECT reads: the same rows in the same order, whatever the documents (ties, nulls,
 * missing fields, numbers among strings), the filter, the sort, the skip, the limit and the projection.
 */
import fc from 'fast-check';
import { insertRunClaims } from '../../../test/support/propertyRuns';
import type { Filter, FindOptions } from '../../ports';
import { sqlite as sqliteDialect } from './dialect';
import { findQuery, SqliteStore } from './sqlite';

const table = sqliteDialect.table('claims');

const fieldValue = fc.option(
  fc.oneof(fc.constantFrom('a', 'b', 'c', ''), fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constant(null)),
  { nil: undefined, freq: 4 },
);
const doc = fc.record({
  status: fc.option(fc.constantFrom('submitted', 'settled', 'draft'), { nil: undefined, freq: 5 }),
  dueDate: fc.option(fc.constantFrom('2026-03-01', '2026-03-02', '2026-03-03'), { nil: undefined, freq: 4 }),
  region: fieldValue,
  rank: fieldValue,
});
const filter = fc.constantFrom<Filter>(
  {},
  { status: { $in: ['submitted', 'settled'] } },
  { status: 'submitted' },
  { region: 'a' },
  { status: { $in: ['submitted', 'draft'] }, dueDate: { $lt: '2026-03-03' } },
  { rank: { $ne: 1 } },
);
const options = fc.record({
  sort: fc.constantFrom<Record<string, 1 | -1>>(
    { dueDate: 1 },
    { dueDate: -1 },
    { rank: 1 },
    { region: -1, dueDate: 1 },
    { status: 1, _id: -1 },
  ),
  skip: fc.nat({ max: 12 }),
  limit: fc.integer({ min: 1, max: 8 }),
  fields: fc.option(fc.constantFrom(['status'], ['dueDate', 'region'], ['rank']), { nil: undefined }),
});

describe('SQLite pages read keys first', () => {
  let store: SqliteStore;
  beforeAll(() => {
    store = SqliteStore.open(null);
  });
  afterAll(() => store.close());

  it('gives the rows the plain SELECT gives, in the same order', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(doc, { maxLength: 25 }), filter, options, async (docs, where, page) => {
        run += 1;
        const scoped = await insertRunClaims(store, 'r', run, docs, where);
        const { sql, keysFirstSql, values } = findQuery(table, scoped, page as FindOptions);
        expect(keysFirstSql).not.toBeNull();
        const plain = store
          .read(sql)
          .raw(true)
          .all(...values);
        const keysFirst = store
          .read(keysFirstSql!)
          .raw(true)
          .all(...values);
        expect(keysFirst).toEqual(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('has no keys-first form without a sort (no order to page by)', () => {
    expect(findQuery(table, { status: 'submitted' }, { limit: 20 }).keysFirstSql).toBeNull();
  });
});
