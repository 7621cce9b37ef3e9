/**
 * The claimant's form as it is being typed (草稿): text exactly as entered (amounts in yuan, dates as
 * typed), the guide answers, where the person is in the journey. Pure functions turn it into the
 * contract's form (`claimFormSchema`, amounts in fen), into per-field messages in plain Chinese, into
 * the engine's claim for the instant estimate, and back from a server draft. No platform imports.
 */
import { claimFormSchema, checklistOf, missingOf, visitDatesAfter, type ClaimForm } from './contracts/claim';
import {
  ADULT_AGE,
  guardianRelations,
  isMasked,
  personRelations,
  type GuardianRelation,
  type PersonInput,
  type PersonRelation,
  type PersonView,
} from './contracts/persons';
import { filingStatus, type FilingDeadline } from './deadline';
import { draftSteps, type DraftStep } from './draftSteps';
import {
  claimSchema,
  DISCHARGE_BEFORE_ADMISSION,
  diseaseKinds,
  estimate,
  type Claim,
  type EstimateResult,
  type Ledger,
} from './engine';
import { bankAccountWarning, validateIdNumber } from './identity';
import type { MaterialItem, MissingMaterial } from './materials';
import { fenToInputText, formatYuan, parseYuan } from './money';
import { isValidIsoDate } from './policy/dates';
import {
  insuranceTypeNames,
  visitKindNames,
  type InsuranceType,
  type PolicyDocument,
  type VisitKind,
} from './policy/schema';
import { selectPolicy } from './policy/select';
import { policyYearOf, policyYearSpan } from './policy/resolve';
import { guideStep, outOfRegionFlags, type GuideAnswers, type GuideOutcome } from './scenarios';
import { parseParams, zodIssues } from './validation';

export { draftSteps, type DraftStep } from './draftSteps';

export type Category = 'A' | 'B' | 'C';
export const categoryLabels: Record<Category, string> = { A: '甲类', B: '乙类', C: '丙类/自费' };

export interface DraftLineItem {
  /** Stable key for the list on screen. */
  key: string;
  name: string;
  /** What the person typed, in yuan ("128.50"). */
  yuan: string;
  category: Category;
}

export interface ClaimDraftState {
  version: 1;
  /** Chosen on the device: names the photo queue and is the request id of the first server save. */
  localId: string;
  /** The server draft's id once the first save answered. */
  serverId?: string;
  /** The request id of the submission, kept across retries and reloads (one claim per intent). */
  submitRequestId: string;
  /** The family member (家庭成员) the claim is for, once chosen or saved: their masked values stand for the ones kept on the server. */
  personId?: string;
  /** The relation of a new family member typed on this draft (saved with them). */
  personRelation?: PersonRelation;
  step: DraftStep;
  guide: GuideAnswers;
  insured: {
    relation: 'self' | 'relative';
    name: string;
    idNumber: string;
    insuranceType?: InsuranceType;
    retired: boolean;
    region?: string;
  };
  hospital: { name: string; level?: 1 | 2 | 3 };
  visit: {
    visitDate: string;
    admissionDate: string;
    dischargeDate: string;
    deliveryKind?: 'natural' | 'cesarean';
    /** 门诊慢特病 / 两病 / 特殊门诊: the disease's code in the policy's list. */
    disease?: string;
  };
  lineItems: DraftLineItem[];
  /** The insured person's own account; a minor's may be a parent's or guardian's (`guardianRelation`, `holderName`). */
  payout: DraftPayout;
  phone: string;
  electronicInvoice: boolean;
  originals: { method?: 'mail' | 'inPerson'; trackingNumber: string };
  declarationAccepted: boolean;
  updatedAt: number;
}

export interface DraftPayout {
  bankName: string;
  accountNumber: string;
  /** Set: the account is this parent's or guardian's, in `holderName`'s name. */
  guardianRelation?: GuardianRelation;
  holderName?: string;
}

export function emptyDraft(localId: string, submitRequestId: string, now: number): ClaimDraftState {
  return {
    version: 1,
    localId,
    submitRequestId,
    step: 'guide',
    guide: {},
    insured: { relation: 'self', name: '', idNumber: '', retired: false },
    hospital: { name: '' },
    visit: { visitDate: '', admissionDate: '', dischargeDate: '' },
    lineItems: [{ key: `${localId}-1`, name: '', yuan: '', category: 'A' }],
    payout: { bankName: '', accountNumber: '' },
    phone: '',
    electronicInvoice: false,
    originals: { trackingNumber: '' },
    declarationAccepted: false,
    updatedAt: now,
  };
}

const STAY_KINDS: ReadonlySet<string> = new Set(['inpatient', 'maternity']);

