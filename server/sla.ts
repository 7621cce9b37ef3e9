/**
 * Working-day SLA of a claim (办结时限): the due date is the submission's business date plus the
 * policy's working days, counted with the official Chinese holiday calendar — holidays (法定节假日)
 * are off, make-up Saturdays and Sundays (调休上班) are working days.
 *
 * The calendar is the data of `chinese-days` (国务院办公厅 notices, 2004 to the last year it ships);
 * we read its tables directly instead of its isWorkday(), whose date parsing follows the machine time
 * zone. Business dates are Asia/Shanghai (UTC+8, no daylight saving), computed from the instant —
 * never from the machine zone, which is UTC in the cloud. Beyond the calendar's last year (the State
 * Council publishes each year's arrangement in the autumn before), days are counted as Monday to
 * Friday and the result says it is provisional.
 *
 * Counting: day 1 is the first working day after the submission's business date (受理次日起算), so a
 * claim submitted on Friday with 1 working day is due on Monday; the claim is overdue once the due
 * day has ended in Shanghai.
 */
import calendar from 'chinese-days/dist/chinese-days.json';
import { SHANGHAI_OFFSET_MS, shanghaiDate } from '../src/core/deadline';
import { dateFromDayNumber, dayNumber, isValidIsoDate } from '../src/core/policy/dates';

const DAY_MS = 24 * 60 * 60 * 1000;

interface CalendarData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const data = calendar as CalendarData;
const years = Object.keys(data.holidays).map((date) => Number(date.slice(0, 4)));

/** The years the official calendar covers, e.g. { firstYear: 2004, lastYear: 2026 }. */
export const calendarCoverage = { firstYear: Math.min(...years), lastYear: Math.max(...years) } as const;

export function isCalendarCovered(date: string): boolean {
  const year = Number(date.slice(0, 4));
  return year >= calendarCoverage.firstYear && year <= calendarCoverage.lastYear;
}

/** 0 = Sunday … 6 = Saturday, for a 'YYYY-MM-DD' (1970-01-01 was a Thursday). */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeUpWorkday';

/** What kind of day a business date is: 调休 make-up days are working days, holidays are not. */
export function dayKind(date: string): DayKind {
  if (!isValidIsoDate(date)) throw new RangeError(`dayKind: not a date: ${date}`);
  if (data.workdays[date] !== undefined) return 'makeUpWorkday';
  if (data.holidays[date] !== undefined) return 'holiday';
  const day = weekday(dayNumber(date));
  return day === 0 || day === 6 ? 'weekend' : 'workday';
}

export function isWorkingDay(date: string): boolean {
  const kind = dayKind(date);
  return kind === 'workday' || kind === 'makeUpWorkday';
}

/** The holiday's Chinese name (e.g. 国庆节) or the make-up day's, else null. */
export function holidayName(date: string): string | null {
  const entry = data.workdays[date] ?? data.holidays[date];
  return entry === undefined ? null : (entry.split(',')[1] ?? null);
}

/** The n-th working day after a business date (n ≥ 1). */
export function addWorkingDays(date: string, workingDays: number): string {
  if (!Number.isSafeInteger(workingDays) || workingDays < 1 || workingDays > 3660) {
    throw new RangeError(`addWorkingDays: working days must be an integer from 1 to 3660, got ${workingDays}`);
  }
  let day = dayNumber(date);
  let left = workingDays;
  while (left > 0) {
    day += 1;
    if (isWorkingDay(dateFromDayNumber(day))) left -= 1;
  }
  return dateFromDayNumber(day);
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
  /** False when some counted day lies beyond the official calendar: the date may move once it is published. */
  calendarComplete: boolean;
}

export function dueDateDetail(submittedAt: Date, workingDays: number): DueDateDetail {
  instantOk(submittedAt, 'dueDate');
  const submittedDay = shanghaiDate(submittedAt);
  const dueDay = addWorkingDays(submittedDay, workingDays);
  return { dueDay, due: endOfShanghaiDay(dueDay), submittedDay, calendarComplete: isCalendarCovered(submittedDay) && isCalendarCovered(dueDay) };
}

/** The instant the SLA ends: the end (Shanghai) of the `workingDays`-th working day after submission. */
export function dueDate(submittedAt: Date, workingDays: number): Date {
  return dueDateDetail(submittedAt, workingDays).due;
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
export function workingDaysBetween(from: Date, to: Date): number {
  instantOk(from, 'workingDaysBetween');
  instantOk(to, 'workingDaysBetween');
  const start = dayNumber(shanghaiDate(from));
  const end = dayNumber(shanghaiDate(to));
  const [low, high, sign] = start <= end ? [start, end, 1] : [end, start, -1];
  let count = 0;
  for (let day = low + 1; day <= high; day += 1) if (isWorkingDay(dateFromDayNumber(day))) count += 1;
  return sign * count;
}

/** Working days left until the due day (0 on the due day itself, negative once overdue). */
export function workingDaysLeft(due: Date, now: Date): number {
  return workingDaysBetween(now, due);
}
