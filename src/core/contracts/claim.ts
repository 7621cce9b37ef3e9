/**
 * The claim form: what a claimant fills in (guide answers, insured person, hospital, visit, line
 * items, payout account, phone, paper originals, photos per material, declaration). The app
 * validates it as the person types; the `claims` function validates it again at submission and
 * turns it into the engine's claim and the materials checklist — the same code in both places.
 */
import * as z from 'zod';
import { claimSchema, hospitalLevelSchema, lineItemSchema, missingDiseaseIssue, type Claim } from '../engine/claim';
import { bankAccountSchema, idNumberSchema, maskName, mobileSchema, personNameSchema } from '../identity';
import {
  materialIds,
  materialsChecklist,
  missingMaterials,
  type MaterialId,
  type MaterialItem,
  type MissingMaterial,
} from '../materials';
import { MAX_FEN } from '../money';
import { isoDateSchema, isValidIsoDate } from '../policy/dates';
import { insuranceTypes, insuranceTypeSchema, visitKindSchema } from '../policy/schema';
import { jsonObjectProblem } from '../jsonGuard';
import { outOfRegionFlags, outOfRegionKinds, scenarioIds, scenarios } from '../scenarios';
import { optionalPlainText, plainText, refuseUnsafeText } from '../text';
import {
  fullOrMasked,
  guardianRelationLabels,
  guardianRelationSchema,
  isMasked,
  personIdSchema,
  personRelations,
} from './persons';
import { missingOr } from '../validation';

/**
 * A claim's line items, as filed or as a reviewer corrects them: each above 0, at most 200, their total at most
 * MAX_FEN (a probe's correction of 200 lines of 1 亿元 each settled a ledger at 2 万亿元; 0 passed too).
 */
export function claimLineItemsSchema(messages: { empty: string; zero: string }) {
  return z
    .array(
      lineItemSchema.refine((item) => item.amountFen > 0, { message: messages.zero, path: ['amountFen'] }),
      {
        error: '请填写费用明细',
      },
    )
    .min(1, messages.empty)
    .max(200, '费用明细最多 200 项')
    .refine(
      (items) => items.reduce((sum, item) => sum + item.amountFen, 0) <= MAX_FEN,
      '费用合计超过 1 亿元，请核对各项金额',
    );
}

/** A file in cloud storage (or its local stand-in): `cloud://<env>/<path>`. */
export const fileIdSchema = z
  .string({ error: missingOr('缺少文件编号', '文件编号格式不正确') })
  .regex(/^cloud:\/\/[A-Za-z0-9._-]+\/[A-Za-z0-9._/-]{1,200}$/, '文件编号格式不正确');

export const regionCodeSchema = z
  .string({ error: '请选择参保地' })
  .regex(/^\d{6}$/, '请选择参保地（6 位行政区划代码）');

export const guideAnswersSchema = z
  .strictObject({
    scenario: z.enum(scenarioIds, { error: '请选择报销原因' }),
    outOfRegionKind: z.enum(outOfRegionKinds, { error: '请选择异地就医的情况' }).optional(),
    visitKind: visitKindSchema,
  })
  .superRefine((guide, ctx) => {
    if (guide.scenario === 'outOfRegion' && !guide.outOfRegionKind)
      ctx.addIssue({ code: 'custom', message: '请选择异地就医的情况', path: ['outOfRegionKind'] });
    if (!scenarios[guide.scenario].visitKinds.includes(guide.visitKind)) {
      ctx.addIssue({
        code: 'custom',
        message: `「${scenarios[guide.scenario].label}」不适用于这种就诊类型`,
        path: ['visitKind'],
      });
    }
  });
export type GuideAnswersForm = z.output<typeof guideAnswersSchema>;

export const insuredSchema = z.strictObject({
  relation: z.enum(['self', 'relative'], { error: '请选择为谁申请' }),
  name: personNameSchema,
  /** Masked only when the claim names a family member (`personId`), whose number the server fills in. */
  idNumber: fullOrMasked(idNumberSchema, '请填写身份证号'),
  // The claimant chooses in words; the policy files' codes (employee, 1) are not theirs to read.
  insuranceType: z.enum(insuranceTypes, { error: '请选择险种：职工医保或居民医保' }),
  retired: z.boolean().default(false),
  region: regionCodeSchema,
});

export const hospitalSchema = z.strictObject({
  name: plainText('医院名称', 60),
  level: z.union(hospitalLevelSchema.options, { error: '请选择医院等级：一级、二级或三级' }),
});

