/**
 * The materials checklist (材料清单): what a claim must carry, generated from the scenario, the
 * visit kind and a few facts about the claim. Each item says whether it is required, why it is
 * needed (in plain Chinese, shown next to the item) and whether the paper original must reach the
 * agency. Submission is blocked while a required item has no photo: `missingMaterials` names them.
 */
import { DomainError } from './errors';
import type { VisitKind } from './policy/schema';
import type { OutOfRegionKind, ScenarioId } from './scenarios';

export const materialIds = [
  'invoice',
  'itemizedList',
  'diagnosis',
  'prescription',
  'dischargeSummary',
  'identity',
  'bankAccount',
  'agentAuthorization',
  'medicalRecord',
  'hospitalStatement',
  'emergencyProof',
  'outOfRegionFiling',
  'referralCertificate',
  'tripProof',
  'cardProblemReceipt',
  'arrearsPeriodProof',
  'externalPurchaseProof',
  'pharmacyInvoice',
  'accidentReport',
  'compensationStatement',
  'injuryStatement',
  'diseaseCertification',
  'birthCertificate',
  'guardianProof',
] as const;
export type MaterialId = (typeof materialIds)[number];

export interface MaterialItem {
  id: MaterialId;
  label: string;
  required: boolean;
  /** Why the agency needs it, in plain Chinese. */
  why: string;
  /** What it usually looks like or where to get it. */
  examples?: string[];
  /** The paper original must reach the agency (mail or in person), not just a photo. */
  originalPaperNeeded?: boolean;
}

export interface ChecklistOptions {
  /** 异地就医: filed, temporary trip or referral (only read for the outOfRegion scenario). */
  outOfRegionKind?: OutOfRegionKind;
  /** A relative or other agent files for the insured person (代办). */
  filedByAgent?: boolean;
  /** The hospital issued an electronic invoice (电子票据): no paper original to send. */
  electronicInvoice?: boolean;
  /** The region's policy wants paper originals of the receipts (default true). */
  paperOriginalsRequired?: boolean;
  /** A minor's claim paid into a parent's or guardian's account: the relationship is shown. */
  payoutToGuardian?: boolean;
}

/** The visit kinds that are paid on an outpatient basis: they need the prescription. */
const OUTPATIENT_KINDS: ReadonlySet<VisitKind> = new Set([
  'outpatient',
  'chronic',
  'twoDiseases',
  'special',
  'emergency',
  'accident',
]);
const STAY_KINDS: ReadonlySet<VisitKind> = new Set(['inpatient', 'maternity']);

type Definition = Omit<MaterialItem, 'id' | 'required' | 'originalPaperNeeded'>;

