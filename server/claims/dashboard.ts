/**
 * The reviewers' dashboard. Once every submitted claim has its facts stored beside it
 * (server/claims/dashboardFacts.ts), the figures are the store's counts of those facts by group: six
 * calls, whatever the number of claims (in the WeChat cloud, its aggregation; in SQL, GROUP BY).
 *
 * Until then (an installation upgraded from before the facts, while `backfillClaimFacts` works through
 * its claims), every submitted claim is read: 100 at a time after the last id read (a skip walks every
 * earlier claim again, n²/200 steps), only the fields the facts need, letting the requests already
 * waiting run between pages (at 122,000 claims the whole read is ≈ 4 s of the server's one thread).
 */
import {
  dashboardFiguresOf,
  dashboardGroupsOf,
  dashboardPeriods,
  type DashboardClaim,
  type DashboardFigures,
  type DashboardGroups,
} from '../../src/core/dashboard';
import type { PolicyCatalog } from '../policies/catalog';
import { workingCalendar } from '../policies/calendar';
import { MAX_PAGE_SIZE, type Clock, type Group, type Store } from '../ports';
import {
  BACKFILL_MARKER,
  backfillClaimFacts,
  CLAIM_FACTS,
  dashboardClaimOf,
  FACT_FIELDS,
  JOBS,
  OPEN_STATUSES,
  submittedClaimsAfter,
  SUBMITTED_STATUSES,
  type BackfillMarkerDoc,
  type ClaimFactsDoc,
  type FactsSource,
} from './dashboardFacts';

/** A turn of the event loop: the requests already waiting run before the next synchronous SQLite call. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Count per first key value. */
const countsOf = (groups: readonly Group[]): Map<string, number> =>
  new Map(groups.map((group) => [String(group.key[0]), group.count]));

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/** The groups counted by the store over the claims' stored facts: six calls. */
export async function groupsFromFacts(store: Store, now: Date): Promise<DashboardGroups> {
  const facts = store.collection<ClaimFactsDoc>(CLAIM_FACTS);
  const { weeks, months } = dashboardPeriods(now);
  const submitted = { status: { $in: [...SUBMITTED_STATUSES] } };
  // One call after another, each after a turn of the event loop: a SQLite store without its reading thread answers
  // synchronously (from its indexes, 6–13 ms a call over 100,000 facts; it was 0.04–0.25 s before `counted`), and the
  // requests waiting meanwhile run between the calls, not after all six (calls given at once each waited only for the
  // same check phase: a health check waited 723 ms in the bench).
  const inTurn = async <R>(call: () => Promise<R>): Promise<R> => {
    await nextTurn();
    return call();
  };
  // Status and 预审 in one pass over every claim's facts (≤ 36 groups): the two full scans were the slowest calls.
  const byStatusAndPrecheck = await inTurn(() => facts.groupCount(submitted, ['status', 'prechecked', 'clean']));
  const received = await inTurn(() => facts.groupCount({ submittedWeek: { $in: weeks } }, ['submittedWeek']));
  const paidByWeek = await inTurn(() => facts.groupCount({ status: 'paid', paidWeek: { $in: weeks } }, ['paidWeek']));
  const paidByMonth = await inTurn(() =>
    facts.groupCount({ status: 'paid', paidMonth: { $in: months } }, ['paidMonth'], 'paidFen'),
  );
  const paidTimes = await inTurn(() =>
    facts.groupCount({ status: 'paid', paidWeek: { $ne: null } }, ['workingDays', 'workingDaysLimit']),
  );
  const overdue = await inTurn(() =>
    facts.count({ status: { $in: [...OPEN_STATUSES] }, dueDate: { $lt: now.toISOString() } }),
  );
  const byStatus = new Map<string, number>();
  for (const group of byStatusAndPrecheck)
    byStatus.set(String(group.key[0]), (byStatus.get(String(group.key[0])) ?? 0) + group.count);
  const prechecked = byStatusAndPrecheck.filter((group) => group.key[1] === true);
  return {
    byStatus,
    receivedByWeek: countsOf(received),
    paidByWeek: countsOf(paidByWeek),
    paidByMonth: new Map(
      paidByMonth.map((group) => [String(group.key[0]), { paidFen: group.sum, paidCount: group.count }]),
    ),
    paidTimes: paidTimes.map((group) => ({
      workingDays: numberOrNull(group.key[0]),
      limit: numberOrNull(group.key[1]),
      count: group.count,
    })),
    overdue,
    prechecked: prechecked.reduce((total, group) => total + group.count, 0),
    clean: prechecked.filter((group) => group.key[2] === true).reduce((total, group) => total + group.count, 0),
  };
}

/** The groups from every submitted claim, read page by page (while the facts are not complete). */
export async function groupsFromClaims(store: Store, policies: PolicyCatalog, clock: Clock): Promise<DashboardGroups> {
  const now = clock.now();
  const calendar = await workingCalendar(store, clock);
  const counted: DashboardClaim[] = [];
  let after: string | null = null;
  for (;;) {
    const batch: FactsSource[] = await submittedClaimsAfter<FactsSource>(store, after, FACT_FIELDS);
    for (const doc of batch) {
      const claim = await dashboardClaimOf(doc, policies, now, calendar);
      if (claim) counted.push(claim);
    }
    if (batch.length < MAX_PAGE_SIZE) break;
    after = batch[batch.length - 1]!._id;
    await nextTurn();
  }
  return dashboardGroupsOf(counted);
}

/**
 * The figures. While the facts are not complete, one page of the backfill comes first: a store with fewer
 * than 100 submitted claims (a new installation) completes it there and is counted from its facts at once.
 */
export async function dashboardOf(store: Store, policies: PolicyCatalog, clock: Clock): Promise<DashboardFigures> {
  const now = clock.now();
  const marker = await store.collection<BackfillMarkerDoc>(JOBS).get(BACKFILL_MARKER);
  const complete = marker?.complete || (await backfillClaimFacts({ store, policies, clock }, { pages: 1 })).complete;
  const groups = complete ? await groupsFromFacts(store, now) : await groupsFromClaims(store, policies, clock);
  return dashboardFiguresOf(groups, now);
}
