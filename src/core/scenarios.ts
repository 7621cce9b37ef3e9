/**
 * Why a bill could not be settled at the hospital — the scenario of a manual claim (手工报销) — and the
 * guide (场景向导) that finds it with a few plain questions. Everything the guide asks is data; the
 * pure `guideStep(answers)` says what to ask next or what the answers lead to.
 *
 * Visit kinds are the engine's ids (see policy/schema `visitKinds`).
 */
import { DomainError } from './errors';
import { visitKindNames, visitKinds, type VisitKind } from './policy/schema';

export const scenarioIds = [
  'outOfRegion',
  'systemFailure',
  'cardProblem',
  'emergencyWithoutCard',
  'arrearsOrStatusChange',
  'dischargeSettlement',
  'externalPharmacy',
  'thirdParty',
] as const;
export type ScenarioId = (typeof scenarioIds)[number];

/** 异地就医: how the trip stood with the home region. */
export const outOfRegionKinds = ['filed', 'temporaryTrip', 'referral'] as const;
export type OutOfRegionKind = (typeof outOfRegionKinds)[number];

export interface Scenario {
  id: ScenarioId;
  /** The Chinese name shown as the scenario's title. */
  label: string;
  /** One sentence: why the bill must be reimbursed by hand, and what is special about it. */
  explanation: string;
  /** Visit kinds that fit the scenario, most common first. */
  visitKinds: readonly VisitKind[];
}

const ALL_KINDS: readonly VisitKind[] = visitKinds;

export const scenarios: Record<ScenarioId, Scenario> = {
  outOfRegion: {
    id: 'outOfRegion',
    label: '异地就医未直接结算',
    explanation:
      '在参保地以外看病，医院没能直接刷医保结算，所以先全额自付、回参保地报销；办过异地备案或有转诊证明的按参保地标准报销，临时外出未备案的报销比例通常会降低 10-20 个百分点。',
    visitKinds: ['inpatient', 'outpatient', 'emergency', 'chronic', 'twoDiseases', 'special', 'maternity', 'accident'],
  },
  systemFailure: {
    id: 'systemFailure',
    label: '医院系统故障',
    explanation: '就诊时医院的医保结算系统出了故障，只能先全额付款；需要医院出具书面情况说明并盖章，证明当时无法结算。',
    visitKinds: ALL_KINDS,
  },
  cardProblem: {
    id: 'cardProblem',
    label: '社保卡异常',
    explanation:
      '社保卡丢失、损坏、正在制卡或补换卡，看病时无法刷卡结算；报销时用身份证或医保电子凭证证明身份，挂失或补办回执可以帮助审核。',
    visitKinds: ALL_KINDS,
  },
  emergencyWithoutCard: {
    id: 'emergencyWithoutCard',
    label: '急诊抢救未持卡',
    explanation:
      '急诊抢救时来不及出示社保卡，费用已全额支付；票据和病历上需要有医院的急诊章或急诊证明，证明是急诊抢救。',
    visitKinds: ['emergency', 'inpatient'],
  },
  arrearsOrStatusChange: {
    id: 'arrearsOrStatusChange',
    label: '单位欠费或参保身份变更',
    explanation:
      '单位欠缴医保费或参保身份变更期间医保待遇暂停，看病时无法结算；补缴或变更完成后可以报销暂停期间的费用，需要提供欠费（变更）期间及补缴情况的证明。',
    visitKinds: ALL_KINDS,
  },
  dischargeSettlement: {
    id: 'dischargeSettlement',
    label: '出院后报销住院费用',
    explanation: '住院期间没能刷医保，出院时已全额结清，凭出院记录（出院小结）和住院票据申请报销住院费用。',
    visitKinds: ['inpatient', 'maternity'],
  },
  externalPharmacy: {
    id: 'externalPharmacy',
    label: '院外购药（外购药）',
    explanation:
      '医生开了处方、但医院没有这种药，只能到院外药店自费购买；需要医院的外购药证明和处方，药品须在医保目录内。',
    visitKinds: ['outpatient', 'chronic', 'twoDiseases', 'special', 'inpatient'],
  },
  thirdParty: {
    id: 'thirdParty',
    label: '第三方责任（如交通事故）',
    explanation:
      '受伤是他人造成的（例如交通事故），医保基金只支付应由第三方承担而第三方不支付或无法确定的部分；需要交警事故认定书等责任认定材料，已获赔偿的部分不能重复报销。',
    visitKinds: ['accident', 'emergency', 'inpatient', 'outpatient'],
  },
};

