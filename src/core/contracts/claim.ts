/**
 * The claim form: what a claimant fills in (guide answers, insured person, hospital, visit, line
 * items, payout account, phone, paper originals, photos per material, declaration). The app
 * validates it as the person types; the `claims` function validates it again at submission and
 * turns it into the engine's claim and the materials checklist — the same code in both places.
 */
import * as z from 'zod';
import { claimSchema, hospitalLevelSchema, lineItemSchema, type Claim } from '../engine/claim';
import { bankAccountSchema, idNumberSchema, mobileSchema, personNameSchema } from '../identity';
import { materialIds, materialsChecklist, missingMaterials, type MaterialId, type MaterialItem, type MissingMaterial } from '../materials';
import { isoDateSchema } from '../policy/dates';
import { insuranceTypeSchema, visitKindSchema } from '../policy/schema';
import { outOfRegionFlags, outOfRegionKinds, scenarioIds, scenarios } from '../scenarios';

/** A file in cloud storage (or its local stand-in): `cloud://<env>/<path>`. */
export const fileIdSchema = z
  .string({ error: '缺少文件编号' })
  .regex(/^cloud:\/\/[A-Za-z0-9._-]+\/[A-Za-z0-9._/-]{1,200}$/, '文件编号格式不正确');

export const regionCodeSchema = z.string({ error: '请选择参保地' }).regex(/^\d{6}$/, '请选择参保地（6 位行政区划代码）');

const text = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);

export const guideAnswersSchema = z
  .strictObject({
    scenario: z.enum(scenarioIds, { error: '请选择报销原因' }),
    outOfRegionKind: z.enum(outOfRegionKinds, { error: '请选择异地就医的情况' }).optional(),
    visitKind: visitKindSchema,
  })
  .superRefine((guide, ctx) => {
    if (guide.scenario === 'outOfRegion' && !guide.outOfRegionKind) ctx.addIssue({ code: 'custom', message: '请选择异地就医的情况', path: ['outOfRegionKind'] });
    if (!scenarios[guide.scenario].visitKinds.includes(guide.visitKind)) {
      ctx.addIssue({ code: 'custom', message: `「${scenarios[guide.scenario].label}」不适用于这种就诊类型`, path: ['visitKind'] });
    }
  });
export type GuideAnswersForm = z.output<typeof guideAnswersSchema>;

export const insuredSchema = z.strictObject({
  relation: z.enum(['self', 'relative'], { error: '请选择为谁申请' }),
  name: personNameSchema,
  idNumber: idNumberSchema,
  insuranceType: insuranceTypeSchema,
  retired: z.boolean().default(false),
  region: regionCodeSchema,
});

export const hospitalSchema = z.strictObject({
  name: text('医院名称', 60),
  level: hospitalLevelSchema,
});

export const visitFormSchema = z.strictObject({
  admissionDate: isoDateSchema.optional(),
  dischargeDate: isoDateSchema.optional(),
  visitDate: isoDateSchema.optional(),
  deliveryKind: z.enum(['natural', 'cesarean'], { error: '请选择顺产或剖腹产' }).optional(),
  disease: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/, '病种代码格式不正确').optional(),
});

export const payoutSchema = z.strictObject({
  bankName: text('开户银行', 40),
  accountNumber: bankAccountSchema,
  /** Fixed to the insured person's name: the fund pays only into their own account. */
  holderName: personNameSchema,
});

export const originalsSchema = z
  .strictObject({
    method: z.enum(['mail', 'inPerson'], { error: '请选择纸质原件的递交方式' }),
    trackingNumber: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{6,40}$/, '快递单号格式不正确')
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.method === 'mail' && !value.trackingNumber) ctx.addIssue({ code: 'custom', message: '邮寄请填写快递单号', path: ['trackingNumber'] });
  });

export const materialsFormSchema = z.partialRecord(z.enum(materialIds), z.array(fileIdSchema).max(20, '每项材料最多 20 张照片'));

