/**
 * Runs a policy document's own example cases (`cases`, see ./cases.ts) through the rules engine and
 * says, per case, whether every stated figure came out as written — the check an operator runs
 * before sending a new version for review, and the reviewer runs again before publishing.
 * Pure: no platform import; the same code runs in the cloud and in tests.
 */
import { claimSchema, estimate, ledgerSchema, type Claim, type EstimateResult, type Ledger } from '../engine';
import { isDomainError, type FieldIssue } from '../errors';
import { formatYuan } from '../money';
import { formatPath, zodIssues } from '../validation';
import { caseAmountKeys, type CaseAmountKey, type PolicyCase } from './cases';
import type { PolicyDocument } from './schema';

export const caseAmountLabels: Record<CaseAmountKey, string> = {
  total: '费用合计',
  outOfPolicy: '丙类/全自费',
  categoryBSelfPay: '乙类先行自付',
  outOfRegionSelfPay: '异地就医先行自付',
  inPolicy: '政策范围内费用',
  deductibleTaken: '起付线',
  fundPays: '统筹基金支付',
  majorIllnessPays: '大病保险支付',
  allowances: '定额支付',
  totalPaid: '报销合计',
  claimantPays: '个人负担',
};

export interface CaseFigure {
  key: CaseAmountKey;
  label: string;
  expected: number;
  /** null when the engine refused the claim. */
  actual: number | null;
  passed: boolean;
}

export interface CaseOutcome {
  index: number;
  name: string;
  passed: boolean;
  figures: CaseFigure[];
  /** What went wrong, as sentences (empty when the case passed). */
  failures: string[];
  /** The case's own input faults, by path inside the document (`cases[0].visit.visitDate`). */
  issues: FieldIssue[];
  /** The engine's refusal, when it refused. */
  error?: { code: string; message: string };
  /** The version the figures were computed with. */
  policyVersion: string;
}

/** Issues of a case's part, with their path inside the whole document. */
function prefixed(index: number, issues: FieldIssue[], part?: string): FieldIssue[] {
  const at = formatPath(['cases', index, ...(part ? [part] : [])]);
  return issues.map((issue) => ({
    path: issue.path === '' ? at : issue.path.startsWith('[') ? `${at}${issue.path}` : `${at}.${issue.path}`,
    message: issue.message,
  }));
}

/** The engine's claim of a case: the insured person in the policy's region with its insurance type. */
export function caseClaim(
  policy: PolicyDocument,
  testCase: PolicyCase,
  index: number,
): { claim: Claim } | { issues: FieldIssue[] } {
  const parsed = claimSchema.safeParse({
    insured: { ...testCase.insured, region: policy.region, insuranceType: policy.insuranceType },
    visit: testCase.visit,
    lineItems: testCase.lineItems.map((line) => ({ name: '政策内费用', ...line })),
  });
  return parsed.success ? { claim: parsed.data } : { issues: prefixed(index, zodIssues(parsed.error)) };
}

/** The year so far of a case, in the policy year of its date of service unless it states one. */
function caseLedger(
  testCase: PolicyCase,
  policyYear: number,
  index: number,
): { ledger: Ledger | undefined } | { issues: FieldIssue[] } {
  if (!testCase.ledger) return { ledger: undefined };
  const parsed = ledgerSchema.safeParse({ policyYear, ...testCase.ledger });
  return parsed.success ? { ledger: parsed.data } : { issues: prefixed(index, zodIssues(parsed.error), 'ledger') };
}

/** Input faults of every case (claims and ledgers the engine would refuse to read), by path. */
export function caseInputFaults(policy: PolicyDocument): FieldIssue[] {
  return (policy.cases ?? []).flatMap((testCase, index) => {
    const claim = caseClaim(policy, testCase, index);
    if ('issues' in claim) return claim.issues;
    const ledger = caseLedger(testCase, 2000, index);
    return 'issues' in ledger ? ledger.issues : [];
  });
}

function compare(testCase: PolicyCase, result: EstimateResult): { figures: CaseFigure[]; failures: string[] } {
  const margin = testCase.margin ?? 0;
  const figures: CaseFigure[] = [];
  const failures: string[] = [];
  for (const key of caseAmountKeys) {
    const expected = testCase.expected?.[key];
    if (expected === undefined) continue;
    const actual = result[key];
    const passed = Math.abs(actual - expected) <= margin;
    figures.push({ key, label: caseAmountLabels[key], expected, actual, passed });
    if (!passed) failures.push(`${caseAmountLabels[key]}应为 ${formatYuan(expected)}，算得 ${formatYuan(actual)}。`);
  }
  const hit = new Set(result.capsHit.map((cap) => cap.cap));
  for (const cap of testCase.capsHit ?? []) {
    if (!hit.has(cap)) failures.push(`应触及封顶线 ${cap}，但没有触及。`);
  }
  return { figures, failures };
}

/** Runs one case. */
export function runPolicyCase(policy: PolicyDocument, testCase: PolicyCase, index: number): CaseOutcome {
  const base = { index, name: testCase.name, policyVersion: policy.version };
  const expectedFigures = (actual: (key: CaseAmountKey) => number | null): CaseFigure[] =>
    caseAmountKeys.flatMap((key) => {
      const expected = testCase.expected?.[key];
      return expected === undefined
        ? []
        : [{ key, label: caseAmountLabels[key], expected, actual: actual(key), passed: false }];
    });
  const claim = caseClaim(policy, testCase, index);
  if ('issues' in claim) {
    return {
      ...base,
      passed: false,
      figures: expectedFigures(() => null),
      failures: ['案例的输入有误，无法计算，请按路径修改。'],
      issues: claim.issues,
    };
  }
  try {
    // The policy year of the date of service is the engine's to say: a first run without a ledger tells it.
    const ledger = testCase.ledger
      ? caseLedger(testCase, estimate(claim.claim, policy).result.policyYear, index)
      : { ledger: undefined };
    if ('issues' in ledger) {
      return {
        ...base,
        passed: false,
        figures: expectedFigures(() => null),
        failures: ['案例的年度累计（ledger）有误，无法计算，请按路径修改。'],
        issues: ledger.issues,
      };
    }
    const { result } = estimate(claim.claim, policy, ledger.ledger);
    if (testCase.expectedError) {
      return {
        ...base,
        passed: false,
        figures: [],
        failures: [
          `预期计算会报错（${testCase.expectedError}），但计算成功了：报销合计 ${formatYuan(result.totalPaid)}。`,
        ],
        issues: [],
      };
    }
    const { figures, failures } = compare(testCase, result);
    return { ...base, passed: failures.length === 0, figures, failures, issues: [] };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const refusal = { code: error.code, message: error.message };
    if (testCase.expectedError === error.code)
      return { ...base, passed: true, figures: [], failures: [], issues: [], error: refusal };
    return {
      ...base,
      passed: false,
      figures: expectedFigures(() => null),
      failures: [`计算时出错：${error.message}`],
      issues: [],
      error: refusal,
    };
  }
}

/** Runs every case of the document, in order. */
export function runPolicyCases(policy: PolicyDocument): CaseOutcome[] {
  return (policy.cases ?? []).map((testCase, index) => runPolicyCase(policy, testCase, index));
}
