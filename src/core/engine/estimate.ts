/**
 * The rules engine: `estimate(claim, policy, ledger)` → `{ result, ledgerAfter }`. Pure and
 * deterministic: same input, same output, whatever the order of the line items; nothing is read
 * from the clock or the environment.
 *
 * The order of the steps (each one recorded in the trace):
 *   1. lines: total; 丙类 (out of policy) set aside.
 *   2. self-pay first (先行自付): 乙类 and special item classes (implant, trialTest) pay a share first.
 *   3. out of region: 备案 / 转诊 → as at home; otherwise the ratio drops N points, or a share of the
 *      policy-range cost is self-paid first, and a policy may set its own inpatient deductible.
 *   4. deductible (起付线): by level, per admission or per year, lower for later admissions, capped by
 *      the annual accumulated deductible cap.
 *   5. ratio (报销比例): by level and retired status; segmented ratios count the year-cumulative
 *      in-policy cost (before or after the deductible, as the policy says).
 *   6. limits: the benefit's annual limit (门诊统筹, 两病 per disease, 意外伤害 …), then every annual
 *      fund cap (年度最高支付限额) that covers the visit kind.
 *   7. 大病保险 on the claimant's remaining in-policy burden, in tiers over the year-cumulative burden,
 *      up to its own annual cap.
 *   8. fixed allowances (住院分娩) instead of 2-7.
 *
 * ROUNDING, written down once: every multiplication of money by a ratio is `applyRatio` — half up to
 * the fen, once per step and per piece (a share per item class, a ratio per segment piece, a 大病 tier
 * per piece). Everything else is integer addition, subtraction and min/max, so the parts add up to the
 * total exactly: claimantPays = total − fundPays − majorIllnessPays − allowances.
 */
import { DomainError } from '../errors';
import { applyRatio, formatRatio, formatYuan, FULL_RATIO, type BasisPoints, type Fen } from '../money';
import { yearOf } from '../policy/dates';
import { resolvePolicy, describePolicy } from '../policy/resolve';
import { insuranceTypeNames, visitKindNames, type HospitalLevel, type InsuranceType, type LevelValue, type PolicyDocument, type VisitKind } from '../policy/schema';
import { atLevel, type ResolvedPolicy } from '../policy/types';
import { dateOfService, emptyLedger, type Claim, type Ledger, type LineItem } from './claim';

export interface TraceStep {
  rule: string;
  params: Record<string, number | string | boolean | null>;
  amountIn: Fen;
  amountOut: Fen;
  text: string;
}

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
  policy: { id: string; version: string; title: string; sample: boolean; region: string; regionName: string; insuranceType: InsuranceType };
  visitKind: VisitKind;
  dateOfService: string;
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

const levelNames: Record<HospitalLevel, string> = { 1: '一级医院', 2: '二级医院', 3: '三级医院' };
const yuan = formatYuan;
const pct = formatRatio;

/** Mutable working state of one estimate. */
interface Run {
  claim: Claim;
  policy: ResolvedPolicy;
  level: HospitalLevel;
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
  /** Remaining room under each fund cap that covers this visit. */
  capRoom: Array<{ id: string; name: string; limit: Fen; usedBefore: Fen; room: Fen }>;
}

interface Portion {
  total: Fen;
  outOfPolicy: Fen;
  selfPay: Fen;
  outOfRegionSelfPay: Fen;
  inPolicy: Fen;
}

function step(run: Run, rule: string, params: TraceStep['params'], amountIn: Fen, amountOut: Fen, text: string): void {
  run.trace.push({ rule, params, amountIn, amountOut, text });
}

