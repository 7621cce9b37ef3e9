/**
 * The working-day calendar as data (法定节假日与调休): one entry per year, as the State Council's notice
 * (国务院办公厅关于 YYYY 年部分节假日安排的通知, published each November) gives it — holidays off,
 * make-up Saturdays and Sundays (调休上班) on. An operator adds next year's arrangement as data
 * (`calendarYearSchema`, loaded with `loadCalendar`), no release needed; a year without an arrangement
 * is counted Monday to Friday and named (`calendarNotice`) so the reviewer sees the date may move.
 *
 * Pure: dates are 'YYYY-MM-DD' business dates (Asia/Shanghai); no clock, no machine time zone.
 */
import * as z from 'zod';
import { DomainError } from './errors';
import { refuseUnsafeText } from './text';
import { dateFromDayNumber, dayNumber, isValidIsoDate, yearOf } from './policy/dates';
import { parseParams, zodIssues } from './validation';

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(date: string): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

const dayName = z
  .string({ error: '请填写节日名称（如 春节）' })
  .check(refuseUnsafeText('节日名称'))
  .trim()
  .min(1, '请填写节日名称（如 春节）')
  .max(20, '节日名称不超过 20 个字');
/**
 * A table of date → name. zod's record leaves out a key `__proto__` without a word (JSON.parse makes it an own key):
 * it is refused here as every other key that is not a date is (a probe's calendar lost it silently).
 */
const dayTable = (what: string) =>
  z
    .unknown()
    .superRefine((raw, ctx) => {
      if (raw !== null && typeof raw === 'object' && Object.hasOwn(raw, '__proto__'))
        ctx.addIssue({ code: 'custom', message: `${what}的键应为真实存在的日期（YYYY-MM-DD）`, path: ['__proto__'] });
    })
    .pipe(z.record(z.string(), dayName, { error: `${what}应为“日期 → 节日名称”的对照表` }));
const tableNames = { holidays: '放假日期', makeUpWorkdays: '调休上班日期' } as const;

/** A year the calendar may hold: the one entered, and the one a 复核生效 or 撤回 names. */
export const calendarYearNumberSchema = z
  .number({ error: '请填写年份' })
  .int('年份应为整数')
  .min(2004, '年份不早于 2004')
  .max(2100, '年份不晚于 2100');

/** One year's arrangement, as an operator enters it from the notice. */
export const calendarYearSchema = z
  .strictObject(
    {
      year: calendarYearNumberSchema,
      /** The notice it comes from, e.g. 国办发明电〔2026〕7号. */
      reference: z
        .string({ error: '请填写通知文号或标题' })
        .check(refuseUnsafeText('通知文号或标题'))
        .trim()
        .min(4, '请填写通知文号或标题')
        .max(200, '文号或标题不超过 200 个字'),
      holidays: dayTable('放假日期'),
      makeUpWorkdays: dayTable('调休上班日期').default({}),
    },
    // Anything but a table (a probe sent "2027" and read 此项必填): what an arrangement is.
    { error: '节假日安排应为一项 { year, reference, holidays, makeUpWorkdays } 的表，请按格式填写' },
  )
  .superRefine((entry, ctx) => {
    const first = `${entry.year - 1}-12-01`;
    const last = `${entry.year}-12-31`;
    if (Object.keys(entry.holidays).length === 0)
      ctx.addIssue({ code: 'custom', message: '至少填写一个放假日期', path: ['holidays'] });
    for (const [table, dates] of [
      ['holidays', Object.keys(entry.holidays)],
      ['makeUpWorkdays', Object.keys(entry.makeUpWorkdays)],
    ] as const) {
      for (const date of dates) {
        if (!isValidIsoDate(date)) {
          ctx.addIssue({
            code: 'custom',
            message: `${tableNames[table]}的键应为真实存在的日期（YYYY-MM-DD）`,
            path: [table, date],
          });
          continue;
        }
        if (date < first || date > last)
          ctx.addIssue({
            code: 'custom',
            message: `${date} 不在 ${entry.year} 年的安排范围内（${first} 至 ${last}）`,
            path: [table, date],
          });
        if (table === 'makeUpWorkdays') {
          const day = weekdayOf(date);
          if (day !== 0 && day !== 6)
            ctx.addIssue({ code: 'custom', message: `${date} 不是周六或周日，无需调休上班`, path: [table, date] });
          if (entry.holidays[date] !== undefined)
            ctx.addIssue({ code: 'custom', message: `${date} 不能既放假又调休上班`, path: [table, date] });
        }
      }
    }
  });

export type CalendarYearInput = z.input<typeof calendarYearSchema>;
export type CalendarYear = z.output<typeof calendarYearSchema>;

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeUpWorkday';

/** The calendar the working-day functions count with: the years it has arrangements for, and the days they change. */
export interface WorkingCalendar {
  readonly years: ReadonlyMap<number, { reference: string }>;
  readonly holidays: ReadonlyMap<string, string>;
  readonly makeUpWorkdays: ReadonlyMap<string, string>;
}

