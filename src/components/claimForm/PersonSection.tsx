/**
 * 参保人: pick a family member (their masked 身份证号, account and phone stay on the server) or type a
 * new one; where they are insured and how. A relative means 代办: the checklist asks for its papers.
 */
import { Button, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ChoiceChips } from '../ChoiceChips';
import { Field, TextField } from '../Field';
import type { DraftBinder } from '../useDraftField';
import {
  ageOf,
  applyPerson,
  forNewPerson,
  insuranceTypeHint,
  isKeptValue,
  WORKING_AGE,
  type ClaimDraftState,
  type RegionOption,
} from '../../core/claimFormDraft';
import { personRelationLabels, personRelations, type PersonRelation } from '../../core/contracts/persons';
import { shanghaiDate } from '../../core/deadline';
import { NAME_MAX_LENGTH } from '../../core/identity';
import { insuranceTypeNames } from '../../core/policy';
import type { PersonView } from '../../services/claims';

const NEW = 'new';

export function PersonSection({
  draft,
  form,
  persons,
  regions,
}: {
  draft: ClaimDraftState;
  form: DraftBinder;
  persons: readonly PersonView[];
  regions: readonly RegionOption[];
}): React.ReactNode {
  const { errors, set, bind } = form;
  const region = regions.find((option) => option.code === draft.insured.region);
  const age = ageOf(draft.insured.idNumber, shanghaiDate(new Date()));
  const relation: PersonRelation | undefined =
    draft.personRelation ?? (draft.insured.relation === 'self' ? 'self' : undefined);
  const chosen = draft.personId ? persons.find((person) => person.id === draft.personId) : undefined;
  const idField = bind('insured.idNumber');
  return (
    <View className='card' id='person-section'>
      <View className='section-title'>参保人（看病的人）</View>
      {persons.length > 0 ? (
        <Field
          id='person-pick'
          label='为谁申请'
          hint={chosen ? '身份证号、银行卡和手机号已保存，不用再填' : '选一位家庭成员，就不用再填身份证号和银行卡'}
        >
          <ChoiceChips
            id='person'
            label='为谁申请'
            value={draft.personId ?? NEW}
            options={[
              ...persons.map((person) => ({
                value: person.id,
                label: `${personRelationLabels[person.relation]} ${person.name}`,
              })),
              { value: NEW, label: '＋ 新增家庭成员' },
            ]}
            onChange={(id) =>
              set('insured.relation', (current) => {
                const person = persons.find((candidate) => candidate.id === id);
                return person ? applyPerson(current, person) : forNewPerson(current, undefined, regions);
              })
            }
          />
          <View
            className='muted'
            id='person-manage'
            role='button'
            onClick={() => void Taro.navigateTo({ url: '/claimant/pages/family/index' })}
          >
            管理家庭成员（删除不再需要的）
          </View>
        </Field>
      ) : null}
      {!draft.personId ? (
        <Field
          id='insured-relation'
          anchor='insured-relation-anchor'
          label={persons.length > 0 ? '新增的是您的' : '为谁申请'}
          error={errors['insured.relation']}
        >
          <ChoiceChips
            id='relation'
            label='与您的关系'
            value={relation}
            // 本人 saved already: a new member is someone else (一个账号只有一位本人).
            options={personRelations
              .filter((value) => value !== 'self' || !persons.some((person) => person.relation === 'self'))
              .map((value) => ({
                value,
                label: value === 'self' ? '我本人' : `${personRelationLabels[value]}（代办）`,
              }))}
            onChange={(value) =>
              set('insured.relation', (current) => ({
                ...current,
                personRelation: value,
                insured: { ...current.insured, relation: value === 'self' ? 'self' : 'relative' },
              }))
            }
          />
        </Field>
      ) : null}
      <TextField
        {...bind('insured.name')}
        label={draft.insured.relation === 'relative' ? '参保人（看病的人）姓名' : '您的姓名'}
        placeholder='与身份证一致'
        // Room past the limit: a name too long is refused with a sentence, not cut short without one (a walk).
        maxlength={NAME_MAX_LENGTH + 10}
      />
      <TextField
        {...idField}
        label='参保人身份证号'
        type='idcard'
        readOnly={isKeptValue(draft, idField.value)}
        placeholder='18 位，最后一位可能是 X'
        maxlength={22}
      />
      <Field
        id='insured-region'
        anchor='insured-region-anchor'
        label='参保地（在哪里交的医保）'
        error={errors['insured.region']}
      >
        <ChoiceChips
          id='region'
          label='参保地'
          value={draft.insured.region}
          options={regions.map((option) => ({ value: option.code, label: option.name }))}
          onChange={(code) =>
            set('insured.region', (current) => {
              const types = regions.find((option) => option.code === code)?.insuranceTypes ?? [];
              const insuranceType =
                current.insured.insuranceType && types.includes(current.insured.insuranceType)
                  ? current.insured.insuranceType
                  : types.length === 1
                    ? types[0]
                    : undefined;
              return {
                ...current,
                insured: { ...current.insured, region: code, ...(insuranceType ? { insuranceType } : {}) },
              };
            })
          }
        />
      </Field>
      <Field
        id='insured-insuranceType'
        anchor='insured-insuranceType-anchor'
        label='险种'
        error={errors['insured.insuranceType']}
        hint={insuranceTypeHint(region, age)}
      >
        <ChoiceChips
          id='insurance'
          label='险种'
          value={draft.insured.insuranceType}
          options={(['employee', 'resident'] as const).map((type) => ({
            value: type,
            label: insuranceTypeNames[type],
            disabled: region ? !region.insuranceTypes.includes(type) : false,
          }))}
          onChange={(insuranceType) =>
            set('insured.insuranceType', (current) => ({ ...current, insured: { ...current.insured, insuranceType } }))
          }
        />
      </Field>
      {/* Not asked of a child (an 8-year-old was asked 在职还是退休 — a walk). */}
      {draft.insured.insuranceType === 'employee' && !(age !== null && age < WORKING_AGE) ? (
        <Field id='insured-retired' label='在职还是退休'>
          <ChoiceChips
            id='retired'
            label='在职还是退休'
            value={draft.insured.retired ? 'yes' : 'no'}
            options={[
              { value: 'no', label: '在职' },
              { value: 'yes', label: '退休' },
            ]}
            onChange={(value) =>
              set('insured.retired', (current) => ({
                ...current,
                insured: { ...current.insured, retired: value === 'yes' },
              }))
            }
          />
        </Field>
      ) : null}
      {draft.personId ? (
        <View className='person-retype'>
          <View className='muted'>信息有变化？</View>
          <Button
            id='person-retype'
            className='secondary-button'
            onClick={() =>
              set('insured.idNumber', (current) => forNewPerson(current, relation, regions, { keepInsurance: true }))
            }
          >
            重新填写这位家庭成员
          </Button>
        </View>
      ) : null}
    </View>
  );
}
