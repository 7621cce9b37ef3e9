/**
 * 填写: insured person, hospital, dates, line items (yuan typed, fen stored), payout account in the
 * insured person's name, phone, paper originals. Messages from the core schemas appear next to each
 * field as the person types; the instant estimate follows along at the bottom.
 */
import { Button, Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useMemo, useState } from 'react';
import { ChoiceChips } from '../../components/ChoiceChips';
import { DraftSteps } from '../../components/DraftSteps';
import { Field, TextField } from '../../components/Field';
import { NoDraft } from '../../components/NoDraft';
import { PageShell } from '../../components/PageShell';
import { ReceiptCards } from '../../components/ReceiptCards';
import { stepPages } from '../../components/draftRoutes';
import {
  categoryLabels,
  checkDraft,
  draftDeadline,
  draftTotalFen,
  estimateDraft,
  formFieldOrder,
  formStepErrors,
  needsStayDates,
  paperOriginalsRequiredOf,
  payoutWarning,
  policyOf,
  regionOptions,
  visibleErrors,
  type Category,
  type ClaimDraftState,
} from '../../core/claimFormDraft';
import { shanghaiDate } from '../../core/deadline';
import { formatYuan } from '../../core/money';
import { insuranceTypeNames } from '../../core/policy';
import { usePolicies } from '../../components/usePolicies';
import { updateDraft, useDraft, useUploadQueue } from '../../services/draft';
import { choosePhotos, photoUploader, type PhotoSource } from '../../services/photos';

const categories: Category[] = ['A', 'B', 'C'];