/** 住院 and 分娩 are dated by admission and discharge; every other visit by its day. */
/** The diseases a kind paid by disease may name under `policy` (its list, in the file's order); [] for other kinds. */
export function diseaseChoices(
  policy: PolicyDocument | null,
  visitKind: string | undefined,
): Array<{ code: string; name: string }> {
  if (!policy || !visitKind || !diseaseKinds.has(visitKind)) return [];
  const rules = policy[visitKind as 'chronic' | 'twoDiseases' | 'special'];
  return Object.entries(rules?.diseases ?? {}).map(([code, disease]) => ({ code, name: disease.name }));
}

export function needsStayDates(visitKind: string | undefined): boolean {
  return visitKind !== undefined && STAY_KINDS.has(visitKind);
}

/** "2026/11/3", "2026.11.03", "20261103", "2026年11月3日" → "2026-11-03"; anything else unchanged (trimmed). */
export function normaliseDateInput(raw: string): string {
  const text = raw.trim();
  const match =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return text;
  return `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`;
}

/** The guide's outcome, or null while a question is unanswered (or an answer is not valid any more). */
export function guideOutcomeOf(draft: Pick<ClaimDraftState, 'guide'>): GuideOutcome | null {
  try {
    const step = guideStep(draft.guide);
    return step.done ? step.outcome : null;
  } catch {
    return null;
  }
}

function withoutEmpty<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== '' && v !== undefined)) as Partial<T>;
}

/**
 * The contract's form from the draft: amounts parsed to fen (an unparsable amount is left out so the
 * schema names it), the payout holder fixed to the insured person's name (a guardian's where a minor's account is
 * theirs), only the dates the visit kind uses, originals only when the policy wants them.
 */
export function formInputOf(
  draft: ClaimDraftState,
  materials: Record<string, string[]>,
  options: { paperOriginalsRequired: boolean },
): Record<string, unknown> {
  const stay = needsStayDates(draft.guide.visitKind);
  const visit = stay
    ? withoutEmpty({
        admissionDate: normaliseDateInput(draft.visit.admissionDate),
        dischargeDate: normaliseDateInput(draft.visit.dischargeDate),
        deliveryKind: draft.guide.visitKind === 'maternity' ? draft.visit.deliveryKind : undefined,
      })
    : withoutEmpty({
        visitDate: normaliseDateInput(draft.visit.visitDate),
        disease: diseaseKinds.has(draft.guide.visitKind ?? '') ? draft.visit.disease : undefined,
      });
  // The tracking number (or the 自送 day) is added on the claim page after filing: only the way is chosen here.
  const originals =
    options.paperOriginalsRequired && !draft.electronicInvoice
      ? withoutEmpty({ method: draft.originals.method })
      : undefined;
  return {
    ...(draft.personId ? { personId: draft.personId } : {}),
    guide: withoutEmpty({
      scenario: draft.guide.scenario,
      outOfRegionKind: draft.guide.scenario === 'outOfRegion' ? draft.guide.outOfRegionKind : undefined,
      visitKind: draft.guide.visitKind,
    }),
    insured: withoutEmpty({ ...draft.insured }),
    hospital: withoutEmpty({ ...draft.hospital }),
    visit,
    lineItems: draft.lineItems.map((item) => {
      const amount = parseYuan(item.yuan);
      return { name: item.name, category: item.category, ...(amount.ok ? { amountFen: amount.fen } : {}) };
    }),
    payout: {
      bankName: draft.payout.bankName,
      accountNumber: draft.payout.accountNumber,
      ...(draft.payout.guardianRelation
        ? { holderName: draft.payout.holderName ?? '', guardianRelation: draft.payout.guardianRelation }
        : { holderName: draft.insured.name }),
    },
    phone: draft.phone,
    electronicInvoice: draft.electronicInvoice,
    ...(originals ? { originals } : {}),
    materials,
    declarationAccepted: draft.declarationAccepted,
  };
}

/** path ('insured.idNumber', 'lineItems[0].amountFen') → the first message for it. */
export type FieldErrors = Record<string, string>;

export interface DraftCheck {
  errors: FieldErrors;
  /** The parsed form when everything (including the declaration) is valid. */
  form: ClaimForm | null;
}

/**
 * Every field's message. Amount texts get parseYuan's own message ("金额最多保留两位小数"). The
 * declaration is checked only when `includeDeclaration` (the 确认提交 step); visit dates after `today` when given.
 */
