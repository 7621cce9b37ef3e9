/**
 * The claim's life as a state machine: which transitions exist, who may take each, and what each
 * requires — all as data (`transitions`), applied by one pure function, `applyTransition`, which
 * returns the new state and the audit event to append, or throws a DomainError with a stable code.
 *
 *   draft ─submit→ submitted(待初审) ─初审→ preliminaryPassed ─审核→ reviewPassed ─结算→ settled(待复核)
 *         ─复核→ verified ─支付→ paid
 *   补件: submitted / preliminaryPassed / reviewPassed → supplementRequested ─补件提交→ submitted
 *   退回: submitted / preliminaryPassed / reviewPassed → rejected (不予受理)
 *   复核退回: settled → reviewPassed (the settlement is redone; its ledger entry is reversed)
 *   办结（无需支付）: verified → paid for a claim settled at 0 元 (nothing to transfer: no payment batch, no 确认已支付)
 *   撤回: draft / submitted / supplementRequested → withdrawn (only while not yet in review)
 *   改费用明细, 登记原件 and the claimant's 原件寄出 (tracking number or 自送 day) record a fact without moving the claim.
 *
 * Four eyes: whoever took 初审, 审核 or 结算 on a claim cannot 复核 it; nobody takes a reviewer's
 * action on a claim they filed themselves. One person may hold both reviewer roles.
 *
 * Each transition names the effects it owns (`effects`): what else the same store transaction writes
 * with the claim — reserving or freeing its receipts in the duplicate registry, applying or
 * reversing its settlement on the person's year ledger. Nothing outside the transition writes them.
 */
import * as z from 'zod';
import type { ClaimStatus } from './contracts/claimDraft';
import { DomainError } from './errors';
import { materialDefinitions, materialIds, type MaterialId } from './materials';
import { isFen, type Fen } from './money';
import {
  CLOSE_WITHOUT_PAYMENT_STEP,
  CLOSED_WITHOUT_PAYMENT,
  ESTIMATED_CLOSE_WITHOUT_PAYMENT_STEP,
  claimStatusLabel,
} from './statusLabels';
import { optionalPlainText, withoutFinalStop } from './text';
import { parseParams, zodIssues } from './validation';
import { isValidIsoDate } from './policy/dates';
import { shanghaiDate } from './deadline';

export type { ClaimStatus };

export const workflowRoles = ['claimant', 'reviewer', 'secondReviewer'] as const;
export type WorkflowRole = (typeof workflowRoles)[number];

export const workflowRoleLabels: Record<WorkflowRole, string> = {
  claimant: '申请人',
  reviewer: '经办审核人员',
  secondReviewer: '复核人员',
};

export const workflowActions = [
  'submit',
  'withdraw',
  'answerSupplement',
  'passPreliminary',
  'passReview',
  'requestSupplement',
  'reject',
  'settle',
  'verify',
  'returnFromVerification',
  'markPaid',
  'receiveOriginals',
  'correctLineItems',
  'batchForPayment',
  'recordOriginalsSent',
  'closeWithoutPayment',
  'readReceipt',
] as const;
export type WorkflowAction = (typeof workflowActions)[number];
export const workflowActionSchema = z.enum(workflowActions, { error: '不认识的操作' });

/**
 * What a transition demands beyond role and status:
 * - owner: the actor filed the claim; notOwner: the actor did not (reviewers never review their own);
 * - notHandler: the actor took none of 初审, 审核, 结算 on this claim (four eyes);
 * - reason: a reason code from the action's fixed list ('other' needs free text) — or, for an action
 *   without a list, free text;
 * - supplementMaterials: the materials the claimant must bring (material ids, at least one);
 * - materialsComplete: the caller checked the materials (`missingMaterials`) and nothing is missing;
 * - figures: the amounts decided (integer fen);
 * - paperOriginals: where the claim needs paper originals, they were recorded as received;
 * - originalsNotReceived: the originals have not been recorded yet (recording them twice is refused);
 * - notInPaymentBatch: the claim is in no payment batch yet;
 * - paymentReference: a claim in a payment batch is marked paid only with that batch's number
 *   (`reference`) — so it is paid through its batch, never twice;
 * - originalsExpected: the claim needs paper originals (the policy asks for them);
 * - originalsSent: how the originals went (`originalsSent`: 邮寄 with its tracking number, or 自送 with the day);
 * - somethingToPay: the claim was not settled at 0 元 (a 0.00 row in a bank file, and 确认已支付 of nothing, told the
 *   agency and the claimant that money moved);
 * - nothingToPay: the claim was settled at 0 元 (it is closed without a transfer);
 * - receiptPhoto: the receipt photo the step reads (`receiptPhoto`);
 * - inPaymentBatch: the claim is in a payment batch (money leaves through a batch's bank file, and is confirmed there).
 */
export type Requirement =
  | 'owner'
  | 'notOwner'
  | 'notHandler'
  | 'reason'
  | 'supplementMaterials'
  | 'materialsComplete'
  | 'figures'
  | 'paperOriginals'
  | 'originalsNotReceived'
  | 'notInPaymentBatch'
  | 'paymentReference'
  | 'originalsExpected'
  | 'originalsSent'
  | 'somethingToPay'
  | 'nothingToPay'
  | 'receiptPhoto'
  | 'inPaymentBatch';