export const outOfRegionKindLabels: Record<OutOfRegionKind, { label: string; explanation: string }> = {
  filed: { label: '已办异地就医备案', explanation: '备案后在就医地看病，按参保地标准报销，请准备备案凭证。' },
  temporaryTrip: {
    label: '临时外出，未办备案',
    explanation:
      '临时出差、探亲或旅游时看病（包括突发急诊抢救）且未备案，报销比例通常比备案低 10-20 个百分点；部分地区急诊抢救视同备案，或可以补办备案，以参保地规定为准。',
  },
  referral: {
    label: '由本地医院转诊',
    explanation: '由参保地医院开具转诊证明去外地就医，一般视同已备案，请准备转诊证明。',
  },
};

/** The plain-language name of each visit kind as the guide offers it. */
export const guideVisitKindLabels: Record<VisitKind, string> = {
  inpatient: '住院',
  outpatient: '普通门诊',
  chronic: '门诊慢特病（已认定的慢性病、特殊病）',
  twoDiseases: '高血压、糖尿病（两病）门诊用药',
  special: '特殊门诊（如透析、放化疗）',
  emergency: '急诊',
  maternity: '住院分娩（生孩子）',
  accident: '意外受伤的门诊、急诊',
};

// ---------------------------------------------------------------------------------------------
// The guide's questions as data

export type GuideQuestionId = 'scenario' | 'outOfRegionKind' | 'visitKind';

export interface GuideOption<V extends string = string> {
  value: V;
  label: string;
  hint?: string;
}

export interface GuideQuestion<V extends string = string> {
  id: GuideQuestionId;
  text: string;
  help?: string;
  options: readonly GuideOption<V>[];
}

export const scenarioQuestion: GuideQuestion<ScenarioId> = {
  id: 'scenario',
  text: '看病时为什么没能直接用医保结算？',
  help: '选最接近的一项；拿不准可以拨打 12393 医保服务热线咨询。',
  options: [
    // Both fit an emergency away from home: which to choose is said on each (a walk's daughter picked 急诊 for her
    // father's emergency in another city, and nothing asked about 异地).
    {
      value: 'outOfRegion',
      label: '在外地看病，医院没能直接报销',
      hint: '参保地以外的医院；在外地急诊抢救的也选这一项',
    },
    { value: 'systemFailure', label: '医院的医保系统出故障了' },
    { value: 'cardProblem', label: '社保卡丢了、坏了或正在补办' },
    { value: 'emergencyWithoutCard', label: '急诊抢救，当时没带卡', hint: '在参保地的医院急诊；在外地急诊请选第一项' },
    { value: 'arrearsOrStatusChange', label: '单位欠缴医保费，或参保身份正在变更' },
    { value: 'dischargeSettlement', label: '住院时没刷医保，出院时全部自费结清了' },
    { value: 'externalPharmacy', label: '医院没有这种药，凭处方在外面药店买的' },
    { value: 'thirdParty', label: '因交通事故等由别人造成的受伤' },
  ],
};

export const outOfRegionKindQuestion: GuideQuestion<OutOfRegionKind> = {
  id: 'outOfRegionKind',
  text: '去外地看病前，办过异地就医备案吗？',
  help: '备案可以在国家医保服务平台 App、微信小程序或参保地医保窗口办理。',
  options: outOfRegionKinds.map((value) => ({
    value,
    label: outOfRegionKindLabels[value].label,
    hint: outOfRegionKindLabels[value].explanation,
  })),
};

