/**
 * 确认提交: the summary, the declaration, and at the tap the subscribe-message request (mini-program)
 * and the submission — idempotent by the draft's own request id, kept across retries and reloads.
 */
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { CheckRow } from '../../../components/ChoiceChips';
import { DraftSteps, openStep } from '../../../components/DraftSteps';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { NoDraft } from '../../../components/NoDraft';
import { PageShell } from '../../../components/PageShell';
import {
  checkDraft,
  checklistOfDraft,
  isKeptValue,
  draftDeadline,
  estimateDraft,
  formStepErrors,
  guideOutcomeOf,
  missingOfDraft,
  normaliseDateInput,
  paperOriginalsRequiredOf,
  policyOf,
  regionLabel,
  regionOptions,
} from '../../../core/claimFormDraft';
import { shanghaiDate } from '../../../core/deadline';
import { guardianAccountNote, personRelationLabels } from '../../../core/contracts/persons';
import { maskBankAccount, maskIdNumber, maskPhone } from '../../../core/identity';
import { missingMaterialsMessage } from '../../../core/materials';
import { formatYuan } from '../../../core/money';
import { ESTIMATED_NOTHING_TO_PAY } from '../../../core/statusLabels';
import { ledgerOf, useDraftLedger } from '../../../components/useDraftLedger';
import { usePolicies } from '../../../components/usePolicies';
import { guideVisitKindLabels, outOfRegionKindLabels, scenarios } from '../../../core/scenarios';
import { hasPendingUploads } from '../../../core/uploadQueue';
import { claimsApi } from '../../../services/claims';
import { CloudError } from '../../../services/cloud';
import { draftMaterials, finishDraft, updateDraft, useDraft, useUploadQueue } from '../../../services/draft';
import { reviewOf, useReceiptReadings } from '../../../services/receipts';
import { requestClaimSubscriptions } from '../../../services/subscribe';
import { receiptTotalsNotice } from '../../../core/receiptFill';
import { TextWithDays } from '../../../components/TextWithDays';

function Row({ label, value, id }: { label: string; value: string; id?: string }): React.ReactNode {
  return (
    <View className='summary-row'>
      <Text className='summary-label'>{label}</Text>
      <Text className='summary-value' id={id}>
        {value}
      </Text>
    </View>
  );
}

/** What to do about a receipt the server refused as already claimed (its message names the earlier claim). */
const DUPLICATE_HINT =
  '同一张票据只能报销一次。请回到「上传材料」删除这张票据的照片；如果您认为有误，请联系参保地医保经办机构。';