/**
 * What a transition writes besides the claim, in the same transaction, keyed by the claim:
 * - receipts.reserve: the claim's receipt keys into the duplicate registry (refused when another live claim holds one);
 * - receipts.release: frees the keys this claim holds;
 * - ledger.apply: computes the final figure with the person's year ledger as it stands and adds it to the ledger;
 * - ledger.reverse: takes this claim's settlement back out of the ledger.
 */
export const transitionEffects = ['receipts.reserve', 'receipts.release', 'ledger.apply', 'ledger.reverse'] as const;
export type TransitionEffect = (typeof transitionEffects)[number];

export interface Transition {
  action: WorkflowAction;
  /** What the button says and what the history shows. */
  label: string;
  from: readonly ClaimStatus[];
  /** The status after; 'unchanged' for a recorded fact that does not move the claim. */
  to: ClaimStatus | 'unchanged';
  /** Where the step leads instead from these statuses (a correction after 审核通过 goes back to be 审核'd again). */
  returnsTo?: Partial<Record<ClaimStatus, ClaimStatus>>;
  /** Any one of these roles may take it; the first the actor holds is recorded. */
  roles: readonly WorkflowRole[];
  requires: readonly Requirement[];
  /** Requirements that are optional inputs: recorded when given. */
  accepts?: readonly ('reason' | 'figures')[];
  /** Written in the same transaction as the claim (see TransitionEffect). */
  effects?: readonly TransitionEffect[];
}

const IN_REVIEW: readonly ClaimStatus[] = ['submitted', 'preliminaryPassed', 'reviewPassed'];
const REVIEWERS: readonly WorkflowRole[] = ['reviewer'];
const ANY_REVIEWER: readonly WorkflowRole[] = ['reviewer', 'secondReviewer'];
/**
 * Payment steps come after 复核: someone holding both roles takes them as 复核人员 (the 复核员 who made a batch was
 * recorded as 经办审核人员), someone holding only the first as 经办审核人员.
 */
const PAYMENT_ROLES: readonly WorkflowRole[] = ['secondReviewer', 'reviewer'];

export const transitions: readonly Transition[] = [
  {
    action: 'submit',
    label: '提交申请',
    from: ['draft'],
    to: 'submitted',
    roles: ['claimant'],
    requires: ['owner', 'materialsComplete'],
    effects: ['receipts.reserve'],
  },
  {
    action: 'withdraw',
    label: '撤回申请',
    from: ['draft', 'submitted', 'supplementRequested'],
    to: 'withdrawn',
    roles: ['claimant'],
    requires: ['owner'],
    accepts: ['reason'],
    effects: ['receipts.release'],
  },
  {
    action: 'answerSupplement',
    label: '提交补件',
    from: ['supplementRequested'],
    to: 'submitted',
    roles: ['claimant'],
    requires: ['owner', 'materialsComplete'],
    effects: ['receipts.reserve'],
  },
  {
    action: 'passPreliminary',
    label: '初审通过',
    from: ['submitted'],
    to: 'preliminaryPassed',
    roles: REVIEWERS,
    requires: ['notOwner'],
  },
  {
    action: 'passReview',
    label: '审核通过',
    from: ['preliminaryPassed'],
    to: 'reviewPassed',
    roles: REVIEWERS,
    requires: ['notOwner'],
    accepts: ['figures'],
  },
  {
    action: 'requestSupplement',
    label: '要求补件',
    from: IN_REVIEW,
    to: 'supplementRequested',
    roles: REVIEWERS,
    requires: ['notOwner', 'reason', 'supplementMaterials'],
  },
  {
    action: 'reject',
    label: '退回（不予受理）',
    from: IN_REVIEW,
    to: 'rejected',
    roles: REVIEWERS,
    requires: ['notOwner', 'reason'],
    effects: ['receipts.release'],
  },
  {
    action: 'settle',
    label: '结算',
    from: ['reviewPassed'],
    to: 'settled',
    roles: REVIEWERS,
    requires: ['notOwner', 'figures', 'paperOriginals'],
    effects: ['ledger.apply'],
  },
  {
    action: 'verify',
    label: '复核通过',
    from: ['settled'],
    to: 'verified',
    roles: ['secondReviewer'],
    requires: ['notOwner', 'notHandler'],
  },
  {
    action: 'returnFromVerification',
    label: '复核退回重新结算',
    from: ['settled'],
    to: 'reviewPassed',
    roles: ['secondReviewer'],
    requires: ['notOwner', 'notHandler', 'reason'],
    effects: ['ledger.reverse'],
  },
  {
    action: 'markPaid',
    label: '确认已支付',
    from: ['verified'],
    to: 'paid',
    roles: PAYMENT_ROLES,
    // Only through a payment batch: a claim marked paid on its own had no bank file behind it (a walk: its settler marked
    // it paid, the claimant was told 已支付到尾号 3445, and no batch listed it).
    requires: ['notOwner', 'somethingToPay', 'inPaymentBatch', 'paymentReference'],
  },
  {
    action: 'receiveOriginals',
    label: '登记纸质原件已收到',
    from: [...IN_REVIEW, 'supplementRequested'],
    to: 'unchanged',
    roles: ANY_REVIEWER,
    requires: ['notOwner', 'originalsNotReceived'],
  },
  {
    action: 'correctLineItems',
    label: '修改费用明细',
    from: IN_REVIEW,
    to: 'unchanged',
    // 审核 approved the figures (its event records them) and 结算 pays them: corrected after it, the claim is 审核'd
    // again — a money probe had 审核 approve 900.00 元 and 结算 pay 600.00 on lines nobody approved.
    returnsTo: { reviewPassed: 'preliminaryPassed' },
    roles: REVIEWERS,
    requires: ['notOwner', 'reason'],
  },
  {
    action: 'batchForPayment',
    label: '编入支付批次',
    from: ['verified'],
    to: 'unchanged',
    roles: PAYMENT_ROLES,
    requires: ['notOwner', 'somethingToPay', 'notInPaymentBatch'],
  },
  {
    action: 'recordOriginalsSent',
    label: '登记纸质原件寄出',
    from: [...IN_REVIEW, 'supplementRequested'],
    to: 'unchanged',
    roles: ['claimant'],
    requires: ['owner', 'originalsExpected', 'originalsNotReceived', 'originalsSent'],
  },
  {
    action: 'closeWithoutPayment',
    label: '办结（无需支付）',
    from: ['verified'],
    to: 'paid',
    // 复核 closes it: the second reviewer is recorded as such (as 经办审核人员 when they hold both roles).
    roles: ['secondReviewer', 'reviewer'],
    requires: ['notOwner', 'nothingToPay', 'notInPaymentBatch'],
  },
  {
    // A receipt photo nobody read (the claimant's app could not, or was not asked to): the reviewer has it read, and
    // the 预审's checks of the receipts are judged again with what it says.
    action: 'readReceipt',
    label: '识别票据',
    from: IN_REVIEW,
    to: 'unchanged',
    roles: REVIEWERS,
    requires: ['notOwner', 'receiptPhoto'],
  },
];

