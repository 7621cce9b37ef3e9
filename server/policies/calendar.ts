/**
 * The working-day calendar as operator data: the State Council publishes the next year's holiday
 * arrangement each November; an operator enters it (`calendars` collection, one document per year,
 * validated with src/core/workingCalendar.ts), a second operator checks it and puts it in force
 * (`calendarProposals` until then), and every function counts due dates with it within a minute — no release. Over the years the functions ship with (the chinese-days package); an
 * operator's year replaces the package's.
 */
import { DomainError } from '../../src/core/errors';
import { calendarYearSchema, type CalendarYear, type WorkingCalendar } from '../../src/core/workingCalendar';
import { zodIssues } from '../../src/core/validation';
import type { Clock, Store, Transaction } from '../ports';
import { builtInCalendar, calendarWithOperatorYears } from '../sla';

export interface CalendarYearDoc {
  /** The year, as text: '2027'. */
  _id: string;
  /** The arrangement as entered (CalendarYearInput). */
  source: unknown;
  /** Who entered it. */
  publishedBy: string;
  publishedAt: string;
  /** Who checked it and put it in force (four eyes); absent on years entered before it took two. */
  approvedBy?: string;
}

const REFRESH_MS = 60_000;
const cache = new WeakMap<Store, { at: number; calendar: WorkingCalendar }>();

/** The calendar in force: built-in years with the operators' over them (re-read at most once a minute). */
export async function workingCalendar(store: Store, clock: Clock): Promise<WorkingCalendar> {
  const now = clock.now().getTime();
  const hit = cache.get(store);
  if (hit && now - hit.at < REFRESH_MS) return hit.calendar;
  const calendar = await readWorkingCalendar(store);
  cache.set(store, { at: now, calendar });
  return calendar;
}

/** The calendar as stored now, not the copy kept for a minute (counting due days again must not use a stale one). */
export async function readWorkingCalendar(store: Store): Promise<WorkingCalendar> {
  const docs = await store.collection<CalendarYearDoc>('calendars').find({}, { sort: { _id: 1 }, limit: 100 });
  try {
    return docs.length > 0 ? calendarWithOperatorYears(docs.map((doc) => doc.source)) : builtInCalendar;
  } catch {
    // A stored year that no longer validates (it was validated at publication): count without it rather than stop.
    return builtInCalendar;
  }
}

/** One year's arrangement entered by an operator, not yet in force: another operator checks it and puts it in force. */
export interface CalendarProposalDoc {
  /** The year, as text: '2027'. */
  _id: string;
  source: CalendarYear;
  proposedBy: string;
  proposedAt: string;
  /** 1 when first entered, +1 each time it is entered again: the approver names the one they read. */
  revision: number;
}

export const CALENDAR_PROPOSALS = 'calendarProposals';

function notProposed(year: number): DomainError {
  return new DomainError(
    'CALENDAR_NOT_PROPOSED',
    `${year} 年的节假日安排没有待复核的录入（可能已经生效或已撤回），请刷新后查看。`,
  );
}

function changedSince(year: number): DomainError {
  return new DomainError('CONFLICT', `${year} 年的节假日安排在您查看后又被重新录入，请刷新，核对新的内容后再操作。`);
}

/**
 * 录入 one year's arrangement (validated by path): it waits for another operator (`approveCalendarYear`) and counts no
 * due day until then. Entered again before that, it replaces the waiting one (a correction) under a new revision.
 */
export async function proposeCalendarYear(
  store: Store,
  clock: Clock,
  by: string,
  source: unknown,
): Promise<CalendarProposalDoc> {
  const parsed = calendarYearSchema.safeParse(source);
  if (!parsed.success)
    throw new DomainError('CALENDAR_INVALID', '节假日安排有误，请按提示修改', { issues: zodIssues(parsed.error) });
  calendarWithOperatorYears([source]); // the same checks the loader makes, against the built-in years
  return store.transaction(async (tx) => {
    const waiting = await tx.get<CalendarProposalDoc>(CALENDAR_PROPOSALS, String(parsed.data.year));
    const proposal: CalendarProposalDoc = {
      _id: String(parsed.data.year),
      // What was checked, not what was sent: keys the parse drops (a raw "__proto__") are not stored either.
      source: parsed.data,
      proposedBy: by,
      proposedAt: clock.now().toISOString(),
      revision: (waiting?.revision ?? 0) + 1,
    };
    await tx.set<CalendarProposalDoc>(CALENDAR_PROPOSALS, proposal);
    return proposal;
  });
}

/**
 * 复核生效 (four eyes): an operator other than the one who entered it puts the year in force, as they read it
 * (`expectedRevision`); the store's cached calendar is dropped so this process counts with it at once.
 */
export async function approveCalendarYear(
  store: Store,
  clock: Clock,
  by: string,
  year: number,
  expectedRevision: number,
  /** Written with the year, or not at all (the due days to count again: server/claims/redate.ts). */
  inTransaction?: (tx: Transaction) => Promise<void>,
): Promise<CalendarYear> {
  const approved = await store.transaction(async (tx) => {
    const proposal = await tx.get<CalendarProposalDoc>(CALENDAR_PROPOSALS, String(year));
    if (!proposal) throw notProposed(year);
    if (proposal.revision !== expectedRevision) throw changedSince(year);
    if (proposal.proposedBy === by)
      throw new DomainError(
        'FOUR_EYES',
        '节假日安排需要另一位运维人员核对后生效：这一年是您录入的，请交由另一位运维人员对照国务院办公厅通知核对。',
      );
    await tx.set<CalendarYearDoc>('calendars', {
      _id: proposal._id,
      source: proposal.source,
      publishedBy: proposal.proposedBy,
      publishedAt: clock.now().toISOString(),
      approvedBy: by,
    });
    await tx.remove(CALENDAR_PROPOSALS, proposal._id);
    await inTransaction?.(tx);
    return proposal.source;
  });
  cache.delete(store);
  return approved;
}

/** 撤回: an entered year not yet in force is dropped, by either operator (as they read it). */
export async function withdrawCalendarYear(store: Store, year: number, expectedRevision: number): Promise<void> {
  await store.transaction(async (tx) => {
    const proposal = await tx.get<CalendarProposalDoc>(CALENDAR_PROPOSALS, String(year));
    if (!proposal) throw notProposed(year);
    if (proposal.revision !== expectedRevision) throw changedSince(year);
    await tx.remove(CALENDAR_PROPOSALS, proposal._id);
  });
}

/** The years entered and waiting for a second operator, by year. */
export async function calendarProposals(store: Store): Promise<CalendarProposalDoc[]> {
  return store.collection<CalendarProposalDoc>(CALENDAR_PROPOSALS).find({}, { sort: { _id: 1 }, limit: 100 });
}
