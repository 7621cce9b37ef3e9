/** 按邮寄编号找申请: the code written on an envelope of paper originals opens its claim, to register them. */
import { Button, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { TextField } from '../../components/Field';
import { reviewQueueInputSchema } from '../../core/contracts/review';
import { reviewApi } from '../../services/review';
import { Failure, failureOf } from './Failure';

export function MailCodeSearch(): React.ReactNode {
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<{ message: string; code: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function find(): Promise<void> {
    const parsed = reviewQueueInputSchema.shape.mailCode.safeParse(code);
    if (!parsed.success || !parsed.data) {
      setProblem({
        message: parsed.success ? '请填写信封上的邮寄编号' : (parsed.error.issues[0]?.message ?? '邮寄编号格式不正确'),
        code: 'VALIDATION_FAILED',
      });
      return;
    }
    setBusy(true);
    try {
      const page = await reviewApi.queue({ mailCode: parsed.data });
      const claim = page.items[0];
      if (!claim) {
        setProblem({ message: `没有找到邮寄编号为 ${parsed.data} 的申请，请核对信封上的编号`, code: 'NOT_FOUND' });
        return;
      }
      setProblem(null);
      await Taro.navigateTo({ url: `/reviewer/pages/claim/index?id=${claim.id}` });
    } catch (error) {
      setProblem(failureOf(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='card' id='mail-code-search'>
      <TextField
        id='queue-mail-code'
        label='收到纸质原件？按信封上的邮寄编号查找'
        value={code}
        placeholder='例如 YB7K3Q2M'
        maxlength={12}
        onChange={setCode}
      />
      {problem ? <Failure error={problem} /> : null}
      <Button
        id='queue-mail-code-search'
        className='secondary-button'
        loading={busy}
        disabled={busy}
        onClick={() => void find()}
      >
        查找并登记原件
      </Button>
    </View>
  );
}
