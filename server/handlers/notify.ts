/**
 * The `notify` function: drains the notification outbox — status-change cards and the reminders due. Triggered by a timer in the cloud
 * (config.json `triggers`), by a loop in the local server, or by an operator on demand. With time left, a run also writes
 * the dashboard facts of claims submitted before they existed (server/claims/dashboardFacts.ts), a few pages at a time,
 * until every claim has them; the due days of open claims a holiday year put in force since can move (server/claims/redate.ts).
 * Then a slice of the sweep of unattached uploads (server/files/sweep.ts): photos 30 days old
 * that no claim holds.
 */
import * as z from 'zod';
import { drainOutbox, type DrainReport } from '../notifications/outbox';
import type { Notifier } from '../notifications/notifier';
import { describeClaimEvent, describedFields, type NotifiableClaim } from '../notifications/describe';
import { dueReminders } from '../notifications/reminders';
import { backfillClaimFacts } from '../claims/dashboardFacts';
import { redateDueDays } from '../claims/redate';
import { sweepUnattachedUploads } from '../files/sweep';
import type { Ports } from '../ports';
import { defineAction, type FunctionDefinition } from './framework';

export interface NotifyDeps {
  notifier: Notifier;
  templateIds: Record<string, string | undefined>;
  /** Pages of 100 pending claims one run cards at most (the outbox's default when absent). */
  enqueuePages?: number;
  /** Pages of 100 claims a run looks through for missing dashboard facts (default FACT_PAGES). */
  factPages?: number;
}

/** Pages of 100 claims one run backfills at most: 1,000 claims, ≈ 50 transactions of 20. */
export const FACT_PAGES = 10;

/** Time a run keeps for the backfill to start at all (ms): it stops after a page, never in the middle of one. */
const BACKFILL_MARGIN_MS = 10_000;

export interface NotifyReport extends DrainReport {
  /** Dashboard facts written for claims that had none. */
  claimFacts: number;
  /** Open claims whose due day moved with a holiday year put in force since (server/claims/redate.ts). */
  dueDaysMoved: number;
  /** Uploads 30 days old that no claim held, removed. */
  uploadsRemoved: number;
}

/** One bounded slice of the outbox, then of the facts' backfill; `timeLeftMs` is the run's remaining time (the cloud function's timeout). */
export async function drainWith(ports: Ports, deps: NotifyDeps, timeLeftMs?: () => number): Promise<NotifyReport> {
  const report = await drainOutbox<NotifiableClaim>({
    store: ports.store,
    clock: ports.clock,
    notifier: deps.notifier,
    templateIds: deps.templateIds,
    describe: describeClaimEvent,
    describedFields,
    reminders: (now) => dueReminders(ports.store, now),
    ...(timeLeftMs ? { timeLeftMs } : {}),
    ...(deps.enqueuePages !== undefined ? { enqueuePages: deps.enqueuePages } : {}),
  });
  const outOfTime = (): boolean => Boolean(timeLeftMs && timeLeftMs() < BACKFILL_MARGIN_MS);
  if (report.stoppedEarly || outOfTime()) return { ...report, claimFacts: 0, dueDaysMoved: 0, uploadsRemoved: 0 };
  const backfill = await backfillClaimFacts(ports, { pages: deps.factPages ?? FACT_PAGES });
  if (outOfTime()) return { ...report, claimFacts: backfill.written, dueDaysMoved: 0, uploadsRemoved: 0 };
  const redated = await redateDueDays(ports, { pages: deps.factPages ?? FACT_PAGES });
  if (outOfTime()) return { ...report, claimFacts: backfill.written, dueDaysMoved: redated.moved, uploadsRemoved: 0 };
  const sweep = await sweepUnattachedUploads(
    { store: ports.store, files: ports.files, now: ports.clock.now() },
    timeLeftMs ? { timeLeftMs } : {},
  );
  return { ...report, claimFacts: backfill.written, dueDaysMoved: redated.moved, uploadsRemoved: sweep.removed };
}

/** Time left in a run that started at `startedAt` and must end within `timeoutMs` (config.json `timeout`). */
export function timeLeftOf(startedAt: number, timeoutMs: number, now: () => number = Date.now): () => number {
  return () => startedAt + timeoutMs - now();
}

export function notifyFunction(deps: NotifyDeps, timeLeftMs?: () => number): FunctionDefinition {
  return {
    drain: defineAction({
      input: z.strictObject({}),
      roles: ['operator'],
      async run(context): Promise<NotifyReport> {
        return drainWith(context, deps, timeLeftMs);
      },
    }),
  };
}
