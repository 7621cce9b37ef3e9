/**
 * The `calendar` function: the working-day calendar the due dates are counted with. Operators enter
 * a year's holiday arrangement from the State Council's notice, another puts it in force (four eyes); staff see which
 * years are covered and which wait.
 */
import * as z from 'zod';
import { calendarYearNumberSchema, calendarYears, type CalendarYear } from '../../src/core/workingCalendar';
import {
  approveCalendarYear,
  calendarProposals,
  proposeCalendarYear,
  withdrawCalendarYear,
  workingCalendar,
  type CalendarProposalDoc,
} from '../policies/calendar';
import { redateDueDays, scheduleRedate } from '../claims/redate';
import { defineAction, type FunctionDefinition } from './framework';

/** Pages of 100 open claims the approval itself counts again (the rest: the notify runs). */
const REDATE_PAGES_AT_APPROVAL = 10;

interface ProposalView {
  year: number;
  reference: string;
  holidays: number;
  makeUpWorkdays: number;
  proposedBy: string;
  proposedAt: string;
  revision: number;
}

function proposalView(doc: CalendarProposalDoc): ProposalView {
  return {
    year: doc.source.year,
    reference: doc.source.reference,
    holidays: Object.keys(doc.source.holidays).length,
    makeUpWorkdays: Object.keys(doc.source.makeUpWorkdays).length,
    proposedBy: doc.proposedBy,
    proposedAt: doc.proposedAt,
    revision: doc.revision,
  };
}

const yearStepSchema = z.strictObject({
  year: calendarYearNumberSchema,
  expectedRevision: z.number({ error: '缺少您核对的录入版本' }).int().min(1),
});

export const calendarFunction: FunctionDefinition = {
  /** The years the calendar covers, and the next year when it is not entered yet. */
  years: defineAction({
    input: z.strictObject({}),
    roles: ['reviewer', 'secondReviewer', 'operator'],
    async run(context): Promise<{
      years: Array<{ year: number; reference: string; holidays: number }>;
      missingNextYear: number | null;
      /** Entered, waiting for a second operator. */
      proposals: ProposalView[];
    }> {
      const calendar = await workingCalendar(context.store, context.clock);
      const years = calendarYears(calendar).map((entry) => ({
        year: entry.year,
        reference: entry.reference,
        holidays: Object.keys(entry.holidays).length,
      }));
      const nextYear = Number(new Date(context.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 4)) + 1;
      return {
        years,
        missingNextYear: calendar.years.has(nextYear) ? null : nextYear,
        proposals: (await calendarProposals(context.store)).map(proposalView),
      };
    },
  }),

  /**
   * 录入 one year's arrangement (放假 and 调休上班 dates with names, and the notice's 文号), validated by path: it waits
   * for another operator (`approveYear`) and counts no due day until then.
   */
  proposeYear: defineAction({
    input: z.strictObject({ arrangement: z.unknown() }),
    roles: ['operator'],
    async run(context, input): Promise<ProposalView> {
      return proposalView(
        await proposeCalendarYear(context.store, context.clock, context.caller.openid, input.arrangement),
      );
    },
  }),

  /** 复核生效: an operator other than the one who entered the year puts it in force, as they read it. */
  approveYear: defineAction({
    input: yearStepSchema,
    roles: ['operator'],
    async run(context, input): Promise<CalendarYear> {
      const approved = await approveCalendarYear(
        context.store,
        context.clock,
        context.caller.openid,
        input.year,
        input.expectedRevision,
        (tx) => scheduleRedate(tx, input.year, context.clock.now()),
      );
      // The open claims' due days counted again now, as far as a few pages go; the notify runs do the rest. The year is
      // in force whatever happens here (a failure is left to those runs, not said as a refusal of what was done).
      await redateDueDays(context, { pages: REDATE_PAGES_AT_APPROVAL }).catch(() => undefined);
      return approved;
    },
  }),

  /** 撤回 an entered year not yet in force (either operator). */
  withdrawYear: defineAction({
    input: yearStepSchema,
    roles: ['operator'],
    async run(context, input): Promise<{ year: number }> {
      await withdrawCalendarYear(context.store, input.year, input.expectedRevision);
      return { year: input.year };
    },
  }),
};