const byAction = new Map<WorkflowAction, Transition>(transitions.map((transition) => [transition.action, transition]));

export function transitionOf(action: WorkflowAction): Transition {
  const transition = byAction.get(action);
  /* c8 ignore next */
  if (!transition) throw new RangeError(`transitionOf: no transition ${action}`);
  return transition;
}

// ---------------------------------------------------------------------------------------------
// Reasons: fixed lists plus free text

export const supplementReasons = {
  invoiceUnclear: '票据照片不清晰，无法辨认金额或印章',
  invoiceStampMissing: '票据缺少医院收费专用章',
  itemizedListMismatch: '缺少费用明细清单，或清单与票据金额不一致',
  diagnosisMissing: '缺少诊断证明或诊断不明确',
  prescriptionMissing: '缺少处方',
  dischargeSummaryMissing: '缺少出院记录（出院小结）',
  scenarioProofMissing: '缺少本场景需要的证明（备案凭证、转诊证明、医院说明、急诊证明等）',
  identityMismatch: '身份证件与参保信息不一致',
  bankAccountProblem: '收款银行账户有误，或户名不是参保人本人',
  originalsNeeded: '需要邮寄或递交纸质原件',
  other: '其他',
} as const;
export type SupplementReason = keyof typeof supplementReasons;

export const rejectReasons = {
  notInsured: '就诊期间未参保或医保待遇暂停',
  pastDeadline: '超过申报时限',
  duplicate: '该费用已报销过（重复申报）',
  settledAtHospital: '该费用已在医院直接结算',
  notCovered: '费用不属于医保支付范围',
  compensatedByThirdParty: '该费用已由第三方赔付',
  materialsNotGenuine: '材料不真实或与实际情况不符',
  supplementNotProvided: '补件期限内未补齐材料',
  other: '其他',
} as const;
export type RejectReason = keyof typeof rejectReasons;

/** The fixed list an action chooses its reason from; actions without one take free text. */
export const reasonLists: Partial<Record<WorkflowAction, Readonly<Record<string, string>>>> = {
  requestSupplement: supplementReasons,
  reject: rejectReasons,
};

export const REASON_TEXT_MAX = 200;

// ---------------------------------------------------------------------------------------------
// State, actor, input, event

export interface ClaimWorkflowState {
  status: ClaimStatus;
  /** Who filed the claim (the claimant's openid). */
  ownerId: string;
  /** Who settled it; cleared when 复核 sends it back. */
  settledBy?: string | null;
  /** Everyone who took 初审, 审核 or 结算 on the claim, ever (four eyes: none of them may 复核). */
  handledBy?: readonly string[];
  /** The policy wants the paper originals before settlement. */
  paperOriginalsRequired?: boolean;
  paperOriginalsReceived?: boolean;
  /** The materials an open 补件 request asks for. */
  requestedMaterials?: readonly MaterialId[];
  /** The payment batch (代发批次) the claim was put in, if any. */
  paymentBatch?: string | null;
  /** What the fund pays, as settled (fen); null or absent before 结算. */
  payableFen?: Fen | null;
}

