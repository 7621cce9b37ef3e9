/**
 * The rules engine: `estimate(claim, policy, ledger)` → `{ result, ledgerAfter }`. Pure and
 * deterministic: same input, same output, whatever the order of the line items; nothing is read
 * from the clock or the environment.
 *
 * The order of the steps (each one recorded in the trace, with the parameters it used):
 *   0. the policy year (医保年度) of the date of service; 连续参保激励 from the years of enrolment.
 *   1. lines: total; 丙类 (out of policy) set aside.
 *   2. self-pay first (先行自付): 乙类 and special item classes (implant, trialTest) pay a share first.
 *   3. out of region: 备案 / 转诊 → as at home; otherwise the ratio drops N points, or a share of the
 *      policy-range cost is self-paid first, and a policy may set its own inpatient deductible.
 *   4. deductible (起付线): by level, per admission / visit or per year, lower for later admissions,
 *      capped by the annual cap on accumulated deductibles.
 *   5. ratio (报销比例): by level and retired status (职工医保 only); the enrolment bonus raises the
 *      inpatient ratio before an unfiled reduction lowers it; segmented ratios count the
 *      year-cumulative in-policy cost (before or after the deductible, as the policy says).
 *   6. limits: the benefit's annual limit (门诊统筹, 两病 per disease, 意外伤害 …), then every annual
 *      fund cap (年度最高支付限额) that covers the visit kind.
 *   7. 大病保险 on the claimant's remaining burden (the in-policy cost the fund did not pay, plus the
 *      self-paid shares the policy counts), in tiers over the year-cumulative burden, up to its own
 *      annual cap (raised by the enrolment bonus). With ratios by category (`categoryRatios`, a single
 *      tier only): the claim's categories (甲类 / 乙类 / implant / trialTest) laid by ratio, lowest
 *      first, each given what its lines add to the burden of those below it (steps 1-6 again without
 *      the later ones), the part under the threshold taken from the bottom; each part paid at its
 *      category's ratio. Lowest first is what keeps "more cost never lowers what the claimant pays".
 *   8. fixed allowances (住院分娩) instead of 2-7, within the fund caps that cover maternity.
 *
 * ROUNDING, written down once: every multiplication of money by a ratio is `applyRatio` — half up to
 * the fen, once per step and per piece (a share per item class, a ratio per band piece, a 大病 tier
 * per piece). Everything else is integer addition, subtraction and min/max, so the parts add up to the
 * total exactly: claimantPays = total − fundPays − majorIllnessPays − allowances.
 * One written exception, 大病 by category: the categories' parts (whole fen, nothing is apportioned)
 * × their ratios are summed exactly and rounded half up once (`applyRatios`), and that total is shared
 * back to the categories for the trace — each its own product rounded down, the fen left over to the
 * largest fractions, equal fractions in the order of the steps — so equal ratios give exactly the
 * tier's result, and a higher ratio never pays less.
 */
import { DomainError } from '../errors';
import { applyRatio, applyRatios, FULL_RATIO, type BasisPoints, type Fen } from '../money';
import { describePolicy, policyYearOf, policyYearSpan, resolvePolicy } from '../policy/resolve';
import {
  insuranceTypeNames,
  majorIllnessCategories,
  visitKindNames,
  type HospitalLevel,
  type InsuranceType,
  type LevelValue,
  type MajorIllnessCategory,
  type PolicyDocument,
  type VisitKind,
} from '../policy/schema';
import { atLevel, type ResolvedPolicy } from '../policy/types';
import { dateOfService, emptyLedger, type Claim, type Ledger, type LineItem } from './claim';
import { traceStep, type Facts, type ParameterUse, type Rule, type TraceStep } from './trace';

export type { ParameterUse, TraceStep } from './trace';

export interface CapHit {
  /** e.g. `fundCaps.main`, `outpatient.annualLimit`, `majorIllness.annualCap`, `inpatient.deductible.annualCap`. */
  cap: string;
  name: string;
  limit: Fen;
  usedBefore: Fen;
  /** How much this claim's payment (or deductible) was cut by the cap. */
  reducedBy: Fen;
}

export interface EstimateWarning {
  code: string;
  message: string;
}

export interface EstimateResult {
  policy: {
    id: string;
    version: string;
    title: string;
    sample: boolean;
    region: string;
    regionName: string;
    insuranceType: InsuranceType;
  };
  visitKind: VisitKind;
  dateOfService: string;
  /** The policy year (医保年度) of the date of service, named by the calendar year it starts in. */
  policyYear: number;
  /** All amounts in fen. total = outOfPolicy + categoryBSelfPay + outOfRegionSelfPay + inPolicy. */
  total: Fen;
  outOfPolicy: Fen;
  categoryBSelfPay: Fen;
  outOfRegionSelfPay: Fen;
  inPolicy: Fen;
  deductibleTaken: Fen;
  fundPays: Fen;
  majorIllnessPays: Fen;
  allowances: Fen;
  totalPaid: Fen;
  claimantPays: Fen;
  capsHit: CapHit[];
  warnings: EstimateWarning[];
  trace: TraceStep[];
}

export interface Estimate {
  result: EstimateResult;
  ledgerAfter: Ledger;
}

/** A band over a year-cumulative amount: up to `upTo` (the last open), paid at `ratio`. */
export interface Band {
  upTo: Fen | null;
  ratio: BasisPoints;
}

/** The part of [start, end) that falls in one band, and what the band's ratio pays of it. */
export interface Piece {
  from: Fen;
  upTo: Fen | null;
  ratio: BasisPoints;
  amount: Fen;
  pays: Fen;
}

/**
 * The one band routine (segmented inpatient ratios, 大病 tiers): [start, end) cut at the bands'
 * bounds, each non-empty piece paid at its band's ratio, rounded half up per piece.
 */
export function pieces(start: Fen, end: Fen, bands: readonly Band[]): Piece[] {
  const out: Piece[] = [];
  let lower = 0;
  for (const band of bands) {
    const upper = band.upTo ?? Number.MAX_SAFE_INTEGER;
    const amount = Math.max(0, Math.min(end, upper) - Math.max(start, lower));
    if (amount > 0)
      out.push({ from: lower, upTo: band.upTo, ratio: band.ratio, amount, pays: applyRatio(amount, band.ratio) });
    lower = upper;
    if (lower >= end) break;
  }
  return out;
}

