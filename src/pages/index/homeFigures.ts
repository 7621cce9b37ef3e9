import { formatYuan, type Fen } from '../../core/money';

/**
 * A claim's amounts in one line for 首页's 正在办理, each named as 我的报销 names it: the bill (as 审核 corrected it, when
 * it did), then what the fund pays — settled, or expected. The card showed 11,358.66 元 alone, read as the payment (a
 * walk; the estimate was 634.73).
 */
export function homeFigures(claim: {
  amountFen: Fen;
  reviewedAmountFen: Fen | null;
  paidFen: Fen | null;
  estimateFundFen: Fen | null;
  estimateReviewed: boolean;
}): string {
  const bill =
    claim.reviewedAmountFen !== null
      ? `审核核定费用 ${formatYuan(claim.reviewedAmountFen)}`
      : `费用合计 ${formatYuan(claim.amountFen)}`;
  const fund =
    claim.paidFen !== null
      ? `核定医保支付 ${formatYuan(claim.paidFen)}`
      : claim.estimateFundFen !== null
        ? `${claim.estimateReviewed ? '审核后预计医保支付' : '预计医保支付'} ${formatYuan(claim.estimateFundFen)}`
        : null;
  return fund ? `${bill} · ${fund}` : bill;
}
