/**
 * The working-day calendar as operator data: the State Council publishes the next year's holiday
 * arrangement each November; an operator enters it (`calendars` collection, one document per year,
 * validated with src/core/workingCalendar.ts) and every function counts due dates with it within a
 * minute — no release. Over the years the functions ship with (the chinese-days package); an
 * operator's year replaces the package's.
 */
import { DomainError } from '../../src/core/errors';
import { calendarYearSchema, type CalendarYear, type WorkingCalendar } from '../../src/core/workingCalendar';
import { zodIssues } from '../../src/core/validation';
import type { Clock, Store } from '../ports';
import { builtInCalendar, calendarWithOperatorYears } from '../sla';

export interface CalendarYearDoc {
  /** The year, as text: '2027'. */
  _id: string;
  /** The arrangement as entered (CalendarYearInput). */
  source: unknown;
  publishedBy: string;
  publishedAt: string;
}

const REFRESH_MS = 60_000;
const cache = new WeakMap<Store, { at: number; calendar: WorkingCalendar }>();

/** The calendar in force: built-in years with the operators' over them (re-read at most once a minute). */
export async function workingCalendar(store: Store, clock: Clock): Promise<WorkingCalendar> {
  const now = clock.now().getTime();
  const hit = cache.get(store);
  if (hit && now - hit.at < REFRESH_MS) return hit.calendar;
  const docs = await store.collection<CalendarYearDoc>('calendars').find({}, { sort: { _id: 1 }, limit: 100 });
  let calendar = builtInCalendar;
  try {
    calendar = docs.length > 0 ? calendarWithOperatorYears(docs.map((doc) => doc.source)) : builtInCalendar;
  } catch {
    // A stored year that no longer validates (it was validated at publication): count without it rather than stop.
    calendar = builtInCalendar;
  }
  cache.set(store, { at: now, calendar });
  return calendar;
}

/** Validates and stores one year's arrangement; the store's cached calendar is dropped so this process sees it at once. */
export async function publishCalendarYear(
  store: Store,
  clock: Clock,
  by: string,
  source: unknown,
): Promise<CalendarYear> {
  const parsed = calendarYearSchema.safeParse(source);
  if (!parsed.success)
    throw new DomainError('CALENDAR_INVALID', '节假日安排有误，请按提示修改', { issues: zodIssues(parsed.error) });
  calendarWithOperatorYears([source]); // the same checks the loader makes, against the built-in years
  await store.transaction(async (tx) => {
    await tx.set<CalendarYearDoc>('calendars', {
      _id: String(parsed.data.year),
      // What was checked, not what was sent: keys the parse drops (a raw "__proto__") are not stored either.
      source: parsed.data,
      publishedBy: by,
      publishedAt: clock.now().toISOString(),
    });
  });
  cache.delete(store);
  return parsed.data;
}