export function checkDraft(
  draft: ClaimDraftState,
  materials: Record<string, string[]>,
  options: {
    paperOriginalsRequired: boolean;
    includeDeclaration?: boolean;
    today?: string;
    /** The policy's `processing.guardianAccountForMinors` (a guardian's account chosen where it is not is said). */
    guardianAccountForMinors?: boolean;
  },
): DraftCheck {
  const input = formInputOf(draft, materials, options);
  if (!options.includeDeclaration) input.declarationAccepted = true;
  const parsed = claimFormSchema.safeParse(input, parseParams);
  const errors: FieldErrors = {};
  draft.lineItems.forEach((item, index) => {
    const amount = parseYuan(item.yuan);
    if (!amount.ok) errors[`lineItems[${index}].amountFen`] = amount.message;
  });
  // A new member (not 本人, not one saved) is someone: 新增 starts with no relation ticked, so the person says who.
  if (draft.insured.relation === 'relative' && !draft.personId && !draft.personRelation)
    errors['insured.relation'] = '请选择看病的人是您的谁：配偶、子女、父母或其他家人';
  if (options.paperOriginalsRequired && !draft.electronicInvoice && !draft.originals.method)
    errors['originals.method'] ??= '本地政策要求交验纸质原件，请选择邮寄或自送';
  if (!parsed.success) {
    for (const issue of zodIssues(parsed.error)) if (!(issue.path in errors)) errors[issue.path] = issue.message;
  }
  if (options.today)
    for (const issue of visitDatesAfter(input.visit as Parameters<typeof visitDatesAfter>[0], options.today))
      errors[issue.path] ??= issue.message;
  // The dates the visit needs, said with the rest: the engine's check of them runs only once the rest of the form
  // parses, so an empty form listed 13 fixes without 就诊日期, and asked for it only after those (a walk).
  const stay = needsStayDates(draft.guide.visitKind);
  const dates: Array<[keyof ClaimDraftState['visit'] & string, string]> = stay
    ? [
        ['admissionDate', '住院请填写入院日期'],
        ['dischargeDate', '住院请填写出院日期'],
      ]
    : [['visitDate', '请填写就诊日期']];
  for (const [field, message] of dates)
    if (!normaliseDateInput(String(draft.visit[field] ?? ''))) errors[`visit.${field}`] ??= message;
  // Their order too: the engine's check of it waits for the rest of the form, so 出院 before 入院 showed only once the
  // other fixes were made, and the count said one fix fewer (a walk).
  if (stay) {
    const admission = normaliseDateInput(String(draft.visit.admissionDate ?? ''));
    const discharge = normaliseDateInput(String(draft.visit.dischargeDate ?? ''));
    if (isValidIsoDate(admission) && isValidIsoDate(discharge) && discharge < admission)
      errors['visit.dischargeDate'] ??= DISCHARGE_BEFORE_ADMISSION;
  }
  if (draft.payout.guardianRelation) {
    const refusal = guardianAccountRefusal(
      options.guardianAccountForMinors ?? false,
      options.today ? ageOf(draft.insured.idNumber, options.today) : null,
    );
    if (refusal) errors['payout.guardianRelation'] ??= refusal;
  }
  if (diseaseKinds.has(draft.guide.visitKind ?? '') && !draft.visit.disease)
    errors['visit.disease'] ??= `请选择病种：${visitKindNames[draft.guide.visitKind as VisitKind]}按病种报销`;
  return { errors, form: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null };
}

/** Only the messages of fields the person has typed into (or all of them after a tap on 下一步). */
export function visibleErrors(errors: FieldErrors, touched: ReadonlySet<string>, showAll: boolean): FieldErrors {
  if (showAll) return errors;
  return Object.fromEntries(
    Object.entries(errors).filter(([path]) => touched.has(path) || touched.has(path.replace(/\.[^.]+$/, ''))),
  );
}

/** Fields of the 填写 step, in screen order: the first one with a message is where to scroll. */
export const formFieldOrder = [
  'insured.relation',
  'insured.name',
  'insured.idNumber',
  'insured.insuranceType',
  'insured.region',
  'hospital.name',
  'hospital.level',
  'visit.visitDate',
  'visit.admissionDate',
  'visit.dischargeDate',
  'visit.deliveryKind',
  'visit.disease',
  'lineItems',
  'payout.guardianRelation',
  'payout.holderName',
  'payout.bankName',
  'payout.accountNumber',
  'phone',
  'originals.method',
  'originals.trackingNumber',
] as const;

/** The errors that belong to the 填写 step (not materials, guide or declaration). */
export function formStepErrors(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(
    Object.entries(errors).filter(([path]) => !/^(materials|guide|declarationAccepted)/.test(path)),
  );
}

/** The Luhn warning next to the account field: shown, never blocking. */
export function payoutWarning(draft: Pick<ClaimDraftState, 'payout'>): string | null {
  return draft.payout.accountNumber.trim() ? bankAccountWarning(draft.payout.accountNumber) : null;
}

// ---------------------------------------------------------------------------------------------
// Regions and policies

export interface RegionOption {
  code: string;
  name: string;
  insuranceTypes: InsuranceType[];
}

/** The regions the policies cover (one entry per region, its insurance types in a fixed order). */
export function regionOptions(policies: readonly PolicyDocument[]): RegionOption[] {
  const byCode = new Map<string, RegionOption>();
  for (const policy of policies) {
    const option = byCode.get(policy.region) ?? { code: policy.region, name: policy.regionName, insuranceTypes: [] };
    if (!option.insuranceTypes.includes(policy.insuranceType)) option.insuranceTypes.push(policy.insuranceType);
    byCode.set(policy.region, option);
  }
  return [...byCode.values()].map((option) => ({
    ...option,
    insuranceTypes: (['employee', 'resident'] as const).filter((type) => option.insuranceTypes.includes(type)),
  }));
}

