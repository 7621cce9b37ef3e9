/**
 * The Store contract, run on both adapters: the embedded store, and the cloud store on the real
 * wx-server-sdk whose requests the emulator executes with MongoDB semantics. Then what only the
 * cloud path can get wrong: the error shapes the SDK gives (duplicate key vs. any failed request,
 * transaction conflicts) and what the SDK's serializer makes of a patch.
 */
import { invoke } from '../../server/handlers/framework';
import { filesFunction } from '../../server/handlers/files';
import { drainOutbox, type OutboxClaim } from '../../server/notifications/outbox';
import { groupDocuments } from '../../server/adapters/grouping';
import { StoreError, type Group, type StoredDoc } from '../../server/ports';
import { callers, cloudEmulatorPorts, FixedClock, portFactories } from '../support/ports';
import { jpegBytes } from '../support/fixtures';

interface Draft extends StoredDoc {
  _openid: string;
  requestId: string;
  version: number;
  form: { insured?: { name?: string; idNumber?: string }; hospital?: { name: string } } | null;
  photos?: Record<string, string[]>;
  note?: string;
}

const draft = (id: string, requestId = `req-${id}`): Draft => ({
  _id: id,
  _openid: 'openid-a',
  requestId,
  version: 1,
  form: null,
  photos: { receipt: ['a', 'b'] },
});

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

