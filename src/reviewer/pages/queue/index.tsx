/**
 * 经办审核 · 待办队列: claims in review, sorted by due date (overdue ones, due earliest, come first and
 * are marked), filtered by status, region and overdue. A row opens the claim and shows its 预审:
 * what passed and what needs a look. The 可快速办理 tab lists the clean claims awaiting 初审: one
 * passes 初审 and 审核 after a confirmation restating it, several are passed together (each its own
 * audited step) after a confirmation, with every claim's outcome shown.
 */
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { PageShell } from '../../../components/PageShell';
import type { ClaimStatus } from '../../../core/contracts/claimDraft';
import type { FastPassOutcome } from '../../../core/contracts/review';
import { formatYuan, sumFen } from '../../../core/money';
import { samplePolicies } from '../../../core/policy';
import { CLOSED_WITHOUT_PAYMENT, claimStatusLabel, claimStatusText } from '../../../core/statusLabels';
import { CloudError } from '../../../services/cloud';
import { reviewApi, type ReviewQueueFilter, type ReviewQueueItem } from '../../../services/review';
import { getDevUser, needsDevLogin } from '../../../services/session';
import { Chips, type ChipOption } from '../../components/Chips';
import { Confirm } from '../../components/Confirm';
import { Failure, failureOf } from '../../components/Failure';
import { QueueSearch } from '../../components/QueueSearch';
import { Precheck } from '../../components/Precheck';
import { StaffNav } from '../../components/StaffNav';
import { filterSummaryOf, isFiltered } from './filterSummary';
import { rememberQueue } from '../../queue/queueOrder';
import { rowFactsOf } from './rowFacts';
import './index.scss';

const PAGE_SIZE = 20;

/** A status, all open ones, or 0 元 办结 (status paid, settled at 0): under 已支付 they were mixed with the paid. */
type StatusFilter = ClaimStatus | 'open' | 'closedWithoutPayment';
const statusOptions: ChipOption<StatusFilter>[] = [
  { value: 'open', label: '全部在办' },
  ...(
    ['submitted', 'preliminaryPassed', 'reviewPassed', 'settled', 'verified', 'supplementRequested', 'paid'] as const
  ).map((value) => ({ value, label: claimStatusLabel[value] })),
  { value: 'closedWithoutPayment', label: CLOSED_WITHOUT_PAYMENT },
  { value: 'rejected', label: claimStatusLabel.rejected },
];

/** The regions the policies in the app know, each once. */
const regionOptions: ChipOption<string>[] = [
  { value: 'all', label: '全部地区' },
  ...[...new Map(samplePolicies.map((policy) => [policy.region, policy.regionName])).entries()].map(
    ([value, label]) => ({ value, label }),
  ),
];
const regionName = (code: string | null): string =>
  regionOptions.find((option) => option.value === code)?.label ?? code ?? '未知地区';

const FILTER_DEFAULTS = { statusLabel: '全部在办', regionLabel: '全部地区' };

type Tab = 'all' | 'clean';
const tabOptions: ChipOption<Tab>[] = [
  { value: 'all', label: '全部在办' },
  { value: 'clean', label: '可快速办理' },
];

interface Filters {
  tab: Tab;
  status: StatusFilter;
  region: string;
  overdue: boolean;
  /** 查找申请 as typed: the claims it names, whatever their status, instead of the queue. */
  search: string | null;
}

function queryOf(filters: Filters, page: number): ReviewQueueFilter {
  if (filters.search !== null) return { page, pageSize: PAGE_SIZE, search: filters.search };
  if (filters.tab === 'clean')
    return {
      page,
      pageSize: PAGE_SIZE,
      status: 'submitted',
      clean: true,
      ...(filters.region !== 'all' ? { region: filters.region } : {}),
    };
  const status =
    filters.status === 'closedWithoutPayment'
      ? { status: 'paid' as const, settledAtZero: true }
      : filters.status === 'paid'
        ? { status: 'paid' as const, settledAtZero: false }
        : filters.status !== 'open'
          ? { status: filters.status }
          : {};
  return {
    page,
    pageSize: PAGE_SIZE,
    ...status,
    ...(filters.region !== 'all' ? { region: filters.region } : {}),
    ...(filters.overdue ? { overdue: true } : {}),
  };
}

/** A clean claim awaiting 初审: what 快速办理 may take. */
/** A claim that changed after the list was read (the list is read again right after). */
const CHANGED_SINCE = '这份申请在列表读出后有了变化（可能刚被更正或办理），列表已刷新，请打开它看清后再办理';

