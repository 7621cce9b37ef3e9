/**
 * What the engine reads: the claim (insured person, visit, line items) and the person's
 * year-to-date ledger for the policy year. Amounts are integer fen.
 */
import * as z from 'zod';
import { MAX_FEN } from '../money';
import { isoDateSchema } from '../policy/dates';
import { insuranceTypeSchema, visitKindNames, visitKindSchema } from '../policy/schema';
import { plainText } from '../text';

const fen = z
  .number({ error: (issue) => (issue.input === undefined ? '请填写金额（分）' : '金额应为以分为单位的整数') })
  .int('金额应为以分为单位的整数')
  .min(0, '金额不能为负数')
  .max(MAX_FEN, '金额过大，请核对');

const code = z
  .string({ error: '病种代码应为文字' })
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/, '病种代码只能由字母、数字、-、_ 组成');

/** A stay's dates the wrong way round, as the engine and 填写 say it. */
export const DISCHARGE_BEFORE_ADMISSION = '出院日期不能早于入院日期';
export const hospitalLevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3)], {
  error: '医院等级只能是 1（一级）、2（二级）或 3（三级）',
});

export const lineItemSchema = z.strictObject({
  name: plainText('费用名称', 100),
  amountFen: fen,
  category: z.enum(['A', 'B', 'C'], { error: '类别只能是 A（甲类）、B（乙类）或 C（丙类/全自费）' }),
  itemClass: z
    .enum(['implant', 'trialTest'], { error: 'itemClass 只能是 implant（高值耗材）或 trialTest（放宽规则检查）' })
    .optional(),
  disease: code.optional(),
});
export type LineItem = z.output<typeof lineItemSchema>;

const needsStay = new Set(['inpatient', 'maternity']);
/** Visit kinds paid by disease (门诊慢特病, 两病, 特殊门诊): the claim names its disease from the policy's list. */
export const diseaseKinds: ReadonlySet<string> = new Set(['chronic', 'twoDiseases', 'special']);

export const claimSchema = z
  .strictObject({
    insured: z.strictObject({
      insuranceType: insuranceTypeSchema,
      retired: z.boolean({ error: 'retired 应为 true 或 false' }).default(false),
      region: z
        .string({ error: '请填写参保统筹区' })
        .regex(/^[0-9A-Za-z_-]{2,20}$/, '统筹区代码只能由数字、字母组成（例如 210200）'),
      filedForOutOfRegion: z.boolean({ error: 'filedForOutOfRegion（异地备案）应为 true 或 false' }).default(false),
      /**
       * Years of continuous enrolment up to and including this one (连续参保年限), as the claimant or the
       * agency states it; after a gap (断保) it counts again from the year of re-enrolment. Unknown when absent.
       */
      continuousYears: z
        .number({ error: 'continuousYears（连续参保年限）应为整数' })
        .int('连续参保年限应为整数')
        .min(0, '连续参保年限不能为负')
        .max(100, '连续参保年限过大')
        .optional(),
    }),
    visit: z
      .strictObject({
        kind: visitKindSchema,
        hospitalLevel: hospitalLevelSchema,
        outOfRegion: z.boolean({ error: 'outOfRegion 应为 true 或 false' }).default(false),
        referral: z.boolean({ error: 'referral（转诊）应为 true 或 false' }).default(false),
        admissionDate: isoDateSchema.optional(),
        dischargeDate: isoDateSchema.optional(),
        visitDate: isoDateSchema.optional(),
        deliveryKind: z
          .enum(['natural', 'cesarean'], { error: 'deliveryKind 只能是 natural（顺产）或 cesarean（剖腹产）' })
          .optional(),
        disease: code.optional(),
      })
      .superRefine((visit, ctx) => {
        // Only the kind's own dates: the date a claim counts from (its deadline, policy, year) is the discharge for a stay,
        // the visit otherwise, and a 门诊 claim carrying a 出院日期 was counted from that (a probe filed one past its deadline).
        const kindName = visitKindNames[visit.kind];
        if (needsStay.has(visit.kind)) {
          if (visit.visitDate)
            ctx.addIssue({
              code: 'custom',
              message: `${kindName}填写入院和出院日期，不填就诊日期`,
              path: ['visitDate'],
            });
        } else {
          for (const [field, label] of [
            ['admissionDate', '入院日期'],
            ['dischargeDate', '出院日期'],
          ] as const)
            if (visit[field])
              ctx.addIssue({ code: 'custom', message: `${kindName}只填写就诊日期，不填${label}`, path: [field] });
        }
        if (needsStay.has(visit.kind)) {
          if (!visit.admissionDate)
            ctx.addIssue({ code: 'custom', message: '住院请填写入院日期', path: ['admissionDate'] });
          if (!visit.dischargeDate)
            ctx.addIssue({ code: 'custom', message: '住院请填写出院日期', path: ['dischargeDate'] });
        } else if (!visit.visitDate) {
          ctx.addIssue({ code: 'custom', message: '请填写就诊日期', path: ['visitDate'] });
        }
        if (visit.admissionDate && visit.dischargeDate && visit.dischargeDate < visit.admissionDate) {
          ctx.addIssue({ code: 'custom', message: DISCHARGE_BEFORE_ADMISSION, path: ['dischargeDate'] });
        }
        if (visit.kind === 'maternity' && !visit.deliveryKind) {
          ctx.addIssue({ code: 'custom', message: '住院分娩请选择顺产或剖腹产', path: ['deliveryKind'] });
        }
      }),
    lineItems: z
      .array(lineItemSchema, { error: '请填写费用明细' })
      .min(1, '至少需要一项费用')
      .max(500, '费用明细最多 500 项'),
  })
  .superRefine((claim, ctx) => {
    const issue = missingDiseaseIssue(claim.visit.kind, claim.visit.disease, claim.lineItems);
    if (issue) ctx.addIssue({ code: 'custom', message: issue, path: ['visit', 'disease'] });
  });