/** Below this age a person is not at work: no 在职还是退休 to ask, and their insurance is 居民医保 (a walk: an 8-year-old asked). */
export const WORKING_AGE = 16;

/**
 * Why a minor's claim may not be paid into a guardian's account, or null when it may: the policy must allow it and the
 * insured person must be under 18 on the day of filing (`age` null: not known yet on the device — the server knows it).
 */
export function guardianAccountRefusal(allowedByPolicy: boolean, age: number | null): string | null {
  if (!allowedByPolicy)
    return '本地政策规定报销款只能打入参保人本人名下的银行账户：请选「参保人本人的账户」，填写参保人本人的银行卡';
  if (age !== null && age >= ADULT_AGE)
    return `参保人已满 ${ADULT_AGE} 周岁，报销款须打入本人名下的银行账户：请选「参保人本人的账户」`;
  return null;
}

/**
 * Whether the 收款账户 offers a parent's or guardian's account: the policy allows it and the person is not known to be an
 * adult — nor one by relation (a walk: 父亲的账户 offered for 张三's mother while her 身份证号 was half typed).
 */
export function offersGuardianAccount(
  allowedByPolicy: boolean,
  age: number | null,
  relation?: PersonRelation,
): boolean {
  if (relation === 'parent' || relation === 'spouse') return false;
  return guardianAccountRefusal(allowedByPolicy, age) === null;
}

/** Whose account: the insured person's own, or a parent's or guardian's. */
export type PayoutHolder = GuardianRelation | 'own';

/**
 * The payout with another holder chosen: the card typed (or kept) was the other holder's, so it is typed again — a walk
 * switched from 母亲的账户 back to 本人的账户 and the mother's card stayed under the child's name. The same holder
 * tapped again changes nothing; a guardian's name typed stays for another guardian chosen.
 */
export function withPayoutHolder(payout: DraftPayout, holder: PayoutHolder): DraftPayout {
  if ((payout.guardianRelation ?? 'own') === holder) return payout;
  const card = { bankName: '', accountNumber: '' };
  return holder === 'own'
    ? card
    : { ...card, guardianRelation: holder, holderName: payout.guardianRelation ? (payout.holderName ?? '') : '' };
}

/** Whole years of age on `today` (YYYY-MM-DD) of the person a valid 身份证号 names; null for one not valid yet. */
export function ageOf(idNumber: string, today: string): number | null {
  const id = validateIdNumber(idNumber, { today });
  if (!id.ok) return null;
  const years = Number(today.slice(0, 4)) - Number(id.birthDate.slice(0, 4));
  return today.slice(5) >= id.birthDate.slice(5) ? years : years - 1;
}

/**
 * Under 险种, what the region offers, and — where one of the two has no policy here — that it cannot be filed here and
 * whom to ask (a walk: a child in 北京市 read 北京市可选：职工医保 with 居民医保 greyed out, and nothing more).
 */
export function insuranceTypeHint(region: RegionOption | undefined, age: number | null): string {
  if (!region) return '先选参保地';
  const offered = `${region.name}可选：${region.insuranceTypes.map((type) => insuranceTypeNames[type]).join('、')}`;
  const missing = (['employee', 'resident'] as const).filter((type) => !region.insuranceTypes.includes(type));
  if (missing.length === 0) return offered;
  const minor = age !== null && age < WORKING_AGE && missing.includes('resident') ? '未成年人一般参加居民医保。' : '';
  return `${offered}。${minor}${region.name}${missing.map((type) => insuranceTypeNames[type]).join('、')}的报销政策还没有收录，暂不能在这里申请：请向${region.name}医保经办机构申请，或拨打 12393 咨询。`;
}

/** The date the draft counts on (discharge for a stay, else the visit), when it is a valid date. */
export function serviceDateOf(draft: ClaimDraftState): string | null {
  const date = normaliseDateInput(
    needsStayDates(draft.guide.visitKind) ? draft.visit.dischargeDate : draft.visit.visitDate,
  );
  return isValidIsoDate(date) ? date : null;
}

export type PolicyChoice = { ok: true; policy: PolicyDocument } | { ok: false; message: string };

/** The policy for the draft's region, insurance type and date (today when no date yet). */
export function policyOf(draft: ClaimDraftState, policies: readonly PolicyDocument[], today: string): PolicyChoice {
  const { region, insuranceType } = draft.insured;
  if (!region || !insuranceType) return { ok: false, message: '请先选择参保地和险种' };
  try {
    return { ok: true, policy: selectPolicy(policies, region, insuranceType, serviceDateOf(draft) ?? today) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : '没有找到适用的报销政策' };
  }
}

/**
 * The year of the ledger the estimate needs: the policy year the visit falls in (a policy's year may start on 07-01),
 * today's when no date is typed yet; the calendar year when no policy applies (nothing is estimated then).
 */
