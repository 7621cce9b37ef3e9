/**
 * Working-day SLA of a claim (办结时限): the due date is the submission's business date plus the
 * policy's working days, counted with the official Chinese holiday calendar — holidays (法定节假日)
 * are off, make-up Saturdays and Sundays (调休上班) are working days.
 *
 * The calendar is data (`src/core/workingCalendar.ts`): the built-in years come from `chinese-days`
 * (国务院办公厅 notices, 2004 to the last year it ships — we read its tables, not its isWorkday(), whose
 * date parsing follows the machine time zone); an operator's years (e.g. next year's notice, published
 * each November) are loaded with `calendarWithOperatorYears(data)` and passed to every function here
 * as `calendar`, no release needed. A year with no arrangement is counted Monday to Friday and named:
 * `dueDateDetail` returns the missing years and a sentence for the reviewer's screen.
 * Business dates are Asia/Shanghai (UTC+8, no daylight saving), computed from the instant — never
 * from the machine zone, which is UTC in the cloud.
 *
 * Counting: day 1 is the first working day after the submission's business date (受理次日起算), so a
 * claim submitted on Friday with 1 working day is due on Monday; the claim is overdue once the due
 * day has ended in Shanghai.
 */
// The two tables by name: the bundler leaves the package's third table (inLieuDays, ≈ 7 KB) out of each cloud function.
import { holidays, workdays } from 'chinese-days/dist/chinese-days.json';
import { SHANGHAI_OFFSET_MS, shanghaiDate } from '../src/core/deadline';
import { dayNumber } from '../src/core/policy/dates';
import {
  addWorkingDays as addWorkingDaysIn,
  buildCalendar,
  calendarNotice,
  dayKind as dayKindIn,
  holidayName as holidayNameIn,
  isWorkingDay as isWorkingDayIn,
  loadCalendar,
  missingYears,
  workingDaysBetweenDates,
  type CalendarYear,
  type DayKind,
  type WorkingCalendar,
} from '../src/core/workingCalendar';

export type { DayKind, WorkingCalendar } from '../src/core/workingCalendar';

const DAY_MS = 24 * 60 * 60 * 1000;

interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** chinese-days' tables as one entry per notice year ("National Day,国庆节,3" → 国庆节; a December 元旦 day belongs to the next year's notice). */
function packageYears(data: PackageData): CalendarYear[] {
  const years = new Map<number, CalendarYear>();
  const entryFor = (date: string, name: string): CalendarYear => {
    const year = Number(date.slice(0, 4)) + (date.slice(5, 7) === '12' && name === '元旦' ? 1 : 0);
    let entry = years.get(year);
    if (!entry) {
      entry = {
        year,
        reference: `国务院办公厅关于 ${year} 年部分节假日安排的通知（chinese-days 数据）`,
        holidays: {},
        makeUpWorkdays: {},
      };
      years.set(year, entry);
    }
    return entry;
  };
  for (const [table, source] of [
    ['holidays', data.holidays],
    ['makeUpWorkdays', data.workdays],
  ] as const) {
    for (const [date, value] of Object.entries(source)) {
      const name = value.split(',')[1] ?? '';
      entryFor(date, name)[table][date] = name;
    }
  }
  return [...years.values()];
}

/** The calendar shipped with the functions (the years of the chinese-days package). */
export const builtInCalendar: WorkingCalendar = buildCalendar(packageYears({ holidays, workdays } as PackageData));

/**
 * The built-in calendar with an operator's years over it (validated; an operator's year replaces the
 * package's). Throws DomainError CALENDAR_INVALID naming each fault's path.
 */
export function calendarWithOperatorYears(data: readonly unknown[]): WorkingCalendar {
  return loadCalendar(data, builtInCalendar);
}

const builtInYears = [...builtInCalendar.years.keys()];

/** The years the built-in calendar covers, e.g. { firstYear: 2004, lastYear: 2026 }. */
export const calendarCoverage = { firstYear: Math.min(...builtInYears), lastYear: Math.max(...builtInYears) } as const;

