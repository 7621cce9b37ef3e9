import fc from 'fast-check';
import { claimStatusSchema } from './contracts/claimDraft';
import { MAX_FEN } from './money';
import { describeEvent } from './workflow';
import {
  cardAmountLabel,
  familyPayeeName,
  amountFieldValue,
  dateFieldValue,
  fieldKindOfKey,
  fitField,
  fitMessageData,
  statusCard,
  subscribeFieldKinds,
  subscribeFieldLimits,
  subscribeTemplateFields,
  timeFieldValue,
  type StatusFacts,
  payoutAccountText,
} from './notifications';

const length = (text: string) => Array.from(text).length;

describe('fitField', () => {
  it.each([
    ['thing', '门诊报销（大连异地就医，2025年10月）', '门诊报销（大连异地就医，2025年10…'],
    ['thing', '住院报销', '住院报销'],
    ['thing', '第一行\n第二行\t结束', '第一行 第二行 结束'],
    ['phrase', '审核通过了吗', '审核通过了'],
    ['phrase', '已退回!', '已退回'],
    ['phrase', 'OK 通过', '通过'],
    ['character_string', 'claim_2025-10 编号ABC', 'claim_2025-10ABC'],
    ['character_string', 'x'.repeat(40), 'x'.repeat(32)],
    ['number', '1,234.56', '1234.56'],
    ['number', '1.2.3', '1.23'],
    ['letter', 'abc123DEF', 'abcDEF'],
    ['symbol', 'a-b+c*d/e=f', '-+*/='],
    ['phone_number', '+86 (0411) 8370-9172 转 1', '+86(0411)8370-917'],
    ['name', '阿依古丽·买买提·艾合买提', '阿依古丽·买买提·艾'],
    ['name', 'Alexander Maximilian Smith', 'Alexander Maximilian'],
    ['name', '张*', '张*'],
    ['amount', '￥1,234.50', '¥1234.50'],
    ['amount', '1234.5 元', '¥1234.5'],
    ['amount', '12345678901', ''],
    ['amount', '一千元', ''],
    // found by the property below (seed 1110695385): a lone comma gave "¥", which WeChat refuses
    ['amount', ',', ''],
    ['amount', '¥,,元', ''],
    ['amount', '1,', '¥1'],
    ['date', '2025年10月9日', '2025年10月9日'],
    ['time', '2025年10月9日 15:01', '2025年10月9日 15:01'],
    ['car_number', '辽B12345挂X', '辽B12345挂'],
  ] as const)('%s %j → %j', (kind, value, expected) => {
    expect(fitField(kind, value)).toBe(expected);
  });

  it('uses the fallback when nothing is left, fitted too', () => {
    expect(fitField('phrase', '!!!', '无结果')).toBe('无结果');
    expect(fitField('thing', '   ', '-')).toBe('-');
    expect(fitField('thing', '', '')).toBe('');
  });

  it('counts characters, not UTF-16 units: a 20-character thing with an astral character stays whole', () => {
    const text = `𠮷${'一'.repeat(19)}`;
    expect(fitField('thing', text)).toBe(text);
  });

  it('property: every result respects its limit and carries no control characters', () => {
    const kinds = subscribeFieldKinds.filter((kind) => kind !== 'name');
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.string({ unit: 'grapheme', maxLength: 80 }), (kind, value) => {
        const fitted = fitField(kind, value);
        expect(length(fitted)).toBeLessThanOrEqual(subscribeFieldLimits[kind]);
        expect(fitted).not.toMatch(/[\u0000-\u001f\u007f]/);
        if (kind === 'phrase') expect(fitted).toMatch(/^[\u3400-\u9fff\uf900-\ufaff]*$/u);
        if (kind === 'character_string') expect(fitted).toMatch(/^[\x21-\x7e]*$/);
        if (kind === 'amount' && fitted !== '') expect(fitted).toMatch(/^¥\d{1,10}(\.\d+)?$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: a name with Chinese stays within 10, without within 20', () => {
    expect(fitField('name', '䷀ ! !Ố !!')).toBe('䷀ ! !Ố !!');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (value) => {
        const fitted = fitField('name', value);
        expect(length(fitted)).toBeLessThanOrEqual(20);
        // Chinese as the implementation counts it: CJK ideographs (not the Yijing symbols at U+4DC0).
        if (/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u.test(fitted)) expect(length(fitted)).toBeLessThanOrEqual(10);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('values from amounts and instants', () => {
  it('formats fen for the amount field, always within ten digits', () => {
    expect(amountFieldValue(0)).toBe('¥0.00');
    expect(amountFieldValue(123_456)).toBe('¥1234.56');
    expect(amountFieldValue(9_999_999_999)).toBe('¥99999999.99');
    expect(amountFieldValue(MAX_FEN)).toBe('¥100000000');
    expect(() => amountFieldValue(-1)).toThrow(RangeError);
    expect(() => amountFieldValue(1.5)).toThrow(RangeError);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_FEN }),
        (fen) => fitField('amount', amountFieldValue(fen)) === amountFieldValue(fen),
      ),
    );
  });

  it('dates and times are Shanghai wall-clock, across 16:00 UTC', () => {
    expect(dateFieldValue(new Date('2025-09-30T15:59:00Z'))).toBe('2025年9月30日');
    expect(dateFieldValue(new Date('2025-09-30T16:00:00Z'))).toBe('2025年10月1日');
    expect(timeFieldValue(new Date('2025-09-30T16:05:00Z'))).toBe('2025年10月1日 00:05');
    expect(() => dateFieldValue(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('knows a key by its prefix', () => {
    expect(fieldKindOfKey('thing1')).toBe('thing');
    expect(fieldKindOfKey('character_string12')).toBe('character_string');
    expect(fieldKindOfKey('phone_number3')).toBe('phone_number');
    expect(fieldKindOfKey('enum4')).toBeNull();
    expect(fitMessageData({ phrase2: '审核通过啦啦', enum4: 'x'.repeat(30) })).toEqual({
      phrase2: { value: '审核通过啦' },
      enum4: { value: `${'x'.repeat(19)}…` },
    });
  });
});

describe('statusCard', () => {
  const facts: StatusFacts = {
    claimId: 'c_20251009_0001',
    title: '大连异地门诊报销（两张发票）',
    at: new Date('2025-10-09T02:30:00Z'),
    estimateFen: 45_600,
    fundPaysFen: 31_920,
    bankTail: '3445',
    dueDay: '2025-10-28',
  };

  it('has a card for every status but draft, with a Chinese title and body', () => {
    for (const status of claimStatusSchema.options) {
      const card = statusCard(status, facts);
      if (status === 'draft') expect(card).toBeNull();
      else {
        expect(card?.title).toMatch(/[\u4e00-\u9fff]/);
        expect(card?.body).toContain(status === 'paid' || status === 'withdrawn' ? '大连异地门诊报销' : '「');
      }
    }
  });

  it('补件: a reason that ends in a stop gets no second one ("…上传。。请在申请详情页上传" before)', () => {
    for (const reason of ['票据照片不清晰：请到医院盖章后重新拍照上传。', '缺少处方！', '缺少处方']) {
      const card = statusCard('supplementRequested', { ...facts, reason, materials: ['处方'] });
      expect(card?.body).not.toMatch(/[。！；，][。！；，]/u);
      expect(card?.body).toContain(`原因：${reason.replace(/[。！]$/u, '')}。请在申请详情页上传。`);
      const line = describeEvent({
        action: 'requestSupplement',
        actor: 'r',
        role: 'reviewer',
        at: facts.at.toISOString(),
        from: 'submitted',
        to: 'supplementRequested',
        reason,
        materials: ['prescription'],
      });
      expect(line.detail).toBe(`原因：${reason.replace(/[。！]$/u, '')}；需补充：处方`);
    }
  });

  it('each card with an amount says what the amount is: 预计 until 结算 (a walk: 审核通过 said 核定报销 beside 预计…以结算为准)', () => {
    for (const status of claimStatusSchema.options) {
      if (statusCard(status, facts)?.amountFen === undefined) continue;
      expect(cardAmountLabel(status)).toBe(
        ['submitted', 'preliminaryPassed', 'reviewPassed'].includes(status)
          ? '预计报销'
          : status === 'paid'
            ? '已支付'
            : '核定报销',
      );
    }
  });

  it('a claim the fund pays nothing for says so at 结算 and 办结, and that no money will come; 复核 (closed at once) says nothing of its own', () => {
    const nothing = { ...facts, fundPaysFen: 0 };
    expect(statusCard('verified', nothing)).toBeNull();
    for (const status of ['settled', 'paid'] as const) {
      const card = statusCard(status, nothing)!;
      expect(card.title).toMatch(/0 元|没有报销款/);
      expect(card.body).toMatch(/医保支付 0\.00 元（费用没有超过起付线，或不在报销范围内）/);
      expect(card.body).toMatch(/不会有款项|没有款项/);
      expect(card.body).not.toMatch(/请留意银行到账|支付到您/);
      expect(card.amountFen).toBe(0);
    }
    // The 办结 of a 0 元 claim is said by the 支付 template with ¥0.00: its grant (from the submit tap) is never spent
    // on a claim that pays nothing, while the 审核结果 one was spent at 审核通过 (its last word was 等待结算后支付).
    expect(statusCard('paid', nothing)!.message).toEqual({
      templateKey: 'paid',
      data: {
        thing1: { value: expect.any(String) },
        amount2: { value: '¥0.00' },
        date3: { value: dateFieldValue(facts.at) },
      },
    });
    // 审核通过 before 结算 promises no payment: the amount may be 0.
    const { fundPaysFen: _settled, ...unsettled } = facts;
    const passed = statusCard('reviewPassed', unsettled)!.message!;
    expect(passed.data.thing3!.value).toBe('待结算，金额以结算结果为准');
    expect(passed.data.thing3!.value).not.toMatch(/支付/);
    expect(cardAmountLabel('paid', 0)).toBe('医保支付');
    // Any other amount keeps its card.
    expect(statusCard('paid', { ...facts, fundPaysFen: 1 })!.body).toMatch(/请留意银行到账/);
  });

  it('a family member’s payment names whose account it goes to, not 您 (a walk: the child’s card said 您尾号 0128)', () => {
    const forChild = { ...facts, payeeName: '何涛' };
    for (const status of ['settled', 'verified', 'paid'] as const) {
      const body = statusCard(status, forChild)!.body;
      expect(body).toContain('何涛尾号 3445 的银行账户');
      expect(body).not.toContain('您尾号');
    }
    expect(statusCard('paid', facts)!.body).toContain('您尾号 3445 的银行账户');
    const { bankTail: _tail, ...noTail } = forChild;
    expect(statusCard('paid', noTail)!.body).toContain('何涛登记的银行账户');
    // Whose account, from the form: the holder of a relative's claim (else the insured's name); 本人's: none.
    const relative = { insured: { relation: 'relative', name: '何涛' }, payout: { holderName: ' 何涛 ' } };
    expect(familyPayeeName(relative)).toBe('何涛');
    expect(familyPayeeName({ insured: { relation: 'relative', name: '何涛' } })).toBe('何涛');
    expect(familyPayeeName({ ...relative, insured: { relation: 'self', name: '张三' } })).toBeUndefined();
    expect(familyPayeeName(null)).toBeUndefined();
  });

  it('submitted: estimate as the amount, due day, and the 受理 message', () => {
    expect(statusCard('submitted', facts)).toEqual({
      title: '报销申请已提交',
      body: '「大连异地门诊报销（两张发票）」已提交，等待初审。预计 10月28日 前办结（按工作日计算）。',
      amountFen: 45_600,
      message: {
        templateKey: 'accepted',
        data: {
          thing1: { value: '大连异地门诊报销（两张发票）' },
          character_string2: { value: 'YB51009_0001' },
          time3: { value: '2025年10月9日 10:30' },
        },
      },
    });
  });

  it('spends the result template only on 审核通过, 补件 and 退回', () => {
    const withResult = claimStatusSchema.options.filter(
      (status) => statusCard(status, facts)?.message?.templateKey === 'result',
    );
    expect(withResult).toEqual(['reviewPassed', 'supplementRequested', 'rejected']);
    expect(statusCard('reviewPassed', facts)?.message?.data).toEqual({
      thing1: { value: '大连异地门诊报销（两张发票）' },
      phrase2: { value: '审核通过' },
      thing3: { value: '医保支付319.20元' },
    });
  });

  it('补件 names the materials and the reason; the message is cut to the limits', () => {
    const card = statusCard('supplementRequested', {
      ...facts,
      reason: '票据照片不清晰，无法辨认金额或印章：第二张发票模糊',
      materials: ['医院发票 / 收费票据', '费用明细清单'],
    });
    expect(card?.body).toBe(
      '「大连异地门诊报销（两张发票）」需要补充材料：医院发票 / 收费票据、费用明细清单。原因：票据照片不清晰，无法辨认金额或印章：第二张发票模糊。请在申请详情页上传。',
    );
    expect(card?.message?.data.phrase2).toEqual({ value: '需补件' });
    expect(card?.message?.data.thing3?.value).toBe('票据照片不清晰，无法辨认金额或印章：第…');
    expect(length(card?.message?.data.thing3?.value ?? '')).toBe(20);
  });

  it('退回 gives the reason and the hotline', () => {
    expect(statusCard('rejected', { ...facts, reason: '超过申报时限' })?.body).toBe(
      '「大连异地门诊报销（两张发票）」未予受理，原因：超过申报时限。如有疑问可拨打医保服务热线 12393。',
    );
    // A reason that ends its own sentence and names the hotline: one full stop, the hotline once (a walk read
    // 请致电12393。。如有疑问可拨打医保服务热线 12393。).
    expect(statusCard('rejected', { ...facts, reason: '其他：材料与实际不符，详情请致电12393。' })?.body).toBe(
      '「大连异地门诊报销（两张发票）」未予受理，原因：其他：材料与实际不符，详情请致电12393。',
    );
  });

  it('paid: the fund figure, the account only by its last four digits, and the 到账 message', () => {
    const card = statusCard('paid', facts);
    expect(card?.body).toBe(
      '「大连异地门诊报销（两张发票）」的报销款 319.20 元已支付到您尾号 3445 的银行账户，请留意银行到账。',
    );
    expect(card?.amountFen).toBe(31_920);
    expect(card?.message).toEqual({
      templateKey: 'paid',
      data: {
        thing1: { value: '大连异地门诊报销（两张发票）' },
        amount2: { value: '¥319.20' },
        date3: { value: '2025年10月9日' },
      },
    });
    expect(statusCard('verified', { ...facts, bankTail: undefined })?.body).toContain('您登记的银行账户');
  });

  it('every message field matches the template layout and WeChat limits, for any title', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
        fc.constantFrom(...claimStatusSchema.options),
        (title, status) => {
          const card = statusCard(status, { ...facts, title, reason: title });
          if (!card?.message) return;
          expect(Object.keys(card.message.data)).toEqual(
            Object.keys(subscribeTemplateFields[card.message.templateKey]),
          );
          for (const [key, { value }] of Object.entries(card.message.data)) {
            const kind = fieldKindOfKey(key);
            if (kind) expect(length(value)).toBeLessThanOrEqual(subscribeFieldLimits[kind]);
            expect(value).not.toBe('');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('where the money goes, on the claim page', () => {
  it('names the bank and the last four digits, and whose account a guardian’s is', () => {
    expect(
      payoutAccountText({
        payout: { bankName: '中国工商银行大连分行', accountNumber: '6222 **** **** 3445', holderName: '张三' },
      }),
    ).toBe('中国工商银行大连分行 尾号 3445');
    expect(
      payoutAccountText({
        payout: {
          bankName: '中国建设银行大连分行',
          accountNumber: '6217 **** **** 8907',
          holderName: '李四',
          guardianRelation: 'mother',
        },
      }),
    ).toBe('中国建设银行大连分行 尾号 8907（母亲 李四 的账户）');
    expect(payoutAccountText({ payout: { bankName: '中国银行', accountNumber: '' } })).toBeNull();
    expect(payoutAccountText(null)).toBeNull();
  });
});