/** Mutable working state of one estimate. */
interface Run {
  claim: Claim;
  policy: ResolvedPolicy;
  level: HospitalLevel;
  /** Retired status as the scheme knows it: 居民医保 has none. */
  retired: boolean;
  trace: TraceStep[];
  warnings: EstimateWarning[];
  capsHit: CapHit[];
  after: Ledger;
  before: Ledger;
  /** Ratio points lost for an unfiled out-of-region visit. */
  ratioReduction: BasisPoints;
  /** Share self-paid first for an unfiled out-of-region visit. */
  outOfRegionShare: BasisPoints;
  unfiled: boolean;
  /** 连续参保激励 in force for this claimant. */
  bonus: { majorIllnessCap: Fen; inpatientRatio: BasisPoints };
  /** Remaining room under each fund cap that covers this visit. */
  capRoom: Array<{ index: number; id: string; name: string; limit: Fen; usedBefore: Fen; room: Fen }>;
}

interface Portion {
  total: Fen;
  outOfPolicy: Fen;
  selfPay: Fen;
  outOfRegionSelfPay: Fen;
  inPolicy: Fen;
}

/** Each resolved policy's parameter uses, made once (frozen, shared by the traces that cite them). */
const useCache = new WeakMap<ResolvedPolicy, Map<string, ParameterUse>>();

/** The parameters a step used, with the date each value took effect (a path the policy lacks is a bug here). */
function uses(run: Run, ...paths: Array<string | false | undefined>): ParameterUse[] {
  let cached = useCache.get(run.policy);
  if (!cached) {
    cached = new Map();
    useCache.set(run.policy, cached);
  }
  const out: ParameterUse[] = [];
  for (const path of paths) {
    if (!path) continue;
    let use = cached.get(path);
    if (!use) {
      const source = run.policy.sources[path];
      if (!source) throw new Error(`engine: no parameter ${path} in ${run.policy.id}`);
      use = Object.freeze({ param: path, ...source });
      cached.set(path, use);
    }
    out.push(use);
  }
  return out;
}

function step<R extends Rule>(
  run: Run,
  rule: R,
  facts: Facts[R],
  parameters: ParameterUse[],
  amountIn: Fen,
  amountOut: Fen,
): void {
  run.trace.push(traceStep(rule, facts, parameters, amountIn, amountOut));
}

function warn(run: Run, code: string, message: string): void {
  if (!run.warnings.some((warning) => warning.code === code && warning.message === message))
    run.warnings.push({ code, message });
}

function hitCap(run: Run, cap: string, name: string, limit: Fen, usedBefore: Fen, reducedBy: Fen): void {
  if (reducedBy <= 0) return;
  const existing = run.capsHit.find((hit) => hit.cap === cap);
  if (existing) existing.reducedBy += reducedBy;
  else run.capsHit.push({ cap, name, limit, usedBefore, reducedBy });
}

function add(counters: Record<string, Fen>, key: string, amount: Fen): void {
  if (amount !== 0 || counters[key] === undefined) counters[key] = (counters[key] ?? 0) + amount;
}

// ---------------------------------------------------------------------------------------------
// Steps 1-3: what part of the lines is within the policy range

function sortGroup(lines: readonly LineItem[], run: Run, group: string | null): Portion {
  const shares = run.policy.selfPayFirst;
  let total = 0;
  let outOfPolicy = 0;
  const amounts = { categoryB: 0, trialTest: 0, implant: 0 };
  for (const line of lines) {
    total += line.amountFen;
    if (line.category === 'C') outOfPolicy += line.amountFen;
    else if (line.itemClass && shares[line.itemClass] !== undefined) amounts[line.itemClass] += line.amountFen;
    else {
      if (line.itemClass)
        warn(
          run,
          'ITEM_CLASS_UNKNOWN',
          `本政策未规定「${line.itemClass === 'implant' ? '高值医用耗材' : '放宽规则检查'}」的先行自付比例，按甲乙类计算`,
        );
      if (line.category === 'B') amounts.categoryB += line.amountFen;
    }
  }
  step(run, 'lines', { group, lines: lines.length, total }, [], total, total);
  if (outOfPolicy > 0) step(run, 'outOfPolicy', { group, amount: outOfPolicy }, [], outOfPolicy, outOfPolicy);
  let selfPay = 0;
  for (const itemClass of ['categoryB', 'trialTest', 'implant'] as const) {
    const amount = amounts[itemClass];
    if (amount === 0) continue;
    const share = shares[itemClass] ?? 0;
    const part = applyRatio(amount, share);
    selfPay += part;
    step(
      run,
      'selfPayFirst',
      { group, itemClass, share, amount, part },
      uses(run, `selfPayFirst.${itemClass}`),
      amount,
      part,
    );
  }
  let inPolicy = total - outOfPolicy - selfPay;
  let outOfRegionSelfPay = 0;
  if (run.outOfRegionShare > 0 && inPolicy > 0) {
    outOfRegionSelfPay = applyRatio(inPolicy, run.outOfRegionShare);
    step(
      run,
      'outOfRegionSelfPay',
      { group, share: run.outOfRegionShare, inPolicy, part: outOfRegionSelfPay },
      uses(run, 'outOfRegion.unfiled.share'),
      inPolicy,
      outOfRegionSelfPay,
    );
    inPolicy -= outOfRegionSelfPay;
  }
  step(run, 'inPolicy', { group, inPolicy }, [], total, inPolicy);
  return { total, outOfPolicy, selfPay, outOfRegionSelfPay, inPolicy };
}

