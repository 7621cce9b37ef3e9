/**
 * The policy document: one region + one insurance type (职工 / 居民), as an operator writes it.
 *
 * Like openfisca's parameters, every number may change over time. Any parameter can be written
 * either as a plain value (in force for the whole document) or as a table keyed by the date the
 * value takes effect:
 *
 *     "level3": 130000                                   — 1,300.00 元 throughout
 *     "level3": { "2025-01-01": 130000, "2025-07-01": 120000 }   — lowered from 1 July
 *
 * Money is integer fen (分), ratios are integer basis points (10000 = 100%). The format is
 * documented for operators in docs/policy-format.md; keep the two in step.
 */
import * as z from 'zod';
import { MAX_FEN } from '../money';
import { refuseUnsafeText } from '../text';
import { isValidIsoDate, isoDateSchema } from './dates';
import { policyCasesSchema } from './cases';

// ---------------------------------------------------------------------------------------------
// Leaves

export const visitKinds = [
  'inpatient',
  'outpatient',
  'chronic',
  'twoDiseases',
  'special',
  'emergency',
  'maternity',
  'accident',
] as const;
export const visitKindSchema = z.enum(visitKinds, { error: `就诊类型只能是 ${visitKinds.join(' / ')}` });
export type VisitKind = z.output<typeof visitKindSchema>;

export const visitKindNames: Record<VisitKind, string> = {
  inpatient: '住院',
  outpatient: '普通门诊',
  chronic: '门诊慢特病',
  twoDiseases: '门诊两病',
  special: '特殊门诊',
  emergency: '急诊',
  maternity: '住院分娩',
  accident: '意外伤害门（急）诊',
};

export const insuranceTypes = ['employee', 'resident'] as const;
export const insuranceTypeSchema = z.enum(insuranceTypes, {
  error: '险种只能是 employee（职工医保）或 resident（居民医保）',
});
export type InsuranceType = z.output<typeof insuranceTypeSchema>;
export const insuranceTypeNames: Record<InsuranceType, string> = { employee: '职工医保', resident: '居民医保' };

const fen = z
  .number({
    error: (issue) => (issue.input === undefined ? '此项必填' : '金额应为以分为单位的整数（例如 1,300 元写 130000）'),
  })
  .int('金额应为以分为单位的整数（例如 1,300 元写 130000）')
  .min(0, '金额不能为负数')
  .max(MAX_FEN, '金额过大');

/** Basis points, 0–10000. */
const basisPoints = z
  .number({
    error: (issue) => (issue.input === undefined ? '此项必填' : '比例应为万分比整数（10000 = 100%，65% 写 6500）'),
  })
  .int('比例应为万分比整数（10000 = 100%，65% 写 6500）')
  .min(0, '比例不能为负数')
  .max(10000, '比例不能超过 10000（100%）');

/** A ratio paid or paid first: 0, or 1 % and up. */
const ratio = basisPoints
  // 1–99 is under 1 %: a percentage written as is (an operator walk: "level3": 70 meant 70 %, read as 0.7 %, and no
  // fault said so). No policy pays a share under 1 %; 0 stays allowed. (Points of a drop or a bonus may be smaller.)
  .refine((value) => value === 0 || value >= 100, {
    error: (issue) =>
      `写的是 ${String(issue.input)}，即 0.${String(issue.input).padStart(2, '0')}%，不到 1%：如果是 ${String(issue.input)}%，请写 ${String(issue.input)}00（万分比，10000 = 100%）`,
  });

/** Points a ratio drops or rises by (basis points: 10 个百分点 = 1000; half a point, 50, is a real bonus). */
const points = basisPoints;

// ---------------------------------------------------------------------------------------------
// Dated values (openfisca-style) and "one value or one per hospital level"

/** One value of a parameter: in force from `from` (`null` = from the document's `effectiveFrom`), with its own source if it has one. */
export interface DatedEntry<T> {
  from: string | null;
  value: T;
  /** 文件号 or quoted text for this value (openfisca's per-value `reference`). */
  reference?: string;
}

/** A parameter's history: entries sorted by the date they take effect. */
export class Dated<T> {
  constructor(readonly entries: ReadonlyArray<DatedEntry<T>>) {}
}

type RawIssue = z.core.$ZodRawIssue;

