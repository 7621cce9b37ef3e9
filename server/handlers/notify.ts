/**
 * The `notify` function: drains the notification outbox — status-change cards and the reminders due. Triggered by a timer in the cloud
 * (config.json `triggers`), by a loop in the local server, or by an operator on demand.
 */
import * as z from 'zod';
import { drainOutbox, type DrainReport } from '../notifications/outbox';
import type { Notifier } from '../notifications/notifier';
import { describeClaimEvent, describedFields, type NotifiableClaim } from '../notifications/describe';
import { dueReminders } from '../notifications/reminders';
import type { Ports } from '../ports';
import { defineAction, type FunctionDefinition } from './framework';

export interface NotifyDeps {
  notifier: Notifier;
  templateIds: Record<string, string | undefined>;
  /** Pages of 100 pending claims one run cards at most (the outbox's default when absent). */
  enqueuePages?: number;
}

/** One bounded slice of the outbox; `timeLeftMs` is the run's remaining time (the cloud function's timeout). */
export function drainWith(ports: Ports, deps: NotifyDeps, timeLeftMs?: () => number): Promise<DrainReport> {
  return drainOutbox<NotifiableClaim>({
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
      async run(context): Promise<DrainReport> {
        return drainWith(context, deps, timeLeftMs);
      },
    }),
  };
}
