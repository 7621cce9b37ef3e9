/** 首页: 我要报销 (or continue the claim in progress, with its filing deadline), claims in progress, unread messages. */
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { PageShell } from '../../components/PageShell';
import { explainNotPutAside } from '../../components/putAsideDialog';
import { stepPages } from '../../components/draftRoutes';
import { draftSteps } from '../../core/draftSteps';
import { claimStatusText, ORIGINALS_TO_HAND_IN } from '../../core/statusLabels';
import { claimsApi, notificationsApi, type ClaimListItem } from '../../services/claims';
import { answerLargeType, largeTypeAsked } from '../../services/preferences';
import { getDevUser, needsDevLogin, type DevSessionUser } from '../../services/session';
import { loadDeferred } from './loadDeferred';
import { useHomeDraft } from './useHomeDraft';
import { homeFigures } from './homeFigures';
import { TextWithDays } from '../../components/TextWithDays';

export default function HomePage(): React.ReactNode {
  const [user, setUser] = useState<DevSessionUser | null>(null);
  const [active, setActive] = useState<ClaimListItem[]>([]);
  /** Drafts saved on the server that this device is not filling (begun on another phone, or before storage was cleared). */
  const [elsewhereDrafts, setElsewhereDrafts] = useState<ClaimListItem[]>([]);
  const [unread, setUnread] = useState(0);
  // The draft at once (from the device); its deadline once zod and the core have loaded, after the first paint (issue 13).
  const { draft, deadline } = useHomeDraft();
  const [askLargeType, setAskLargeType] = useState(() => !largeTypeAsked());
  const mustLogin = needsDevLogin && !user;

  useDidShow(() => {
    const current = getDevUser();
    setUser(current);
    if (needsDevLogin && !current) return;
    claimsApi
      .listMine(1, 'active')
      .then((page) => {
        setActive(page.items.filter((claim) => claim.status !== 'draft').slice(0, 5));
        setElsewhereDrafts(page.items.filter((claim) => claim.status === 'draft'));
      })
      .catch(() => setActive([]));
    notificationsApi
      .unreadCount()
      .then(({ unread: count }) => {
        setUnread(count);
        if (count > 0) void Taro.setTabBarBadge({ index: 2, text: String(Math.min(count, 99)) }).catch(() => undefined);
        else void Taro.removeTabBarBadge({ index: 2 }).catch(() => undefined);
      })
      .catch(() => undefined);
  });

  const inProgress = draft && (draft.step !== 'guide' || draft.guide.scenario);

  function startClaim(fresh: boolean): void {
    void Taro.navigateTo({ url: `/claimant/pages/claim-new/index${fresh ? '?fresh=1' : ''}` });
  }

  /**
   * Starting again puts the claim in progress aside (it stays in 我的报销): asked first, never on one
   * tap, and only once it is saved with every photo (else a dialog says what to wait for).
   */
  async function confirmStartAgain(hospitalName: string): Promise<void> {
    const deferred = await loadDeferred().catch(() => null);
    const blocker = deferred
      ? await deferred.whyNotPutAside('startAgain')
      : '网络不太好，页面还没加载完，没能确认正在填的那一份已经保存。请稍后再点一次。';
    if (blocker) {
      await explainNotPutAside(blocker);
      return;
    }
    await Taro.showModal({
      title: '重新开始一份新的报销？',
      content: `没填完的${hospitalName ? `「${hospitalName}」` : '那一份'}会留在「我的报销」里，以后可以接着填。`,
      confirmText: '重新开始',
      cancelText: '取消',
    })
      .then((answer) => {
        if (answer.confirm) startClaim(true);
      })
      .catch(() => undefined);
  }

  function chooseLargeType(enabled: boolean): void {
    answerLargeType(enabled);
    setAskLargeType(false);
    // Every page reads the choice when it shows: start again from 首页 so this one shows it too.
    if (enabled) void Taro.reLaunch({ url: '/pages/index/index' });
  }

  return (
    <PageShell>
      {askLargeType ? (
        <View className='card' id='large-type-offer'>
          <Text className='section-title'>字太小看不清？</Text>
          <View className='muted'>可以把所有页面的字和按钮调大。以后也可以在「我的 → 大字模式」里改。</View>
          <View className='row' style={{ marginTop: '16px' }}>
            <Button id='large-type-yes' className='primary-button row-grow' onClick={() => chooseLargeType(true)}>
              用大字
            </Button>
            <Button id='large-type-no' className='secondary-button row-grow' onClick={() => chooseLargeType(false)}>
              不用了
            </Button>
          </View>
        </View>
      ) : null}
      <View className='card'>
        <Text className='title'>医保手工报销，一步步带您办</Text>
        <View className='muted'>
          异地就医未结算、医院系统故障、社保卡异常、急诊未带卡……先垫付了医药费？拍下票据，我们帮您算清能报多少、该交哪些材料，并随时告诉您办到哪一步。
        </View>
      </View>
      {needsDevLogin ? (
        <View className='card' id='dev-identity'>
          <Text>{user ? `当前测试账号：${user.name}` : '本地体验版：请先选择一个测试账号'}</Text>
          <Button className='secondary-button' onClick={() => void Taro.navigateTo({ url: '/pages/dev-login/index' })}>
            {user ? '切换账号' : '选择测试账号'}
          </Button>
        </View>
      ) : null}
      {inProgress && !mustLogin ? (
        <View className='card' id='draft-in-progress'>
          <Text className='section-title'>{`没填完的申请：${draft.hospital.name || '未填写医院'}`}</Text>
          <View className='muted'>{`上次填到「${draftSteps.find((step) => step.key === draft.step)?.label ?? ''}」，内容都已保存`}</View>
          {deadline ? (
            <View className={`notice ${deadline.filing.status === 'ok' ? 'notice-ok' : ''}`} id='home-deadline'>
              <TextWithDays text={deadline.text} />
            </View>
          ) : null}
          <Button
            id='continue-claim'
            className='primary-button'
            onClick={() => void Taro.navigateTo({ url: stepPages[draft.step] })}
          >
            继续填写
          </Button>
        </View>
      ) : null}
      {/* A new phone, or cleared storage: the drafts are on the server, offered here before 我要报销 starts another (a
       walk: only 我要报销 was offered, and a duplicate was one tap away). */}
      {!mustLogin && elsewhereDrafts.some((claim) => claim.id !== draft?.serverId) ? (
        <View className='card' id='home-server-drafts'>
          <Text className='section-title'>
            {`还有 ${elsewhereDrafts.filter((claim) => claim.id !== draft?.serverId).length} 份没填完的申请已保存`}
          </Text>
          <View className='muted'>在「我的报销」里点开就能接着填，不用重新开始。</View>
          <Button
            id='home-server-drafts-open'
            className='secondary-button'
            onClick={() => void Taro.switchTab({ url: '/pages/claims/index' })}
          >
            去「我的报销」接着填
          </Button>
        </View>
      ) : null}
      <Button
        id='start-claim'
        className={inProgress ? 'secondary-button' : 'primary-button'}
        disabled={mustLogin}
        onClick={() => (inProgress ? void confirmStartAgain(draft.hospital.name) : startClaim(false))}
      >
        {inProgress ? '重新开始一份报销' : '我要报销'}
      </Button>
      <Button
        id='my-claims'
        className='secondary-button'
        disabled={mustLogin}
        onClick={() => void Taro.switchTab({ url: '/pages/claims/index' })}
      >
        我的报销
      </Button>
      {unread > 0 ? (
        <View
          className='card'
          id='home-unread'
          style={{ marginTop: '24px' }}
          onClick={() => void Taro.switchTab({ url: '/pages/messages/index' })}
        >
          <Text className='unread-dot' />
          <Text>{`有 ${unread} 条新消息，点此查看`}</Text>
        </View>
      ) : null}
      {active.length > 0 ? (
        <View className='card' id='home-active' style={{ marginTop: '24px' }}>
          <View className='section-title'>正在办理</View>
          {active.map((claim) => (
            <View
              key={claim.id}
              className='list-row'
              role='button'
              onClick={() => void Taro.navigateTo({ url: `/claimant/pages/claim-detail/index?id=${claim.id}` })}
            >
              <View>{claim.title}</View>
              <Text className='status-tag'>{claimStatusText(claim)}</Text>
              {claim.originalsToSend ? (
                <Text className='status-tag status-tag-attention'>{ORIGINALS_TO_HAND_IN}</Text>
              ) : null}
              {/* Each amount named: 11,358.66 元 alone read as what the fund pays (a walk; it was the bill). */}
              <View className='muted' id={`home-figures-${claim.id}`}>
                {homeFigures(claim)}
              </View>
            </View>
          ))}
        </View>
      ) : null}
      <View
        className='muted'
        style={{ marginTop: '32px' }}
        onClick={() => void Taro.navigateTo({ url: '/claimant/pages/help/index' })}
      >
        医保服务热线 12393 · 社保 12333 · 政务服务 12345 · 更多帮助
      </View>
    </PageShell>
  );
}
