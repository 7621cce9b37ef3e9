/** The dashboard's facts from the stored claims (every submitted claim, paged through 100 at a time). */
import { dashboardFigures, type DashboardClaim, type DashboardFigures } from '../../src/core/dashboard';
import type { PolicyCatalog } from '../policies/catalog';
import type { Clock, Store } from '../ports';
import { claimsOf, type ClaimDoc } from '../repositories/claims';
import { isOverdue, workingDaysBetween } from '../sla';
import { workingCalendar } from '../policies/calendar';
import type { WorkingCalendar } from '../../src/core/workingCalendar';

const CLOSED = new Set(['paid', 'rejected', 'withdrawn']);

async function factsOf(
  doc: ClaimDoc,
  policies: PolicyCatalog,
  now: Date,
  calendar: WorkingCalendar,
): Promise<DashboardClaim | null> {
  if (!doc.submittedAt) return null;
  const paidAt =
    doc.status === 'paid' ? [...doc.events].reverse().find((event) => event.action === 'markPaid')?.at : undefined;
  const policy = doc.policy ? await policies.version(doc.policy.id, doc.policy.version) : undefined;
  return {
    status: doc.status,
    submittedAt: doc.submittedAt,
    ...(paidAt
      ? { paidAt, workingDays: workingDaysBetween(new Date(doc.submittedAt), new Date(paidAt), calendar) }
      : {}),
    ...(doc.paidFen !== null ? { paidFen: doc.paidFen } : {}),
    ...(policy ? { workingDaysLimit: policy.processing.workingDays } : {}),
    overdue: !CLOSED.has(doc.status) && doc.dueDate !== null && isOverdue(new Date(doc.dueDate), now),
    prechecked: (doc.precheck ?? null) !== null,
    clean: doc.precheckClean === true,
  };
}

export async function dashboardOf(store: Store, policies: PolicyCatalog, clock: Clock): Promise<DashboardFigures> {
  const now = clock.now();
  const calendar = await workingCalendar(store, clock);
  const facts: DashboardClaim[] = [];
  const claims = claimsOf(store);
  for (let page = 0; ; page += 1) {
    const batch = await claims.find({ status: { $ne: 'draft' } }, { sort: { _id: 1 }, skip: page * 100, limit: 100 });
    for (const doc of batch) {
      const fact = await factsOf(doc, policies, now, calendar);
      if (fact) facts.push(fact);
    }
    if (batch.length < 100) break;
  }
  return dashboardFigures(facts, now);
}