export function ledgerYearOfDraft(draft: ClaimDraftState, policies: readonly PolicyDocument[], today: string): number {
  const date = serviceDateOf(draft) ?? today;
  const choice = policyOf(draft, policies, today);
  return choice.ok ? policyYearOf(choice.policy, date) : Number(date.slice(0, 4));
}

/**
 * How the estimate names the ledger's year: 今年 (本医保年度 for a policy year not starting on 01-01) when it is
 * today's; else 2025 年, or 2025 医保年度（2025-07-01 至 2026-06-30）.
 */
export function ledgerYearWords(
  policy: Pick<PolicyDocument, 'policyYearStart'>,
  year: number,
  today: string,
): { short: string; long: string } {
  const calendar = policy.policyYearStart === '01-01';
  if (year === policyYearOf(policy, today)) {
    const short = calendar ? '今年' : '本医保年度';
    return { short, long: short };
  }
  if (calendar) return { short: `${year} 年`, long: `${year} 年` };
  const { from, to } = policyYearSpan(policy, year);
  return { short: `${year} 医保年度`, long: `${year} 医保年度（${from} 至 ${to}）` };
}

/**
 * What the fund paid in a year so far, as a person reads 今年医保已支付: every benefit's payment (`benefitPaid`, after
 * limits and caps) and 大病保险's. `fundPaidByCap` is not it: it counts only benefits under a policy cap (a walk: 0.00
 * 元 after 426.47 元 of 门诊 was paid). A 生育 定额 is not among the year's counters and is not included.
 */
export function fundPaidInYear(ledger: Pick<Ledger, 'benefitPaid' | 'majorIllnessPaid'>): number {
  return Object.values(ledger.benefitPaid).reduce((sum, fen) => sum + fen, ledger.majorIllnessPaid);
}

/** Whether paper originals must reach the agency (true when the policy is not known yet: the safe side). */
export function paperOriginalsRequiredOf(draft: ClaimDraftState, policy: PolicyDocument | null): boolean {
  return (policy?.processing.paperOriginalsRequired ?? true) && !draft.electronicInvoice;
}

/** "出院后 90 天内提交，还剩 12 天" / "次年 1 月 20 日前提交，还剩 40 天" / "已超过申报期限（2026-02-01）". */
export function deadlineText(
  policy: Pick<PolicyDocument, 'filingDeadline'>,
  filing: FilingDeadline,
  stay: boolean,
): string {
  const rule = policy.filingDeadline;
  const within =
    rule.kind === 'daysAfter'
      ? `${stay ? '出院' : '就诊'}后 ${rule.days} 天内提交`
      : `次年 ${rule.month} 月 ${rule.day} 日前提交`;
  if (filing.status === 'expired')
    return `${within}，已超过申报期限（${filing.deadline}），请尽快联系参保地医保经办机构`;
  return `${within}，还剩 ${filing.daysLeft} 天（截止 ${filing.deadline}）`;
}

/** The filing deadline of a draft, once its policy and date are known. */
export function draftDeadline(
  draft: ClaimDraftState,
  policies: readonly PolicyDocument[],
  now: Date,
  today: string,
): { filing: FilingDeadline; text: string } | null {
  const date = serviceDateOf(draft);
  const choice = policyOf(draft, policies, today);
  if (!date || !choice.ok) return null;
  const stay = needsStayDates(draft.guide.visitKind);
  const admission = normaliseDateInput(draft.visit.admissionDate);
  // 出院 before 入院 counts no deadline (a walk read 还剩 82 天 worked out from the wrong day, beside its refusal).
  if (stay && isValidIsoDate(admission) && date < admission) return null;
  const visit = stay ? { admissionDate: admission || date, dischargeDate: date } : { visitDate: date };
  const filing = filingStatus(choice.policy, visit, now);
  return { filing, text: deadlineText(choice.policy, filing, stay) };
}

// ---------------------------------------------------------------------------------------------
// The instant estimate

/** The engine's claim from the parts the estimate needs (guide, insured, hospital level, dates, lines), or null. */
export function engineClaimOfDraft(draft: ClaimDraftState): Claim | null {
  const checked = engineCheckOfDraft(draft);
  return checked.ok ? checked.claim : null;
}

/**
 * The engine's claim, or why there is none: a field still empty (null), or values that contradict each other — a 出院
 * before the 入院 — said in the engine's words (the estimate went back to 填好参保地… with dates filled, a walk).
 */
