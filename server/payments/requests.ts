/**
 * What a payment request answered, kept by its request id: `paymentRequests/<id>` (the id derived from the caller and
 * the request id), written in the transaction that made or paid the batch. A retry — after a timeout, or ten copies
 * at once — reads it first and answers with the same batch; the same id with another body is refused. The claims'
 * events record a step's request id too, but a request naming other claims, or one paying a batch already paid, finds
 * none of them: a probe made a second batch under a used id, and nine of ten copies of 确认已支付 were told
 * BATCH_ALREADY_PAID for the payment they had made.
 */
import { createHash } from 'node:crypto';
import type { ActionContext } from '../handlers/framework';
import { requestIdReusedError } from '../claims/transition';
import type { StoredDoc, Transaction } from '../ports';

export const PAYMENT_REQUESTS = 'paymentRequests';

export type PaymentRequestAction = 'createBatch' | 'markPaid';

export interface PaymentRequestDoc extends StoredDoc {
  action: PaymentRequestAction;
  /** The request's digest (framework's `requestDigestOf`): what it asked. */
  requestDigest: string | null;
  batchNo: string;
  by: string;
  at: string;
}

const recordIdOf = (owner: string, requestId: string): string =>
  createHash('sha256').update(`payment-request\u0000${owner}\u0000${requestId}`).digest('hex').slice(0, 32);

/**
 * The batch this very request made or paid before (its record), or null: no request id, or none recorded. The same
 * id recorded for another action or another body is REQUEST_ID_REUSED.
 */
export async function batchAnsweredBefore(
  tx: Transaction,
  context: ActionContext,
  action: PaymentRequestAction,
): Promise<string | null> {
  if (context.requestId === undefined) return null;
  const record = await tx.get<PaymentRequestDoc>(
    PAYMENT_REQUESTS,
    recordIdOf(context.caller.openid, context.requestId),
  );
  if (!record) return null;
  if (record.action !== action || (record.requestDigest ?? null) !== (context.requestDigest ?? null))
    throw requestIdReusedError();
  return record.batchNo;
}

/** Records what the request answered, in its own transaction (nothing without a request id). */
export async function recordBatchAnswer(
  tx: Transaction,
  context: ActionContext,
  action: PaymentRequestAction,
  batchNo: string,
): Promise<void> {
  if (context.requestId === undefined) return;
  await tx.set<PaymentRequestDoc>(PAYMENT_REQUESTS, {
    _id: recordIdOf(context.caller.openid, context.requestId),
    action,
    requestDigest: context.requestDigest ?? null,
    batchNo,
    by: context.caller.openid,
    at: context.clock.now().toISOString(),
  });
}
