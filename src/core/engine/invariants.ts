/**
 * What must hold for every estimate, whatever the policy: used by the table-driven cases, the
 * property tests, and available to the server as a last check before it stores a figure.
 */
import type { ResolvedPolicy } from '../policy/types';
import type { Ledger } from './claim';
import type { Estimate } from './estimate';

const amountKeys = [
  'total',
  'outOfPolicy',
  'categoryBSelfPay',
  'outOfRegionSelfPay',
  'inPolicy',
  'deductibleTaken',
  'fundPays',
  'majorIllnessPays',
  'allowances',
  'totalPaid',
  'claimantPays',
] as const;

/** Returns the broken rules (empty when all hold). */
export function invariantViolations(estimate: Estimate, policy: ResolvedPolicy, before: Ledger): string[] {
  const { result: r, ledgerAfter: after } = estimate;
  const broken: string[] = [];
  for (const key of amountKeys) {
    if (!Number.isSafeInteger(r[key]) || r[key] < 0) broken.push(`${key} is not a non-negative integer: ${r[key]}`);
  }
  if (r.outOfPolicy + r.categoryBSelfPay + r.outOfRegionSelfPay + r.inPolicy !== r.total)
    broken.push('parts of the cost do not add up to total');
  if (r.fundPays + r.majorIllnessPays + r.allowances !== r.totalPaid)
    broken.push('totalPaid is not fund + 大病 + allowances');
  if (r.totalPaid + r.claimantPays !== r.total) broken.push('claimantPays is not total − totalPaid');
  if (r.totalPaid > r.total) broken.push('paid more than the total');
  if (r.deductibleTaken > r.inPolicy) broken.push('deductible larger than the in-policy cost');
  // 大病 pays on the burden, which may also count the self-paid shares the policy names (burdenIncludes).
  const counted = policy.majorIllness?.burdenIncludes ?? [];
  const burdenRoom =
    r.inPolicy +
    (counted.includes('selfPayFirst') ? r.categoryBSelfPay : 0) +
    (counted.includes('outOfRegionSelfPay') ? r.outOfRegionSelfPay : 0);
  if (r.fundPays > r.inPolicy) broken.push('fund more than the in-policy cost');
  if (r.fundPays + r.majorIllnessPays > burdenRoom)
    broken.push('fund + 大病 more than the in-policy cost and the self-paid shares counted as burden');
  if (r.allowances > r.inPolicy) broken.push('allowance more than the in-policy cost');
  for (const step of r.trace) {
    if (
      !Number.isSafeInteger(step.amountIn) ||
      !Number.isSafeInteger(step.amountOut) ||
      step.amountIn < 0 ||
      step.amountOut < 0
    )
      broken.push(`trace step ${step.rule} has a bad amount`);
  }
  // Annual caps: never pushed past by this claim (a ledger already past a cap stays where it was).
  const within = (name: string, beforeValue: number, afterValue: number, cap: number) => {
    if (afterValue > Math.max(cap, beforeValue)) broken.push(`${name}: ${afterValue} exceeds ${cap}`);
  };
  for (const cap of policy.fundCaps)
    within(`fundCaps.${cap.id}`, before.fundPaidByCap[cap.id] ?? 0, after.fundPaidByCap[cap.id] ?? 0, cap.amount);
  if (policy.majorIllness) {
    const bonus = policy.continuousEnrolment?.majorIllnessCapBonus?.max ?? 0;
    within(
      'majorIllness.annualCap (+ the largest enrolment bonus)',
      before.majorIllnessPaid,
      after.majorIllnessPaid,
      policy.majorIllness.annualCap + bonus,
    );
  }
  for (const kind of ['outpatient', 'accident'] as const) {
    const limit = policy[kind]?.annualLimit;
    if (limit !== undefined)
      within(`${kind}.annualLimit`, before.benefitPaid[kind] ?? 0, after.benefitPaid[kind] ?? 0, limit);
  }
  for (const kind of ['chronic', 'twoDiseases', 'special'] as const) {
    for (const [code, disease] of Object.entries(policy[kind]?.diseases ?? {})) {
      if (disease.annualLimit !== undefined) {
        const key = `${kind}.${code}`;
        within(`${key}.annualLimit`, before.benefitPaid[key] ?? 0, after.benefitPaid[key] ?? 0, disease.annualLimit);
      }
    }
  }
  for (const kind of ['outpatient', 'accident', 'chronic', 'twoDiseases', 'special'] as const) {
    const cap = policy[kind]?.deductibleAnnualCap;
    if (cap !== undefined)
      within(`${kind}.deductibleAnnualCap`, before.deductibleUsed[kind] ?? 0, after.deductibleUsed[kind] ?? 0, cap);
  }
  const deductibleCap = policy.inpatient?.deductible.annualCap;
  if (deductibleCap !== undefined) {
    within(
      'inpatient.deductible.annualCap',
      before.deductibleUsed.inpatient ?? 0,
      after.deductibleUsed.inpatient ?? 0,
      deductibleCap,
    );
  }
  return broken;
}