/** Labels, reasons and examples of every material: the one place their words live. */
export const materialDefinitions: Record<MaterialId, Definition> = {
  invoice: {
    label: '医院发票 / 收费票据',
    why: '证明您实际支付了多少钱，是报销金额的依据；须有医院的收费专用章。',
    examples: ['医疗门诊收费票据', '医疗住院收费票据', '医疗收费电子票据（打印件或截图）'],
  },
  itemizedList: {
    label: '费用明细清单',
    why: '逐项列出药品、检查和治疗，经办人员据此区分甲类、乙类和自费项目。',
    examples: ['住院费用每日清单或总清单', '门诊费用明细（可在医院收费处打印）'],
  },
  diagnosis: {
    label: '诊断证明',
    why: '说明所患疾病，确认费用属于医保支付范围。',
    examples: ['诊断证明书（加盖医院公章）', '门诊病历首页上的诊断'],
  },
  prescription: {
    label: '处方',
    why: '门诊用药必须有医生处方，核对所购药品与诊断相符。',
    examples: ['门诊处方笺', '电子处方打印件'],
  },
  dischargeSummary: {
    label: '出院记录 / 出院小结',
    why: '记录住院经过和出院诊断，是核定住院费用的依据。',
    examples: ['出院记录', '出院小结（加盖医院章）'],
  },
  identity: {
    label: '参保人身份证件',
    why: '确认参保人身份，与参保信息核对。',
    examples: ['居民身份证正反面', '社会保障卡', '医保电子凭证截图'],
  },
  bankAccount: {
    label: '收款银行卡',
    why: '报销款打入参保人本人名下的银行账户（未成年人可以是父母或其他监护人的），核对户名和卡号。',
    examples: ['银行卡正面（卡号清晰）', '存折首页'],
  },
  agentAuthorization: {
    label: '代办人身份证件和委托书',
    why: '由家人或他人代办时，需要证明代办人身份和参保人的委托。',
    examples: ['代办人身份证正反面', '授权委托书（参保人签字）', '户口簿（直系亲属代办）'],
  },
  medicalRecord: {
    label: '病历复印件',
    why: '不是必需的，但审核时常用来核对病情和治疗经过，建议一并上传。',
    examples: ['门诊病历', '住院病案首页'],
  },
  hospitalStatement: {
    label: '医院书面说明（盖章）',
    why: '证明就诊时医院系统故障无法结算，须加盖医院公章。',
    examples: ['医院医保办出具的情况说明'],
  },
  emergencyProof: {
    label: '急诊证明 / 急诊章',
    why: '证明属于急诊抢救，票据或病历上应有医院急诊章。',
    examples: ['盖有急诊章的收费票据', '急诊病历', '急诊抢救证明'],
  },
  outOfRegionFiling: {
    label: '异地就医备案凭证',
    why: '证明就医前已办理异地备案，可按参保地标准报销。',
    examples: ['国家医保服务平台备案成功截图', '备案登记表'],
  },
  referralCertificate: {
    label: '转诊证明',
    why: '参保地医院开具的转诊证明，一般视同已备案。',
    examples: ['转诊（转院）审批表', '转诊证明单'],
  },
  tripProof: {
    label: '临时外出情况说明',
    why: '未备案的临时外出就医，说明外出原因和时间，部分地区据此补办备案。',
    examples: ['出差证明', '往返车票或机票', '情况说明（本人签字）'],
  },
  cardProblemReceipt: {
    label: '社保卡挂失或补办回执',
    why: '说明就诊时社保卡无法使用的原因，帮助审核。',
    examples: ['挂失回执', '补卡（换卡）受理单', '制卡进度截图'],
  },
  arrearsPeriodProof: {
    label: '欠费或身份变更期间证明',
    why: '证明医保待遇暂停的起止时间和已补缴（已变更）情况，只报销恢复待遇后可追溯的期间。',
    examples: ['单位补缴凭证', '参保缴费记录', '参保身份变更证明'],
  },
  externalPurchaseProof: {
    label: '外购药证明',
    why: '医院证明该药品院内无药、需到院外购买，须有医院盖章。',
    examples: ['外购药品审批表', '院外购药证明'],
  },
  pharmacyInvoice: {
    label: '药店购药发票和清单',
    why: '证明在药店实际支付的药费，核对药品名称、规格和数量。',
    examples: ['药店发票', '购药小票及药品清单'],
  },
  accidentReport: {
    label: '事故责任认定书',
    why: '第三方责任的受伤需要明确责任，医保只支付不应由第三方承担或第三方无法支付的部分。',
    examples: ['交警道路交通事故认定书', '公安机关或法院的责任认定材料'],
  },
  compensationStatement: {
    label: '赔偿情况说明',
    why: '说明是否已从责任方或商业保险获得赔偿，避免重复报销。',
    examples: ['赔偿协议或调解书', '未获赔偿承诺书'],
  },
  injuryStatement: {
    label: '受伤经过说明',
    why: '意外伤害需说明受伤的时间、地点和经过，确认没有第三方责任。',
    examples: ['外伤情况说明（本人签字）', '病历中的受伤经过记录'],
  },
  diseaseCertification: {
    label: '门诊慢特病（两病）认定证明',
    why: '门诊慢特病、特殊门诊按认定的病种报销，需要病种认定或备案证明。',
    examples: ['慢特病认定（待遇）审批表', '两病备案截图'],
  },
  birthCertificate: {
    label: '出生医学证明',
    why: '生育医疗费用按分娩方式定额报销，出生医学证明可以佐证分娩情况。',
    examples: ['出生医学证明'],
  },
  guardianProof: {
    label: '监护关系证明',
    why: '未成年人的报销款打入父母或其他监护人的账户时，证明账户户主是参保人的监护人，由监护人办理。',
    examples: ['户口簿（户主页、参保人页和监护人页）或出生医学证明', '监护人身份证正反面', '法院或民政部门的监护证明'],
  },
};

function item(id: MaterialId, required: boolean, originalPaperNeeded = false): MaterialItem {
  const definition = materialDefinitions[id];
  return { id, ...definition, required, ...(originalPaperNeeded ? { originalPaperNeeded: true } : {}) };
}

/**
 * The checklist for a claim, required items first (in the order a person gathers them), then the
 * optional ones. Never contains an id twice.
 */
