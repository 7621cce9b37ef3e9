/** A new version of the 大连 职工 sample policy as an operator would write it: 门诊 三级 60 % → 70 %, with a case that says so. */
import { samplePolicyFiles } from '../../src/core/policy';

export const SAMPLE_POLICY = 'dalian-employee-2025';
export const samplePolicyText = samplePolicyFiles[SAMPLE_POLICY] as Record<string, unknown>;

/** Version 2025.2 with `changes` over it (a key's value replaced whole). */
export function raisedOutpatientVersion(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...samplePolicyText,
    version: '2025.2',
    outpatient: { ...(samplePolicyText.outpatient as object), ratio: { level1: 8000, level2: 7000, level3: 7000 } },
    cases: [
      {
        name: '三级医院门诊 2,000 元',
        visit: { kind: 'outpatient', hospitalLevel: 3, visitDate: '2025-03-01' },
        lineItems: [{ amountFen: 200000, category: 'A' }],
        expected: { deductibleTaken: 50000, fundPays: 105000 },
        arithmetic: '(2,000 − 500) × 70% = 1,050 元',
      },
    ],
    ...changes,
  };
}
