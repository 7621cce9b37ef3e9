/**
 * The `notify` function in the cloud: subscribe messages through the real SDK's
 * `openapi.subscribeMessage.send` (request captured by the emulator and checked against the
 * documented shape and value limits), bounded slices that stop before the function's deadline,
 * and each send marked before the next so an instance killed mid-send never sends twice.
 */
import { drainWith } from '../../server/handlers/notify';
import type { NotifiableClaim } from '../../server/notifications/describe';
import { WechatNotifier, type Notifier } from '../../server/notifications/notifier';
import {
  addGrants,
  drainOutbox,
  type MessageDoc,
  type OutboxClaim,
  type OutboxDeps,
} from '../../server/notifications/outbox';
import type { WxCloud } from '../../server/adapters/cloud/sdk';
import { cloudEmulatorPorts, FixedClock, portFactories } from '../support/ports';
import { checkSubscribeMessage } from './wechatLimits';

const clock = () => new FixedClock(new Date('2026-03-02T02:00:00Z'));

function pendingClaim(id: string): OutboxClaim {
  return {
    _id: id,
    _openid: `openid-${id}`,
    version: 2,
    events: [{ seq: 1, at: '2026-03-02T01:00:00.000Z', to: 'submitted' }],
    notifiedSeq: 0,
    notifyPending: true,
  };
}

function deps(
  store: OutboxDeps<OutboxClaim>['store'],
  c: FixedClock,
  notifier: Notifier,
  timeLeftMs?: () => number,
): OutboxDeps<OutboxClaim> {
  return {
    store,
    clock: c,
    notifier,
    templateIds: { accepted: 'tmpl-accepted' },
    describe: (claim) => ({
      title: '已受理',
      body: claim._id,
      message: { templateKey: 'accepted', data: { thing1: { value: '医保报销申请' } } },
    }),
    ...(timeLeftMs ? { timeLeftMs } : {}),
  };
}

describe.each(portFactories)('notify in slices (%s)', (_name, makePorts) => {
  it('stops before the time budget runs out and leaves the rest pending for the next run', async () => {
    const c = clock();
    const { store } = await makePorts({ clock: c });
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await store.collection<OutboxClaim>('claims').insert(pendingClaim(id));
      await addGrants(store, `openid-${id}`, 'accepted', 1);
    }
    let left = 7_000;
    const sent: string[] = [];
    const slow: Notifier = {
      send: async (message) => {
        left -= 1_500; // each send costs 1.5 s of the function's time
        sent.push(message.touser);
        return { ok: true };
      },
    };
    const first = await drainOutbox(deps(store, c, slow, () => left));
    expect(first.stoppedEarly).toBe(true);
    expect(sent.length).toBeLessThan(5);
    const pending = await store.collection<MessageDoc>('messages').count({ state: 'pending' });
    expect(pending).toBe(5 - sent.length);
    left = 60_000;
    const second = await drainOutbox(deps(store, c, slow, () => left));
    expect(second.stoppedEarly).toBe(false);
    expect([...sent].sort()).toEqual(['openid-a', 'openid-b', 'openid-c', 'openid-d', 'openid-e']);
  });

  it('marks a message before sending it: an instance frozen mid-send never sends it again', async () => {
    const c = clock();
    const { store } = await makePorts({ clock: c });
    await store.collection<OutboxClaim>('claims').insert(pendingClaim('k'));
    await addGrants(store, 'openid-k', 'accepted', 2);
    const sends: string[] = [];
    const frozen: Notifier = {
      send: (message) => {
        sends.push(message.touser);
        return new Promise(() => undefined); // the platform froze the instance here
      },
    };
    void drainOutbox(deps(store, c, frozen));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sends).toEqual(['openid-k']);
    c.advance(10 * 60_000);
    const working: Notifier = { send: async (message) => (sends.push(message.touser), { ok: true }) };
    await drainOutbox(deps(store, c, working));
    expect(sends).toEqual(['openid-k']);
    expect((await store.collection<MessageDoc>('messages').get('k-1'))?.state).toBe('sending');
  });
});

describe('subscribe messages through the real SDK', () => {
  it('sends the documented request (template_id, page, data within limits, miniprogram_state) and records refusals', async () => {
    const c = clock();
    const ports = await cloudEmulatorPorts({ clock: c });
    const claim: NotifiableClaim = {
      ...pendingClaim('m'),
      title: '北京协和医院门诊（异地临时外出就医）2026年2月20日的报销申请',
      amountFen: 133050,
      estimate: { totalPaid: 98765 },
      events: [
        { seq: 1, at: '2026-03-02T01:00:00.000Z', to: 'submitted' },
        {
          seq: 2,
          at: '2026-03-02T01:30:00.000Z',
          to: 'rejected',
          from: 'submitted',
          reason: '票据与就诊记录不一致，请核对后重新提交申请材料',
        },
      ],
    };
    await ports.store.collection<NotifiableClaim>('claims').insert(claim);
    await addGrants(ports.store, 'openid-m', 'accepted', 1);
    await addGrants(ports.store, 'openid-m', 'result', 1);
    let calls = 0;
    ports.emulator.openapi['subscribeMessage.send'] = () =>
      (calls += 1) === 1
        ? { errcode: 0, errmsg: 'ok' }
        : { errcode: 43101, errmsg: 'user refuse to accept the msg rid: 1' };
    const notifier = new WechatNotifier((ports.cloud as WxCloud).openapi as never, { miniprogramState: 'trial' });
    const report = await drainWith(ports, {
      notifier,
      templateIds: { accepted: 'tmpl-accepted', result: 'tmpl-result', paid: undefined },
    });
    expect(ports.emulator.openapiCalls.map((call) => call.api)).toEqual([
      'subscribeMessage.send',
      'subscribeMessage.send',
    ]);
    for (const call of ports.emulator.openapiCalls) {
      expect(Object.keys(call.data).sort()).toEqual([
        'data',
        'lang',
        'miniprogram_state',
        'page',
        'template_id',
        'touser',
      ]);
      expect(call.data.miniprogram_state).toBe('trial');
      expect(checkSubscribeMessage(call.data)).toEqual([]);
    }
    expect(report).toMatchObject({ sent: 1, refused: 1 });
    const refused = (await ports.store.collection<MessageDoc>('messages').find({ state: 'refused' }))[0];
    expect(refused?.lastError).toMatch(/^43101 /);
  });
});