function outOfRegionStatus(run: Run): void {
  const { visit, insured } = run.claim;
  const rules = run.policy.outOfRegion;
  if (!visit.outOfRegion) return;
  const none = { points: 0, share: 0 };
  if (insured.filedForOutOfRegion) {
    step(run, 'outOfRegion', { how: 'filed', ...none }, [], 0, 0);
    return;
  }
  if (visit.referral && rules.referralCountsAsFiled) {
    step(run, 'outOfRegion', { how: 'referral', ...none }, uses(run, 'outOfRegion.referralCountsAsFiled'), 0, 0);
    return;
  }
  run.unfiled = true;
  if (visit.referral) warn(run, 'REFERRAL_NOT_RECOGNISED', '本政策不把转诊视同备案，按未备案的异地就医计算');
  if (rules.unfiled.mode === 'ratioReduction') {
    run.ratioReduction = rules.unfiled.points;
    step(
      run,
      'outOfRegion',
      { how: 'ratioReduction', ...none, points: rules.unfiled.points },
      uses(run, 'outOfRegion.unfiled.points'),
      0,
      0,
    );
  } else {
    run.outOfRegionShare = rules.unfiled.share;
    step(
      run,
      'outOfRegion',
      { how: 'selfPayFirst', ...none, share: rules.unfiled.share },
      uses(run, 'outOfRegion.unfiled.share'),
      0,
      0,
    );
  }
  warn(run, 'OUT_OF_REGION_UNFILED', '异地就医未备案，报销待遇低于参保地；如已备案或有转诊证明，请补充后重新估算');
}

// ---------------------------------------------------------------------------------------------
// Steps 4-6: deductible, ratio (possibly segmented), limits and caps for one group of lines

/** A ratio as the claimant gets it, and the parameter it comes from. */
interface RatioChoice {
  ratio: BasisPoints;
  params: string[];
  bonus: BasisPoints;
}

/** Retirees' ratio where the scheme and the policy have one; then the enrolment bonus (inpatient), then the unfiled reduction. */
function chooseRatio(
  run: Run,
  base: { value: LevelValue; path: string },
  retired?: { value: LevelValue | undefined; path: string },
  bonus: BasisPoints = 0,
): RatioChoice {
  const useRetired = run.retired && retired?.value !== undefined;
  const chosen = useRetired ? retired.value! : base.value;
  const raised = Math.min(FULL_RATIO, atLevel(chosen, run.level) + bonus);
  return {
    ratio: Math.max(0, raised - run.ratioReduction),
    params: [
      useRetired ? retired.path : base.path,
      ...(bonus > 0 ? ['continuousEnrolment.inpatientRatioBonus.perYear'] : []),
      ...(run.ratioReduction > 0 ? ['outOfRegion.unfiled.points'] : []),
    ],
    bonus,
  };
}

interface GroupRules {
  group: string | null;
  label: string;
  /** Key of the benefit counters (`benefitPaid`) for this group. */
  benefitKey: string;
  deductibleTaken: Fen;
  bands: Band[];
  ratioParams: string[];
  bonus: BasisPoints;
  /** Where this group's cost starts on the year-cumulative scale the bands count (0 without segments). */
  spanStart: Fen;
  countedOn: 'beforeDeductible' | 'afterDeductible';
  segmented: boolean;
  limit?: { cap: string; name: string; amount: Fen };
}

/** Cuts an amount the fund pays to the room left under every fund cap that covers the visit; records what bit. */
function withinFundCaps(run: Run, amount: Fen, group: string | null): Fen {
  let paid = amount;
  for (const cap of run.capRoom) {
    if (paid > cap.room) {
      hitCap(run, `fundCaps.${cap.id}`, cap.name, cap.limit, cap.usedBefore, paid - cap.room);
      step(
        run,
        'fundCap',
        { group, name: cap.name, limit: cap.limit, used: cap.limit - cap.room, room: cap.room },
        uses(run, `fundCaps[${cap.index}].amount`),
        paid,
        cap.room,
      );
      paid = cap.room;
    }
  }
  for (const cap of run.capRoom) cap.room -= paid;
  return paid;
}

function payGroup(run: Run, portion: Portion, rules: GroupRules): Fen {
  const { group } = rules;
  const { inPolicy } = portion;
  const taken = rules.deductibleTaken;
  const eligible = inPolicy - taken;
  const start = rules.countedOn === 'beforeDeductible' ? rules.spanStart + taken : rules.spanStart;
  const end = start + eligible;
  const parts: Piece[] = rules.segmented
    ? pieces(start, end, rules.bands)
    : [
        {
          from: 0,
          upTo: null,
          ratio: rules.bands[0]!.ratio,
          amount: eligible,
          pays: applyRatio(eligible, rules.bands[0]!.ratio),
        },
      ];
  const ratioUses = uses(run, ...rules.ratioParams);
  let fund = 0;
  for (const part of parts) {
    fund += part.pays;
    const facts: Facts['ratio'] = {
      group,
      segmented: rules.segmented,
      level: run.level,
      label: rules.label,
      inPolicy,
      deductible: taken,
      countedOn: rules.countedOn,
      from: part.from,
      upTo: part.upTo,
      ratio: part.ratio,
      reduction: run.ratioReduction,
      bonus: rules.bonus,
      piece: part.amount,
      pays: part.pays,
    };
    step(run, 'ratio', facts, ratioUses, part.amount, part.pays);
  }
  if (rules.segmented) {
    step(
      run,
      'ratioTotal',
      {
        group,
        level: run.level,
        label: rules.label,
        inPolicy,
        deductible: taken,
        countedOn: rules.countedOn,
        start,
        end,
        fund,
      },
      ratioUses,
      eligible,
      fund,
    );
  }

  if (rules.limit) {
    const usedNow = run.after.benefitPaid[rules.benefitKey] ?? 0;
    const room = Math.max(0, rules.limit.amount - usedNow);
    if (fund > room) {
      hitCap(
        run,
        rules.limit.cap,
        rules.limit.name,
        rules.limit.amount,
        run.before.benefitPaid[rules.benefitKey] ?? 0,
        fund - room,
      );
      step(
        run,
        'benefitLimit',
        { group, name: rules.limit.name, limit: rules.limit.amount, usedBefore: usedNow, room },
        uses(run, rules.limit.cap),
        fund,
        room,
      );
      fund = room;
    }
  }
  fund = withinFundCaps(run, fund, group);
  add(run.after.benefitPaid, rules.benefitKey, fund);
  return fund;
}