/** The visit-kind question for a scenario: only the kinds that fit it, in its order. */
export function visitKindQuestion(scenario: ScenarioId): GuideQuestion<VisitKind> {
  return {
    id: 'visitKind',
    text: '这次看病属于哪一种？',
    help: '以医院票据上的类别为准：住院票据写“住院”，门诊票据写“门诊”或“急诊”。',
    // The policy's name as a hint where it says something the label does not (急诊 / 急诊 was shown twice).
    options: scenarios[scenario].visitKinds.map((value) => ({
      value,
      label: guideVisitKindLabels[value],
      ...(guideVisitKindLabels[value].startsWith(visitKindNames[value]) ? {} : { hint: visitKindNames[value] }),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Answering the guide

export interface GuideAnswers {
  scenario?: string;
  outOfRegionKind?: string;
  visitKind?: string;
}

export interface GuideOutcome {
  scenario: ScenarioId;
  outOfRegionKind?: OutOfRegionKind;
  visitKind: VisitKind;
  /** What to tell the person about the result, in order: the scenario's sentence, then the sub-answer's. */
  explanation: string[];
}

export type GuideStep = { done: false; question: GuideQuestion } | { done: true; outcome: GuideOutcome };

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

function invalid(question: GuideQuestionId, value: string): DomainError {
  return new DomainError('GUIDE_ANSWER_INVALID', '这个选项不在可选范围内，请重新选择', {
    issues: [{ path: question, message: '请从列表中选择一项' }],
    details: { question, value },
  });
}

/**
 * The next question to ask, or the outcome once every needed answer is there. Answers that do not
 * belong to their question (or a visit kind that does not fit the scenario) are refused with
 * GUIDE_ANSWER_INVALID; answers that the path does not need (outOfRegionKind for a local scenario)
 * are ignored.
 */
export function guideStep(answers: GuideAnswers): GuideStep {
  if (answers.scenario === undefined) return { done: false, question: scenarioQuestion };
  if (!isOneOf(scenarioIds, answers.scenario)) throw invalid('scenario', answers.scenario);
  const scenario = scenarios[answers.scenario];

  let outOfRegionKind: OutOfRegionKind | undefined;
  if (scenario.id === 'outOfRegion') {
    if (answers.outOfRegionKind === undefined) return { done: false, question: outOfRegionKindQuestion };
    if (!isOneOf(outOfRegionKinds, answers.outOfRegionKind)) throw invalid('outOfRegionKind', answers.outOfRegionKind);
    outOfRegionKind = answers.outOfRegionKind;
  }

  if (answers.visitKind === undefined) return { done: false, question: visitKindQuestion(scenario.id) };
  if (!isOneOf(scenario.visitKinds, answers.visitKind)) throw invalid('visitKind', answers.visitKind);
  const visitKind = answers.visitKind;

  const explanation = [scenario.explanation];
  if (outOfRegionKind) explanation.push(outOfRegionKindLabels[outOfRegionKind].explanation);
  return {
    done: true,
    outcome: { scenario: scenario.id, ...(outOfRegionKind ? { outOfRegionKind } : {}), visitKind, explanation },
  };
}

/** What the engine's claim needs from the outcome: whether the visit was out of region, filed, referred. */
export function outOfRegionFlags(outcome: Pick<GuideOutcome, 'scenario' | 'outOfRegionKind'>): {
  outOfRegion: boolean;
  filedForOutOfRegion: boolean;
  referral: boolean;
} {
  if (outcome.scenario !== 'outOfRegion') return { outOfRegion: false, filedForOutOfRegion: false, referral: false };
  return {
    outOfRegion: true,
    filedForOutOfRegion: outcome.outOfRegionKind === 'filed',
    referral: outcome.outOfRegionKind === 'referral',
  };
}
