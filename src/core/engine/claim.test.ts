import { zodIssues } from '../validation';
import { claimSchema, emptyLedger, ledgerSchema } from '.';

const good = {
  insured: { insuranceType: 'resident', region: '210200' },
  visit: { kind: 'inpatient', hospitalLevel: 3, admissionDate: '2025-03-01', dischargeDate: '2025-03-10' },
  lineItems: [{ name: '床位费', amountFen: 12000, category: 'A' }],
};

function issuesOf(input: unknown) {
  const result = claimSchema.safeParse(input);
  if (result.success) throw new Error('accepted');
  return zodIssues(result.error);
}

describe('claim schema', () => {
  it('accepts a claim and fills the defaults', () => {
    const claim = claimSchema.parse(good);
    expect(claim.insured).toEqual({
      insuranceType: 'resident',
      retired: false,
      region: '210200',
      filedForOutOfRegion: false,
    });
    expect(claim.visit.outOfRegion).toBe(false);
  });

  it('names the path and says what is wrong in Chinese', () => {
    const issues = issuesOf({
      ...good,
      visit: { kind: 'inpatient', hospitalLevel: 4, admissionDate: '2025-03-10', dischargeDate: '2025-03-01' },
      lineItems: [{ name: '药', amountFen: -1, category: 'D' }],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'visit.hospitalLevel', message: '医院等级只能是 1（一级）、2（二级）或 3（三级）' },
        { path: 'lineItems[0].amountFen', message: '金额不能为负数' },
        {
          path: 'lineItems[0].category',
          message: 'A（甲类）、B（乙类）或 C（丙类/全自费）'.replace(/^/, '类别只能是 '),
        },
      ]),
    );
  });

  it('checks the order of the dates', () => {
    expect(
      issuesOf({ ...good, visit: { ...good.visit, admissionDate: '2025-03-10', dischargeDate: '2025-03-01' } }),
    ).toEqual([{ path: 'visit.dischargeDate', message: '出院日期不能早于入院日期' }]);
  });

  it('asks for the dates a visit kind needs, and the delivery kind for 分娩', () => {
    expect(issuesOf({ ...good, visit: { kind: 'outpatient', hospitalLevel: 1 } })).toEqual([
      { path: 'visit.visitDate', message: '请填写就诊日期' },
    ]);
    expect(
      issuesOf({
        ...good,
        visit: { kind: 'maternity', hospitalLevel: 1, admissionDate: '2025-03-01', dischargeDate: '2025-03-03' },
      }),
    ).toEqual([{ path: 'visit.deliveryKind', message: '住院分娩请选择顺产或剖腹产' }]);
    expect(issuesOf({ ...good, visit: { ...good.visit, dischargeDate: '2025-02-29' } })[0]!.path).toBe(
      'visit.dischargeDate',
    );
  });

  it("refuses another kind's dates: an 门诊 claim with a 出院日期 was counted from it (past its deadline, in the wrong year)", () => {
    expect(
      issuesOf({
        ...good,
        visit: { kind: 'outpatient', hospitalLevel: 3, visitDate: '2025-06-01', dischargeDate: '2026-11-20' },
      }),
    ).toEqual([{ path: 'visit.dischargeDate', message: '普通门诊只填写就诊日期，不填出院日期' }]);
    expect(
      issuesOf({
        ...good,
        visit: { kind: 'emergency', hospitalLevel: 3, visitDate: '2025-06-01', admissionDate: '2025-05-01' },
      }),
    ).toEqual([{ path: 'visit.admissionDate', message: '急诊只填写就诊日期，不填入院日期' }]);
    expect(issuesOf({ ...good, visit: { ...good.visit, visitDate: '2025-03-05' } })).toEqual([
      { path: 'visit.visitDate', message: '住院填写入院和出院日期，不填就诊日期' },
    ]);
  });

  it('asks which disease for a kind paid by disease (every 门诊慢特病 and 特殊门诊 claim came to 0.00 元 without one)', () => {
    for (const [kind, name] of [
      ['chronic', '门诊慢特病'],
      ['twoDiseases', '门诊两病'],
      ['special', '特殊门诊'],
    ] as const)
      expect(issuesOf({ ...good, visit: { kind, hospitalLevel: 3, visitDate: '2025-06-01' } })).toEqual([
        { path: 'visit.disease', message: `请选择病种：${name}按病种报销` },
      ]);
    // Or on every line: a pharmacy bill for two diseases (docs/examples/outpatient-dalian-auto.json).
    const twoLines = [
      { name: '氨氯地平片', amountFen: 18000, category: 'A', disease: 'hypertension' },
      { name: '二甲双胍片', amountFen: 25000, category: 'A', disease: 'diabetes' },
    ];
    expect(
      claimSchema.safeParse({
        ...good,
        visit: { kind: 'twoDiseases', hospitalLevel: 1, visitDate: '2025-05-18' },
        lineItems: twoLines,
      }).success,
    ).toBe(true);
    expect(
      issuesOf({
        ...good,
        visit: { kind: 'twoDiseases', hospitalLevel: 1, visitDate: '2025-05-18' },
        lineItems: [twoLines[0], { name: '检查费', amountFen: 5000, category: 'A' }],
      }),
    ).toEqual([{ path: 'visit.disease', message: '请选择病种：门诊两病按病种报销' }]);
    expect(
      claimSchema.safeParse({
        ...good,
        visit: { kind: 'chronic', hospitalLevel: 3, visitDate: '2025-06-01', disease: 'diabetes' },
      }).success,
    ).toBe(true);
  });

  it('ledger: defaults to an empty year', () => {
    expect(ledgerSchema.parse({ policyYear: 2025 })).toEqual(emptyLedger(2025));
    expect(ledgerSchema.safeParse({ policyYear: 2025, benefitPaid: { outpatient: -5 } }).success).toBe(false);
  });
});
