/**
 * Due days counted again once a holiday year is put in force. A claim's 办结时限 is stored when it is filed, counted with
 * the calendar of that moment; where a year was not entered yet, its days were counted Monday to Friday (the claim page
 * said 录入后可能变化). The claim page counted it again with the calendar in force, but the queue, its 超期 filter, the
 * claimant's list and the dashboard read the stored day: a claim filed before the 2027 arrangement was entered kept a
 * due day inside the Spring Festival holiday in every list.
 *
 * `calendar.approveYear` records the job (`jobs/redateDueDays`: from which due day on), in the transaction that puts
 * the year in force; the claims still open whose stored due day is on or after it are counted again, a page at a time,
 * by the approval itself and then by each notify run until none is left — so a crash halfway, or another instance with
 * the calendar cached, never leaves it half done. Each claim is counted again in a transaction that reads it again
 * (a transition meanwhile is never overwritten), its dashboard facts with it; its version does not change (nothing the
 * reviewer decided changed: an open page is not refused for it). Paid claims keep theirs (counted at payment).
 */
import type { WorkingCalendar } from '../../src/core/workingCalendar';
import { readWorkingCalendar } from '../policies/calendar';
import type { PolicyCatalog } from '../policies/catalog';
import { MAX_PAGE_SIZE, type Clock, type Store, type StoredDoc, type Transaction } from '../ports';
import type { ClaimDoc } from '../repositories/claims';
import { dueDate, endOfShanghaiDay } from '../sla';
import { JOBS, OPEN_STATUSES, writeClaimFacts } from './dashboardFacts';

export const REDATE_JOB = 'redateDueDays';

/** What is left to count again: open claims due on or after `from` (an instant), past the id `after`. */
export interface RedateJobDoc extends StoredDoc {
  from: string | null;
  after: string | null;
  at: string;
}

/** Claims one transaction counts again. */
const CHUNK = 20;

/**
 * In the transaction that puts `year` in force: its days can move a due day from the December before it on (a notice
 * may name the last days of the year before, e.g. 元旦 from 12-30). A job already waiting starts again from the earlier day.
 */
export async function scheduleRedate(tx: Transaction, year: number, now: Date): Promise<void> {
  const from = endOfShanghaiDay(`${year - 1}-11-30`).toISOString();
  const waiting = await tx.get<RedateJobDoc>(JOBS, REDATE_JOB);
  const earliest = waiting?.from && waiting.from < from ? waiting.from : from;
  await tx.set<RedateJobDoc>(JOBS, { _id: REDATE_JOB, from: earliest, after: null, at: now.toISOString() });
}

type RedateSource = Pick<ClaimDoc, '_id' | 'submittedAt' | 'policy' | 'dueDate'>;

async function dueNow(claim: RedateSource, policies: PolicyCatalog, calendar: WorkingCalendar): Promise<string | null> {
  if (!claim.submittedAt || !claim.policy) return claim.dueDate;
  const policy = await policies.version(claim.policy.id, claim.policy.version);
  if (!policy) return claim.dueDate;
  return dueDate(new Date(claim.submittedAt), policy.processing.workingDays, calendar).toISOString();
}

/**
 * Up to `pages` pages of 100 open claims of the job, counted again with the calendar as stored now (not a cached
 * copy); records where it stopped, and clears the job at the last page. How many due days moved.
 */
export async function redateDueDays(
  context: { store: Store; clock: Clock; policies: PolicyCatalog },
  options: { pages: number },
): Promise<{ moved: number; complete: boolean }> {
  const { store } = context;
  const job = await store.collection<RedateJobDoc>(JOBS).get(REDATE_JOB);
  if (!job?.from) return { moved: 0, complete: true };
  const from = job.from;
  const calendar = await readWorkingCalendar(store);
  let after = job.after;
  let moved = 0;
  for (let page = 0; page < options.pages; page += 1) {
    const batch = await store.collection<ClaimDoc>('claims').find(
      {
        status: { $in: [...OPEN_STATUSES] },
        dueDate: { $gte: from },
        ...(after === null ? {} : { _id: { $gt: after } }),
      },
      { sort: { _id: 1 }, limit: MAX_PAGE_SIZE, fields: ['submittedAt', 'policy', 'dueDate'] },
    );
    const stale: string[] = [];
    for (const claim of batch)
      if ((await dueNow(claim, context.policies, calendar)) !== claim.dueDate) stale.push(claim._id);
    for (let start = 0; start < stale.length; start += CHUNK) {
      const ids = stale.slice(start, start + CHUNK);
      moved += await store.transaction(async (tx) => {
        let count = 0;
        for (const id of ids) {
          const claim = await tx.get<ClaimDoc>('claims', id);
          if (!claim || !OPEN_STATUSES.includes(claim.status)) continue;
          const due = await dueNow(claim, context.policies, calendar);
          if (due === claim.dueDate) continue;
          const written: ClaimDoc = { ...claim, dueDate: due };
          await tx.set('claims', written);
          await writeClaimFacts(tx, context.policies, calendar, written);
          count += 1;
        }
        return count;
      });
    }
    const complete = batch.length < MAX_PAGE_SIZE;
    after = batch.length > 0 ? batch[batch.length - 1]!._id : after;
    const done = await store.transaction(async (tx) => {
      // Another year approved meanwhile started the job again: its mark stands.
      const now = await tx.get<RedateJobDoc>(JOBS, REDATE_JOB);
      if (!now || now.at !== job.at) return false;
      await tx.set<RedateJobDoc>(JOBS, {
        _id: REDATE_JOB,
        from: complete ? null : from,
        after: complete ? null : after,
        at: job.at,
      });
      return true;
    });
    if (!done) return { moved, complete: false };
    if (complete) return { moved, complete: true };
  }
  return { moved, complete: false };
}
