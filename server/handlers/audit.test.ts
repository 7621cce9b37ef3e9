/** The audit export and the dashboard over claims that went the whole way. */
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { invoke } from './framework';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { actionsOn, filedClaim, payThroughBatch } from '../../test/support/calls';
import type { AuditTrail, ClaimDetail } from '../../src/core/contracts/views';
import type { DashboardFigures } from '../../src/core/dashboard';

describe('audit export and dashboard', () => {
  it('the history names the staff, the policy version and its date, and carries the figures with their trace', async () => {
    const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
    const ports = await embeddedPorts({ clock });
    const { ok } = actionsOn(() => ports);
    await ports.store
      .collection<{ _id: string; name: string; roles: string[] }>('staff')
      .insert({ _id: callers.reviewer.openid, name: '王经办', roles: ['reviewer'] });
    await ports.store
      .collection<{ _id: string; name: string; roles: string[] }>('staff')
      .insert({ _id: callers.reviewer2.openid, name: '赵复核', roles: ['reviewer', 'secondReviewer'] });
    const id = await filedClaim(ports, 'audit-000001');
    for (const action of ['passPreliminary', 'passReview'])
      await ok(reviewFunction, callers.reviewer, 'decide', { id, action });
    await ok(reviewFunction, callers.reviewer, 'receiveOriginals', { id });
    clock.advance(2 * 86_400_000);
    await ok(reviewFunction, callers.reviewer, 'settle', { id });
    await ok(reviewFunction, callers.reviewer2, 'verify', { id });
    clock.advance(5 * 86_400_000); // Monday 2 → Monday 9 March: 5 working days
    await payThroughBatch(ports, callers.reviewer2, [id]);

    // The claimant sees each step taken, not the WeChat ids of the staff who took them (the reviewer's page names them).
    const seen = await ok<ClaimDetail>(claimsFunction, callers.zhangsan, 'get', { id });
    expect(seen.events.map((event) => event.actor)).toEqual([callers.zhangsan.openid, ...Array(7).fill('staff')]);
    const seenByStaff = await ok<ClaimDetail>(reviewFunction, callers.reviewer, 'get', { id });
    expect(seenByStaff.events.map((event) => event.actor)).toContain(callers.reviewer2.openid);

    const trail = await ok<AuditTrail>(reviewFunction, callers.reviewer2, 'audit', { id });
    expect(trail.claim).toMatchObject({
      id,
      status: 'paid',
      statusLabel: '已支付',
      claimNumber: expect.stringMatching(/^YB[0-9A-F]{10}$/),
    });
    expect(trail.policy).toMatchObject({
      id: 'dalian-employee-2025',
      effectiveFrom: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(trail.events.map((event) => [event.title, event.who])).toEqual([
      ['提交申请', '申请人'],
      ['初审通过', '王经办'],
      ['审核通过', '王经办'],
      ['登记纸质原件已收到', '王经办'],
      ['结算', '王经办'],
      ['复核通过', '赵复核'],
      ['编入支付批次', '赵复核'],
      // Another than who made the batch confirms the bank paid it.
      ['确认已支付', '王经办'],
    ]);
    // 赵复核 holds both roles: the payment steps after 复核 are his as 复核人员 (they read 经办审核人员).
    expect(trail.events.filter((event) => event.title === '编入支付批次').map((event) => event.role)).toEqual([
      '复核人员',
    ]);
    expect(trail.exportedBy).toBe('赵复核');
    expect(JSON.stringify(trail)).not.toMatch(/dev-openid-/);
    expect(trail.figures.map((entry) => entry.key)).toEqual(['estimate', 'settlement']);
    expect(trail.figures[1]?.result.trace.length).toBeGreaterThan(0);

    const figures = await ok<DashboardFigures>(reviewFunction, callers.reviewer, 'dashboard', {});
    expect(figures.processing).toMatchObject({
      paidCount: 1,
      medianWorkingDays: 5,
      limitWorkingDays: 20,
      withinLimitBp: 10_000,
    });
    expect(figures.byStatus.find((row) => row.status === 'paid')?.count).toBe(1);
    const csv = await ok<{ base64: string }>(reviewFunction, callers.reviewer, 'dashboardCsv', {});
    expect(Buffer.from(csv.base64, 'base64').toString('utf8')).toContain('受理到办结中位工作日,5');
    expect(await invoke(reviewFunction, { action: 'dashboard', payload: {} }, callers.zhangsan, ports)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
