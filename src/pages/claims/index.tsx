import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { PageShell } from '../../components/PageShell';
import { useState } from 'react';
import type { ClaimSummary } from '../../core/contracts/claimDraft';
import { formatYuan } from '../../core/money';
import { claimStatusLabel } from '../../core/statusLabels';
import { ErrorBanner } from '../../components/ErrorBanner';
import { CloudError } from '../../services/cloud';
import { claimsApi } from '../../services/claims';

export default function MyClaimsPage(): React.ReactNode {
  const [claims, setClaims] = useState<ClaimSummary[] | null>(null);
  const [failure, setFailure] = useState<CloudError | null>(null);

  async function load(): Promise<void> {
    try {
      const page = await claimsApi.listMine(1);
      setClaims(page.items);
      setFailure(null);
    } catch (error) {
      setFailure(error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message: '加载失败，请下拉重试' }));
    }
  }

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  return (
    <PageShell>
      {failure ? <ErrorBanner message={failure.message} code={failure.code} /> : null}
      {claims === null && !failure ? <View className='muted'>加载中…</View> : null}
      {claims?.length === 0 ? <View className='muted' id='claims-empty'>还没有报销申请。回到首页点「我要报销」开始。</View> : null}
      {claims?.map((claim) => (
        <View key={claim.id} className='card claim-card' onClick={() => void Taro.navigateTo({ url: `/pages/claim-detail/index?id=${claim.id}` })}>
          <Text className='title'>{claim.title}</Text>
          <View>{formatYuan(claim.amountFen)}</View>
          <Text className='status-tag'>{claimStatusLabel[claim.status]}</Text>
        </View>
      ))}
    </PageShell>
  );
}
