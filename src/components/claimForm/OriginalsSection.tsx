/**
 * 票据和纸质原件: paper or electronic receipts; where the policy wants paper originals, 邮寄 or 自送 —
 * the tracking number (or the day) is added on the claim page after filing, with the 邮寄编号 to write on the envelope.
 */
import { View } from '@tarojs/components';
import { ChoiceChips } from '../ChoiceChips';
import { Field } from '../Field';
import type { DraftBinder } from '../useDraftField';
import type { ClaimDraftState } from '../../core/claimFormDraft';
import type { PolicyDocument } from '../../core/policy';

export function OriginalsSection({
  draft,
  form,
  originalsRequired,
  policy,
}: {
  draft: ClaimDraftState;
  form: DraftBinder;
  originalsRequired: boolean;
  policy: PolicyDocument | null;
}): React.ReactNode {
  const { errors, set } = form;
  const address = policy?.processing.paperOriginalsAddress;
  return (
    <View className='card'>
      <View className='section-title'>票据和纸质原件</View>
      <Field id='invoice-kind' label='医院开的是哪种票据？'>
        <ChoiceChips
          id='invoice'
          label='票据类型'
          value={draft.electronicInvoice ? 'electronic' : 'paper'}
          options={[
            { value: 'paper', label: '纸质票据' },
            { value: 'electronic', label: '电子票据' },
          ]}
          onChange={(kind) =>
            set('electronicInvoice', (current) => ({ ...current, electronicInvoice: kind === 'electronic' }))
          }
        />
      </Field>
      {originalsRequired ? (
        <Field
          id='originals-method'
          anchor='originals-method-anchor'
          label='纸质原件怎么交给医保经办机构？'
          error={errors['originals.method']}
          hint={`${address ? `地址：${address}。` : ''}可以先提交申请，寄出或送达后再在申请详情里填写快递单号或日期。`}
        >
          <ChoiceChips
            id='originals'
            label='纸质原件递交方式'
            value={draft.originals.method}
            options={[
              { value: 'mail', label: '邮寄' },
              { value: 'inPerson', label: '自己送去' },
            ]}
            onChange={(method) =>
              set('originals.method', (current) => ({ ...current, originals: { ...current.originals, method } }))
            }
          />
        </Field>
      ) : (
        <View className='muted'>{policy ? '本地政策不需要邮寄纸质原件，上传清晰照片即可。' : ''}</View>
      )}
    </View>
  );
}
