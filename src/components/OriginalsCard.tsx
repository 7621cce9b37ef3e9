/**
 * 纸质原件 on the claim page: the 邮寄编号 to write on the envelope and the address; once the originals
 * are on their way, the tracking number (邮寄) or the day (自送) is recorded here — until then the
 * claim shows 待寄出原件. After the agency registers them, only that fact is shown.
 */
import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { ChoiceChips } from './ChoiceChips';
import { ErrorBanner } from './ErrorBanner';
import { TextField } from './Field';
import { normaliseDateInput } from '../core/claimFormDraft';
import { shanghaiDate } from '../core/deadline';
import { deliveryText, originalsSentSchema } from '../core/workflow';
import { claimsApi, type ClaimDetail } from '../services/claims';
import { CloudError } from '../services/cloud';

export function OriginalsCard({
  claim,
  onSaved,
}: {
  claim: ClaimDetail;
  onSaved: () => Promise<void>;
}): React.ReactNode {
  const [method, setMethod] = useState<'mail' | 'inPerson'>(claim.originals?.method ?? 'mail');
  const [trackingNumber, setTrackingNumber] = useState(claim.originals?.trackingNumber ?? '');
  const [date, setDate] = useState(claim.originals?.date ?? shanghaiDate(new Date()));
  const [problem, setProblem] = useState<{ message: string; code?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!claim.paperOriginalsRequired) return null;
  const sent = claim.originals?.trackingNumber
    ? `已邮寄，快递单号 ${claim.originals.trackingNumber}`
    : claim.originals?.date
      ? deliveryText(claim.originals.date, shanghaiDate(new Date()))
      : '';
  const canRecord = claim.actions.includes('recordOriginalsSent');

  async function save(): Promise<void> {
    const parsed = originalsSentSchema.safeParse(
      method === 'mail' ? { method, trackingNumber } : { method, date: normaliseDateInput(date) },
    );
    if (!parsed.success) {
      setProblem({ message: parsed.error.issues[0]?.message ?? '请检查填写的内容' });
      return;
    }
    setBusy(true);
    try {
      await claimsApi.recordOriginalsSent({ id: claim.id, originalsSent: parsed.data });
      setProblem(null);
      await onSaved();
    } catch (error) {
      setProblem(
        error instanceof CloudError
          ? { message: error.message, code: error.code }
          : { message: '网络不太好，没能保存，请稍后再试' },
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className='card' id='originals-card'>
      <View className='section-title'>纸质原件</View>
      {claim.paperOriginalsReceived ? (
        <View className='notice notice-ok' id='originals-received'>
          经办机构已收到纸质原件。
        </View>
      ) : (
        <>
          {claim.mailCode ? (
            <View className='summary-row'>
              {/* 自送 is handed in, not posted: the code goes on what is handed in (a walk read 写在信封上 for 自己送去). */}
              <View className='summary-label'>
                {claim.originals?.method === 'inPerson' ? '原件编号（写在材料袋上）' : '邮寄编号（请写在信封上）'}
              </View>
              <View className='summary-value big-code' id='mail-code'>
                {claim.mailCode}
              </View>
            </View>
          ) : null}
          {sent ? (
            <View className='notice notice-ok' id='originals-sent'>
              {`${sent}。经办机构收到后会登记，并在「消息」里通知您。`}
            </View>
          ) : (
            <View className='notice' id='originals-to-send'>
              {claim.originals?.method === 'inPerson'
                ? '还没有登记送交。送去后请在这里填写送交日期，经办机构收到原件后才能结算。'
                : '还没有登记寄出。寄出（或送达）后请在这里填写快递单号或日期，经办机构收到原件后才能结算。'}
            </View>
          )}
        </>
      )}
      {canRecord ? (
        <View id='originals-form'>
          <ChoiceChips
            id='originals-sent'
            label='原件怎么交'
            value={method}
            options={[
              { value: 'mail', label: '邮寄' },
              { value: 'inPerson', label: '自己送去' },
            ]}
            onChange={setMethod}
          />
          {method === 'mail' ? (
            <TextField
              id='tracking-number'
              label='快递单号'
              value={trackingNumber}
              placeholder='快递底单上的单号'
              maxlength={40}
              onChange={setTrackingNumber}
            />
          ) : (
            <TextField
              id='handed-date'
              label='送达日期'
              value={date}
              placeholder='例如 2026-11-03'
              maxlength={12}
              onChange={setDate}
            />
          )}
          {problem ? <ErrorBanner message={problem.message} code={problem.code} /> : null}
          <Button
            id='originals-save'
            className='primary-button'
            loading={busy}
            disabled={busy}
            onClick={() => void save()}
          >
            <Text>
              {method === 'mail' ? (sent ? '更新寄出信息' : '保存寄出信息') : sent ? '更新送达日期' : '保存送达日期'}
            </Text>
          </Button>
        </View>
      ) : null}
    </View>
  );
}