function engineCheckOfDraft(
  draft: ClaimDraftState,
): { ok: true; claim: Claim } | { ok: false; contradiction: string | null } {
  const outcome = guideOutcomeOf(draft);
  if (!outcome || !draft.insured.region || !draft.insured.insuranceType || !draft.hospital.level)
    return { ok: false, contradiction: null };
  const flags = outOfRegionFlags(outcome);
  const input = formInputOf(draft, {}, { paperOriginalsRequired: false });
  const parsed = claimSchema.safeParse({
    insured: {
      insuranceType: draft.insured.insuranceType,
      retired: draft.insured.retired,
      region: draft.insured.region,
      filedForOutOfRegion: flags.filedForOutOfRegion,
    },
    visit: {
      kind: outcome.visitKind,
      hospitalLevel: draft.hospital.level,
      outOfRegion: flags.outOfRegion,
      referral: flags.referral,
      ...(input.visit as object),
    },
    lineItems: input.lineItems,
  });
  if (parsed.success) return { ok: true, claim: parsed.data };
  // A field still to fill (请填写… / 请选择…) is not a contradiction: the placeholder says what to fill.
  const contradiction = parsed.error.issues.find(
    (issue) => issue.code === 'custom' && !/请(填写|选择)/.test(issue.message),
  );
  return { ok: false, contradiction: contradiction?.message ?? null };
}

export type DraftEstimate =
  | { ok: true; result: EstimateResult; policy: PolicyDocument }
  | { ok: false; message: string };

export function estimateDraft(
  draft: ClaimDraftState,
  policies: readonly PolicyDocument[],
  ledger: Ledger | undefined,
  today: string,
): DraftEstimate {
  const checked = engineCheckOfDraft(draft);
  if (!checked.ok)
    return {
      ok: false,
      message: checked.contradiction
        ? `暂时算不出预估金额：${checked.contradiction}，请改正后再看。`
        : '填好参保地、险种、医院等级、就诊日期和费用明细后，这里会算出预计能报多少',
    };
  const claim = checked.claim;
  const choice = policyOf(draft, policies, today);
  if (!choice.ok) return choice;
  try {
    return { ok: true, result: estimate(claim, choice.policy, ledger).result, policy: choice.policy };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : '暂时算不出预估金额' };
  }
}

/** Total of the amounts typed so far (unparsable ones count as 0). */
export function draftTotalFen(draft: Pick<ClaimDraftState, 'lineItems'>): number {
  return draft.lineItems.reduce((sum, item) => {
    const amount = parseYuan(item.yuan);
    return sum + (amount.ok ? amount.fen : 0);
  }, 0);
}

/**
 * A line above 200,000 元 is rarely so and often a slip (zeros typed twice, the decimal point left out: a walk's 床位费
 * of 35,000,000 元 for a five-day stay went through to 医保预计支付 391,778.83 元 without a word). Asked to check, not
 * refused: large bills exist. The line's warning, or null.
 */
export const LARGE_LINE_FEN = 20_000_000;

export function largeAmountWarning(yuan: string): string | null {
  const amount = parseYuan(yuan);
  return amount.ok && amount.fen > LARGE_LINE_FEN
    ? `这一项 ${formatYuan(amount.fen)}，金额很大：请对照票据核对，是否多输了位数或漏了小数点。没有错可以继续。`
    : null;
}

// ---------------------------------------------------------------------------------------------
// Materials

export function checklistOfDraft(draft: ClaimDraftState, paperOriginalsRequired: boolean): MaterialItem[] {
  const outcome = guideOutcomeOf(draft);
  if (!outcome) return [];
  return checklistOf(
    {
      guide: outcome,
      insured: { relation: draft.insured.relation } as ClaimForm['insured'],
      electronicInvoice: draft.electronicInvoice,
      payout: guardianOf(draft.payout),
    },
    paperOriginalsRequired,
  );
}

export function missingOfDraft(
  draft: ClaimDraftState,
  materials: Record<string, string[]>,
  paperOriginalsRequired: boolean,
): MissingMaterial[] {
  const outcome = guideOutcomeOf(draft);
  if (!outcome) return [];
  return missingOf(
    {
      guide: outcome,
      insured: { relation: draft.insured.relation } as ClaimForm['insured'],
      electronicInvoice: draft.electronicInvoice,
      payout: guardianOf(draft.payout),
      materials,
    },
    paperOriginalsRequired,
  );
}

// ---------------------------------------------------------------------------------------------
// The server copy of a draft

