/**
 * What a queue row says of a claim besides its title and status, as the step it waits for needs it: the amount that
 * counts now (the settled payment, else the bill as 审核 corrected it, else as filed), the 申请编号 and filing day to
 * tell claims apart, the 办结时限 while the claim is open, the 预审 while 初审 and 审核 still use it. The row showed the
 * filed total through 结算 and 已支付 (1,295.37 元 of a bill corrected to 1,097.37 and paid 768.16), and 办结时限 and
 * 可快速办理 on paid claims (a walk).
 */
import { claimNumberOf } from '../../../core/claimNumber';
import type { ReviewQueueItem } from '../../../core/contracts/views';
import { formatYuan } from '../../../core/money';
import { dateFieldValue } from '../../../core/notifications';

const CLOSED: ReadonlySet<ReviewQueueItem['status']> = new Set(['paid', 'rejected', 'withdrawn']);
const PRECHECKED: ReadonlySet<ReviewQueueItem['status']> = new Set([
  'submitted',
  'preliminaryPassed',
  'supplementRequested',
]);

export interface RowFacts {
  amount: string;
  /** 申请编号 · 提交 day. */
  filed: string;
  /** 办结时限 (open claims), or null once the claim is closed. */
  due: string | null;
  showPrecheck: boolean;
}

export function rowFactsOf(item: ReviewQueueItem): RowFacts {
  const amount =
    item.paidFen !== null
      ? `医保支付 ${formatYuan(item.paidFen)}`
      : item.reviewedAmountFen !== null
        ? `核定 ${formatYuan(item.reviewedAmountFen)}（申报 ${formatYuan(item.amountFen)}）`
        : `申报 ${formatYuan(item.amountFen)}`;
  const day = item.submittedAt ? `　${dateFieldValue(new Date(item.submittedAt))}提交` : '';
  return {
    amount,
    filed: `${claimNumberOf(item.id)}${day}`,
    due: CLOSED.has(item.status)
      ? null
      : item.dueDate
        ? `办结时限 ${dateFieldValue(new Date(item.dueDate))}`
        : '未设办结时限',
    showPrecheck: PRECHECKED.has(item.status),
  };
}