/** The deductible still due after the annual cap on accumulated deductibles (起付线年度累计上限). */
function capDeductible(
  run: Run,
  due: Fen,
  used: Fen,
  cap: { amount: Fen | undefined; path: string },
  group: string | null,
): Fen {
  if (cap.amount === undefined) return due;
  const room = Math.max(0, cap.amount - used);
  if (due <= room) return due;
  hitCap(run, cap.path, '起付线年度累计上限', cap.amount, used, due - room);
  step(run, 'deductibleAnnualCap', { group, cap: cap.amount, used, due, room }, uses(run, cap.path), due, room);
  return room;
}

// ---------------------------------------------------------------------------------------------
// The benefits

interface Outcome {
  portions: Portion[];
  deductibleTaken: Fen;
  fundPays: Fen;
  allowances: Fen;
}

function notCovered(run: Run, kind: VisitKind, lines: readonly LineItem[]): Outcome {
  const portion = sortGroup(lines, run, null);
  warn(
    run,
    'BENEFIT_NOT_IN_POLICY',
    `${describePolicy(run.policy)}没有${visitKindNames[kind]}待遇，本次估算统筹基金不支付`,
  );
  return { portions: [portion], deductibleTaken: 0, fundPays: 0, allowances: 0 };
}

function admissionDeductible(run: Run, rules: NonNullable<ResolvedPolicy['inpatient']>, inPolicy: Fen): Fen {
  const used = run.before.deductibleUsed.inpatient ?? 0;
  const nth = run.before.inpatientAdmissions + 1;
  const first = atLevel(rules.deductible.first, run.level);
  const oorDeductible = run.policy.outOfRegion.unfiledInpatientDeductible;
  const later = rules.deductible.later;
  let how: Facts['admissionDeductible']['how'];
  let due: Fen;
  let fraction: BasisPoints = FULL_RATIO;
  let param = 'inpatient.deductible.first';
  if (run.unfiled && oorDeductible !== undefined) {
    [how, due, param] = [
      'unfiledOutOfRegion',
      atLevel(oorDeductible, run.level),
      'outOfRegion.unfiledInpatientDeductible',
    ];
  } else if (rules.deductible.basis === 'perYear') {
    [how, due] = ['perYear', Math.max(0, first - used)];
  } else if (nth === 1 || !later) {
    [how, due] = [nth === 1 ? 'first' : 'nth', first];
  } else if (later.mode === 'fixed') {
    [how, due, param] = ['nth', atLevel(later.amounts, run.level), 'inpatient.deductible.later.amounts'];
  } else {
    fraction = later.fractions[Math.min(nth - 2, later.fractions.length - 1)] ?? FULL_RATIO;
    [how, due] = ['fraction', applyRatio(first, fraction)];
  }
  due = capDeductible(
    run,
    due,
    used,
    { amount: rules.deductible.annualCap, path: 'inpatient.deductible.annualCap' },
    null,
  );
  const taken = Math.min(inPolicy, due);
  const params = uses(
    run,
    param,
    how === 'fraction' && 'inpatient.deductible.later.fractions',
    'inpatient.deductible.basis',
  );
  step(
    run,
    'admissionDeductible',
    { level: run.level, how, nth, first, used, fraction, due, taken },
    params,
    inPolicy,
    taken,
  );
  return taken;
}

function inpatient(run: Run, lines: readonly LineItem[]): Outcome {
  const rules = run.policy.inpatient;
  if (!rules) return notCovered(run, 'inpatient', lines);
  const portion = sortGroup(lines, run, null);
  const taken = admissionDeductible(run, rules, portion.inPolicy);
  const bonus = run.bonus.inpatientRatio;
  const segments = rules.segments;
  let bands: Band[];
  let ratioParams: string[];
  let spanStart = 0;
  let countedOn: GroupRules['countedOn'] = 'beforeDeductible';
  if (segments) {
    countedOn = segments.countedOn;
    spanStart =
      countedOn === 'beforeDeductible'
        ? (run.before.inPolicyCost.inpatient ?? 0)
        : (run.before.costAfterDeductible.inpatient ?? 0);
    const choices = segments.bands.map((band, index) =>
      chooseRatio(
        run,
        { value: band.ratio, path: `inpatient.segments.bands[${index}].ratio` },
        { value: band.retiredRatio, path: `inpatient.segments.bands[${index}].retiredRatio` },
        bonus,
      ),
    );
    bands = segments.bands.map((band, index) => ({ upTo: band.upTo, ratio: choices[index]!.ratio }));
    ratioParams = ['inpatient.segments.countedOn', ...new Set(choices.flatMap((choice) => choice.params))];
  } else {
    const choice = chooseRatio(
      run,
      { value: rules.ratio ?? 0, path: 'inpatient.ratio' },
      { value: rules.retiredRatio, path: 'inpatient.retiredRatio' },
      bonus,
    );
    bands = [{ upTo: null, ratio: choice.ratio }];
    ratioParams = choice.params;
  }
  const fund = payGroup(run, portion, {
    group: null,
    label: '住院',
    benefitKey: 'inpatient',
    deductibleTaken: taken,
    bands,
    ratioParams,
    bonus,
    spanStart,
    countedOn,
    segmented: Boolean(segments),
  });

  run.after.inpatientAdmissions += 1;
  add(run.after.deductibleUsed, 'inpatient', taken);
  add(run.after.inPolicyCost, 'inpatient', portion.inPolicy);
  add(run.after.costAfterDeductible, 'inpatient', portion.inPolicy - taken);
  return { portions: [portion], deductibleTaken: taken, fundPays: fund, allowances: 0 };
}

type SimpleKind = 'outpatient' | 'accident';
type DiseaseKind = 'chronic' | 'twoDiseases' | 'special';

interface GroupSpec {
  group: string | null;
  label: string;
  benefitKey: string;
  lines: LineItem[];
  ratio: RatioChoice;
  limit?: GroupRules['limit'];
}