/** A calendar from years already checked; a later entry for the same year replaces the earlier one whole. */
export function buildCalendar(entries: readonly CalendarYear[]): WorkingCalendar {
  const byYear = new Map<number, CalendarYear>();
  for (const entry of entries) byYear.set(entry.year, entry);
  const years = new Map<number, { reference: string }>();
  const holidays = new Map<string, string>();
  const makeUpWorkdays = new Map<string, string>();
  for (const entry of [...byYear.values()].sort((a, b) => a.year - b.year)) {
    years.set(entry.year, { reference: entry.reference });
    // A year's own dates are its own: drop what another year's notice said about them.
    for (const map of [holidays, makeUpWorkdays])
      for (const date of [...map.keys()]) if (yearOf(date) === entry.year) map.delete(date);
    for (const [date, name] of Object.entries(entry.holidays)) holidays.set(date, name);
    for (const [date, name] of Object.entries(entry.makeUpWorkdays)) makeUpWorkdays.set(date, name);
  }
  return { years, holidays, makeUpWorkdays };
}

/**
 * An operator's calendar data (e.g. the documents of a collection), validated, over a base calendar:
 * an entry for a year the base has replaces it, a new year is added. Throws DomainError
 * CALENDAR_INVALID naming the path of every fault (`[0].makeUpWorkdays.2027-02-10: …`).
 */
export function loadCalendar(data: readonly unknown[], base?: WorkingCalendar): WorkingCalendar {
  const parsed = z.array(calendarYearSchema).safeParse(data, parseParams);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    const first = issues[0];
    throw new DomainError(
      'CALENDAR_INVALID',
      `节假日安排有误，${first ? `${first.path}：${first.message}` : ''}${issues.length > 1 ? `（共 ${issues.length} 处）` : ''}`,
      { issues },
    );
  }
  const seen = new Set<number>();
  parsed.data.forEach((entry, index) => {
    if (seen.has(entry.year))
      throw new DomainError('CALENDAR_INVALID', `节假日安排有误，[${index}].year：${entry.year} 年重复`, {
        issues: [{ path: `[${index}].year`, message: `${entry.year} 年重复` }],
      });
    seen.add(entry.year);
  });
  return buildCalendar([...(base ? calendarYears(base) : []), ...parsed.data]);
}

/** The years of a calendar back as data (the inverse of buildCalendar). */
export function calendarYears(calendar: WorkingCalendar): CalendarYear[] {
  const entries = new Map<number, CalendarYear>();
  for (const [year, { reference }] of calendar.years)
    entries.set(year, { year, reference, holidays: {}, makeUpWorkdays: {} });
  for (const [table, map] of [
    ['holidays', calendar.holidays],
    ['makeUpWorkdays', calendar.makeUpWorkdays],
  ] as const) {
    for (const [date, name] of map) {
      const entry = entries.get(yearOf(date)) ?? entries.get(yearOf(date) + 1);
      if (entry) entry[table][date] = name;
    }
  }
  return [...entries.values()];
}

export function dayKind(calendar: WorkingCalendar, date: string): DayKind {
  if (!isValidIsoDate(date)) throw new RangeError(`dayKind: not a date: ${date}`);
  if (calendar.makeUpWorkdays.has(date)) return 'makeUpWorkday';
  if (calendar.holidays.has(date)) return 'holiday';
  const day = weekdayOf(date);
  return day === 0 || day === 6 ? 'weekend' : 'workday';
}

export function isWorkingDay(calendar: WorkingCalendar, date: string): boolean {
  const kind = dayKind(calendar, date);
  return kind === 'workday' || kind === 'makeUpWorkday';
}

/** The holiday's (or make-up day's) name, else null. */
export function holidayName(calendar: WorkingCalendar, date: string): string | null {
  return calendar.makeUpWorkdays.get(date) ?? calendar.holidays.get(date) ?? null;
}

/** The n-th working day after a business date (n ≥ 1). */
export function addWorkingDays(calendar: WorkingCalendar, date: string, workingDays: number): string {
  if (!Number.isSafeInteger(workingDays) || workingDays < 1 || workingDays > 3660) {
    throw new RangeError(`addWorkingDays: working days must be an integer from 1 to 3660, got ${workingDays}`);
  }
  let day = dayNumber(date);
  let left = workingDays;
  while (left > 0) {
    day += 1;
    if (isWorkingDay(calendar, dateFromDayNumber(day))) left -= 1;
  }
  return dateFromDayNumber(day);
}

/** Working days after `from` up to and including `to` (business dates): 0 on the same day, negative when `to` is earlier. */
export function workingDaysBetweenDates(calendar: WorkingCalendar, from: string, to: string): number {
  const start = dayNumber(from);
  const end = dayNumber(to);
  const [low, high, sign] = start <= end ? [start, end, 1] : [end, start, -1];
  let count = 0;
  for (let day = low + 1; day <= high; day += 1) if (isWorkingDay(calendar, dateFromDayNumber(day))) count += 1;
  return sign * count;
}

/** The years from `from` to `to` (business dates) the calendar has no arrangement for. */
export function missingYears(calendar: WorkingCalendar, from: string, to: string): number[] {
  const missing: number[] = [];
  for (let year = yearOf(from); year <= yearOf(to); year += 1) if (!calendar.years.has(year)) missing.push(year);
  return missing;
}

/** What the reviewer reads when a count ran through years without an arrangement; null when none. */
export function calendarNotice(missing: readonly number[]): string | null {
  if (missing.length === 0) return null;
  return `${missing.map((year) => `${year} 年`).join('、')}的节假日安排尚未录入，办结时限暂按周一至周五计算，录入后可能变化`;
}
