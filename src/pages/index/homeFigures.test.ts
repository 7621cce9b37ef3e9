import { homeFigures } from './homeFigures';

describe('首页: a claim in progress, each amount named', () => {
  const claim = {
    amountFen: 1_135_866,
    reviewedAmountFen: null,
    paidFen: null,
    estimateFundFen: 63_473,
    estimateReviewed: false,
  };

  it('names the bill and the expected payment (a walk read 11,358.66 元 alone as the payment)', () => {
    expect(homeFigures(claim)).toBe('费用合计 11,358.66 元 · 预计医保支付 634.73 元');
  });

  it("takes 审核's figures once it corrected the bill, and the settled payment from 结算", () => {
    expect(
      homeFigures({ ...claim, reviewedAmountFen: 1_000_000, estimateFundFen: 50_000, estimateReviewed: true }),
    ).toBe('审核核定费用 10,000.00 元 · 审核后预计医保支付 500.00 元');
    expect(homeFigures({ ...claim, paidFen: 0 })).toBe('费用合计 11,358.66 元 · 核定医保支付 0.00 元');
    expect(homeFigures({ ...claim, estimateFundFen: null })).toBe('费用合计 11,358.66 元');
  });
});