describe.each(portFactories)('Store contract (%s)', (_name, makePorts) => {
  it('update replaces object fields whole: a null field takes an object, a later object drops keys it lacks', async () => {
    const { store } = await makePorts();
    const claims = store.collection<Draft>('claims');
    await claims.insert(draft('c1'));
    expect(
      await claims.update(
        'c1',
        { form: { insured: { name: '张三', idNumber: '1' } }, version: 2 },
        { expectVersion: 1 },
      ),
    ).toBe(true);
    expect((await claims.get('c1'))?.form).toEqual({ insured: { name: '张三', idNumber: '1' } });
    expect(
      await claims.update(
        'c1',
        { form: { hospital: { name: '协和' } }, photos: { receipt: ['b'] }, version: 3 },
        { expectVersion: 2 },
      ),
    ).toBe(true);
    const stored = await claims.get('c1');
    expect(stored?.form).toEqual({ hospital: { name: '协和' } });
    expect(stored?.photos).toEqual({ receipt: ['b'] });
  });

  it('update with undefined removes the field; a stale version changes nothing', async () => {
    const { store } = await makePorts();
    const claims = store.collection<Draft>('claims');
    await claims.insert({ ...draft('c2'), note: 'temporary' });
    expect(await claims.update('c2', { note: undefined, version: 2 }, { expectVersion: 1 })).toBe(true);
    expect((await claims.get('c2'))?.note).toBeUndefined();
    expect(await claims.update('c2', { note: 'late', version: 2 }, { expectVersion: 1 })).toBe(false);
    expect((await claims.get('c2'))?.note).toBeUndefined();
  });

  it('an update that leaves the document as it was still reports the match', async () => {
    const { store } = await makePorts();
    const claims = store.collection<Draft>('claims');
    await claims.insert(draft('c3'));
    expect(await claims.update('c3', { version: 1 }, { expectVersion: 1 })).toBe(true);
    expect(await claims.update('missing', { version: 1 })).toBe(false);
  });

  it('updateWhere writes every matching document, an object field whole, a removal; no other document', async () => {
    const { store } = await makePorts();
    const drafts = store.collection<Draft>('claims');
    await drafts.insert(draft('w1'));
    await drafts.insert({ ...draft('w2'), form: { insured: { name: '张三', idNumber: '1' } }, note: 'n' });
    await drafts.insert({ ...draft('w3'), _openid: 'openid-b' });
    expect(
      await drafts.updateWhere({ _openid: 'openid-a' }, { form: { hospital: { name: '协和' } }, note: undefined }),
    ).toBe(2);
    expect(await drafts.get('w1')).toEqual({ ...draft('w1'), form: { hospital: { name: '协和' } } });
    expect(await drafts.get('w2')).toEqual({ ...draft('w2'), form: { hospital: { name: '协和' } } });
    expect(await drafts.get('w3')).toEqual({ ...draft('w3'), _openid: 'openid-b' });
    expect(await drafts.updateWhere({ _openid: 'openid-c' }, { note: 'x' })).toBe(0);
    await expect(drafts.updateWhere({}, { note: 'x' })).rejects.toThrow(/needs a filter/);
  });

  it('unique keys: a second _id or (_openid, requestId) is DUPLICATE_KEY', async () => {
    const { store } = await makePorts();
    const claims = store.collection<Draft>('claims');
    await claims.insert(draft('c4', 'same-request'));
    await expect(claims.insert(draft('c4', 'other'))).rejects.toMatchObject({ code: 'DUPLICATE_KEY' });
    await expect(claims.insert(draft('c5', 'same-request'))).rejects.toMatchObject({ code: 'DUPLICATE_KEY' });
    expect(await claims.count({ _openid: 'openid-a' })).toBe(1);
  });

  it('transaction: set replaces the whole document, a missing document reads as null, a throw rolls every write back', async () => {
    const { store } = await makePorts();
    await store.collection<Draft>('claims').insert({ ...draft('t1'), form: { insured: { name: '张三' } }, note: 'x' });
    await store.transaction(async (tx) => {
      expect(await tx.get('ledgers', 'ledger:none')).toBeNull();
      const claim = await tx.get<Draft>('claims', 't1');
      expect(claim?.note).toBe('x');
      await tx.set<Draft>('claims', {
        _id: 't1',
        _openid: 'openid-a',
        requestId: 'req-t1',
        version: 2,
        form: { hospital: { name: '协和' } },
      });
      await tx.set('ledgers', { _id: 'ledger:a:2026', spentFen: 100 });
    });
    expect(await store.collection<Draft>('claims').get('t1')).toEqual({
      _id: 't1',
      _openid: 'openid-a',
      requestId: 'req-t1',
      version: 2,
      form: { hospital: { name: '协和' } },
    });
    await expect(
      store.transaction(async (tx) => {
        await tx.set('ledgers', { _id: 'ledger:a:2026', spentFen: 999 });
        await tx.remove('claims', 't1');
        throw new Error('invariant broken');
      }),
    ).rejects.toThrow('invariant broken');
    expect(await store.collection('ledgers').get('ledger:a:2026')).toEqual({ _id: 'ledger:a:2026', spentFen: 100 });
    expect(await store.collection('claims').get('t1')).not.toBeNull();
  });

  it('concurrent transactions on one document both land (serialised or retried)', async () => {
    const { store } = await makePorts();
    await store.collection<StoredDoc & { n: number }>('ledgers').insert({ _id: 'counter', n: 0 });
    const increment = () =>
      store.transaction(async (tx) => {
        const doc = await tx.get<StoredDoc & { n: number }>('ledgers', 'counter');
        await tx.set<StoredDoc & { n: number }>('ledgers', { _id: 'counter', n: (doc?.n ?? 0) + 1 });
      });
    await Promise.all([increment(), increment(), increment()]);
    expect(await store.collection('ledgers').get('counter')).toEqual({ _id: 'counter', n: 3 });
  });

  it('groupCount: one group per key (missing and null alike), counts and sums past the 20 results an aggregation gives by default', async () => {
    const { store } = await makePorts();
    const facts = store.collection<StoredDoc & Record<string, unknown>>('grants');
    for (let index = 0; index < 75; index += 1)
      await facts.insert({
        _id: `g${index}`,
        week: `2026-W${String(index % 30).padStart(2, '0')}`,
        ...(index % 3 === 0 ? {} : { paid: index % 3 === 1 }),
        ...(index % 5 === 0 ? { fen: '7' } : { fen: index }),
      });
    const groups = await facts.groupCount({ week: { $ne: '2026-W00' } }, ['week', 'paid'], 'fen');
    const expected = groupDocuments(
      Array.from({ length: 75 }, (_, index) => ({
        week: `2026-W${String(index % 30).padStart(2, '0')}`,
        paid: index % 3 === 0 ? null : index % 3 === 1,
        fen: index % 5 === 0 ? '7' : index,
      })).filter((doc) => doc.week !== '2026-W00'),
      ['week', 'paid'],
      'fen',
    );
    const sorted = (list: Group[]): Group[] =>
      [...list].sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
    expect(groups.length).toBeGreaterThan(20);
    expect(sorted(groups)).toEqual(sorted(expected));
  });
});

