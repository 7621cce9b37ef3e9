import { confirmLines, decisionConfirmLines, moneyLines } from './confirmText';
import type { ReviewClaimDetail } from '../../../services/review';

/** The fields the confirm text reads of a claim; the rest of the detail does not matter to it. */
function detailWith(fields: {
  reviewFen?: number;
  filedFen?: number;
  settledFen?: number;
  previewFen?: number;
  payout?: { holderName: string; bankName: string; accountNumber: string };
  precheck?: ReviewClaimDetail['precheck'];
}): ReviewClaimDetail {
  return {
    title: '门诊报销',
    precheck: fields.precheck ?? null,
    reviewEstimate: fields.reviewFen === undefined ? null : { totalPaid: fields.reviewFen },
    estimate: fields.filedFen === undefined ? null : { totalPaid: fields.filedFen },
    settlement: fields.settledFen === undefined ? null : { totalPaid: fields.settledFen },
    paidFen: fields.settledFen ?? null,
    settlementPreview: fields.previewFen === undefined ? null : { totalPaid: fields.previewFen },
    form: {
      payout: fields.payout ?? { holderName: '张三', bankName: '工商银行', accountNumber: '6222020200112233445' },
    },
  } as unknown as ReviewClaimDetail;
}

describe('the confirm dialogs of the reviewer claim page', () => {
  it('结算 restates the figure and the payee, masked', () => {
    const lines = moneyLines(detailWith({ reviewFen: 31_920 }));
    expect(lines).toContain('按当前年度累计结算，预计医保支付 319.20 元（以结算结果为准）');
    const payee = lines.find((line) => line.startsWith('收款人：'))!;
    expect(payee).toContain('工商银行');
    expect(payee).not.toContain('6222020200112233445');
    expect(payee).not.toContain('张三');
  });

  it("结算 restates what it will settle on the person's year now, not the review's estimate (a walk: said 295.38 元, wrote 495.38)", () => {
    const lines = moneyLines(detailWith({ reviewFen: 29_538, previewFen: 49_538 }));
    expect(lines).toContain('按当前年度累计结算，医保支付 495.38 元');
    expect(lines.join('')).toMatch(/比审核核定的 295\.38 元多 200\.00 元：这个人今年的其他申请结算后/);
    // No line corrected, no 审核核定: the figure it differs from is the filing's (a desk walk read 审核核定 that was none).
    const unreviewed = moneyLines(detailWith({ filedFen: 29_538, previewFen: 49_538 }));
    expect(unreviewed.join('')).toMatch(/比申报时预估的 295\.38 元多 200\.00 元/);
    expect(unreviewed.join('')).not.toContain('审核核定');
  });

  it('结算 says the settler cannot 复核 it (an agency walk: the only 复核员 settled, and nobody could 复核)', () => {
    for (const fen of [0, 29_538])
      expect(confirmLines(detailWith({ reviewFen: fen, previewFen: fen }), 'settle')).toContain(
        '结算后写入参保人年度累计，须由另一位复核人员复核：结算人本人不能复核。如果您是本机构唯一的复核人员，请交由其他经办人员结算。',
      );
  });

  it('结算 of a claim expected at 0 元 names no payee and says it closes without a transfer (a walk found the payee named)', () => {
    const lines = confirmLines(detailWith({ reviewFen: 0 }), 'settle');
    expect(lines.some((line) => line.startsWith('收款人'))).toBe(false);
    expect(lines).toContain('按当前年度累计结算，预计医保支付 0.00 元（以结算结果为准）');
    expect(lines.join('')).toMatch(/结算为 0 元时没有款项要转账，复核通过后直接办结/);
  });

  it('复核 of a 0 元 claim says it closes at once; of any other, that a batch follows', () => {
    expect(confirmLines(detailWith({ settledFen: 0 }), 'verify').join('')).toMatch(/直接办结，不需要支付/);
    expect(confirmLines(detailWith({ settledFen: 100 }), 'verify').join('')).toMatch(/编入支付批次/);
  });
});

describe('the confirm dialogs say what the 预审 left to look at, and 复核 restates the money', () => {
  const open: ReviewClaimDetail['precheck'] = {
    clean: false,
    outcomes: [
      { id: 'materialsComplete', label: '材料齐全', passed: true },
      {
        id: 'totalsMatch',
        label: '费用明细合计等于票据金额',
        passed: false,
        detail: '费用明细合计 1,580.50 元，票据合计 2,172.57 元',
      },
      { id: 'payerIsInsured', label: '交款人是参保人', passed: false, detail: '交款人：王志强、王勇' },
    ],
  };

  it('初审 and 审核 name the checks not passed (a walk: the claim page and the confirm said nothing of them)', () => {
    for (const action of ['passPreliminary', 'passReview'] as const) {
      const lines = confirmLines(detailWith({ precheck: open }), action);
      expect(lines).toContain('预审有 2 项需要查看：费用明细合计等于票据金额、交款人是参保人。请确认已逐项核对。');
    }
    const clean = { clean: true, outcomes: [{ id: 'materialsComplete' as const, label: '材料齐全', passed: true }] };
    expect(confirmLines(detailWith({ precheck: clean }), 'passPreliminary').join('')).not.toMatch(/预审/);
  });

  it('复核 restates the settled amount and the payee, masked (a walk: it said neither)', () => {
    const lines = confirmLines(detailWith({ settledFen: 66903 }), 'verify');
    expect(lines).toContain('核定医保支付：669.03 元');
    expect(lines.join('')).toMatch(/收款人：张\*　工商银行 6222 \*+ 3445|收款人：张\*/);
  });

  it('退回 and 复核退回 restate the reason and what follows before they are sent (a walk: one press of the form did it)', () => {
    const rejected = decisionConfirmLines(detailWith({}), 'reject', '材料不真实');
    expect(rejected).toContain('原因：材料不真实');
    expect(rejected.join('')).toMatch(/申请人不能再补件，只能重新提交/);
    const returned = decisionConfirmLines(detailWith({ settledFen: 76_816 }), 'returnFromVerification', '金额有误');
    expect(returned.join('')).toMatch(/撤销这次结算（医保支付 768\.16 元），参保人年度累计同时退回/);
  });
});