export interface Actor {
  id: string;
  /** Roles as the server resolved them; roles outside the workflow (e.g. operator) are ignored. */
  roles: readonly string[];
}

export type Figures = Readonly<Record<string, Fen>>;

/** How the paper originals went to the agency, recorded by the claimant after filing. */
export const originalsSentSchema = z.discriminatedUnion(
  'method',
  [
    z.strictObject({
      method: z.literal('mail'),
      trackingNumber: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]{6,40}$/, '快递单号是 6-40 位字母或数字'),
    }),
    z.strictObject({
      method: z.literal('inPerson'),
      date: z
        .string({ error: '请填写送达日期，如 2026-11-03' })
        .refine(isValidIsoDate, { message: '请填写真实存在的送达日期，如 2026-11-03' }),
    }),
  ],
  { error: '请选择邮寄或自送' },
);
export type OriginalsSent = z.output<typeof originalsSentSchema>;

export const transitionInputSchema = z.strictObject({
  reasonCode: z.string().max(40, '原因代码过长').optional(),
  reasonText: optionalPlainText('说明', REASON_TEXT_MAX, { multiline: true }).optional(),
  materials: z
    .array(z.enum(materialIds, { error: '不认识的材料' }))
    .max(materialIds.length)
    .refine((list) => new Set(list).size === list.length, { message: '同一种材料选了两次，请每种只选一次' })
    .optional(),
  missingMaterials: z.array(z.string().max(40)).max(100).optional(),
  /** 要求补件: the claim's photos sent back to be taken again (recorded in the event; the handler moves them). */
  retakePhotos: z.array(z.string().min(1).max(300)).max(20).optional(),
  figures: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/, '金额名称格式不正确'),
      z.number().refine(isFen, '金额应为以分为单位的非负整数'),
    )
    .optional(),
  policyVersion: z.string().max(60).optional(),
  /** A payment batch number: the batch a claim is put in, or paid through. */
  reference: z
    .string()
    .regex(/^[A-Z0-9-]{4,40}$/, '批次编号格式不正确')
    .optional(),
  /** 登记纸质原件寄出: 邮寄 with the courier's tracking number, or 自送 with the day they are (or were) handed in. */
  originalsSent: originalsSentSchema.optional(),
  /** 识别票据: the receipt photo read (a fileID of the claim's receipts; recorded in the event). */
  receiptPhoto: z.string().min(1).max(300).optional(),
  /** The 预审 checks that had passed when a reviewer took the step through 快速办理 (recorded in the event). */
  checks: z
    .array(z.string().regex(/^[A-Za-z]{1,40}$/))
    .max(20)
    .optional(),
});
export type TransitionInput = z.input<typeof transitionInputSchema>;

export interface AuditEvent {
  action: WorkflowAction;
  actor: string;
  role: WorkflowRole;
  /** ISO 8601 instant (UTC). */
  at: string;
  from: ClaimStatus;
  to: ClaimStatus;
  reasonCode?: string;
  /** The reason as the claimant reads it: the list's label, then the free text. */
  reason?: string;
  materials?: MaterialId[];
  /** 要求补件: photos sent back to be taken again (fileIDs). */
  retakePhotos?: string[];
  policyVersion?: string;
  figures?: Record<string, Fen>;
  /** 快速办理: the pre-checks that had passed. */
  checks?: string[];
  /** The payment batch the step concerns. */
  reference?: string;
  /** 登记纸质原件寄出: how the originals went. */
  originalsSent?: OriginalsSent;
  /** 识别票据: the receipt photo read (fileID). */
  receiptPhoto?: string;
}

export interface TransitionResult<S extends ClaimWorkflowState> {
  state: S;
  event: AuditEvent;
}

// ---------------------------------------------------------------------------------------------
// Checks

const statusName = (status: ClaimStatus): string => claimStatusLabel[status];

function roleFor(transition: Transition, actor: Actor): WorkflowRole | null {
  return transition.roles.find((role) => actor.roles.includes(role)) ?? null;
}

