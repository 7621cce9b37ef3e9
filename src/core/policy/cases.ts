/**
 * A policy's own example cases, as openfisca's YAML tests are: each names a claim (the visit, the
 * line items, optionally the year so far) and the figures the policy must give for it. The policy
 * document carries them in `cases` (docs/policy-format.md), so whoever changes a number sees at once
 * which worked examples it changes; the runner is `runPolicyCases` in ./runCases.ts.
 *
 *     { "name": "三级医院门诊 2,000 元",
 *       "visit": { "kind": "outpatient", "hospitalLevel": 3, "visitDate": "2025-03-01" },
 *       "lineItems": [{ "amountFen": 200000, "category": "A" }],
 *       "expected": { "deductibleTaken": 50000, "fundPays": 90000 } }
 *
 * Only the figures stated in `expected` are checked (within `margin` fen, 0 unless stated). The
 * insured person lives in the policy's region with its insurance type; `insured` may add `retired`
 * and `filedForOutOfRegion`. A line without `name` is「政策内费用」. The claim parts are checked by
 * the engine's own claim schema when the case runs, with the fault's path inside the case.
 *
 * This module holds only the schema (no engine import): the policy schema includes it, and the
 * engine imports the policy schema.
 */
import * as z from 'zod';
import { MAX_FEN } from '../money';

export const caseAmountKeys = [
  'total',
  'outOfPolicy',
  'categoryBSelfPay',
  'outOfRegionSelfPay',
  'inPolicy',
  'deductibleTaken',
  'fundPays',
  'majorIllnessPays',
  'allowances',
  'totalPaid',
  'claimantPays',
] as const;
export type CaseAmountKey = (typeof caseAmountKeys)[number];

const fen = z
  .number({ error: '金额应为以分为单位的整数（例如 1,300 元写 130000）' })
  .int('金额应为以分为单位的整数（例如 1,300 元写 130000）')
  .min(0, '金额不能为负数')
  .max(MAX_FEN, '金额过大');

/** Fields of one part of the claim; their names and values are checked by the engine's claim schema when the case runs. */
const claimPart = (what: string) => z.record(z.string(), z.unknown(), { error: `${what}应为一个对象` });

const expectedSchema = z.strictObject(
  Object.fromEntries(caseAmountKeys.map((key) => [key, fen.optional()])) as Record<
    CaseAmountKey,
    z.ZodOptional<typeof fen>
  >,
  { error: 'expected 应为一个对象：要核对的金额（分）' },
);

export const policyCaseSchema = z
  .strictObject({
    name: z.string({ error: '请写明案例名称' }).trim().min(1, '请写明案例名称').max(80, '案例名称不能超过 80 个字'),
    insured: claimPart('insured（参保人）').optional(),
    visit: claimPart('visit（就诊）'),
    lineItems: z
      .array(claimPart('费用明细'), { error: '请填写费用明细（lineItems）' })
      .min(1, '至少一项费用')
      .max(50, '一个案例最多 50 项费用'),
    /** The year so far (as `ledgerSchema`; the policy year is the one of the date of service unless stated). */
    ledger: claimPart('ledger（年度累计）').optional(),
    expected: expectedSchema.optional(),
    /** Cap ids that must bite (`fundCaps.main`, `outpatient.annualLimit`, …). */
    capsHit: z.array(z.string().max(80), { error: 'capsHit 应为封顶线名称的列表' }).max(20).optional(),
    /** The engine must refuse the claim with this code (e.g. POLICY_NOT_IN_FORCE). */
    expectedError: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{1,60}$/, 'expectedError 应为错误码（大写字母、数字和 _）')
      .optional(),
    /** Absolute error margin in fen for every figure (openfisca's absolute_error_margin); 0 unless stated. */
    margin: z.number().int('误差应为整数分').min(0, '误差不能为负数').max(10000, '误差最多 10000 分').optional(),
    /** The hand computation, in words a policy officer can check. */
    arithmetic: z.string().max(1000, '手算过程不能超过 1000 个字').optional(),
  })
  .superRefine((value, ctx) => {
    const stated = value.expected ? Object.values(value.expected).some((amount) => amount !== undefined) : false;
    if (!stated && !value.expectedError && !value.capsHit) {
      ctx.addIssue({
        code: 'custom',
        message: '请在 expected 中写出至少一个要核对的金额（或 expectedError）',
        path: ['expected'],
      });
    }
    if (value.expectedError && stated)
      ctx.addIssue({
        code: 'custom',
        message: '预期报错的案例不再核对金额：expected 与 expectedError 只写一个',
        path: ['expectedError'],
      });
  });

export type PolicyCase = z.output<typeof policyCaseSchema>;

export const policyCasesSchema = z
  .array(policyCaseSchema, { error: 'cases 应为案例列表' })
  .max(50, '一个政策最多 50 个案例');
