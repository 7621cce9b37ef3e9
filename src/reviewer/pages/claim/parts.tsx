/** What the reviewer claim page's sections share: the label tables, a key–value line, a titled card, the policy's name. */
import { Text, View } from '@tarojs/components';
import type { EstimateResult, LineItem } from '../../../core/engine';
import { maskBankAccount, maskName } from '../../../core/identity';
import { materialDefinitions } from '../../../core/materials';
import { formatYuan } from '../../../core/money';
import type { ReviewClaimDetail } from '../../../services/review';
import type { ChipOption } from '../../components/Chips';

export const categoryOptions: ChipOption<LineItem['category']>[] = [
  { value: 'A', label: '甲类' },
  { value: 'B', label: '乙类' },
  { value: 'C', label: '丙类/自费' },
];
export const categoryName = (category: LineItem['category']): string =>
  categoryOptions.find((option) => option.value === category)?.label ?? category;

export const figureRows: Array<{ key: keyof EstimateResult; label: string }> = [
  { key: 'total', label: '费用合计' },
  { key: 'outOfPolicy', label: '丙类/全自费' },
  { key: 'categoryBSelfPay', label: '乙类先行自付' },
  { key: 'outOfRegionSelfPay', label: '异地就医自付' },
  { key: 'deductibleTaken', label: '起付线' },
  { key: 'fundPays', label: '统筹基金支付' },
  { key: 'majorIllnessPays', label: '大病保险支付' },
  { key: 'allowances', label: '补助' },
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

/** The question each confirmed step asks. */
export const confirmTitles = {
  passPreliminary: '确认初审通过这份申请？',
  passReview: '确认审核通过这份申请？',
  receiveOriginals: '确认已收到这份申请的纸质原件？',
  verify: '确认复核通过这份申请？',
  settle: '确认结算这份申请？',
  markPaid: '确认这笔报销款已经支付？',
  closeWithoutPayment: '确认办结这份申请（本次医保支付 0 元）？',
} as const;

/** What a confirmed step does, restated: the claim, and for money the amount and payee. */
export function confirmLines(detail: ReviewClaimDetail, action: keyof typeof confirmTitles): string[] {
  if (action === 'settle' || action === 'markPaid') return moneyLines(detail, action);
  const after: Record<Exclude<keyof typeof confirmTitles, 'settle' | 'markPaid'>, string> = {
    passPreliminary: '通过后进入审核，申请人会收到进度通知；这一步不能撤回。',
    passReview: '通过后等待结算，申请人会收到审核结果通知；这一步不能撤回。',
    receiveOriginals: '登记后这份申请的原件记为已收到，不能撤回。',
    verify:
      payableFen(detail) === 0
        ? '本次医保支付 0 元：复核通过后直接办结，不需要支付，申请人会收到办结通知；这一步不能撤回。'
        : '复核通过后可以编入支付批次付款；这一步不能撤回。',
    closeWithoutPayment: '本次医保支付 0 元，没有款项要转账：办结后申请人会收到办结通知；这一步不能撤回。',
  };
  return [`申请：${detail.title}`, after[action]];
}

/** What the fund pays as settled; undefined before 结算. */
function payableFen(detail: ReviewClaimDetail): number | undefined {
  return detail.settlement?.totalPaid ?? detail.paidFen ?? undefined;
}

/** What 结算 / 确认已支付 restate: the claim, the amount and the payee (name and account masked). */
export function moneyLines(detail: ReviewClaimDetail, action: 'settle' | 'markPaid'): string[] {
  const fund = action === 'settle' ? (detail.reviewEstimate ?? detail.estimate)?.totalPaid : payableFen(detail);
  const payout = detail.form?.payout;
  return [
    `申请：${detail.title}`,
    action === 'settle'
      ? `按当前年度累计结算，预计医保支付 ${fund === undefined ? '—' : formatYuan(fund)}（以结算结果为准）`
      : `支付金额：${fund === undefined ? '—' : formatYuan(fund)}`,
    `收款人：${payout ? `${maskName(payout.holderName)}　${payout.bankName} ${maskBankAccount(payout.accountNumber)}` : '—'}`,
    action === 'settle' ? '结算后写入参保人年度累计，需另一位复核人员复核。' : '确认后申请办结，申请人会收到到账通知。',
  ];
}
