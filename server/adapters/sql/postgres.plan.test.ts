/**
 * PostgreSQL's plans for a sorted page (issue 12, eighth pass). Claims are TOASTed (5–7 KB each), so every field read
 * out of one decompresses it. Over 100,000 open claims the review queue took 18 s a page: PostgreSQL computed every
 * selected field of every matching claim below the sort, and each status compared checked the document's JSON type
 * too. Now the sort carries ids and sort keys only (the page's fields are read for its own rows), and a string that
 * no other JSON value's text can equal is compared without that check.
 */
import fc from 'fast-check';
import { insertRunClaims } from '../../../test/support/propertyRuns';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../test/support/postgres';
import type { Filter, FindOptions } from '../../ports';
import { summaryFields } from '../../repositories/claims';
import { postgres as postgresDialect } from './dialect';
import { openPostgresStore, pgDriver, type PostgresStore } from './postgres';
import { findSql } from './query';

interface PlanNode {
  'Node Type': string;
  Output?: string[];
  Plans?: PlanNode[];
}

function* nodesOf(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* nodesOf(child);
}

jest.setTimeout(60_000);

describe('PostgreSQL plans of a sorted page', () => {
  let cluster: ThrowawayPostgres;
  let store: PostgresStore;
  const statements: Array<{ sql: string; values: unknown[] }> = [];

  beforeAll(async () => {
    cluster = await startThrowawayPostgres();
    const driver = await pgDriver(await cluster.createDatabase('plans'), { max: 2 });
    store = await openPostgresStore(driver);
    const query = driver.query.bind(driver);
    jest.spyOn(driver, 'query').mockImplementation((sql: string, values?: unknown[]) => {
      statements.push({ sql, values: values ?? [] });
      return query(sql, values);
    });
  });
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
  });

  it("sorts the review queue's matching claims by id and due date alone, its page's fields read after", async () => {
    statements.length = 0;
    await store
      .collection('claims')
      .find(
        { status: { $in: ['submitted', 'preliminaryPassed', 'reviewPassed'] } },
        { sort: { dueDate: 1 }, skip: 40, limit: 20, fields: [...summaryFields, 'region'] },
      );
    expect(statements).toHaveLength(1);
    const { sql, values } = statements[0]!;
    const { rows } = await store.driver.query(`EXPLAIN (VERBOSE, FORMAT JSON) ${sql}`, values);
    const plan = (rows[0] as { 'QUERY PLAN': Array<{ Plan: PlanNode }> })['QUERY PLAN'][0]!.Plan;
    const sorts = [...nodesOf(plan)].filter((node) => /Sort$/.test(node['Node Type']));
    expect(sorts.length).toBeGreaterThan(0);
    for (const sort of sorts) {
      // What a sort carries: the id, the due date, and at most the 20 rows' fields after the page is cut (the outer sort).
      const carriesFields = (sort.Output ?? []).some((column) => column.includes("'title'"));
      const outer = sort === sorts[0] && sorts.length > 1;
      expect({ output: sort.Output, carriesFields: carriesFields && !outer }).toMatchObject({ carriesFields: false });
    }
  });

  it('reads a page of a list of statuses per status, each in its index order, and gives the plain SELECT rows', async () => {
    statements.length = 0;
    await store
      .collection('claims')
      .find({ status: { $in: ['submitted', 'settled'] } }, { sort: { dueDate: 1 }, skip: 20, limit: 20 });
    expect(statements[0]!.sql).toContain('UNION ALL');
    const doc = fc.record({
      status: fc.option(fc.constantFrom('submitted', 'settled', 'draft', '10'), { nil: undefined, freq: 6 }),
      dueDate: fc.option(fc.constantFrom('2026-03-01', '2026-03-02', '2026-03-03'), { nil: undefined, freq: 4 }),
      region: fc.option(fc.constantFrom('a', 'b'), { nil: undefined, freq: 4 }),
    });
    const filter = fc.constantFrom<Filter>(
      { status: { $in: ['submitted', 'settled'] } },
      { status: { $in: ['submitted', 'settled', 'submitted', 'draft'] } },
      { status: { $in: ['submitted', '10'] }, dueDate: { $lt: '2026-03-03' } },
      { region: 'a', status: { $in: ['settled', 'draft'] } },
    );
    const page = fc.record({
      sort: fc.constantFrom<Record<string, 1 | -1>>({ dueDate: 1 }, { dueDate: -1 }, { dueDate: 1, _id: -1 }),
      skip: fc.nat({ max: 10 }),
      limit: fc.integer({ min: 1, max: 6 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(doc, { maxLength: 25 }), filter, page, async (docs, where, options) => {
        run += 1;
        const scoped = await insertRunClaims(store, 'p', run, docs, where);
        const claims = store.collection<{ _id: string }>('claims');
        statements.length = 0;
        const found = (await claims.find(scoped, options as FindOptions)).map((found) => found._id);
        expect(statements[0]!.sql).toContain('UNION ALL');
        const plain = findSql(postgresDialect, '"claims"', '_id', scoped, options as FindOptions, '_id');
        const { rows } = await store.driver.query(plain.direct, plain.values);
        expect(found).toEqual(rows.map((row) => row._id));
      }),
      { numRuns: 150 },
    );
  });

  it('compares a status without reading the JSON type out of each document; a number-like string still checks it', async () => {
    statements.length = 0;
    await store.collection('claims').find({ status: { $in: ['submitted', 'settled'] } });
    await store.collection('claims').count({ status: 'submitted' });
    await store.collection('claims').count({ status: '10' });
    expect(statements.map(({ sql }) => sql.includes('jsonb_typeof'))).toEqual([false, false, true]);
  });
});
