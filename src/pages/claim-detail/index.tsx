import { Text, View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { PageShell } from '../../components/PageShell';
import { useState } from 'react';
import type { ClaimSummary } from '../../core/contracts/claimDraft';
import { formatYuan } from '../../core/money';
import { claimStatusLabel } from '../../core/statusLabels';
import { ErrorBanner } from '../../components/ErrorBanner';
import { CloudError } from '../../services/cloud';
import { claimsApi } from '../../services/claims';

export default function ClaimDetailPage(): React.ReactNode {
  const [claim, setClaim] = useState<ClaimSummary | null>(null);
  const [failure, setFailure] = useState<CloudError | null>(null);

  useLoad((params: Record<string, string | undefined>) => {
    claimsApi
      .get(params.id ?? '')
      .then(setClaim)
      .catch((error: unknown) => setFailure(error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message: '加载失败' })));
  });

  return (
    <PageShell>
      {failure ? <ErrorBanner message={failure.message} code={failure.code} /> : null}
      {claim ? (
        <View className='card'>
          <Text className='title'>{claim.title}</Text>
          <View>{`金额：${formatYuan(claim.amountFen)}`}</View>
          <View>{`状态：${claimStatusLabel[claim.status]}`}</View>
          <View className='muted'>{`创建于 ${claim.createdAt.slice(0, 10)}`}</View>
        </View>
      ) : null}
    </PageShell>
  );
}