function reissue(
  ctx: { issues: RawIssue[] },
  error: z.ZodError,
  prefix: ReadonlyArray<PropertyKey>,
  input: unknown,
): void {
  for (const issue of error.issues) {
    ctx.issues.push({ ...(issue as unknown as RawIssue), input, path: [...prefix, ...issue.path] } as RawIssue);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isDateTable(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => /^\d{4}-\d{2}-\d{2}$/.test(key));
}

/** `{ "value": …, "reference": "…" }`: a value with its own source (no other key is allowed beside `value`). */
function isReferenced(value: unknown): value is Record<string, unknown> {
  return (
    isPlainObject(value) &&
    'value' in value &&
    Object.keys(value).every((key) => key === 'value' || key === 'reference')
  );
}

const valueReference = z
  .string({ error: 'reference 应为文字（文件号或引文）' })
  .trim()
  .min(1, '请填写文件号或引文')
  .max(2000, '引文不能超过 2000 个字');

/** One value (plain, or `{ value, reference }`) checked by the leaf; faults carry their path below `prefix`. */
function entryOf<S extends z.ZodType>(
  leaf: S,
  input: unknown,
  from: string | null,
  ctx: { issues: RawIssue[] },
  prefix: PropertyKey[],
): DatedEntry<z.output<S>> | undefined {
  let raw = input;
  let reference: string | undefined;
  let valuePath = prefix;
  if (isReferenced(input)) {
    raw = input.value;
    valuePath = [...prefix, 'value'];
    if (input.reference !== undefined) {
      const checked = valueReference.safeParse(input.reference);
      if (!checked.success) reissue(ctx, checked.error, [...prefix, 'reference'], input.reference);
      else reference = checked.data;
    }
  }
  const result = leaf.safeParse(raw);
  if (!result.success) {
    reissue(ctx, result.error, valuePath, raw);
    return undefined;
  }
  return { from, value: result.data as z.output<S>, ...(reference !== undefined ? { reference } : {}) };
}

/**
 * A parameter that is a value, `{ "value": …, "reference": "…" }`, or a table keyed by the date each
 * value takes effect, whose entries may be either form: `{ "YYYY-MM-DD": value | { value, reference }, … }`.
 */
export function dated<S extends z.ZodType>(leaf: S): z.ZodType<Dated<z.output<S>>> {
  return z.unknown().transform((input, ctx) => {
    if (!isDateTable(input)) {
      const entry = entryOf(leaf, input, null, ctx, []);
      return entry ? new Dated([entry]) : z.NEVER;
    }
    const entries: Array<DatedEntry<z.output<S>>> = [];
    for (const key of Object.keys(input).sort()) {
      if (!isValidIsoDate(key)) {
        ctx.issues.push({ code: 'custom', message: `生效日期 ${key} 不是真实存在的日期`, input, path: [key] });
        continue;
      }
      const entry = entryOf(leaf, input[key], key, ctx, [key]);
      if (entry) entries.push(entry);
    }
    if (ctx.issues.length > 0) return z.NEVER;
    return new Dated(entries);
  }) as unknown as z.ZodType<Dated<z.output<S>>>;
}

export type HospitalLevel = 1 | 2 | 3;
export interface ByLevel<T> {
  level1: T;
  level2: T;
  level3: T;
}
/** One value for every hospital level, or one per level (一级 / 二级 / 三级). */
export type LevelValue<T = number> = T | ByLevel<T>;

const byLevel = <S extends z.ZodType>(leaf: S) => z.strictObject({ level1: leaf, level2: leaf, level3: leaf });

/** `6500` or `{ "level1": 8500, "level2": 7500, "level3": 6500 }`, with the fault's own path either way. */
function levelValue<S extends z.ZodType>(leaf: S): z.ZodType<LevelValue<z.output<S>>> {
  const table = byLevel(leaf);
  return z.unknown().transform((input, ctx) => {
    const result = isPlainObject(input) ? table.safeParse(input) : leaf.safeParse(input);
    if (!result.success) {
      reissue(ctx, result.error, [], input);
      return z.NEVER;
    }
    return result.data as LevelValue<z.output<S>>;
  }) as unknown as z.ZodType<LevelValue<z.output<S>>>;
}

/**
 * A key the format renamed (one word for one idea: `annual`, never `yearly`): refused with the new
 * name, so an operator's older document says exactly what to change instead of "unknown key".
 */
const renamedTo = (name: string) => z.never({ error: `此项已更名为 ${name}（含义不变），请改用新名称` }).optional();

const datedFen = dated(fen);
const datedRatio = dated(ratio);
const datedLevelFen = dated(levelValue(fen));
const datedLevelRatio = dated(levelValue(ratio));

// ---------------------------------------------------------------------------------------------
// Sections

const text = (what: string, max = 200) =>
  z
    .string({ error: `请填写${what}` })
    .check(refuseUnsafeText(what))
    .trim()
    .min(1, `请填写${what}`)
    .max(max, `${what}不能超过 ${max} 个字`);

const sourceSchema = z.strictObject({
  title: text('来源标题'),
  reference: text('文件号或引文', 2000),
  url: z.url({ error: '链接格式不正确' }).optional(),
});

/** Bands over a year-cumulative amount: each band ends at `upTo` (exclusive of what follows); the last is open (`upTo: null`). */
function bandsSchema<S extends z.ZodType>(band: S, what: string) {
  return z
    .array(band, { error: `${what}应为分段列表` })
    .min(1, `${what}至少需要一段`)
    .superRefine((bands, ctx) => {
      let previous = 0;
      bands.forEach((item, index) => {
        const upTo = (item as { upTo: number | null }).upTo;
        const last = index === bands.length - 1;
        if (upTo === null && !last)
          ctx.addIssue({ code: 'custom', message: '只有最后一段可以不设上限（upTo: null）', path: [index, 'upTo'] });
        if (upTo !== null && last)
          ctx.addIssue({ code: 'custom', message: '最后一段应不设上限（upTo: null）', path: [index, 'upTo'] });
        if (upTo !== null && upTo <= previous)
          ctx.addIssue({ code: 'custom', message: '分段上限必须逐段递增', path: [index, 'upTo'] });
        if (upTo !== null) previous = upTo;
      });
    });
}

const segmentBandSchema = z.strictObject({
  upTo: fen.nullable(),
  ratio: levelValue(ratio),
  retiredRatio: levelValue(ratio).optional(),
});

const laterDeductibleSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('fixed'), amounts: datedLevelFen }),
    z.strictObject({
      mode: z.literal('fraction'),
      fractions: dated(z.array(ratio).min(1, '至少填写第二次住院的比例')),
    }),
  ],
  { error: 'later.mode 只能是 fixed（固定金额）或 fraction（首次起付线的比例）' },
);

