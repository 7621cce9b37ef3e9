import { precheck, precheckIds, type PrecheckFacts, type PrecheckId } from './precheck';

/** A clean outpatient claim: one receipt read, agreeing, paid by the insured on the visit day, totals equal. */
const clean: PrecheckFacts = {
  missingMaterials: [],
  receipts: [
    {
      fileID: 'cloud://env/a.jpg',
      read: true,
      disagreements: 0,
      payer: '张三',
      issueDate: '2026-02-20',
      totalFen: 133_050,
    },
  ],
  insuredName: '张三',
  visit: { visitDate: '2026-02-20' },
  filingExpired: false,
  lineItemsTotalFen: 133_050,
};

const receipt = clean.receipts[0]!;

// Each row: what differs from the clean claim → the checks that fail (all others pass).
const table: Array<[string, Partial<PrecheckFacts>, PrecheckId[]]> = [
  ['clean', {}, []],
  ['a material missing', { missingMaterials: ['diagnosis'] }, ['materialsComplete']],
  ['no receipt photo', { receipts: [] }, ['receiptsRead', 'datesMatch', 'totalsMatch']],
  [
    'a receipt not read',
    { receipts: [{ fileID: 'x', read: false, disagreements: 0 }] },
    ['receiptsRead', 'payerIsInsured', 'datesMatch', 'totalsMatch'],
  ],
  ['大写 ≠ 小写 on a receipt', { receipts: [{ ...receipt, disagreements: 1 }] }, ['receiptsAgree']],
  ['paid by someone else', { receipts: [{ ...receipt, payer: '李四' }] }, ['payerIsInsured']],
  ['the same name with a space', { receipts: [{ ...receipt, payer: '张 三' }] }, []],
  ['payer not read', { receipts: [{ ...receipt, payer: undefined }] as PrecheckFacts['receipts'] }, ['payerIsInsured']],
  ['visit a day before the receipt', { visit: { visitDate: '2026-02-19' } }, ['datesMatch']],
  [
    'inpatient stay inside the receipt dates',
    {
      visit: { admissionDate: '2026-02-10', dischargeDate: '2026-02-20' },
      receipts: [{ ...receipt, admissionDate: '2026-02-10', dischargeDate: '2026-02-20' }],
    },
    [],
  ],
  [
    'inpatient stay longer than the receipt says',
    {
      visit: { admissionDate: '2026-02-08', dischargeDate: '2026-02-20' },
      receipts: [{ ...receipt, admissionDate: '2026-02-10', dischargeDate: '2026-02-20' }],
    },
    ['datesMatch'],
  ],
  [
    // A walk: an outpatient receipt of 11-10 filed with a stay of 11-13 to 11-17 passed 就诊日期在票据日期之内.
    'a receipt of a day before the stay among its receipts',
    {
      visit: { admissionDate: '2026-02-10', dischargeDate: '2026-02-20' },
      receipts: [
        { ...receipt, admissionDate: '2026-02-10', dischargeDate: '2026-02-20', totalFen: 100_000 },
        { ...receipt, fileID: 'b', issueDate: '2026-02-05', totalFen: 33_050 },
      ],
    },
    ['datesMatch'],
  ],
  [
    "a stay's receipt issued days after the discharge (paid later)",
    {
      visit: { admissionDate: '2026-02-10', dischargeDate: '2026-02-20' },
      receipts: [{ ...receipt, issueDate: '2026-02-23', admissionDate: '2026-02-10', dischargeDate: '2026-02-20' }],
    },
    [],
  ],
  ['past the filing deadline', { filingExpired: true }, ['withinDeadline']],
  ['line items 1 fen over the receipts', { lineItemsTotalFen: 133_051 }, ['totalsMatch']],
  [
    'two receipts summing to the line items',
    {
      receipts: [
        { ...receipt, totalFen: 100_000 },
        { ...receipt, fileID: 'b', totalFen: 33_050 },
      ],
    },
    [],
  ],
  [
    'a receipt without a total',
    { receipts: [{ ...receipt, totalFen: undefined }] as PrecheckFacts['receipts'] },
    ['totalsMatch'],
  ],
  ['two receipts in one photo (one read)', { receipts: [{ ...receipt, sheets: 2 }] }, ['receiptsRead']],
  ['医保统筹支付 0.00 printed', { receipts: [{ ...receipt, fundPaidFen: 0 }] }, []],
  [
    'settled in part at the counter (医保统筹支付 above 0)',
    { receipts: [{ ...receipt, fundPaidFen: 85_000 }] },
    ['notSettledByFund'],
  ],
];

it("a receipt with no date read names the dates the claim gives, to compare with the photo (a walk: 票据上没有识别出日期, the claimant's own dates nowhere beside it)", () => {
  const stay = precheck({
    ...clean,
    visit: { admissionDate: '2026-11-28', dischargeDate: '2026-12-03' },
    receipts: [{ ...receipt, issueDate: undefined }],
  });
  expect(stay.outcomes.find((outcome) => outcome.id === 'datesMatch')?.detail).toBe(
    '票据上没有识别出日期，申请填写的就诊日期为 2026-11-28 至 2026-12-03',
  );
  const visit = precheck({ ...clean, receipts: [{ ...receipt, issueDate: undefined }] });
  expect(visit.outcomes.find((outcome) => outcome.id === 'datesMatch')?.detail).toBe(
    '票据上没有识别出日期，申请填写的就诊日期为 2026-02-20',
  );
});

it('a receipt whose payer or total was not read names what the claim gives for it, to compare with the photo', () => {
  const unread = precheck({ ...clean, receipts: [{ fileID: 'x', read: true, disagreements: 0 }] });
  const detail = (id: string) => unread.outcomes.find((outcome) => outcome.id === id)?.detail;
  expect(detail('payerIsInsured')).toBe('1 张票据没有识别出交款人，参保人为「张三」');
  expect(detail('totalsMatch')).toBe('1 张票据没有识别出合计金额，费用明细合计 1,330.50 元');
});

it('says how much the fund paid at the counter', () => {
  const result = precheck({ ...clean, receipts: [{ ...receipt, fundPaidFen: 85_000 }] });
  expect(result.outcomes.find((outcome) => outcome.id === 'notSettledByFund')?.detail).toBe(
    '1 张票据显示医保统筹基金已支付 850.00 元：已结算的部分不能再报销，请核对',
  );
});

describe('预审 rules as a table', () => {
  it.each(table)('%s', (_name, change, failing) => {
    const result = precheck({ ...clean, ...change });
    expect(result.outcomes.map((outcome) => outcome.id)).toEqual([...precheckIds]);
    expect(result.outcomes.filter((outcome) => !outcome.passed).map((outcome) => outcome.id)).toEqual(failing);
    expect(result.clean).toBe(failing.length === 0);
    for (const outcome of result.outcomes) {
      expect(outcome.label).toMatch(/[\u4e00-\u9fff]/);
      if (!outcome.passed) expect(outcome.detail).toMatch(/[\u4e00-\u9fff]/);
      else expect(outcome.detail).toBeUndefined();
    }
  });

  it('every rule can fail (no check that cannot fail)', () => {
    const failed = new Set(table.flatMap(([, , failing]) => failing));
    expect([...failed].sort()).toEqual([...precheckIds].sort());
  });
});