describe('cloud store: what the SDK sends and the errors it gives', () => {
  it('sends an object field as one $set of the whole value and a removal as $unset', async () => {
    const { store, emulator } = await cloudEmulatorPorts();
    await store.collection<Draft>('claims').insert(draft('s1'));
    await store
      .collection<Draft>('claims')
      .update('s1', { form: { insured: { name: '张三' } }, note: undefined, version: 2 }, { expectVersion: 1 });
    const sent = emulator.requests.filter((request) => request.action === 'database.modifyDocument').at(-1);
    expect(sent?.params).toMatchObject({ collectionName: 'claims', multi: true, merge: true });
    const data = JSON.parse(String(sent?.params.data)) as Record<string, Record<string, unknown>>;
    expect(Object.keys(data.$set ?? {}).sort()).toEqual(['form', 'version']);
    expect(data.$unset).toEqual({ note: '' });
  });

  it('updateWhere is one request, `multi: true`, with the filter as its query', async () => {
    const { store, emulator } = await cloudEmulatorPorts();
    const cards = store.collection<StoredDoc & { _openid: string; read: boolean }>('notifications');
    for (const id of ['n1', 'n2', 'n3']) await cards.insert({ _id: id, _openid: 'openid-a', read: id === 'n3' });
    const before = emulator.requests.length;
    expect(await cards.updateWhere({ _openid: 'openid-a', read: false }, { read: true })).toBe(2);
    const sent = emulator.requests.slice(before);
    expect(sent.map((request) => request.action)).toEqual(['database.modifyDocument']);
    expect(sent[0]?.params).toMatchObject({ collectionName: 'notifications', multi: true, merge: true });
    expect(JSON.parse(String(sent[0]?.params.query))).toEqual({ _openid: 'openid-a', read: false });
    expect(await cards.count({ read: false })).toBe(0);
  });

  it('a find with fields sends a projection and gets only those fields back', async () => {
    const { store, emulator } = await cloudEmulatorPorts();
    await store
      .collection<Draft>('claims')
      .insert({ ...draft('f1'), form: { hospital: { name: '协和' } }, note: null as never });
    const [found] = await store
      .collection<Draft>('claims')
      .find({ _openid: 'openid-a' }, { fields: ['version', 'form.hospital', 'note', 'missing'] });
    expect(found).toEqual({ _id: 'f1', version: 1, form: { hospital: { name: '协和' } }, note: null });
    const sent = emulator.requests.filter((request) => request.action === 'database.getDocument').at(-1);
    // EJSON as the SDK sends it: each field included ({ $numberInt: '1' })
    const projection = JSON.parse(String(sent?.params.projection)) as Record<string, { $numberInt: string }>;
    expect(Object.entries(projection).map(([field, value]) => `${field}=${value.$numberInt}`)).toEqual([
      'version=1',
      'form.hospital=1',
      'note=1',
      'missing=1',
    ]);
  });

  it('a range of two bounds is sent as `_.and` of both and holds both', async () => {
    const { store, emulator } = await cloudEmulatorPorts();
    const claims = store.collection<Draft & { version: number }>('claims');
    for (const [id, version] of [
      ['v1', 1],
      ['v2', 2],
      ['v3', 3],
      ['v4', 4],
    ] as const)
      await claims.insert({ ...draft(id), version });
    const found = await claims.find({ version: { $gt: 1, $lte: 3 } }, { sort: { _id: 1 } });
    expect(found.map((doc) => doc._id)).toEqual(['v2', 'v3']);
    expect(await claims.count({ _id: { $gte: 'v2', $lt: 'v4' } })).toBe(2);
    const sent = emulator.requests.filter((request) => request.action === 'database.getDocument').at(-1);
    // The SDK's serializer lifts a field's `_.and` to the query's top level.
    expect(JSON.parse(String(sent?.params.query))).toEqual({
      $and: [{ version: { $gt: { $numberInt: '1' } } }, { version: { $lte: { $numberInt: '3' } } }],
    });
  });

  it('a failed database request (-502001 without E11000) is STORE_UNAVAILABLE, not a duplicate', async () => {
    const { store, emulator } = await cloudEmulatorPorts();
    emulator.fault = (request) =>
      request.action === 'database.insertDocument'
        ? { code: 'DATABASE_REQUEST_FAILED', message: '[InternalError] server busy' }
        : undefined;
    const error = await store
      .collection<Draft>('claims')
      .insert(draft('e1'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it('files.register under a failing database answers INTERNAL at once (no retry loop, no CONFLICT)', async () => {
    const ports = await cloudEmulatorPorts();
    const fileID = ports.emulator.putFile('uploads/x/receipt.jpg', await jpegBytes('票据'));
    // The record is written in one transaction with the owner's count for the day: its commit fails.
    ports.emulator.fault = (request) =>
      request.action === 'database.commitTransaction'
        ? { code: 'DATABASE_REQUEST_FAILED', message: '[InternalError] server busy' }
        : undefined;
    const silent = jest.fn();
    const answer = await invoke(
      filesFunction,
      { action: 'register', payload: { fileID, name: 'receipt.jpg' } },
      callers.zhangsan,
      ports,
      { onUnexpected: silent },
    );
    expect(answer).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.any(String) } });
    expect(ports.emulator.count('database.commitTransaction')).toBe(1);
    expect(silent).toHaveBeenCalledTimes(1);
    // Nothing recorded, nothing counted.
    ports.emulator.fault = null;
    expect(await ports.store.collection('files').count({})).toBe(0);
    expect(await ports.store.collection('uploadDays').count({})).toBe(0);
  });

  it('the outbox does not take a failed insert for "already there": the claim stays pending', async () => {
    const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
    const { store, emulator } = await cloudEmulatorPorts({ clock });
    const claim: OutboxClaim = {
      _id: 'n1',
      _openid: 'openid-a',
      version: 3,
      events: [{ seq: 1, at: clock.now().toISOString(), to: 'submitted' }],
      notifiedSeq: 0,
      notifyPending: true,
    };
    await store.collection<OutboxClaim>('claims').insert(claim);
    emulator.fault = (request) =>
      request.action === 'database.insertDocument' && request.params.collectionName === 'notifications'
        ? { code: 'DATABASE_REQUEST_FAILED', message: '[InternalError] server busy' }
        : undefined;
    const sender = { send: jest.fn(async () => ({ ok: true as const })) };
    await expect(
      drainOutbox({
        store,
        clock,
        notifier: sender,
        templateIds: {},
        describe: () => ({ title: '已受理', body: '…' }),
      }),
    ).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((await store.collection<OutboxClaim>('claims').get('n1'))?.notifyPending).toBe(true);
  });

  it('a transaction that keeps conflicting gives up with TRANSACTION_CONFLICT within a bounded time', async () => {
    const { store, emulator } = await cloudEmulatorPorts();
    const started = Date.now();
    emulator.fault = (request) =>
      request.action === 'database.modifyDocument' && request.params.transactionId
        ? {
            code: 'DATABASE_TRANSACTION_CONFLICT',
            message: '[ResourceUnavailable.TransactionConflict] Transaction is conflict',
          }
        : undefined;
    await expect(store.transaction((tx) => tx.set('ledgers', { _id: 'l1', n: 1 }))).rejects.toMatchObject({
      code: 'TRANSACTION_CONFLICT',
    });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(emulator.count('database.startTransaction')).toBeGreaterThan(5);
    expect(emulator.count('database.abortTransaction')).toBe(emulator.count('database.startTransaction'));
    expect(emulator.document('ledgers', 'l1')).toBeNull();
  });

  it('inside a transaction only documents by id are sent; nothing leaves the emulator', async () => {
    const { store, emulator } = await cloudEmulatorPorts();
    await store.transaction(async (tx) => {
      await tx.get('claims', 'x');
      await tx.set('claims', { _id: 'x', _openid: 'o', requestId: 'r', version: 1 });
    });
    const inTransaction = emulator.requests.filter((request) => request.params.transactionId);
    expect(inTransaction.map((request) => [request.action, request.params.queryType])).toEqual([
      ['database.getDocument', 'DOC'],
      ['database.modifyDocument', 'DOC'],
      ['database.commitTransaction', undefined],
    ]);
    expect(inTransaction[1]?.params).toMatchObject({ merge: false, upsert: true });
    expect(emulator.escapes).toEqual([]);
  });
});
