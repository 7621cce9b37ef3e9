import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useRef, useState } from 'react';
import { claimDraftInputSchema } from '../../core/contracts/claimDraft';
import { parseYuan } from '../../core/money';
import { zodIssues } from '../../core/validation';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageShell } from '../../components/PageShell';
import { CloudError, newRequestId } from '../../services/cloud';
import { claimsApi } from '../../services/claims';

type FieldErrors = Partial<Record<'title' | 'amount', string>>;

export default function NewClaimPage(): React.ReactNode {
  const [title, setTitle] = useState('');
  const [amountText, setAmountText] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<CloudError | null>(null);
  const [saving, setSaving] = useState(false);
  // One request id per intended claim: a double tap or a retry after a timeout makes one draft.
  const requestId = useRef(newRequestId());

  async function save(): Promise<void> {
    const nextErrors: FieldErrors = {};
    const amount = parseYuan(amountText);
    if (!amount.ok) nextErrors.amount = amount.message;
    const parsed = claimDraftInputSchema.safeParse({ title, amountFen: amount.ok ? amount.fen : 0 });
    if (!parsed.success) {
      for (const issue of zodIssues(parsed.error)) {
        if (issue.path === 'title') nextErrors.title = issue.message;
        if (issue.path === 'amountFen' && !nextErrors.amount) nextErrors.amount = issue.message;
      }
    }
    setErrors(nextErrors);
    if (Object.keys(nextErrors).length > 0 || !parsed.success) return;
    setSaving(true);
    setFailure(null);
    try {
      await claimsApi.createDraft(parsed.data, requestId.current);
      await Taro.switchTab({ url: '/pages/claims/index' });
    } catch (error) {
      setFailure(error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message: '保存失败，请重试' }));
    } finally {
      setSaving(false);
    }
  }

  return (
    <PageShell>
      {failure ? <ErrorBanner message={failure.message} code={failure.code} /> : null}
      <View className='field'>
        <Text className='field-label'>报销标题</Text>
        <Input id='claim-title' className='field-input' value={title} maxlength={40} placeholder='例如：北京协和医院门诊' onInput={(event) => setTitle(event.detail.value)} />
        {errors.title ? <View className='field-error'>{errors.title}</View> : null}
      </View>
      <View className='field'>
        <Text className='field-label'>票据总金额（元）</Text>
        <Input id='claim-amount' className='field-input' type='digit' value={amountText} placeholder='例如 1280.50' onInput={(event) => setAmountText(event.detail.value)} />
        {errors.amount ? <View className='field-error'>{errors.amount}</View> : null}
      </View>
      <Button id='save-draft' className='primary-button' loading={saving} disabled={saving} onClick={() => void save()}>
        保存草稿
      </Button>
    </PageShell>
  );
}