export default function ConfirmPage(): React.ReactNode {
  const { draft, sync } = useDraft();
  const policies = usePolicies();
  const regions = regionOptions(policies);
  const queue = useUploadQueue(draft?.localId);
  const [problem, setProblem] = useState<{
    message: string;
    code?: string;
    issues?: string[];
    duplicate?: boolean;
    /** Photos missing: a way back to them (the only button went to 填写信息, and 返回 twice was the way). */
    missingPhotos?: boolean;
    /** The server named photos to delete (one photo given twice): the same way back (a walk found none). */
    photosToDelete?: boolean;
  } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  /** 已核对: the lines differ from the receipts' totals and the person filed them so after checking. */
  const [totalsChecked, setTotalsChecked] = useState(false);
  const receiptPhotos = draft
    ? (['invoice', 'pharmacyInvoice'] as const).flatMap((material) => draftMaterials(draft)[material] ?? [])
    : [];
  const readings = useReceiptReadings(receiptPhotos, draft?.serverId);
  const today = shanghaiDate(new Date());
  // The year so far, as 预估 used it: the figure here is the one 预估 showed and the claim will carry.
  const { ledger } = useDraftLedger(draft, policies, today);

  if (!draft) return <NoDraft />;
  const choice = policyOf(draft, policies, today);
  const policy = choice.ok ? choice.policy : null;
  const originalsRequired = paperOriginalsRequiredOf(draft, policy);
  const materials = draftMaterials(draft);
  const checklist = checklistOfDraft(draft, originalsRequired);
  const outcome = guideOutcomeOf(draft);
  const estimate = estimateDraft(draft, policies, ledgerOf(ledger), today);
  const ledgerLoading = ledger.state === 'loading';
  const deadline = draftDeadline(draft, policies, new Date(), today);
  // What 预估 said of the lines against the receipts, said again where the claim is filed (a walk: 改正后再提交 on 预估,
  // nothing here, and the claim went in 168.63 元 over its receipts).
  const totalsWarning = estimate.ok
    ? receiptTotalsNotice(
        Object.values(readings).flatMap((state) =>
          state.status === 'done'
            ? [{ reading: state.reading, review: reviewOf(draft.localId, state.reading.fileID) }]
            : [],
        ),
        receiptPhotos.length,
        estimate.result.total,
      )
    : null;

  async function submit(): Promise<void> {
    if (submitting || !draft) return;
    const check = checkDraft(draft, materials, {
      paperOriginalsRequired: originalsRequired,
      includeDeclaration: true,
      today,
      guardianAccountForMinors: policy?.processing.guardianAccountForMinors ?? false,
    });
    const missing = missingOfDraft(draft, materials, originalsRequired);
    const formErrors = Object.values(formStepErrors(check.errors));
    if (formErrors.length > 0) {
      setProblem({ message: '填写的内容还有需要修改的地方，请回到「填写信息」按红色提示修改', issues: formErrors });
      return;
    }
    const missingText = missingMaterialsMessage(missing);
    if (missingText) {
      setProblem({ message: missingText, missingPhotos: true });
      return;
    }
    if (totalsWarning && !totalsChecked) {
      setProblem({ message: '票据和费用明细对不上：请先核对；核对过仍按填写的提交，请勾选「已核对」' });
      return;
    }
    if (queue && hasPendingUploads(queue)) {
      setProblem({ message: '还有照片正在上传，请稍等上传完成后再提交' });
      return;
    }
    if (check.errors.declarationAccepted || !check.form) {
      setProblem({ message: check.errors.declarationAccepted ?? '请阅读并勾选承诺后再提交' });
      return;
    }
    // At the tap, before anything else: WeChat allows the subscribe request only here.
    const subscribed = requestClaimSubscriptions();
    setProblem(null);
    setSubmitting(true);
    try {
      await subscribed;
      const summary = await claimsApi.submit(
        { ...(draft.serverId ? { id: draft.serverId } : {}), form: check.form },
        draft.submitRequestId,
      );
      finishDraft();
      // The claim page alone: back never leads to the (now empty) form pages; its foot leads home.
      await Taro.reLaunch({ url: `/claimant/pages/claim-detail/index?id=${summary.id}&submitted=1` });
    } catch (error) {
      if (error instanceof CloudError && error.code === 'DUPLICATE_RECEIPT')
        setProblem({ message: error.message, code: error.code, issues: [DUPLICATE_HINT], duplicate: true });
      else if (error instanceof CloudError)
        setProblem({
          message: error.message,
          code: error.code,
          issues: error.issues?.map((issue) => issue.message) ?? [],
          photosToDelete: error.issues?.some((issue) => issue.path.startsWith('form.materials')) ?? false,
        });
      else setProblem({ message: '网络不太好，没能提交。请稍后再点「提交」，不会重复提交' });
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <PageShell>
      <DraftSteps current='confirm' reached={draft.step} sync={sync} />
      <View className='card' id='confirm-summary'>
        <View className='section-title'>请核对</View>
        <Row label='报销原因' value={outcome ? scenarios[outcome.scenario].label : '未选择'} />
        {/* What the figure depends on, said here too: 未备案 costs points, 分娩方式 sets the 定额 (a walk). */}
        {outcome?.outOfRegionKind ? (
          <Row
            label='异地情况'
            id='confirm-out-of-region'
            value={outOfRegionKindLabels[outcome.outOfRegionKind].label}
          />
        ) : null}
        <Row label='就诊类型' value={outcome ? guideVisitKindLabels[outcome.visitKind] : '未选择'} />
        {outcome?.visitKind === 'maternity' ? (
          <Row
            label='分娩方式'
            id='confirm-delivery'
            value={
              draft.visit.deliveryKind === 'natural'
                ? '顺产'
                : draft.visit.deliveryKind === 'cesarean'
                  ? '剖腹产'
                  : '未选择'
            }
          />
        ) : null}
        <Row
          label='参保人'
          id='confirm-name'
          value={`${draft.insured.name}${draft.insured.relation === 'relative' ? `（${draft.personRelation && draft.personRelation !== 'self' ? personRelationLabels[draft.personRelation] : '家人'}，代办）` : ''}`}
        />
        <Row
          label='身份证号'
          value={
            draft.insured.idNumber
              ? isKeptValue(draft, draft.insured.idNumber)
                ? draft.insured.idNumber
                : maskIdNumber(draft.insured.idNumber)
              : '未填写'
          }
        />
        <Row
          label='参保地'
          value={regionLabel(regions, draft.insured.region, draft.insured.insuranceType) || '未选择'}
        />
        <Row label='医院' value={draft.hospital.name || '未填写'} />
        <Row
          label='日期'
          value={
            (draft.guide.visitKind === 'inpatient' || draft.guide.visitKind === 'maternity'
              ? `${normaliseDateInput(draft.visit.admissionDate)} 至 ${normaliseDateInput(draft.visit.dischargeDate)}`
              : normaliseDateInput(draft.visit.visitDate)) || '未填写'
          }
        />
        <Row label='费用明细' value={`${draft.lineItems.length} 项`} />
        <Row
          id='confirm-payout'
          label='收款账户'
          value={
            draft.payout.accountNumber
              ? `${draft.payout.bankName} ${isKeptValue(draft, draft.payout.accountNumber) ? draft.payout.accountNumber : maskBankAccount(draft.payout.accountNumber)}${guardianAccountNote(draft.payout)}`
              : '未填写'
          }
        />
        <Row
          label='手机号'
          value={draft.phone ? (isKeptValue(draft, draft.phone) ? draft.phone : maskPhone(draft.phone)) : '未填写'}
        />
        <Row
          label='材料照片'
          value={`${checklist.filter((item) => (materials[item.id]?.length ?? 0) > 0).length} / ${checklist.length} 项，共 ${Object.values(materials).reduce((sum, files) => sum + files.length, 0)} 张`}
        />
        {originalsRequired ? (
          <Row
            label='纸质原件'
            value={
              draft.originals.method === 'mail'
                ? '邮寄（提交后填写快递单号）'
                : draft.originals.method === 'inPerson'
                  ? '自己送去'
                  : '未选择'
            }
          />
        ) : null}
        {estimate.ok ? (
          <Row
            label='预计医保支付'
            id='confirm-estimate'
            value={ledgerLoading ? '正在查询今年的报销记录…' : formatYuan(estimate.result.totalPaid)}
          />
        ) : null}
        {estimate.ok && !ledgerLoading && estimate.result.totalPaid === 0 ? (
          <View className='notice' id='confirm-nothing-to-pay'>
            {ESTIMATED_NOTHING_TO_PAY}
          </View>
        ) : null}
        {deadline ? (
          <View className={`notice ${deadline.filing.status === 'ok' ? 'notice-ok' : ''}`}>
            <TextWithDays text={deadline.text} />
          </View>
        ) : null}
        <Button className='secondary-button' onClick={() => openStep('form', false)}>
          修改填写的内容
        </Button>
      </View>
      {totalsWarning ? (
        <View className='card' id='confirm-totals'>
          <View className='field-warning'>{totalsWarning}</View>
          <CheckRow id='confirm-totals-checked' checked={totalsChecked} onChange={setTotalsChecked}>
            <Text>已核对：票据和明细我都看过，仍按填写的内容提交（经办机构会按票据核定）。</Text>
          </CheckRow>
        </View>
      ) : null}
      <View className='card'>
        <CheckRow
          id='declaration'
          checked={draft.declarationAccepted}
          onChange={(declarationAccepted) => updateDraft((current) => ({ ...current, declarationAccepted }))}
        >
          <Text>
            本人承诺：所填信息和上传的票据材料真实、完整；同一笔费用没有在其他地方重复报销；如有虚假，愿意承担相应责任。
          </Text>
        </CheckRow>
      </View>
      {problem ? (
        <View id='submit-problem'>
          <ErrorBanner message={problem.message} code={problem.code} />
          {problem.issues?.map((issue) => (
            <View key={issue} className='field-error'>
              {issue}
            </View>
          ))}
          {problem.duplicate || problem.missingPhotos || problem.photosToDelete ? (
            <Button
              id='submit-problem-materials'
              className='secondary-button'
              // Back to the photos as they were left (a second 上传材料 page stacked on the first, with 返回 through both).
              onClick={() => openStep('materials', false)}
            >
              {problem.duplicate
                ? '去「上传材料」处理这张票据'
                : problem.photosToDelete
                  ? '去「上传材料」删掉重复的照片'
                  : '去「上传材料」补拍照片'}
            </Button>
          ) : null}
        </View>
      ) : null}
      <Button
        id='submit-claim'
        className='primary-button'
        loading={submitting}
        disabled={submitting}
        onClick={() => void submit()}
      >
        提交报销申请
      </Button>
      <View className='muted' style={{ marginTop: '16px' }}>
        {estimate.ok && estimate.result.totalPaid === 0
          ? '提交后可以在「我的报销」查看进度；审核结果会在「消息」里通知您。'
          : '提交后可以在「我的报销」查看进度；审核结果和到账会在「消息」里通知您。'}
      </View>
    </PageShell>
  );
}
