import { isDomainError } from '../errors';
import { parsePolicy } from './resolve';
import { caseInputFaults, runPolicyCases } from './runCases';
import { samplePolicyFiles } from './samples';

const dalianEmployee = samplePolicyFiles['dalian-employee-2025'] as Record<string, unknown>;

/** 大连 职工 sample: 门诊 deductible 500 元 a year, 三级 60 %. */
const outpatient2000 = {
  name: '三级医院门诊 2,000 元',
  visit: { kind: 'outpatient', hospitalLevel: 3, visitDate: '2025-03-01' },
  lineItems: [{ amountFen: 200000, category: 'A' }],
  expected: { deductibleTaken: 50000, fundPays: 90000 },
  arithmetic: '(2,000 − 500) × 60% = 900 元',
};

const withCases = (cases: unknown[]) => parsePolicy({ ...dalianEmployee, cases });

function faultsOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    parsePolicy(input);
  } catch (error) {
    if (isDomainError(error)) return error.issues ?? [];
    throw error;
  }
  return [];
}

describe("a policy's own cases", () => {
  it('passes a case whose figures the policy gives, and says which figure differs when it does not', () => {
    const [passed, failed] = runPolicyCases(
      withCases([outpatient2000, { ...outpatient2000, name: '写错的预期', expected: { fundPays: 100000 } }]),
    );
    expect(passed).toMatchObject({
      passed: true,
      failures: [],
      figures: [
        { key: 'deductibleTaken', actual: 50000, passed: true },
        { key: 'fundPays', actual: 90000, passed: true },
      ],
    });
    expect(failed).toMatchObject({
      passed: false,
      figures: [{ key: 'fundPays', expected: 100000, actual: 90000, passed: false }],
    });
    expect(failed!.failures).toEqual(['统筹基金支付应为 1,000.00 元，算得 900.00 元。']);
  });

  it('follows a changed ratio: the same case fails against the new number until its figure is updated', () => {
    const outpatient = {
      ...(dalianEmployee.outpatient as object),
      ratio: { level1: 8000, level2: 7000, level3: 7000 },
    };
    const [outcome] = runPolicyCases(parsePolicy({ ...dalianEmployee, outpatient, cases: [outpatient2000] }));
    expect(outcome).toMatchObject({
      passed: false,
      figures: [
        { key: 'deductibleTaken', passed: true },
        { key: 'fundPays', actual: 105000, passed: false },
      ],
    });
  });

  it('allows an error margin, a cap that must bite, and an expected refusal', () => {
    const outcomes = runPolicyCases(
      withCases([
        { ...outpatient2000, name: '误差 1 分', expected: { fundPays: 90001 }, margin: 1 },
        {
          ...outpatient2000,
          name: '年度限额',
          ledger: { deductibleUsed: { outpatient: 50000 }, benefitPaid: { outpatient: 250000 } },
          expected: { fundPays: 50000 },
          capsHit: ['outpatient.annualLimit'],
        },
        {
          ...outpatient2000,
          name: '生效前',
          visit: { ...outpatient2000.visit, visitDate: '2024-12-31' },
          expected: undefined,
          expectedError: 'POLICY_NOT_IN_FORCE',
        },
        { ...outpatient2000, name: '应报错却算出', expected: undefined, expectedError: 'POLICY_NOT_IN_FORCE' },
      ]),
    );
    expect(outcomes.map((outcome) => [outcome.name, outcome.passed])).toEqual([
      ['误差 1 分', true],
      ['年度限额', true],
      ['生效前', true],
      ['应报错却算出', false],
    ]);
    expect(outcomes[2]!.error?.code).toBe('POLICY_NOT_IN_FORCE');
  });

  it('names the path of a fault in a case, inside the document', () => {
    const policy = withCases([
      {
        ...outpatient2000,
        visit: { kind: 'outpatient', hospitalLevel: 4 },
        lineItems: [{ amountFen: -1, category: 'A' }],
      },
    ]);
    const paths = caseInputFaults(policy).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['cases[0].visit.hospitalLevel', 'cases[0].lineItems[0].amountFen']));
    const [outcome] = runPolicyCases(policy);
    expect(outcome).toMatchObject({ passed: false });
    expect(outcome!.issues.length).toBeGreaterThan(0);
    expect(
      caseInputFaults(withCases([{ ...outpatient2000, ledger: { benefitPaid: { outpatient: -5 } } }])).map(
        (issue) => issue.path,
      ),
    ).toEqual(['cases[0].ledger.benefitPaid.outpatient']);
  });

  it('is part of the policy schema: a case without figures to check, or with an unknown key, is a fault by path', () => {
    const faults = faultsOf({
      ...dalianEmployee,
      cases: [
        { ...outpatient2000, expected: {} },
        { ...outpatient2000, expcted: {} },
      ],
    });
    expect(faults.map((fault) => fault.path)).toEqual(['cases[0].expected', 'cases[1]']);
    expect(faults[0]!.message).toContain('至少一个要核对的金额');
    expect(faults[1]!.message).toContain('expcted');
  });

  it('a document without cases has none to run', () => {
    expect(runPolicyCases(parsePolicy(dalianEmployee))).toEqual([]);
  });
});
