/**
 * The `review` function's inputs, shared by the handler (server/handlers/review.ts) and the app's
 * service (src/services/review.ts). Every step on a claim carries the status the reviewer saw
 * (`expectedStatus`) and its version (`expectedVersion`): when the claim has moved since — another reviewer decided or
 * corrected it, the claimant withdrew — the step answers CONFLICT instead of acting on a claim the reviewer has not seen.
 */
import * as z from 'zod';
import { queueSearchSchema } from '../queueSearch';
import { materialIds } from '../materials';
import { optionalPlainText, refuseUnsafeText } from '../text';
import { REASON_TEXT_MAX } from '../workflow';
import { claimIdSchema, claimStatusSchema, pageInputSchema } from './claimDraft';
import { claimLineItemsSchema, fileIdSchema } from './claim';
import { missingOr } from '../validation';

const expectation = {
  id: claimIdSchema,
  expectedStatus: z.enum(claimStatusSchema.options, {
    error: missingOr('缺少申请的当前状态，请刷新页面后再操作', '申请的当前状态不正确，请刷新页面后再操作'),
  }),
  /**
   * The claim's version as the reviewer loaded it: a step that kept the status (费用明细 corrected, 原件 received) moves
   * the version, so a decision sent with the status alone landed on figures the reviewer had not seen (black-box probe:
   * a correction and a 初审通过 at once both landed). Required since: the app always had it.
   */
  expectedVersion: z
    .number({ error: missingOr('缺少申请的版本，请刷新页面后再操作', '申请的版本不正确，请刷新页面后再操作') })
    .int('申请的版本不正确，请刷新页面后再操作')
    .min(1, '申请的版本不正确，请刷新页面后再操作'),
};

export const reviewQueueInputSchema = pageInputSchema.extend({
  /** Any status a submitted claim can have: drafts are their owners' alone. */
  status: claimStatusSchema
    .exclude(['draft'], {
      // Any other value read 没有草稿 too (a probe sent "PAID").
      error: (issue) =>
        issue.input === 'draft' ? '审核队列里没有草稿，请选择其他状态' : '不认识的申请状态，请从列表里选择',
    })
    .optional(),
  region: z
    .string()
    .regex(/^\d{6}$/, '统筹区代码为 6 位数字')
    .optional(),
  overdue: z.boolean().optional(),
  /** 可快速办理: only claims whose every pre-check passed. */
  clean: z.boolean().optional(),
  /**
   * Settled at 0 元 (true: 已办结（无报销款）, status 已支付 when no status is given) or with money to pay (false: status 已支付
   * alone means this); claims not yet settled match neither.
   */
  settledAtZero: z.boolean({ error: '「是否 0 元办结」只能是是或否' }).optional(),
  /** 邮寄编号 from an envelope (YB and 6 characters; case and spaces ignored): the claim it belongs to, whatever its status. */
  mailCode: z
    .string()
    .transform((raw) => raw.replace(/\s+/g, '').toUpperCase())
    .pipe(z.string().regex(/^YB[2-9A-HJ-NP-Z]{6}$/, '邮寄编号是 YB 加 6 位字母或数字，请按信封上的编号填写'))
    .optional(),
  /**
   * 查找申请: a 申请编号, 邮寄编号, the 参保人's 身份证号 or name, as typed (src/core/queueSearch.ts): the claims it names,
   * whatever their status (`status` is not applied with it; region, 已超期 and 可快速办理 still narrow them).
   */
  search: queueSearchSchema.optional(),
});
export type ReviewQueueInput = z.input<typeof reviewQueueInputSchema>;

export const reviewDecisionActions = [
  'passPreliminary',
  'passReview',
  'requestSupplement',
  'reject',
  'returnFromVerification',
] as const;