function warn(run: Run, code: string, message: string): void {
  if (!run.warnings.some((warning) => warning.code === code && warning.message === message)) run.warnings.push({ code, message });
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

const prefix = (label: string | null): string => (label ? `【${label}】` : '');

/** "30,000.00 元以下" / "30,000.00 元至 40,000.00 元" / "40,000.00 元以上" */
function bandRange(lower: Fen, upTo: Fen | null): string {
  if (upTo === null) return lower === 0 ? '' : `在 ${yuan(lower)}以上`;
  return lower === 0 ? `在 ${yuan(upTo)}以下` : `在 ${yuan(lower)}至 ${yuan(upTo)}之间`;
}

// ---------------------------------------------------------------------------------------------
// Steps 1-3: what part of the lines is within the policy range

function sortGroup(lines: readonly LineItem[], run: Run, label: string | null): Portion {
  const shares = run.policy.selfPayFirst;
  let total = 0;
  let outOfPolicy = 0;
  let plainB = 0;
  let implant = 0;
  let trialTest = 0;
  for (const line of lines) {
    total += line.amountFen;
    if (line.category === 'C') outOfPolicy += line.amountFen;
    else if (line.itemClass && shares[line.itemClass] !== undefined) {
      if (line.itemClass === 'implant') implant += line.amountFen;
      else trialTest += line.amountFen;
    } else {
      if (line.itemClass) warn(run, 'ITEM_CLASS_UNKNOWN', `本政策未规定「${line.itemClass === 'implant' ? '高值医用耗材' : '放宽规则检查'}」的先行自付比例，按甲乙类计算`);
      if (line.category === 'B') plainB += line.amountFen;
    }
  }
  const p = prefix(label);
  step(run, 'lines', { lines: lines.length }, total, total, `${p}共 ${lines.length} 项费用，合计 ${yuan(total)}。`);
  if (outOfPolicy > 0) {
    step(run, 'outOfPolicy', { category: 'C' }, outOfPolicy, outOfPolicy, `${p}丙类（目录外、全自费）费用 ${yuan(outOfPolicy)}不予报销，由个人负担。`);
  }
  let selfPay = 0;
  const classes: Array<[string, string, Fen, BasisPoints]> = [
    ['categoryB', '乙类', plainB, shares.categoryB],
    ['trialTest', '放宽规则检查', trialTest, shares.trialTest ?? 0],
    ['implant', '高值医用耗材', implant, shares.implant ?? 0],
  ];
  for (const [key, name, amount, share] of classes) {
    if (amount === 0) continue;
    const part = applyRatio(amount, share);
    selfPay += part;
    step(run, 'selfPayFirst', { itemClass: key, share }, amount, part, `${p}${name}费用 ${yuan(amount)}，先行自付 ${pct(share)}，即 ${yuan(part)}。`);
  }
  let inPolicy = total - outOfPolicy - selfPay;
  let outOfRegionSelfPay = 0;
  if (run.outOfRegionShare > 0 && inPolicy > 0) {
    outOfRegionSelfPay = applyRatio(inPolicy, run.outOfRegionShare);
    step(
      run,
      'outOfRegionSelfPay',
      { share: run.outOfRegionShare },
      inPolicy,
      outOfRegionSelfPay,
      `${p}异地就医未备案，政策范围内费用 ${yuan(inPolicy)}先由个人自付 ${pct(run.outOfRegionShare)}，即 ${yuan(outOfRegionSelfPay)}。`,
    );
    inPolicy -= outOfRegionSelfPay;
  }
  step(run, 'inPolicy', {}, total, inPolicy, `${p}进入报销计算的政策范围内费用 ${yuan(inPolicy)}。`);
  return { total, outOfPolicy, selfPay, outOfRegionSelfPay, inPolicy };
}

function outOfRegionStatus(run: Run): void {
  const { visit, insured } = run.claim;
  const rules = run.policy.outOfRegion;
  if (!visit.outOfRegion) return;
  if (insured.filedForOutOfRegion) {
    step(run, 'outOfRegion', { filed: true }, 0, 0, '异地就医已办理备案，起付线、报销比例和封顶线按参保地政策执行。');
    return;
  }
  if (visit.referral && rules.referralCountsAsFiled) {
    step(run, 'outOfRegion', { referral: true }, 0, 0, '异地就医持转诊证明，按参保地政策执行。');
    return;
  }
  run.unfiled = true;
  if (visit.referral) warn(run, 'REFERRAL_NOT_RECOGNISED', '本政策不把转诊视同备案，按未备案的异地就医计算');
  if (rules.unfiled.mode === 'ratioReduction') {
    run.ratioReduction = rules.unfiled.points;
    step(run, 'outOfRegion', { filed: false, points: rules.unfiled.points }, 0, 0, `异地就医未备案（临时外出且无转诊），报销比例降低 ${pct(rules.unfiled.points).replace('%', '')} 个百分点。`);
  } else {
    run.outOfRegionShare = rules.unfiled.share;
    step(run, 'outOfRegion', { filed: false, share: rules.unfiled.share }, 0, 0, `异地就医未备案（临时外出且无转诊），政策范围内费用先由个人自付 ${pct(rules.unfiled.share)}。`);
  }
  warn(run, 'OUT_OF_REGION_UNFILED', '异地就医未备案，报销待遇低于参保地；如已备案或有转诊证明，请补充后重新估算');
}

// ---------------------------------------------------------------------------------------------
// Steps 4-6: deductible, ratio (possibly segmented), limits and caps for one group of lines

interface Band {
  upTo: Fen | null;
  ratio: BasisPoints;
}

interface GroupRules {
  label: string;
  /** Key of the benefit counters (`benefitPaid`) for this group. */
  benefitKey: string;
  deductibleTaken: Fen;
  bands: Band[];
  /** Where this group's cost starts on the year-cumulative scale the bands count (0 without segments). */
  spanStart: Fen;
  countedOn: 'beforeDeductible' | 'afterDeductible';
  segmented: boolean;
  limit?: { cap: string; name: string; amount: Fen };
}

function effectiveRatio(run: Run, base: LevelValue, retired: LevelValue | undefined): BasisPoints {
  const chosen = run.retired && retired !== undefined ? retired : base;
  return Math.max(0, atLevel(chosen, run.level) - run.ratioReduction);
}

function payGroup(run: Run, portion: Portion, rules: GroupRules, groupLabel: string | null): Fen {
  const p = prefix(groupLabel);
  const { inPolicy } = portion;
  const taken = rules.deductibleTaken;
  const eligible = inPolicy - taken;
  const start = rules.countedOn === 'beforeDeductible' ? rules.spanStart + taken : rules.spanStart;
  const end = start + eligible;
  let fund = 0;
  let lower = 0;
  for (const band of rules.bands) {
    const upper = band.upTo ?? Number.MAX_SAFE_INTEGER;
    const piece = Math.max(0, Math.min(end, upper) - Math.max(start, lower));
    if (piece > 0 || (!rules.segmented && eligible === 0)) {
      const pay = applyRatio(piece, band.ratio);
      fund += pay;
      const reduced = run.ratioReduction > 0 ? `（已按未备案降低 ${pct(run.ratioReduction).replace('%', '')} 个百分点）` : '';
      const text = rules.segmented
        ? `${p}本年累计${rules.countedOn === 'beforeDeductible' ? '政策范围内费用' : '扣除起付线后费用'}${bandRange(lower, band.upTo)}的部分 ${yuan(piece)}按 ${pct(band.ratio)} 报销${reduced}，支付 ${yuan(pay)}。`
        : `${p}${levelNames[run.level]}${rules.label}，政策范围内费用 ${yuan(inPolicy)}，${taken > 0 ? `扣除起付线 ${yuan(taken)}后` : ''}按 ${pct(band.ratio)} 报销${reduced}，统筹基金支付 ${yuan(pay)}。`;
      step(run, 'ratio', { ratio: band.ratio, from: lower, upTo: band.upTo, segmented: rules.segmented }, piece, pay, text);
    }
    lower = upper;
    if (lower >= end && rules.segmented) break;
  }
  if (rules.segmented) {
    step(run, 'ratioTotal', { countedOn: rules.countedOn, start, end }, eligible, fund, `${p}${levelNames[run.level]}${rules.label}，政策范围内费用 ${yuan(inPolicy)}，扣除起付线 ${yuan(taken)}后分段报销，合计 ${yuan(fund)}。`);
  }

  if (rules.limit) {
    const usedBefore = run.before.benefitPaid[rules.benefitKey] ?? 0;
    const usedNow = run.after.benefitPaid[rules.benefitKey] ?? 0;
    const room = Math.max(0, rules.limit.amount - usedNow);
    if (fund > room) {
      hitCap(run, rules.limit.cap, rules.limit.name, rules.limit.amount, usedBefore, fund - room);
      step(
        run,
        'benefitLimit',
        { cap: rules.limit.cap, limit: rules.limit.amount, usedBefore: usedNow },
        fund,
        room,
        `${p}${rules.limit.name} ${yuan(rules.limit.amount)}，本年此前已支付 ${yuan(usedNow)}，本次最多支付 ${yuan(room)}。`,
      );
      fund = room;
    }
  }
  for (const cap of run.capRoom) {
    if (fund > cap.room) {
      hitCap(run, `fundCaps.${cap.id}`, cap.name, cap.limit, cap.usedBefore, fund - cap.room);
      step(
        run,
        'fundCap',
        { cap: cap.id, limit: cap.limit, usedBefore: cap.limit - cap.room },
        fund,
        cap.room,
        `${p}${cap.name} ${yuan(cap.limit)}，本年已支付 ${yuan(cap.limit - cap.room)}，本次统筹基金支付减至 ${yuan(cap.room)}。`,
      );
      fund = cap.room;
    }
  }
  for (const cap of run.capRoom) cap.room -= fund;

  add(run.after.benefitPaid, rules.benefitKey, fund);
  return fund;
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
  warn(run, 'BENEFIT_NOT_IN_POLICY', `${describePolicy(run.policy)}没有${visitKindNames[kind]}待遇，本次估算统筹基金不支付`);
  return { portions: [portion], deductibleTaken: 0, fundPays: 0, allowances: 0 };
}

function inpatient(run: Run, lines: readonly LineItem[]): Outcome {
  const rules = run.policy.inpatient;
  if (!rules) return notCovered(run, 'inpatient', lines);
  const portion = sortGroup(lines, run, null);
  const used = run.before.deductibleUsed.inpatient ?? 0;
  const nth = run.before.inpatientAdmissions + 1;
  const first = atLevel(rules.deductible.first, run.level);
  const oorDeductible = run.policy.outOfRegion.unfiledInpatientDeductible;
  let due: Fen;
  let how: string;
  if (run.unfiled && oorDeductible !== undefined) {
    due = atLevel(oorDeductible, run.level);
    how = '临时异地住院（未备案）起付线';
  } else if (rules.deductible.basis === 'perYear') {
    due = Math.max(0, first - used);
    how = `起付线按年度计 ${yuan(first)}，本年已扣 ${yuan(used)}，`;
  } else if (nth === 1 || !rules.deductible.later) {
    due = first;
    how = nth === 1 ? '本年首次住院起付线' : `本年第 ${nth} 次住院起付线`;
  } else if (rules.deductible.later.mode === 'fixed') {
    due = atLevel(rules.deductible.later.amounts, run.level);
    how = `本年第 ${nth} 次住院起付线`;
  } else {
    const fractions = rules.deductible.later.fractions;
    const fraction = fractions[Math.min(nth - 2, fractions.length - 1)] ?? FULL_RATIO;
    due = applyRatio(first, fraction);
    how = `本年第 ${nth} 次住院，起付线为首次 ${yuan(first)}的 ${pct(fraction)}，即`;
  }
  const annualCap = rules.deductible.annualCap;
  if (annualCap !== undefined && due > Math.max(0, annualCap - used)) {
    const room = Math.max(0, annualCap - used);
    hitCap(run, 'inpatient.deductible.annualCap', '起付线年度累计上限', annualCap, used, due - room);
    step(run, 'deductibleAnnualCap', { annualCap, usedBefore: used }, due, room, `起付线年度累计上限 ${yuan(annualCap)}，本年已扣 ${yuan(used)}，本次起付线由 ${yuan(due)}降为 ${yuan(room)}。`);
    due = room;
  }
  const taken = Math.min(portion.inPolicy, due);
  step(run, 'deductible', { due, nth, basis: rules.deductible.basis }, portion.inPolicy, taken, `${levelNames[run.level]}${how} ${yuan(due)}，本次扣除 ${yuan(taken)}。`);

  const segments = rules.segments;
  let bands: Band[];
  let spanStart = 0;
  let countedOn: 'beforeDeductible' | 'afterDeductible' = 'beforeDeductible';
  if (segments) {
    countedOn = segments.countedOn;
    spanStart = countedOn === 'beforeDeductible' ? (run.before.inPolicyCost.inpatient ?? 0) : (run.before.costAfterDeductible.inpatient ?? 0);
    bands = segments.bands.map((band) => ({ upTo: band.upTo, ratio: effectiveRatio(run, band.ratio, band.retiredRatio) }));
  } else {
    bands = [{ upTo: null, ratio: effectiveRatio(run, rules.ratio ?? 0, rules.retiredRatio) }];
  }
  const fund = payGroup(run, portion, { label: '住院', benefitKey: 'inpatient', deductibleTaken: taken, bands, spanStart, countedOn, segmented: Boolean(segments) }, null);

  run.after.inpatientAdmissions += 1;
  add(run.after.deductibleUsed, 'inpatient', taken);
  add(run.after.inPolicyCost, 'inpatient', portion.inPolicy);
  add(run.after.costAfterDeductible, 'inpatient', portion.inPolicy - taken);
  return { portions: [portion], deductibleTaken: taken, fundPays: fund, allowances: 0 };
}

type SimpleKind = 'outpatient' | 'accident';
type DiseaseKind = 'chronic' | 'twoDiseases' | 'special';

interface GroupSpec {
  label: string | null;
  ruleLabel: string;
  benefitKey: string;
  lines: LineItem[];
  ratio: BasisPoints;
  limit?: GroupRules['limit'];
}

/** Deductible shared by the groups of one claim, then ratio and limits per group (groups in a fixed order). */
function ratioBenefit(
  run: Run,
  bucket: SimpleKind | DiseaseKind,
  deductible: { amount: LevelValue; basis: 'perVisit' | 'perYear' },
  groups: GroupSpec[],
): Outcome {
  const used = run.before.deductibleUsed[bucket] ?? 0;
  const full = atLevel(deductible.amount, run.level);
  let remaining = deductible.basis === 'perYear' ? Math.max(0, full - used) : full;
  const outcome: Outcome = { portions: [], deductibleTaken: 0, fundPays: 0, allowances: 0 };
  for (const group of groups) {
    const portion = sortGroup(group.lines, run, group.label);
    const taken = Math.min(portion.inPolicy, remaining);
    remaining -= taken;
    if (full > 0) {
      const basisText = deductible.basis === 'perYear' ? `（按年度计，本年此前已扣 ${yuan(used)}）` : '（每次就诊）';
      step(run, 'deductible', { deductible: full, basis: deductible.basis }, portion.inPolicy, taken, `${prefix(group.label)}${group.ruleLabel}起付线 ${yuan(full)}${basisText}，本次扣除 ${yuan(taken)}。`);
    }
    const fund = payGroup(
      run,
      portion,
      { label: group.ruleLabel, benefitKey: group.benefitKey, deductibleTaken: taken, bands: [{ upTo: null, ratio: group.ratio }], spanStart: 0, countedOn: 'beforeDeductible', segmented: false, limit: group.limit },
      group.label,
    );
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
  const limit = rules.annualLimit !== undefined ? { cap: `${kind}.annualLimit`, name: `${label}年度支付限额`, amount: rules.annualLimit } : undefined;
  return ratioBenefit(run, kind, { amount: rules.deductible, basis: rules.deductibleBasis }, [
    { label: null, ruleLabel: label, benefitKey: kind, lines: [...lines], ratio: effectiveRatio(run, rules.ratio, rules.retiredRatio), limit },
  ]);
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
  const groups: GroupSpec[] = [...byDisease.keys()].sort().map((code) => {
    const disease = rules.diseases[code]!;
    const ratio = disease.ratio !== undefined ? effectiveRatio(run, disease.ratio, undefined) : effectiveRatio(run, rules.ratio, rules.retiredRatio);
    const limit = disease.annualLimit !== undefined ? { cap: `${kind}.diseases.${code}.annualLimit`, name: `${kindName}「${disease.name}」年度支付限额`, amount: disease.annualLimit } : undefined;
    return { label: byDisease.size + (uncovered.length > 0 ? 1 : 0) > 1 ? disease.name : null, ruleLabel: `${kindName}（${disease.name}）`, benefitKey: `${kind}.${code}`, lines: byDisease.get(code)!, ratio, limit };
  });
  const outcome = ratioBenefit(run, kind, { amount: rules.deductible, basis: rules.deductibleBasis }, groups);
  if (uncovered.length > 0) {
    const portion = sortGroup(uncovered, run, groups.length > 0 ? '未列入病种' : null);
    const codes = [...unknownCodes].sort().join('、');
    const known = Object.entries(rules.diseases)
      .map(([code, disease]) => `${code}（${disease.name}）`)
      .join('、');
    warn(run, 'DISEASE_NOT_COVERED', `病种 ${codes} 不在本政策${kindName}目录内（目录：${known}），这部分费用本次估算不予支付`);
    step(run, 'diseaseNotCovered', { diseases: codes }, portion.inPolicy, 0, `${kindName}病种 ${codes} 不在目录内，政策范围内费用 ${yuan(portion.inPolicy)}统筹基金不支付。`);
    outcome.portions.push(portion);
  }
  return outcome;
}

function maternity(run: Run, lines: readonly LineItem[]): Outcome {
  const rules = run.policy.maternity;
  if (!rules) return notCovered(run, 'maternity', lines);
  const portion = sortGroup(lines, run, null);
  const kind = run.claim.visit.deliveryKind ?? 'natural';
  const fixed = rules.allowances[kind];
  const paid = Math.min(fixed, portion.inPolicy);
  const name = kind === 'natural' ? '顺产' : '剖腹产';
  const capped = paid < fixed ? `，不超过政策范围内费用 ${yuan(portion.inPolicy)}，支付 ${yuan(paid)}` : '';
  step(run, 'allowance', { deliveryKind: kind, allowance: fixed }, portion.inPolicy, paid, `住院分娩（${name}）定额支付 ${yuan(fixed)}${capped}。`);
  return { portions: [portion], deductibleTaken: 0, fundPays: 0, allowances: paid };
}

// ---------------------------------------------------------------------------------------------
// Step 7: 大病保险

function majorIllness(run: Run, kinds: VisitKind[], burden: Fen): Fen {
  const rules = run.policy.majorIllness;
  if (!rules || !kinds.some((kind) => rules.appliesTo.includes(kind)) || burden <= 0) return 0;
  const start = run.before.majorIllnessBurden;
  const end = start + burden;
  let raw = 0;
  let lower = 0;
  const pieces: string[] = [];
  for (const tier of rules.tiers) {
    const upper = tier.upTo ?? Number.MAX_SAFE_INTEGER;
    const piece = Math.max(0, Math.min(end, upper) - Math.max(start, lower, rules.threshold));
    if (piece > 0) {
      const pay = applyRatio(piece, tier.ratio);
      raw += pay;
      pieces.push(`${yuan(piece)}按 ${pct(tier.ratio)} 支付 ${yuan(pay)}`);
      step(run, 'majorIllnessTier', { ratio: tier.ratio, upTo: tier.upTo }, piece, pay, `大病保险：本年累计个人负担${bandRange(Math.max(lower, rules.threshold), tier.upTo)}的部分 ${yuan(piece)}按 ${pct(tier.ratio)} 支付 ${yuan(pay)}。`);
    }
    lower = upper;
  }
  const room = Math.max(0, rules.annualCap - run.before.majorIllnessPaid);
  const paid = Math.min(raw, room);
  if (raw > room) hitCap(run, 'majorIllness.annualCap', '大病保险年度最高支付限额', rules.annualCap, run.before.majorIllnessPaid, raw - room);
  const above = pieces.length > 0 ? `，超过起付线 ${yuan(rules.threshold)}的部分：${pieces.join('；')}` : `，尚未超过大病保险起付线 ${yuan(rules.threshold)}`;
  const capText = raw > room ? `；受年度最高支付限额 ${yuan(rules.annualCap)}限制，本次支付 ${yuan(paid)}` : '';
  step(
    run,
    'majorIllness',
    { threshold: rules.threshold, annualCap: rules.annualCap, burdenBefore: start },
    burden,
    paid,
    `个人负担的政策范围内费用 ${yuan(burden)}，本年累计 ${yuan(end)}${above}${capText}。大病保险合计支付 ${yuan(paid)}。`,
  );
  run.after.majorIllnessBurden += burden;
  run.after.majorIllnessPaid += paid;
  return paid;
}

// ---------------------------------------------------------------------------------------------

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

/**
 * Estimate one claim. `claim` and `ledger` are already validated (`claimSchema`, `ledgerSchema`);
 * `policy` is a parsed document, resolved here on the date of service. Without a ledger the year
 * starts empty. Throws DomainError POLICY_MISMATCH, POLICY_NOT_IN_FORCE or LEDGER_YEAR_MISMATCH.
 */
export function estimate(claim: Claim, doc: PolicyDocument, ledgerIn?: Ledger): Estimate {
  const date = dateOfService(claim.visit);
  const year = yearOf(date);
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
    throw new DomainError('LEDGER_YEAR_MISMATCH', `年度累计记录属于 ${before.policyYear} 年，而本次费用发生在 ${year} 年`, { details: { ledgerYear: before.policyYear, year } });
  }
  const visitKind = claim.visit.kind;
  const effectiveKind: VisitKind = visitKind === 'emergency' ? (policy.emergency?.rulesOf ?? 'outpatient') : visitKind;
  const capKinds = effectiveKind === visitKind ? [visitKind] : [visitKind, effectiveKind];
  const run: Run = {
    claim,
    policy,
    level: claim.visit.hospitalLevel,
    retired: claim.insured.retired,
    trace: [],
    warnings: [],
    capsHit: [],
    before,
    after: copyLedger(before),
    ratioReduction: 0,
    outOfRegionShare: 0,
    unfiled: false,
    capRoom: policy.fundCaps
      .filter((cap) => cap.covers.some((kind) => capKinds.includes(kind)))
      .map((cap) => {
        const usedBefore = before.fundPaidByCap[cap.id] ?? 0;
        return { id: cap.id, name: cap.name, limit: cap.amount, usedBefore, room: Math.max(0, cap.amount - usedBefore) };
      }),
  };
  if (claim.insured.retired && policy.insuranceType === 'resident') warn(run, 'RETIRED_IGNORED', '居民医保不区分退休与在职，已按统一比例计算');
  if (visitKind === 'emergency') {
    step(run, 'visitKind', { rulesOf: effectiveKind }, 0, 0, `急诊按${effectiveKind === 'inpatient' ? '住院' : '普通门诊统筹'}规则计算。`);
  }
  if (visitKind === 'maternity' && claim.visit.outOfRegion) {
    // Fixed allowances do not depend on where the birth took place.
  } else {
    outOfRegionStatus(run);
  }

  const lines = claim.lineItems;
  let outcome: Outcome;
  switch (effectiveKind) {
    case 'inpatient':
      outcome = inpatient(run, lines);
      break;
    case 'outpatient':
      outcome = simpleBenefit(run, 'outpatient', '门诊统筹', lines);
      break;
    case 'accident':
      outcome = simpleBenefit(run, 'accident', '意外伤害门（急）诊', lines);
      break;
    case 'chronic':
    case 'twoDiseases':
    case 'special':
      outcome = diseaseBenefit(run, effectiveKind, lines);
      break;
    case 'maternity':
      outcome = maternity(run, lines);
      break;
    default:
      outcome = notCovered(run, effectiveKind, lines);
  }
  for (const cap of run.capRoom) add(run.after.fundPaidByCap, cap.id, outcome.fundPays);

  let total = 0;
  let outOfPolicy = 0;
  let categoryBSelfPay = 0;
  let outOfRegionSelfPay = 0;
  let inPolicy = 0;
  for (const portion of outcome.portions) {
    total += portion.total;
    outOfPolicy += portion.outOfPolicy;
    categoryBSelfPay += portion.selfPay;
    outOfRegionSelfPay += portion.outOfRegionSelfPay;
    inPolicy += portion.inPolicy;
  }
  const majorIllnessPays = effectiveKind === 'maternity' ? 0 : majorIllness(run, capKinds, inPolicy - outcome.fundPays);
  const totalPaid = outcome.fundPays + majorIllnessPays + outcome.allowances;
  const claimantPays = total - totalPaid;
  step(
    run,
    'summary',
    { total, totalPaid },
    total,
    claimantPays,
    `合计 ${yuan(total)}：统筹基金支付 ${yuan(outcome.fundPays)}${majorIllnessPays > 0 ? `，大病保险支付 ${yuan(majorIllnessPays)}` : ''}${outcome.allowances > 0 ? `，定额支付 ${yuan(outcome.allowances)}` : ''}，个人负担 ${yuan(claimantPays)}。`,
  );
  if (doc.sample) warn(run, 'SAMPLE_POLICY', `使用的是示例政策（${doc.title}），金额仅供参考，以经办机构核定为准`);

  return {
    result: {
      policy: { id: doc.id, version: doc.version, title: doc.title, sample: doc.sample, region: doc.region, regionName: doc.regionName, insuranceType: doc.insuranceType },
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