export function isCalendarCovered(date: string, calendar: WorkingCalendar = builtInCalendar): boolean {
  return calendar.years.has(Number(date.slice(0, 4)));
}

/** What kind of day a business date is: 调休 make-up days are working days, holidays are not. */
export function dayKind(date: string, calendar: WorkingCalendar = builtInCalendar): DayKind {
  return dayKindIn(calendar, date);
}

export function isWorkingDay(date: string, calendar: WorkingCalendar = builtInCalendar): boolean {
  return isWorkingDayIn(calendar, date);
}

/** The holiday's Chinese name (e.g. 国庆节) or the make-up day's, else null. */
export function holidayName(date: string, calendar: WorkingCalendar = builtInCalendar): string | null {
  return holidayNameIn(calendar, date);
}

/** The n-th working day after a business date (n ≥ 1). */
export function addWorkingDays(date: string, workingDays: number, calendar: WorkingCalendar = builtInCalendar): string {
  return addWorkingDaysIn(calendar, date, workingDays);
}

function instantOk(instant: Date, name: string): void {
  if (!Number.isFinite(instant.getTime())) throw new RangeError(`${name}: invalid Date`);
}

/** The last instant of a Shanghai business day: 23:59:59.999 +08:00. */
export function endOfShanghaiDay(date: string): Date {
  return new Date((dayNumber(date) + 1) * DAY_MS - SHANGHAI_OFFSET_MS - 1);
}

export interface DueDateDetail {
  /** The due business day, 'YYYY-MM-DD' (Asia/Shanghai). */
  dueDay: string;
  /** Its last instant (23:59:59.999 in Shanghai). */
  due: Date;
  /** The submission's business day. */
  submittedDay: string;
  /** False when some counted day lies in a year the calendar has no arrangement for: the date may move once it is entered. */
  calendarComplete: boolean;
  /** Those years (empty when complete). */
  missingYears: number[];
  /** The sentence for the reviewer's screen when years are missing (null when complete). */
  calendarNotice: string | null;
}

export function dueDateDetail(
  submittedAt: Date,
  workingDays: number,
  calendar: WorkingCalendar = builtInCalendar,
): DueDateDetail {
  instantOk(submittedAt, 'dueDate');
  const submittedDay = shanghaiDate(submittedAt);
  const dueDay = addWorkingDaysIn(calendar, submittedDay, workingDays);
  const missing = missingYears(calendar, submittedDay, dueDay);
  return {
    dueDay,
    due: endOfShanghaiDay(dueDay),
    submittedDay,
    calendarComplete: missing.length === 0,
    missingYears: missing,
    calendarNotice: calendarNotice(missing),
  };
}

/** The instant the SLA ends: the end (Shanghai) of the `workingDays`-th working day after submission. */
export function dueDate(submittedAt: Date, workingDays: number, calendar: WorkingCalendar = builtInCalendar): Date {
  return dueDateDetail(submittedAt, workingDays, calendar).due;
}

export function isOverdue(due: Date, now: Date): boolean {
  instantOk(due, 'isOverdue');
  instantOk(now, 'isOverdue');
  return now.getTime() > due.getTime();
}

/**
 * Working days after `from`'s business date up to and including `to`'s (Shanghai): 0 on the same day,
 * negative when `to` is earlier. `workingDaysBetween(s, dueDate(s, n)) === n`.
 */
export function workingDaysBetween(from: Date, to: Date, calendar: WorkingCalendar = builtInCalendar): number {
  instantOk(from, 'workingDaysBetween');
  instantOk(to, 'workingDaysBetween');
  return workingDaysBetweenDates(calendar, shanghaiDate(from), shanghaiDate(to));
}

/** Working days left until the due day (0 on the due day itself, negative once overdue). */
export function workingDaysLeft(due: Date, now: Date, calendar: WorkingCalendar = builtInCalendar): number {
  return workingDaysBetween(now, due, calendar);
}
