/**
 * The dashboard's facts of each submitted claim, stored beside it (`claimFacts`, same `_id`): what the
 * figures count, already worked out — its status, the ISO week it came in, its due date, 预审, and once
 * paid the week and month of payment, the fund's payment in fen, the working days it took and its
 * policy's limit. Every transition rewrites them in its own transaction (`writeClaimFacts`, from
 * server/claims/transition.ts), so they are exactly the claim's; the dashboard then asks the store to
 * count them by group (`Collection.groupCount`: a GROUP BY, or the WeChat database's aggregation)
 * instead of reading every claim — in the WeChat cloud, 100,000 claims were 1,000 calls of 100.
 *
 * Claims submitted before the facts existed get theirs from `backfillClaimFacts` (a few pages a notify
 * run, or all at once from `npm run migrate`). Until one pass has found every claim's facts written,
 * the dashboard reads the claims themselves (server/claims/dashboard.ts), as before.
 *
 * Working days are counted with the calendar in force when the claim is paid, and stay so: a holiday
 * arrangement published later does not recount a claim paid before it.
 */
import { claimNumberOf } from '../../src/core/claimNumber';
import { claimStatusSchema, liveClaimStatuses, type ClaimStatus } from '../../src/core/contracts/claimDraft';
import { monthOfInstant, weekOfInstant, type DashboardClaim } from '../../src/core/dashboard';
import type { WorkingCalendar } from '../../src/core/workingCalendar';
import { workingCalendar } from '../policies/calendar';
import type { PolicyCatalog } from '../policies/catalog';
import { MAX_PAGE_SIZE, type Clock, type Store, type StoredDoc, type Transaction } from '../ports';
import type { ClaimDoc } from '../repositories/claims';
import { getMany } from '../repositories/getMany';
import { isOverdue, workingDaysBetween } from '../sla';

export const CLAIM_FACTS = 'claimFacts';

/** The statuses a claim can have once submitted (facts exist for these only). */
export const SUBMITTED_STATUSES: readonly ClaimStatus[] = claimStatusSchema.options.filter(
  (status) => status !== 'draft',
);
/** Submitted and still in progress (not paid, rejected or withdrawn): the claims that can be overdue. */
export const OPEN_STATUSES: readonly ClaimStatus[] = liveClaimStatuses.filter((status) => status !== 'draft');

export interface ClaimFactsDoc extends StoredDoc {
  status: ClaimStatus;
  /** 申请编号 (YB and the id's last ten characters): the review queue's 查找申请 finds the claim by it (an index). */
  claimNumber: string;
  /** The claim's `version` these facts were worked out from. */
  claimVersion: number;
  /** ISO week of the Shanghai date of submission ('2026-W09'). */
  submittedWeek: string;
  dueDate: string | null;
  /** 预审 ran; and every check passed. */
  prechecked: boolean;
  clean: boolean;
  /** Paid (with its 确认已支付 event): the week and month of payment, the payment, working days taken. */
  paidWeek: string | null;
  paidMonth: string | null;
  paidFen: number | null;
  workingDays: number | null;
  /** The policy's limit in working days (null when its version is not known). */
  workingDaysLimit: number | null;
}

/** The collection of background jobs' progress (one document per job, its name the id). */
export const JOBS = 'jobs';

/**
 * The backfill's progress: `jobs/claimFactsBackfill.2`. Named anew when the facts gain a field (2: `claimNumber`), so an
 * installation whose pass was complete runs it again for the facts that lack it; until then the dashboard reads the claims.
 */
export interface BackfillMarkerDoc extends StoredDoc {
  /** Claims up to this id have their facts (keyset order). */
  after: string | null;
  complete: boolean;
  at: string;
}
export const BACKFILL_MARKER = 'claimFactsBackfill.2';

