/**
 * H5 only (local cloud): the WeChat subscribe messages the recording sender "sent", newest first —
 * what `subscribeMessage.send` would have delivered in the mini-program.
 */
import { Button, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageShell } from '../../components/PageShell';
import type { SentMessage } from '../../core/contracts/views';
import { timeFieldValue } from '../../core/notifications';
import { getDevToken } from '../../services/session';

export default function DevMessagesPage(): React.ReactNode {
  const [messages, setMessages] = useState<SentMessage[] | null>(null);
  const [error, setError] = useState('');

  async function load(): Promise<void> {
    try {
      // Every user's messages: the server shows them to staff only (reviewer, second reviewer, operator).
      const token = getDevToken();
      const response = await fetch('/api/dev/sent-messages', {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      const body = (await response.json()) as { ok: boolean; data?: SentMessage[]; error?: { message: string } };
      if (!body.ok || !body.data) throw new Error(body.error?.message ?? '读取失败');
      setMessages(body.data);
      setError('');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : '无法连接本地服务，请确认已运行 npm start');
    }
  }

  useDidShow(() => void load());

  return (
    <PageShell>
      <View className='muted'>
        本地体验环境不会真的发送微信订阅消息，这里列出本应发送的内容（最近 100 条，仅经办人员可见）。
      </View>
      {error ? <ErrorBanner message={error} /> : null}
      <Button id='refresh-messages' className='secondary-button' onClick={() => void load()}>
        刷新
      </Button>
      {messages && messages.length === 0 ? (
        <View id='messages-empty' className='card muted'>
          还没有发送过订阅消息
        </View>
      ) : null}
      {(messages ?? []).map((message) => (
        <View key={message._id} className='card dev-message'>
          <Text className='title'>{`发给 ${message.touser}`}</Text>
          <View className='muted'>{`${timeFieldValue(new Date(message.sentAt))}　模板 ${message.templateId}`}</View>
          {Object.entries(message.data).map(([key, field]) => (
            <View key={key} className='list-row'>
              <Text className='muted'>{`${key}：`}</Text>
              <Text>{field.value}</Text>
            </View>
          ))}
          <View className='muted'>{`点开进入：${message.page}`}</View>
        </View>
      ))}
    </PageShell>
  );
}
