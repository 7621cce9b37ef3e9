/**
 * Query plans SQLite chooses for the claimant's list (issue 12): a page of listMine is read from the
 * (_openid, updatedAt) index alone, the card's fields included in it (server/collections.ts `include`),
 * never from the 5–7 KB documents; and the fields it reads are the ones the index includes. The same for
 * the dashboard's counts over the claims' facts (`counted`): each found through an index that holds every
 * expression the count reads.
 */
import { collections } from '../../collections';
import type { Filter, FindOptions } from '../../ports';
import { summaryFields } from '../../repositories/claims';
import { groupsFromFacts } from '../../claims/dashboard';
import { sqlite as sqliteDialect } from './dialect';
import { declaredIndexes, servedByLongerIndex } from './schema';
import { findQuery, SqliteStore } from './sqlite';

function planOf(store: SqliteStore, collection: string, filter: Filter, options: FindOptions = {}): string {
  const { sql, values } = findQuery(sqliteDialect.table(collection), filter, options);
  return (store.read(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as Array<{ detail: string }>)
    .map((row) => row.detail)
    .join('; ');
}

describe('SQLite query plans', () => {
  it("answers a page of a claimant's list from the index alone", () => {
    const store = SqliteStore.open(null);
    try {
      const { sql, values } = findQuery(
        sqliteDialect.table('claims'),
        { _openid: 'someone' },
        { sort: { updatedAt: -1 }, limit: 20, fields: summaryFields },
      );
      const plan = (store.read(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as Array<{ detail: string }>).map(
        (row) => row.detail,
      );
      expect(plan.join('; ')).toMatch(/USING COVERING INDEX ix_claims__openid_updatedat_/);
    } finally {
      store.close();
    }
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
      ).toMatch(/USING INDEX ix_claims_status_(duedate|filingdeadline)_/);
      expect(planOf(store, 'claims', { _openid: 'someone', personKey: 'k' })).toMatch(/USING INDEX ix_claims_/);
      expect(planOf(store, 'persons', { _openid: 'someone' })).toMatch(/USING INDEX ix_persons__openid_updatedat_/);
    } finally {
      store.close();
    }
  });

  it("answers every count of the dashboard through an index of the claims' facts that holds every value it reads", async () => {
    const store = SqliteStore.open(null);
    const read = store.read.bind(store);
    const queries: Array<{ sql: string; values: unknown[] }> = [];
    jest.spyOn(store, 'read').mockImplementation((sql: string) => {
      const statement = read(sql);
      const run =
        (method: 'all' | 'get') =>
        (...values: unknown[]): unknown => {
          queries.push({ sql, values });
          return statement[method](...values);
        };
      return Object.assign(Object.create(statement) as typeof statement, { all: run('all'), get: run('get') });
    });
    try {
      await groupsFromFacts(store, new Date('2026-12-03T08:00:00Z'));
      const counts = queries.filter(({ sql }) => sql.includes('FROM "claimFacts"'));
      expect(counts).toHaveLength(6);
      const indexes = new Map(
        declaredIndexes(sqliteDialect)
          .filter((index) => index.collection === 'claimFacts')
          .map((index) => [index.name, index.sql]),
      );
      for (const { sql, values } of counts) {
        const plan = (read(`EXPLAIN QUERY PLAN ${sql}`).all(...values) as Array<{ detail: string }>)
          .map((row) => row.detail)
          .join('; ');
        const used = /USING (?:COVERING )?INDEX (ix_claimfacts_\w+)/.exec(plan)?.[1];
        expect({ sql, plan, indexed: used !== undefined && indexes.has(used) }).toMatchObject({ indexed: true });
        const definition = indexes.get(used!)!;
        for (const expression of sql.match(/json_(?:extract|type)\(doc, '[^']+'\)/g) ?? [])
          expect({ sql, index: definition, held: definition.includes(expression) }).toMatchObject({ held: true });
      }
    } finally {
      store.close();
    }
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
