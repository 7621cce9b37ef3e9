/**
 * The claimant-readable trace: what each step computed (`params`), which parameters of the policy it
 * used and since when (`parameters`), and one Chinese sentence per step from the template table
 * below, keyed by rule. Arithmetic never builds a sentence; a sentence never computes.
 */
import { formatRatio, formatYuan, type BasisPoints, type Fen } from '../money';
import { majorIllnessCategoryNames, type HospitalLevel, type MajorIllnessCategory } from '../policy/schema';

/** A policy parameter a step used: its path in the document, the date its value took effect, its own reference, whether it is a sample value. */
export interface ParameterUse {
  param: string;
  since: string;
  reference?: string;
  sample?: true;
}

export interface TraceStep {
  rule: string;
  /** The figures the step worked with (the facts its sentence is made from). */
  params: Record<string, number | string | boolean | null>;
  parameters: ParameterUse[];
  amountIn: Fen;
  amountOut: Fen;
  text: string;
}

type Group = { group: string | null };

/** The facts each rule's sentence is made from. */
export interface Facts {
  visitKind: { rulesOf: 'outpatient' | 'inpatient' };
  policyYear: { policyYear: number; from: string; to: string };
  enrolment: { years: number | null; afterYears: number; capBonus: Fen; ratioBonus: BasisPoints };
  outOfRegion: {
    how: 'filed' | 'referral' | 'ratioReduction' | 'selfPayFirst';
    points: BasisPoints;
    share: BasisPoints;
  };
  lines: Group & { lines: number; total: Fen };
  outOfPolicy: Group & { amount: Fen };
  selfPayFirst: Group & {
    itemClass: 'categoryB' | 'trialTest' | 'implant';
    share: BasisPoints;
    amount: Fen;
    part: Fen;
  };
  outOfRegionSelfPay: Group & { share: BasisPoints; inPolicy: Fen; part: Fen };
  inPolicy: Group & { inPolicy: Fen };
  admissionDeductible: {
    level: HospitalLevel;
    how: 'unfiledOutOfRegion' | 'perYear' | 'first' | 'nth' | 'fraction';
    nth: number;
    first: Fen;
    used: Fen;
    fraction: BasisPoints;
    due: Fen;
    taken: Fen;
  };
  deductible: Group & { label: string; full: Fen; basis: 'perVisit' | 'perYear'; used: Fen; taken: Fen };
  deductibleAnnualCap: Group & { cap: Fen; used: Fen; due: Fen; room: Fen };
  ratio: Group & {
    segmented: boolean;
    level: HospitalLevel;
    label: string;
    inPolicy: Fen;
    deductible: Fen;
    countedOn: 'beforeDeductible' | 'afterDeductible';
    from: Fen;
    upTo: Fen | null;
    ratio: BasisPoints;
    reduction: BasisPoints;
    bonus: BasisPoints;
    piece: Fen;
    pays: Fen;
  };
  ratioTotal: Group & {
    level: HospitalLevel;
    label: string;
    inPolicy: Fen;
    deductible: Fen;
    countedOn: string;
    start: Fen;
    end: Fen;
    fund: Fen;
  };
  benefitLimit: Group & { name: string; limit: Fen; usedBefore: Fen; room: Fen };
  fundCap: Group & { name: string; limit: Fen; used: Fen; room: Fen };
  diseaseNotCovered: { kindName: string; codes: string; inPolicy: Fen };
  allowance: { deliveryKind: 'natural' | 'cesarean'; allowance: Fen; inPolicy: Fen; paid: Fen };
  majorIllnessTier: { from: Fen; upTo: Fen | null; piece: Fen; ratio: BasisPoints; pays: Fen };
  /** A category's part of the 大病 burden (`categoryRatios`): the claim's burden through it (categories laid by ratio, lowest first), what it added, how much of that is above the threshold. */
  majorIllnessShare: { category: MajorIllnessCategory; ratio: BasisPoints; through: Fen; part: Fen; above: Fen };
  /** A category's part above the threshold at its ratio (`listed`: its own, else the tier's). */
  majorIllnessCategory: { category: MajorIllnessCategory; piece: Fen; ratio: BasisPoints; listed: boolean; pays: Fen };
  majorIllness: {
    burden: Fen;
    selfPayCounted: Fen;
    outOfRegionCounted: Fen;
    burdenBefore: Fen;
    end: Fen;
    threshold: Fen;
    /** Tier pieces, or category parts (with their category) when the policy sets `categoryRatios`. */
    tiers: ReadonlyArray<{ category?: MajorIllnessCategory; piece: Fen; ratio: BasisPoints; pays: Fen }>;
    raw: Fen;
    cap: Fen;
    capBonus: Fen;
    paid: Fen;
  };
  summary: { total: Fen; fund: Fen; majorIllness: Fen; allowances: Fen; claimantPays: Fen };
}

