/**
 * Every cloud function by name: the local server routes `POST /api/fn/:name` here; each cloud
 * entry binds one. Functions that need a sender (notify) are built from their dependencies.
 */
import { calendarFunction } from './handlers/calendar';
import { claimsFunction } from './handlers/claims';
import { filesFunction } from './handlers/files';
import { meFunction } from './handlers/me';
import type { FunctionDefinition } from './handlers/framework';
import { notificationsFunction } from './handlers/notifications';
import { notifyFunction, type NotifyDeps } from './handlers/notify';
import { paymentsFunction } from './handlers/payments';
import { policiesFunction } from './handlers/policies';
import { receiptsFunction, type ReceiptsDeps } from './handlers/receipts';
import { reviewFunction } from './handlers/review';

export function buildFunctions(notify: NotifyDeps, receipts: ReceiptsDeps): Record<string, FunctionDefinition> {
  return {
    calendar: calendarFunction,
    claims: claimsFunction,
    files: filesFunction,
    me: meFunction,
    notifications: notificationsFunction,
    notify: notifyFunction(notify),
    payments: paymentsFunction,
    policies: policiesFunction,
    review: reviewFunction,
    receipts: receiptsFunction(receipts),
  };
}