export function materialsChecklist(
  scenario: ScenarioId,
  visitKind: VisitKind,
  options: ChecklistOptions = {},
): MaterialItem[] {
  const paperOriginals = options.paperOriginalsRequired ?? true;
  const items = new Map<MaterialId, MaterialItem>();
  const add = (id: MaterialId, required: boolean, originalPaperNeeded = false): void => {
    const previous = items.get(id);
    // An item asked for twice keeps the stricter of the two answers.
    items.set(
      id,
      item(
        id,
        required || (previous?.required ?? false),
        (originalPaperNeeded && paperOriginals) || (previous?.originalPaperNeeded ?? false),
      ),
    );
  };

  // Always — but medicine bought outside is paid at the pharmacy: its invoice and list (药店购药发票和清单, below) are the
  // receipts; a hospital's is asked only when the visit cost something there too (a walk holding only the pharmacy's
  // invoice had no way through: it was asked for as 医院发票 and again as 药店购药发票).
  const pharmacyOnly = scenario === 'externalPharmacy';
  add('invoice', !pharmacyOnly, !options.electronicInvoice && !pharmacyOnly);
  add('itemizedList', !pharmacyOnly);
  add('diagnosis', true);
  if (OUTPATIENT_KINDS.has(visitKind)) add('prescription', true);
  if (STAY_KINDS.has(visitKind)) add('dischargeSummary', true);

  // By visit kind
  if (visitKind === 'emergency') add('emergencyProof', true);
  if (visitKind === 'chronic' || visitKind === 'special') add('diseaseCertification', true);
  if (visitKind === 'twoDiseases') add('diseaseCertification', false);
  if (visitKind === 'accident' && scenario !== 'thirdParty') add('injuryStatement', true);

  // By scenario
  switch (scenario) {
    case 'outOfRegion':
      if (options.outOfRegionKind === 'filed') add('outOfRegionFiling', true);
      else if (options.outOfRegionKind === 'referral') add('referralCertificate', true);
      else add('tripProof', false);
      break;
    case 'systemFailure':
      add('hospitalStatement', true, true);
      break;
    case 'cardProblem':
      add('cardProblemReceipt', false);
      break;
    case 'emergencyWithoutCard':
      add('emergencyProof', true);
      break;
    case 'arrearsOrStatusChange':
      add('arrearsPeriodProof', true);
      break;
    case 'dischargeSettlement':
      add('dischargeSummary', true);
      break;
    case 'externalPharmacy':
      add('externalPurchaseProof', true, true);
      add('prescription', true);
      add('pharmacyInvoice', true, !options.electronicInvoice);
      break;
    case 'thirdParty':
      add('accidentReport', true);
      add('compensationStatement', true);
      break;
  }

  add('identity', true);
  add('bankAccount', true);
  // A minor's claim into a guardian's account: the 监护关系证明 shows who acts for the child; no 委托书 of an 8-year-old
  // is asked for beside it (a walk: the one 户口簿 was asked for twice, and refused as the same photo twice).
  if (options.payoutToGuardian) add('guardianProof', true);
  else if (options.filedByAgent) add('agentAuthorization', true);
  if (visitKind === 'maternity') add('birthCertificate', false);
  add('medicalRecord', false);

  const all = [...items.values()];
  return [...all.filter((entry) => entry.required), ...all.filter((entry) => !entry.required)];
}

// ---------------------------------------------------------------------------------------------
// What is still missing

export interface MissingMaterial {
  id: MaterialId;
  label: string;
}

/** Photos (or file ids) per material; only a non-empty list counts as present. A count works too. */
export type PhotosByMaterial = Partial<Record<string, readonly unknown[] | number | undefined>>;

function present(value: readonly unknown[] | number | undefined): boolean {
  if (value === undefined) return false;
  return typeof value === 'number' ? value > 0 : value.length > 0;
}

/** The required items without a photo, in checklist order. Empty: the claim may be submitted. */
export function missingMaterials(
  checklist: readonly MaterialItem[],
  photosByMaterial: PhotosByMaterial,
): MissingMaterial[] {
  return checklist
    .filter((entry) => entry.required && !present(photosByMaterial[entry.id]))
    .map(({ id, label }) => ({ id, label }));
}

/** "还缺少：医院发票 / 收费票据、诊断证明" — or null when nothing required is missing. */
export function missingMaterialsMessage(missing: readonly MissingMaterial[]): string | null {
  if (missing.length === 0) return null;
  return `还缺少：${missing.map((entry) => entry.label).join('、')}。请拍照上传后再提交`;
}

/** For the server's submit: throws MATERIALS_MISSING naming every missing item. */
export function assertMaterialsComplete(checklist: readonly MaterialItem[], photosByMaterial: PhotosByMaterial): void {
  const missing = missingMaterials(checklist, photosByMaterial);
  const message = missingMaterialsMessage(missing);
  if (message === null) return;
  throw new DomainError('MATERIALS_MISSING', message, {
    issues: missing.map((entry) => ({ path: `materials.${entry.id}`, message: `请上传${entry.label}` })),
    details: { missing: missing.map((entry) => entry.id) },
  });
}

/** The items whose paper original must reach the agency (for the 邮寄 / 自送 step). */
export function paperOriginals(checklist: readonly MaterialItem[]): MaterialItem[] {
  return checklist.filter((entry) => entry.originalPaperNeeded === true);
}
