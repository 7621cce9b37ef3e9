/** A policy version's status as a tag (草稿 / 待复核 / 已发布 / 已停用), and its validity as words. */
import { Text } from '@tarojs/components';
import { policyStatusLabels, type PolicyStatus, type PolicyVersionSummary } from '../../core/contracts/policies';
import './policyPages.scss';

export function PolicyStatusTag({ status, id }: { status: PolicyStatus; id?: string }): React.ReactNode {
  return (
    <Text id={id} className={`policy-status policy-status-${status}`}>
      {policyStatusLabels[status]}
    </Text>
  );
}

export function validityText(version: Pick<PolicyVersionSummary, 'effectiveFrom' | 'effectiveTo'>): string {
  if (!version.effectiveFrom) return '生效日期未填写';
  return version.effectiveTo ? `${version.effectiveFrom} 至 ${version.effectiveTo}` : `${version.effectiveFrom} 起`;
}
