import type { ClaimStatus } from './contracts/claimDraft';

/** The Chinese name of each claim status, as claimants and reviewers read it. */
export const claimStatusLabel: Record<ClaimStatus, string> = {
  draft: '草稿',
  submitted: '已提交，待初审',
  preliminaryPassed: '初审通过',
  reviewPassed: '审核通过',
  settled: '已结算，待复核',
  verified: '复核通过，待支付',
  paid: '已支付',
  supplementRequested: '待补件',
  rejected: '已退回',
  withdrawn: '已撤回',
};

/** 办结 of a claim the fund pays nothing for (its 0 元 settlement closed without a transfer). */
export const CLOSED_WITHOUT_PAYMENT = '已办结（无报销款）';

/** The tag of a claim whose paper originals the agency still waits for, on 首页, 我的报销 and the claim's page alike. */
export const ORIGINALS_TO_HAND_IN = '待交纸质原件';
/**
 * Before filing, when the estimate is 0 元: said plainly, with why, and that the claim may still be filed (a walk went
 * to 提交 with 医保预计支付 0.00 元 and nothing else, under a footer promising 到账).
 */
export const ESTIMATED_NOTHING_TO_PAY =
  '按您填写的内容，医保预计不支付任何金额（费用没有超过起付线，或不在报销范围内）。仍可以提交，经办机构会按政策审核；审核结算后仍为 0 元的，申请直接办结，不会有款项到账。';

/** The timeline's last step, to come, of a claim settled at 0 元: 已支付 promised money. */
export const CLOSE_WITHOUT_PAYMENT_STEP = '办结（无报销款）';
/** The same step before 结算, when the estimate is 0 元 (结算 may still find money: the year's other claims count). */
export const ESTIMATED_CLOSE_WITHOUT_PAYMENT_STEP = '办结（预计无报销款）';

/** A claim's status as its tag reads it: a claim closed at 0 元 was not paid (已支付 told the person money came). */
export function claimStatusText(claim: { status: ClaimStatus; paidFen?: number | null }): string {
  if (claim.paidFen === 0 && claim.status === 'paid') return CLOSED_WITHOUT_PAYMENT;
  // 复核 closes a 0 元 claim itself; one left here (its close did not happen) waits for 办结, not for a payment.
  if (claim.paidFen === 0 && claim.status === 'verified') return '复核通过，待办结';
  return claimStatusLabel[claim.status];
}
