import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { PageShell } from '../../components/PageShell';
import { useState } from 'react';
import { getDevUser, needsDevLogin, type DevSessionUser } from '../../services/session';

export default function HomePage(): React.ReactNode {
  const [user, setUser] = useState<DevSessionUser | null>(null);
  useDidShow(() => setUser(getDevUser()));
  const mustLogin = needsDevLogin && !user;

  return (
    <PageShell>
      <View className='card'>
        <Text className='title'>医保手工报销，一步步带您办</Text>
        <View className='muted'>异地就医未结算、医院系统故障、社保卡异常、急诊未带卡……先垫付了医药费？拍下票据，我们帮您算清能报多少、该交哪些材料，并随时告诉您办到哪一步。</View>
      </View>
      {needsDevLogin ? (
        <View className='card' id='dev-identity'>
          <Text>{user ? `当前测试账号：${user.name}` : '本地体验版：请先选择一个测试账号'}</Text>
          <Button className='secondary-button' onClick={() => void Taro.navigateTo({ url: '/pages/dev-login/index' })}>
            {user ? '切换账号' : '选择测试账号'}
          </Button>
        </View>
      ) : null}
      <Button id='start-claim' className='primary-button' disabled={mustLogin} onClick={() => void Taro.navigateTo({ url: '/pages/claim-new/index' })}>
        我要报销
      </Button>
      <Button id='my-claims' className='secondary-button' disabled={mustLogin} onClick={() => void Taro.switchTab({ url: '/pages/claims/index' })}>
        我的报销
      </Button>
      <View className='muted' style={{ marginTop: '32px' }}>
        医保服务热线 12393 · 社保 12333 · 政务服务 12345
      </View>
    </PageShell>
  );
}
