/**
 * The `notify` function: drains the notification outbox. Triggered by a timer in the cloud
 * (config.json `triggers`), by a loop in the local server, or by an operator on demand.
 */
import * as z from 'zod';
import { drainOutbox, type DrainReport } from '../notifications/outbox';
import type { Notifier } from '../notifications/notifier';
import { describeClaimEvent, type NotifiableClaim } from '../notifications/describe';
import type { Ports } from '../ports';
import { defineAction, type FunctionDefinition } from './framework';

export interface NotifyDeps {
  notifier: Notifier;
  templateIds: Record<string, string | undefined>;
}

export function drainWith(ports: Ports, deps: NotifyDeps): Promise<DrainReport> {
  return drainOutbox<NotifiableClaim>({ store: ports.store, clock: ports.clock, notifier: deps.notifier, templateIds: deps.templateIds, describe: describeClaimEvent });
}

export function notifyFunction(deps: NotifyDeps): FunctionDefinition {
  return {
    drain: defineAction({
      input: z.strictObject({}),
      roles: ['operator'],
      async run(context): Promise<DrainReport> {
        return drainWith(context, deps);
      },
    }),
  };
}
