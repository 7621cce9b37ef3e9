/**
 * 经办审核 · one claim: the insured person, hospital, visit and payout (personal data in full:
 * reviewers only), photos per material (tap to zoom), line items with an edit mode and the
 * re-estimate, the figures (申报估算 / 审核核定 / 结算) with their trace, the timeline and the audit
 * history, and the actions this reviewer may take now (the server's `actions`).
 */
import { Button, Image, Input, Text, Textarea, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Confirm } from '../../components/Confirm';
import { maskBankAccount, maskName } from '../../../core/identity';
import { ReceiptReading } from '../../components/ReceiptReading';
import { PageShell } from '../../../components/PageShell';
import type { EstimateResult, LineItem } from '../../../core/engine';
import { materialDefinitions, type MaterialId } from '../../../core/materials';
import { fenToInputText, formatYuan, parseYuan } from '../../../core/money';
import { timeFieldValue, dateFieldValue } from '../../../core/notifications';
import { guideVisitKindLabels, outOfRegionKindLabels, scenarios } from '../../../core/scenarios';
import { claimStatusLabel } from '../../../core/statusLabels';
import { describeEvent, rejectReasons, supplementReasons, transitionOf, type AuditEvent, type RejectReason, type SupplementReason, type WorkflowAction } from '../../../core/workflow';
import { CloudError } from '../../../services/cloud';
import { claimSeen, reviewApi, type ReviewClaimDetail, type ReviewDecision } from '../../../services/review';
import { getDevUser } from '../../../services/session';
import { Chips, type ChipOption } from '../../components/Chips';
import './index.scss';

const categoryOptions: ChipOption<LineItem['category']>[] = [
  { value: 'A', label: '甲类' },
  { value: 'B', label: '乙类' },
  { value: 'C', label: '丙类/自费' },
];
const categoryName = (category: LineItem['category']): string => categoryOptions.find((option) => option.value === category)?.label ?? category;

const figureRows: Array<{ key: keyof EstimateResult; label: string }> = [
  { key: 'total', label: '费用合计' },
  { key: 'outOfPolicy', label: '丙类/全自费' },
  { key: 'categoryBSelfPay', label: '乙类先行自付' },
  { key: 'outOfRegionSelfPay', label: '异地就医自付' },
  { key: 'deductibleTaken', label: '起付线' },
  { key: 'fundPays', label: '统筹基金支付' },
  { key: 'majorIllnessPays', label: '大病保险支付' },
  { key: 'allowances', label: '补助' },
  { key: 'totalPaid', label: '报销合计' },
  { key: 'claimantPays', label: '个人负担' },
];
const figureLabel = (key: string): string => figureRows.find((row) => row.key === key)?.label ?? key;

const materialLabel = (id: string): string => (materialDefinitions as Record<string, { label: string } | undefined>)[id]?.label ?? id;
const roleLabels: Record<string, string> = { claimant: '申请人', reviewer: '经办审核人员', secondReviewer: '复核人员' };
const insuranceTypeLabels: Record<string, string> = { employee: '职工医保', resident: '居民医保' };
const timelineMarks: Record<string, string> = { done: '✓', current: '●', todo: '○', skipped: '–' };

/** Actions that need a form before they go to the server. */
type FormAction = 'requestSupplement' | 'reject' | 'returnFromVerification';
const formActions: readonly WorkflowAction[] = ['requestSupplement', 'reject', 'returnFromVerification'];
const doneText: Partial<Record<WorkflowAction, string>> = {
  passPreliminary: '已初审通过',
  passReview: '已审核通过',
  requestSupplement: '已要求补件，申请人会收到通知',
  reject: '已退回',
  receiveOriginals: '已登记纸质原件',
  settle: '已结算，等待复核',
  verify: '已复核通过',
  returnFromVerification: '已退回重新结算',
  markPaid: '已确认支付',
};

interface EditRow {
  name: string;
  amountText: string;
  category: LineItem['category'];
  removed: boolean;
  original: LineItem;
}

const failureOf = (error: unknown): CloudError => (error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message: '操作失败，请稍后再试' }));

function Field({ label, value, id }: { label: string; value: string; id?: string }): React.ReactNode {
  return (
    <View className='kv'>
      <Text className='kv-label'>{label}</Text>
      <Text className='kv-value' id={id}>
        {value}
      </Text>
    </View>
  );
}

