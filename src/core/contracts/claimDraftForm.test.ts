import fc from 'fast-check';
import { emptyDraft, serverDraftOf, type ClaimDraftState } from '../claimFormDraft';
import { jsonObjectProblem } from '../jsonGuard';
import { zodIssues } from '../validation';
import { validForm } from '../../../test/support/fixtures';
import { lineItemSchema } from '../engine';
import { claimDraftFormSchema, claimFormSchema, DRAFT_MAX_CHARS } from './claim';
import { claimDraftInputSchema } from './claimDraft';

function nested(depth: number, leaf: unknown = 'x'): unknown {
  let value: unknown = leaf;
  for (let level = 0; level < depth; level += 1) value = { a: value };
  return value;
}

function nestedArrays(depth: number): unknown {
  let value: unknown = [];
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
}

const issuesOf = (form: unknown) => {
  const result = claimDraftFormSchema.safeParse(form);
  return result.success ? [] : zodIssues(result.error);
};

function filledDraft(): ClaimDraftState {
  const draft = emptyDraft('lq2x7k3abcdefgh', 'lq2x7k3zyxwvuts', 0);
  return {
    ...draft,
    step: 'materials',
    guide: { scenario: 'outOfRegion', outOfRegionKind: 'temporaryTrip', visitKind: 'inpatient' },
    insured: {
      relation: 'relative',
      name: '张三',
      idNumber: '21020219800101123',
      insuranceType: 'employee',
      retired: true,
      region: '210200',
    },
    hospital: { name: '北京协和医院', level: 3 },
    visit: { visitDate: '', admissionDate: '2026/2/1', dischargeDate: '2026-02-1', deliveryKind: undefined },
    lineItems: [
      { key: 'a', name: '西药费', yuan: '128.5', category: 'A' },
      { key: 'b', name: '', yuan: '12.345', category: 'B' },
      { key: 'c', name: '检查费', yuan: '', category: 'C' },
    ],
    payout: { bankName: '工商银行', accountNumber: '6222 0202 0011' },
    phone: '138 0013',
    electronicInvoice: false,
    originals: { method: 'mail', trackingNumber: 'SF12' },
    declarationAccepted: false,
  };
}

describe('claimDraftFormSchema: what the app sends is accepted', () => {
  it.each([
    ['an empty draft', serverDraftOf(emptyDraft('lq2x7k3abcdefgh', 'lq2x7k3zyxwvuts', 0))],
    ['a half-filled draft (dates and amounts as typed)', serverDraftOf(filledDraft())],
    [
      'an outpatient draft with e-invoice',
      serverDraftOf({
        ...filledDraft(),
        guide: { scenario: 'systemFailure', visitKind: 'outpatient' },
        visit: { visitDate: '20260201', admissionDate: '', dischargeDate: '' },
        electronicInvoice: true,
      }),
    ],
    ['nothing at all', {}],
  ])('%s', (_name, form) => {
    expect(issuesOf(form)).toEqual([]);
    expect(claimDraftFormSchema.parse(form)).toEqual(JSON.parse(JSON.stringify(form)));
  });
});