/** The checks that depend on who acts and on the state, not on the input. Null when allowed. */
function refusal(transition: Transition, state: ClaimWorkflowState, actor: Actor): DomainError | null {
  const details = { action: transition.action, status: state.status };
  if (roleFor(transition, actor) === null) {
    const who = transition.roles.map((role) => workflowRoleLabels[role]).join('或');
    return new DomainError('ROLE_FORBIDDEN', `只有${who}可以「${transition.label}」`, { details });
  }
  if (transition.requires.includes('owner') && actor.id !== state.ownerId) {
    return new DomainError('NOT_OWNER', '这份申请不是您提交的，不能操作', { details });
  }
  if (transition.requires.includes('notOwner') && actor.id === state.ownerId) {
    return new DomainError('SELF_REVIEW', '不能审核自己提交的报销申请，请交由其他经办人员处理', { details });
  }
  if (!transition.from.includes(state.status)) {
    return new DomainError(
      'TRANSITION_NOT_ALLOWED',
      `申请当前为「${statusName(state.status)}」，不能「${transition.label}」`,
      { details },
    );
  }
  if (transition.requires.includes('notHandler') && (state.handledBy ?? []).includes(actor.id)) {
    return new DomainError('FOUR_EYES', '您初审、审核、结算过这份申请或更正过它的费用明细，复核需由其他复核人员完成', {
      details,
    });
  }
  if (transition.requires.includes('notInPaymentBatch') && state.paymentBatch) {
    return new DomainError('ALREADY_IN_PAYMENT_BATCH', `这份申请已在支付批次 ${state.paymentBatch} 中`, { details });
  }
  if (transition.requires.includes('somethingToPay') && state.payableFen === 0) {
    return new DomainError(
      'NOTHING_TO_PAY',
      '这份申请核定医保支付 0 元，没有款项要支付，请在申请详情页「办结（无需支付）」',
      { details },
    );
  }
  if (transition.requires.includes('inPaymentBatch') && !state.paymentBatch) {
    return new DomainError(
      'NOT_IN_PAYMENT_BATCH',
      '请先把这份申请编入支付批次：按批次导出银行文件付款后，在「支付批次」里确认支付',
      { details },
    );
  }
  if (transition.requires.includes('nothingToPay') && state.payableFen !== 0) {
    return new DomainError('PAYMENT_DUE', '这份申请有报销款要支付，请编入支付批次，支付后确认', { details });
  }
  if (transition.requires.includes('originalsExpected') && state.paperOriginalsRequired !== true) {
    return new DomainError('ORIGINALS_NOT_NEEDED', '这份申请不需要交纸质原件', { details });
  }
  if (transition.requires.includes('originalsNotReceived') && state.paperOriginalsReceived === true) {
    return new DomainError('ORIGINALS_ALREADY_RECEIVED', '纸质原件已经登记过，无需再次登记', { details });
  }
  if (
    transition.requires.includes('paperOriginals') &&
    state.paperOriginalsRequired === true &&
    state.paperOriginalsReceived !== true
  ) {
    return new DomainError('ORIGINALS_NOT_RECEIVED', '本地政策要求纸质原件，收到原件并登记后才能结算', { details });
  }
  return null;
}

function reasonOf(
  transition: Transition,
  input: z.output<typeof transitionInputSchema>,
): { reasonCode?: string; reason?: string } {
  const needed = transition.requires.includes('reason');
  const accepted = needed || (transition.accepts?.includes('reason') ?? false);
  const text = input.reasonText?.trim() ?? '';
  const list = reasonLists[transition.action];
  if (!accepted) return {};
  if (list) {
    const code = input.reasonCode;
    if (code === undefined) {
      if (needed)
        throw new DomainError('REASON_REQUIRED', `请选择「${transition.label}」的原因`, {
          issues: [{ path: 'reasonCode', message: '请选择原因' }],
        });
      return text ? { reason: text } : {};
    }
    const label = Object.prototype.hasOwnProperty.call(list, code) ? list[code] : undefined;
    if (label === undefined)
      throw new DomainError('REASON_UNKNOWN', '请从列表中选择原因', {
        issues: [{ path: 'reasonCode', message: '请从列表中选择原因' }],
        details: { reasonCode: code },
      });
    if (code === 'other' && text === '')
      throw new DomainError('REASON_REQUIRED', '选择“其他”时请写明具体原因', {
        issues: [{ path: 'reasonText', message: '请写明具体原因' }],
      });
    return { reasonCode: code, reason: code === 'other' ? text : text ? `${label}：${text}` : label };
  }
  if (needed && text === '')
    throw new DomainError('REASON_REQUIRED', `请写明「${transition.label}」的原因`, {
      issues: [{ path: 'reasonText', message: '请写明原因' }],
    });
  return text ? { reason: text } : {};
}

function materialLabel(id: string): string {
  return (materialDefinitions as Record<string, { label: string } | undefined>)[id]?.label ?? id;
}