function Section({ title, id, children }: React.PropsWithChildren<{ title: string; id: string }>): React.ReactNode {
  return (
    <View className='card' id={id}>
      <Text className='section-title'>{title}</Text>
      {children}
    </View>
  );
}

/** "大连市职工医保（示例）2025.1 版，2025-01-01 起施行" for `id@version` (the claim's own policy; another version by its version only). */
function policyName(detail: ReviewClaimDetail, pinned: string): string {
  const [policyId, version] = pinned.split('@');
  const own = detail.policy && detail.policy.id === policyId && detail.policy.version === version;
  if (!own) return `${detail.policy?.title ?? policyId} ${version ?? ''} 版`;
  return `${detail.policy!.title} ${version} 版${detail.policyEffectiveFrom ? `，${detail.policyEffectiveFrom} 起施行` : ''}`;
}

/** What 结算 / 确认已支付 restate: the claim, the amount and the payee (name and account masked). */
function moneyLines(detail: ReviewClaimDetail, action: 'settle' | 'markPaid'): string[] {
  const fund = action === 'settle' ? (detail.reviewEstimate ?? detail.estimate)?.totalPaid : (detail.settlement?.totalPaid ?? detail.paidFen ?? undefined);
  const payout = detail.form?.payout;
  return [
    `申请：${detail.title}`,
    action === 'settle' ? `按当前年度累计结算，预计医保支付 ${fund === undefined ? '—' : formatYuan(fund)}（以结算结果为准）` : `支付金额：${fund === undefined ? '—' : formatYuan(fund)}`,
    `收款人：${payout ? `${maskName(payout.holderName)}　${payout.bankName} ${maskBankAccount(payout.accountNumber)}` : '—'}`,
    action === 'settle' ? '结算后写入参保人年度累计，需另一位复核人员复核。' : '确认后申请办结，申请人会收到到账通知。',
  ];
}

