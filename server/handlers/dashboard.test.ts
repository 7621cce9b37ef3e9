/**
 * The dashboard over more claims than one page of the store: every submitted claim counted once, drafts never —
 * read from the claims themselves, and counted by the store from each claim's facts once the backfill has written
 * them (the same figures, in a handful of calls).
 */
import type { ClaimStatus } from '../../src/core/contracts/claimDraft';
import { dashboardFiguresOf } from '../../src/core/dashboard';
import { countingCalls, embeddedPorts, FixedClock } from '../../test/support/ports';
import { newClaimDoc, type ClaimDoc } from '../repositories/claims';
import { dashboardOf, groupsFromClaims, groupsFromFacts } from '../claims/dashboard';
import {
  BACKFILL_MARKER,
  backfillClaimFacts,
  CLAIM_FACTS,
  JOBS,
  type BackfillMarkerDoc,
  type ClaimFactsDoc,
} from '../claims/dashboardFacts';

const statuses: ClaimStatus[] = ['draft', 'submitted', 'reviewPassed', 'paid', 'rejected', 'supplementRequested'];
const DAY = 86_400_000;

const now = new Date('2026-03-20T02:00:00Z');

/**
 * 257 claims written straight into the store, as an installation from before the dashboard facts holds them (no
 * facts), 43 of them drafts: three pages of the store's 100 after the drafts are left out. Returns what the figures
 * must count.
 */
async function seedClaims(store: Awaited<ReturnType<typeof embeddedPorts>>['store']) {
  const claims = store.collection<ClaimDoc>('claims');
  const expected = { byStatus: new Map<string, number>(), paid: 0, paidFen: 0, overdue: 0, prechecked: 0, clean: 0 };
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
  return expected;
}

describe('dashboardOf', () => {
  it('reads every submitted claim once across pages, with the fields its figures need', async () => {
    const ports = await embeddedPorts({ clock: new FixedClock(now) });
    const expected = await seedClaims(ports.store);

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

  it('backfills the facts page by page, then counts them in a handful of calls, to the same figures', async () => {
    const ports = await embeddedPorts({ clock: new FixedClock(now) });
    await seedClaims(ports.store);
    const fromClaims = dashboardFiguresOf(await groupsFromClaims(ports.store, ports.policies, ports.clock), now);
    const facts = ports.store.collection<ClaimFactsDoc>(CLAIM_FACTS);
    const jobs = ports.store.collection<BackfillMarkerDoc>(JOBS);

    // The dashboard itself takes one page of the backfill, and still reads the claims.
    const calls: Record<string, number> = {};
    expect(await dashboardOf(countingCalls(ports.store, calls), ports.policies, ports.clock)).toEqual(fromClaims);
    expect(calls['claims.find']).toBeGreaterThanOrEqual(3);
    const marker = (await jobs.get(BACKFILL_MARKER))!;
    expect(marker.complete).toBe(false);
    expect(await facts.count({})).toBe(100);

    // Runs pick up after the last claim done; the last one finds the rest and completes.
    expect(await backfillClaimFacts(ports, { pages: 1 })).toEqual({ written: 100, complete: false });
    expect(await backfillClaimFacts(ports, { pages: 5 })).toEqual({ written: 14, complete: true });
    expect(await backfillClaimFacts(ports, { pages: 5 })).toEqual({ written: 0, complete: true });

    const counted: Record<string, number> = {};
    const fromFacts = await dashboardOf(countingCalls(ports.store, counted), ports.policies, ports.clock);
    expect(fromFacts).toEqual(fromClaims);
    expect(counted).toEqual({ 'jobs.get': 1, 'claimFacts.groupCount': 5, 'claimFacts.count': 1 });
    expect(dashboardFiguresOf(await groupsFromFacts(ports.store, now), now)).toEqual(fromClaims);
  });

  it('the backfill rewrites facts of another version of the claim and leaves current ones alone', async () => {
    const ports = await embeddedPorts({ clock: new FixedClock(now) });
    await seedClaims(ports.store);
    while (!(await backfillClaimFacts(ports, { pages: 10 })).complete);
    const facts = ports.store.collection<ClaimFactsDoc>(CLAIM_FACTS);
    const [stale] = await facts.find({ status: 'paid' }, { limit: 1 });
    await facts.update(stale!._id, { claimVersion: stale!.claimVersion - 1, paidFen: 1 });
    await ports.store.collection<BackfillMarkerDoc>(JOBS).remove(BACKFILL_MARKER);

    expect(await backfillClaimFacts(ports, { pages: 10 })).toEqual({ written: 1, complete: true });
    expect(await facts.get(stale!._id)).toEqual(stale);
  });
});
