import type { ReviewQueueItem } from '../../../core/contracts/views';
import { rowFactsOf } from './rowFacts';

const item = (fields: Partial<ReviewQueueItem>): ReviewQueueItem =>
  ({
    id: '0123456789abcdef0123456789abcdef',
    status: 'submitted',
    amountFen: 129_537,
    paidFen: null,
    reviewedAmountFen: null,
    submittedAt: '2026-12-01T02:00:00.000Z',
    dueDate: '2027-01-04T15:59:59.000Z',
    ...fields,
  }) as ReviewQueueItem;

describe('a queue row', () => {
  it('shows the amount that counts now: filed, then as 审核 corrected it, then the payment settled (a walk: the filed total to the end)', () => {
    expect(rowFactsOf(item({})).amount).toBe('申报 1,295.37 元');
    expect(rowFactsOf(item({ status: 'reviewPassed', reviewedAmountFen: 109_737 })).amount).toBe(
      '核定 1,097.37 元（申报 1,295.37 元）',
    );
    expect(rowFactsOf(item({ status: 'paid', reviewedAmountFen: 109_737, paidFen: 76_816 })).amount).toBe(
      '医保支付 768.16 元',
    );
  });

  it('names the claim by its 申请编号 and filing day; 办结时限 and 预审 only while they matter', () => {
    const open = rowFactsOf(item({}));
    expect(open.filed).toBe('YB6789ABCDEF　2026年12月1日提交');
    expect(open.due).toBe('办结时限 2027年1月4日');
    expect(open.showPrecheck).toBe(true);
    const paid = rowFactsOf(item({ status: 'paid', paidFen: 1 }));
    expect(paid.due).toBeNull();
    expect(paid.showPrecheck).toBe(false);
    expect(rowFactsOf(item({ status: 'settled', paidFen: 1 })).showPrecheck).toBe(false);
  });
});
