/**
 * 收款账户和联系方式: the account is in the insured person's name (fixed) — or, for a minor where the policy allows it, a
 * parent's or guardian's (their name typed, the relationship proved by a 监护关系证明); a family member's saved account
 * and phone show masked.
 */
import { View } from '@tarojs/components';
import { ChoiceChips } from '../ChoiceChips';
import { Field, TextField } from '../Field';
import { anchorOf, type DraftBinder } from '../useDraftField';
import {
  isKeptValue,
  payoutWarning,
  withPayoutHolder,
  type ClaimDraftState,
  type PayoutHolder,
} from '../../core/claimFormDraft';
import { ADULT_AGE, guardianRelationLabels, guardianRelations } from '../../core/contracts/persons';

const OWN: PayoutHolder = 'own';

export function PayoutSection({
  draft,
  form,
  guardianOffered,
}: {
  draft: ClaimDraftState;
  form: DraftBinder;
  /** The policy lets a minor be paid into a guardian's account, and the person is not known to be an adult. */
  guardianOffered: boolean;
}): React.ReactNode {
  const { errors, bind, set } = form;
  const account = bind('payout.accountNumber');
  const phone = bind('phone');
  const keptAccount = isKeptValue(draft, account.value);
  const guardian = draft.payout.guardianRelation;
  return (
    <View className='card'>
      <View className='section-title'>收款账户和联系方式</View>
      <View className='muted' style={{ marginBottom: '16px' }}>
        {guardianOffered
          ? `医保把钱打到参保人本人名下的银行卡；参保人未满 ${ADULT_AGE} 周岁的，也可以打到父母或其他监护人的银行卡，需要上传监护关系证明（户口簿或出生医学证明）。`
          : '医保只能把钱打到参保人本人名下的银行卡。'}
      </View>
      {guardianOffered || guardian ? (
        <Field
          id='payout-holder-kind'
          anchor={anchorOf('payout.guardianRelation')}
          label='收款账户是谁的'
          error={errors['payout.guardianRelation']}
        >
          <ChoiceChips<PayoutHolder>
            id='payout-holder-kind'
            label='收款账户是谁的'
            value={guardian ?? OWN}
            options={[
              { value: OWN, label: '参保人本人的账户' },
              ...guardianRelations.map((relation) => ({
                value: relation,
                label: `${guardianRelationLabels[relation]}的账户`,
              })),
            ]}
            onChange={(holder) =>
              set('payout.guardianRelation', (current) => ({
                ...current,
                payout: withPayoutHolder(current.payout, holder),
              }))
            }
          />
        </Field>
      ) : null}
      {guardian ? (
        <TextField
          {...bind('payout.holderName')}
          label={`户名（${guardianRelationLabels[guardian]}的姓名，与银行卡上一致）`}
          placeholder='例如：张建国'
          maxlength={40}
        />
      ) : (
        <Field id='payout-holder' label='户名（参保人本人，不能修改）' error={errors['payout.holderName']}>
          <View className='field-readonly' id='payout-holder-name'>
            {draft.insured.name.trim() || '（先填写参保人姓名）'}
          </View>
        </Field>
      )}
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