export type Rule = keyof Facts;

const yuan = formatYuan;
const pct = formatRatio;
const points = (value: BasisPoints) => pct(value).replace('%', '');
const levelNames: Record<HospitalLevel, string> = { 1: '一级医院', 2: '二级医院', 3: '三级医院' };
const itemClassNames = { categoryB: '乙类', trialTest: '放宽规则检查', implant: '高值医用耗材' } as const;

/** "在 30,000.00 元以下" / "在 30,000.00 元至 40,000.00 元之间" / "在 40,000.00 元以上" */
export function bandRange(lower: Fen, upTo: Fen | null): string {
  if (upTo === null) return lower === 0 ? '' : `在 ${yuan(lower)}以上`;
  return lower === 0 ? `在 ${yuan(upTo)}以下` : `在 ${yuan(lower)}至 ${yuan(upTo)}之间`;
}

const admissionHow: Record<Facts['admissionDeductible']['how'], (f: Facts['admissionDeductible']) => string> = {
  unfiledOutOfRegion: () => '临时异地住院（未备案）起付线',
  perYear: (f) => `起付线按年度计 ${yuan(f.first)}，本年已扣 ${yuan(f.used)}，还剩`,
  first: () => '本年首次住院起付线',
  nth: (f) => `本年第 ${f.nth} 次住院起付线`,
  fraction: (f) => `本年第 ${f.nth} 次住院，起付线为首次 ${yuan(f.first)}的 ${pct(f.fraction)}，即`,
};

const outOfRegionSentences: Record<Facts['outOfRegion']['how'], (f: Facts['outOfRegion']) => string> = {
  filed: () => '异地就医已办理备案，起付线、报销比例和封顶线按参保地政策执行。',
  referral: () => '异地就医持转诊证明，按参保地政策执行。',
  ratioReduction: (f) => `异地就医未备案（临时外出且无转诊），报销比例降低 ${points(f.points)} 个百分点。`,
  selfPayFirst: (f) => `异地就医未备案（临时外出且无转诊），政策范围内费用先由个人自付 ${pct(f.share)}。`,
};

function ratioNotes(f: Facts['ratio']): string {
  const bonus = f.bonus > 0 ? `（含连续参保激励 ${points(f.bonus)} 个百分点）` : '';
  const reduced = f.reduction > 0 ? `（已按未备案降低 ${points(f.reduction)} 个百分点）` : '';
  return `${bonus}${reduced}`;
}

