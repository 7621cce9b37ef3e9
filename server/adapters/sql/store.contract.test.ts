/**
 * The Store contract, the same cases against the adapters the local server can open: nedb (the
 * former embedded store), SQLite (the embedded default) and PostgreSQL (a throw-away cluster from
 * Debian's binaries; the cases fail in CI when it cannot start, and are skipped on a machine
 * without the binaries otherwise). PGlite (`STORE=pglite`) runs the PostgreSQL adapter's very code
 * through another driver: it loads its WebAssembly through a dynamic import, which jest's module
 * sandbox allows only under `--experimental-vm-modules`, so its cases run in a jest of their own,
 * `npm run test:pglite` (part of `npm run test:unit`), which sets that flag and TEST_PGLITE=1 (PGlite alone).
 */
import fc from 'fast-check';
import { collections } from '../../collections';
import {
  StoreError,
  type FieldCondition,
  type Filter,
  type Group,
  type Store,
  type StoredDoc,
  type Transaction,
} from '../../ports';
import { groupDocuments } from '../grouping';
import { EmbeddedStore } from '../embedded/store';
import { tempDir } from '../../../test/support/ports';
import {
  postgresBinDir,
  requirePostgres,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from '../../../test/support/postgres';
import { openPostgresStore, pgDriver, pgliteDriver, PostgresStore, type PgDriver } from './postgres';
import { SqliteStore } from './sqlite';

jest.setTimeout(120_000);

interface Subject {
  name: string;
  /** Runs once per describe: starts what the subject needs. */
  setUp(): Promise<void>;
  /** A store with every collection empty. */
  fresh(): Promise<Store>;
  tearDown(): Promise<void>;
  /** Whether two transactions run at the same time (PostgreSQL) or one after the other (nedb, SQLite). */
  concurrentTransactions: boolean;
  /** Whether `find` with `fields` reads only those (the SQL stores); nedb keeps whole documents in memory and ignores the hint. */
  projectsFields: boolean;
}

async function truncateAll(store: PostgresStore): Promise<void> {
  await store.driver.query(`TRUNCATE ${collections.map((spec) => `"${spec.name}"`).join(', ')}`);
}

/**
 * The PostgreSQL adapter on a driver `open` gives once per describe (`stop` after the store is closed), every
 * collection truncated before each case.
 */
function postgresAdapterSubject(
  name: string,
  concurrentTransactions: boolean,
  open: () => Promise<{ driver: PgDriver; stop?: () => Promise<void> }>,
): Subject {
  let store: PostgresStore | null = null;
  let stop: (() => Promise<void>) | undefined;
  return {
    name,
    concurrentTransactions,
    projectsFields: true,
    async setUp() {
      const opened = await open();
      stop = opened.stop;
      store = await openPostgresStore(opened.driver);
    },
    async fresh() {
      await truncateAll(store!);
      return store!;
    },
    async tearDown() {
      await store?.close();
      await stop?.();
    },
  };
}

/** A throw-away PostgreSQL cluster (Debian's binaries). */
const sqlServerSubject = (): Subject =>
  postgresAdapterSubject('PostgreSQL', true, async () => {
    const cluster: ThrowawayPostgres = await startThrowawayPostgres();
    return { driver: await pgDriver(await cluster.createDatabase('contract'), { max: 8 }), stop: () => cluster.stop() };
  });

const subjects: Subject[] = [
  (() => {
    return {
      name: 'nedb',
      concurrentTransactions: false,
      projectsFields: false,
      setUp: async () => undefined,
      fresh: () => EmbeddedStore.open(null),
      tearDown: async () => undefined,
    };
  })(),
  (() => {
    const opened: SqliteStore[] = [];
    return {
      name: 'SQLite',
      concurrentTransactions: false,
      projectsFields: true,
      setUp: async () => undefined,
      async fresh() {
        // As the local server opens it: counts on the reading thread (sqlite.reads.test.ts).
        const store = SqliteStore.open(tempDir('yb-sqlite-'), { backgroundReads: true });
        opened.push(store);
        return store;
      },
      tearDown: async () => opened.forEach((store) => store.close()),
    };
  })(),
];

/** PGlite in memory, in this process: one connection, so one transaction at a time. */
const pgliteSubject = (): Subject =>
  postgresAdapterSubject('PGlite', false, async () => ({ driver: await pgliteDriver(null) }));

// TEST_PGLITE=1 (npm run test:pglite): PGlite alone; otherwise every other store.
if (process.env.TEST_PGLITE === '1') subjects.splice(0, subjects.length, pgliteSubject());
else if (postgresBinDir() !== null || requirePostgres()) subjects.push(sqlServerSubject());
else
  console.warn(
    'PostgreSQL binaries not found: the PostgreSQL store cases are skipped (scripts/ensure-system-deps.sh installs them)',
  );

interface ClaimLike extends StoredDoc {
  _openid?: string;
  requestId?: string;
  status?: string;
  updatedAt?: string | null;
  dueDate?: string | null;
  version?: number;
  amount?: number | string;
  flag?: boolean | null;
  nested?: { region?: string };
}

interface Counter extends StoredDoc {
  n: number;
  seen: string[];
}

/** Groups in one order (by key), to compare answers that come in none. */
const sortedGroups = (groups: Group[]): Group[] =>
  [...groups].sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));

