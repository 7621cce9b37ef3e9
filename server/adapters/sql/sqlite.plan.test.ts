/**
 * Query plans SQLite chooses for the claimant's list (issue 12): a page of listMine is read from the
 * (_openid, updatedAt) index alone, the card's fields included in it (server/collections.ts `include`),
 * never from the 5–7 KB documents; and the fields it reads are the ones the index includes.
 */
import { collections } from '../../collections';
import { summaryFields } from '../../repositories/claims';
import { sqlite as sqliteDialect } from './dialect';
import { findQuery, SqliteStore } from './sqlite';

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
});
