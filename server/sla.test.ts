import fc from 'fast-check';
import { isWorkday } from 'chinese-days';
import { dateFromDayNumber, dayNumber } from '../src/core/policy/dates';
import {
  addWorkingDays,
  calendarCoverage,
  calendarWithOperatorYears,
  isCalendarCovered,
  dayKind,
  dueDate,
  dueDateDetail,
  endOfShanghaiDay,
  holidayName,
  isOverdue,
  isWorkingDay,
  workingDaysBetween,
  workingDaysLeft,
} from './sla';

/** An instant given as Shanghai wall-clock time. */
const shanghai = (local: string) => new Date(`${local}+08:00`);

describe('the official calendar', () => {
  it('covers 2004 through 2026 (chinese-days 1.5.x)', () => {
    expect(calendarCoverage).toEqual({ firstYear: 2004, lastYear: 2026 });
  });

  it.each([
    ['2025-10-01', 'holiday', '国庆节'],
    ['2025-10-08', 'holiday', '国庆节'],
    ['2025-09-28', 'makeUpWorkday', '国庆节'], // Sunday, 调休上班
    ['2025-10-11', 'makeUpWorkday', '国庆节'], // Saturday, 调休上班
    ['2025-01-26', 'makeUpWorkday', '春节'],
    ['2025-01-28', 'holiday', '春节'],
    ['2025-02-08', 'makeUpWorkday', '春节'],
    ['2026-02-14', 'makeUpWorkday', '春节'],
    ['2026-02-23', 'holiday', '春节'],
    ['2026-09-25', 'holiday', '中秋'],
    ['2026-10-10', 'makeUpWorkday', '国庆节'],
    ['2025-10-09', 'workday', null],
    ['2025-10-12', 'weekend', null],
    ['2027-01-01', 'workday', null], // beyond the calendar: Monday to Friday only
  ])('%s is a %s (%s)', (date, kind, name) => {
    expect(dayKind(date)).toBe(kind);
    expect(holidayName(date)).toBe(name);
    expect(isWorkingDay(date)).toBe(kind === 'workday' || kind === 'makeUpWorkday');
  });

  it('refuses what is not a date', () => {
    expect(() => dayKind('2025-02-30')).toThrow(RangeError);
  });

  const offsetOk = new Date(2025, 0, 1).getTimezoneOffset() <= 0;
  (offsetOk ? it : it.skip)('agrees with chinese-days isWorkday() on every day it covers', () => {
    const mismatches: string[] = [];
    for (let day = dayNumber('2004-01-01'); day <= dayNumber('2026-12-31'); day += 1) {
      const date = dateFromDayNumber(day);
      if (isWorkingDay(date) !== isWorkday(date)) mismatches.push(date);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('dueDate', () => {
  it.each([
    // submitted (Shanghai wall clock), working days, due day — worked out by hand from the notices
    ['2025-09-30T10:00:00', 1, '2025-10-09'], // 国庆 + 中秋 1-8 Oct off
    ['2025-09-26T09:00:00', 1, '2025-09-28'], // Fri → Sun 28 Sep is 调休上班
    ['2025-09-30T10:00:00', 15, '2025-10-28'], // 9,10,11(Sat 调休),13-17,20-24,27,28
    ['2025-01-24T12:00:00', 2, '2025-01-27'], // Fri → Sun 26 Jan (调休) 1, Mon 27 2
    ['2025-01-27T12:00:00', 1, '2025-02-05'], // 春节 28 Jan - 4 Feb off
    ['2025-02-07T12:00:00', 1, '2025-02-08'], // Sat 8 Feb 调休上班
    ['2026-02-13T12:00:00', 1, '2026-02-14'], // Sat 14 Feb 调休上班
    ['2026-02-13T12:00:00', 2, '2026-02-24'], // 春节 15-23 Feb off
    ['2026-09-18T12:00:00', 1, '2026-09-20'], // Sun 20 Sep 调休上班
    ['2026-09-24T12:00:00', 1, '2026-09-28'], // 中秋 25-27 Sep off
    ['2026-09-24T12:00:00', 4, '2026-10-08'], // 28, 29, 30, 国庆 1-7 Oct off, 8
    ['2026-09-24T12:00:00', 6, '2026-10-10'], // 9, Sat 10 Oct 调休上班
  ])('submitted %s + %i working days → due %s', (local, days, due) => {
    const detail = dueDateDetail(shanghai(local), days);
    expect(detail.dueDay).toBe(due);
    expect(detail.calendarComplete).toBe(true);
    expect(dueDate(shanghai(local), days)).toEqual(shanghai(`${due}T23:59:59.999`));
  });

  it('takes the business date in Shanghai, not UTC: instants either side of 16:00 UTC', () => {
    // 2025-09-27T15:59Z is Saturday 23:59 in Shanghai → first working day Sun 28 Sep (调休).
    expect(dueDateDetail(new Date('2025-09-27T15:59:59.999Z'), 1)).toMatchObject({
      submittedDay: '2025-09-27',
      dueDay: '2025-09-28',
    });
    // One millisecond later it is Sunday 28 Sep in Shanghai (still the 27th in UTC) → due Mon 29 Sep.
    expect(dueDateDetail(new Date('2025-09-27T16:00:00.000Z'), 1)).toMatchObject({
      submittedDay: '2025-09-28',
      dueDay: '2025-09-29',
    });
    // Last evening before 国庆 vs first minute of it: both land on 9 Oct, counted from different days.
    expect(dueDateDetail(new Date('2025-09-30T15:59:00Z'), 1).dueDay).toBe('2025-10-09');
    expect(dueDateDetail(new Date('2025-09-30T16:00:00Z'), 1).dueDay).toBe('2025-10-09');
    expect(dueDateDetail(new Date('2025-09-30T15:59:00Z'), 2).dueDay).toBe('2025-10-10');
  });

  it('does not depend on the machine time zone', () => {
    const before = process.env.TZ;
    const sample = () => [
      dueDate(new Date('2025-09-27T16:00:00Z'), 1).toISOString(),
      workingDaysBetween(new Date('2025-09-27T16:00:00Z'), new Date('2025-10-20T03:00:00Z')),
    ];
    const inUtc = sample();
    try {
      for (const zone of ['America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Shanghai']) {
        process.env.TZ = zone;
        expect(sample()).toEqual(inUtc);
      }
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('says when the count runs past the published calendar, and names the year for the reviewer', () => {
    const detail = dueDateDetail(shanghai('2026-12-30T10:00:00'), 5);
    expect(detail).toMatchObject({ dueDay: '2027-01-06', calendarComplete: false, missingYears: [2027] });
    expect(detail.calendarNotice).toBe('2027 年的节假日安排尚未录入，办结时限暂按周一至周五计算，录入后可能变化');
    expect(dueDateDetail(shanghai('2025-09-30T10:00:00'), 1)).toMatchObject({ missingYears: [], calendarNotice: null });
  });

  it("counts with an operator's 2027 arrangement, entered as data without a release", () => {
    // Made-up data standing in for the notice the State Council publishes in November 2026.
    const calendar = calendarWithOperatorYears([
      {
        year: 2027,
        reference: '测试数据：国务院办公厅关于 2027 年部分节假日安排的通知',
        holidays: { '2027-01-01': '元旦' },
      },
    ]);
    const detail = dueDateDetail(shanghai('2026-12-30T10:00:00'), 5, calendar);
    expect(detail).toMatchObject({
      dueDay: '2027-01-07',
      calendarComplete: true,
      missingYears: [],
      calendarNotice: null,
    });
    expect(dayKind('2027-01-01', calendar)).toBe('holiday');
    expect(isCalendarCovered('2027-06-01', calendar)).toBe(true);
    // The package's own years are untouched.
    expect(dueDateDetail(shanghai('2025-09-30T10:00:00'), 1, calendar).dueDay).toBe('2025-10-09');
    expect(() =>
      calendarWithOperatorYears([{ year: 2027, reference: '某某通知文号', holidays: { '2027-02-30': '春节' } }]),
    ).toThrow(
      expect.objectContaining({
        code: 'CALENDAR_INVALID',
        message: expect.stringContaining('[0].holidays.2027-02-30'),
      }),
    );
  });

  it('refuses nonsense', () => {
    expect(() => dueDate(new Date(Number.NaN), 15)).toThrow(RangeError);
    expect(() => dueDate(new Date(), 0)).toThrow(RangeError);
    expect(() => dueDate(new Date(), 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-01-01', -1)).toThrow(RangeError);
  });
});

describe('isOverdue, workingDaysBetween', () => {
  const due = dueDate(shanghai('2025-09-30T10:00:00'), 1); // end of 9 Oct in Shanghai

  it('is overdue from the first instant after the due day ends in Shanghai', () => {
    expect(due.toISOString()).toBe('2025-10-09T15:59:59.999Z');
    expect(endOfShanghaiDay('2025-10-09')).toEqual(due);
    expect(isOverdue(due, new Date('2025-10-09T15:59:59.999Z'))).toBe(false);
    expect(isOverdue(due, new Date('2025-10-09T16:00:00.000Z'))).toBe(true);
    expect(() => isOverdue(due, new Date(Number.NaN))).toThrow(RangeError);
  });

  it('counts working days after the first business date up to the second', () => {
    expect(workingDaysBetween(shanghai('2025-09-30T09:00:00'), shanghai('2025-09-30T18:00:00'))).toBe(0);
    expect(workingDaysBetween(shanghai('2025-09-30T09:00:00'), shanghai('2025-10-08T18:00:00'))).toBe(0);
    expect(workingDaysBetween(shanghai('2025-09-30T09:00:00'), shanghai('2025-10-11T18:00:00'))).toBe(3);
    expect(workingDaysBetween(shanghai('2025-10-11T18:00:00'), shanghai('2025-09-30T09:00:00'))).toBe(-3);
    expect(workingDaysLeft(due, shanghai('2025-10-01T08:00:00'))).toBe(1);
    expect(workingDaysLeft(due, shanghai('2025-10-09T08:00:00'))).toBe(0);
    expect(workingDaysLeft(due, shanghai('2025-10-13T08:00:00'))).toBe(-3); // 10, 11 (调休), 13
  });

  it('property: workingDaysBetween(s, dueDate(s, n)) = n, and the due day is a working day', () => {
    const instant = fc.date({
      min: new Date('2004-01-01T00:00:00Z'),
      max: new Date('2026-10-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 30 }), (submitted, days) => {
        const detail = dueDateDetail(submitted, days);
        expect(isWorkingDay(detail.dueDay)).toBe(true);
        expect(workingDaysBetween(submitted, detail.due)).toBe(days);
        expect(isOverdue(detail.due, new Date(detail.due.getTime() + 1))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
