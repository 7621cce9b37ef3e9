import { zodIssues } from '../validation';
import { editLineItemsInputSchema, reviewDecisionInputSchema, reviewQueueInputSchema } from './review';

const expectation = { id: 'claim-0001', expectedStatus: 'submitted' as const, expectedVersion: 3 };

describe('review contracts: reasons are plain (multi-line) text', () => {
  it.each([
    ['NUL', '材料\u0000不全'],
    ['ESC', '\u001b[2J材料不全'],
    ['U+202E', '材料\u202e不全'],
    ['U+200B', '材料\u200b不全'],
    ['BOM', '\ufeff材料不全'],
    ['a lone surrogate', '材料不全\udc00'],
  ])('a decision reason with %s is refused, naming the field', (_name, reasonText) => {
    const result = reviewDecisionInputSchema.safeParse({
      ...expectation,
      action: 'reject',
      reasonCode: 'other',
      reasonText,
    });
    expect(result.success).toBe(false);
    expect(zodIssues(result.error!)).toEqual([
      { path: 'reasonText', message: expect.stringMatching(/^说明含有看不见的/) },
    ]);
  });

  it('a correction reason with a bidi control is refused', () => {
    const result = editLineItemsInputSchema.safeParse({
      ...expectation,
      lineItems: [{ name: '西药费', amountFen: 100, category: 'A' }],
      reason: '按清单\u2066更正',
    });
    expect(zodIssues(result.error!)).toEqual([
      { path: 'reason', message: expect.stringMatching(/^修改原因含有看不见的/) },
    ]);
  });

  it('line breaks and tabs are fine in a reason (the reviewer types it in a text area)', () => {
    expect(
      reviewDecisionInputSchema.parse({ ...expectation, action: 'reject', reasonText: '发票缺章；\n\t清单金额不符' })
        .reasonText,
    ).toBe('发票缺章；\n\t清单金额不符');
    expect(
      editLineItemsInputSchema.parse({
        ...expectation,
        lineItems: [{ name: '西药费', amountFen: 100, category: 'A' }],
        reason: '按清单\n更正',
      }).reason,
    ).toBe('按清单\n更正');
  });
});

describe('review contracts: what a step does not take is refused, not dropped', () => {
  it.each([
    [
      { action: 'passPreliminary', reasonText: '看过了' },
      [{ path: 'reasonText', message: '通过这一步不需要填写原因' }],
    ],
    [{ action: 'passReview', reasonCode: 'other' }, [{ path: 'reasonCode', message: '通过这一步不需要填写原因' }]],
    [
      { action: 'reject', reasonCode: 'duplicate', materials: ['invoice'] },
      [{ path: 'materials', message: '只有要求补件时才选择材料' }],
    ],
  ])('%j', (decision, issues) => {
    const result = reviewDecisionInputSchema.safeParse({ ...expectation, ...decision });
    expect(result.success).toBe(false);
    expect(zodIssues(result.error!)).toEqual(issues);
  });

  it('takes what each step needs', () => {
    for (const decision of [
      { action: 'passPreliminary' },
      { action: 'requestSupplement', reasonCode: 'invoiceUnclear', reasonText: '金额被挡住', materials: ['invoice'] },
      { action: 'reject', reasonCode: 'duplicate', reasonText: '与另一申请重复' },
    ])
      expect(reviewDecisionInputSchema.safeParse({ ...expectation, ...decision }).success).toBe(true);
  });
});

describe('review contracts: a step names the version the reviewer saw', () => {
  it.each([
    [undefined, '缺少申请的版本，请刷新页面后再操作'],
    ['3', '申请的版本不正确，请刷新页面后再操作'],
    [0, '申请的版本不正确，请刷新页面后再操作'],
    [1.5, '申请的版本不正确，请刷新页面后再操作'],
  ])('expectedVersion %p is refused with a sentence', (expectedVersion, message) => {
    const result = reviewDecisionInputSchema.safeParse({
      id: 'claim-0001',
      expectedStatus: 'submitted',
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      action: 'passPreliminary',
    });
    expect(zodIssues(result.error!)).toEqual([{ path: 'expectedVersion', message }]);
  });
});

describe('review contracts: the queue filter says what is wrong with it (a probe read 没有草稿 for "PAID")', () => {
  it.each([
    ['draft', '审核队列里没有草稿，请选择其他状态'],
    ['PAID', '不认识的申请状态，请从列表里选择'],
    ['', '不认识的申请状态，请从列表里选择'],
    [null, '不认识的申请状态，请从列表里选择'],
  ])('status %p', (status, message) => {
    const result = reviewQueueInputSchema.safeParse({ status });
    expect(zodIssues(result.error!)).toEqual([{ path: 'status', message }]);
  });

  it('settledAtZero is 是 or 否', () => {
    const result = reviewQueueInputSchema.safeParse({ status: 'paid', settledAtZero: 'true' });
    expect(zodIssues(result.error!)).toEqual([{ path: 'settledAtZero', message: '「是否 0 元办结」只能是是或否' }]);
  });
});

describe('review contracts: photos sent back to be taken again (重拍) with a 补件 request', () => {
  it('are named by fileID, only with 要求补件, each once', () => {
    const ask = { ...expectation, action: 'requestSupplement', reasonCode: 'invoiceUnclear', materials: ['invoice'] };
    expect(reviewDecisionInputSchema.parse({ ...ask, retakePhotos: ['cloud://env-1/f1.jpg'] }).retakePhotos).toEqual([
      'cloud://env-1/f1.jpg',
    ]);
    const twice = reviewDecisionInputSchema.safeParse({
      ...ask,
      retakePhotos: ['cloud://env-1/f1.jpg', 'cloud://env-1/f1.jpg'],
    });
    expect(zodIssues(twice.error!)).toEqual([{ path: 'retakePhotos', message: '同一张照片选了两次' }]);
    const withReject = reviewDecisionInputSchema.safeParse({
      ...expectation,
      action: 'reject',
      reasonCode: 'other',
      reasonText: '材料不符',
      retakePhotos: ['cloud://env-1/f1.jpg'],
    });
    expect(zodIssues(withReject.error!)).toEqual([{ path: 'retakePhotos', message: '只有要求补件时才能退回照片重拍' }]);
  });
});

describe('review contracts: a correction keeps the limits a claim is filed with (black-box probe)', () => {
  it('refuses an amount of 0, and a total over 1 亿元', () => {
    const zero = editLineItemsInputSchema.safeParse({
      ...expectation,
      lineItems: [{ name: '西药费', amountFen: 0, category: 'A' }],
      reason: '核减',
    });
    expect(zodIssues(zero.error!)).toEqual([
      { path: 'lineItems[0].amountFen', message: '金额须大于 0；不予支付的项目请删除，或改为丙类' },
    ]);
    const huge = editLineItemsInputSchema.safeParse({
      ...expectation,
      lineItems: Array.from({ length: 200 }, () => ({ name: '床位费', amountFen: 10_000_000_000, category: 'A' })),
      reason: '按清单更正',
    });
    expect(zodIssues(huge.error!)).toEqual([{ path: 'lineItems', message: '费用合计超过 1 亿元，请核对各项金额' }]);
  });
});
