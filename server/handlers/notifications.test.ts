/**
 * notifications.recordSubscriptions: only the three template keys, as own properties; nothing from the prototype.
 * The cards: every one reachable a page at a time, 全部标为已读 for all of them, in as few round trips as the work needs.
 */
import { notificationsFunction } from './notifications';
import { invoke } from './framework';
import { callers, countingCalls, embeddedPorts } from '../../test/support/ports';
import type { Page } from '../../src/core/contracts/claimDraft';
import type { NotificationCard } from '../../src/core/contracts/views';
import type { NotificationDoc } from '../notifications/outbox';
import type { Caller } from '../ports';

async function record(results: unknown) {
  const ports = await embeddedPorts();
  const envelope = await invoke(
    notificationsFunction,
    { action: 'recordSubscriptions', payload: { results } },
    callers.zhangsan,
    ports,
  );
  return { envelope, grants: await ports.store.collection('grants').count({}) };
}

describe('recordSubscriptions', () => {
  it('records a grant per accepted template', async () => {
    const { envelope, grants } = await record({ accepted: 'accept', result: 'reject', paid: 'accept' });
    expect(envelope).toEqual({ ok: true, data: { granted: ['accepted', 'paid'] } });
    expect(grants).toBe(2);
  });

  it.each([
    ['__proto__ (as JSON.parse makes it: an own key)', JSON.parse('{"__proto__":"accept"}') as unknown],
    ['__proto__ holding a template key', JSON.parse('{"__proto__":{"paid":"accept"}}') as unknown],
    ['constructor', { constructor: 'accept' }],
    ['toString', { toString: 'accept' }],
    ['hasOwnProperty', { hasOwnProperty: 'accept' }],
    ['an unknown template', { refund: 'accept' }],
  ])('refuses %s with VALIDATION_FAILED and records nothing', async (_name, results) => {
    const { envelope, grants } = await record(results);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(grants).toBe(0);
  });
});

describe('the claimant’s cards', () => {
  const at = (minute: number): string => new Date(Date.UTC(2026, 2, 2, 2, minute)).toISOString();

  async function withCards(count: number, extra: Partial<NotificationDoc> = {}) {
    const ports = await embeddedPorts();
    const cards = ports.store.collection<NotificationDoc>('notifications');
    for (let index = 0; index < count; index += 1)
      await cards.insert({
        _id: `card-${String(index).padStart(3, '0')}`,
        _openid: callers.zhangsan.openid,
        claimId: 'C1',
        seq: index + 1,
        status: 'submitted',
        title: '已提交',
        body: `第 ${index + 1} 条`,
        amountFen: null,
        // Two cards a minute: ties on the time are ordered by id, so no card is on two pages or none.
        createdAt: at(Math.floor(index / 2)),
        read: false,
        ...extra,
      });
    await cards.insert({
      _id: 'card-lisi',
      _openid: callers.lisi.openid,
      claimId: 'C2',
      seq: 1,
      status: 'submitted',
      title: '已提交',
      body: '李四的',
      amountFen: null,
      createdAt: at(0),
      read: false,
    });
    const calls: Record<string, number> = {};
    const run = async <T>(action: string, payload: unknown, caller: Caller = callers.zhangsan): Promise<T> => {
      const envelope = await invoke(notificationsFunction, { action, payload }, caller, {
        ...ports,
        store: countingCalls(ports.store, calls),
      });
      if (!envelope.ok) throw new Error(JSON.stringify(envelope.error));
      return envelope.data as T;
    };
    return { ports, calls, run };
  }

  type CardPage = Page<NotificationCard> & { unread: number };

  it('lists every card once, newest first, a page at a time; the first page of a short list is one read', async () => {
    const { calls, run } = await withCards(45);
    const seen: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const { items, total, unread } = await run<CardPage>('list', { page });
      expect([total, unread]).toEqual([45, 45]);
      seen.push(...items.map((card) => card.id));
    }
    expect(seen).toEqual(Array.from({ length: 45 }, (_, index) => `card-${String(44 - index).padStart(3, '0')}`));

    const short = await withCards(3);
    expect(await short.run<CardPage>('list', { page: 1 })).toMatchObject({ total: 3, unread: 3 });
    // It was a find and two counts: a round trip each in the WeChat cloud.
    expect(short.calls).toEqual({ 'notifications.find': 1 });
    expect(calls['notifications.find']).toBe(3);
  });

  it('全部标为已读 marks every unread card, those on later pages too, and no one else’s', async () => {
    const { ports, calls, run } = await withCards(130);
    await run('markRead', { ids: ['card-129'] });
    for (const key of Object.keys(calls)) delete calls[key];
    expect(await run('markAllRead', {})).toEqual({ updated: 129 });
    // One write for all of them, whatever their number (it was a find per 100 and an update per card: 131 calls).
    expect(calls).toEqual({ 'notifications.updateWhere': 1 });
    expect(await run('unreadCount', {})).toEqual({ unread: 0 });
    expect(await run('unreadCount', {}, callers.lisi)).toEqual({ unread: 1 });
    expect(await run('markAllRead', {})).toEqual({ updated: 0 });
    expect((await ports.store.collection<NotificationDoc>('notifications').get('card-lisi'))?.read).toBe(false);
  });

  it('marks the cards named in one read, and refuses another claimant’s card without marking any', async () => {
    const { ports, calls, run } = await withCards(20);
    const ids = Array.from({ length: 20 }, (_, index) => `card-${String(index).padStart(3, '0')}`);
    expect(await run('markRead', { ids })).toEqual({ updated: 20 });
    // A read of all twenty (whose are they?) and one write for the unread among them (it was a write for each).
    expect(calls).toEqual({ 'notifications.find': 1, 'notifications.updateWhere': 1 });
    expect(await run('markRead', { ids })).toEqual({ updated: 0 });
    // All read already: nothing to write.
    expect(calls).toEqual({ 'notifications.find': 2, 'notifications.updateWhere': 1 });

    const mixed = await withCards(2);
    const refused = await invoke(
      notificationsFunction,
      { action: 'markRead', payload: { ids: ['card-000', 'card-lisi'] } },
      callers.zhangsan,
      mixed.ports,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await mixed.run('unreadCount', {})).toEqual({ unread: 2 });
    expect((await ports.store.collection<NotificationDoc>('notifications').get('card-lisi'))?.read).toBe(false);
  });
});
