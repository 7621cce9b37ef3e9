/**
 * The `calendar` function: the working-day calendar the due dates are counted with. Operators enter
 * a year's holiday arrangement from the State Council's notice; staff see which years are covered.
 */
import * as z from 'zod';
import { calendarYears, type CalendarYear } from '../../src/core/workingCalendar';
import { publishCalendarYear, workingCalendar } from '../policies/calendar';
import { defineAction, type FunctionDefinition } from './framework';

export const calendarFunction: FunctionDefinition = {
  /** The years the calendar covers, and the next year when it is not entered yet. */
  years: defineAction({
    input: z.strictObject({}),
    roles: ['reviewer', 'secondReviewer', 'operator'],
    async run(context): Promise<{
      years: Array<{ year: number; reference: string; holidays: number }>;
      missingNextYear: number | null;
    }> {
      const calendar = await workingCalendar(context.store, context.clock);
      const years = calendarYears(calendar).map((entry) => ({
        year: entry.year,
        reference: entry.reference,
        holidays: Object.keys(entry.holidays).length,
      }));
      const nextYear = Number(new Date(context.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 4)) + 1;
      return { years, missingNextYear: calendar.years.has(nextYear) ? null : nextYear };
    },
  }),

  /** One year's arrangement (放假 and 调休上班 dates with names, and the notice's 文号), validated by path. */
  publishYear: defineAction({
    input: z.strictObject({ arrangement: z.unknown() }),
    roles: ['operator'],
    async run(context, input): Promise<CalendarYear> {
      return publishCalendarYear(context.store, context.clock, context.caller.openid, input.arrangement);
    },
  }),
};
