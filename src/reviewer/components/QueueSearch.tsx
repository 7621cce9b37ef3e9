/**
 * 查找申请 at the top of the queue: a 申请编号 a caller reads out, the 参保人's name or 身份证号 (their claims, listed
 * by the queue page), or the 邮寄编号 written on an envelope of paper originals, which opens its claim at once to
 * register them. What is typed is read as the server reads it (src/core/queueSearch.ts): a typo is said here.
 */
import { Button, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { TextField } from '../../components/Field';
import { readQueueSearch } from '../../core/queueSearch';
import { reviewApi } from '../../services/review';
import { Failure, failureOf } from './Failure';

interface QueueSearchProps {
  /** The search the queue lists now (null: the queue itself). */
  active: string | null;
  /** Lists the claims a search names (null: back to the queue). */
  onSearch: (text: string | null) => void;
}

export function QueueSearch({ active, onSearch }: QueueSearchProps): React.ReactNode {
  const [text, setText] = useState(active ?? '');
  const [problem, setProblem] = useState<{ message: string; code: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function find(): Promise<void> {
    const read = readQueueSearch(text);
    if (!read.ok) {
      setProblem({ message: read.message, code: 'VALIDATION_FAILED' });
      return;
    }
    setProblem(null);
    if (read.search.kind !== 'mailCode') {
      onSearch(text);
      return;
    }
    setBusy(true);
    try {
      const page = await reviewApi.queue({ search: text });
      const claim = page.items[0];
      if (!claim) {
        setProblem({
          message: `没有找到邮寄编号为 ${read.search.value} 的申请，请核对信封上的编号`,
          code: 'NOT_FOUND',
        });
        return;
      }
      await Taro.navigateTo({ url: `/reviewer/pages/claim/index?id=${claim.id}` });
    } catch (error) {
      setProblem(failureOf(error));
    } finally {
      setBusy(false);
    }
  }

  function clear(): void {
    setText('');
    setProblem(null);
    onSearch(null);
  }

  return (
    <View className='card' id='queue-search-card'>
      <TextField
        id='queue-search'
        label='查找申请：申请编号、参保人姓名或身份证号；收到纸质原件时填信封上的邮寄编号'
        value={text}
        placeholder='例如 YB3F9A0C21D4、王秀英'
        maxlength={40}
        onChange={setText}
        // Enter searches, as the 查找 button does (a desk walk pressed Enter and nothing happened).
        confirmType='search'
        onConfirm={() => void find()}
      />
      {problem ? <Failure id='queue-search-problem' error={problem} /> : null}
      <Button
        id='queue-search-go'
        className='secondary-button'
        loading={busy}
        disabled={busy}
        onClick={() => void find()}
      >
        查找
      </Button>
      {active !== null ? (
        <Button id='queue-search-clear' className='secondary-button' onClick={clear}>
          清除查找，回到待办列表
        </Button>
      ) : null}
    </View>
  );
}
