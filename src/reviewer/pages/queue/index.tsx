/**
 * 经办审核 · 待办队列: claims in review, sorted by due date (overdue ones, due earliest, come first and
 * are marked), filtered by status, region and overdue. A row opens the claim.
 */
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { PageShell } from '../../../components/PageShell';
import type { ClaimStatus } from '../../../core/contracts/claimDraft';
import { formatYuan } from '../../../core/money';
import { dateFieldValue } from '../../../core/notifications';
import { samplePolicies } from '../../../core/policy';
import { claimStatusLabel } from '../../../core/statusLabels';
import { CloudError } from '../../../services/cloud';
import { reviewApi, type ReviewQueueFilter, type ReviewQueueItem } from '../../../services/review';
import { getDevUser, needsDevLogin } from '../../../services/session';
import { Chips, type ChipOption } from '../../components/Chips';
import './index.scss';

const PAGE_SIZE = 20;

type StatusFilter = ClaimStatus | 'open';
const statusOptions: ChipOption<StatusFilter>[] = [
  { value: 'open', label: '全部在办' },
  ...(['submitted', 'preliminaryPassed', 'reviewPassed', 'settled', 'verified', 'supplementRequested', 'paid', 'rejected'] as const).map((value) => ({ value, label: claimStatusLabel[value] })),
];

/** The regions the policies in the app know, each once. */
const regionOptions: ChipOption<string>[] = [
  { value: 'all', label: '全部地区' },
  ...[...new Map(samplePolicies.map((policy) => [policy.region, policy.regionName])).entries()].map(([value, label]) => ({ value, label })),
];
const regionName = (code: string | null): string => regionOptions.find((option) => option.value === code)?.label ?? code ?? '未知地区';

interface Filters {
  status: StatusFilter;
  region: string;
  overdue: boolean;
}

function queryOf(filters: Filters, page: number): ReviewQueueFilter {
  return {
    page,
    pageSize: PAGE_SIZE,
    ...(filters.status !== 'open' ? { status: filters.status } : {}),
    ...(filters.region !== 'all' ? { region: filters.region } : {}),
    ...(filters.overdue ? { overdue: true } : {}),
  };
}

/** Overdue first, then by due date (the server's order; kept stable across pages). */
function ordered(items: ReviewQueueItem[]): ReviewQueueItem[] {
  return [...items].sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueDate ?? '9').localeCompare(b.dueDate ?? '9'));
}

export default function ReviewQueuePage(): React.ReactNode {
  const [filters, setFilters] = useState<Filters>({ status: 'open', region: 'all', overdue: false });
  const [items, setItems] = useState<ReviewQueueItem[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<CloudError | null>(null);
  const current = useRef(filters);
  const user = needsDevLogin ? getDevUser() : null;

  async function load(next: Filters, nextPage = 1): Promise<void> {
    current.current = next;
    setLoading(true);
    try {
      const result = await reviewApi.queue(queryOf(next, nextPage));
      if (current.current !== next) return; // a newer filter is loading
      setItems((before) => ordered(nextPage === 1 ? result.items : [...before, ...result.items]));
      setTotal(result.total);
      setPage(nextPage);
      setFailure(null);
    } catch (error) {
      setFailure(error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message: '加载失败，请稍后再试' }));
    } finally {
      setLoading(false);
    }
  }

  function change(patch: Partial<Filters>): void {
    const next = { ...filters, ...patch };
    setFilters(next);
    void load(next);
  }

  useDidShow(() => void load(current.current));
  usePullDownRefresh(() => void load(current.current).finally(() => Taro.stopPullDownRefresh()));

  return (
    <PageShell className='review-queue'>
      {user ? <View className='muted'>{`当前经办人员：${user.name}`}</View> : null}
      <View className='card'>
        <Chips id='filter-status' label='状态' options={statusOptions} selected={[filters.status]} onToggle={(status) => change({ status })} />
        <Chips id='filter-region' label='统筹区' options={regionOptions} selected={[filters.region]} onToggle={(region) => change({ region })} />
        <Chips id='filter-overdue' label='时限' options={[{ value: 'yes', label: '只看已超期' }]} selected={filters.overdue ? ['yes'] : []} onToggle={() => change({ overdue: !filters.overdue })} multiple />
      </View>
      {failure ? <ErrorBanner message={failure.message} code={failure.code} /> : null}
      <View id='queue-total' className='muted queue-total'>
        {loading && items.length === 0 ? '加载中…' : `共 ${total} 件，按办结时限排序，已超期的排在最前`}
      </View>
      {!loading && !failure && items.length === 0 ? (
        <View id='queue-empty' className='card muted'>
          没有符合条件的申请
        </View>
      ) : null}
      {items.map((item) => (
        <View
          key={item.id}
          id={`queue-row-${item.id}`}
          className={`card queue-row ${item.overdue ? 'queue-row-overdue' : ''}`}
          role='link'
          onClick={() => void Taro.navigateTo({ url: `/reviewer/pages/claim/index?id=${item.id}` })}
        >
          <View className='queue-row-head'>
            <Text className='queue-row-title'>{item.title}</Text>
            {item.overdue ? <Text className='overdue-tag'>已超期</Text> : null}
          </View>
          <View className='queue-row-line'>
            <Text>{`申请人 ${item.ownerMasked || '—'}`}</Text>
            <Text className='queue-row-amount'>{formatYuan(item.amountFen)}</Text>
          </View>
          <View className='queue-row-line'>
            <Text className='status-tag'>{claimStatusLabel[item.status]}</Text>
            <Text className='muted'>{regionName(item.region)}</Text>
          </View>
          <View className={item.overdue ? 'overdue-text' : 'muted'}>{item.dueDate ? `办结时限 ${dateFieldValue(new Date(item.dueDate))}` : '未设办结时限'}</View>
        </View>
      ))}
      {items.length < total ? (
        <Button id='queue-more' className='secondary-button' loading={loading} onClick={() => void load(filters, page + 1)}>
          加载更多
        </Button>
      ) : null}
      {needsDevLogin ? (
        <Button id='open-dev-messages' className='secondary-button' onClick={() => void Taro.navigateTo({ url: '/pages/dev-messages/index' })}>
          查看模拟发送的订阅消息（本地）
        </Button>
      ) : null}
    </PageShell>
  );
}