export default function ReviewClaimPage(): React.ReactNode {
  const [id, setId] = useState('');
  const [detail, setDetail] = useState<ReviewClaimDetail | null>(null);
  const [failure, setFailure] = useState<CloudError | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState<EditRow[] | null>(null);
  const [editReason, setEditReason] = useState('');
  const [editErrors, setEditErrors] = useState<Record<number, string>>({});
  const [openForm, setOpenForm] = useState<FormAction | null>(null);
  const [reasonCode, setReasonCode] = useState('');
  const [reasonText, setReasonText] = useState('');
  const [materials, setMaterials] = useState<MaterialId[]>([]);
  const [openTrace, setOpenTrace] = useState<string | null>(null);
  /** 结算 and 确认已支付 wait for a second tap on a panel restating the amount and the payee. */
  const [confirming, setConfirming] = useState<'settle' | 'markPaid' | null>(null);
  const me = getDevUser() as { name: string; openid?: string } | null;

  async function reload(claimId = id): Promise<void> {
    try {
      setDetail(await reviewApi.get(claimId));
    } catch (error) {
      setFailure(failureOf(error));
    }
  }

  useLoad((params: Record<string, string | undefined>) => {
    const claimId = params.id ?? '';
    setId(claimId);
    void reload(claimId);
  });

  /** Runs one server action; on any refusal shows the banner and re-reads the claim (someone may have got there first). */
  async function run(action: WorkflowAction, perform: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setFailure(null);
    setNotice('');
    try {
      await perform();
      setNotice(doneText[action] ?? '已完成');
      setOpenForm(null);
      await reload();
      return true;
    } catch (error) {
      setFailure(failureOf(error));
      await reload();
      return false;
    } finally {
      setBusy(false);
    }
  }

  function takeAction(action: WorkflowAction): void {
    if (formActions.includes(action)) {
      setOpenForm(action as FormAction);
      setReasonCode('');
      setReasonText('');
      setMaterials([]);
      return;
    }
    if (!detail) return;
    const seen = claimSeen(detail);
    const perform: Partial<Record<WorkflowAction, () => Promise<unknown>>> = {
      passPreliminary: () => reviewApi.decide(seen, { action: 'passPreliminary' }),
      passReview: () => reviewApi.decide(seen, { action: 'passReview' }),
      receiveOriginals: () => reviewApi.receiveOriginals(seen),
      settle: () => reviewApi.settle(seen),
      verify: () => reviewApi.verify(seen),
      markPaid: () => reviewApi.markPaid(seen),
    };
    const call = perform[action];
    if (!call) return;
    if (action === 'settle' || action === 'markPaid') {
      setConfirming(action);
      return;
    }
    void run(action, call);
  }

  function confirmMoney(): void {
    if (!detail || !confirming) return;
    const seen = claimSeen(detail);
    const action = confirming;
    void run(action, () => (action === 'settle' ? reviewApi.settle(seen) : reviewApi.markPaid(seen))).then(() => setConfirming(null));
  }

  function submitForm(): void {
    if (!openForm || !detail) return;
    const text = reasonText.trim();
    let decision: ReviewDecision;
    if (openForm === 'returnFromVerification') {
      if (text.length === 0) return setFailure(new CloudError({ code: 'REASON_REQUIRED', message: '请写明复核退回的原因' }));
      decision = { action: 'returnFromVerification', reasonText: text };
    } else {
      if (!reasonCode) return setFailure(new CloudError({ code: 'REASON_REQUIRED', message: '请从列表中选择原因' }));
      if (reasonCode === 'other' && text.length === 0) return setFailure(new CloudError({ code: 'REASON_REQUIRED', message: '选择“其他”时请写明具体原因' }));
      if (openForm === 'requestSupplement') {
        if (materials.length === 0) return setFailure(new CloudError({ code: 'SUPPLEMENT_MATERIALS_REQUIRED', message: '请选择需要补充的材料' }));
        decision = { action: 'requestSupplement', materials, reasonCode: reasonCode as SupplementReason, ...(text ? { reasonText: text } : {}) };
      } else {
        decision = { action: 'reject', reasonCode: reasonCode as RejectReason, ...(text ? { reasonText: text } : {}) };
      }
    }
    void run(openForm, () => reviewApi.decide(claimSeen(detail), decision));
  }

  function startEditing(items: LineItem[]): void {
    setEditing(items.map((item) => ({ name: item.name, amountText: fenToInputText(item.amountFen), category: item.category, removed: false, original: item })));
    setEditReason('');
    setEditErrors({});
  }

  function patchRow(index: number, patch: Partial<EditRow>): void {
    setEditing((rows) => rows?.map((row, at) => (at === index ? { ...row, ...patch } : row)) ?? null);
  }

  async function saveEdits(): Promise<void> {
    if (!editing || !detail) return;
    const errors: Record<number, string> = {};
    const lineItems: LineItem[] = [];
    editing.forEach((row, index) => {
      if (row.removed) return;
      const parsed = parseYuan(row.amountText);
      if (!parsed.ok) errors[index] = parsed.message;
      else lineItems.push({ ...row.original, category: row.category, amountFen: parsed.fen });
    });
    setEditErrors(errors);
    if (Object.keys(errors).length > 0) return;
    if (lineItems.length === 0) return setFailure(new CloudError({ code: 'VALIDATION_FAILED', message: '至少保留一项费用' }));
    if (editReason.trim().length < 2) return setFailure(new CloudError({ code: 'VALIDATION_FAILED', message: '请写明修改原因' }));
    setBusy(true);
    setFailure(null);
    try {
      await reviewApi.editLineItems(claimSeen(detail), lineItems, editReason.trim());
      setEditing(null);
      setNotice('费用明细已修改，已按修改后的明细重新估算');
      await reload();
    } catch (error) {
      setFailure(failureOf(error));
    } finally {
      setBusy(false);
    }
  }

  if (!detail) {
    return <PageShell>{failure ? <ErrorBanner message={failure.message} code={failure.code} /> : <View className='muted'>加载中…</View>}</PageShell>;
  }

  const form = detail.form;
  const lineItems = detail.reviewedLineItems ?? form?.lineItems ?? [];
  const canEdit = detail.actions.includes('correctLineItems');
  // 修改费用明细 has its own editor beside the line items, not a button here.
  const buttons = detail.actions.filter((action) => action !== 'correctLineItems');
  const photoUrls = detail.photos.map((photo) => photo.url);
  const photosByMaterial = new Map<string, typeof detail.photos>();
  for (const photo of detail.photos) photosByMaterial.set(photo.materialId, [...(photosByMaterial.get(photo.materialId) ?? []), photo]);
  const results: Array<{ key: string; label: string; result: EstimateResult | null }> = [
    { key: 'estimate', label: '申报估算', result: detail.estimate },
    { key: 'reviewEstimate', label: '审核核定', result: detail.reviewEstimate },
    { key: 'settlement', label: '结算', result: detail.settlement },
  ];
  const shownResults = results.filter((column) => column.result !== null);
  const regionName = detail.estimate?.policy.regionName ?? form?.insured.region ?? '';
  const fourEyes = detail.status === 'settled' && !detail.actions.includes('verify') && !!me?.openid && me.openid === detail.settledBy;
  const originalsBlock = detail.status === 'reviewPassed' && detail.paperOriginalsRequired && !detail.paperOriginalsReceived;
  const supplementMaterialOptions: ChipOption<MaterialId>[] = (Object.keys(materialDefinitions) as MaterialId[])
    .sort((a, b) => Number(photosByMaterial.has(b)) - Number(photosByMaterial.has(a)))
    .map((value) => ({ value, label: materialLabel(value) }));

  return (
    <PageShell className='review-claim'>
      <View className='card'>
        <Text className='title' id='claim-title'>
          {detail.title}
        </Text>
        <View className='status-line'>
          <Text className='status-tag' id='claim-status'>
            {claimStatusLabel[detail.status]}
          </Text>
          {detail.overdue ? <Text className='overdue-tag'>已超期</Text> : null}
        </View>
        <Field label='申请金额' value={formatYuan(detail.amountFen)} />
        {detail.submittedAt ? <Field label='提交时间' value={timeFieldValue(new Date(detail.submittedAt))} /> : null}
        {detail.dueDate ? <Field label='办结时限' value={dateFieldValue(new Date(detail.dueDate))} /> : null}
        {detail.calendarNotice ? (
          <View className='muted' id='calendar-notice'>
            {detail.calendarNotice}
          </View>
        ) : null}
        {detail.policy ? <Field label='适用政策' value={policyName(detail, `${detail.policy.id}@${detail.policy.version}`)} /> : null}
        {detail.supplementReason ? <Field label='补件原因' value={detail.supplementReason} /> : null}
        {detail.requestedMaterials.length > 0 ? <Field label='需补材料' value={detail.requestedMaterials.map(materialLabel).join('、')} /> : null}
      </View>

      {failure ? <ErrorBanner message={failure.message} code={failure.code} /> : null}
      {notice ? (
        <View className='banner-ok' id='action-result' role='status'>
          {notice}
        </View>
      ) : null}

      <Section title='可办理的操作' id='actions'>
        {fourEyes ? <ErrorBanner message='您是这份申请的结算人：结算和复核不能由同一人完成（四眼原则），请交由其他复核人员复核' code='FOUR_EYES' /> : null}
        {detail.status === 'settled' && !detail.actions.includes('verify') && !fourEyes ? <View className='muted'>已结算，等待复核人员复核</View> : null}
        {originalsBlock ? <ErrorBanner message='本地政策要求纸质原件，收到原件并登记后才能结算' code='ORIGINALS_NOT_RECEIVED' /> : null}
        {buttons.length === 0 ? <View className='muted'>您现在没有可办理的操作</View> : null}
        {confirming ? (
          <Confirm
            id={`confirm-${confirming}`}
            title={confirming === 'settle' ? '确认结算这份申请？' : '确认这笔报销款已经支付？'}
            lines={moneyLines(detail, confirming)}
            confirmText={confirming === 'settle' ? '确认结算' : '确认已支付'}
            busy={busy}
            failure={failure}
            onConfirm={confirmMoney}
            onCancel={() => setConfirming(null)}
          />
        ) : null}
        <View className='action-buttons'>
          {buttons.filter((action) => action !== confirming).map((action) => (
            <Button
              key={action}
              id={`action-${action}`}
              className={['reject', 'returnFromVerification'].includes(action) ? 'secondary-button danger-button' : action === 'receiveOriginals' || action === 'requestSupplement' ? 'secondary-button' : 'primary-button'}
              disabled={busy}
              onClick={() => takeAction(action)}
            >
              {transitionOf(action).label}
            </Button>
          ))}
        </View>
        {openForm ? (
          <View className='action-form' id={`form-${openForm}`}>
            <Text className='section-title'>{transitionOf(openForm).label}</Text>
            {openForm === 'requestSupplement' ? (
              <Chips
                id='supplement-material'
                label='需要补充的材料（可多选，本申请已有照片的排在前面）'
                options={supplementMaterialOptions}
                selected={materials}
                multiple
                onToggle={(value) => setMaterials((chosen) => (chosen.includes(value) ? chosen.filter((item) => item !== value) : [...chosen, value]))}
              />
            ) : null}
            {openForm !== 'returnFromVerification' ? (
              <Chips
                id='reason'
                label='原因'
                options={Object.entries(openForm === 'requestSupplement' ? supplementReasons : rejectReasons).map(([value, label]) => ({ value, label }))}
                selected={[reasonCode]}
                onToggle={setReasonCode}
              />
            ) : null}
            <View className='field'>
              <Text className='field-label' id='reason-text-label'>
                {openForm === 'returnFromVerification' ? '退回原因（必填）' : reasonCode === 'other' ? '具体原因（必填）' : '补充说明（选填，申请人可见）'}
              </Text>
              <Textarea id='reason-text' className='field-input textarea' aria-labelledby='reason-text-label' maxlength={200} value={reasonText} onInput={(event) => setReasonText(event.detail.value)} />
            </View>
            <Button id='form-submit' className='primary-button' disabled={busy} onClick={submitForm}>
              {`确认${transitionOf(openForm).label}`}
            </Button>
            <Button id='form-cancel' className='secondary-button' onClick={() => setOpenForm(null)}>
              取消
            </Button>
          </View>
        ) : null}
      </Section>

      {form ? (
        <>
          <Section title='参保人（完整信息仅经办人员可见）' id='insured'>
            <Field label='姓名' value={form.insured.name} id='insured-name' />
            <Field label='身份证号' value={form.insured.idNumber} id='insured-id-number' />
            <Field label='与申请人关系' value={form.insured.relation === 'self' ? '本人' : '家属（代办）'} />
            <Field label='险种' value={`${insuranceTypeLabels[form.insured.insuranceType] ?? form.insured.insuranceType}${form.insured.retired ? '（退休）' : ''}`} />
            <Field label='参保地' value={`${regionName}（${form.insured.region}）`} />
            <Field label='联系电话' value={form.phone} id='insured-phone' />
          </Section>
          <Section title='医院与就诊' id='visit'>
            <Field label='医院' value={`${form.hospital.name}（${['', '一级', '二级', '三级'][form.hospital.level] ?? ''}医院）`} />
            <Field label='报销原因' value={`${scenarios[form.guide.scenario].label}${form.guide.outOfRegionKind ? `：${outOfRegionKindLabels[form.guide.outOfRegionKind].label}` : ''}`} />
            <Field label='就诊类型' value={guideVisitKindLabels[form.guide.visitKind]} />
            {form.visit.visitDate ? <Field label='就诊日期' value={form.visit.visitDate} /> : null}
            {form.visit.admissionDate ? <Field label='入院日期' value={form.visit.admissionDate} /> : null}
            {form.visit.dischargeDate ? <Field label='出院日期' value={form.visit.dischargeDate} /> : null}
            <Field label='电子票据' value={form.electronicInvoice ? '是' : '否'} />
          </Section>
          <Section title='收款账户' id='payout'>
            <Field label='开户银行' value={form.payout.bankName} />
            <Field label='账号' value={form.payout.accountNumber} id='payout-account' />
            <Field label='户名' value={form.payout.holderName} />
          </Section>
        </>
      ) : null}

      <Section title='纸质原件' id='originals'>
        <Field label='是否需要' value={detail.paperOriginalsRequired ? '本地政策要求交验纸质原件' : '不需要'} />
        {detail.originals ? <Field label='递交方式' value={`${detail.originals.method === 'mail' ? '邮寄' : '自送'}${detail.originals.trackingNumber ? `，快递单号 ${detail.originals.trackingNumber}` : ''}`} /> : null}
        <Field label='收件情况' value={detail.paperOriginalsReceived ? '已收到并登记' : '尚未收到'} id='originals-received' />
      </Section>

      <Section title='材料照片（点按放大）' id='photos'>
        {detail.photos.length === 0 ? <View className='muted'>没有照片</View> : null}
        {[...photosByMaterial.entries()].map(([materialId, photos]) => (
          <View key={materialId} className='photo-group'>
            <Text className='field-label'>{`${materialLabel(materialId)}（${photos.length} 张）`}</Text>
            <View className='photo-row'>
              {photos.map((photo, index) => (
                <Image
                  key={photo.fileID}
                  id={`photo-${materialId}-${index}`}
                  className='photo'
                  src={photo.url}
                  mode='aspectFill'
                  aria-label={`${materialLabel(materialId)} 第 ${index + 1} 张，点按放大`}
                  onClick={() => void Taro.previewImage({ urls: photoUrls, current: photo.url })}
                />
              ))}
            </View>
          </View>
        ))}
      </Section>

      {detail.receipts.length > 0 ? (
        <Section title='票据识别（编号对应照片上的位置）' id='receipts'>
          {detail.receipts.map((receipt, index) => (
            <ReceiptReading key={receipt.fileID} receipt={receipt} index={index} photoUrl={detail.photos.find((photo) => photo.fileID === receipt.fileID)?.url} />
          ))}
        </Section>
      ) : null}
      <Section title={detail.reviewedLineItems ? '费用明细（已由经办人员修改）' : '费用明细'} id='line-items'>
        {editing ? (
          <View id='line-edit'>
            {editing.map((row, index) => (
              <View key={index} className={`edit-row ${row.removed ? 'edit-row-removed' : ''}`}>
                <Text className='edit-row-name'>{row.name}</Text>
                {row.removed ? (
                  <View className='muted'>已删除</View>
                ) : (
                  <>
                    <Chips id={`line-${index}-category`} label='类别' options={categoryOptions} selected={[row.category]} onToggle={(category) => patchRow(index, { category })} />
                    <View className='field'>
                      <Text className='field-label' id={`line-${index}-amount-label`}>
                        金额（元）
                      </Text>
                      <Input id={`line-${index}-amount`} className='field-input' type='digit' aria-labelledby={`line-${index}-amount-label`} value={row.amountText} onInput={(event) => patchRow(index, { amountText: event.detail.value })} />
                      {editErrors[index] ? <View className='field-error'>{editErrors[index]}</View> : null}
                    </View>
                  </>
                )}
                <Button id={`line-${index}-remove`} className='secondary-button' onClick={() => patchRow(index, { removed: !row.removed })}>
                  {row.removed ? '恢复这一项' : '删除这一项'}
                </Button>
              </View>
            ))}
            <View className='field'>
              <Text className='field-label' id='edit-reason-label'>
                修改原因（必填，记入审核记录）
              </Text>
              <Textarea id='edit-reason' className='field-input textarea' aria-labelledby='edit-reason-label' maxlength={200} value={editReason} onInput={(event) => setEditReason(event.detail.value)} />
            </View>
            <Button id='line-save' className='primary-button' disabled={busy} onClick={() => void saveEdits()}>
              保存修改并重新估算
            </Button>
            <Button id='line-cancel' className='secondary-button' onClick={() => setEditing(null)}>
              放弃修改
            </Button>
          </View>
        ) : (
          <>
            {lineItems.map((item, index) => (
              <View key={index} className='kv'>
                <Text className='kv-label'>{`${item.name}（${categoryName(item.category)}）`}</Text>
                <Text className='kv-value'>{formatYuan(item.amountFen)}</Text>
              </View>
            ))}
            {canEdit ? (
              <Button id='line-edit-start' className='secondary-button' onClick={() => startEditing(lineItems)}>
                修改费用明细
              </Button>
            ) : null}
          </>
        )}
        {detail.corrections.length > 0 ? (
          <View className='corrections' id='corrections'>
            <Text className='field-label'>修改记录</Text>
            {detail.corrections.map((correction, index) => (
              <View key={index} className='list-row muted'>
                {`${timeFieldValue(new Date(correction.at))}　第 ${correction.index + 1} 项：${correction.before ? `${correction.before.name} ${categoryName(correction.before.category)} ${formatYuan(correction.before.amountFen)}` : '（无）'} → ${correction.after ? `${categoryName(correction.after.category)} ${formatYuan(correction.after.amountFen)}` : '删除'}；原因：${correction.reason}`}
              </View>
            ))}
          </View>
        ) : null}
      </Section>

      <Section title='报销金额' id='figures'>
        {shownResults.length === 0 ? (
          <View className='muted'>尚无估算</View>
        ) : (
          <View className='figures'>
            <View className='figures-row figures-head'>
              <Text className='figures-label'>项目</Text>
              {shownResults.map((column) => (
                <Text key={column.key} className='figures-cell'>
                  {column.label}
                </Text>
              ))}
            </View>
            {figureRows.map((row) => (
              <View key={row.key} className={`figures-row ${row.key === 'totalPaid' ? 'figures-total' : ''}`}>
                <Text className='figures-label'>{row.label}</Text>
                {shownResults.map((column) => (
                  <Text key={column.key} className='figures-cell' id={`figure-${column.key}-${row.key}`}>
                    {formatYuan(column.result?.[row.key] as number)}
                  </Text>
                ))}
              </View>
            ))}
          </View>
        )}
        {shownResults.map((column) =>
          column.result ? (
            <View key={column.key} className='trace'>
              <Button id={`trace-${column.key}`} className='secondary-button' onClick={() => setOpenTrace(openTrace === column.key ? null : column.key)}>
                {`${openTrace === column.key ? '收起' : '查看'}「${column.label}」的计算过程`}
              </Button>
              {openTrace === column.key ? (
                <View className='trace-steps'>
                  {column.result.trace.map((step, index) => (
                    <View key={index} className='list-row'>{`${index + 1}. ${step.text}`}</View>
                  ))}
                  {column.result.capsHit.map((cap) => (
                    <View key={cap.cap} className='list-row muted'>{`封顶：${cap.name}，限额 ${formatYuan(cap.limit)}，本次核减 ${formatYuan(cap.reducedBy)}`}</View>
                  ))}
                  {column.result.warnings.map((warning) => (
                    <View key={warning.code} className='list-row muted'>{`提示：${warning.message}`}</View>
                  ))}
                </View>
              ) : null}
            </View>
          ) : null,
        )}
      </Section>

      <Section title='办理进度' id='timeline'>
        {[...detail.timeline.steps, ...(detail.timeline.branch ? [detail.timeline.branch] : [])].map((step) => (
          <View key={step.key} className={`timeline-step timeline-${step.state}`}>
            <Text className='timeline-mark'>{timelineMarks[step.state]}</Text>
            <Text>{step.label}</Text>
            {step.at ? <Text className='muted'>{timeFieldValue(new Date(step.at))}</Text> : null}
            {step.detail ? <View className='muted timeline-detail'>{step.detail}</View> : null}
          </View>
        ))}
      </Section>

      <Section title='审核记录' id='history'>
        {detail.events.map((event: AuditEvent, index) => {
          const line = describeEvent(event);
          return (
            <View key={index} className='list-row history-row'>
              <Text className='history-title'>{line.title}</Text>
              <View className='muted'>{`${timeFieldValue(new Date(line.at))}　${roleLabels[event.role] ?? event.role}${event.role === 'claimant' ? '' : `（${detail.people[event.actor] ?? '经办人员'}）`}`}</View>
              <View className='muted'>{`${claimStatusLabel[event.from]} → ${claimStatusLabel[event.to]}`}</View>
              {line.detail ? <View className='muted'>{line.detail}</View> : null}
              {event.figures ? <View className='muted'>{Object.entries(event.figures).map(([key, fen]) => `${figureLabel(key)} ${formatYuan(fen)}`).join('，')}</View> : null}
              {event.policyVersion ? <View className='muted'>{`政策：${policyName(detail, event.policyVersion)}`}</View> : null}
            </View>
          );
        })}
      </Section>
      <Button id='open-audit' className='secondary-button' onClick={() => void Taro.navigateTo({ url: `/reviewer/pages/audit/index?id=${detail.id}` })}>
        完整办理记录（打印、下载 JSON）
      </Button>
    </PageShell>
  );
}