export const visitFormSchema = z.strictObject({
  admissionDate: isoDateSchema.optional(),
  dischargeDate: isoDateSchema.optional(),
  visitDate: isoDateSchema.optional(),
  deliveryKind: z.enum(['natural', 'cesarean'], { error: '请选择顺产或剖腹产' }).optional(),
  disease: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/, '病种代码格式不正确')
    .optional(),
});

const visitDateLabels = { visitDate: '就诊日期', admissionDate: '入院日期', dischargeDate: '出院日期' } as const;

/**
 * The visit's dates after `today` (Asia/Shanghai, YYYY-MM-DD), each as a field issue: care not yet given is not
 * claimed (a typed 2027 date went through to submission, the estimate worked out for a year to come).
 */
export function visitDatesAfter(
  visit: Partial<Record<keyof typeof visitDateLabels, string | undefined>>,
  today: string,
): Array<{ path: string; message: string }> {
  return (Object.keys(visitDateLabels) as Array<keyof typeof visitDateLabels>)
    .filter((field) => {
      const date = visit[field];
      return typeof date === 'string' && isValidIsoDate(date) && date > today;
    })
    .map((field) => ({
      path: `visit.${field}`,
      message: `${visitDateLabels[field]}不能晚于今天（${today}），请按票据上的日期填写`,
    }));
}

export const payoutSchema = z.strictObject({
  bankName: plainText('开户银行', 40),
  accountNumber: fullOrMasked(bankAccountSchema, '请填写收款银行卡号'),
  /**
   * The insured person's name: the fund pays only into their own account — except a minor's claim, where the policy
   * allows it, into a parent's or guardian's (`guardianRelation` given; the server checks the policy and the age).
   */
  holderName: personNameSchema,
  guardianRelation: guardianRelationSchema.optional(),
});

/** How the paper originals will go: chosen when filing; the tracking number (or the 自送 day) is added on the claim page afterwards. */
export const originalsSchema = z.strictObject({
  method: z.enum(['mail', 'inPerson'], { error: '请选择纸质原件的递交方式' }),
  trackingNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{6,40}$/, '快递单号格式不正确')
    .optional(),
});

/**
 * Photos by material: each known material at most once, every other key refused. A strict object, not
 * a record: zod's record silently dropped a `__proto__` key and accepted the rest.
 */
export function materialsObject<Item extends z.ZodType>(
  files: Item,
): z.ZodObject<Record<MaterialId, z.ZodOptional<Item>>, z.core.$strict> {
  return z.strictObject(
    Object.fromEntries(materialIds.map((id) => [id, files.optional()])) as Record<MaterialId, z.ZodOptional<Item>>,
  );
}

export const materialsFormSchema = materialsObject(z.array(fileIdSchema).max(20, '每项材料最多 20 张照片'));

export const claimFormSchema = z
  .strictObject({
    guide: guideAnswersSchema,
    /** The family member the claim is for: masked personal fields are theirs, filled in by the server. */
    personId: personIdSchema.optional(),
    insured: insuredSchema,
    hospital: hospitalSchema,
    visit: visitFormSchema,
    lineItems: claimLineItemsSchema({ empty: '至少需要一项费用', zero: '金额须大于 0，免费的项目不用填' }),
    payout: payoutSchema,
    phone: fullOrMasked(mobileSchema, '请填写手机号'),
    electronicInvoice: z.boolean().default(false),
    originals: originalsSchema.optional(),
    materials: materialsFormSchema.default({}),
    declarationAccepted: z.literal(true, { error: '请阅读并勾选承诺后再提交' }),
  })
  .superRefine((form, ctx) => {
    if (!form.personId) {
      const masked: Array<[string[], unknown, string]> = [
        [['insured', 'idNumber'], form.insured.idNumber, '请填写完整的身份证号'],
        [['payout', 'accountNumber'], form.payout.accountNumber, '请填写完整的银行卡号'],
        [['phone'], form.phone, '请填写完整的手机号'],
      ];
      for (const [path, value, message] of masked) if (isMasked(value)) ctx.addIssue({ code: 'custom', message, path });
    }
    if (!form.payout.guardianRelation && form.payout.holderName !== form.insured.name) {
      ctx.addIssue({
        code: 'custom',
        message: `收款账户必须是参保人${form.insured.name}本人的账户`,
        path: ['payout', 'holderName'],
      });
    }
    if (form.payout.guardianRelation && form.payout.holderName === form.insured.name) {
      ctx.addIssue({
        code: 'custom',
        message: `户名请填写${guardianRelationLabels[form.payout.guardianRelation]}的姓名；用参保人本人的账户，请选「参保人本人」`,
        path: ['payout', 'holderName'],
      });
    }
    const engine = claimSchema.shape.visit.safeParse(engineVisitOf(form));
    if (!engine.success) {
      for (const issue of engine.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['visit', ...issue.path.map(String)] });
    }
    const noDisease = missingDiseaseIssue(form.guide.visitKind, form.visit.disease, form.lineItems);
    if (noDisease) ctx.addIssue({ code: 'custom', message: noDisease, path: ['visit', 'disease'] });
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
    insured: {
      insuranceType: form.insured.insuranceType,
      retired: form.insured.retired,
      region: form.insured.region,
      filedForOutOfRegion: flags.filedForOutOfRegion,
    },
    visit: engineVisitOf(form),
    lineItems: form.lineItems,
  };
}

