import { describeClaimEvent, type NotifiableClaim } from './describe';

const claim: NotifiableClaim = {
  _id: 'abcdef0123456789abcdef0123456789',
  _openid: 'u',
  version: 3,
  title: '北京协和医院 普通门诊',
  amountFen: 128050,
  paidFen: 76830,
  estimate: { totalPaid: 70000 },
  dueDate: '2026-03-30T15:59:59.999Z',
  form: { payout: { accountNumber: '6222 **** **** 3445' } },
  events: [],
  notifiedSeq: 0,
  notifyPending: true,
};

describe('describeClaimEvent: the claim facts handed to the core statusCard', () => {
  it('submission: accepted message with the Shanghai time', () => {
    const text = describeClaimEvent(claim, {
      seq: 1,
      at: '2026-03-02T17:30:00.000Z',
      to: 'submitted',
      action: 'submit',
    });
    expect(text?.message?.templateKey).toBe('accepted');
    expect(JSON.stringify(text?.message?.data)).toContain('2026');
  });

  it('复核退回 says the settlement is being done again (a walk: it repeated 审核已通过，等待结算 word for word)', () => {
    const text = describeClaimEvent(claim, {
      seq: 6,
      at: '2026-03-20T02:00:00.000Z',
      to: 'reviewPassed',
      action: 'returnFromVerification',
      reason: '金额需重新核对',
    });
    expect(text?.title).toBe('结算已退回，将重新结算');
    expect(text?.body).toBe(
      '「北京协和医院 普通门诊」的结算经复核退回，将重新结算，金额可能变化（原因：金额需重新核对）。结算后会再通知您。',
    );
    expect(text?.message).toBeUndefined();
  });

  it('审核通过 says the fund’s share as 审核 worked it out, to be settled; a correction states the figures it left (a walk: 预计 1,726.84 元 stood until 结算 paid 480.92)', () => {
    const unsettled = { ...claim, paidFen: null, reviewEstimate: { total: 146579, totalPaid: 48092 } };
    const passed = describeClaimEvent(unsettled, {
      seq: 4,
      at: '2026-03-10T02:00:00.000Z',
      to: 'reviewPassed',
      action: 'passReview',
      figures: { totalPaid: 48092 },
    });
    expect(passed?.body).toBe('「北京协和医院 普通门诊」审核通过，预计医保支付 480.92 元（以结算为准），等待结算。');
    expect(passed?.amountFen).toBe(48092);
    expect(passed?.message?.data.thing3?.value).toBe('预计医保支付480.92元');
    const corrected = describeClaimEvent(unsettled, {
      seq: 3,
      at: '2026-03-09T02:00:00.000Z',
      to: 'submitted',
      action: 'correctLineItems',
      reason: '重复的票据照片',
    });
    expect(corrected?.body).toBe(
      '经办人员核对票据后调整了「北京协和医院 普通门诊」的费用明细（重复的票据照片）：调整后费用合计 1,465.79 元，预计医保支付 480.92 元，以审核结果为准。',
    );
  });

  it('payment: amount and bank tail only, never the full account', () => {
    const text = describeClaimEvent(claim, { seq: 7, at: '2026-04-01T02:00:00.000Z', to: 'paid', action: 'markPaid' });
    expect(text?.body).toContain('768.30 元');
    expect(text?.body).toContain('3445');
    expect(JSON.stringify(text)).not.toMatch(/6222/);
    expect(text?.message?.templateKey).toBe('paid');
  });

  it('supplement request names the reason and the materials', () => {
    const text = describeClaimEvent(claim, {
      seq: 2,
      at: '2026-03-05T02:00:00.000Z',
      to: 'supplementRequested',
      action: 'requestSupplement',
      reason: '票据照片不清晰',
      materials: ['invoice'],
    });
    expect(text?.body).toContain('票据照片不清晰');
    expect(text?.message?.templateKey).toBe('result');
  });

  it('补件 answered: 补充材料已提交, not 报销申请已提交 again (no amount, no second 受理 message)', () => {
    expect(
      describeClaimEvent(claim, {
        seq: 3,
        at: '2026-03-06T02:00:00.000Z',
        to: 'submitted',
        action: 'answerSupplement',
      }),
    ).toEqual({ title: '补充材料已提交', body: '「北京协和医院 普通门诊」的补充材料已提交，经办机构会继续审核。' });
  });

  it('originals received: a card, no message; draft: nothing', () => {
    expect(
      describeClaimEvent(claim, {
        seq: 3,
        at: '2026-03-05T02:00:00.000Z',
        to: 'submitted',
        action: 'receiveOriginals',
      }),
    ).toEqual({ title: '纸质原件已收到', body: '经办机构已收到「北京协和医院 普通门诊」的纸质原件。' });
    expect(describeClaimEvent(claim, { seq: 1, at: '2026-03-05T02:00:00.000Z', to: 'draft' })).toBeNull();
  });
});
