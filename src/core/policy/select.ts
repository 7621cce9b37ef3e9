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
    // Said to a claimant (预估, 提交) as much as to an operator: the place by its name, and what to do (an operator walk:
    // 「没有找到统筹区 210200 职工医保…」 with date ranges and nothing to do).
    const label = insuranceTypeNames[insuranceType];
    const place = policies.find((policy) => policy.region === region)?.regionName ?? `统筹区 ${region}`;
    const known = sameKind.map(
      (policy) => `${policy.effectiveFrom}${policy.effectiveTo ? ` 至 ${policy.effectiveTo}` : ' 起'}`,
    );
    const message =
      known.length > 0
        ? `${place}${label}暂时没有适用于 ${dateOfService} 就诊的报销政策（已有的政策适用于：${known.join('；')}），现在算不出预估，也不能提交。请先核对就诊日期；没有错的话，申请会保留在「我的报销」里，请稍后再试，或拨打 12393 医保服务热线咨询。`
        : `系统中还没有${place}${label}的报销政策，现在算不出预估，也不能提交。请核对参保地和险种；没有错的话，请拨打 12393 医保服务热线咨询。`;
    throw new DomainError('POLICY_NOT_FOUND', message, { details: { region, insuranceType, dateOfService } });
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