const deductibleBasisSchema = z.enum(['perAdmission', 'perYear'], {
  error: 'basis 只能是 perAdmission（每次住院）或 perYear（每年一次）',
});

const inpatientSchema = z
  .strictObject({
    deductible: z.strictObject({
      basis: deductibleBasisSchema,
      first: datedLevelFen,
      later: laterDeductibleSchema.optional(),
      annualCap: datedFen.optional(),
      yearlyCap: renamedTo('annualCap'),
    }),
    ratio: datedLevelRatio.optional(),
    retiredRatio: datedLevelRatio.optional(),
    segments: z
      .strictObject({
        countedOn: z.enum(['beforeDeductible', 'afterDeductible'], {
          error: 'countedOn 只能是 beforeDeductible 或 afterDeductible',
        }),
        bands: dated(bandsSchema(segmentBandSchema, '分段报销比例')),
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (!value.ratio && !value.segments)
      ctx.addIssue({
        code: 'custom',
        message: '住院需要填写 ratio（报销比例）或 segments（分段比例）之一',
        path: ['ratio'],
      });
    if (value.ratio && value.segments)
      ctx.addIssue({
        code: 'custom',
        message: '报销比例（ratio）与分段比例（segments）只能填写一个',
        path: ['segments'],
      });
  });

const visitDeductibleBasisSchema = z.enum(['perVisit', 'perYear'], {
  error: 'deductibleBasis 只能是 perVisit（每次）或 perYear（每年累计一次）',
});

/** 门诊统筹 / 意外伤害: deductible, ratio, annual limit on what the fund pays. */
const simpleBenefitSchema = z.strictObject({
  deductible: datedLevelFen,
  deductibleBasis: visitDeductibleBasisSchema,
  ratio: datedLevelRatio,
  retiredRatio: datedLevelRatio.optional(),
  /** 起付线年度累计上限 for a per-visit deductible (e.g. 100 元 a visit, at most 300 元 a year). */
  deductibleAnnualCap: datedFen.optional(),
  annualLimit: datedFen.optional(),
  yearlyLimit: renamedTo('annualLimit'),
});

const diseaseCodeSchema = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/, '病种代码只能由字母、数字、-、_ 组成');

/** 门诊慢特病 / 两病 / 特殊门诊: per disease, each with its own annual limit and optionally its own ratio. */
const diseaseBenefitSchema = z.strictObject({
  deductible: datedLevelFen,
  deductibleBasis: visitDeductibleBasisSchema,
  deductibleAnnualCap: datedFen.optional(),
  ratio: datedLevelRatio,
  retiredRatio: datedLevelRatio.optional(),
  diseases: z
    .record(
      diseaseCodeSchema,
      z.strictObject({
        name: text('病种名称', 40),
        ratio: datedLevelRatio.optional(),
        /** The disease's own ratio for retirees (职工医保); without it a retiree gets the disease's `ratio`, else the benefit's. */
        retiredRatio: datedLevelRatio.optional(),
        annualLimit: datedFen.optional(),
        yearlyLimit: renamedTo('annualLimit'),
      }),
    )
    .refine((diseases) => Object.keys(diseases).length > 0, '至少列出一个病种'),
});

const maternitySchema = z.strictObject({
  allowances: z.strictObject({ natural: datedFen, cesarean: datedFen }),
});

const fundCapSchema = z.strictObject({
  id: diseaseCodeSchema,
  name: text('封顶线名称', 60),
  amount: datedFen,
  covers: z.array(visitKindSchema).min(1, '至少覆盖一种就诊类型'),
});

/** What besides the in-policy cost the fund did not pay counts as the claimant's 大病 burden. */
export const burdenParts = ['selfPayFirst', 'outOfRegionSelfPay'] as const;

/**
 * The categories a claim's 大病 burden is shared among when the policy pays each at its own ratio
 * (`majorIllness.categoryRatios`), in the order that settles ties: 甲类 (and ordinary 诊疗), 乙类,
 * and the two item classes that pay their own share first (`selfPayFirst.implant` / `.trialTest`).
 */
export const majorIllnessCategories = ['A', 'B', 'implant', 'trialTest'] as const;
export type MajorIllnessCategory = (typeof majorIllnessCategories)[number];
export const majorIllnessCategoryNames: Record<MajorIllnessCategory, string> = {
  A: '甲类',
  B: '乙类',
  implant: '高值医用耗材',
  trialTest: '放宽规则检查',
};

const categoryRatiosSchema = z
  .strictObject(
    Object.fromEntries(majorIllnessCategories.map((key) => [key, datedRatio.optional()])) as Record<
      MajorIllnessCategory,
      z.ZodOptional<typeof datedRatio>
    >,
    {
      error:
        'categoryRatios 应为 { "A": 甲类比例, "B": 乙类比例, "implant": 高值医用耗材比例, "trialTest": 放宽规则检查比例 }，至少写一项',
    },
  )
  .refine(
    (ratios) => Object.values(ratios).some((ratio) => ratio !== undefined),
    '至少写一个类别的比例（A、B、implant、trialTest）',
  );

const majorIllnessSchema = z
  .strictObject({
    threshold: datedFen,
    tiers: dated(bandsSchema(z.strictObject({ upTo: fen.nullable(), ratio }), '大病保险分段')),
    annualCap: datedFen,
    appliesTo: z.array(visitKindSchema).min(1, '至少适用于一种就诊类型'),
    /**
     * Shares the claimant paid first that also count toward the burden: `selfPayFirst` (乙类 and
     * special item classes), `outOfRegionSelfPay` (unfiled out-of-region share). Default: neither.
     */
    burdenIncludes: z
      .array(
        z.enum(burdenParts, {
          error: 'burdenIncludes 只能列 selfPayFirst（先行自付）或 outOfRegionSelfPay（异地未备案先行自付）',
        }),
      )
      .refine((parts) => new Set(parts).size === parts.length, '同一项不要重复列出')
      .default([]),
    /**
     * 大病 ratios by category (武威: 甲类 80%, 乙类 75%, 高精尖 70%): the burden is shared among the
     * categories and each part above the threshold is paid at its category's ratio; a category not
     * listed is paid at the tier ratio. Only with a single tier (the engine has no rule for both).
     */
    categoryRatios: categoryRatiosSchema.optional(),
  })
  .superRefine((rules, ctx) => {
    if (rules.categoryRatios && rules.tiers.entries.some((entry) => entry.value.length > 1)) {
      ctx.addIssue({
        code: 'custom',
        message:
          '按类别定比例（categoryRatios）只能与单一分段同用：tiers 只写一段 [{ "upTo": null, "ratio": … }]，未列出的类别按这一段的比例支付',
        path: ['categoryRatios'],
      });
    }
  });

/** 连续参保激励 (居民医保): after `afterYears` of continuous enrolment, each further year raises the 大病 cap and optionally the inpatient ratio. */
const bonusSchema = <S extends z.ZodType>(leaf: S) => z.strictObject({ perYear: dated(leaf), max: dated(leaf) });
const continuousEnrolmentSchema = z.strictObject({
  afterYears: z
    .number({ error: '请填写连续参保满多少年后开始激励' })
    .int('年数应为整数')
    .min(0, '年数不能为负')
    .max(50, '年数过大'),
  majorIllnessCapBonus: bonusSchema(fen).optional(),
  inpatientRatioBonus: bonusSchema(points).optional(),
});

const unfiledSchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('ratioReduction'), points: dated(points) }),
    z.strictObject({ mode: z.literal('selfPayFirst'), share: datedRatio }),
  ],
  { error: 'unfiled.mode 只能是 ratioReduction（比例降低）或 selfPayFirst（先行自付）' },
);