export const reviewDecisionInputSchema = z
  .strictObject({
    ...expectation,
    action: z.enum(reviewDecisionActions, { error: '不认识的审核操作' }),
    reasonCode: z.string().max(40).optional(),
    reasonText: optionalPlainText('说明', REASON_TEXT_MAX, { multiline: true }).optional(),
    materials: z
      .array(z.enum(materialIds, { error: '不认识的材料' }))
      .max(materialIds.length)
      .optional(),
    /**
     * 要求补件: photos of the claim sent back to be taken again (看不清、拍错): they leave the claim's materials in the
     * same transition (a receipt's registry keys freed), kept apart for the record (server/handlers/review.ts).
     */
    retakePhotos: z
      .array(fileIdSchema)
      .min(1)
      .max(20)
      .refine((list) => new Set(list).size === list.length, { message: '同一张照片选了两次' })
      .optional(),
  })
  .superRefine((input, context) => {
    // What a step does not take is refused, not dropped unseen: a reason given with 初审通过 was accepted and lost.
    const passing = input.action === 'passPreliminary' || input.action === 'passReview';
    for (const field of ['reasonCode', 'reasonText'] as const)
      if (passing && input[field] !== undefined)
        context.addIssue({ code: 'custom', path: [field], message: '通过这一步不需要填写原因' });
    if (input.action !== 'requestSupplement' && input.materials !== undefined)
      context.addIssue({ code: 'custom', path: ['materials'], message: '只有要求补件时才选择材料' });
    if (input.action !== 'requestSupplement' && input.retakePhotos !== undefined)
      context.addIssue({ code: 'custom', path: ['retakePhotos'], message: '只有要求补件时才能退回照片重拍' });
  });
export type ReviewDecisionInput = z.input<typeof reviewDecisionInputSchema>;

/** 复核通过, 登记原件, 办结: a step with nothing but the expectation. */
export const reviewStepInputSchema = z.strictObject(expectation);
export type ReviewStepInput = z.input<typeof reviewStepInputSchema>;

/**
 * 结算, with the figure the reviewer confirmed (the page's 结算预估, required): a settlement that would pay another — the person's
 * year moved meanwhile, another claim settled — is refused (SETTLEMENT_CHANGED), not written: the claim's version does not
 * move when the ledger does (a probe: 191.38 元 confirmed, 391.38 written).
 */
export const settleInputSchema = z.strictObject({
  ...expectation,
  // Required: a caller that sent none was settled at whatever the ledger gave at that moment (a probe's eight settles at
  // once: the last two paid 227.72 and 0 元, the year's limit used up meanwhile, and nobody had confirmed either).
  expectedPaidFen: z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? '缺少您确认的结算金额，请刷新页面，核对结算预估后再结算'
          : '结算金额不正确，请刷新页面后再结算',
    })
    .int('结算金额不正确，请刷新页面后再结算')
    .min(0, '结算金额不正确，请刷新页面后再结算')
    .max(10_000_000_000, '结算金额不正确，请刷新页面后再结算'),
});
export type SettleInput = z.input<typeof settleInputSchema>;

export const editLineItemsInputSchema = z.strictObject({
  ...expectation,
  lineItems: claimLineItemsSchema({
    empty: '至少保留一项费用',
    zero: '金额须大于 0；不予支付的项目请删除，或改为丙类',
  }),
  reason: z
    .string({ error: '请写明修改原因' })
    .check(refuseUnsafeText('修改原因', { multiline: true }))
    .trim()
    .min(2, '请写明修改原因')
    .max(REASON_TEXT_MAX, `修改原因不能超过 ${REASON_TEXT_MAX} 个字`),
});
export type EditLineItemsInput = z.input<typeof editLineItemsInputSchema>;

export const reviewGetInputSchema = z.strictObject({ id: claimIdSchema });

/**
 * 识别票据 (the `receipts` function, where the OCR is): a receipt photo of the claim nobody read, read for the reviewer.
 * No expectation: reading decides nothing, and a step taken meanwhile would refuse it after the seconds the OCR took.
 */
export const reviewReadReceiptInputSchema = z.strictObject({ id: claimIdSchema, fileID: fileIdSchema });
export type ReviewReadReceiptInput = z.input<typeof reviewReadReceiptInputSchema>;

/** What 识别票据 answers: the claim's version after the step, and how many fields the photo gave (0: no text made out). */
export interface ReviewReceiptRead {
  fileID: string;
  version: number;
  fieldsRead: number;
}

/** 快速办理: 初审 and 审核 of a clean claim in one confirmed tap — each still its own audited transition. */
export const fastPassInputSchema = reviewStepInputSchema;
export type FastPassInput = z.input<typeof fastPassInputSchema>;

/** Many clean claims at once (each passed separately; one refusal does not stop the others). */
export const fastPassManyInputSchema = z.strictObject({
  claims: z
    .array(reviewStepInputSchema, { error: '请选择要办理的申请' })
    .min(1, '请至少选择一份申请')
    .max(50, '一次最多办理 50 份'),
});
export type FastPassManyInput = z.input<typeof fastPassManyInputSchema>;

/** One claim's outcome in a batch: passed, or refused with a code and a sentence. */
export interface FastPassOutcome {
  id: string;
  ok: boolean;
  code?: string;
  message?: string;
}