/** The sentence of every rule. */
export const sentences: { [R in Rule]: (facts: Facts[R]) => string } = {
  visitKind: (f) => `急诊按${f.rulesOf === 'inpatient' ? '住院' : '普通门诊统筹'}规则计算。`,
  policyYear: (f) =>
    `本政策的医保年度为 ${f.from} 至 ${f.to}（${f.policyYear} 年度），起付线、限额和年度累计按医保年度计算。`,
  enrolment: (f) =>
    f.years === null
      ? `未提供连续参保年限，不计连续参保激励（满 ${f.afterYears} 年后每年提高）。`
      : `连续参保 ${f.years} 年${f.years > f.afterYears ? `，满 ${f.afterYears} 年后又连续参保 ${f.years - f.afterYears} 年` : `，未超过 ${f.afterYears} 年`}：${
          [
            f.capBonus > 0 ? `大病保险年度最高支付限额提高 ${yuan(f.capBonus)}` : '',
            f.ratioBonus > 0 ? `住院报销比例提高 ${points(f.ratioBonus)} 个百分点` : '',
          ]
            .filter(Boolean)
            .join('，') || '暂不提高待遇'
        }。`,
  outOfRegion: (f) => outOfRegionSentences[f.how](f),
  lines: (f) => `共 ${f.lines} 项费用，合计 ${yuan(f.total)}。`,
  outOfPolicy: (f) => `丙类（目录外、全自费）费用 ${yuan(f.amount)}不予报销，由个人负担。`,
  selfPayFirst: (f) =>
    `${itemClassNames[f.itemClass]}费用 ${yuan(f.amount)}，先行自付 ${pct(f.share)}，即 ${yuan(f.part)}。`,
  outOfRegionSelfPay: (f) =>
    `异地就医未备案，政策范围内费用 ${yuan(f.inPolicy)}先由个人自付 ${pct(f.share)}，即 ${yuan(f.part)}。`,
  inPolicy: (f) => `进入报销计算的政策范围内费用 ${yuan(f.inPolicy)}。`,
  admissionDeductible: (f) =>
    `${levelNames[f.level]}${admissionHow[f.how](f)} ${yuan(f.due)}，本次扣除 ${yuan(f.taken)}。`,
  deductible: (f) =>
    `${f.label}起付线 ${yuan(f.full)}${f.basis === 'perYear' ? `（按年度计，本年此前已扣 ${yuan(f.used)}）` : '（每次就诊）'}，本次扣除 ${yuan(f.taken)}。`,
  deductibleAnnualCap: (f) =>
    `起付线年度累计上限 ${yuan(f.cap)}，本年已扣 ${yuan(f.used)}，本次起付线由 ${yuan(f.due)}降为 ${yuan(f.room)}。`,
  ratio: (f) =>
    f.segmented
      ? `本年累计${f.countedOn === 'beforeDeductible' ? '政策范围内费用' : '扣除起付线后费用'}${bandRange(f.from, f.upTo)}的部分 ${yuan(f.piece)}按 ${pct(f.ratio)} 报销${ratioNotes(f)}，支付 ${yuan(f.pays)}。`
      : `${levelNames[f.level]}${f.label}，政策范围内费用 ${yuan(f.inPolicy)}，${f.deductible > 0 ? `扣除起付线 ${yuan(f.deductible)}后` : ''}按 ${pct(f.ratio)} 报销${ratioNotes(f)}，统筹基金支付 ${yuan(f.pays)}。`,
  ratioTotal: (f) =>
    `${levelNames[f.level]}${f.label}，政策范围内费用 ${yuan(f.inPolicy)}，扣除起付线 ${yuan(f.deductible)}后分段报销，合计 ${yuan(f.fund)}。`,
  benefitLimit: (f) =>
    `${f.name} ${yuan(f.limit)}，本年此前已支付 ${yuan(f.usedBefore)}，本次最多支付 ${yuan(f.room)}。`,
  fundCap: (f) => `${f.name} ${yuan(f.limit)}，本年已支付 ${yuan(f.used)}，本次统筹基金支付减至 ${yuan(f.room)}。`,
  diseaseNotCovered: (f) =>
    `${f.kindName}病种 ${f.codes} 不在目录内，政策范围内费用 ${yuan(f.inPolicy)}统筹基金不支付。`,
  allowance: (f) =>
    `住院分娩（${f.deliveryKind === 'natural' ? '顺产' : '剖腹产'}）定额支付 ${yuan(f.allowance)}${f.paid < f.allowance ? `，不超过政策范围内费用 ${yuan(f.inPolicy)}，支付 ${yuan(f.paid)}` : ''}。`,
  majorIllnessTier: (f) =>
    `大病保险：本年累计个人负担${bandRange(f.from, f.upTo)}的部分 ${yuan(f.piece)}按 ${pct(f.ratio)} 支付 ${yuan(f.pays)}。`,
  majorIllnessShare: (f) => {
    const name = majorIllnessCategoryNames[f.category];
    const above =
      f.above === f.part ? '全部超过起付线' : f.above === 0 ? '未超过起付线' : `其中超过起付线的 ${yuan(f.above)}`;
    const part = f.part === 0 ? `${name}没有增加个人负担` : `${name}部分 ${yuan(f.part)}，${above}`;
    return `大病保险个人负担按比例从低到高逐类计入：${name}（${pct(f.ratio)}）计入后本次个人负担 ${yuan(f.through)}，${part}。`;
  },
  majorIllnessCategory: (f) =>
    `大病保险：${majorIllnessCategoryNames[f.category]}部分 ${yuan(f.piece)}按 ${pct(f.ratio)}${f.listed ? ' ' : '（未单列比例，按大病保险比例）'}支付 ${yuan(f.pays)}。`,
  majorIllness: (f) => {
    const counted = [
      f.selfPayCounted > 0 ? `先行自付 ${yuan(f.selfPayCounted)}` : '',
      f.outOfRegionCounted > 0 ? `异地未备案先行自付 ${yuan(f.outOfRegionCounted)}` : '',
    ].filter(Boolean);
    const burden =
      counted.length > 0
        ? `个人负担 ${yuan(f.burden)}（含${counted.join('、')}）`
        : `个人负担的政策范围内费用 ${yuan(f.burden)}`;
    const above =
      f.tiers.length > 0
        ? `，超过起付线 ${yuan(f.threshold)}的部分：${f.tiers.map((tier) => `${tier.category ? `${majorIllnessCategoryNames[tier.category]} ` : ''}${yuan(tier.piece)}按 ${pct(tier.ratio)} 支付 ${yuan(tier.pays)}`).join('；')}`
        : `，尚未超过大病保险起付线 ${yuan(f.threshold)}`;
    const capText =
      f.raw > f.paid
        ? `；受年度最高支付限额 ${yuan(f.cap)}${f.capBonus > 0 ? `（含连续参保激励 ${yuan(f.capBonus)}）` : ''}限制，本次支付 ${yuan(f.paid)}`
        : '';
    return `${burden}，本年累计 ${yuan(f.end)}${above}${capText}。大病保险合计支付 ${yuan(f.paid)}。`;
  },
  summary: (f) =>
    `合计 ${yuan(f.total)}：统筹基金支付 ${yuan(f.fund)}${f.majorIllness > 0 ? `，大病保险支付 ${yuan(f.majorIllness)}` : ''}${f.allowances > 0 ? `，定额支付 ${yuan(f.allowances)}` : ''}，个人负担 ${yuan(f.claimantPays)}。`,
};

/** The trace step of a rule: its sentence (with the group's 【label】 when there is one) and its flat facts as `params`. */
export function traceStep<R extends Rule>(
  rule: R,
  facts: Facts[R],
  parameters: ParameterUse[],
  amountIn: Fen,
  amountOut: Fen,
): TraceStep {
  // Facts are flat figures except the 大病 tier list, which its own steps already carry.
  let params = facts as unknown as TraceStep['params'];
  if (rule === 'majorIllness') {
    const { tiers: _tiers, ...flat } = facts as Facts['majorIllness'];
    params = flat;
  }
  const group = (facts as Partial<Group>).group;
  const text = (sentences[rule] as (f: Facts[R]) => string)(facts);
  return { rule, params, parameters, amountIn, amountOut, text: group ? `【${group}】${text}` : text };
}
