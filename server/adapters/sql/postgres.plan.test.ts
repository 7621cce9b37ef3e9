/**
 * PostgreSQL's plans for a sorted page (issue 12, eighth pass). Claims are TOASTed (5–7 KB each), so every field read
 * out of one decompresses it. Over 100,000 open claims the review queue took 18 s a page: PostgreSQL computed every
 * selected field of every matching claim below the sort, and each status compared checked the document's JSON type
 * too. Now the sort carries ids and sort keys only (the page's fields are read for its own rows), and a string that
 * no other JSON value's text can equal is compared without that check.
 */
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../test/support/postgres';
import { summaryFields } from '../../repositories/claims';
import { openPostgresStore, pgDriver, type PostgresStore } from './postgres';

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

  it('compares a status without reading the JSON type out of each document; a number-like string still checks it', async () => {
    statements.length = 0;
    await store.collection('claims').find({ status: { $in: ['submitted', 'settled'] } });
    await store.collection('claims').count({ status: 'submitted' });
    await store.collection('claims').count({ status: '10' });
    expect(statements.map(({ sql }) => sql.includes('jsonb_typeof'))).toEqual([false, false, true]);
  });
});
