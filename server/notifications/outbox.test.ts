import {
  drainOutbox,
  ENQUEUE_PAGES,
  addGrants,
  type CardText,
  type OutboxClaim,
  type OutboxDeps,
  type DueReminders,
  type MessageDoc,
  type NotificationDoc,
} from './outbox';
import { RecordingNotifier, type Notifier, type SentMessageDoc } from './notifier';
import { countingCalls, embeddedPorts, FixedClock } from '../../test/support/ports';
import type { Store } from '../ports';

interface TestClaim extends OutboxClaim {
  title: string;
  requestId: string;
}

function claim(id: string, owner: string, statuses: string[]): TestClaim {
  return {
    _id: id,
    _openid: owner,
    version: statuses.length,
    title: `申请 ${id}`,
    requestId: `request-${id}`,
    events: statuses.map((to, index) => ({ seq: index + 1, at: `2026-03-0${index + 1}T02:00:00.000Z`, to })),
    notifiedSeq: 0,
    notifyPending: true,
  };
}

function depsFor(store: Store, clock: FixedClock, notifier: Notifier): OutboxDeps<TestClaim> {
  return {
    store,
    clock,
    notifier,
    templateIds: { accepted: 'tmpl-accepted', result: 'tmpl-result', paid: undefined },
    describe: (c, event): CardText => {
      const text: CardText = { title: `状态：${event.to}`, body: c.title };
      if (event.to === 'submitted') text.message = { templateKey: 'accepted', data: { thing1: { value: c.title } } };
      if (event.to === 'rejected' || event.to === 'reviewPassed')
        text.message = { templateKey: 'result', data: { phrase2: { value: event.to } } };
      return text;
    },
  };
}

