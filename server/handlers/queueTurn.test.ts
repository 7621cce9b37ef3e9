/**
 * Whose turn a claim in the queue is: each row says what the claim waits for before this reviewer can take it on (the
 * claimant's 补件, another 复核人员 after one's own 结算, the role 复核 needs), so the claim page's 下一份 skips it (a
 * desk walk was offered claims it could not act on).
 */
import { reviewFunction } from './review';
import { callers, embeddedPorts } from '../../test/support/ports';
import { actionsOn, filedClaim } from '../../test/support/calls';
import type { Page } from '../../src/core/contracts/claimDraft';
import type { ReviewQueueItem } from '../../src/core/contracts/views';
import type { Caller } from '../ports';

type Ports = Awaited<ReturnType<typeof embeddedPorts>>;

describe('the queue says whose turn each claim is', () => {
  let ports: Ports;
  beforeEach(async () => {
    ports = await embeddedPorts();
  });
  const { ok } = actionsOn(() => ports);
  const rowOf = async (caller: Caller, id: string): Promise<ReviewQueueItem> => {
    const page = await ok<Page<ReviewQueueItem>>(reviewFunction, caller, 'queue', { pageSize: 50 });
    return page.items.find((item) => item.id === id)!;
  };

  it('after 结算 the settler is told another 复核人员 takes it, a 经办 without the role that 复核 needs it, a second 复核人员 that it is theirs', async () => {
    const id = await filedClaim(ports, 'queue-turn-0001');
    expect((await rowOf(callers.reviewer, id)).waitingFor).toBeNull();
    for (const action of ['passPreliminary', 'passReview'])
      await ok(reviewFunction, callers.reviewer2, 'decide', { id, action });
    // Before the paper originals are in, 结算 waits for them.
    expect((await rowOf(callers.reviewer2, id)).waitingFor).toMatch(/收到原件并登记后才能结算/);
    await ok(reviewFunction, callers.reviewer2, 'receiveOriginals', { id });
    expect((await rowOf(callers.reviewer2, id)).waitingFor).toBeNull();
    await ok(reviewFunction, callers.reviewer2, 'settle', { id });
    expect((await rowOf(callers.reviewer2, id)).waitingFor).toMatch(/复核需由其他复核人员完成/);
    expect((await rowOf(callers.reviewer, id)).waitingFor).toBe('等待复核人员办理「复核通过」');
    const third: Caller = { openid: 'dev-openid-reviewer3', roles: ['claimant', 'reviewer', 'secondReviewer'] };
    expect((await rowOf(third, id)).waitingFor).toBeNull();
  });

  it('a claim sent back for 补件 waits for its claimant', async () => {
    const id = await filedClaim(ports, 'queue-turn-0002');
    await ok(reviewFunction, callers.reviewer, 'decide', {
      id,
      action: 'requestSupplement',
      reasonCode: 'invoiceUnclear',
      materials: ['invoice'],
    });
    const page = await ok<Page<ReviewQueueItem>>(reviewFunction, callers.reviewer, 'queue', {
      status: 'supplementRequested',
    });
    expect(page.items.map((item) => [item.id, item.waitingFor])).toEqual([[id, '等待申请人补件']]);
  });
});