/** Deductible shared by the groups of one claim (capped by its annual cap), then ratio and limits per group (groups in a fixed order). */
function ratioBenefit(run: Run, bucket: SimpleKind | DiseaseKind, groups: GroupSpec[]): Outcome {
  const rules = run.policy[bucket]!;
  const used = run.before.deductibleUsed[bucket] ?? 0;
  const full = atLevel(rules.deductible, run.level);
  const basis = rules.deductibleBasis;
  let remaining = basis === 'perYear' ? Math.max(0, full - used) : full;
  remaining = capDeductible(
    run,
    remaining,
    used,
    { amount: rules.deductibleAnnualCap, path: `${bucket}.deductibleAnnualCap` },
    groups.length > 1 ? null : (groups[0]?.group ?? null),
  );
  const deductibleUses = uses(
    run,
    `${bucket}.deductible`,
    `${bucket}.deductibleBasis`,
    rules.deductibleAnnualCap !== undefined && `${bucket}.deductibleAnnualCap`,
  );
  const outcome: Outcome = { portions: [], deductibleTaken: 0, fundPays: 0, allowances: 0 };
  for (const spec of groups) {
    const portion = sortGroup(spec.lines, run, spec.group);
    const taken = Math.min(portion.inPolicy, remaining);
    remaining -= taken;
    if (full > 0)
      step(
        run,
        'deductible',
        { group: spec.group, label: spec.label, full, basis, used, taken },
        deductibleUses,
        portion.inPolicy,
        taken,
      );
    const fund = payGroup(run, portion, {
      group: spec.group,
      label: spec.label,
      benefitKey: spec.benefitKey,
      deductibleTaken: taken,
      bands: [{ upTo: null, ratio: spec.ratio.ratio }],
      ratioParams: spec.ratio.params,
      bonus: 0,
      spanStart: 0,
      countedOn: 'beforeDeductible',
      segmented: false,
      limit: spec.limit,
    });
    add(run.after.inPolicyCost, bucket, portion.inPolicy);
    add(run.after.costAfterDeductible, bucket, portion.inPolicy - taken);
    outcome.portions.push(portion);
    outcome.deductibleTaken += taken;
    outcome.fundPays += fund;
  }
  add(run.after.deductibleUsed, bucket, outcome.deductibleTaken);
  return outcome;
}

function simpleBenefit(run: Run, kind: SimpleKind, label: string, lines: readonly LineItem[]): Outcome {
  const rules = run.policy[kind];
  if (!rules) return notCovered(run, kind, lines);
  const limit =
    rules.annualLimit !== undefined
      ? { cap: `${kind}.annualLimit`, name: `${label}年度支付限额`, amount: rules.annualLimit }
      : undefined;
  const ratio = chooseRatio(
    run,
    { value: rules.ratio, path: `${kind}.ratio` },
    { value: rules.retiredRatio, path: `${kind}.retiredRatio` },
  );
  return ratioBenefit(run, kind, [{ group: null, label, benefitKey: kind, lines: [...lines], ratio, limit }]);
}

function diseaseBenefit(run: Run, kind: DiseaseKind, lines: readonly LineItem[]): Outcome {
  const rules = run.policy[kind];
  if (!rules) return notCovered(run, kind, lines);
  const byDisease = new Map<string, LineItem[]>();
  const uncovered: LineItem[] = [];
  const unknownCodes = new Set<string>();
  for (const line of lines) {
    const code = line.disease ?? run.claim.visit.disease;
    if (code !== undefined && Object.prototype.hasOwnProperty.call(rules.diseases, code)) {
      const list = byDisease.get(code);
      if (list) list.push(line);
      else byDisease.set(code, [line]);
    } else {
      uncovered.push(line);
      unknownCodes.add(code ?? '（未填写）');
    }
  }
  const kindName = visitKindNames[kind];
  const labelled = byDisease.size + (uncovered.length > 0 ? 1 : 0) > 1;
  const groups: GroupSpec[] = [...byDisease.keys()].sort().map((code) => {
    const disease = rules.diseases[code]!;
    const own = `${kind}.diseases.${code}`;
    // The disease's own ratios first (its retirees' ratio, else its ratio for everyone), else the benefit's.
    const ratio =
      disease.ratio !== undefined || disease.retiredRatio !== undefined
        ? chooseRatio(
            run,
            disease.ratio !== undefined
              ? { value: disease.ratio, path: `${own}.ratio` }
              : { value: rules.ratio, path: `${kind}.ratio` },
            { value: disease.retiredRatio, path: `${own}.retiredRatio` },
          )
        : chooseRatio(
            run,
            { value: rules.ratio, path: `${kind}.ratio` },
            { value: rules.retiredRatio, path: `${kind}.retiredRatio` },
          );
    const limit =
      disease.annualLimit !== undefined
        ? { cap: `${own}.annualLimit`, name: `${kindName}「${disease.name}」年度支付限额`, amount: disease.annualLimit }
        : undefined;
    return {
      group: labelled ? disease.name : null,
      label: `${kindName}（${disease.name}）`,
      benefitKey: `${kind}.${code}`,
      lines: byDisease.get(code)!,
      ratio,
      limit,
    };
  });
  const outcome = ratioBenefit(run, kind, groups);
  if (uncovered.length > 0) {
    const portion = sortGroup(uncovered, run, groups.length > 0 ? '未列入病种' : null);
    const codes = [...unknownCodes].sort().join('、');
    const known = Object.entries(rules.diseases)
      .map(([code, disease]) => `${code}（${disease.name}）`)
      .join('、');
    warn(
      run,
      'DISEASE_NOT_COVERED',
      `病种 ${codes} 不在本政策${kindName}目录内（目录：${known}），这部分费用本次估算不予支付`,
    );
    step(
      run,
      'diseaseNotCovered',
      { kindName, codes, inPolicy: portion.inPolicy },
      uses(run, `${kind}.diseases`),
      portion.inPolicy,
      0,
    );
    outcome.portions.push(portion);
  }
  return outcome;
}

function maternity(run: Run, lines: readonly LineItem[]): Outcome {
  const rules = run.policy.maternity;
  if (!rules) return notCovered(run, 'maternity', lines);
  const portion = sortGroup(lines, run, null);
  const deliveryKind = run.claim.visit.deliveryKind ?? 'natural';
  const allowance = rules.allowances[deliveryKind];
  const due = Math.min(allowance, portion.inPolicy);
  step(
    run,
    'allowance',
    { deliveryKind, allowance, inPolicy: portion.inPolicy, paid: due },
    uses(run, `maternity.allowances.${deliveryKind}`),
    portion.inPolicy,
    due,
  );
  return { portions: [portion], deductibleTaken: 0, fundPays: 0, allowances: withinFundCaps(run, due, null) };
}