export const claimFormSchema = z
  .strictObject({
    guide: guideAnswersSchema,
    insured: insuredSchema,
    hospital: hospitalSchema,
    visit: visitFormSchema,
    lineItems: z.array(lineItemSchema, { error: '请填写费用明细' }).min(1, '至少需要一项费用').max(200, '费用明细最多 200 项'),
    payout: payoutSchema,
    phone: mobileSchema,
    electronicInvoice: z.boolean().default(false),
    originals: originalsSchema.optional(),
    materials: materialsFormSchema.default({}),
    declarationAccepted: z.literal(true, { error: '请阅读并勾选承诺后再提交' }),
  })
  .superRefine((form, ctx) => {
    if (form.payout.holderName !== form.insured.name) {
      ctx.addIssue({ code: 'custom', message: `收款账户必须是参保人${form.insured.name}本人的账户`, path: ['payout', 'holderName'] });
    }
    const engine = claimSchema.shape.visit.safeParse(engineVisitOf(form));
    if (!engine.success) {
      for (const issue of engine.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['visit', ...issue.path.map(String)] });
    }
  });

export type ClaimFormInput = z.input<typeof claimFormSchema>;
export type ClaimForm = z.output<typeof claimFormSchema>;

function engineVisitOf(form: Pick<ClaimForm, 'guide' | 'hospital' | 'visit'>): Claim['visit'] {
  const flags = outOfRegionFlags(form.guide);
  return {
    kind: form.guide.visitKind,
    hospitalLevel: form.hospital.level,
    outOfRegion: flags.outOfRegion,
    referral: flags.referral,
    ...form.visit,
  };
}

/** The engine's view of a complete form. */
export function engineClaimOf(form: ClaimForm): Claim {
  const flags = outOfRegionFlags(form.guide);
  return {
    insured: { insuranceType: form.insured.insuranceType, retired: form.insured.retired, region: form.insured.region, filedForOutOfRegion: flags.filedForOutOfRegion },
    visit: engineVisitOf(form),
    lineItems: form.lineItems,
  };
}

/** The materials this claim needs, from its scenario and visit kind (and the region's policy on originals). */
export function checklistOf(form: Pick<ClaimForm, 'guide' | 'insured' | 'electronicInvoice'>, paperOriginalsRequired = true): MaterialItem[] {
  return materialsChecklist(form.guide.scenario, form.guide.visitKind, {
    ...(form.guide.outOfRegionKind ? { outOfRegionKind: form.guide.outOfRegionKind } : {}),
    filedByAgent: form.insured.relation === 'relative',
    electronicInvoice: form.electronicInvoice,
    paperOriginalsRequired,
  });
}

export function missingOf(form: Pick<ClaimForm, 'guide' | 'insured' | 'electronicInvoice' | 'materials'>, paperOriginalsRequired = true): MissingMaterial[] {
  return missingMaterials(checklistOf(form, paperOriginalsRequired), form.materials as Partial<Record<MaterialId, string[]>>);
}

/** What the claim is called in lists and messages: hospital and visit kind. */
export function claimTitleOf(form: { hospital?: { name?: string }; guide?: { visitKind?: string } }, visitKindName: (kind: string) => string): string {
  const hospital = form.hospital?.name?.trim() || '未填写医院';
  const kind = form.guide?.visitKind ? visitKindName(form.guide.visitKind) : '';
  return `${hospital}${kind ? ` ${kind}` : ''}`.slice(0, 40);
}

/**
 * A draft is whatever the person has typed so far: any JSON object of the form's shape, unchecked
 * except for size and nesting, so nothing typed is ever lost. Checked fully at submission.
 */
export const claimDraftFormSchema = z.record(z.string(), z.unknown()).refine((value) => JSON.stringify(value).length <= 60_000, '草稿内容过大');
export type ClaimDraftForm = z.output<typeof claimDraftFormSchema>;