describe('notification outbox', () => {
  it('writes one card per event and at most one message, spending one grant each', async () => {
    const clock = new FixedClock(new Date('2026-03-10T00:00:00Z'));
    const { store } = await embeddedPorts({ clock });
    await store
      .collection<TestClaim>('claims')
      .insert(claim('c1', 'u1', ['submitted', 'preliminaryPassed', 'reviewPassed']));
    await addGrants(store, 'u1', 'accepted', 1);
    const notifier = new RecordingNotifier(store, { now: () => clock.now() });

    const first = await drainOutbox(depsFor(store, clock, notifier));
    expect(first).toMatchObject({ cards: 3, queued: 2, sent: 1, noGrant: 1 });
    const again = await drainOutbox(depsFor(store, clock, notifier));
    expect(again).toMatchObject({ cards: 0, queued: 0, sent: 0 });

    const cards = await store.collection<NotificationDoc>('notifications').find({ _openid: 'u1' });
    expect(cards.map((card) => card.status).sort()).toEqual(['preliminaryPassed', 'reviewPassed', 'submitted']);
    const stored = await store.collection<TestClaim>('claims').get('c1');
    expect(stored).toMatchObject({ notifiedSeq: 3, notifyPending: false, version: 3 });
    expect(await store.collection<SentMessageDoc>('sentMessages').count({})).toBe(1);
  });

  it("writes the card of the claimant's own step as read: news is what the agency did (a walk: 提交 lit the 消息 dot)", async () => {
    const clock = new FixedClock(new Date('2026-03-10T00:00:00Z'));
    const { store } = await embeddedPorts({ clock });
    const filed = claim('c1', 'u1', ['submitted', 'supplementRequested', 'submitted']);
    filed.events = filed.events.map((event, index) => ({ ...event, actor: index === 1 ? 'reviewer-1' : 'u1' }));
    await store.collection<TestClaim>('claims').insert(filed);
    const notifier = new RecordingNotifier(store, { now: () => clock.now() });
    await drainOutbox(depsFor(store, clock, notifier));
    const cards = await store.collection<NotificationDoc>('notifications').find({ _openid: 'u1' });
    expect(cards.map((card) => [card.seq, card.read]).sort()).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);
  });

  it('keeps a status change that lands while draining (notifyPending stays set)', async () => {
    const clock = new FixedClock(new Date('2026-03-10T00:00:00Z'));
    const { store } = await embeddedPorts({ clock });
    const claims = store.collection<TestClaim>('claims');
    await claims.insert(claim('c2', 'u2', ['submitted']));
    const deps = depsFor(store, clock, new RecordingNotifier(store));
    const describe = deps.describe;
    let raced = false;
    deps.describe = (c, event) => {
      if (!raced) {
        raced = true;
        void claims.update(
          'c2',
          {
            version: 2,
            events: [...c.events, { seq: 2, at: '2026-03-02T00:00:00Z', to: 'rejected' }],
            notifyPending: true,
          },
          { expectVersion: 1 },
        );
      }
      return describe(c, event);
    };
    await drainOutbox(deps);
    expect(await claims.get('c2')).toMatchObject({ notifyPending: true, notifiedSeq: 0 });
    await drainOutbox(deps);
    expect(await claims.get('c2')).toMatchObject({ notifyPending: false, notifiedSeq: 2 });
    expect(await store.collection('notifications').count({ claimId: 'c2' })).toBe(2);
  });

  it('with the sender failing half the time, delivers every message exactly once', async () => {
    const clock = new FixedClock(new Date('2026-03-10T00:00:00Z'));
    const { store } = await embeddedPorts({ clock });
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const owners = ['a', 'b', 'c', 'd'];
    for (let index = 0; index < 40; index += 1) {
      const owner = owners[index % owners.length]!;
      await store.collection<TestClaim>('claims').insert(claim(`k${index}`, owner, ['submitted', 'reviewPassed']));
    }
    for (const owner of owners) {
      await addGrants(store, owner, 'accepted', 10);
      await addGrants(store, owner, 'result', 10);
    }
    const deps = depsFor(
      store,
      clock,
      new RecordingNotifier(store, { failureRate: 0.5, random, now: () => clock.now() }),
    );
    let rounds = 0;
    while ((await store.collection<MessageDoc>('messages').count({ state: 'pending' })) > 0 || rounds === 0) {
      await drainOutbox(deps);
      clock.advance(3_600_000);
      rounds += 1;
      if (rounds > 50) throw new Error('outbox did not drain');
    }
    const sent = await store.collection<SentMessageDoc>('sentMessages').find({}, { limit: 100 });
    expect(await store.collection<MessageDoc>('messages').count({ state: 'sent' })).toBe(80);
    expect(await store.collection('sentMessages').count({})).toBe(80);
    const keys = new Set(sent.map((message) => `${message.touser}|${message.page}|${message.templateId}`));
    expect(keys.size).toBe(sent.length);
    expect(await store.collection('notifications').count({})).toBe(80);
    expect(rounds).toBeGreaterThan(1);
  });

  it('records 43101 as refused and never retries it', async () => {
    const clock = new FixedClock(new Date('2026-03-10T00:00:00Z'));
    const { store } = await embeddedPorts({ clock });
    await store.collection<TestClaim>('claims').insert(claim('r1', 'u9', ['submitted']));
    await addGrants(store, 'u9', 'accepted', 1);
    let calls = 0;
    const refusing: Notifier = {
      send: async () => {
        calls += 1;
        return { ok: false, errCode: 43101, errMsg: 'user refuse to accept the msg' };
      },
    };
    await drainOutbox(depsFor(store, clock, refusing));
    clock.advance(86_400_000);
    await drainOutbox(depsFor(store, clock, refusing));
    expect(calls).toBe(1);
    expect(await store.collection<MessageDoc>('messages').get('r1-1')).toMatchObject({ state: 'refused', attempts: 1 });
    expect(await store.collection('notifications').count({ claimId: 'r1' })).toBe(1);
  });

  it('works through a backlog of more than one page in one run (a payment batch marks hundreds paid at once)', async () => {
    const clock = new FixedClock(new Date('2026-03-10T00:00:00Z'));
    const { store } = await embeddedPorts({ clock });
    const claims = store.collection<TestClaim>('claims');
    for (let index = 0; index < 250; index += 1)
      await claims.insert(claim(`b${String(index).padStart(3, '0')}`, `u${index % 7}`, ['preliminaryPassed']));
    const notifier = new RecordingNotifier(store, { now: () => clock.now() });

    const report = await drainOutbox(depsFor(store, clock, notifier));

    expect(report).toMatchObject({ cards: 250, stoppedEarly: false });
    expect(await claims.count({ notifyPending: true })).toBe(0);
    expect(await store.collection('notifications').count({})).toBe(250);
  });

  it('leaves the rest of a backlog for the next run when its time is up', async () => {
    const clock = new FixedClock(new Date('2026-03-10T00:00:00Z'));
    const { store } = await embeddedPorts({ clock });
    const claims = store.collection<TestClaim>('claims');
    for (let index = 0; index < 150; index += 1)
      await claims.insert(claim(`t${String(index).padStart(3, '0')}`, 'u1', ['preliminaryPassed']));
    const notifier = new RecordingNotifier(store, { now: () => clock.now() });
    let budget = 120; // time checks before the run's deadline: one per claim
    const report = await drainOutbox({
      ...depsFor(store, clock, notifier),
      timeLeftMs: () => ((budget -= 1) > 0 ? 60_000 : 1_000),
    });

    expect(report.stoppedEarly).toBe(true);
    expect(report.cards).toBeGreaterThanOrEqual(100);
    expect(report.cards).toBeLessThan(150);
    expect(await claims.count({ notifyPending: true })).toBe(150 - report.cards);
    expect((await drainOutbox(depsFor(store, clock, notifier))).cards).toBe(150 - report.cards);
  });

  it('cards at most ENQUEUE_PAGES pages in one run and still delivers its messages', async () => {
    const clock = new FixedClock(new Date('2026-03-10T00:00:00Z'));
    const { store } = await embeddedPorts({ clock });
    const total = ENQUEUE_PAGES * 100 + 30;
    await store.transaction(async (tx) => {
      for (let index = 0; index < total; index += 1)
        await tx.set('claims', claim(`p${String(index).padStart(4, '0')}`, `u${index % 7}`, ['submitted']));
    });
    for (let user = 0; user < 7; user += 1) await addGrants(store, `u${user}`, 'accepted', 1);
    const notifier = new RecordingNotifier(store, { now: () => clock.now() });

    const first = await drainOutbox(depsFor(store, clock, notifier));
    expect(first).toMatchObject({ cards: ENQUEUE_PAGES * 100, sent: 7, stoppedEarly: true });
    const second = await drainOutbox(depsFor(store, clock, notifier));
    expect(second).toMatchObject({ cards: 30 });
    expect(await store.collection('claims').count({ notifyPending: true })).toBe(0);
  });

  it('cards one page a run when told to (the local server, whose requests share the thread)', async () => {
    const clock = new FixedClock(new Date('2026-03-10T00:00:00Z'));
    const { store } = await embeddedPorts({ clock });
    for (let index = 0; index < 150; index += 1)
      await store
        .collection<TestClaim>('claims')
        .insert(claim(`o${String(index).padStart(3, '0')}`, 'u1', ['preliminaryPassed']));
    const notifier = new RecordingNotifier(store, { now: () => clock.now() });
    const deps = { ...depsFor(store, clock, notifier), enqueuePages: 1 };
    expect(await drainOutbox(deps)).toMatchObject({ cards: 100, stoppedEarly: true });
    expect(await drainOutbox(deps)).toMatchObject({ cards: 50, stoppedEarly: false });
  });

  it('asks which reminders are written already 100 at a time, not one store call each', async () => {
    const clock = new FixedClock(new Date('2026-03-10T00:00:00Z'));
    const { store } = await embeddedPorts({ clock });
    const notifier = new RecordingNotifier(store, { now: () => clock.now() });
    const due = Array.from({ length: 250 }, (_, index) => ({
      id: `c${index}-r-originals7`,
      openid: 'u1',
      claimId: `c${index}`,
      seq: 0,
      status: 'submitted',
      at: clock.now().toISOString(),
      text: { title: '请寄出纸质原件', body: `申请 c${index}` },
    }));
    const reminders = async (): Promise<DueReminders> => ({ cards: due });
    expect(await drainOutbox({ ...depsFor(store, clock, notifier), reminders })).toMatchObject({ reminders: 250 });

    const calls: Record<string, number> = {};
    const again = await drainOutbox({ ...depsFor(countingCalls(store, calls), clock, notifier), reminders });
    expect(again.reminders).toBe(0);
    expect(calls['notifications.get'] ?? 0).toBe(0);
    expect(calls['notifications.insert'] ?? 0).toBe(0);
    expect(calls['notifications.find']).toBe(3);
  });
});