// ---------------------------------------------------------------------------------------------
// Step 7: 大病保险

type MajorIllnessRules = NonNullable<ResolvedPolicy['majorIllness']>;

/** What one 大病 piece paid (a tier piece, or a category's part), as the summary sentence lists it. */
type PaidPiece = Facts['majorIllness']['tiers'][number];

/** Tier by tier: each piece of the burden above the threshold at its tier's ratio, rounded per piece. */
function tierPieces(run: Run, above: readonly Piece[], threshold: Fen): PaidPiece[] {
  const tierUses = uses(run, 'majorIllness.tiers');
  for (const tier of above) {
    step(
      run,
      'majorIllnessTier',
      { from: Math.max(tier.from, threshold), upTo: tier.upTo, piece: tier.amount, ratio: tier.ratio, pays: tier.pays },
      tierUses,
      tier.amount,
      tier.pays,
    );
  }
  return above.map((tier) => ({ piece: tier.amount, ratio: tier.ratio, pays: tier.pays }));
}

/** A line's 大病 category: its item class where the policy has a self-pay share for it (as step 2 sorts it), else 甲类 / 乙类; 丙类 has none. */
function categoryOf(policy: ResolvedPolicy, line: LineItem): MajorIllnessCategory | null {
  if (line.category === 'C') return null;
  return line.itemClass && policy.selfPayFirst[line.itemClass] !== undefined ? line.itemClass : line.category;
}

/** The claimant's 大病 burden in an outcome: the in-policy cost the fund did not pay, plus the self-paid shares the policy counts. */
function burdenOf(
  rules: MajorIllnessRules,
  outcome: Outcome,
): { burden: Fen; selfPayCounted: Fen; outOfRegionCounted: Fen } {
  const sum = (key: keyof Portion) => outcome.portions.reduce((total, portion) => total + portion[key], 0);
  const selfPayCounted = rules.burdenIncludes.includes('selfPayFirst') ? sum('selfPay') : 0;
  const outOfRegionCounted = rules.burdenIncludes.includes('outOfRegionSelfPay') ? sum('outOfRegionSelfPay') : 0;
  return {
    burden: sum('inPolicy') - outcome.fundPays + selfPayCounted + outOfRegionCounted,
    selfPayCounted,
    outOfRegionCounted,
  };
}

/** The burden of the same claim with only the lines of these categories (steps 1-6 again, on a scratch run). */
type BurdenThrough = (categories: readonly MajorIllnessCategory[]) => Fen;

/**
 * Category by category (`categoryRatios`, a single tier). The categories of the claim are laid in
 * order of their ratio, lowest first (equal ratios in the order A, B, implant, trialTest), and each
 * is given what it adds to the claimant's burden: the burden of the claim with its lines and those of
 * the categories before it, less the burden without them (so the deductible falls on the lowest
 * ratio, the cost above a fund cap on the highest, and each category's self-pay it counts on itself).
 * On the year's cumulative burden, the part under the threshold is the front of that order. Each
 * category's part above the threshold is paid at its ratio (the tier's if not listed); the sum is
 * rounded half up once and shared back by the largest fraction. All parts are whole fen: nothing is
 * apportioned.
 *
 * Why lowest first. Write U₁ ≤ U₂ ≤ … ≤ Uₙ = B for the burdens through each category and a(U) for the
 * part of a burden above the threshold; the sum paid is rₙ·a(B) − Σ (rⱼ₊₁ − rⱼ)·a(Uⱼ), ratios rising.
 * Every Uⱼ is a burden of a real claim (a subset of the lines), which never falls as a line grows; so
 * when a line grows and the whole burden grows by ΔB, the sum grows by at most rₙ·ΔB ≤ ΔB, and the
 * rounding once keeps it within ΔB. What is paid then grows by at most what was added: the claimant
 * never pays less for more cost, whatever the ratios. Highest first (the earlier rule) let a small
 * high-ratio category under the deductible pull the deductible off the others as it grew, so that
 * with a fund ratio of 85 % and 甲类 80 % / 耗材 70 % adding 200 元 of 甲类 lowered what the claimant
 * paid by 1 元 (properties.test.ts keeps the case). The price: the 大病 part alone may fall by a little
 * as a low-ratio line grows (the fund's part grows by more; the total paid does not fall). No rule keeps
 * both for every set of ratios. Take 甲类 at 100 %, 乙类 at 0 %, and b(x) the burden of x in-policy
 * cost, which the deductible makes concave: b(p) + b(q) > b(p + q) when p is under the deductible. With
 * 甲类 p alone, 甲类's part is b(p); adding 乙类 q must not lower it (else 大病 falls). But growing 甲类
 * from 0 to p beside 乙类 q may raise 甲类's part by at most b(p + q) − b(q) (else the claimant pays
 * less), which is less than b(p).
 */
function categoryPieces(
  run: Run,
  rules: MajorIllnessRules,
  start: Fen,
  burden: Fen,
  burdenThrough: BurdenThrough,
): PaidPiece[] {
  const ratioOf = (category: MajorIllnessCategory) => rules.categoryRatios?.[category] ?? rules.tiers[0]!.ratio;
  const rank = (category: MajorIllnessCategory) => majorIllnessCategories.indexOf(category);
  const present = new Set(run.claim.lineItems.map((line) => categoryOf(run.policy, line)));
  const order = majorIllnessCategories
    .filter((category) => present.has(category))
    .sort((a, b) => ratioOf(a) - ratioOf(b) || rank(a) - rank(b));
  // The burden through each category of the order, the last being the whole; each at most the next (a guard: the burden never falls as lines are added).
  const through = order.map((_, index) =>
    index === order.length - 1 ? burden : burdenThrough(order.slice(0, index + 1)),
  );
  for (let index = through.length - 2; index >= 0; index -= 1)
    through[index] = Math.min(through[index]!, through[index + 1]!);
  const threshold = Math.max(start, rules.threshold);
  const shareUses = uses(run, 'majorIllness.categoryRatios', 'majorIllness.threshold');
  const rows = order.map((category, index) => {
    const before = index === 0 ? 0 : through[index - 1]!;
    const after = through[index]!;
    const above = Math.max(start + after, threshold) - Math.max(start + before, threshold);
    step(
      run,
      'majorIllnessShare',
      { category, ratio: ratioOf(category), through: after, part: after - before, above },
      shareUses,
      after - before,
      above,
    );
    return { category, piece: above, ratio: ratioOf(category), listed: rules.categoryRatios?.[category] !== undefined };
  });
  const paying = rows.filter((row) => row.piece > 0);
  const { shares } = applyRatios(paying.map(({ piece, ratio }) => ({ amount: piece, ratio })));
  return paying.map(({ category, piece, ratio, listed }, index) => {
    const pays = shares[index]!;
    step(
      run,
      'majorIllnessCategory',
      { category, piece, ratio, listed, pays },
      uses(run, listed ? `majorIllness.categoryRatios.${category}` : 'majorIllness.tiers'),
      piece,
      pays,
    );
    return { category, piece, ratio, pays };
  });
}

