/** What the reviewer claim page's sections share: the label tables, a key–value line, a titled card, the policy's name. */
import { Text, View } from '@tarojs/components';
import type { EstimateResult, LineItem } from '../../../core/engine';
import { categoryLabels } from '../../../core/lineCorrections';
import { materialDefinitions } from '../../../core/materials';
import type { ReviewClaimDetail } from '../../../services/review';
import type { ChipOption } from '../../components/Chips';

export const categoryOptions: ChipOption<LineItem['category']>[] = (['A', 'B', 'C'] as const).map((value) => ({
  value,
  label: categoryLabels[value],
}));
export const categoryName = (category: LineItem['category']): string => categoryLabels[category] ?? category;

export const figureRows: Array<{ key: keyof EstimateResult; label: string }> = [
  { key: 'total', label: '费用合计' },
  { key: 'outOfPolicy', label: '丙类/全自费' },
  { key: 'categoryBSelfPay', label: '乙类先行自付' },
  { key: 'outOfRegionSelfPay', label: '异地就医自付' },
  { key: 'deductibleTaken', label: '起付线' },
  { key: 'fundPays', label: '统筹基金支付' },
  { key: 'majorIllnessPays', label: '大病保险支付' },
  // As the engine's trace and the audit export name it.
  { key: 'allowances', label: '定额支付' },
  { key: 'totalPaid', label: '报销合计' },
  { key: 'claimantPays', label: '个人负担' },
];
export const figureLabel = (key: string): string => figureRows.find((row) => row.key === key)?.label ?? key;

export const materialLabel = (id: string): string =>
  (materialDefinitions as Record<string, { label: string } | undefined>)[id]?.label ?? id;

export function Field({ label, value, id }: { label: string; value: string; id?: string }): React.ReactNode {
  return (
    <View className='kv'>
      <Text className='kv-label'>{label}</Text>
      <Text className='kv-value' id={id}>
        {value}
      </Text>
    </View>
  );
}

export function Section({
  title,
  id,
  children,
}: React.PropsWithChildren<{ title: string; id: string }>): React.ReactNode {
  return (
    <View className='card' id={id}>
      <Text className='section-title'>{title}</Text>
      {children}
    </View>
  );
}

/** "大连市职工医保（示例）2025.1 版，2025-01-01 起施行" for `id@version` (the claim's own policy; another version by its version only). */
export function policyName(detail: ReviewClaimDetail, pinned: string): string {
  const [policyId, version] = pinned.split('@');
  const own = detail.policy && detail.policy.id === policyId && detail.policy.version === version;
  if (!own) return `${detail.policy?.title ?? policyId} ${version ?? ''} 版`;
  return `${detail.policy!.title} ${version} 版${detail.policyEffectiveFrom ? `，${detail.policyEffectiveFrom} 起施行` : ''}`;
}
