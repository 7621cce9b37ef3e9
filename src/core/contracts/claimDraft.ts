/**
 * The contract of a claim draft as the app sends it and the `claims` function accepts it.
 * Amounts travel as integer fen; the app parses what the person typed in yuan with `parseYuan`.
 */
import * as z from 'zod';
import { MAX_FEN } from '../money';
import { plainText } from '../text';
import { missingOr } from '../validation';

export const claimTitleSchema = plainText('报销标题', 40);

export const fenSchema = z
  .number({ error: '请填写金额' })
  .int('金额必须精确到分')
  .min(0, '金额不能为负数')
  .max(MAX_FEN, '金额过大，请核对');

export const positiveFenSchema = z
  .number({ error: '请填写金额' })
  .int('金额必须精确到分')
  .min(1, '金额必须大于 0')
  .max(MAX_FEN, '金额过大，请核对');

export const claimDraftInputSchema = z.strictObject({
  title: claimTitleSchema,
  amountFen: positiveFenSchema,
});
export type ClaimDraftInput = z.output<typeof claimDraftInputSchema>;

export const claimIdSchema = z
  .string({ error: missingOr('缺少申请编号', '申请编号格式不正确') })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, '申请编号格式不正确');

export const pageInputSchema = z.strictObject({
  page: z.number().int().min(1, '页码从 1 开始').max(10000).default(1),
  pageSize: z.number().int().min(1).max(50, '每页最多 50 条').default(20),
});

export const claimStatusSchema = z.enum([
  'draft',
  'submitted',
  'preliminaryPassed',
  'reviewPassed',
  'settled',
  'verified',
  'paid',
  'supplementRequested',
  'rejected',
  'withdrawn',
]);
export type ClaimStatus = z.output<typeof claimStatusSchema>;

/** A claim still in progress (drafts too): not yet paid, rejected or withdrawn. */
export const liveClaimStatuses: readonly ClaimStatus[] = [
  'draft',
  'submitted',
  'preliminaryPassed',
  'reviewPassed',
  'settled',
  'verified',
  'supplementRequested',
];

/** What the app receives for one claim in a list. */
export interface ClaimSummary {
  id: string;
  title: string;
  amountFen: number;
  status: ClaimStatus;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}