function majorIllness(run: Run, kinds: VisitKind[], outcome: Outcome, burdenThrough: BurdenThrough): Fen {
  const rules = run.policy.majorIllness;
  if (!rules || !kinds.some((kind) => rules.appliesTo.includes(kind))) return 0;
  const { burden, selfPayCounted, outOfRegionCounted } = burdenOf(rules, outcome);
  if (burden <= 0) return 0;
  const start = run.before.majorIllnessBurden;
  const end = start + burden;
  const paidPieces = rules.categoryRatios
    ? categoryPieces(run, rules, start, burden, burdenThrough)
    : tierPieces(
        run,
        pieces(Math.max(start, rules.threshold), Math.max(end, rules.threshold), rules.tiers),
        rules.threshold,
      );
  const raw = paidPieces.reduce((sum, piece) => sum + piece.pays, 0);
  const capBonus = run.bonus.majorIllnessCap;
  const cap = rules.annualCap + capBonus;
  const room = Math.max(0, cap - run.before.majorIllnessPaid);
  const paid = Math.min(raw, room);
  if (raw > room)
    hitCap(run, 'majorIllness.annualCap', '大病保险年度最高支付限额', cap, run.before.majorIllnessPaid, raw - room);
  const params = uses(
    run,
    'majorIllness.threshold',
    'majorIllness.tiers',
    ...paidPieces.map(
      (piece) =>
        piece.category !== undefined &&
        rules.categoryRatios?.[piece.category] !== undefined &&
        `majorIllness.categoryRatios.${piece.category}`,
    ),
    'majorIllness.annualCap',
    rules.burdenIncludes.length > 0 && 'majorIllness.burdenIncludes',
    capBonus > 0 && 'continuousEnrolment.majorIllnessCapBonus.perYear',
  );
  const facts: Facts['majorIllness'] = {
    burden,
    selfPayCounted,
    outOfRegionCounted,
    burdenBefore: start,
    end,
    threshold: rules.threshold,
    tiers: paidPieces,
    raw,
    cap,
    capBonus,
    paid,
  };
  step(run, 'majorIllness', facts, params, burden, paid);
  run.after.majorIllnessBurden += burden;
  run.after.majorIllnessPaid += paid;
  return paid;
}

// ---------------------------------------------------------------------------------------------
// Step 0: the year and the claimant's years of enrolment

function enrolmentBonus(run: Run): void {
  const rules = run.policy.continuousEnrolment;
  if (!rules) return;
  const years = run.claim.insured.continuousYears;
  const bonusYears = years === undefined ? 0 : Math.max(0, years - rules.afterYears);
  const grow = (bonus: { perYear: number; max: number } | undefined) =>
    bonus ? Math.min(bonus.max, bonus.perYear * bonusYears) : 0;
  run.bonus = { majorIllnessCap: grow(rules.majorIllnessCapBonus), inpatientRatio: grow(rules.inpatientRatioBonus) };
  if (years === undefined)
    warn(run, 'ENROLMENT_YEARS_UNKNOWN', '本政策有连续参保激励，但未提供连续参保年限，本次按无激励估算');
  const params = uses(
    run,
    'continuousEnrolment.afterYears',
    rules.majorIllnessCapBonus && 'continuousEnrolment.majorIllnessCapBonus.perYear',
    rules.majorIllnessCapBonus && 'continuousEnrolment.majorIllnessCapBonus.max',
    rules.inpatientRatioBonus && 'continuousEnrolment.inpatientRatioBonus.perYear',
    rules.inpatientRatioBonus && 'continuousEnrolment.inpatientRatioBonus.max',
  );
  step(
    run,
    'enrolment',
    {
      years: years ?? null,
      afterYears: rules.afterYears,
      capBonus: run.bonus.majorIllnessCap,
      ratioBonus: run.bonus.inpatientRatio,
    },
    params,
    0,
    0,
  );
}

function copyLedger(ledger: Ledger): Ledger {
  return {
    ...ledger,
    deductibleUsed: { ...ledger.deductibleUsed },
    benefitPaid: { ...ledger.benefitPaid },
    fundPaidByCap: { ...ledger.fundPaidByCap },
    inPolicyCost: { ...ledger.inPolicyCost },
    costAfterDeductible: { ...ledger.costAfterDeductible },
  };
}

function startRun(claim: Claim, policy: ResolvedPolicy, before: Ledger, capKinds: VisitKind[]): Run {
  return {
    claim,
    policy,
    level: claim.visit.hospitalLevel,
    retired: claim.insured.retired && policy.insuranceType === 'employee',
    trace: [],
    warnings: [],
    capsHit: [],
    before,
    after: copyLedger(before),
    ratioReduction: 0,
    outOfRegionShare: 0,
    unfiled: false,
    bonus: { majorIllnessCap: 0, inpatientRatio: 0 },
    capRoom: policy.fundCaps.flatMap((cap, index) => {
      if (!cap.covers.some((kind) => capKinds.includes(kind))) return [];
      const usedBefore = before.fundPaidByCap[cap.id] ?? 0;
      return [
        {
          index,
          id: cap.id,
          name: cap.name,
          limit: cap.amount,
          usedBefore,
          room: Math.max(0, cap.amount - usedBefore),
        },
      ];
    }),
  };
}

