import { confirmLines, moneyLines } from './confirmText';
import type { ReviewClaimDetail } from '../../../services/review';

/** The fields the confirm text reads of a claim; the rest of the detail does not matter to it. */
function detailWith(fields: {
  reviewFen?: number;
  settledFen?: number;
  payout?: { holderName: string; bankName: string; accountNumber: string };
}): ReviewClaimDetail {
  return {
    title: '门诊报销',
    reviewEstimate: fields.reviewFen === undefined ? null : { totalPaid: fields.reviewFen },
    estimate: null,
    settlement: fields.settledFen === undefined ? null : { totalPaid: fields.settledFen },
    paidFen: fields.settledFen ?? null,
    form: {
      payout: fields.payout ?? { holderName: '张三', bankName: '工商银行', accountNumber: '6222020200112233445' },
    },
  } as unknown as ReviewClaimDetail;
}

describe('the confirm dialogs of the reviewer claim page', () => {
  it('结算 restates the figure and the payee, masked', () => {
    const lines = moneyLines(detailWith({ reviewFen: 31_920 }), 'settle');
    expect(lines).toContain('按当前年度累计结算，预计医保支付 319.20 元（以结算结果为准）');
    const payee = lines.find((line) => line.startsWith('收款人：'))!;
    expect(payee).toContain('工商银行');
    expect(payee).not.toContain('6222020200112233445');
    expect(payee).not.toContain('张三');
  });

  it('结算 of a claim expected at 0 元 names no payee and says it closes without a transfer (a walk found the payee named)', () => {
    const lines = confirmLines(detailWith({ reviewFen: 0 }), 'settle');
    expect(lines.some((line) => line.startsWith('收款人'))).toBe(false);
    expect(lines).toContain('按当前年度累计结算，预计医保支付 0.00 元（以结算结果为准）');
    expect(lines.join('')).toMatch(/结算为 0 元时没有款项要转账，复核通过后直接办结/);
  });

  it('确认已支付 restates the settled amount and the payee', () => {
    const lines = confirmLines(detailWith({ reviewFen: 1, settledFen: 50_000 }), 'markPaid');
    expect(lines).toContain('支付金额：500.00 元');
    expect(lines.some((line) => line.startsWith('收款人：'))).toBe(true);
  });

  it('复核 of a 0 元 claim says it closes at once; of any other, that a batch follows', () => {
    expect(confirmLines(detailWith({ settledFen: 0 }), 'verify').join('')).toMatch(/直接办结，不需要支付/);
    expect(confirmLines(detailWith({ settledFen: 100 }), 'verify').join('')).toMatch(/编入支付批次/);
  });
});
