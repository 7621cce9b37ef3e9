/** A policy version's status as a tag (草稿 / 待复核 / 已发布 / 已停用), and its validity as words. */
import { Text } from '@tarojs/components';
import { policyStatusLabels, type PolicyStatus } from '../../core/contracts/policies';

export { policyValidityText as validityText } from '../../core/contracts/policies';
import './policyPages.scss';

/**
 * A replaced version still in force for some days (`coversUntil`) is 已取代（部分日期仍适用）, not 已停用 (an operator walk:
 * three states — discarded, retired, replaced — showed the same tag).
 */
export function PolicyStatusTag({
  status,
  coversUntil,
  id,
}: {
  status: PolicyStatus;
  coversUntil?: string | null;
  id?: string;
}): React.ReactNode {
  const replacedInForce = status === 'retired' && Boolean(coversUntil);
  return (
    <Text id={id} className={`policy-status policy-status-${replacedInForce ? 'replaced' : status}`}>
      {replacedInForce ? '已取代（部分日期仍适用）' : policyStatusLabels[status]}
    </Text>
  );
}