describe('claimDraftFormSchema: hostile drafts are refused, never crash', () => {
  it.each([
    ['$where at the top', { $where: 'sleep(1000)' }, '$where'],
    ['an operator as a value', { hospital: { name: { $gt: '' } } }, 'hospital.name.$gt'],
    ['an operator as a whole field', { hospital: { $gt: '' } }, 'hospital.$gt'],
    ['a dotted key', { 'insured.idNumber': '1' }, 'insured.idNumber'],
    ['__proto__', JSON.parse('{"__proto__":{"polluted":true}}') as unknown, '__proto__'],
    ['constructor', { insured: { constructor: { prototype: {} } } }, 'insured.constructor'],
    ['prototype', { prototype: 1 }, 'prototype'],
    ['an unknown key', { hospitalName: '协和' }, ''],
    ['an unknown nested key', { hospital: { name: '协和', phone: '1' } }, 'hospital'],
  ])('%s', (_name, form, path) => {
    const issues = issuesOf(form);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.path).toBe(path);
    expect(issues[0]!.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it.each([
    ['5,000 deep objects', 5_000],
    ['100,000 deep objects', 100_000],
    ['7 deep (just past the limit)', 7],
  ])('%s at the top: refused as too deep', (_name, depth) => {
    expect(issuesOf(nested(depth))).toEqual([
      { path: expect.stringMatching(/^a(\.a)*$/), message: '草稿内容不正确：内容嵌套过深（最多 6 层）' },
    ]);
  });

  it('deep nesting inside a known field, and deep arrays, are refused the same way', () => {
    expect(issuesOf({ hospital: { name: nested(5_000) } })[0]?.message).toContain('嵌套过深');
    expect(issuesOf({ lineItems: nestedArrays(5_000) })[0]?.message).toContain('嵌套过深');
    expect(issuesOf({ draft: nested(1_000) })[0]?.message).toContain('嵌套过深');
  });

  it('refuses a draft over the size limit', () => {
    const lineItems = Array.from({ length: 200 }, (_, index) => ({
      name: `药品${index}`.padEnd(100, '品'),
      yuan: '1.00',
      category: 'A' as const,
    }));
    expect(issuesOf({ lineItems })).toEqual([]);
    const huge = {
      lineItems: [...lineItems],
      hospital: { name: '协和' },
      payout: { bankName: '工'.repeat(DRAFT_MAX_CHARS) },
    };
    expect(issuesOf(huge)).toEqual([{ path: '', message: '草稿内容过大' }]);
  });

  it.each([
    ['phone', { phone: 13611223344 }, 'phone'],
    ['account number', { payout: { accountNumber: 6222111122223333 } }, 'payout.accountNumber'],
    ['id number', { insured: { idNumber: 210202198001011234 } }, 'insured.idNumber'],
  ])('refuses a number as the %s (it would escape sealing)', (_name, form, path) => {
    expect(issuesOf(form)).toEqual([{ path, message: expect.stringContaining('应为文字') }]);
  });

  it.each([
    ['hospital name', { hospital: { name: '协和\u0000医院' } }, 'hospital.name'],
    ['bank name', { payout: { bankName: '工商\u202e银行' } }, 'payout.bankName'],
    ['item name', { lineItems: [{ name: '西药\u200b费' }] }, 'lineItems[0].name'],
    ['amount as typed', { lineItems: [{ yuan: '\ufeff12' }] }, 'lineItems[0].yuan'],
    ['phone', { phone: '138\u001b' }, 'phone'],
  ])('refuses control characters in the %s', (_name, form, path) => {
    expect(issuesOf(form)).toEqual([{ path, message: expect.stringContaining('看不见的') }]);
  });

  it('any JSON at all: refused or accepted, never a throw; whatever is accepted has only known keys (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const result = claimDraftFormSchema.safeParse(value);
        if (result.success)
          expect(jsonObjectProblem(result.data, { maxDepth: 6, maxChars: DRAFT_MAX_CHARS })).toBeNull();
      }),
      { numRuns: 3000, seed: 11 },
    );
  });
});

describe('free text in the contracts refuses control, bidi and zero-width characters', () => {
  const form = validForm();
  it.each([
    ['hospital name', { ...form, hospital: { name: '北京协和\u202e医院', level: 3 } }, 'hospital.name', '医院名称'],
    ['bank name', { ...form, payout: { ...form.payout, bankName: '\ufeff工商银行' } }, 'payout.bankName', '开户银行'],
    [
      'line item name',
      { ...form, lineItems: [{ name: '西药\u0007费', amountFen: 100, category: 'A' as const }] },
      'lineItems[0].name',
      '费用名称',
    ],
    [
      'line item name (lone surrogate)',
      { ...form, lineItems: [{ name: '西药\ud800', amountFen: 100, category: 'A' as const }] },
      'lineItems[0].name',
      '费用名称',
    ],
  ])('claim form: %s', (_name, input, path, label) => {
    const result = claimFormSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(zodIssues(result.error!)).toContainEqual({
      path,
      message: expect.stringMatching(new RegExp(`^${label}含有看不见的`)),
    });
    expect(claimFormSchema.safeParse(form).success).toBe(true);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['ESC', '\u001b[2J'],
    ['RLO', '\u202eabc'],
    ['ZWSP', 'a\u200bb'],
    ['BOM', '\ufeff门诊'],
    ['lone surrogate', '门诊\udfff'],
  ])('draft title with %s', (_name, title) => {
    const result = claimDraftInputSchema.safeParse({ title, amountFen: 100 });
    expect(result.success).toBe(false);
    expect(zodIssues(result.error!)[0]).toEqual({
      path: 'title',
      message: expect.stringMatching(/^报销标题含有看不见的/),
    });
  });

  it('the engine refuses the same in line item names', () => {
    const result = lineItemSchema.safeParse({ name: '检查\u2066费', amountFen: 1, category: 'A' });
    expect(result.success).toBe(false);
  });
});