const expectStoreError = async (promise: Promise<unknown>, code: StoreError['code']): Promise<void> => {
  await expect(promise).rejects.toBeInstanceOf(StoreError);
  await expect(promise).rejects.toMatchObject({ code });
};

describe.each(subjects)('Store contract: $name', (subject) => {
  let store: Store;
  beforeAll(() => subject.setUp());
  afterAll(() => subject.tearDown());
  beforeEach(async () => {
    store = await subject.fresh();
  });

  const claims = () => store.collection<ClaimLike>('claims');

  async function seed(): Promise<void> {
    const docs: ClaimLike[] = [
      {
        _id: 'a',
        _openid: 'u1',
        requestId: 'r1',
        status: 'submitted',
        updatedAt: '2026-03-01T00:00:00.000Z',
        dueDate: '2026-03-10T00:00:00.000Z',
        version: 1,
        amount: 10,
        flag: true,
        nested: { region: '210200' },
      },
      {
        _id: 'b',
        _openid: 'u1',
        requestId: 'r2',
        status: 'draft',
        updatedAt: '2026-03-03T00:00:00.000Z',
        dueDate: null,
        version: 1,
        amount: '10',
        flag: false,
      },
      {
        _id: 'c',
        _openid: 'u2',
        requestId: 'r1',
        status: 'settled',
        updatedAt: '2026-03-02T00:00:00.000Z',
        dueDate: '2026-03-05T00:00:00.000Z',
        version: 3,
        amount: 2,
        flag: null,
        nested: { region: '110100' },
      },
      {
        _id: 'd',
        _openid: 'u2',
        requestId: 'r3',
        status: 'submitted',
        dueDate: '2026-03-07T00:00:00.000Z',
        version: 1,
        amount: 30,
      },
    ];
    for (const doc of docs) await claims().insert(doc);
  }

  const ids = (docs: StoredDoc[]): string[] => docs.map((doc) => doc._id);

  it('inserts, gets by id, removes; a second insert of an id is DUPLICATE_KEY', async () => {
    const doc = { _id: 'x1', _openid: 'u1', requestId: 'q', status: 'draft', version: 0, nested: { region: '210200' } };
    expect(await claims().insert(doc)).toEqual(doc);
    expect(await claims().get('x1')).toEqual(doc);
    expect(await claims().get('nope')).toBeNull();
    await expectStoreError(claims().insert({ ...doc, requestId: 'other' }), 'DUPLICATE_KEY');
    expect(await claims().remove('x1')).toBe(true);
    expect(await claims().remove('x1')).toBe(false);
    expect(await claims().get('x1')).toBeNull();
  });

  it('a unique index refuses a second document with the same key; sparse leaves documents without it alone', async () => {
    await claims().insert({ _id: 'u-1', _openid: 'u1', requestId: 'same' });
    await expectStoreError(claims().insert({ _id: 'u-2', _openid: 'u1', requestId: 'same' }), 'DUPLICATE_KEY');
    await claims().insert({ _id: 'u-3', _openid: 'u2', requestId: 'same' });
    await store.collection<StoredDoc>('claims').insert({ _id: 'u-4' });
    await store.collection<StoredDoc>('claims').insert({ _id: 'u-5' });
    expect(await claims().count({})).toBe(4);
  });

  it('matches equality by JSON type: 10 is not "10", null is not missing, booleans are booleans', async () => {
    await seed();
    expect(ids(await claims().find({ amount: 10 }, { sort: { _id: 1 } }))).toEqual(['a']);
    expect(ids(await claims().find({ amount: '10' }, { sort: { _id: 1 } }))).toEqual(['b']);
    expect(ids(await claims().find({ flag: null }, { sort: { _id: 1 } }))).toEqual(['c']);
    expect(ids(await claims().find({ flag: true }, { sort: { _id: 1 } }))).toEqual(['a']);
    expect(ids(await claims().find({ flag: false }, { sort: { _id: 1 } }))).toEqual(['b']);
    expect(ids(await claims().find({ _openid: 'u1', status: 'draft' }, { sort: { _id: 1 } }))).toEqual(['b']);
    expect(ids(await claims().find({ 'nested.region': '110100' }, { sort: { _id: 1 } }))).toEqual(['c']);
    expect(ids(await claims().find({ _id: 'c' }))).toEqual(['c']);
    expect(await claims().count({ status: 'submitted' })).toBe(2);
    expect(await claims().count({ status: 'nothing' })).toBe(0);
  });

  it('a string never equals a number, true, false or null whose text it is (one value or $in)', async () => {
    const values = store.collection<StoredDoc & { v: unknown }>('claims');
    const pairs: Array<[string, unknown]> = [
      ['true', true],
      ['false', false],
      ['null', null],
      ['-1', -1],
      ['1.5', 1.5],
      ['0', 0],
      ['submitted', 'other'],
    ];
    for (const [index, [text, other]] of pairs.entries()) {
      await values.insert({ _id: `s${index}`, v: text });
      await values.insert({ _id: `o${index}`, v: other });
    }
    for (const [index, [text]] of pairs.entries()) {
      expect([text, ids(await values.find({ v: text }, { sort: { _id: 1 } }))]).toEqual([text, [`s${index}`]]);
      expect([text, ids(await values.find({ v: { $in: [text, 'nothing'] } }, { sort: { _id: 1 } }))]).toEqual([
        text,
        [`s${index}`],
      ]);
      expect([text, await values.count({ v: text })]).toEqual([text, 1]);
    }
  });

  it('$ne also matches documents without the field; $in takes any listed value of the same type', async () => {
    await seed();
    expect(ids(await claims().find({ flag: { $ne: true } }, { sort: { _id: 1 } }))).toEqual(['b', 'c', 'd']);
    expect(ids(await claims().find({ status: { $ne: 'submitted' } }, { sort: { _id: 1 } }))).toEqual(['b', 'c']);
    expect(ids(await claims().find({ flag: { $ne: null } }, { sort: { _id: 1 } }))).toEqual(['a', 'b', 'd']);
    expect(ids(await claims().find({ status: { $in: ['draft', 'settled'] } }, { sort: { _id: 1 } }))).toEqual([
      'b',
      'c',
    ]);
    expect(ids(await claims().find({ amount: { $in: [10, 30] } }, { sort: { _id: 1 } }))).toEqual(['a', 'd']);
    expect(ids(await claims().find({ amount: { $in: ['10', 2] } }, { sort: { _id: 1 } }))).toEqual(['b', 'c']);
    expect(await claims().find({ status: { $in: [] } })).toEqual([]);
  });

  it('ranges compare strings with strings and numbers with numbers only', async () => {
    await seed();
    expect(ids(await claims().find({ dueDate: { $lt: '2026-03-08T00:00:00.000Z' } }, { sort: { _id: 1 } }))).toEqual([
      'c',
      'd',
    ]);
    expect(ids(await claims().find({ dueDate: { $lte: '2026-03-07T00:00:00.000Z' } }, { sort: { _id: 1 } }))).toEqual([
      'c',
      'd',
    ]);
    expect(ids(await claims().find({ dueDate: { $gt: '2026-03-07T00:00:00.000Z' } }, { sort: { _id: 1 } }))).toEqual([
      'a',
    ]);
    expect(ids(await claims().find({ dueDate: { $gte: '2026-03-07T00:00:00.000Z' } }, { sort: { _id: 1 } }))).toEqual([
      'a',
      'd',
    ]);
    expect(ids(await claims().find({ amount: { $gt: 5 } }, { sort: { _id: 1 } }))).toEqual(['a', 'd']);
    expect(ids(await claims().find({ amount: { $lt: 100 } }, { sort: { _id: 1 } }))).toEqual(['a', 'c', 'd']);
    expect(ids(await claims().find({ amount: { $gte: '0' } }, { sort: { _id: 1 } }))).toEqual(['b']);
    expect(ids(await claims().find({ _id: { $gt: 'b' } }, { sort: { _id: 1 } }))).toEqual(['c', 'd']);
  });

  it('a range of two bounds holds both (strings and numbers alike)', async () => {
    await seed();
    const dueBetween = { $gt: '2026-03-06T00:00:00.000Z', $lte: '2026-03-07T00:00:00.000Z' };
    expect(ids(await claims().find({ dueDate: dueBetween }, { sort: { _id: 1 } }))).toEqual(['d']);
    expect(ids(await claims().find({ amount: { $gte: 10, $lt: 30 } }, { sort: { _id: 1 } }))).toEqual(['a']);
    expect(ids(await claims().find({ amount: { $gt: 10, $lte: 30 } }, { sort: { _id: 1 } }))).toEqual(['d']);
    expect(await claims().count({ amount: { $gt: 30, $lt: 10 } })).toBe(0);
    expect(ids(await claims().find({ _id: { $gt: 'a', $lt: 'd' } }, { sort: { _id: 1 } }))).toEqual(['b', 'c']);
    // @ts-expect-error two lower bounds: the type takes one of $gt and $gte (and one of $lt and $lte)
    const twoLower: FieldCondition = { $gt: 1, $gte: 2 };
    // @ts-expect-error an empty range is not a condition
    const empty: FieldCondition = {};
    expect([twoLower, empty]).toHaveLength(2);
  });

  it('sorts with missing and null first ascending, last descending; skip and limit page without overlap', async () => {
    await seed();
    expect(ids(await claims().find({}, { sort: { dueDate: 1 } }))).toEqual(['b', 'c', 'd', 'a']);
    expect(ids(await claims().find({}, { sort: { dueDate: -1 } }))).toEqual(['a', 'd', 'c', 'b']);
    expect(ids(await claims().find({}, { sort: { updatedAt: -1 } }))).toEqual(['b', 'c', 'a', 'd']);
    expect(ids(await claims().find({}, { sort: { updatedAt: 1 } }))).toEqual(['d', 'a', 'c', 'b']);
    expect(ids(await claims().find({ _openid: 'u1' }, { sort: { updatedAt: -1 }, limit: 1 }))).toEqual(['b']);
    expect(ids(await claims().find({ _openid: 'u1' }, { sort: { updatedAt: -1 }, skip: 1, limit: 1 }))).toEqual(['a']);
    expect(ids(await claims().find({}, { sort: { status: 1, _id: -1 } }))).toEqual(['b', 'c', 'd', 'a']);
  });

  it('find with fields gives at least those fields, with the stored values; a missing field stays missing', async () => {
    await seed();
    const full = await claims().find({}, { sort: { _id: 1 } });
    const partial = await claims().find(
      {},
      { sort: { _id: 1 }, fields: ['status', 'dueDate', 'nested.region', 'flag'] },
    );
    expect(ids(partial)).toEqual(ids(full));
    partial.forEach((doc, index) => {
      const whole = full[index]!;
      for (const field of ['status', 'dueDate', 'flag'] as const)
        expect([field, field in doc ? doc[field] : 'missing']).toEqual([
          field,
          field in whole ? whole[field] : 'missing',
        ]);
      expect(doc.nested?.region).toEqual(whole.nested?.region);
    });
  });

  (subject.projectsFields ? it : it.skip)(
    'reads only the fields asked for (a stored null stays null, a missing field missing)',
    async () => {
      await seed();
      const partial = await claims().find({}, { sort: { _id: 1 }, fields: ['dueDate', 'nested.region'] });
      expect(partial[0]).toEqual({ _id: 'a', dueDate: '2026-03-10T00:00:00.000Z', nested: { region: '210200' } });
      expect(partial[1]).toEqual({ _id: 'b', dueDate: null });
    },
  );

  it('returns at most 100 documents per call', async () => {
    for (let index = 0; index < 130; index += 1)
      await claims().insert({
        _id: `p${String(index).padStart(3, '0')}`,
        _openid: 'u9',
        requestId: `q${index}`,
        status: 'draft',
      });
    expect(await claims().find({ _openid: 'u9' })).toHaveLength(100);
    expect(await claims().find({ _openid: 'u9' }, { limit: 500 })).toHaveLength(100);
    const last = await claims().find({ _openid: 'u9' }, { sort: { _id: 1 }, skip: 100 });
    expect(ids(last)).toEqual(Array.from({ length: 30 }, (_, index) => `p${String(index + 100).padStart(3, '0')}`));
    expect(await claims().count({ _openid: 'u9' })).toBe(130);
  });

  it('update sets whole top-level fields; with expectVersion only when the stored version matches', async () => {
    await seed();
    expect(
      await claims().update('a', { status: 'settled', version: 2, nested: { region: '999999' } }, { expectVersion: 1 }),
    ).toBe(true);
    expect(await claims().get('a')).toMatchObject({
      status: 'settled',
      version: 2,
      nested: { region: '999999' },
      _openid: 'u1',
      amount: 10,
    });
    expect(await claims().update('a', { status: 'paid', version: 3 }, { expectVersion: 1 })).toBe(false);
    expect((await claims().get('a'))?.status).toBe('settled');
    expect(await claims().update('missing', { status: 'x' })).toBe(false);
    expect(await claims().update('b', { flag: true })).toBe(true);
    expect(ids(await claims().find({ flag: true }, { sort: { _id: 1 } }))).toEqual(['a', 'b']);
    await expectStoreError(claims().update('b', { _openid: 'u2', requestId: 'r1' }), 'DUPLICATE_KEY');
    expect(await claims().get('b')).toMatchObject({ _openid: 'u1', requestId: 'r2' });
  });

  it('update leaves exactly the stored document with the patch applied, whatever the JSON values', async () => {
    // 'with-dash' is no plain name: SQLite takes its read-merge-write way for a patch that has it.
    const names = ['note', 'list', 'nested', 'amountFen', 'flagged', 'with-dash'] as const;
    // Without U+0000: PostgreSQL's jsonb cannot hold it (refused at insert, "unsupported Unicode escape sequence").
    // Without a "__proto__" key: nedb's copy of a document drops it (an assignment sets the prototype instead; seed
    // -1014203538). No stored document has one: every input is a strict zod object, which refuses it (badInput).
    const value = fc
      .jsonValue({ stringUnit: 'binary', maxDepth: 3 })
      .filter((json) => !JSON.stringify(json).includes('\\u0000') && !JSON.stringify(json).includes('"__proto__":'));
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...names), value),
        fc.dictionary(fc.constantFrom(...names), fc.option(value, { nil: undefined, freq: 3 })),
        async (stored, patch) => {
          const collection = (await subject.fresh()).collection<StoredDoc & Record<string, unknown>>('grants');
          await collection.insert({ _id: 'doc', version: 1, ...stored });
          expect(await collection.update('doc', patch, { expectVersion: 1 })).toBe(true);
          const expected: Record<string, unknown> = { _id: 'doc', version: 1, ...stored, ...patch };
          for (const [key, given] of Object.entries(patch)) if (given === undefined) delete expected[key];
          // Compared as JSON carries them (nedb keeps a -0 that every other store and every answer gives as 0).
          const asJson = (doc: unknown): unknown => JSON.parse(JSON.stringify(doc));
          expect(asJson(await collection.get('doc'))).toEqual(asJson(expected));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('updateWhere writes every matching document and no other, in one call; an empty filter is refused', async () => {
    await seed();
    const before = new Map((await claims().find({}, { sort: { _id: 1 } })).map((doc) => [doc._id, doc]));
    expect(await claims().updateWhere({ status: 'submitted' }, { status: 'review', amount: undefined })).toBe(2);
    const { amount: aAmount, ...a } = before.get('a')!;
    const { amount: dAmount, ...d } = before.get('d')!;
    void aAmount;
    void dAmount;
    expect(await claims().get('a')).toEqual({ ...a, status: 'review' });
    expect(await claims().get('d')).toEqual({ ...d, status: 'review' });
    expect(await claims().get('b')).toEqual(before.get('b'));
    expect(await claims().get('c')).toEqual(before.get('c'));
    // Found again through the indexed fields it changed (SQLite's expression indexes, PostgreSQL's generated columns).
    expect(ids(await claims().find({ status: 'review' }, { sort: { _id: 1 } }))).toEqual(['a', 'd']);
    expect(await claims().count({ status: 'submitted' })).toBe(0);
    expect(await claims().updateWhere({ _openid: 'u1', flag: false }, { flag: true })).toBe(1);
    expect(ids(await claims().find({ flag: true }, { sort: { _id: 1 } }))).toEqual(['a', 'b']);
    expect(await claims().updateWhere({ status: 'nobody' }, { status: 'x' })).toBe(0);
    expect(await claims().updateWhere({ status: 'review' }, {})).toBe(0);
    await expect(claims().updateWhere({}, { status: 'x' })).rejects.toThrow(/needs a filter/);
    expect(await claims().count({ status: 'x' })).toBe(0);
    // Two documents of one owner given one requestId: the unique index refuses it.
    await expectStoreError(claims().updateWhere({ _openid: 'u1' }, { requestId: 'same' }), 'DUPLICATE_KEY');
  });

  it('updateWhere leaves each matching document exactly as update would, whatever the JSON values', async () => {
    const names = ['note', 'list', 'nested', 'amountFen', 'flagged'] as const;
    const value = fc
      .jsonValue({ stringUnit: 'binary', maxDepth: 3 })
      .filter((json) => !JSON.stringify(json).includes('\\u0000') && !JSON.stringify(json).includes('"__proto__":'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.dictionary(fc.constantFrom(...names), value), { minLength: 1, maxLength: 3 }),
        fc.dictionary(fc.constantFrom(...names), fc.option(value, { nil: undefined, freq: 3 })),
        async (stored, patch) => {
          const collection = (await subject.fresh()).collection<StoredDoc & Record<string, unknown>>('grants');
          for (const [index, fields] of stored.entries())
            await collection.insert({ _id: `doc${index}`, version: 1, ...fields });
          await collection.insert({ _id: 'other', version: 2, note: 'kept' });
          const written = await collection.updateWhere({ version: 1 }, patch);
          const asJson = (doc: unknown): unknown => JSON.parse(JSON.stringify(doc));
          for (const [index, fields] of stored.entries()) {
            const expected: Record<string, unknown> = { _id: `doc${index}`, version: 1, ...fields, ...patch };
            for (const [key, given] of Object.entries(patch)) if (given === undefined) delete expected[key];
            expect(asJson(await collection.get(`doc${index}`))).toEqual(asJson(expected));
          }
          expect(await collection.get('other')).toEqual({ _id: 'other', version: 2, note: 'kept' });
          // Every match written (a patch of nothing writes none).
          expect(written).toBe(Object.keys(patch).length === 0 ? 0 : stored.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('groupCount counts and adds up by field values as the documents hold them, one group per key', async () => {
    await seed();
    const byStatus = await claims().groupCount({}, ['status'], 'amount');
    // amount '10' is text, not a number: it adds 0. A document without `status` groups under null.
    expect(sortedGroups(byStatus)).toEqual(
      sortedGroups([
        { key: ['draft'], count: 1, sum: 0 },
        { key: ['settled'], count: 1, sum: 2 },
        { key: ['submitted'], count: 2, sum: 40 },
      ]),
    );
    await store.collection<StoredDoc>('claims').insert({ _id: 'e' });
    // Missing and stored null are one key; booleans stay booleans; dotted paths reach into objects.
    expect(sortedGroups(await claims().groupCount({ status: { $ne: 'draft' } }, ['flag', 'nested.region']))).toEqual(
      sortedGroups([
        { key: [true, '210200'], count: 1, sum: 0 },
        { key: [null, '110100'], count: 1, sum: 0 },
        { key: [null, null], count: 2, sum: 0 },
      ]),
    );
    expect(await claims().groupCount({ status: 'nothing' }, ['status'])).toEqual([]);
  });

  it('groupCount agrees with the documents find returns, whatever the values (objects and arrays group as null)', async () => {
    const scalar = fc.oneof(
      fc.constantFrom('a', 'b', '', 'A', '10'),
      fc.integer({ min: -3, max: 3 }),
      fc.boolean(),
      fc.constant(null),
    );
    const fieldValue = fc.option(fc.oneof({ weight: 6, arbitrary: scalar }, fc.constant({ x: 1 }), fc.constant([1])), {
      nil: undefined,
      freq: 4,
    });
    const doc = fc.record({
      kind: fieldValue,
      week: fieldValue,
      n: fc.option(fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.constant('5')), { nil: undefined }),
      nested: fc.option(fc.record({ flag: fieldValue }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(doc, { maxLength: 40 }),
        fc.subarray(['kind', 'week', 'nested.flag'], { minLength: 1 }),
        fc.constantFrom<Filter>({}, { kind: 'a' }, { week: { $ne: 'b' } }, { n: { $gt: 0 } }),
        async (docs, by, filter) => {
          const collection = (await subject.fresh()).collection<StoredDoc & Record<string, unknown>>('grants');
          for (const [index, fields] of docs.entries()) {
            const stored: StoredDoc & Record<string, unknown> = { _id: `g${index}` };
            for (const [key, value] of Object.entries(fields)) if (value !== undefined) stored[key] = value;
            await collection.insert(stored);
          }
          const matching = await collection.find(filter, { limit: 100 });
          expect(sortedGroups(await collection.groupCount(filter, by, 'n'))).toEqual(
            sortedGroups(groupDocuments(matching, by, 'n')),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('two updates expecting the same version: exactly one lands', async () => {
    await seed();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        claims().update('d', { status: `s${index}`, version: 2 }, { expectVersion: 1 }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await claims().get('d'))?.version).toBe(2);
  });

  it('a transaction commits all its writes, reads its own writes, and an error rolls every one back', async () => {
    await seed();
    const result = await store.transaction(async (tx) => {
      const a = await tx.get<ClaimLike>('claims', 'a');
      await tx.set('claims', { ...a!, status: 'settled', version: 2 });
      await tx.set('ledgers', { _id: 'ledger:p:2026', personKey: 'p', policyYear: 2026, total: 10 });
      expect(await tx.get('ledgers', 'ledger:p:2026')).toMatchObject({ total: 10 });
      await tx.remove('claims', 'b');
      expect(await tx.get('claims', 'b')).toBeNull();
      return 'done';
    });
    expect(result).toBe('done');
    expect((await claims().get('a'))?.status).toBe('settled');
    expect(await store.collection('ledgers').get('ledger:p:2026')).toMatchObject({ total: 10 });
    expect(await claims().get('b')).toBeNull();

    await expect(
      store.transaction(async (tx) => {
        await tx.set('claims', { ...(await tx.get<ClaimLike>('claims', 'c'))!, status: 'paid' });
        await tx.set('ledgers', { _id: 'ledger:q:2026', total: 1 });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect((await claims().get('c'))?.status).toBe('settled');
    expect(await store.collection('ledgers').get('ledger:q:2026')).toBeNull();
  });

  it('set replaces the whole document (no merge of fields left out)', async () => {
    await seed();
    await store.transaction(async (tx) => tx.set('claims', { _id: 'a', status: 'replaced' }));
    expect(await claims().get('a')).toEqual({ _id: 'a', status: 'replaced' });
  });

  it('a unique index refusing a transaction write is DUPLICATE_KEY and nothing of it lands', async () => {
    await seed();
    await expectStoreError(
      store.transaction(async (tx) => {
        await tx.set('ledgers', { _id: 'ledger:dup', total: 1 });
        await tx.set('claims', { _id: 'e', _openid: 'u1', requestId: 'r1' });
      }),
      'DUPLICATE_KEY',
    );
    expect(await store.collection('ledgers').get('ledger:dup')).toBeNull();
    expect(await claims().get('e')).toBeNull();
  });

  it('transactions do not nest, and plain writes inside one are refused', async () => {
    await expect(store.transaction(() => store.transaction(async () => 1))).rejects.toThrow(/nest/);
    await expect(store.transaction(() => claims().insert({ _id: 'inside' }))).rejects.toThrow(/transaction/);
    expect(await claims().get('inside')).toBeNull();
  });

  it('50 concurrent read-modify-write transactions on one document lose no update, created or not', async () => {
    const increment = (id: string, by: string) => async (tx: Transaction) => {
      const doc = await tx.get<Counter>('ledgers', id);
      await new Promise((resolve) => setTimeout(resolve, 1));
      await tx.set<Counter>('ledgers', { _id: id, n: (doc?.n ?? 0) + 1, seen: [...(doc?.seen ?? []), by] });
    };
    await Promise.all(Array.from({ length: 50 }, (_, index) => store.transaction(increment('counter', `t${index}`))));
    const counter = await store.collection<Counter>('ledgers').get('counter');
    expect(counter?.n).toBe(50);
    expect(new Set(counter?.seen).size).toBe(50);
  });

  it('a plain read never sees a transaction half-applied', async () => {
    await store.collection<Counter>('ledgers').insert({ _id: 'left', n: 0, seen: [] });
    await store.collection<Counter>('ledgers').insert({ _id: 'right', n: 0, seen: [] });
    let stop = false;
    const torn: Array<[number, number]> = [];
    const reader = (async () => {
      while (!stop) {
        // One query, so one moment: both documents as of the same commit.
        const pair = await store
          .collection<Counter>('ledgers')
          .find({ _id: { $in: ['left', 'right'] } }, { sort: { _id: 1 } });
        if (pair[0]!.n !== pair[1]!.n) torn.push([pair[0]!.n, pair[1]!.n]);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let index = 1; index <= 30; index += 1) {
      await store.transaction(async (tx) => {
        await tx.set<Counter>('ledgers', { _id: 'right', n: index, seen: [] });
        await tx.set<Counter>('ledgers', { _id: 'left', n: index, seen: [] });
      });
    }
    stop = true;
    await reader;
    expect(torn).toEqual([]);
  });

  if (subject.concurrentTransactions) {
    it('two transactions creating the same absent document: the second starts again and sees the first', async () => {
      let arrived = 0;
      let release: () => void = () => undefined;
      const bothRead = new Promise<void>((resolve) => {
        release = resolve;
      });
      const create = (label: string) =>
        store.transaction(async (tx) => {
          const doc = await tx.get<Counter>('ledgers', 'race');
          arrived += 1;
          if (arrived === 2) release();
          if (arrived <= 2) await bothRead;
          await tx.set<Counter>('ledgers', { _id: 'race', n: (doc?.n ?? 0) + 1, seen: [...(doc?.seen ?? []), label] });
        });
      await Promise.all([create('first'), create('second')]);
      expect(arrived).toBe(3);
      expect((await store.collection<Counter>('ledgers').get('race'))?.n).toBe(2);
    });

    it('gives up with TRANSACTION_CONFLICT when the retries run out', async () => {
      const sql = store as PostgresStore;
      const once = new PostgresStore(sql.driver, { attempts: 1, backoffMs: () => 0 });
      let arrived = 0;
      let release: () => void = () => undefined;
      const bothRead = new Promise<void>((resolve) => {
        release = resolve;
      });
      const create = () =>
        once.transaction(async (tx) => {
          await tx.get('ledgers', 'contended');
          arrived += 1;
          if (arrived === 2) release();
          await bothRead;
          await tx.set('ledgers', { _id: 'contended', n: 1 });
        });
      const outcomes = await Promise.allSettled([create(), create()]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      expect(failed?.reason).toMatchObject({ code: 'TRANSACTION_CONFLICT' });
    });
  }
});