function checkInput(transition: Transition, input: z.output<typeof transitionInputSchema>): void {
  if (transition.action === 'batchForPayment' && !input.reference) {
    throw new DomainError('VALIDATION_FAILED', '缺少支付批次编号', {
      issues: [{ path: 'reference', message: '缺少支付批次编号' }],
    });
  }
  if (transition.requires.includes('originalsSent') && !input.originalsSent) {
    throw new DomainError('VALIDATION_FAILED', '请填写快递单号或送达日期', {
      issues: [{ path: 'originalsSent', message: '请填写快递单号或送达日期' }],
    });
  }
  if (transition.requires.includes('receiptPhoto') && !input.receiptPhoto) {
    throw new DomainError('VALIDATION_FAILED', '请选择要识别的票据照片', {
      issues: [{ path: 'receiptPhoto', message: '请选择要识别的票据照片' }],
    });
  }
  if (transition.requires.includes('supplementMaterials') && (input.materials ?? []).length === 0) {
    throw new DomainError('SUPPLEMENT_MATERIALS_REQUIRED', '请选择需要补充的材料', {
      issues: [{ path: 'materials', message: '至少选择一项材料' }],
    });
  }
  if (transition.requires.includes('materialsComplete')) {
    if (input.missingMaterials === undefined)
      throw new DomainError('MATERIALS_NOT_CHECKED', '材料尚未核对，请稍后重试', {
        details: { action: transition.action },
      });
    if (input.missingMaterials.length > 0) {
      throw new DomainError(
        'MATERIALS_MISSING',
        `还缺少：${input.missingMaterials.map(materialLabel).join('、')}。请拍照上传后再提交`,
        {
          details: { missing: [...input.missingMaterials] },
        },
      );
    }
  }
  if (
    transition.requires.includes('figures') &&
    (input.figures === undefined || Object.keys(input.figures).length === 0)
  ) {
    throw new DomainError('FIGURES_REQUIRED', '结算需要核定的金额', {
      issues: [{ path: 'figures', message: '请填写核定金额' }],
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Applying a transition

/** The actions whose actors may not 复核 the same claim. */
const handlingActions = new Set<WorkflowAction>(['passPreliminary', 'passReview', 'settle']);

/**
 * Who took 初审, 审核 or 结算 on a claim, from its history, and who corrected its line items (`corrections`' `by`):
 * a correction sets the figures the claim is settled on, so its author may not 复核 them either.
 */
export function handlersOf(
  events: readonly Pick<AuditEvent, 'action' | 'actor'>[],
  corrections: readonly { by: string }[] = [],
): string[] {
  return [
    ...new Set([
      ...events.filter((event) => handlingActions.has(event.action)).map((event) => event.actor),
      ...corrections.map((correction) => correction.by),
    ]),
  ];
}

/**
 * Throws the refusal of `action` on `state` by `actor` (role, owner, status, four eyes, originals),
 * before any input is looked at: what a transaction checks before it computes its effects.
 */
export function assertAllowed(state: ClaimWorkflowState, action: WorkflowAction, actor: Actor): void {
  const refused = refusal(transitionOf(action), state, actor);
  if (refused) throw refused;
}

/**
 * Takes `action` on a claim as `actor` at `now`. Returns the new state (other fields of `state` kept)
 * and the audit event to append; throws DomainError with one of: UNKNOWN_ACTION, VALIDATION_FAILED,
 * ROLE_FORBIDDEN, NOT_OWNER, SELF_REVIEW, TRANSITION_NOT_ALLOWED, FOUR_EYES, ALREADY_IN_PAYMENT_BATCH, NOTHING_TO_PAY,
 * PAYMENT_DUE, ORIGINALS_NOT_NEEDED, ORIGINALS_ALREADY_RECEIVED, ORIGINALS_NOT_RECEIVED,
 * REASON_REQUIRED, REASON_UNKNOWN, SUPPLEMENT_MATERIALS_REQUIRED, MATERIALS_NOT_CHECKED,
 * MATERIALS_MISSING, FIGURES_REQUIRED — checked in that order.
 */
export function applyTransition<S extends ClaimWorkflowState>(
  state: S,
  action: string,
  actor: Actor,
  input: TransitionInput,
  now: Date,
): TransitionResult<S> {
  const parsedAction = workflowActionSchema.safeParse(action);
  if (!parsedAction.success) throw new DomainError('UNKNOWN_ACTION', '不认识的操作', { details: { action } });
  const transition = transitionOf(parsedAction.data);
  const parsedInput = transitionInputSchema.safeParse(input, parseParams);
  if (!parsedInput.success) {
    throw new DomainError('VALIDATION_FAILED', '填写的内容有误，请按提示修改', {
      issues: zodIssues(parsedInput.error),
    });
  }
  if (!Number.isFinite(now.getTime())) throw new RangeError('applyTransition: invalid Date');

  const refused = refusal(transition, state, actor);
  if (refused) throw refused;
  const values = parsedInput.data;
  const reason = reasonOf(transition, values);
  checkInput(transition, values);
  if (
    transition.requires.includes('paymentReference') &&
    state.paymentBatch &&
    values.reference !== state.paymentBatch
  ) {
    throw new DomainError('PAY_THROUGH_BATCH', `这份申请在支付批次 ${state.paymentBatch} 中，请在该批次确认支付`, {
      details: { paymentBatch: state.paymentBatch },
    });
  }

  const role = roleFor(transition, actor) as WorkflowRole;
  const to = transition.returnsTo?.[state.status] ?? (transition.to === 'unchanged' ? state.status : transition.to);
  const recordsFigures = transition.requires.includes('figures') || (transition.accepts?.includes('figures') ?? false);
  const event: AuditEvent = {
    action: transition.action,
    actor: actor.id,
    role,
    at: now.toISOString(),
    from: state.status,
    to,
    ...reason,
    ...(transition.action === 'requestSupplement' && values.materials ? { materials: [...values.materials] } : {}),
    ...(transition.action === 'requestSupplement' && values.retakePhotos
      ? { retakePhotos: [...values.retakePhotos] }
      : {}),
    ...(values.policyVersion !== undefined ? { policyVersion: values.policyVersion } : {}),
    ...(recordsFigures && values.figures ? { figures: { ...values.figures } } : {}),
    ...(values.checks ? { checks: [...values.checks] } : {}),
    ...(values.reference !== undefined ? { reference: values.reference } : {}),
    ...(transition.requires.includes('receiptPhoto') && values.receiptPhoto
      ? { receiptPhoto: values.receiptPhoto }
      : {}),
    ...(transition.requires.includes('originalsSent') && values.originalsSent
      ? { originalsSent: { ...values.originalsSent } }
      : {}),
  };

  const next: S = { ...state, status: to };
  if (handlingActions.has(transition.action) && !(state.handledBy ?? []).includes(actor.id))
    next.handledBy = [...(state.handledBy ?? []), actor.id];
  switch (transition.action) {
    case 'settle':
      next.settledBy = actor.id;
      break;
    case 'returnFromVerification':
      next.settledBy = null;
      break;
    case 'requestSupplement':
      next.requestedMaterials = [...(values.materials ?? [])];
      break;
    case 'answerSupplement':
    case 'withdraw':
      delete next.requestedMaterials;
      break;
    case 'receiveOriginals':
      next.paperOriginalsReceived = true;
      break;
    case 'batchForPayment':
      next.paymentBatch = values.reference ?? null;
      break;
    default:
      break;
  }
  return { state: next, event };
}

/** The transitions `actor` may take on `state` now (the buttons to show); input requirements are the form's job. */
export function availableActions(state: ClaimWorkflowState, actor: Actor): Transition[] {
  return transitions.filter((transition) => refusal(transition, state, actor) === null);
}

/** Steps that take a claim on toward 办结 (not 退回, 补件 or a side step such as 登记原件), and 编入支付批次. */
function movesOn(transition: Transition): boolean {
  if (transition.action === 'batchForPayment') return true;
  return !['unchanged', 'rejected', 'supplementRequested', 'withdrawn'].includes(transition.to);
}

/**
 * What the claim waits for before `actor` can take it on, as a sentence — 补件 from its claimant, another 复核人员 (four
 * eyes), the paper originals, a role the actor lacks — or null when its next step is theirs (or it is finished). The
 * queue row says it, and 下一份 on the claim page skips such claims (a desk walk was offered claims it could not act on).
 */
export function waitingFor(state: ClaimWorkflowState, actor: Actor): string | null {
  if (state.status === 'supplementRequested') return '等待申请人补件';
  const steps = transitions.filter(
    (transition) =>
      transition.from.includes(state.status) && !transition.roles.includes('claimant') && movesOn(transition),
  );
  const refusals = steps.map((transition) => refusal(transition, state, actor));
  if (refusals.length === 0 || refusals.some((refused) => refused === null)) return null;
  // A role the actor lacks: who the claim waits for (只有…可以 reads as a refusal of something never asked).
  if (refusals[0]!.code === 'ROLE_FORBIDDEN') {
    const [step] = steps;
    return `等待${step!.roles.map((role) => workflowRoleLabels[role]).join('或')}办理「${step!.label}」`;
  }
  return refusals[0]!.message;
}

/** Withdraw is possible only while the claim has not entered review. */
export function canWithdraw(status: ClaimStatus): boolean {
  return transitionOf('withdraw').from.includes(status);
}

// ---------------------------------------------------------------------------------------------
// The timeline the claimant and the reviewer see

export const timelineSteps = [
  { key: 'submit', label: '提交' },
  { key: 'preliminary', label: '初审' },
  { key: 'review', label: '审核' },
  { key: 'settle', label: '结算' },
  { key: 'verify', label: '复核' },
  { key: 'paid', label: '已支付' },
] as const;
export type TimelineStepKey = (typeof timelineSteps)[number]['key'];

/** How many main steps a status has completed (draft 0 … paid 6); branch statuses have none of their own. */
const progressOf: Partial<Record<ClaimStatus, number>> = {
  draft: 0,
  submitted: 1,
  preliminaryPassed: 2,
  reviewPassed: 3,
  settled: 4,
  verified: 5,
  paid: 6,
};

const branchOf: Partial<
  Record<ClaimStatus, { key: 'supplement' | 'rejected' | 'withdrawn'; label: string; ends: boolean }>
> = {
  supplementRequested: { key: 'supplement', label: '补件', ends: false },
  rejected: { key: 'rejected', label: '退回', ends: true },
  withdrawn: { key: 'withdrawn', label: '撤回', ends: true },
};

export type TimelineState = 'done' | 'current' | 'todo' | 'skipped';

export interface TimelineStep {
  key: TimelineStepKey | 'supplement' | 'rejected' | 'withdrawn';
  label: string;
  state: TimelineState;
  /** When the step was last completed (or, for a branch, entered). */
  at?: string;
  /** The reason shown under a branch step. */
  detail?: string;
}

const SUPPLEMENT_ANSWERED = '经办机构会重新审核，结果会通过消息告诉您';

export interface Timeline {
  steps: TimelineStep[];
  /** 补件 / 退回 / 撤回 when the claim left the main path; 已补交材料 while a 补件 answer waits for the agency. */
  branch?: TimelineStep;
}

/**
 * The status timeline: 提交 → 初审 → 审核 → 结算 → 复核 → 已支付 with each step done, current or to do;
 * after a 补件 / 退回 / 撤回 the main steps reached so far stay done, the rest are to do (补件) or
 * skipped (退回, 撤回), and the branch step carries its time and reason. `events` in append order.
 */
export function claimTimeline(
  status: ClaimStatus,
  events: readonly AuditEvent[],
  /**
   * What the fund pays: `settledFen` as 结算 settled it (the claim's paidFen), `estimatedFen` as last estimated before (the
   * review's, else the filing's). 0 names the last step 办结, not 已支付 (预计 until settled).
   */
  figures: { settledFen?: number | null; estimatedFen?: number | null } = {},
): Timeline {
  const lastReaching = new Map<number, string>();
  for (const event of events) {
    const progress = progressOf[event.to];
    // Only moves forward count: a 复核退回 back to 审核通过 does not redate the 审核 step, and coming
    // back from a branch (the 补件 answer) does not redate 提交.
    if (progress !== undefined && !branchOf[event.from] && progress > (progressOf[event.from] ?? 0))
      lastReaching.set(progress, event.at);
  }
  const closedWithoutPayment = status === 'paid' && events.some((event) => event.action === 'closeWithoutPayment');
  const branch = branchOf[status];
  let done: number;
  if (branch) {
    const entering = [...events].reverse().find((event) => event.to === status && event.from !== status);
    done = entering ? (progressOf[entering.from] ?? 1) : status === 'withdrawn' ? 0 : 1;
  } else {
    done = progressOf[status] ?? 0;
  }
  const steps: TimelineStep[] = timelineSteps.map((step, index) => {
    const position = index + 1;
    let state: TimelineState;
    if (position <= done) state = 'done';
    else if (branch) state = branch.ends ? 'skipped' : 'todo';
    else state = position === done + 1 && done > 0 ? 'current' : 'todo';
    const at = state === 'done' ? lastReaching.get(position) : undefined;
    // A claim closed at 0 元 was not paid: its last step is 办结; settled at 0 元 and not yet closed, it is to come.
    const label =
      step.key !== 'paid'
        ? step.label
        : closedWithoutPayment
          ? CLOSED_WITHOUT_PAYMENT
          : figures.settledFen === 0 && (status === 'settled' || status === 'verified')
            ? CLOSE_WITHOUT_PAYMENT_STEP
            : figures.settledFen == null && figures.estimatedFen === 0 && !branch && status !== 'paid'
              ? ESTIMATED_CLOSE_WITHOUT_PAYMENT_STEP
              : step.label;
    return { key: step.key, label, state, ...(at ? { at } : {}) };
  });
  if (!branch) {
    // A 补件 just answered: the claim is back at 初审 (正在办理 again, though it may have been done); until the agency
    // acts, the row says the materials came in (a walk read only 初审 正在办理 and wondered whether they had).
    const last = events[events.length - 1];
    if (last?.action !== 'answerSupplement') return { steps };
    return {
      steps,
      branch: { key: 'supplement', label: '已补交材料', state: 'done', at: last.at, detail: SUPPLEMENT_ANSWERED },
    };
  }
  const entering = [...events].reverse().find((event) => event.to === status);
  const branchStep: TimelineStep = {
    key: branch.key,
    label: branch.label,
    state: branch.ends ? 'done' : 'current',
    ...(entering ? { at: entering.at } : {}),
    ...(entering?.reason ? { detail: entering.reason } : {}),
  };
  return { steps, branch: branchStep };
}

/**
 * The timeline's rows in the order they happened: a branch (补件 / 退回 / 撤回) right after the last step reached, before
 * the steps it left to do. It was drawn after 已支付, as if it had come after the payment.
 */
export function timelineRows(timeline: Timeline): Array<TimelineStep & { branch: boolean }> {
  const steps = timeline.steps.map((step) => ({ ...step, branch: false }));
  if (!timeline.branch) return steps;
  const reached = steps.filter((step) => step.state === 'done').length;
  return [...steps.slice(0, reached), { ...timeline.branch, branch: true }, ...steps.slice(reached)];
}

/** 自送 on `date`, as of `today` (Shanghai): a day still ahead is a plan, not a fact (a walk read a future day as done). */
export function deliveryText(date: string, today: string): string {
  return date > today ? `打算 ${date} 自己送去` : `自己送去，${date}`;
}

/** One line of the claim's history (append-only audit events), as the detail page lists it. */
export function describeEvent(event: AuditEvent): { title: string; who: string; at: string; detail?: string } {
  const transition = byAction.get(event.action);
  const title = transition ? transition.label : event.action;
  const parts: string[] = [];
  if (event.reason) parts.push(`原因：${withoutFinalStop(event.reason)}`);
  if (event.materials && event.materials.length > 0)
    parts.push(`需补充：${event.materials.map(materialLabel).join('、')}`);
  if (event.originalsSent)
    parts.push(
      event.originalsSent.method === 'mail'
        ? `邮寄，快递单号 ${event.originalsSent.trackingNumber}`
        : deliveryText(event.originalsSent.date, shanghaiDate(new Date(event.at))),
    );
  return {
    title,
    who: workflowRoleLabels[event.role],
    at: event.at,
    ...(parts.length > 0 ? { detail: parts.join('；') } : {}),
  };
}