/** The materials this claim needs, from its scenario and visit kind (and the region's policy on originals). */
export function checklistOf(
  form: Pick<ClaimForm, 'guide' | 'insured' | 'electronicInvoice'> & {
    payout?: Pick<ClaimForm['payout'], 'guardianRelation'>;
  },
  paperOriginalsRequired = true,
): MaterialItem[] {
  return materialsChecklist(form.guide.scenario, form.guide.visitKind, {
    ...(form.guide.outOfRegionKind ? { outOfRegionKind: form.guide.outOfRegionKind } : {}),
    filedByAgent: form.insured.relation === 'relative',
    payoutToGuardian: form.payout?.guardianRelation !== undefined,
    electronicInvoice: form.electronicInvoice,
    paperOriginalsRequired,
  });
}

export function missingOf(
  form: Pick<ClaimForm, 'guide' | 'insured' | 'electronicInvoice' | 'materials'> & {
    payout?: Pick<ClaimForm['payout'], 'guardianRelation'>;
  },
  paperOriginalsRequired = true,
): MissingMaterial[] {
  return missingMaterials(
    checklistOf(form, paperOriginalsRequired),
    form.materials as Partial<Record<MaterialId, string[]>>,
  );
}

/**
 * A claim's title with the family member it names masked as lists of others' claims mask them (张小明 · 北京儿童医院 →
 * 张** · 北京儿童医院): the review queue masked the 参保人 under a title that named them in full (a walk).
 */
export function titleWithMemberMasked(title: string, insuredName: string): string {
  const member = [...insuredName.trim()].slice(0, 12).join('');
  return member && title.startsWith(`${member} · `) ? `${maskName(member)}${title.slice(member.length)}` : title;
}

/** As claimTitleSchema counts (UTF-16 units, zod's `max`), so a title made here can always be saved again. */
const TITLE_MAX_LENGTH = 40;

/**
 * What the claim is called in lists and messages: the family member it is for (not for 本人), hospital and visit kind,
 * at most 40 long. A longer
 * hospital name is shortened with an ellipsis (never inside a character) and the visit kind kept.
 */
export function claimTitleOf(
  form: {
    hospital?: { name?: string };
    guide?: { visitKind?: string };
    insured?: { relation?: string; name?: string };
  },
  visitKindName: (kind: string) => string,
): string {
  const hospital = form.hospital?.name?.trim() || '未填写医院';
  const kind = form.guide?.visitKind ? ` ${visitKindName(form.guide.visitKind)}` : '';
  // A family member's claim names them first: a family's claims at one hospital were told apart by nothing.
  // (At most 12 characters of it: a draft's name may be typed up to 50, and the hospital must keep some room.)
  const member =
    form.insured?.relation === 'relative' ? [...(form.insured.name?.trim() ?? '')].slice(0, 12).join('') : '';
  const whose = member ? `${member} · ` : '';
  const room = TITLE_MAX_LENGTH - kind.length - whose.length;
  if (hospital.length <= room) return `${whose}${hospital}${kind}`;
  let name = '';
  for (const character of hospital) {
    if (name.length + character.length > room - 1) break;
    name += character;
  }
  return `${whose}${name}…${kind}`;
}

/**
 * A draft is what the person has typed so far: the form's own keys, every one optional, values as the
 * app holds them while typing (dates and amounts as typed text, amounts also in fen once they parse,
 * choices from their lists), plus where the person was (`draft`). Nothing else: no unknown key, no key
 * starting with `$` or containing `.`, no `__proto__` / `constructor` / `prototype`, at most
 * `DRAFT_MAX_DEPTH` levels and about `DRAFT_MAX_CHARS` characters — measured without recursion before
 * any schema walks the value, so a form nested 5,000 deep is a VALIDATION_FAILED, not a stack
 * overflow. Personal fields (身份证号, 卡号, 手机号) are text, never numbers, so they are always
 * sealed. Free text refuses control, bidi and zero-width characters. Checked fully at submission.
 * Photos travel beside the form (`materials`), not in it.
 */
