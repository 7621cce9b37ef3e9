/**
 * The sentence under a claim's figures (提交时预估, 审核核定, 结算金额) when the one that counts now differs from the one
 * before it, saying which counts and why it moved. After 结算 it spoke of 审核核定 still (a walk: 审核核定 171.31 元 and
 * 结算 371.31 元 shown, the note saying 以核定金额为准 and the 计算过程 under it the settlement's).
 */
import { formatYuan, type Fen } from './money';

interface Figures {
  estimate: { totalPaid: Fen } | null;
  reviewEstimate: { totalPaid: Fen } | null;
  settlement: { totalPaid: Fen } | null;
}

export function figuresNote({ estimate, reviewEstimate, settlement }: Figures): string | null {
  const before = reviewEstimate ?? estimate;
  if (settlement && before && settlement.totalPaid !== before.totalPaid) {
    return `结算金额与${reviewEstimate ? '审核核定' : '预估'}相差 ${formatYuan(Math.abs(settlement.totalPaid - before.totalPaid))}：结算时按当时今年已经报销的情况重新计算（例如起付线已由其他申请用掉，或年度限额已用了一部分），以结算金额为准；明细见下方计算过程。`;
  }
  if (reviewEstimate && estimate && reviewEstimate.totalPaid !== estimate.totalPaid)
    return `审核核定金额与预估相差 ${formatYuan(Math.abs(reviewEstimate.totalPaid - estimate.totalPaid))}，以核定金额为准；明细见下方计算过程。`;
  return null;
}