const fastPassable = (item: ReviewQueueItem): boolean => item.status === 'submitted' && item.precheck?.clean === true;

type Pending = { kind: 'one'; item: ReviewQueueItem } | { kind: 'many'; items: ReviewQueueItem[] };

/** Overdue first, then by due date (the server's order; kept stable across pages). */
function ordered(items: ReviewQueueItem[]): ReviewQueueItem[] {
  return [...items].sort(
    (a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueDate ?? '9').localeCompare(b.dueDate ?? '9'),
  );
}

export default function ReviewQueuePage(): React.ReactNode {
  const [filters, setFilters] = useState<Filters>({
    tab: 'all',
    status: 'open',
    region: 'all',
    overdue: false,
    search: null,
  });
  const [items, setItems] = useState<ReviewQueueItem[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<CloudError | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionFailure, setActionFailure] = useState<CloudError | null>(null);
  const [done, setDone] = useState<{ outcomes: FastPassOutcome[]; titles: Record<string, string> } | null>(null);
  /** The filters unfolded: folded they are one line, so the first claims show on the first screen. */
  const [filtersOpen, setFiltersOpen] = useState(false);
  const current = useRef(filters);
  // What a claim opened from here offers as 下一份.
  useEffect(() => rememberQueue(items), [items]);
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
      setFailure(
        error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message: '加载失败，请稍后再试' }),
      );
    } finally {
      setLoading(false);
    }
  }

  function change(patch: Partial<Filters>): void {
    const next = { ...filters, ...patch };
    setFilters(next);
    setSelected([]);
    setPending(null);
    void load(next);
  }

  function ask(next: Pending): void {
    setPending(next);
    setActionFailure(null);
    setDone(null);
  }

  /** The confirmed 快速办理: one claim or several, each its own audited step; every outcome shown. */
  async function confirmPending(): Promise<void> {
    if (!pending) return;
    const chosen = pending.kind === 'one' ? [pending.item] : pending.items;
    setBusy(true);
    setActionFailure(null);
    try {
      const seen = chosen.map((item) => ({ id: item.id, expectedStatus: item.status, expectedVersion: item.version }));
      let outcomes: FastPassOutcome[];
      if (pending.kind === 'one') {
        try {
          await reviewApi.fastPass(seen[0]!);
          outcomes = [{ id: chosen[0]!.id, ok: true }];
        } catch (error) {
          // The claim changed since the list was read: said as the batch says it, with the list read again (the
          // dialog stayed open, its 确认办理 failing the same way on every tap, with no way to refresh).
          if (failureOf(error).code !== 'CONFLICT') throw error;
          outcomes = [{ id: chosen[0]!.id, ok: false, code: 'CONFLICT' }];
        }
      } else {
        outcomes = await reviewApi.fastPassMany(seen);
      }
      outcomes = outcomes.map((outcome) =>
        outcome.code === 'CONFLICT' ? { ...outcome, message: CHANGED_SINCE } : outcome,
      );
      setDone({ outcomes, titles: Object.fromEntries(chosen.map((item) => [item.id, item.title])) });
      setPending(null);
      setSelected([]);
      await load(current.current);
    } catch (error) {
      setActionFailure(failureOf(error));
    } finally {
      setBusy(false);
    }
  }

  const choice = {
    tab: filters.tab,
    statusLabel: statusOptions.find((option) => option.value === filters.status)?.label ?? null,
    regionLabel: regionName(filters.region),
    overdue: filters.overdue,
  };
  const selectable = items.filter(fastPassable);
  const chosen = selectable.filter((item) => selected.includes(item.id));
  const toggle = (id: string): void =>
    setSelected((before) => (before.includes(id) ? before.filter((other) => other !== id) : [...before, id]));
  const confirmLines = (list: ReviewQueueItem[]): string[] =>
    list.length === 1
      ? [
          `申请：${list[0]!.title}`,
          `申报金额：${formatYuan(list[0]!.amountFen)}`,
          '将依次记录「初审通过」和「审核通过」两步，并写明预审通过的各项检查。',
        ]
      : [
          `共 ${list.length} 份申请，申报金额合计 ${formatYuan(sumFen(list.map((item) => item.amountFen)))}：`,
          ...list.map((item) => `${item.title}（${formatYuan(item.amountFen)}）`),
          '每份都会单独记录「初审通过」和「审核通过」。',
        ];

  useDidShow(() => void load(current.current));
  usePullDownRefresh(() => void load(current.current).finally(() => Taro.stopPullDownRefresh()));

  // A claimant who opened 待办 by its address: the refusal and the way home, not the staff's filters and search under it.
  if (failure?.code === 'FORBIDDEN')
    return (
      <PageShell className='review-queue'>
        <Failure error={failure} id='queue-forbidden' />
      </PageShell>
    );

  return (
    <PageShell className='review-queue'>
      {user ? <View className='muted'>{`当前经办人员：${user.name}`}</View> : null}
      <StaffNav current='queue' />
      <QueueSearch active={filters.search} onSearch={(search) => change({ search })} />
      {/* Filters narrow the queue; a search lists what it names, whatever their status. */}
      {filters.search === null ? (
        <View className='card queue-filters'>
          <Chips
            id='queue-tab'
            label='视图'
            options={tabOptions}
            selected={[filters.tab]}
            onToggle={(tab) => change({ tab })}
          />
          <View className='queue-filters-fold'>
            <Text
              id='queue-filters-summary'
              className={isFiltered(choice, FILTER_DEFAULTS) ? 'queue-filters-on' : 'muted'}
            >{`${isFiltered(choice, FILTER_DEFAULTS) ? '已筛选：' : '筛选：'}${filterSummaryOf(choice)}`}</Text>
            <Button
              id='queue-filters-toggle'
              className='secondary-button queue-filters-toggle'
              aria-expanded={filtersOpen}
              onClick={() => setFiltersOpen(!filtersOpen)}
            >
              {filtersOpen ? '收起筛选' : '更改筛选'}
            </Button>
          </View>
          {filtersOpen ? (
            <View id='queue-filters-open'>
              {filters.tab === 'all' ? (
                <Chips
                  id='filter-status'
                  label='状态'
                  options={statusOptions}
                  selected={[filters.status]}
                  onToggle={(status) => change({ status })}
                />
              ) : null}
              <Chips
                id='filter-region'
                label='统筹区'
                options={regionOptions}
                selected={[filters.region]}
                onToggle={(region) => change({ region })}
              />
              {filters.tab === 'all' ? (
                <Chips
                  id='filter-overdue'
                  label='时限'
                  options={[{ value: 'yes', label: '只看已超期' }]}
                  selected={filters.overdue ? ['yes'] : []}
                  onToggle={() => change({ overdue: !filters.overdue })}
                  multiple
                />
              ) : null}
            </View>
          ) : null}
        </View>
      ) : null}
      {failure ? <Failure error={failure} /> : null}
      <View id='queue-total' className='muted queue-total'>
        {loading && items.length === 0
          ? '加载中…'
          : filters.search !== null
            ? `查找「${filters.search.trim()}」：找到 ${total} 件（各种状态都在内）`
            : filters.tab === 'clean'
              ? `可快速办理 ${total} 件：预审全部通过、待初审的申请`
              : `共 ${total} 件，按办结时限排序，已超期的排在最前`}
      </View>
      {done ? (
        <View id='fast-pass-result' className='card notice'>
          <View className='section-title'>办理结果</View>
          {done.outcomes.map((outcome) => (
            <View
              key={outcome.id}
              id={`fast-pass-result-${outcome.id}`}
              className={outcome.ok ? 'fast-pass-ok' : 'fast-pass-refused'}
            >
              {outcome.ok
                ? `✓「${done.titles[outcome.id] ?? outcome.id}」已通过初审和审核。`
                : `✗「${done.titles[outcome.id] ?? outcome.id}」没有办理：${outcome.message ?? '请打开这份申请查看'}`}
            </View>
          ))}
        </View>
      ) : null}
      {filters.tab === 'clean' && selectable.length > 0 && !pending ? (
        <View className='card fast-pass-bar'>
          <View className='fast-pass-hint'>
            {chosen.length > 0
              ? `已选 ${chosen.length} 份，合计 ${formatYuan(sumFen(chosen.map((item) => item.amountFen)))}`
              : '勾选多份申请可一起办理'}
          </View>
          <View className='fast-pass-bar-actions'>
            <Button
              id='fast-pass-select-all'
              className='secondary-button'
              onClick={() => setSelected(chosen.length === selectable.length ? [] : selectable.map((item) => item.id))}
            >
              {chosen.length === selectable.length ? '全不选' : '全选'}
            </Button>
            <Button
              id='fast-pass-many'
              className='primary-button'
              disabled={chosen.length === 0}
              onClick={() => ask({ kind: 'many', items: chosen })}
            >
              {`一起快速办理（${chosen.length}）`}
            </Button>
          </View>
        </View>
      ) : null}
      {pending?.kind === 'many' ? (
        <Confirm
          id='fast-pass-confirm'
          title={`确认一起快速办理这 ${pending.items.length} 份申请？`}
          lines={confirmLines(pending.items)}
          confirmText='确认办理'
          busy={busy}
          failure={actionFailure}
          onConfirm={() => void confirmPending()}
          onCancel={() => setPending(null)}
        />
      ) : null}
      {!loading && !failure && items.length === 0 ? (
        <View id='queue-empty' className='card muted'>
          {filters.search !== null
            ? '没有找到。请核对编号或身份证号；按姓名查找时请写全名，与证件一致'
            : '没有符合条件的申请'}
        </View>
      ) : null}
      {items.map((item) => {
        const facts = rowFactsOf(item);
        return (
          <View
            key={item.id}
            id={`queue-row-${item.id}`}
            className={`card queue-row ${item.overdue ? 'queue-row-overdue' : ''}`}
            role='link'
            onClick={() => void Taro.navigateTo({ url: `/reviewer/pages/claim/index?id=${item.id}` })}
          >
            <View className='queue-row-facts'>
              <View className='queue-row-head'>
                <Text className='queue-row-title'>{item.title}</Text>
                {item.overdue ? <Text className='overdue-tag'>已超期</Text> : null}
              </View>
              <View className='queue-row-line'>
                {/* The insured person's name (masked): a claim filed for a family member is theirs, not the filer's. */}
                <Text>{`参保人 ${item.ownerMasked || '—'}`}</Text>
                <Text className='queue-row-amount' id={`queue-amount-${item.id}`}>
                  {facts.amount}
                </Text>
              </View>
              <View className='queue-row-line'>
                <Text className='status-tag'>{claimStatusText(item)}</Text>
                <Text className='muted'>{regionName(item.region)}</Text>
              </View>
              <View className='muted'>{facts.filed}</View>
              {facts.due ? <View className={item.overdue ? 'overdue-text' : 'muted'}>{facts.due}</View> : null}
              {/* Not this reviewer's next: said on the row (下一份 passes it over). */}
              {item.waitingFor ? (
                <View className='queue-row-waiting' id={`waiting-${item.id}`}>
                  {item.waitingFor}
                </View>
              ) : null}
            </View>
            <View className='queue-row-checks'>
              {facts.showPrecheck ? <Precheck id={`precheck-${item.id}`} result={item.precheck} /> : null}
              {fastPassable(item) ? (
                <View className='fast-pass-row' onClick={(event) => event.stopPropagation()}>
                  {filters.tab === 'clean' ? (
                    <View
                      id={`select-${item.id}`}
                      className={`checkbox-row fast-pass-select ${selected.includes(item.id) ? 'fast-pass-selected' : ''}`}
                      role='checkbox'
                      aria-checked={selected.includes(item.id)}
                      onClick={() => toggle(item.id)}
                    >
                      <View className={`checkbox-box ${selected.includes(item.id) ? 'checkbox-box-checked' : ''}`}>
                        {selected.includes(item.id) ? '✓' : ''}
                      </View>
                      <Text>选择</Text>
                    </View>
                  ) : null}
                  <Button
                    id={`fast-pass-${item.id}`}
                    className='secondary-button fast-pass-button'
                    onClick={() => ask({ kind: 'one', item })}
                  >
                    快速办理
                  </Button>
                </View>
              ) : null}
            </View>
            {pending?.kind === 'one' && pending.item.id === item.id ? (
              <View className='queue-row-confirm' onClick={(event) => event.stopPropagation()}>
                <Confirm
                  id='fast-pass-confirm'
                  title='确认快速办理这份申请？'
                  lines={confirmLines([item])}
                  confirmText='确认办理'
                  busy={busy}
                  failure={actionFailure}
                  onConfirm={() => void confirmPending()}
                  onCancel={() => setPending(null)}
                />
              </View>
            ) : null}
          </View>
        );
      })}
      {items.length < total ? (
        <Button
          id='queue-more'
          className='secondary-button'
          loading={loading}
          onClick={() => void load(filters, page + 1)}
        >
          加载更多
        </Button>
      ) : null}
      <Button id='go-home' className='secondary-button' onClick={() => void Taro.switchTab({ url: '/pages/me/index' })}>
        返回我的
      </Button>
      {needsDevLogin ? (
        <Button
          id='open-dev-messages'
          className='secondary-button'
          onClick={() => void Taro.navigateTo({ url: '/pages/dev-messages/index' })}
        >
          查看模拟发送的订阅消息（本地）
        </Button>
      ) : null}
    </PageShell>
  );
}
