/**
 * Query plans SQLite chooses for the claimant's list (issue 12): a page of listMine is read from the
 * (_openid, updatedAt) index alone, the card's fields included in it (server/collections.ts `include`),
 * never from the 5–7 KB documents; and the fields it reads are the ones the index includes. The same for
 * the dashboard's counts over the claims' facts (`counted`): each found through an index that holds every
 * expression the count reads.
 */
import { callers, FixedClock, tempDir } from '../../../test/support/ports';
import { collections } from '../../collections';
import { invoke } from '../../handlers/framework';
import { reviewFunction } from '../../handlers/review';
import type { Filter, FindOptions } from '../../ports';
import { summaryFields } from '../../repositories/claims';
import { groupsFromFacts } from '../../claims/dashboard';
import { dueReminders } from '../../notifications/reminders';
import { DiskFiles } from '../embedded/files';
import { StorePolicyCatalog } from '../../policies/catalog';
import { FieldCipher } from '../../security/fieldCipher';
import { sqlite as sqliteDialect } from './dialect';
import { declaredIndexes, servedByLongerIndex } from './schema';
import { findQuery, SqliteStore } from './sqlite';

function planOf(store: SqliteStore, collection: string, filter: Filter, options: FindOptions = {}): string {
  const { sql, values } = findQuery(sqliteDialect.table(collection), filter, options);
  return (store.read(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as Array<{ detail: string }>)
    .map((row) => row.detail)
    .join('; ');
}

/** Every statement the store runs through `read` while `work` runs, with its parameters. */
async function statementsOf(
  store: SqliteStore,
  work: () => Promise<unknown>,
): Promise<Array<{ sql: string; values: unknown[] }>> {
  const read = store.read.bind(store);
  const statements: Array<{ sql: string; values: unknown[] }> = [];
  const spy = jest.spyOn(store, 'read').mockImplementation((sql: string) => {
    const statement = read(sql);
    const run =
      (method: 'all' | 'get') =>
      (...values: unknown[]): unknown => {
        statements.push({ sql, values });
        return statement[method](...values);
      };
    const recording: typeof statement = Object.assign(Object.create(statement) as typeof statement, {
      all: run('all'),
      get: run('get'),
      raw: (toggle?: boolean) => {
        statement.raw(toggle);
        return recording;
      },
    });
    return recording;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return statements;
}

const planSteps = (store: SqliteStore, sql: string, values: unknown[]): string[] =>
  (store.read(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as Array<{ detail: string }>).map((row) => row.detail);

/** Runs `work` on a new store in memory, closed afterwards. */
async function onMemoryStore(work: (store: SqliteStore) => Promise<void> | void): Promise<void> {
  const store = SqliteStore.open(null);
  try {
    await work(store);
  } finally {
    store.close();
  }
}

describe('SQLite query plans', () => {
  it("answers a page of a claimant's list from the index alone", async () => {
    await onMemoryStore(async (store) => {
      const { sql, values } = findQuery(
        sqliteDialect.table('claims'),
        { _openid: 'someone' },
        { sort: { updatedAt: -1 }, limit: 20, fields: summaryFields },
      );
      const plan = (store.read(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as Array<{ detail: string }>).map(
        (row) => row.detail,
      );
      expect(plan.join('; ')).toMatch(/USING COVERING INDEX ix_claims__openid_updatedat_/);
    });
  });

  it('includes in that index every field of a claim card', () => {
    const index = collections
      .find((spec) => spec.name === 'claims')!
      .indexes.find((spec) => spec.fields.join() === '_openid,updatedAt')!;
    expect(index.include).toEqual(['_id', ...summaryFields]);
  });

  it('keeps no index whose fields lead a longer one, and still finds by those fields through the longer index', () => {
    const names = declaredIndexes(sqliteDialect).map((index) => index.name);
    expect(names.some((name) => /^ix_claims_status_[0-9a-f]{10}$/.test(name))).toBe(false);
    expect(names.some((name) => /^ix_claims__openid_[0-9a-f]{10}$/.test(name))).toBe(false);
    expect(names.some((name) => name.startsWith('ix_claims__openid_requestid_'))).toBe(true);
    const store = SqliteStore.open(null);
    try {
      expect(
        planOf(store, 'claims', { status: 'supplementRequested' }, { sort: { updatedAt: 1 }, limit: 100 }),
      ).toMatch(/USING INDEX ix_claims_status_(duedate|filingdeadline|updatedat)_/);
      expect(planOf(store, 'claims', { _openid: 'someone', personKey: 'k' })).toMatch(/USING INDEX ix_claims_/);
      expect(planOf(store, 'persons', { _openid: 'someone' })).toMatch(/USING INDEX ix_persons__openid_updatedat_/);
    } finally {
      store.close();
    }
  });

  it("answers every count of the dashboard through an index of the claims' facts that holds every value it reads", async () => {
    await onMemoryStore(async (store) => {
      const queries = await statementsOf(store, () => groupsFromFacts(store, new Date('2026-12-03T08:00:00Z')));
      const counts = queries.filter(({ sql }) => sql.includes('FROM "claimFacts"'));
      expect(counts).toHaveLength(6);
      const indexes = new Map(
        declaredIndexes(sqliteDialect)
          .filter((index) => index.collection === 'claimFacts')
          .map((index) => [index.name, index.sql]),
      );
      for (const { sql, values } of counts) {
        const plan = planSteps(store, sql, values).join('; ');
        const used = /USING (?:COVERING )?INDEX (ix_claimfacts_\w+)/.exec(plan)?.[1];
        expect({ sql, plan, indexed: used !== undefined && indexes.has(used) }).toMatchObject({ indexed: true });
        const definition = indexes.get(used!)!;
        for (const expression of sql.match(/json_(?:extract|type)\(doc, '[^']+'\)/g) ?? [])
          expect({ sql, index: definition, held: definition.includes(expression) }).toMatchObject({ held: true });
      }
    });
  });

  // Regression (issue 12, eighth pass): the queue without a status filter (status IN the open ones, sorted by due date)
  // took 2.0 s a page over 100,000 open claims, with a region 3.8 s. No index gives that order, so SQLite sorted every
  // open claim — and read each one's selected columns out of its document first. A page is now found by its keys
  // alone (the rowids sorted from an index holding the filter's and the sort's fields), then those rows read.
  it("sorts the review queue's matching claims by keys from an index, never their documents, whatever the filters", async () => {
    await onMemoryStore(async (store) => {
      const clock = new FixedClock(new Date('2026-12-03T08:00:00Z'));
      const ports = {
        store,
        clock,
        files: new DiskFiles(tempDir(), store, Buffer.alloc(32, 7), clock),
        sealer: FieldCipher.fromHex('5a'.repeat(32)),
        policies: new StorePolicyCatalog(store, clock),
      };
      const payloads = [
        { page: 1, pageSize: 20 },
        { page: 3, pageSize: 20 },
        { page: 1, pageSize: 20, overdue: true },
        { page: 1, pageSize: 20, region: '310100' },
        { page: 1, pageSize: 20, region: '310100', overdue: true },
        { page: 1, pageSize: 20, status: 'submitted' },
        { page: 1, pageSize: 20, status: 'submitted', region: '310100' },
        { page: 1, pageSize: 20, clean: true },
        { page: 1, pageSize: 20, clean: false, overdue: true },
        { page: 1, pageSize: 20, status: 'submitted', clean: true },
      ];
      const sortingDocuments: Array<{ payload: object; step: string }> = [];
      for (const payload of payloads) {
        const statements = await statementsOf(store, async () => {
          const result = await invoke(reviewFunction, { action: 'queue', payload }, callers.reviewer, ports);
          if (!result.ok) throw new Error(JSON.stringify({ payload, result }));
        });
        const pages = statements.filter(({ sql }) => sql.includes(' ORDER BY '));
        expect(pages).toHaveLength(1);
        const { sql, values } = pages[0]!;
        const steps = planSteps(store, sql, values);
        // A full sort is over keys only: every step reading claims before it is an index holding what it reads, or a
        // row by its rowid (the page's own rows, after the sort).
        if (steps.includes('USE TEMP B-TREE FOR ORDER BY'))
          for (const step of steps.filter((detail) => /^(SCAN|SEARCH) claims\b/.test(detail)))
            if (!/USING (COVERING INDEX|INTEGER PRIMARY KEY)/.test(step)) sortingDocuments.push({ payload, step });
      }
      expect(sortingDocuments).toEqual([]);
    });
  });

  // Regression (issue 12, eighth pass): the 补件 reminder (claims in supplementRequested, oldest update first, from a
  // cursor) had no index giving its order: every drain (each 2 s in the local server) read every such claim's document
  // to sort them, 51 ms a run with 5,000 claims waiting for 补件 among 100,000.
  it('reads every reminder query in its order from an index, sorting no claims', async () => {
    await onMemoryStore(async (store) => {
      const statements = await statementsOf(store, () => dueReminders(store, new Date('2026-12-03T08:00:00Z')));
      const pages = statements.filter(({ sql }) => sql.includes('FROM "claims"') && sql.includes(' ORDER BY '));
      expect(pages.length).toBeGreaterThanOrEqual(3);
      const sorting = pages
        .map(({ sql, values }) => ({ sql, steps: planSteps(store, sql, values) }))
        .filter(({ steps }) => steps.includes('USE TEMP B-TREE FOR ORDER BY'));
      expect(sorting).toEqual([]);
    });
  });

  it('counts an index as served only by a plain, non-partial, longer index with the same leading fields', () => {
    expect(servedByLongerIndex({ fields: ['status'] }, { fields: ['status', 'dueDate'] })).toBe(true);
    expect(servedByLongerIndex({ fields: ['status'] }, { fields: ['dueDate', 'status'] })).toBe(false);
    expect(servedByLongerIndex({ fields: ['status'] }, { fields: ['status'] })).toBe(false);
    expect(servedByLongerIndex({ fields: ['a'] }, { fields: ['a', 'b'], sparse: true })).toBe(false);
    expect(servedByLongerIndex({ fields: ['a'], unique: true }, { fields: ['a', 'b'] })).toBe(false);
    expect(servedByLongerIndex({ fields: ['a'], sparse: true }, { fields: ['a', 'b'] })).toBe(false);
  });
});
