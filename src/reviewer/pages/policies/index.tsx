/**
 * 政策管理 · 版本列表 (operators): every version of every policy with its status (草稿 → 待复核 →
 * 已发布 → 已停用), who wrote, sent and published it; a version opens its page. A new version starts
 * from a published one (its JSON copied into the editor) or from an empty editor.
 */
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Failure } from '../../components/Failure';
import { PageShell } from '../../../components/PageShell';
import type { PolicyVersionSummary } from '../../../core/contracts/policies';
import { insuranceTypeNames } from '../../../core/policy';
import { CloudError } from '../../../services/cloud';
import { policiesApi } from '../../../services/policies';
import { PolicyStatusTag, validityText } from '../../components/PolicyStatus';

/** Versions grouped by policy id, the published one's title first. */
function byPolicy(
  items: readonly PolicyVersionSummary[],
): Array<{ policyId: string; title: string; versions: PolicyVersionSummary[] }> {
  const groups = new Map<string, PolicyVersionSummary[]>();
  for (const item of items) groups.set(item.policyId, [...(groups.get(item.policyId) ?? []), item]);
  return [...groups.entries()].map(([policyId, versions]) => {
    const shown = versions.find((version) => version.status === 'published') ?? versions[versions.length - 1]!;
    return {
      policyId,
      title: `${shown.title}（${shown.regionName}${shown.insuranceType ? ` · ${insuranceTypeNames[shown.insuranceType]}` : ''}）`,
      versions,
    };
  });
}

export default function PoliciesPage(): React.ReactNode {
  const [items, setItems] = useState<PolicyVersionSummary[] | null>(null);
  const [failure, setFailure] = useState<CloudError | null>(null);

  async function load(): Promise<void> {
    try {
      setItems((await policiesApi.list()).items);
      setFailure(null);
    } catch (error) {
      setFailure(
        error instanceof CloudError
          ? error
          : new CloudError({ code: 'UNKNOWN', message: '政策列表没有加载出来，请稍后再试。' }),
      );
    }
  }

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));
  const open = (query: string): void => void Taro.navigateTo({ url: `/reviewer/pages/policy/index?${query}` });

  // Someone who may not manage policies, on this page by its address: the refusal and the way home, not 从空白开始写新政策.
  if (failure?.code === 'FORBIDDEN')
    return (
      <PageShell className='policy-page'>
        <Failure error={failure} id='policies-forbidden' />
      </PageShell>
    );

  return (
    <PageShell className='policy-page'>
      <View className='card'>
        <Text className='section-title'>报销政策</Text>
        <View className='muted'>
          新版本先存为草稿，试算案例全部通过后提交复核，由另一位运维人员发布。已发布的版本不能修改，只能被新版本取代；已提交的申请始终按它当时所用的版本计算。
        </View>
        <Button id='policy-new' className='secondary-button' onClick={() => open('new=1')}>
          从空白开始写新政策
        </Button>
      </View>
      {failure ? <ErrorBanner message={failure.message} code={failure.code} /> : null}
      {items === null && !failure ? <View className='muted'>加载中…</View> : null}
      {byPolicy(items ?? []).map((group) => (
        <View key={group.policyId} className='card' id={`policy-group-${group.policyId}`}>
          <Text className='section-title'>{group.title}</Text>
          {group.versions.map((version) => (
            <View
              key={version.id}
              id={`policy-version-${version.id}`}
              className='policy-row'
              role='link'
              onClick={() => open(`id=${encodeURIComponent(version.id)}`)}
            >
              <View className='policy-row-head'>
                <Text>{`版本 ${version.version}`}</Text>
                <PolicyStatusTag status={version.status} coversUntil={version.coversUntil} />
              </View>
              <View className='muted'>{`有效期 ${validityText(version)} · 作者 ${version.author.name}${version.approvedBy ? ` · 发布人 ${version.approvedBy.name}` : ''}`}</View>
              {version.coversUntil ? (
                <View className='muted'>{`已被 ${version.supersededBy ?? '新版本'} 取代；${version.effectiveFrom ?? ''} 至 ${version.coversUntil} 的就诊仍按这个版本计算`}</View>
              ) : null}
              {version.retireRequestedBy ? (
                <View className='fault-message' id={`retire-requested-${version.id}`}>
                  {`${version.retireRequestedBy.name} 申请停用，待另一位运维人员确认（确认前仍然有效）`}
                </View>
              ) : null}
              {version.faultCount > 0 ? (
                <View className='fault-message'>{`有 ${version.faultCount} 处格式错误待修改`}</View>
              ) : null}
            </View>
          ))}
          {group.versions.some((version) => version.status === 'published') ? (
            <Button
              id={`policy-copy-${group.policyId}`}
              className='secondary-button'
              onClick={() =>
                open(`from=${encodeURIComponent(group.versions.find((version) => version.status === 'published')!.id)}`)
              }
            >
              以已发布版本为底稿，写新版本
            </Button>
          ) : null}
        </View>
      ))}
      <Button id='go-home' className='secondary-button' onClick={() => void Taro.switchTab({ url: '/pages/me/index' })}>
        回到「我的」
      </Button>
    </PageShell>
  );
}
