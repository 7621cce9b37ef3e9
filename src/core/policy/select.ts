/** Which policy applies: same region and insurance type, in force on the date of service, latest first. */
import { DomainError } from '../errors';
import { insuranceTypeNames, type InsuranceType, type PolicyDocument } from './schema';
import { addDays } from './dates';
import { policyInForce } from './resolve';

export function selectPolicy(
  policies: readonly PolicyDocument[],
  region: string,
  insuranceType: InsuranceType,
  dateOfService: string,
): PolicyDocument {
  const sameKind = policies.filter((policy) => policy.region === region && policy.insuranceType === insuranceType);
  const inForce = sameKind.filter((policy) => policyInForce(policy, dateOfService));
  if (inForce.length === 0) {
    const label = insuranceTypeNames[insuranceType];
    const known = sameKind.map(
      (policy) => `${policy.effectiveFrom}${policy.effectiveTo ? ` 至 ${policy.effectiveTo}` : ' 起'}`,
    );
    const hint = known.length > 0 ? `已有的版本适用于：${known.join('；')}` : '系统中没有该统筹区这一险种的政策';
    throw new DomainError(
      'POLICY_NOT_FOUND',
      `没有找到统筹区 ${region} ${label}在 ${dateOfService} 适用的报销政策。${hint}`,
      {
        details: { region, insuranceType, dateOfService },
      },
    );
  }
  // Latest effectiveFrom wins; among equals the higher version (compared as text with numeric parts).
  return [...inForce].sort(
    (a, b) =>
      b.effectiveFrom.localeCompare(a.effectiveFrom) || b.version.localeCompare(a.version, 'en', { numeric: true }),
  )[0]!;
}

/**
 * The last day a version replaced by a new one still covers. A new version takes over from its own `effectiveFrom`:
 * the days before stay the old version's (a claim for them may be filed months later), up to its own `effectiveTo`.
 * null when the new version starts on or before the old one's first day (it replaces it whole).
 */
export function lastDayBeforeSuccessor(
  replaced: Pick<PolicyDocument, 'effectiveFrom' | 'effectiveTo'>,
  successorFrom: string,
): string | null {
  const eve = addDays(successorFrom, -1);
  const last = replaced.effectiveTo && replaced.effectiveTo < eve ? replaced.effectiveTo : eve;
  return last >= replaced.effectiveFrom ? last : null;
}
