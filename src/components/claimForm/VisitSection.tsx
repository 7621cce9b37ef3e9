/** 看病的医院和日期: hospital, level, the visit's day (or admission and discharge), delivery kind for 分娩. */
import { Picker, View } from '@tarojs/components';
import { ChoiceChips } from '../ChoiceChips';
import { Field, TextField } from '../Field';
import { TextWithDays } from '../TextWithDays';
import type { DraftBinder, TextPath } from '../useDraftField';
import { needsStayDates, type ClaimDraftState } from '../../core/claimFormDraft';
import { diseaseKinds } from '../../core/engine/claim';

function DateField({
  form,
  path,
  label,
  today,
}: {
  form: DraftBinder;
  path: TextPath & `visit.${string}`;
  label: string;
  today: string;
}): React.ReactNode {
  const field = form.bind(path);
  return (
    <View>
      <TextField
        {...field}
        label={label}
        hint={<TextWithDays text='可以直接输入，如 2026-11-03；也可以点下面的「选日期」' />}
        placeholder='例如 2026-11-03'
        maxlength={12}
      />
      <Picker
        mode='date'
        value={field.value || today}
        end={today}
        onChange={(event) => field.onChange(String(event.detail.value))}
      >
        <View
          className='small-button'
          role='button'
          aria-label={`选择${label}`}
          style={{ display: 'inline-block', marginBottom: '24px' }}
        >
          选日期
        </View>
      </Picker>
    </View>
  );
}

export function VisitSection({
  draft,
  form,
  today,
  deadlineWarning,
  diseases,
}: {
  draft: ClaimDraftState;
  form: DraftBinder;
  today: string;
  /** 门诊慢特病 / 两病 / 特殊门诊: the diseases the policy pays (null: no policy known yet for the person and date). */
  diseases: ReadonlyArray<{ code: string; name: string }> | null;
  /** The filing deadline passed for the dates typed: said here too, where the date is (and at the top of the page). */
  deadlineWarning?: string | undefined;
}): React.ReactNode {
  const { errors, set, bind } = form;
  return (
    <View className='card'>
      <View className='section-title'>看病的医院和日期</View>
      <TextField {...bind('hospital.name')} label='医院名称' placeholder='以票据上的名称为准' maxlength={80} />
      <Field
        id='hospital-level'
        anchor='hospital-level-anchor'
        label='医院等级'
        error={errors['hospital.level']}
        hint='不清楚可以看医院门口的牌子，或问医院收费处'
      >
        <ChoiceChips
          id='level'
          label='医院等级'
          value={draft.hospital.level}
          options={[
            { value: 1, label: '一级（社区）' },
            { value: 2, label: '二级' },
            { value: 3, label: '三级' },
          ]}
          onChange={(level) =>
            set('hospital.level', (current) => ({ ...current, hospital: { ...current.hospital, level } }))
          }
        />
      </Field>
      {needsStayDates(draft.guide.visitKind) ? (
        <>
          <DateField form={form} path='visit.admissionDate' label='入院日期' today={today} />
          <DateField form={form} path='visit.dischargeDate' label='出院日期' today={today} />
        </>
      ) : (
        <DateField form={form} path='visit.visitDate' label='就诊日期' today={today} />
      )}
      {deadlineWarning ? (
        <View className='field-warning' id='visit-deadline-warning'>
          <TextWithDays text={deadlineWarning} />
        </View>
      ) : null}
      {diseaseKinds.has(draft.guide.visitKind ?? '') ? (
        // Paid by disease: without one the estimate and the claim came to 0.00 元 (a desk walk).
        <Field
          id='visit-disease'
          anchor='visit-disease-anchor'
          label='病种'
          error={errors['visit.disease']}
          hint={
            diseases === null
              ? '先填好参保地、险种和就诊日期，这里会列出当地政策认定的病种'
              : diseases.length === 0
                ? '当地政策没有列出这类病种，请拨打 12393 咨询'
                : '以医保部门认定（办理门诊慢特病待遇）时的病种为准'
          }
        >
          {diseases && diseases.length > 0 ? (
            <ChoiceChips
              id='disease'
              label='病种'
              value={draft.visit.disease}
              options={diseases.map((disease) => ({ value: disease.code, label: disease.name }))}
              onChange={(disease) =>
                set('visit.disease', (current) => ({ ...current, visit: { ...current.visit, disease } }))
              }
            />
          ) : null}
        </Field>
      ) : null}
      {draft.guide.visitKind === 'maternity' ? (
        <Field
          id='delivery-kind'
          anchor='visit-deliveryKind-anchor'
          label='分娩方式'
          error={errors['visit.deliveryKind']}
        >
          <ChoiceChips
            id='delivery'
            label='分娩方式'
            value={draft.visit.deliveryKind}
            options={[
              { value: 'natural', label: '顺产' },
              { value: 'cesarean', label: '剖腹产' },
            ]}
            onChange={(deliveryKind) =>
              set('visit.deliveryKind', (current) => ({ ...current, visit: { ...current.visit, deliveryKind } }))
            }
          />
        </Field>
      ) : null}
    </View>
  );
}