function benefitOf(run: Run, kind: VisitKind, lines: readonly LineItem[]): Outcome {
  switch (kind) {
    case 'inpatient':
      return inpatient(run, lines);
    case 'outpatient':
      return simpleBenefit(run, 'outpatient', '门诊统筹', lines);
    case 'accident':
      return simpleBenefit(run, 'accident', '意外伤害门（急）诊', lines);
    case 'chronic':
    case 'twoDiseases':
    case 'special':
      return diseaseBenefit(run, kind, lines);
    case 'maternity':
      return maternity(run, lines);
    default:
      return notCovered(run, kind, lines);
  }
}

/**
 * Estimate one claim. `claim` and `ledger` are already validated (`claimSchema`, `ledgerSchema`);
 * `policy` is a parsed document, resolved here on the date of service. Without a ledger the policy
 * year starts empty. Throws DomainError POLICY_MISMATCH, POLICY_NOT_IN_FORCE or LEDGER_YEAR_MISMATCH.
 */
export function estimate(claim: Claim, doc: PolicyDocument, ledgerIn?: Ledger): Estimate {
  const date = dateOfService(claim.visit);
  const year = policyYearOf(doc, date);
  if (claim.insured.region !== doc.region || claim.insured.insuranceType !== doc.insuranceType) {
    throw new DomainError(
      'POLICY_MISMATCH',
      `所用政策是${describePolicy(doc)}（统筹区 ${doc.region}），与参保人的${insuranceTypeNames[claim.insured.insuranceType]}（统筹区 ${claim.insured.region}）不符`,
      { details: { policyId: doc.id } },
    );
  }
  const policy = resolvePolicy(doc, date);
  const before = ledgerIn ?? emptyLedger(year);
  if (before.policyYear !== year) {
    const span = policyYearSpan(doc, year);
    throw new DomainError(
      'LEDGER_YEAR_MISMATCH',
      `年度累计记录属于 ${before.policyYear} 医保年度，而本次费用发生在 ${year} 医保年度（${span.from} 至 ${span.to}）`,
      {
        details: { ledgerYear: before.policyYear, year },
      },
    );
  }
  const visitKind = claim.visit.kind;
  const effectiveKind: VisitKind = visitKind === 'emergency' ? (policy.emergency?.rulesOf ?? 'outpatient') : visitKind;
  const capKinds = effectiveKind === visitKind ? [visitKind] : [visitKind, effectiveKind];
  const run = startRun(claim, policy, before, capKinds);
  if (doc.policyYearStart !== '01-01')
    step(run, 'policyYear', { policyYear: year, ...policyYearSpan(doc, year) }, uses(run, 'policyYearStart'), 0, 0);
  if (claim.insured.retired && policy.insuranceType === 'resident')
    warn(run, 'RETIRED_IGNORED', '居民医保不区分退休与在职，已按统一比例计算');
  enrolmentBonus(run);
  if (visitKind === 'emergency')
    step(
      run,
      'visitKind',
      { rulesOf: effectiveKind === 'inpatient' ? 'inpatient' : 'outpatient' },
      uses(run, policy.emergency && 'emergency.rulesOf'),
      0,
      0,
    );
  // Fixed allowances do not depend on where the birth took place.
  if (!(visitKind === 'maternity' && claim.visit.outOfRegion)) outOfRegionStatus(run);

  const outcome = benefitOf(run, effectiveKind, claim.lineItems);
  for (const cap of run.capRoom) add(run.after.fundPaidByCap, cap.id, outcome.fundPays + outcome.allowances);

  const sum = (key: keyof Portion) => outcome.portions.reduce((total, portion) => total + portion[key], 0);
  const [total, outOfPolicy, categoryBSelfPay, outOfRegionSelfPay, inPolicy] = [
    sum('total'),
    sum('outOfPolicy'),
    sum('selfPay'),
    sum('outOfRegionSelfPay'),
    sum('inPolicy'),
  ];
  // 大病 by category needs the burden of the claim with only some categories' lines: steps 1-6 again on a scratch run in the same state (its trace dropped).
  const burdenThrough: BurdenThrough = (categories) => {
    const scratch: Run = {
      ...startRun(claim, policy, before, capKinds),
      ratioReduction: run.ratioReduction,
      outOfRegionShare: run.outOfRegionShare,
      unfiled: run.unfiled,
      bonus: run.bonus,
    };
    const lines = claim.lineItems.filter((line) =>
      categories.some((category) => category === categoryOf(policy, line)),
    );
    return burdenOf(policy.majorIllness!, benefitOf(scratch, effectiveKind, lines)).burden;
  };
  const majorIllnessPays = effectiveKind === 'maternity' ? 0 : majorIllness(run, capKinds, outcome, burdenThrough);
  const totalPaid = outcome.fundPays + majorIllnessPays + outcome.allowances;
  const claimantPays = total - totalPaid;
  step(
    run,
    'summary',
    { total, fund: outcome.fundPays, majorIllness: majorIllnessPays, allowances: outcome.allowances, claimantPays },
    [],
    total,
    claimantPays,
  );
  if (doc.sample) warn(run, 'SAMPLE_POLICY', `使用的是示例政策（${doc.title}），金额仅供参考，以经办机构核定为准`);

  return {
    result: {
      policy: {
        id: doc.id,
        version: doc.version,
        title: doc.title,
        sample: doc.sample,
        region: doc.region,
        regionName: doc.regionName,
        insuranceType: doc.insuranceType,
      },
      visitKind,
      dateOfService: date,
      policyYear: year,
      total,
      outOfPolicy,
      categoryBSelfPay,
      outOfRegionSelfPay,
      inPolicy,
      deductibleTaken: outcome.deductibleTaken,
      fundPays: outcome.fundPays,
      majorIllnessPays,
      allowances: outcome.allowances,
      totalPaid,
      claimantPays,
      capsHit: run.capsHit,
      warnings: run.warnings,
      trace: run.trace,
    },
    ledgerAfter: run.after,
  };
}
