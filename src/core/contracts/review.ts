/**
 * The `review` function's inputs, shared by the handler (server/handlers/review.ts) and the app's
 * service (src/services/review.ts). Every step on a claim carries the status the reviewer saw
 * (`expectedStatus`): when the claim has moved since — another reviewer decided, the claimant
 * withdrew — the step answers CONFLICT instead of acting on a claim the reviewer has not seen.
 */
import * as z from 'zod';
import { lineItemSchema } from '../engine';
import { materialIds } from '../materials';
import { optionalPlainText, refuseUnsafeText } from '../text';
import { REASON_TEXT_MAX } from '../workflow';
import { claimIdSchema, claimStatusSchema, pageInputSchema } from './claimDraft';

const expectation = {
  id: claimIdSchema,
  expectedStatus: z.enum(claimStatusSchema.options, { error: '缺少申请的当前状态，请刷新页面后再操作' }),
  /** The claim's version as the reviewer loaded it (optional: stricter than the status). */
  expectedVersion: z.number().int().min(1).optional(),
};

export const reviewQueueInputSchema = pageInputSchema.extend({
  status: claimStatusSchema.optional(),
  region: z.string().regex(/^\d{6}$/, '统筹区代码为 6 位数字').optional(),
  overdue: z.boolean().optional(),
});
export type ReviewQueueInput = z.input<typeof reviewQueueInputSchema>;

export const reviewDecisionActions = ['passPreliminary', 'passReview', 'requestSupplement', 'reject', 'returnFromVerification'] as const;

export const reviewDecisionInputSchema = z.strictObject({
  ...expectation,
  action: z.enum(reviewDecisionActions, { error: '不认识的审核操作' }),
  reasonCode: z.string().max(40).optional(),
  reasonText: optionalPlainText('说明', REASON_TEXT_MAX, { multiline: true }).optional(),
  materials: z.array(z.enum(materialIds, { error: '不认识的材料' })).max(materialIds.length).optional(),
});
export type ReviewDecisionInput = z.input<typeof reviewDecisionInputSchema>;

/** 结算, 复核通过, 确认已支付, 登记原件: a step with nothing but the expectation. */
export const reviewStepInputSchema = z.strictObject(expectation);
export type ReviewStepInput = z.input<typeof reviewStepInputSchema>;

export const editLineItemsInputSchema = z.strictObject({
  ...expectation,
  lineItems: z.array(lineItemSchema).min(1, '至少保留一项费用').max(200),
  reason: z.string({ error: '请写明修改原因' }).check(refuseUnsafeText('修改原因', { multiline: true })).trim().min(2, '请写明修改原因').max(REASON_TEXT_MAX, `修改原因不能超过 ${REASON_TEXT_MAX} 个字`),
});
export type EditLineItemsInput = z.input<typeof editLineItemsInputSchema>;

export const reviewGetInputSchema = z.strictObject({ id: claimIdSchema });
