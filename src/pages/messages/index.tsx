/** 消息: in-app notification cards (status, claim, amount, time, unread dot); a tap marks it read and opens the claim. */
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { shanghaiDateTime } from '../../components/format';
import { PageShell } from '../../components/PageShell';
import { formatYuan } from '../../core/money';
import { cardAmountLabel } from '../../core/notifications';
import { notificationsApi, type NotificationCard } from '../../services/claims';
import { CloudError } from '../../services/cloud';

function showBadge(unread: number): void {
  if (unread > 0) void Taro.setTabBarBadge({ index: 2, text: String(Math.min(unread, 99)) }).catch(() => undefined);
  else void Taro.removeTabBarBadge({ index: 2 }).catch(() => undefined);
}

export default function MessagesPage(): React.ReactNode {
  const [cards, setCards] = useState<NotificationCard[] | null>(null);
  const [total, setTotal] = useState(0);
  const [pagesLoaded, setPagesLoaded] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const [unread, setUnread] = useState(0);
  const [failure, setFailure] = useState<CloudError | null>(null);

  function failed(error: unknown, message: string): void {
    setFailure(error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message }));
  }

  async function load(): Promise<void> {
    try {
      const page = await notificationsApi.list(1);
      setCards(page.items);
      setTotal(page.total);
      setPagesLoaded(1);
      setUnread(page.unread);
      showBadge(page.unread);
      setFailure(null);
    } catch (error) {
      failed(error, '加载失败，请下拉重试');
    }
  }

  /** The next page of older cards, after those shown (a card that arrived meanwhile moves them on: shown once). */
  async function loadMore(): Promise<void> {
    setLoadingMore(true);
    try {
      const page = await notificationsApi.list(pagesLoaded + 1);
      setCards((previous) => {
        const shown = new Set((previous ?? []).map((card) => card.id));
        return [...(previous ?? []), ...page.items.filter((card) => !shown.has(card.id))];
      });
      setTotal(page.total);
      setPagesLoaded(page.page);
      setUnread(page.unread);
      showBadge(page.unread);
      setFailure(null);
    } catch (error) {
      failed(error, '更早的消息没有加载出来，请再点一次“显示更早的消息”');
    } finally {
      setLoadingMore(false);
    }
  }

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  function markLocally(ids: string[]): void {
    setCards((previous) => previous?.map((card) => (ids.includes(card.id) ? { ...card, read: true } : card)) ?? null);
    setUnread((count) => {
      const next = Math.max(0, count - ids.length);
      showBadge(next);
      return next;
    });
  }

  function open(card: NotificationCard): void {
    if (!card.read) {
      markLocally([card.id]);
      void notificationsApi.markRead([card.id]).catch(() => undefined);
    }
    void Taro.navigateTo({ url: `/claimant/pages/claim-detail/index?id=${card.claimId}` });
  }

  /** Every unread card, those not loaded yet too (the server marks them all); a failure says so and shows the truth. */
  async function markAll(): Promise<void> {
    setCards((previous) => previous?.map((card) => ({ ...card, read: true })) ?? null);
    setUnread(0);
    showBadge(0);
    try {
      await notificationsApi.markAllRead();
    } catch (error) {
      failed(error, '没能全部标为已读，请下拉刷新后再试');
      await load();
    }
  }

  return (
    <PageShell>
      {failure ? <ErrorBanner message={failure.message} code={failure.code} /> : null}
      {cards === null && !failure ? <View className='muted'>加载中…</View> : null}
      {cards?.length === 0 ? (
        <View className='muted' id='messages-empty'>
          还没有消息。申请提交后，受理、审核结果和到账都会在这里通知您。
        </View>
      ) : null}
      {unread > 0 ? (
        <Button
          id='mark-all-read'
          className='secondary-button'
          onClick={() => void markAll()}
          style={{ marginBottom: '24px' }}
        >
          {`全部标为已读（${unread} 条未读）`}
        </Button>
      ) : null}
      {cards?.map((card) => (
        <View
          key={card.id}
          className='card'
          role='button'
          id={`message-${card.id}`}
          data-read={card.read}
          onClick={() => open(card)}
        >
          <View>
            {!card.read ? <Text className='unread-dot' aria-label='未读' /> : null}
            <Text className='section-title'>{card.title}</Text>
          </View>
          <View>{card.body}</View>
          {card.amountFen !== null ? (
            <View className='summary-row'>
              <Text>{cardAmountLabel(card.status, card.amountFen)}</Text>
              <Text className='summary-value'>{formatYuan(card.amountFen)}</Text>
            </View>
          ) : null}
          <View className='muted'>{shanghaiDateTime(card.createdAt)}</View>
        </View>
      ))}
      {cards && cards.length < total ? (
        <Button id='messages-more' className='secondary-button' loading={loadingMore} onClick={() => void loadMore()}>
          <Text>{`显示更早的消息（还有 ${total - cards.length} 条）`}</Text>
        </Button>
      ) : null}
    </PageShell>
  );
}