export default function ClaimFormPage(): React.ReactNode {
  const { draft, sync } = useDraft();
  const policies = usePolicies();
  const regions = regionOptions(policies);
  const queue = useUploadQueue(draft?.localId);
  const [receiptProblem, setReceiptProblem] = useState('');
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [showAll, setShowAll] = useState(false);
  const today = shanghaiDate(new Date());
  const policyChoice = draft ? policyOf(draft, policies, today) : null;
  const policy = policyChoice?.ok ? policyChoice.policy : null;
  const originalsRequired = draft ? paperOriginalsRequiredOf(draft, policy) : true;
  const check = useMemo(() => (draft ? checkDraft(draft, {}, { paperOriginalsRequired: originalsRequired }) : null), [draft, originalsRequired]);

  if (!draft || !check) return <NoDraft />;
  const errors = visibleErrors(formStepErrors(check.errors), touched, showAll);
  const stay = needsStayDates(draft.guide.visitKind);
  const deadline = draftDeadline(draft, policies, new Date(), today);
  const instant = estimateDraft(draft, policies, undefined, today);
  const region = regions.find((option) => option.code === draft.insured.region);

  function set(path: string, change: (current: ClaimDraftState) => ClaimDraftState): void {
    setTouched((previous) => (previous.has(path) ? previous : new Set(previous).add(path)));
    updateDraft(change);
  }

  function next(): void {
    const stepErrors = formStepErrors(check!.errors);
    if (Object.keys(stepErrors).length > 0) {
      setShowAll(true);
      const first = formFieldOrder.find((field) => Object.keys(stepErrors).some((path) => path.startsWith(field))) ?? Object.keys(stepErrors)[0];
      void Taro.showToast({ title: '还有内容需要修改', icon: 'none' });
      const anchor = first ? `#${first.replace(/[.[\]]/g, '-')}-anchor` : '';
      if (anchor) void Taro.pageScrollTo({ selector: anchor, duration: 200 }).catch(() => undefined);
      return;
    }
    updateDraft((current) => ({ ...current, step: 'materials' }));
    void Taro.navigateTo({ url: stepPages.materials });
  }

  /** 拍票据自动填写: the photo joins the 收费票据 material (same upload queue as the 材料 step). */
  async function addReceipt(source: PhotoSource): Promise<void> {
    setReceiptProblem('');
    try {
      const chosen = await choosePhotos(source);
      if (chosen.length > 0 && draft) await photoUploader(draft.localId).addPhotos('invoice', chosen);
    } catch {
      setReceiptProblem('没能添加照片，请重试；也可以直接在下面填写');
    }
  }

  const dateField = (key: 'visitDate' | 'admissionDate' | 'dischargeDate', id: string, label: string) => (
    <View id={`visit-${key}-anchor`}>
      <TextField
        id={id}
        label={label}
        value={draft.visit[key]}
        error={errors[`visit.${key}`]}
        hint='可以直接输入，如 2026-11-03；也可以点下面的「选日期」'
        placeholder='例如 2026-11-03'
        maxlength={12}
        onChange={(value) => set(`visit.${key}`, (current) => ({ ...current, visit: { ...current.visit, [key]: value } }))}
      />
      <Picker mode='date' value={draft.visit[key] || today} end={today} onChange={(event) => set(`visit.${key}`, (current) => ({ ...current, visit: { ...current.visit, [key]: String(event.detail.value) } }))}>
        <View className='small-button' role='button' aria-label={`选择${label}`} style={{ display: 'inline-block', marginBottom: '24px' }}>
          选日期
        </View>
      </Picker>
    </View>
  );

  return (
    <PageShell>
      <DraftSteps current='form' sync={sync} />
      {deadline ? (
        <View className={`notice ${deadline.filing.status === 'ok' ? 'notice-ok' : ''}`} id='deadline-note'>
          {deadline.text}
        </View>
      ) : null}

      <View className='card' id='form-receipts'>
        <View className='section-title'>拍收费票据，自动填写</View>
        <View className='muted'>拍下医院的收费票据，医院名称、日期和费用明细会识别出来，您核对确认后再填入下面的表格。照片也会作为「收费票据」材料提交。</View>
        <View className='row' style={{ marginTop: '12px' }}>
          <Button id='form-receipt-camera' className='small-button row-grow' onClick={() => void addReceipt('camera')}>
            拍票据
          </Button>
          <Button id='form-receipt-album' className='small-button row-grow' onClick={() => void addReceipt('album')}>
            从相册选
          </Button>
        </View>
        {receiptProblem ? <View className='field-error'>{receiptProblem}</View> : null}
        <ReceiptCards draft={draft} queue={queue} materialId='invoice' idPrefix='form-receipt' showUploads />
      </View>

      <View className='card'>
        <View className='section-title'>参保人</View>
        <View id='insured-relation-anchor'>
          <Field id='insured-relation' label='为谁申请' error={errors['insured.relation']}>
            <ChoiceChips
              id='insured-relation'
              label='为谁申请'
              value={draft.insured.relation}
              options={[
                { value: 'self', label: '我本人' },
                { value: 'relative', label: '家人（代办）' },
              ]}
              onChange={(relation) => set('insured.relation', (current) => ({ ...current, insured: { ...current.insured, relation } }))}
            />
          </Field>
        </View>
        <View id='insured-name-anchor'>
          <TextField
            id='insured-name'
            label={draft.insured.relation === 'relative' ? '参保人（看病的人）姓名' : '您的姓名'}
            value={draft.insured.name}
            error={errors['insured.name']}
            placeholder='与身份证一致'
            maxlength={30}
            onChange={(name) => set('insured.name', (current) => ({ ...current, insured: { ...current.insured, name } }))}
          />
        </View>
        <View id='insured-idNumber-anchor'>
          <TextField
            id='insured-id'
            label='参保人身份证号'
            type='idcard'
            value={draft.insured.idNumber}
            error={errors['insured.idNumber']}
            placeholder='18 位，最后一位可能是 X'
            maxlength={22}
            onChange={(idNumber) => set('insured.idNumber', (current) => ({ ...current, insured: { ...current.insured, idNumber } }))}
          />
        </View>
        <View id='insured-region-anchor'>
          <Field id='insured-region' label='参保地（在哪里交的医保）' error={errors['insured.region']}>
            <ChoiceChips
              id='region'
              label='参保地'
              value={draft.insured.region}
              options={regions.map((option) => ({ value: option.code, label: option.name }))}
              onChange={(code) =>
                set('insured.region', (current) => {
                  const types = regions.find((option) => option.code === code)?.insuranceTypes ?? [];
                  const insuranceType = current.insured.insuranceType && types.includes(current.insured.insuranceType) ? current.insured.insuranceType : types.length === 1 ? types[0] : undefined;
                  return { ...current, insured: { ...current.insured, region: code, ...(insuranceType ? { insuranceType } : {}) } };
                })
              }
            />
          </Field>
        </View>
        <View id='insured-insuranceType-anchor'>
          <Field id='insured-insuranceType' label='险种' error={errors['insured.insuranceType']} hint={region ? `${region.name}可选：${region.insuranceTypes.map((type) => insuranceTypeNames[type]).join('、')}` : '先选参保地'}>
            <ChoiceChips
              id='insurance'
              label='险种'
              value={draft.insured.insuranceType}
              options={(['employee', 'resident'] as const).map((type) => ({ value: type, label: insuranceTypeNames[type], disabled: region ? !region.insuranceTypes.includes(type) : false }))}
              onChange={(insuranceType) => set('insured.insuranceType', (current) => ({ ...current, insured: { ...current.insured, insuranceType } }))}
            />
          </Field>
        </View>
        {draft.insured.insuranceType === 'employee' ? (
          <Field id='insured-retired' label='在职还是退休'>
            <ChoiceChips
              id='retired'
              label='在职还是退休'
              value={draft.insured.retired ? 'yes' : 'no'}
              options={[
                { value: 'no', label: '在职' },
                { value: 'yes', label: '退休' },
              ]}
              onChange={(value) => set('insured.retired', (current) => ({ ...current, insured: { ...current.insured, retired: value === 'yes' } }))}
            />
          </Field>
        ) : null}
      </View>

      <View className='card'>
        <View className='section-title'>看病的医院和日期</View>
        <View id='hospital-name-anchor'>
          <TextField
            id='hospital-name'
            label='医院名称'
            value={draft.hospital.name}
            error={errors['hospital.name']}
            placeholder='以票据上的名称为准'
            maxlength={60}
            onChange={(name) => set('hospital.name', (current) => ({ ...current, hospital: { ...current.hospital, name } }))}
          />
        </View>
        <View id='hospital-level-anchor'>
          <Field id='hospital-level' label='医院等级' error={errors['hospital.level']} hint='不清楚可以看医院门口的牌子，或问医院收费处'>
            <ChoiceChips
              id='level'
              label='医院等级'
              value={draft.hospital.level}
              options={[
                { value: 1, label: '一级（社区）' },
                { value: 2, label: '二级' },
                { value: 3, label: '三级' },
              ]}
              onChange={(level) => set('hospital.level', (current) => ({ ...current, hospital: { ...current.hospital, level } }))}
            />
          </Field>
        </View>
        {stay ? (
          <>
            {dateField('admissionDate', 'admission-date', '入院日期')}
            {dateField('dischargeDate', 'discharge-date', '出院日期')}
          </>
        ) : (
          dateField('visitDate', 'visit-date', '就诊日期')
        )}
        {draft.guide.visitKind === 'maternity' ? (
          <View id='visit-deliveryKind-anchor'>
            <Field id='delivery-kind' label='分娩方式' error={errors['visit.deliveryKind']}>
              <ChoiceChips
                id='delivery'
                label='分娩方式'
                value={draft.visit.deliveryKind}
                options={[
                  { value: 'natural', label: '顺产' },
                  { value: 'cesarean', label: '剖腹产' },
                ]}
                onChange={(deliveryKind) => set('visit.deliveryKind', (current) => ({ ...current, visit: { ...current.visit, deliveryKind } }))}
              />
            </Field>
          </View>
        ) : null}
      </View>

      <View className='card' id='lineItems-anchor'>
        <View className='section-title'>费用明细</View>
        <View className='muted' style={{ marginBottom: '16px' }}>
          照着票据或费用清单填写。甲类全部纳入报销范围，乙类要先自付一部分，丙类（自费）不报销；清单上一般印有类别。
        </View>
        {draft.lineItems.map((item, index) => (
          <View key={item.key} className='line-item' id={`line-item-${index}`}>
            <TextField
              id={`item-name-${index}`}
              label={`第 ${index + 1} 项 名称`}
              value={item.name}
              error={errors[`lineItems[${index}].name`]}
              placeholder='例如：西药费、检查费'
              maxlength={100}
              onChange={(name) => set(`lineItems[${index}].name`, (current) => ({ ...current, lineItems: current.lineItems.map((line) => (line.key === item.key ? { ...line, name } : line)) }))}
            />
            <TextField
              id={`item-amount-${index}`}
              label='金额（元）'
              type='digit'
              value={item.yuan}
              error={errors[`lineItems[${index}].amountFen`]}
              placeholder='例如 128.50'
              maxlength={14}
              onChange={(yuan) => set(`lineItems[${index}].amountFen`, (current) => ({ ...current, lineItems: current.lineItems.map((line) => (line.key === item.key ? { ...line, yuan } : line)) }))}
            />
            <Field id={`item-category-${index}`} label='类别' error={errors[`lineItems[${index}].category`]}>
              <ChoiceChips
                id={`item-category-${index}`}
                label={`第 ${index + 1} 项类别`}
                value={item.category}
                options={categories.map((category) => ({ value: category, label: categoryLabels[category] }))}
                onChange={(category) => set(`lineItems[${index}].category`, (current) => ({ ...current, lineItems: current.lineItems.map((line) => (line.key === item.key ? { ...line, category } : line)) }))}
              />
            </Field>
            {draft.lineItems.length > 1 ? (
              <Button id={`item-remove-${index}`} className='danger-button' onClick={() => updateDraft((current) => ({ ...current, lineItems: current.lineItems.filter((line) => line.key !== item.key) }))}>
                {`删除第 ${index + 1} 项`}
              </Button>
            ) : null}
          </View>
        ))}
        {errors.lineItems ? <View className='field-error'>{errors.lineItems}</View> : null}
        <Button
          id='item-add'
          className='secondary-button'
          onClick={() => updateDraft((current) => ({ ...current, lineItems: [...current.lineItems, { key: `${current.localId}-${Date.now().toString(36)}`, name: '', yuan: '', category: 'A' }] }))}
        >
          ＋ 再加一项费用
        </Button>
        <View className='summary-row' style={{ marginTop: '16px' }}>
          <Text>费用合计</Text>
          <Text className='summary-value' id='items-total'>
            {formatYuan(draftTotalFen(draft))}
          </Text>
        </View>
      </View>

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
        <View id='payout-bankName-anchor'>
          <TextField
            id='bank-name'
            label='开户银行'
            value={draft.payout.bankName}
            error={errors['payout.bankName']}
            placeholder='例如：中国工商银行大连分行'
            maxlength={40}
            onChange={(bankName) => set('payout.bankName', (current) => ({ ...current, payout: { ...current.payout, bankName } }))}
          />
        </View>
        <View id='payout-accountNumber-anchor'>
          <TextField
            id='account-number'
            label='银行卡号'
            type='number'
            value={draft.payout.accountNumber}
            error={errors['payout.accountNumber']}
            warning={payoutWarning(draft)}
            placeholder='16-19 位数字'
            maxlength={34}
            onChange={(accountNumber) => set('payout.accountNumber', (current) => ({ ...current, payout: { ...current.payout, accountNumber } }))}
          />
        </View>
        <View id='phone-anchor'>
          <TextField
            id='phone'
            label='手机号（审核有问题时联系您）'
            type='number'
            value={draft.phone}
            error={errors.phone}
            placeholder='11 位手机号'
            maxlength={14}
            onChange={(phone) => set('phone', (current) => ({ ...current, phone }))}
          />
        </View>
      </View>

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
            onChange={(kind) => set('electronicInvoice', (current) => ({ ...current, electronicInvoice: kind === 'electronic' }))}
          />
        </Field>
        {originalsRequired ? (
          <View id='originals-method-anchor'>
            <Field id='originals-method' label='纸质原件怎么交给医保经办机构？' error={errors['originals.method']} hint={policy?.processing.paperOriginalsAddress ? `地址：${policy.processing.paperOriginalsAddress}` : undefined}>
              <ChoiceChips
                id='originals'
                label='纸质原件递交方式'
                value={draft.originals.method}
                options={[
                  { value: 'mail', label: '邮寄' },
                  { value: 'inPerson', label: '自己送去' },
                ]}
                onChange={(method) => set('originals.method', (current) => ({ ...current, originals: { ...current.originals, method } }))}
              />
            </Field>
            {draft.originals.method === 'mail' ? (
              <TextField
                id='tracking-number'
                label='快递单号'
                value={draft.originals.trackingNumber}
                error={errors['originals.trackingNumber']}
                placeholder='寄出后填写'
                maxlength={40}
                onChange={(trackingNumber) => set('originals.trackingNumber', (current) => ({ ...current, originals: { ...current.originals, trackingNumber } }))}
              />
            ) : null}
          </View>
        ) : (
          <View className='muted'>{policy ? '本地政策不需要邮寄纸质原件，上传清晰照片即可。' : ''}</View>
        )}
      </View>

      <View className='card' id='form-estimate'>
        <View className='section-title'>预计能报多少</View>
        {instant.ok ? (
          <View>
            <Text>医保预计支付 </Text>
            <Text className='big-figure' id='form-estimate-fund'>
              {formatYuan(instant.result.totalPaid)}
            </Text>
            <View className='muted'>{`自己负担 ${formatYuan(instant.result.claimantPays)}，详细计算在「预估金额」一步`}</View>
          </View>
        ) : (
          <View className='muted'>{instant.message}</View>
        )}
      </View>

      {showAll && Object.keys(errors).length > 0 ? (
        <View className='banner-error' role='alert' id='form-errors'>
          {`还有 ${Object.keys(errors).length} 处需要修改，见红色提示`}
        </View>
      ) : null}
      <Button id='form-next' className='primary-button' onClick={next}>
        下一步：上传材料
      </Button>
    </PageShell>
  );
}