/**
 * A kind paid by disease names its disease — for the visit, or on every line (a pharmacy bill for two diseases): without
 * one nothing is paid (a desk walk: every 门诊慢特病 and 特殊门诊 claim came to 0.00 元, the app never asked which).
 */
export function missingDiseaseIssue(
  kind: string,
  disease: string | undefined,
  lineItems: ReadonlyArray<{ disease?: string | undefined }>,
): string | null {
  if (!diseaseKinds.has(kind) || disease || lineItems.every((line) => line.disease)) return null;
  return `请选择病种：${visitKindNames[kind as keyof typeof visitKindNames]}按病种报销`;
}

export type ClaimInput = z.input<typeof claimSchema>;
export type Claim = z.output<typeof claimSchema>;
export type Visit = Claim['visit'];

/** The date a claim is counted on: discharge for a stay, otherwise the visit. */
export function dateOfService(visit: Pick<Visit, 'dischargeDate' | 'visitDate' | 'admissionDate'>): string {
  const date = visit.dischargeDate ?? visit.visitDate ?? visit.admissionDate;
  if (!date) throw new RangeError('dateOfService: the visit has no date');
  return date;
}

// ---------------------------------------------------------------------------------------------
// The year-to-date ledger

const counterKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,80}$/, '计数项名称只能由字母、数字、. - _ 组成');
const counters = z.record(counterKey, fen).default({});

/**
 * One person's totals for one policy year, as earlier claims left them. Keys of the counters:
 * `deductibleUsed`, `inPolicyCost`, `costAfterDeductible` by benefit (`inpatient`, `outpatient`,
 * `chronic`, `twoDiseases`, `special`, `accident`); `benefitPaid` by limited benefit (`outpatient`,
 * `accident`, `twoDiseases.hypertension`, `chronic.tumor`, …); `fundPaidByCap` by the policy's
 * `fundCaps[].id`.
 */
export const ledgerSchema = z.strictObject({
  policyYear: z.number({ error: '请填写年度' }).int().min(1900, '年度不正确').max(2999, '年度不正确'),
  inpatientAdmissions: z.number().int('住院次数应为整数').min(0, '住院次数不能为负').max(1000).default(0),
  deductibleUsed: counters,
  benefitPaid: counters,
  fundPaidByCap: counters,
  inPolicyCost: counters,
  costAfterDeductible: counters,
  majorIllnessBurden: fen.default(0),
  majorIllnessPaid: fen.default(0),
});

export type LedgerInput = z.input<typeof ledgerSchema>;
export type Ledger = z.output<typeof ledgerSchema>;

export function emptyLedger(policyYear: number): Ledger {
  return {
    policyYear,
    inpatientAdmissions: 0,
    deductibleUsed: {},
    benefitPaid: {},
    fundPaidByCap: {},
    inPolicyCost: {},
    costAfterDeductible: {},
    majorIllnessBurden: 0,
    majorIllnessPaid: 0,
  };
}