const outOfRegionSchema = z.strictObject({
  referralCountsAsFiled: z.boolean({ error: 'referralCountsAsFiled 应为 true 或 false' }),
  unfiled: unfiledSchema,
  unfiledInpatientDeductible: datedLevelFen.optional(),
});

const filingDeadlineSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('daysAfter'),
      days: z.number().int('天数应为整数').min(1, '天数至少为 1').max(3660, '天数过大'),
      dueSoonDays: z.number().int().min(0).max(365),
    }),
    z
      .strictObject({
        kind: z.literal('nextYearDate'),
        month: z.number().int().min(1, '月份为 1-12').max(12, '月份为 1-12'),
        day: z.number().int().min(1, '日期为 1-31').max(31, '日期为 1-31'),
        dueSoonDays: z.number().int().min(0).max(365),
      })
      .refine((value) => value.day <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][value.month - 1]!, {
        message: '该月没有这一天',
        path: ['day'],
      }),
  ],
  { error: 'filingDeadline.kind 只能是 daysAfter（就诊/出院后若干天）或 nextYearDate（次年某月某日前）' },
);

/** How the agency handles a claim: the settlement time limit in working days and whether paper originals must reach it. */
const processingSchema = z.strictObject({
  workingDays: z
    .number({ error: '请填写办理时限（工作日）' })
    .int('办理时限应为整数个工作日')
    .min(1, '办理时限至少 1 个工作日')
    .max(90, '办理时限不超过 90 个工作日'),
  paperOriginalsRequired: z.boolean({ error: 'paperOriginalsRequired 应为 true 或 false' }),
  /** Where originals are mailed or brought (shown to the claimant). */
  paperOriginalsAddress: z.string().max(120).optional(),
  /**
   * A claim for someone under 18 may be paid into a parent's or guardian's account, with proof of the relationship
   * (监护关系证明: 户口簿, 出生医学证明). Absent or false: only into the insured person's own account.
   */
  guardianAccountForMinors: z.boolean({ error: 'guardianAccountForMinors 应为 true 或 false' }).optional(),
});