export const DRAFT_MAX_DEPTH = 6;
export const DRAFT_MAX_CHARS = 60_000;

const typedText = (label: string, max: number) => optionalPlainText(label, max).optional();
/** A personal field as typed: text (a number is refused, so it can never escape sealing). */
const typedPersonal = (label: string) =>
  z
    .string({ error: `${label}应为文字，请按文字填写` })
    .check(refuseUnsafeText(label))
    .max(40, `${label}过长`)
    .optional();
const draftIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, '草稿编号格式不正确')
  .optional();

const draftFormShape = z.strictObject({
  personId: personIdSchema.optional(),
  guide: z
    .strictObject({
      scenario: z.enum(scenarioIds, { error: '请选择报销原因' }).optional(),
      outOfRegionKind: z.enum(outOfRegionKinds, { error: '请选择异地就医的情况' }).optional(),
      visitKind: visitKindSchema.optional(),
    })
    .optional(),
  insured: z
    .strictObject({
      relation: insuredSchema.shape.relation.optional(),
      name: typedText('姓名', 50),
      idNumber: typedPersonal('身份证号'),
      insuranceType: insuranceTypeSchema.optional(),
      retired: z.boolean({ error: '是否退休应为是或否' }).optional(),
      region: regionCodeSchema.optional(),
    })
    .optional(),
  hospital: z.strictObject({ name: typedText('医院名称', 60), level: hospitalLevelSchema.optional() }).optional(),
  visit: z
    .strictObject({
      visitDate: typedText('就诊日期', 20),
      admissionDate: typedText('入院日期', 20),
      dischargeDate: typedText('出院日期', 20),
      deliveryKind: visitFormSchema.shape.deliveryKind,
      disease: visitFormSchema.shape.disease,
    })
    .optional(),
  lineItems: z
    .array(
      z.strictObject({
        name: typedText('费用名称', 100),
        yuan: typedText('金额', 20),
        amountFen: lineItemSchema.shape.amountFen.optional(),
        category: lineItemSchema.shape.category.optional(),
        itemClass: lineItemSchema.shape.itemClass,
        disease: lineItemSchema.shape.disease,
      }),
      { error: '费用明细格式不正确' },
    )
    .max(200, '费用明细最多 200 项')
    .optional(),
  payout: z
    .strictObject({
      bankName: typedText('开户银行', 40),
      accountNumber: typedPersonal('银行卡号'),
      holderName: typedText('户名', 50),
      guardianRelation: guardianRelationSchema.optional(),
    })
    .optional(),
  phone: typedPersonal('手机号'),
  electronicInvoice: z.boolean({ error: '是否电子票据应为是或否' }).optional(),
  originals: z
    .strictObject({
      method: z.enum(['mail', 'inPerson'], { error: '请选择纸质原件的递交方式' }).optional(),
      trackingNumber: typedText('快递单号', 40),
    })
    .optional(),
  declarationAccepted: z.boolean({ error: '承诺勾选应为是或否' }).optional(),
  /** Where the person was in the journey, and the ids the app chose on the device. */
  draft: z
    .strictObject({
      step: z
        .string()
        .regex(/^[A-Za-z]{1,20}$/, '步骤格式不正确')
        .optional(),
      localId: draftIdSchema,
      submitRequestId: draftIdSchema,
      // The chosen family member's relation (母亲, 配偶 …): the form itself only knows 本人 or 家属.
      personRelation: z.enum(personRelations, { error: '与参保人的关系不正确' }).optional(),
    })
    .optional(),
});

/** Limits and keys first (one loop, no recursion), then the shape: the shape never sees a value the guard refused. */
const draftGuard = z.unknown().check((payload) => {
  const problem = jsonObjectProblem(payload.value, { maxDepth: DRAFT_MAX_DEPTH, maxChars: DRAFT_MAX_CHARS });
  if (!problem) return;
  const message =
    problem.kind === 'notObject'
      ? '草稿内容应为一个对象'
      : problem.kind === 'size'
        ? '草稿内容过大'
        : `草稿内容不正确：${problem.message}`;
  payload.issues.push({
    code: 'custom',
    message,
    input: payload.value,
    path: problem.path,
    params: { code: 'DRAFT_SHAPE' },
  });
});

export const claimDraftFormSchema = draftGuard.pipe(draftFormShape);
export type ClaimDraftForm = z.output<typeof claimDraftFormSchema>;