/** What goes to claims.saveDraft: the form as typed (amounts also in fen), plus where the person was. */
export function serverDraftOf(draft: ClaimDraftState): Record<string, unknown> {
  const input = formInputOf(draft, {}, { paperOriginalsRequired: true });
  delete input.materials;
  return {
    ...input,
    lineItems: draft.lineItems.map((item, index) => ({ ...(input.lineItems as object[])[index], yuan: item.yuan })),
    draft: {
      step: draft.step,
      localId: draft.localId,
      submitRequestId: draft.submitRequestId,
      ...(draft.personRelation ? { personRelation: draft.personRelation } : {}),
    },
  };
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const oneOf = <T extends string | number>(values: readonly T[], value: unknown): T | undefined =>
  values.includes(value as T) ? (value as T) : undefined;

/** A payout's guardian part (the relation and the holder's name, or nothing), from the draft or its server copy. */
function guardianOf(payout: {
  guardianRelation?: unknown;
  holderName?: unknown;
}): Pick<DraftPayout, 'guardianRelation' | 'holderName'> {
  const relation = oneOf(guardianRelations, payout.guardianRelation);
  return relation ? { guardianRelation: relation, holderName: str(payout.holderName) } : {};
}

/**
 * A draft back from the server copy (another device, or local storage lost). Masked personal fields
 * (身份证号, 卡号, 手机号 come back as 110***1234) are left empty: the person types them again.
 */
export function draftFromServer(
  serverId: string,
  form: Record<string, unknown>,
  now: number,
  fallbackIds: { localId: string; submitRequestId: string },
): ClaimDraftState {
  const meta = obj(form.draft);
  const base = emptyDraft(
    str(meta.localId) || fallbackIds.localId,
    str(meta.submitRequestId) || fallbackIds.submitRequestId,
    now,
  );
  const personId = str(form.personId);
  // A family member's masked values stand for theirs (the server fills them in); any other masked value must be typed again.
  const unmasked = (value: unknown): string => (str(value).includes('*') && !personId ? '' : str(value));
  const guide = obj(form.guide);
  const insured = obj(form.insured);
  const hospital = obj(form.hospital);
  const visit = obj(form.visit);
  const payout = obj(form.payout);
  const originals = obj(form.originals);
  const lines = Array.isArray(form.lineItems) ? form.lineItems.map(obj) : [];
  return {
    ...base,
    serverId,
    ...(personId ? { personId } : {}),
    // The relation chosen for the person on the draft: a saved member's, or the one ticked for a member not yet saved.
    ...withoutEmpty({ personRelation: oneOf(personRelations, meta.personRelation) }),
    step:
      oneOf(
        draftSteps.map((step) => step.key),
        meta.step,
      ) ?? 'form',
    guide: withoutEmpty({
      scenario: str(guide.scenario),
      outOfRegionKind: str(guide.outOfRegionKind),
      visitKind: str(guide.visitKind),
    }),
    insured: {
      relation: oneOf(['self', 'relative'] as const, insured.relation) ?? 'self',
      name: str(insured.name),
      idNumber: unmasked(insured.idNumber),
      retired: insured.retired === true,
      ...withoutEmpty({
        insuranceType: oneOf(['employee', 'resident'] as const, insured.insuranceType),
        region: str(insured.region),
      }),
    },
    hospital: { name: str(hospital.name), ...withoutEmpty({ level: oneOf([1, 2, 3] as const, hospital.level) }) },
    visit: {
      visitDate: str(visit.visitDate),
      admissionDate: str(visit.admissionDate),
      dischargeDate: str(visit.dischargeDate),
      ...withoutEmpty({
        deliveryKind: oneOf(['natural', 'cesarean'] as const, visit.deliveryKind),
        disease: typeof visit.disease === 'string' && visit.disease !== '' ? visit.disease : undefined,
      }),
    },
    lineItems:
      lines.length > 0
        ? lines.map((line, index) => ({
            key: `${base.localId}-${index + 1}`,
            name: str(line.name),
            yuan:
              str(line.yuan) ||
              (typeof line.amountFen === 'number' && Number.isSafeInteger(line.amountFen)
                ? fenToInputText(line.amountFen)
                : ''),
            category: oneOf(['A', 'B', 'C'] as const, line.category) ?? 'A',
          }))
        : base.lineItems,
    payout: {
      bankName: str(payout.bankName),
      accountNumber: unmasked(payout.accountNumber),
      ...guardianOf(payout),
    },
    phone: unmasked(form.phone),
    electronicInvoice: form.electronicInvoice === true,
    originals: {
      trackingNumber: str(originals.trackingNumber),
      ...withoutEmpty({ method: oneOf(['mail', 'inPerson'] as const, originals.method) }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Family members

/** The draft filled from a chosen family member: who, where insured, the payout account and phone (masked: the server keeps them). */
export function applyPerson(draft: ClaimDraftState, person: PersonView): ClaimDraftState {
  return {
    ...draft,
    personId: person.id,
    personRelation: person.relation,
    insured: {
      ...draft.insured,
      relation: person.relation === 'self' ? 'self' : 'relative',
      name: person.name,
      idNumber: person.idNumber,
      retired: person.retired,
      ...(person.insuranceType ? { insuranceType: person.insuranceType } : {}),
      ...(person.region ? { region: person.region } : {}),
    },
    payout: person.payout ? { ...person.payout } : draft.payout,
    phone: person.phone ?? draft.phone,
  };
}

/**
 * The draft typing a new person: the chosen member's values are dropped, their 险种 and 退休 too — a child added after
 * 本人 came pre-set to 职工医保 · 在职 (a walk). The region stays (a family mostly shares one); where it has one 险种,
 * that one.
 */
export function forNewPerson(
  draft: ClaimDraftState,
  /** Not yet known when ＋ 新增家庭成员 is tapped: the person ticks it (a walk saw 其他家人 ticked for a child). */
  relation: PersonRelation | undefined,
  regions: readonly RegionOption[],
  /** 重新填写这位家庭成员: the same person typed again, their 险种 and 退休 kept. */
  options: { keepInsurance?: boolean } = {},
): ClaimDraftState {
  const { personId: _dropped, personRelation: _theirs, ...rest } = draft;
  const { insuranceType: theirs, ...insured } = draft.insured;
  const types =
    options.keepInsurance && theirs
      ? [theirs]
      : (regions.find((option) => option.code === insured.region)?.insuranceTypes ?? []);
  return {
    ...rest,
    ...(relation ? { personRelation: relation } : {}),
    insured: {
      ...insured,
      relation: relation === 'self' ? 'self' : 'relative',
      name: '',
      idNumber: '',
      retired: options.keepInsurance ? insured.retired : false,
      ...(types.length === 1 ? { insuranceType: types[0]! } : {}),
    },
    payout: { bankName: '', accountNumber: '' },
    phone: '',
  };
}

/**
 * A draft not yet naming anyone, for 本人, with 本人 saved: 本人 chosen (a walk found ＋ 新增家庭成员 · 我本人 picked
 * while 本人 张三 stood as a chip beside it). Any draft already naming or typing someone is left as it is.
 */
export function withSelfChosen(draft: ClaimDraftState, persons: readonly PersonView[]): ClaimDraftState {
  const self = persons.find((person) => person.relation === 'self');
  const untouched =
    !draft.personId &&
    draft.insured.relation === 'self' &&
    !draft.insured.name.trim() &&
    !draft.insured.idNumber.trim();
  return self && untouched ? applyPerson(draft, self) : draft;
}

/** A person typed on the draft, to keep as a family member (null until name and 身份证号 are there). */
export function personInputOfDraft(draft: ClaimDraftState): PersonInput | null {
  const { name, idNumber, insuranceType, region, retired } = draft.insured;
  if (!name.trim() || !idNumber.trim()) return null;
  const relation: PersonRelation =
    draft.insured.relation === 'self'
      ? 'self'
      : draft.personRelation && draft.personRelation !== 'self'
        ? draft.personRelation
        : 'other';
  return {
    // The chosen member while the number is theirs (masked); a number typed in full is saved by the number (the same
    // person, or a new member): never as an edit of the member chosen before, whose number is who they are.
    ...(draft.personId && isMasked(idNumber) ? { id: draft.personId } : {}),
    relation,
    name,
    idNumber,
    retired,
    ...(insuranceType ? { insuranceType } : {}),
    ...(region ? { region } : {}),
    ...(draft.payout.bankName.trim() && draft.payout.accountNumber.trim()
      ? {
          payout: {
            bankName: draft.payout.bankName,
            accountNumber: draft.payout.accountNumber,
            ...(draft.payout.guardianRelation && draft.payout.holderName?.trim()
              ? { guardianRelation: draft.payout.guardianRelation, holderName: draft.payout.holderName }
              : {}),
          },
        }
      : {}),
    ...(draft.phone.trim() ? { phone: draft.phone } : {}),
  };
}

/** Whether a personal value on the draft is a family member's masked copy (shown as is, never re-masked). */
export function isKeptValue(draft: Pick<ClaimDraftState, 'personId'>, value: string): boolean {
  return draft.personId !== undefined && isMasked(value);
}

/** "大连市 职工医保" for a summary line. */
export function regionLabel(
  options: readonly RegionOption[],
  code: string | undefined,
  insuranceType: InsuranceType | undefined,
): string {
  const region = options.find((option) => option.code === code)?.name ?? '';
  return `${region}${insuranceType ? ` ${insuranceTypeNames[insuranceType]}` : ''}`.trim();
}

export type { VisitKind };

/** What the person was about to do with the draft in progress: start another claim, or open another draft. */
export type PutAsideAction = 'startAgain' | 'openOther';

/**
 * Why the draft in progress cannot be put aside yet, or null when it can. Putting it aside forgets it
 * on this device, so it must be saved on the server with every photo: a change not yet saved (no
 * network) or a photo still on its way (or whose upload failed) would be lost.
 */
export function putAsideBlocker(
  state: { saved: boolean; photosNotUploaded: number },
  action: PutAsideAction,
): string | null {
  const then = action === 'startAgain' ? '重新开始' : '打开另一份';
  if (state.photosNotUploaded > 0)
    return `正在填的报销还有 ${state.photosNotUploaded} 张照片没有传上去。请回到那一份，等照片显示「已上传」（传不上的点「重试」或删掉）后再${then}，否则这些照片会丢失。`;
  if (!state.saved)
    return `正在填的报销有改动还没保存到服务器（可能是网络不通）。请连上网，等页面显示「已保存」后再${then}，否则这些改动会丢失。`;
  return null;
}