const selfPayFirstSchema = z.strictObject({
  categoryB: datedRatio,
  trialTest: datedRatio.optional(),
  implant: datedRatio.optional(),
});

export const policyDocumentSchema = z
  .strictObject({
    id: z
      .string({ error: '请填写政策编号' })
      .regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/, '政策编号以字母开头，只能由字母、数字、-、_ 组成'),
    version: z.string().regex(/^[0-9A-Za-z.\-_]{1,20}$/, '版本号只能由数字、字母和 . - _ 组成'),
    title: text('政策名称', 80),
    region: z.string().regex(/^[0-9A-Za-z_-]{2,20}$/, '统筹区代码只能由数字、字母组成（例如 210200）'),
    regionName: text('统筹区名称', 20),
    insuranceType: insuranceTypeSchema,
    effectiveFrom: isoDateSchema,
    effectiveTo: isoDateSchema.optional(),
    /** First day (MM-DD) of the policy year (医保年度): ledgers, caps and deductibles restart on it. */
    policyYearStart: z
      .string({ error: 'policyYearStart 应为 MM-DD，如 07-01' })
      .regex(/^(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$/, 'policyYearStart 应为 MM-DD（如 07-01），日为 01-28，每年都存在')
      .default('01-01'),
    sample: z.boolean({ error: 'sample 应为 true（示例）或 false' }),
    /** Paths of the parameters whose values are examples, not a region's official figures (e.g. `inpatient.deductible.first`). */
    sampleValues: z.array(z.string().min(1).max(120)).default([]),
    sources: z.array(sourceSchema).min(1, '至少注明一个来源（文件号或引文）'),
    notes: z
      .string()
      .check(refuseUnsafeText('说明', { multiline: true }))
      .max(2000)
      .optional(),
    selfPayFirst: selfPayFirstSchema,
    inpatient: inpatientSchema.optional(),
    outpatient: simpleBenefitSchema.optional(),
    emergency: z
      .strictObject({
        rulesOf: z.enum(['outpatient', 'inpatient'], { error: 'rulesOf 只能是 outpatient 或 inpatient' }),
      })
      .optional(),
    chronic: diseaseBenefitSchema.optional(),
    twoDiseases: diseaseBenefitSchema.optional(),
    special: diseaseBenefitSchema.optional(),
    accident: simpleBenefitSchema.optional(),
    maternity: maternitySchema.optional(),
    fundCaps: z.array(fundCapSchema).default([]),
    majorIllness: majorIllnessSchema.optional(),
    continuousEnrolment: continuousEnrolmentSchema.optional(),
    outOfRegion: outOfRegionSchema,
    filingDeadline: filingDeadlineSchema,
    processing: processingSchema.default({ workingDays: 20, paperOriginalsRequired: true }),
    /** The document's own worked examples (claim in, figures out), run by `runPolicyCases` (./cases.ts, ./runCases.ts). */
    cases: policyCasesSchema.optional(),
  })
  .superRefine((doc, ctx) => {
    if (doc.effectiveTo && doc.effectiveTo < doc.effectiveFrom) {
      ctx.addIssue({
        code: 'custom',
        message: '失效日期（effectiveTo）不能早于生效日期（effectiveFrom）',
        path: ['effectiveTo'],
      });
    }
    const seen = new Set<string>();
    doc.fundCaps.forEach((cap, index) => {
      if (seen.has(cap.id))
        ctx.addIssue({ code: 'custom', message: `封顶线 id「${cap.id}」重复`, path: ['fundCaps', index, 'id'] });
      seen.add(cap.id);
    });
    const paths = parameterPaths(doc);
    if (doc.insuranceType === 'resident') {
      for (const path of paths) {
        if (/(^|\.)retiredRatio$/.test(path))
          ctx.addIssue({
            code: 'custom',
            message: '居民医保不区分退休与在职，不能填写退休人员报销比例（retiredRatio）',
            path: pathParts(path),
          });
      }
    }
    for (const itemClass of ['implant', 'trialTest'] as const) {
      if (doc.majorIllness?.categoryRatios?.[itemClass] !== undefined && doc.selfPayFirst[itemClass] === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `大病保险按${majorIllnessCategoryNames[itemClass]}定比例，需要在 selfPayFirst 中写明 ${itemClass} 的先行自付比例（可为 0）：否则这类费用按甲乙类计算，这个比例用不到`,
          path: ['majorIllness', 'categoryRatios', itemClass],
        });
      }
    }
    if (!doc.sample && doc.sampleValues.length > 0)
      ctx.addIssue({ code: 'custom', message: '正式政策（sample: false）不能含示例值', path: ['sampleValues'] });
    doc.sampleValues.forEach((path, index) => {
      if (!paths.has(path))
        ctx.addIssue({ code: 'custom', message: `文件中没有参数 ${path}`, path: ['sampleValues', index] });
    });
  });

/** `fundCaps[0].amount` → ['fundCaps', 0, 'amount'] (the inverse of formatPath). */
export function pathParts(path: string): Array<string | number> {
  return path
    .split('.')
    .flatMap((part) =>
      part.split(/(?=\[)/).map((piece) => (piece.startsWith('[') ? Number(piece.slice(1, -1)) : piece)),
    );
}

/**
 * Every path in a parsed document, written as fault paths are (`inpatient.deductible.first`,
 * `fundCaps[0].amount`, `inpatient.segments.bands[1].ratio`); a dated parameter contributes the
 * paths of all its values.
 */
export function parameterPaths(doc: unknown): Set<string> {
  const paths = new Set<string>();
  const walk = (node: unknown, path: string): void => {
    if (path) paths.add(path);
    if (node instanceof Dated) {
      for (const entry of node.entries as ReadonlyArray<DatedEntry<unknown>>) walk(entry.value, path);
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${path}[${index}]`));
    } else if (isPlainObject(node)) {
      for (const [key, value] of Object.entries(node)) walk(value, path ? `${path}.${key}` : key);
    }
  };
  walk(doc, '');
  return paths;
}

export type PolicyDocument = z.output<typeof policyDocumentSchema>;