/** What the facts read of a claim (a `find`'s projection when the claims themselves are read). */
export const FACT_FIELDS = [
  'status',
  'version',
  'submittedAt',
  'events',
  'paidFen',
  'policy',
  'dueDate',
  'precheck.clean',
  'precheckClean',
] as const;

export type FactsSource = Pick<
  ClaimDoc,
  '_id' | 'status' | 'version' | 'submittedAt' | 'events' | 'paidFen' | 'policy' | 'dueDate' | 'precheckClean'
> & {
  precheck: Pick<NonNullable<ClaimDoc['precheck']>, 'clean'> | null | undefined;
};

/**
 * What a paid claim's figures need: when it was paid (or, settled at 0 元, closed without a transfer: 办结 all the
 * same), the working days that took, the policy's limit.
 */
async function paymentOf(
  doc: FactsSource,
  policies: PolicyCatalog,
  calendar: WorkingCalendar,
): Promise<{ paidAt?: string; workingDays?: number; workingDaysLimit?: number }> {
  const policy = doc.policy ? await policies.version(doc.policy.id, doc.policy.version) : undefined;
  const limit = policy ? { workingDaysLimit: policy.processing.workingDays } : {};
  const paidAt =
    doc.status === 'paid'
      ? [...doc.events].reverse().find((event) => event.action === 'markPaid' || event.action === 'closeWithoutPayment')
          ?.at
      : undefined;
  if (!paidAt || !doc.submittedAt) return limit;
  return {
    ...limit,
    paidAt,
    workingDays: workingDaysBetween(new Date(doc.submittedAt), new Date(paidAt), calendar),
  };
}

/** A claim as the figures count it as of `now` (null for a claim never submitted). */
export async function dashboardClaimOf(
  doc: FactsSource,
  policies: PolicyCatalog,
  now: Date,
  calendar: WorkingCalendar,
): Promise<DashboardClaim | null> {
  if (!doc.submittedAt || doc.status === 'draft') return null;
  const payment = await paymentOf(doc, policies, calendar);
  return {
    status: doc.status,
    submittedAt: doc.submittedAt,
    ...payment,
    ...(doc.paidFen !== null ? { paidFen: doc.paidFen } : {}),
    overdue: OPEN_STATUSES.includes(doc.status) && doc.dueDate !== null && isOverdue(new Date(doc.dueDate), now),
    prechecked: typeof doc.precheck?.clean === 'boolean',
    clean: doc.precheckClean === true,
  };
}

/** A claim's stored facts (null for a claim never submitted). */
export async function claimFactsOf(
  doc: FactsSource,
  policies: PolicyCatalog,
  calendar: WorkingCalendar,
): Promise<ClaimFactsDoc | null> {
  if (!doc.submittedAt || doc.status === 'draft') return null;
  const payment = doc.status === 'paid' ? await paymentOf(doc, policies, calendar) : {};
  const paid = payment.paidAt !== undefined;
  return {
    _id: doc._id,
    status: doc.status,
    claimNumber: claimNumberOf(doc._id),
    claimVersion: doc.version,
    submittedWeek: weekOfInstant(doc.submittedAt),
    dueDate: doc.dueDate,
    prechecked: typeof doc.precheck?.clean === 'boolean',
    clean: doc.precheckClean === true,
    paidWeek: paid ? weekOfInstant(payment.paidAt!) : null,
    paidMonth: paid ? monthOfInstant(payment.paidAt!) : null,
    paidFen: paid ? (doc.paidFen ?? 0) : null,
    workingDays: payment.workingDays ?? null,
    workingDaysLimit: paid ? (payment.workingDaysLimit ?? null) : null,
  };
}

/**
 * Writes a claim's facts in the transaction that wrote the claim (a claim never submitted has none), with the
 * calendar read before that transaction.
 */
export async function writeClaimFacts(
  tx: Transaction,
  policies: PolicyCatalog,
  calendar: WorkingCalendar,
  written: ClaimDoc,
): Promise<void> {
  const facts = await claimFactsOf(written, policies, calendar);
  if (facts) await tx.set(CLAIM_FACTS, facts);
}

