import fc from 'fast-check';
import { isDomainError, type DomainError } from './errors';
import { dateFromDayNumber, dayNumber } from './policy/dates';
import {
  addWorkingDays,
  buildCalendar,
  calendarNotice,
  calendarYearSchema,
  calendarYears,
  dayKind,
  holidayName,
  isWorkingDay,
  loadCalendar,
  missingYears,
  weekdayOf,
  workingDaysBetweenDates,
  type CalendarYear,
} from './workingCalendar';

/** A made-up arrangement for 2027 (the real one is published in November 2026). */
const year2027: CalendarYear = calendarYearSchema.parse({
  year: 2027,
  reference: '测试数据：国务院办公厅关于 2027 年部分节假日安排的通知',
  holidays: { '2027-01-01': '元旦', '2027-02-05': '春节', '2027-02-08': '春节', '2027-02-09': '春节' },
  makeUpWorkdays: { '2027-02-06': '春节' },
});

function refusal(data: unknown[]): DomainError {
  try {
    loadCalendar(data);
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('a year of the calendar as data', () => {
  it('counts holidays off and make-up weekend days on; a year without an arrangement is Monday to Friday', () => {
    const calendar = loadCalendar([year2027]);
    expect(dayKind(calendar, '2027-01-01')).toBe('holiday');
    expect(holidayName(calendar, '2027-02-05')).toBe('春节');
    expect(weekdayOf('2027-02-06')).toBe(6);
    expect(dayKind(calendar, '2027-02-06')).toBe('makeUpWorkday');
    expect(isWorkingDay(calendar, '2027-02-06')).toBe(true);
    expect(dayKind(calendar, '2028-01-01')).toBe('weekend');
    expect(dayKind(calendar, '2028-01-03')).toBe('workday');
  });

  it('names the years a count runs through without an arrangement', () => {
    const calendar = loadCalendar([year2027]);
    expect(missingYears(calendar, '2026-12-30', '2027-01-06')).toEqual([2026]);
    expect(missingYears(calendar, '2027-12-30', '2028-01-06')).toEqual([2028]);
    expect(calendarNotice([2028])).toBe('2028 年的节假日安排尚未录入，办结时限暂按周一至周五计算，录入后可能变化');
    expect(calendarNotice([])).toBeNull();
  });

  it('refuses faulty data with the path of each fault, in Chinese', () => {
    const error = refusal([
      {
        year: 2027,
        reference: '通知文号',
        holidays: { '2027-02-30': '春节' },
        makeUpWorkdays: { '2027-02-10': '春节' },
      },
      { year: 2028, reference: '通知文号', holidays: {}, makeUpWorkdays: { '2028-01-01': '元旦' } },
    ]);
    expect(error.code).toBe('CALENDAR_INVALID');
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: '[0].holidays.2027-02-30', message: '放假日期的键应为真实存在的日期（YYYY-MM-DD）' },
        { path: '[0].makeUpWorkdays.2027-02-10', message: '2027-02-10 不是周六或周日，无需调休上班' },
        { path: '[1].holidays', message: '至少填写一个放假日期' },
      ]),
    );
    expect(refusal([{ ...year2027, holidays: { '2026-10-01': '国庆节' } }]).issues).toEqual([
      { path: '[0].holidays.2026-10-01', message: '2026-10-01 不在 2027 年的安排范围内（2026-12-01 至 2027-12-31）' },
    ]);
    expect(refusal([year2027, year2027]).message).toContain('2027 年重复');
    expect(refusal([{ ...year2027, holidays: { '2027-02-06': '春节' } }]).issues).toEqual([
      { path: '[0].makeUpWorkdays.2027-02-06', message: '2027-02-06 不能既放假又调休上班' },
    ]);
  });

  it("an operator's year replaces the base's whole, and a calendar reads back as the data it was built from", () => {
    const base = buildCalendar([{ ...year2027, holidays: { '2027-05-03': '劳动节' }, makeUpWorkdays: {} }]);
    const replaced = loadCalendar([year2027], base);
    expect(dayKind(replaced, '2027-05-03')).toBe('workday');
    expect(calendarYears(replaced)).toEqual([year2027]);
  });
});

describe('properties over any arrangement', () => {
  const yearArb = fc
    .record({
      year: fc.integer({ min: 2027, max: 2030 }),
      holidays: fc.uniqueArray(fc.integer({ min: 0, max: 364 }), { maxLength: 20 }),
      makeUp: fc.uniqueArray(fc.integer({ min: 0, max: 364 }), { maxLength: 6 }),
    })
    .map(({ year, holidays, makeUp }) => {
      const date = (offset: number) => dateFromDayNumber(dayNumber(`${year}-01-01`) + offset);
      const listed = holidays.map(date).filter((day) => day.startsWith(`${year}`));
      // A year needs at least one holiday: 1 January when none was drawn (before the make-up days are chosen,
      // so a Saturday 1 January, as in 2028, is never both).
      const off = listed.length > 0 ? listed : [`${year}-01-01`];
      const on = makeUp.map(date).filter((day) => [0, 6].includes(weekdayOf(day)) && !off.includes(day));
      return calendarYearSchema.parse({
        year,
        reference: '测试数据',
        holidays: Object.fromEntries(off.map((day) => [day, '节日'])),
        makeUpWorkdays: Object.fromEntries(on.map((day) => [day, '节日'])),
      });
    });

  it('the n-th working day after d is a working day, n working days after d', () => {
    fc.assert(
      fc.property(
        fc.array(yearArb, { maxLength: 3 }),
        fc.integer({ min: 0, max: 4 * 365 }),
        fc.integer({ min: 1, max: 60 }),
        (years, offset, n) => {
          const unique = [...new Map(years.map((entry) => [entry.year, entry])).values()];
          const calendar = loadCalendar(unique);
          const start = dateFromDayNumber(dayNumber('2027-01-01') + offset);
          const due = addWorkingDays(calendar, start, n);
          expect(isWorkingDay(calendar, due)).toBe(true);
          expect(workingDaysBetweenDates(calendar, start, due)).toBe(n);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('an arrangement that is not a table', () => {
  it.each(['2027', 2027, [2027], null])('%p is told what an arrangement is (a probe read 此项必填)', (value) => {
    const parsed = calendarYearSchema.safeParse(value);
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual([
      '节假日安排应为一项 { year, reference, holidays, makeUpWorkdays } 的表，请按格式填写',
    ]);
  });
});
