import { Button, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { PageShell } from '../../components/PageShell';
import { call } from '../../services/cloud';
import { isLargeType, setLargeType } from '../../services/preferences';
import { getDevUser, needsDevLogin } from '../../services/session';

export default function MePage(): React.ReactNode {
  const [large, setLarge] = useState(isLargeType);
  const user = needsDevLogin ? getDevUser() : null;
  // Staff (by the `staff` collection) get the way to the reviewer pages; the server checks roles again on every action.
  const [reviewer, setReviewer] = useState(false);
  const [operator, setOperator] = useState(false);
  useEffect(() => {
    let alive = true;
    call<{ reviewer: boolean; operator: boolean }>('me', 'whoami', {})
      .then((me) => {
        if (!alive) return;
        setReviewer(me.reviewer);
        setOperator(me.operator);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);

  function toggleLargeType(enabled: boolean): void {
    setLargeType(enabled);
    setLarge(enabled);
    // Re-open this page so the new size applies here at once; other pages re-read it when shown.
    void Taro.reLaunch({ url: '/pages/me/index' });
  }

  return (
    <PageShell>
      <View className='card'>
        <View className='switch-row'>
          <Text id='large-type-label'>大字模式（字更大、按钮更大）</Text>
          <Switch
            id='large-type-switch'
            aria-labelledby='large-type-label'
            checked={large}
            color='#07a35a'
            onChange={(event) => toggleLargeType(event.detail.value)}
          />
        </View>
      </View>
      {reviewer ? (
        <View className='card'>
          <Text>您是经办人员，可以处理报销审核。</Text>
          <Button
            id='reviewer-entry'
            className='primary-button'
            onClick={() => void Taro.navigateTo({ url: '/reviewer/pages/queue/index' })}
          >
            审核工作台
          </Button>
          <Button
            id='payments-entry'
            className='secondary-button'
            onClick={() => void Taro.navigateTo({ url: '/reviewer/pages/payments/index' })}
          >
            支付批次
          </Button>
          <Button
            id='dashboard-entry'
            className='secondary-button'
            onClick={() => void Taro.navigateTo({ url: '/reviewer/pages/dashboard/index' })}
          >
            统计看板
          </Button>
        </View>
      ) : null}
      {operator ? (
        <View className='card'>
          <Text>您是运维人员，可以维护报销政策：上传新版本、试算案例、查看差异，由另一位运维人员复核发布。</Text>
          <Button
            id='policies-entry'
            className='primary-button'
            onClick={() => void Taro.navigateTo({ url: '/reviewer/pages/policies/index' })}
          >
            政策管理
          </Button>
        </View>
      ) : null}
      {needsDevLogin ? (
        <View className='card'>
          <Text>{user ? `当前测试账号：${user.name}` : '未选择测试账号'}</Text>
          <Button className='secondary-button' onClick={() => void Taro.navigateTo({ url: '/pages/dev-login/index' })}>
            切换测试账号
          </Button>
        </View>
      ) : null}
      <Button
        id='family-entry'
        className='secondary-button'
        onClick={() => void Taro.navigateTo({ url: '/claimant/pages/family/index' })}
      >
        家庭成员
      </Button>
      <Button className='secondary-button' onClick={() => void Taro.navigateTo({ url: '/claimant/pages/help/index' })}>
        帮助与咨询电话
      </Button>
    </PageShell>
  );
}