/**
 * One page (100) of the submitted claims after the id `after` (null: from the first), in id order, reading `fields`:
 * paged after the last id, not skipped (a skip walks every earlier claim again: n²/200 steps for n claims). The filter
 * is `$ne: 'draft'`, not `$in` the submitted statuses: SQLite then walks the claims in `_id` order from `after`; with
 * `$in` it took the status index and sorted every claim for each page (the backfill: 308 s for 100,000 claims).
 */
export function submittedClaimsAfter<T extends StoredDoc>(
  store: Store,
  after: string | null,
  fields: readonly string[],
): Promise<T[]> {
  return store
    .collection<T>('claims')
    .find(after === null ? { status: { $ne: 'draft' } } : { status: { $ne: 'draft' }, _id: { $gt: after } }, {
      sort: { _id: 1 },
      limit: MAX_PAGE_SIZE,
      fields,
    });
}

/** Stored facts of this version of the claim, with every field of the facts as they are now (`claimNumber` came later). */
const current = (stored: Partial<ClaimFactsDoc> | null | undefined, version: number): boolean =>
  stored?.claimVersion === version && stored.claimNumber !== undefined;

/** Claims whose facts one backfill transaction writes (each a read of the claim and of its facts, and a write). */
const BACKFILL_CHUNK = 20;

/**
 * Writes the facts of submitted claims that have none (or facts of another version of the claim), up to
 * `pages` pages of 100 claims after where the last run stopped; records where it stopped, and `complete`
 * once a run reaches the last claim. Each claim's facts are written in a transaction that reads the claim
 * again, so a transition running meanwhile is never overwritten with older facts.
 */
export async function backfillClaimFacts(
  context: { store: Store; clock: Clock; policies: PolicyCatalog },
  options: { pages: number },
): Promise<{ written: number; complete: boolean }> {
  const { store } = context;
  const facts = store.collection<ClaimFactsDoc>(CLAIM_FACTS);
  const marker = await store.collection<BackfillMarkerDoc>(JOBS).get(BACKFILL_MARKER);
  if (marker?.complete) return { written: 0, complete: true };
  const calendar = await workingCalendar(store, context.clock);
  let after = marker?.after ?? null;
  let written = 0;
  for (let page = 0; page < options.pages; page += 1) {
    const batch = await submittedClaimsAfter<Pick<ClaimDoc, '_id' | 'status' | 'version'>>(store, after, [
      'status',
      'version',
    ]);
    const known = await getMany(
      facts,
      batch.map((doc) => doc._id),
      ['claimVersion', 'claimNumber'],
    );
    const missing = batch.filter((doc) => !current(known.get(doc._id), doc.version)).map((doc) => doc._id);
    for (let start = 0; start < missing.length; start += BACKFILL_CHUNK) {
      const ids = missing.slice(start, start + BACKFILL_CHUNK);
      written += await store.transaction(async (tx) => {
        let count = 0;
        for (const id of ids) {
          const claim = await tx.get<ClaimDoc>('claims', id);
          if (!claim) continue;
          if (current(await tx.get<ClaimFactsDoc>(CLAIM_FACTS, id), claim.version)) continue;
          const fresh = await claimFactsOf(claim, context.policies, calendar);
          if (!fresh) continue;
          await tx.set(CLAIM_FACTS, fresh);
          count += 1;
        }
        return count;
      });
    }
    const complete = batch.length < MAX_PAGE_SIZE;
    after = batch.length > 0 ? batch[batch.length - 1]!._id : after;
    await store.transaction(async (tx) => {
      await tx.set<BackfillMarkerDoc>(JOBS, {
        _id: BACKFILL_MARKER,
        after,
        complete,
        at: context.clock.now().toISOString(),
      });
    });
    if (complete) return { written, complete: true };
  }
  return { written, complete: false };
}
