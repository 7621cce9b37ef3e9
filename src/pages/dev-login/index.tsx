/** H5 only: choose one of the local server's dev identities (stands in for WeChat's OPENID). */
import { Button, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { PageShell } from '../../components/PageShell';
import { useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { setDevSession, type DevSessionUser } from '../../services/session';

interface DevUserOption {
  key: string;
  name: string;
  description: string;
}

export default function DevLoginPage(): React.ReactNode {
  const [users, setUsers] = useState<DevUserOption[]>([]);
  const [error, setError] = useState('');

  useLoad(() => {
    fetch('/api/dev/users')
      .then(
        async (response) =>
          (await response.json()) as { ok: boolean; data?: DevUserOption[]; error?: { message: string } },
      )
      .then((body) => {
        // Off (the server is not on loopback and DEV_LOGIN=1 was not given): the server says why.
        if (!body.ok || !body.data) setError(body.error?.message ?? '开发登录不可用');
        else setUsers(body.data);
      })
      .catch(() => setError('无法连接本地服务，请确认已运行 npm start'));
  });

  async function login(key: string): Promise<void> {
    try {
      const response = await fetch('/api/dev/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: key }),
      });
      const body = (await response.json()) as {
        ok: boolean;
        data?: { token: string; user: DevSessionUser };
        error?: { message: string };
      };
      if (!body.ok || !body.data) throw new Error(body.error?.message ?? '登录失败');
      setDevSession(body.data.token, body.data.user);
      // Staff start at the review queue (the reviewer subpackage); claimants at the home page.
      const staff = body.data.user.roles.some((role) => role === 'reviewer' || role === 'secondReviewer');
      await Taro.reLaunch({ url: staff ? '/reviewer/pages/queue/index' : '/pages/index/index' });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : '登录失败');
    }
  }

  return (
    <PageShell>
      <View className='muted'>这是本地体验环境。小程序里由微信自动识别身份，不需要这一步。</View>
      {error ? <ErrorBanner message={error} /> : null}
      {users.map((user) => (
        <View key={user.key} className='card'>
          <Text className='title'>{user.name}</Text>
          <View className='muted'>{user.description}</View>
          <Button id={`login-${user.key}`} className='secondary-button' onClick={() => void login(user.key)}>
            {`以${user.name}身份进入`}
          </Button>
        </View>
      ))}
    </PageShell>
  );
}
