import fc from 'fast-check';
import { describeClaimEvent, fitField, subscribeFieldLimits, type NotifiableClaim } from './describe';

const claim: NotifiableClaim = {
  _id: 'abcdef0123456789abcdef0123456789',
  _openid: 'u',
  version: 3,
  title: '北京协和医院异地门诊报销（2026年3月就诊，含检查与药品）',
  amountFen: 128050,
  paidFen: 76830,
  events: [],
  notifiedSeq: 0,
  notifyPending: true,
};

describe('subscribe message fields', () => {
  it('cuts every kind to its WeChat limit', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(subscribeFieldLimits) as Array<keyof typeof subscribeFieldLimits>)), fc.string({ maxLength: 80 }), (kind, value) => {
        expect([...fitField(kind, value)].length).toBeLessThanOrEqual(subscribeFieldLimits[kind]);
        expect(fitField(kind, value).length).toBeGreaterThan(0);
      }),
    );
  });

  it('marks a cut thing with an ellipsis', () => {
    expect(fitField('thing', claim.title)).toBe('北京协和医院异地门诊报销（2026年3…');
    expect([...fitField('thing', claim.title)]).toHaveLength(20);
    expect(fitField('phrase', '需要补充材料')).toBe('需要补充材');
  });

  it('submission: card with the amount and an accepted message in Shanghai time', () => {
    const text = describeClaimEvent(claim, { seq: 1, at: '2026-03-02T17:30:00.000Z', to: 'submitted' });
    expect(text).toMatchObject({ title: '已提交，待初审', amountFen: 128050, message: { templateKey: 'accepted' } });
    expect(text?.message?.data.time3?.value).toBe('2026-03-03 01:30');
    expect(text?.message?.data.character_string2?.value).toBe('ABCDEF012345');
  });

  it('payment: amount field in yuan, and no personal data anywhere', () => {
    const text = describeClaimEvent(claim, { seq: 7, at: '2026-04-01T02:00:00.000Z', to: 'paid' });
    expect(text?.message?.data.amount2?.value).toBe('768.30元');
    expect(text?.body).toContain('768.30 元');
    expect(JSON.stringify(text)).not.toMatch(/\d{15,}/);
  });

  it('supplement request carries the reason, cut to fit', () => {
    const text = describeClaimEvent(claim, { seq: 2, at: '2026-03-05T02:00:00.000Z', to: 'supplementRequested', reason: '发票照片不清晰，请重新拍摄并上传费用明细清单' } as never);
    expect(text?.body).toContain('发票照片不清晰');
    expect(text?.message?.data.phrase2?.value).toBe('需补件');
    expect([...(text?.message?.data.thing3?.value ?? '')].length).toBeLessThanOrEqual(20);
  });

  it('draft has no card', () => {
    expect(describeClaimEvent(claim, { seq: 1, at: '2026-03-05T02:00:00.000Z', to: 'draft' })).toBeNull();
  });
});
