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
import { collectionSpec } from '../../collections';
import { postgres as postgresDialect } from './dialect';
import { openPostgresStore, pgDriver, type PgDriver, type PostgresStore } from './postgres';
import { findSql, Params, whereClause } from './query';
import { declaredChecks, emptyMigrationReport, postgresOf } from './schema';

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
    await store.collection('claims').count({ kind: 'submitted' });
    await store.collection('claims').count({ kind: '10' });
    expect(statements.map(({ sql }) => sql.includes('jsonb_typeof'))).toEqual([false, false, true]);
  });
});

/**
 * Ninth pass. The fields a collection's indexes hold are kept in stored generated columns, and the fields it declares
 * `strings` (server/collections.ts; a CHECK constraint holds them to a string or nothing) are compared without their
 * JSON type. Before, the overdue queue's count over 50,000 open claims read each of 36,000 overdue claims' TOASTed
 * document (0.9 s): the planner took the (status, filingDeadline) index and filtered the due date out of the document,
 * and the date range checked the JSON type there too.
 */
describe("PostgreSQL's stored columns and declared string fields", () => {
  let cluster: ThrowawayPostgres;
  let driver: PgDriver;
  let store: PostgresStore;
  const statements: string[] = [];

  beforeAll(async () => {
    cluster = await startThrowawayPostgres();
    driver = await pgDriver(await cluster.createDatabase('strings'), { max: 2 });
    store = await openPostgresStore(driver);
    const query = driver.query.bind(driver);
    jest.spyOn(driver, 'query').mockImplementation((sql: string, values?: unknown[]) => {
      statements.push(sql);
      return query(sql, values);
    });
  });
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
  });

  /** The plan of `sql` with sequential scans priced out (the test's table is small), every node flattened. */
  async function planOf(sql: string, values: unknown[]): Promise<Array<PlanNode & Record<string, unknown>>> {
    return driver.transaction(async (session) => {
      await session.query('SET LOCAL enable_seqscan = off');
      const { rows } = await session.query(`EXPLAIN (FORMAT JSON) ${sql}`, values);
      const plan = (rows[0] as { 'QUERY PLAN': Array<{ Plan: PlanNode }> })['QUERY PLAN'][0]!.Plan;
      return [...nodesOf(plan)] as Array<PlanNode & Record<string, unknown>>;
    });
  }

  it('counts the overdue queue, a region and 可快速办理 without reading a document: the conditions are on stored columns', async () => {
    const claims = store.collection<{ _id: string } & Record<string, unknown>>('claims');
    for (const [index, status] of ['submitted', 'reviewPassed', 'paid', 'submitted'].entries())
      await claims.insert({
        _id: `c${index}`,
        status,
        region: '210200',
        dueDate: `2026-03-0${index + 1}`,
        precheckClean: index % 2 === 0,
      });
    const filters: Array<[Filter, number]> = [
      [{ status: { $in: ['submitted', 'preliminaryPassed', 'reviewPassed'] }, dueDate: { $lt: '2026-03-03' } }, 2],
      [{ region: '210200', status: { $in: ['submitted', 'reviewPassed'] } }, 3],
      [{ precheckClean: true, status: { $in: ['submitted', 'reviewPassed'] } }, 1],
    ];
    for (const [filter, expected] of filters) {
      statements.length = 0;
      expect(await claims.count(filter)).toBe(expected);
      const params = new Params(postgresOf(collectionSpec('claims')));
      const where = whereClause(postgresOf(collectionSpec('claims')), params, filter);
      expect(statements[0]).toContain(where);
      expect(where).not.toContain('jsonb_typeof');
      const nodes = await planOf(`SELECT count(*) FROM "claims"${where}`, params.values);
      // Every condition is on stored columns, the indexes' too: whatever index the planner takes, a condition it leaves
      // to each row (a Filter, a bitmap's recheck) reads a column, never the document. (With expression indexes the
      // planner took one for the statuses and filtered the due date out of each claim's document.)
      const conditions = nodes.flatMap((node) =>
        [node.Filter, node['Recheck Cond'], node['Index Cond']].filter((cond) => cond !== undefined),
      );
      expect(conditions.length).toBeGreaterThan(0);
      expect(conditions.filter((cond) => String(cond).includes('doc'))).toEqual([]);
      expect(nodes.some((node) => /Index/.test(node['Node Type']))).toBe(true);
    }
  });

  it('refuses a write that puts a value of another type into a declared field, and keeps the JSON types elsewhere', async () => {
    const claims = store.collection<{ _id: string } & Record<string, unknown>>('claims');
    await expect(claims.insert({ _id: 'n1', dueDate: 20260301 })).rejects.toThrow(/CHECK constraint/);
    await claims.insert({ _id: 'n2', dueDate: '2026-03-01', status: null });
    await expect(claims.update('n2', { region: true })).rejects.toThrow(/declared `strings`/);
    await expect(claims.update('n2', { precheckClean: 'true' })).rejects.toThrow(/`booleans`/);
    await expect(store.transaction(async (tx) => tx.set('claims', { _id: 'n3', status: ['a'] }))).rejects.toThrow(
      /CHECK constraint/,
    );
    expect(await claims.get('n1')).toBeNull();
    expect(await claims.get('n3')).toBeNull();
    // An undeclared field keeps nedb's semantics: the number 10 is not the string '10'.
    await claims.insert({ _id: 'n4', kind: 10 });
    expect(await claims.count({ kind: '10' })).toBe(0);
  });

  it('migrates the columns: a missing one is added with its indexes, a stale one dropped, then nothing to do', async () => {
    await driver.query(`ALTER TABLE "claims" DROP COLUMN "f_dueDate"`);
    await driver.query(`ALTER TABLE "claims" ADD COLUMN "f_retired" TEXT`);
    const report = await store.migrate();
    expect(report.columnsAdded).toEqual(['claims.f_dueDate']);
    expect(report.columnsDropped).toEqual(['claims.f_retired']);
    // Dropping the column took its indexes with it: (status, dueDate) and the two queue indexes are back.
    expect(report.indexesCreated.filter((name) => name.includes('duedate'))).toHaveLength(3);
    expect(await store.collection('claims').count({ dueDate: { $lt: '2026-03-02' } })).toBeGreaterThan(0);
    expect(await store.migrate()).toEqual(emptyMigrationReport());
  });

  it('adds the constraint once; a migration meeting a row that breaks it stops and names the row', async () => {
    expect((await store.migrate()).checksAdded).toEqual([]);
    const [check] = declaredChecks(postgresDialect).filter((declared) => declared.collection === 'claims');
    await driver.query(`ALTER TABLE "claims" DROP CONSTRAINT "${check!.name}"`);
    await driver.query(`INSERT INTO "claims" (_id, doc) VALUES ('bad', '{"_id": "bad", "dueDate": 5}')`);
    await expect(store.migrate()).rejects.toThrow(/documents of claims .* \(ids bad\)/);
    await driver.query(`DELETE FROM "claims" WHERE _id = 'bad'`);
    expect((await store.migrate()).checksAdded).toEqual([check!.name]);
  });
});
