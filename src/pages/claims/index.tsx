/** 我的报销: every claim with its status; a draft opens where it was left, the others open their detail. */
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { shanghaiDay } from '../../components/format';
import { PageShell } from '../../components/PageShell';
import { TextWithDays } from '../../components/TextWithDays';
import { deleteDraftAsked } from '../../components/deleteDraft';
import { openDraft } from '../../components/openDraft';
import { formatYuan } from '../../core/money';
import { claimStatusText, ORIGINALS_TO_HAND_IN } from '../../core/statusLabels';
import { claimsApi, type ClaimListItem } from '../../services/claims';
import { CloudError } from '../../services/cloud';

/** A withdrawn or rejected claim promises nothing: no 预计医保支付, no 预计…前办结 (a walk read both on a withdrawn one). */
const ended = (status: ClaimListItem['status']): boolean => status === 'withdrawn' || status === 'rejected';

export default function MyClaimsPage(): React.ReactNode {
  const [claims, setClaims] = useState<ClaimListItem[] | null>(null);
  const [failure, setFailure] = useState<CloudError | null>(null);
  const [notice, setNotice] = useState('');

  async function load(): Promise<void> {
    try {
      const page = await claimsApi.listMine(1);
      setClaims(page.items);
      setFailure(null);
    } catch (error) {
      setFailure(
        error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message: '加载失败，请下拉重试' }),
      );
    }
  }

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  async function open(claim: ClaimListItem): Promise<void> {
    if (claim.status !== 'draft') {
      await Taro.navigateTo({ url: `/claimant/pages/claim-detail/index?id=${claim.id}` });
      return;
    }
    const failed = await openDraft(claim.id);
    if (failed) setFailure(failed);
  }

  async function remove(claim: ClaimListItem): Promise<void> {
    const outcome = await deleteDraftAsked(claim);
    if (outcome === 'kept') return;
    if (outcome === 'deleted') {
      setNotice(`已删除草稿「${claim.title}」`);
      await load();
    } else setFailure(outcome);
  }

  return (
    <PageShell>
      {failure ? <ErrorBanner message={failure.message} code={failure.code} /> : null}
      {notice ? (
        <View className='notice notice-ok' id='claims-notice'>
          {notice}
        </View>
      ) : null}
      {claims === null && !failure ? <View className='muted'>加载中…</View> : null}
      {claims?.length === 0 ? (
        <View className='muted' id='claims-empty'>
          还没有报销申请。回到首页点「我要报销」开始。
        </View>
      ) : null}
      {claims?.map((claim) => (
        <View
          key={claim.id}
          className='card claim-card'
          role='button'
          id={`claim-${claim.id}`}
          onClick={() => void open(claim)}
        >
          <Text className='title'>{claim.title}</Text>
          <View>
            <Text className='status-tag'>{claimStatusText(claim)}</Text>
            {claim.originalsToSend ? (
              <Text className='status-tag status-tag-attention'>{ORIGINALS_TO_HAND_IN}</Text>
            ) : null}
            {claim.status === 'draft' ? <Text className='muted'>{'  点此继续填写'}</Text> : null}
            {/* What to do, as a draft says 点此继续填写 (a walk: 待补件 had the tag and nothing to tap for). */}
            {claim.status === 'supplementRequested' ? (
              <Text className='status-tag status-tag-attention' id={`claim-${claim.id}-supplement`}>
                点此补交材料
              </Text>
            ) : null}
          </View>
          <View className='summary-row'>
            <Text>{claim.status === 'draft' ? '最后修改' : '费用合计'}</Text>
            <Text className='summary-value'>
              {claim.status === 'draft' ? shanghaiDay(claim.updatedAt) : formatYuan(claim.amountFen)}
            </Text>
          </View>
          {claim.reviewedAmountFen !== null ? (
            <View className='summary-row'>
              <Text>审核核定费用</Text>
              <Text className='summary-value' id={`claim-${claim.id}-reviewed-amount`}>
                {formatYuan(claim.reviewedAmountFen)}
              </Text>
            </View>
          ) : null}
          {claim.paidFen !== null ? (
            <View className='summary-row'>
              {/* paidFen is the settled figure from 结算 on: 已支付 only once paid, and not for 0 元 (not 已到账: the
                  agency knows it sent the money, not when the bank credits it). */}
              <Text>
                {claim.status !== 'paid' ? '核定医保支付' : claim.paidFen === 0 ? '医保支付（没有款项到账）' : '已支付'}
              </Text>
              <Text className='summary-value'>{formatYuan(claim.paidFen)}</Text>
            </View>
          ) : claim.estimateFundFen !== null && !ended(claim.status) ? (
            <View className='summary-row'>
              <Text>{claim.estimateReviewed ? '审核后预计医保支付' : '预计医保支付'}</Text>
              <Text className='summary-value'>{formatYuan(claim.estimateFundFen)}</Text>
            </View>
          ) : null}
          {claim.status === 'draft' ? (
            <Button
              id={`claim-${claim.id}-delete`}
              className='secondary-button'
              onClick={(event) => {
                event.stopPropagation();
                void remove(claim);
              }}
            >
              删除这份草稿
            </Button>
          ) : null}
          {claim.submittedAt ? (
            <View className='muted'>
              <TextWithDays
                text={`提交于 ${shanghaiDay(claim.submittedAt)}${claim.dueDate && claim.status !== 'paid' && !ended(claim.status) ? `，预计 ${shanghaiDay(claim.dueDate)} 前办结` : ''}`}
              />
            </View>
          ) : null}
        </View>
      ))}
    </PageShell>
  );
}
