/** The dashboard over more claims than one page of the store: every submitted claim counted once, drafts never. */
import type { ClaimStatus } from '../../src/core/contracts/claimDraft';
import { embeddedPorts, FixedClock } from '../../test/support/ports';
import { newClaimDoc, type ClaimDoc } from '../repositories/claims';
import { dashboardOf } from '../claims/dashboard';

const statuses: ClaimStatus[] = ['draft', 'submitted', 'reviewPassed', 'paid', 'rejected', 'supplementRequested'];
const DAY = 86_400_000;

describe('dashboardOf', () => {
  it('reads every submitted claim once across pages, with the fields its figures need', async () => {
    const now = new Date('2026-03-20T02:00:00Z');
    const ports = await embeddedPorts({ clock: new FixedClock(now) });
    const claims = ports.store.collection<ClaimDoc>('claims');
    const expected = { byStatus: new Map<string, number>(), paid: 0, paidFen: 0, overdue: 0, prechecked: 0, clean: 0 };
    // 257 claims, 43 of them drafts: three pages of the store's 100 after the drafts are left out.
    for (let index = 0; index < 257; index += 1) {
      const status = statuses[index % statuses.length]!;
      const submittedAt = new Date(now.getTime() - (20 + (index % 30)) * DAY).toISOString();
      const doc = newClaimDoc(`owner-${index % 17}`, `request-${index}`, submittedAt, {});
      const paidAt = new Date(now.getTime() - (index % 10) * DAY).toISOString();
      const open = !['paid', 'rejected'].includes(status);
      const precheck = index % 3 === 0 ? { clean: index % 2 === 0, outcomes: [] } : null;
      await claims.insert({
        ...doc,
        status,
        submittedAt: status === 'draft' ? null : submittedAt,
        dueDate: open && index % 4 === 0 ? new Date(now.getTime() - DAY).toISOString() : null,
        paidFen: status === 'paid' ? 1_000 + index : null,
        events:
          status === 'paid'
            ? [{ seq: 1, at: paidAt, from: 'verified', to: 'paid', action: 'markPaid', actor: 'reviewer' }]
            : [],
        precheck,
        precheckClean: precheck?.clean ?? false,
      } as ClaimDoc);
      if (status === 'draft') continue;
      expected.byStatus.set(status, (expected.byStatus.get(status) ?? 0) + 1);
      if (status === 'paid') {
        expected.paid += 1;
        expected.paidFen += 1_000 + index;
      }
      if (open && index % 4 === 0) expected.overdue += 1;
      if (precheck) expected.prechecked += 1;
      if (precheck?.clean) expected.clean += 1;
    }

    const figures = await dashboardOf(ports.store, ports.policies, ports.clock);

    expect(
      new Map(figures.byStatus.filter((row) => row.count > 0).map((row) => [row.status as string, row.count])),
    ).toEqual(expected.byStatus);
    expect(figures.byStatus.find((row) => row.status === 'draft')?.count ?? 0).toBe(0);
    expect(figures.processing.paidCount).toBe(expected.paid);
    expect(figures.monthly.reduce((sum, month) => sum + month.paidFen, 0)).toBe(expected.paidFen);
    expect(figures.overdue).toBe(expected.overdue);
    expect(figures.cleanBp).toBe(Math.round((expected.clean * 10_000) / expected.prechecked));
    expect(expected.prechecked).toBeGreaterThan(0);
  });
});
