/**
 * What the reviewer's confirm dialogs say before a step that cannot be undone: the question, and the step restated (the
 * claim; for money the amount and payee). Text alone, no Taro: the unit tests read it.
 */
import { maskBankAccount, maskName } from '../../../core/identity';
import { guardianRelationLabels } from '../../../core/contracts/persons';
import { formatYuan } from '../../../core/money';
import type { ReviewClaimDetail } from '../../../services/review';

/** The question each confirmed step asks. */
export const confirmTitles = {
  passPreliminary: '确认初审通过这份申请？',
  passReview: '确认审核通过这份申请？',
  receiveOriginals: '确认已收到这份申请的纸质原件？',
  verify: '确认复核通过这份申请？',
  settle: '确认结算这份申请？',
  closeWithoutPayment: '确认办结这份申请（本次医保支付 0 元）？',
} as const;

/** What a confirmed step does, restated: the claim, and for money the amount and payee. */
export function confirmLines(detail: ReviewClaimDetail, action: keyof typeof confirmTitles): string[] {
  if (action === 'settle') return moneyLines(detail);
  const after: Record<Exclude<keyof typeof confirmTitles, 'settle'>, string> = {
    passPreliminary: '通过后进入审核，申请人会收到进度通知；这一步不能撤回。',
    passReview: '通过后等待结算，申请人会收到审核结果通知；这一步不能撤回。',
    receiveOriginals: '登记后这份申请的原件记为已收到，不能撤回。',
    verify:
      payableFen(detail) === 0
        ? '本次医保支付 0 元：复核通过后直接办结，不需要支付，申请人会收到办结通知；这一步不能撤回。'
        : '复核通过后可以编入支付批次付款；这一步不能撤回。',
    closeWithoutPayment: '本次医保支付 0 元，没有款项要转账：办结后申请人会收到办结通知；这一步不能撤回。',
  };
  return [`申请：${detail.title}`, ...precheckLine(detail, action), ...verifyMoneyLines(detail, action), after[action]];
}

/** 初审 / 审核 of a claim whose 预审 left checks open: named, to be looked at before the tap (a walk: nothing said them). */
function precheckLine(detail: ReviewClaimDetail, action: keyof typeof confirmTitles): string[] {
  if (action !== 'passPreliminary' && action !== 'passReview') return [];
  const open = (detail.precheck?.outcomes ?? []).filter((outcome) => !outcome.passed);
  if (open.length === 0) return [];
  return [`预审有 ${open.length} 项需要查看：${open.map((outcome) => outcome.label).join('、')}。请确认已逐项核对。`];
}

/** 复核 restates the settled figure and who it goes to (a walk: it said neither); at 0 元 the close line says it. */
function verifyMoneyLines(detail: ReviewClaimDetail, action: keyof typeof confirmTitles): string[] {
  const fund = payableFen(detail);
  if (action !== 'verify' || fund === undefined || fund === 0) return [];
  return [`核定医保支付：${formatYuan(fund)}`, payeeLine(detail)];
}

/** Who the money goes to: name and account masked. */
function payeeLine(detail: ReviewClaimDetail): string {
  const payout = detail.form?.payout;
  if (!payout) return '收款人：—';
  const guardian = payout.guardianRelation ? `（参保人的${guardianRelationLabels[payout.guardianRelation]}）` : '';
  return `收款人：${maskName(payout.holderName)}${guardian}　${payout.bankName} ${maskBankAccount(payout.accountNumber)}`;
}

/** What the fund pays as settled; undefined before 结算. */
function payableFen(detail: ReviewClaimDetail): number | undefined {
  return detail.settlement?.totalPaid ?? detail.paidFen ?? undefined;
}

/**
 * Said at 结算: who may 复核 it afterwards. The only 复核员 of an agency who settled a claim left nobody to 复核 it (an
 * agency walk): the dialog says so before the tap.
 */
export const SETTLED_THEN_VERIFIED =
  '结算后写入参保人年度累计，须由另一位复核人员复核：结算人本人不能复核。如果您是本机构唯一的复核人员，请交由其他经办人员结算。';

/** What 结算 restates: the claim, the amount it will settle and the payee (name and account masked). */
export function moneyLines(detail: ReviewClaimDetail): string[] {
  const reviewed = (detail.reviewEstimate ?? detail.estimate)?.totalPaid;
  const preview = detail.settlementPreview?.totalPaid;
  const fund = preview ?? reviewed;
  if (fund === 0)
    // Nothing to transfer: a payee line asked the reviewer to check an account no money goes to.
    return [
      `申请：${detail.title}`,
      `按当前年度累计结算，预计医保支付 ${formatYuan(0)}（以结算结果为准）`,
      '结算为 0 元时没有款项要转账，复核通过后直接办结，申请人会收到办结通知。',
      SETTLED_THEN_VERIFIED,
    ];
  return [
    `申请：${detail.title}`,
    // What 结算 will write, when the server figured it on the person's year as it stands; else the review's estimate.
    preview !== undefined
      ? `按当前年度累计结算，医保支付 ${formatYuan(preview)}`
      : `按当前年度累计结算，预计医保支付 ${fund === undefined ? '—' : formatYuan(fund)}（以结算结果为准）`,
    ...(preview !== undefined && reviewed !== undefined && reviewed !== preview
      ? [
          `比${detail.reviewEstimate ? '审核核定的' : '申报时预估的'} ${formatYuan(reviewed)}${preview > reviewed ? '多' : '少'} ${formatYuan(Math.abs(preview - reviewed))}：这个人今年的其他申请结算后，起付线、封顶线的使用有了变化。`,
        ]
      : []),
    payeeLine(detail),
    SETTLED_THEN_VERIFIED,
  ];
}

/** 退回 and 复核退回 ask again before they are sent, restating what follows (nothing that cannot be undone on one tap). */
export const decisionConfirmTitles = {
  reject: '确认退回这份申请？',
  returnFromVerification: '确认复核退回这份申请？',
} as const;

export function decisionConfirmLines(
  detail: ReviewClaimDetail,
  action: keyof typeof decisionConfirmTitles,
  reason: string,
): string[] {
  const settled = detail.settlement?.totalPaid ?? detail.paidFen;
  return [
    `申请：${detail.title}`,
    `原因：${reason}`,
    action === 'reject'
      ? '退回后这份申请就此办结，申请人不能再补件，只能重新提交；申请人会收到退回通知和原因。这一步不能撤回。'
      : `退回后撤销这次结算${settled != null ? `（医保支付 ${formatYuan(settled)}）` : ''}，参保人年度累计同时退回，申请回到「审核通过」，需要重新结算。`,
  ];
}
