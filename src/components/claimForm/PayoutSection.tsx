/** 收款账户和联系方式: the account is in the insured person's name (fixed); a family member's saved account and phone show masked. */
import { View } from '@tarojs/components';
import { Field, TextField } from '../Field';
import type { DraftBinder } from '../useDraftField';
import { isKeptValue, payoutWarning, type ClaimDraftState } from '../../core/claimFormDraft';

export function PayoutSection({ draft, form }: { draft: ClaimDraftState; form: DraftBinder }): React.ReactNode {
  const { errors, bind } = form;
  const account = bind('payout.accountNumber');
  const phone = bind('phone');
  const keptAccount = isKeptValue(draft, account.value);
  return (
    <View className='card'>
      <View className='section-title'>收款账户和联系方式</View>
      <View className='muted' style={{ marginBottom: '16px' }}>
        医保只能把钱打到参保人本人名下的银行卡。
      </View>
      <Field id='payout-holder' label='户名（参保人本人，不能修改）' error={errors['payout.holderName']}>
        <View className='field-readonly' id='payout-holder-name'>
          {draft.insured.name.trim() || '（先填写参保人姓名）'}
        </View>
      </Field>
      <TextField
        {...bind('payout.bankName')}
        label='开户银行'
        placeholder='例如：中国工商银行大连分行'
        maxlength={40}
      />
      <TextField
        {...account}
        label='银行卡号'
        type='number'
        readOnly={keptAccount}
        warning={keptAccount ? null : payoutWarning(draft)}
        placeholder='16-19 位数字'
        maxlength={34}
      />
      <TextField
        {...phone}
        label='手机号（审核有问题时联系您）'
        type='number'
        readOnly={isKeptValue(draft, phone.value)}
        placeholder='11 位手机号'
        maxlength={14}
      />
    </View>
  );
}
