/**
 * 填写: the insured person (a family member picked, or typed and then kept as one), hospital and dates,
 * line items (yuan typed, fen stored), payout account in the insured person's name, phone, how the paper
 * originals will go. Each field is bound by name (`useDraftField`); messages from the core schemas show
 * as the person types; the instant estimate follows along at the bottom.
 */
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useMemo, useState } from 'react';
import { DraftSteps } from '../../../components/DraftSteps';
import { NoDraft } from '../../../components/NoDraft';
import { PageShell } from '../../../components/PageShell';
import { ReceiptCards } from '../../../components/ReceiptCards';
import { LineItemsSection } from '../../../components/claimForm/LineItemsSection';
import { OriginalsSection } from '../../../components/claimForm/OriginalsSection';
import { PayoutSection } from '../../../components/claimForm/PayoutSection';
import { PersonSection } from '../../../components/claimForm/PersonSection';
import { VisitSection } from '../../../components/claimForm/VisitSection';
import { usePersons } from '../../../components/claimForm/usePersons';
import { stepPages } from '../../../components/draftRoutes';
import { anchorOf, useDraftField } from '../../../components/useDraftField';
import { ledgerOf, useDraftLedger } from '../../../components/useDraftLedger';
import { usePolicies } from '../../../components/usePolicies';
import {
  ageOf,
  checkDraft,
  offersGuardianAccount,
  draftDeadline,
  estimateDraft,
  formFieldOrder,
  formStepErrors,
  paperOriginalsRequiredOf,
  personInputOfDraft,
  diseaseChoices,
  policyOf,
  regionOptions,
  visibleErrors,
  withSelfChosen,
  type ClaimDraftState,
} from '../../../core/claimFormDraft';
import { shanghaiDate } from '../../../core/deadline';
import { formatYuan } from '../../../core/money';
import { claimsApi } from '../../../services/claims';
import { CloudError, newRequestId } from '../../../services/cloud';
import { updateDraft, useDraft, useUploadQueue } from '../../../services/draft';
import { choosePhotos, notImagesMessage, photoUploader, type PhotoSource } from '../../../services/photos';
import { TextWithDays } from '../../../components/TextWithDays';

/**
 * Keeps the person of a valid form as a family member (the same 身份证号 updates the same one), so the
 * next claim — or this draft on another device — picks them instead of retyping. Never blocks: offline,
 * the claim goes on with what was typed.
 */
async function keepPerson(draft: ClaimDraftState): Promise<void> {
  const person = personInputOfDraft(draft);
  if (!person) return;
  try {
    const saved = await claimsApi.savePerson(person, newRequestId());
    updateDraft((current) => ({ ...current, personId: saved.id, personRelation: saved.relation }));
  } catch (error) {
    // Offline: kept on the next try. Refused for who the person is (another member's 身份证号, a second 本人…): said,
    // since the number typed is most likely someone else's (a walk typed 王秀英's number for 何涛, and nothing said so).
    if (error instanceof CloudError && error.code.startsWith('PERSON_'))
      await Taro.showModal({
        title: '请核对参保人',
        content: error.message,
        showCancel: false,
        confirmText: '知道了',
      }).catch(() => undefined);
  }
}

function FormPage({
  draft,
  sync,
}: {
  draft: ClaimDraftState;
  sync: ReturnType<typeof useDraft>['sync'];
}): React.ReactNode {
  const policies = usePolicies();
  const persons = usePersons();
  // 本人 saved: a draft naming nobody yet is for them (withSelfChosen leaves any choice or typing alone).
  useEffect(() => {
    // (Only when it chooses: every updateDraft is a save.)
    if (withSelfChosen(draft, persons) !== draft) updateDraft((current) => withSelfChosen(current, persons));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per list of persons read, not per keystroke
  }, [persons]);
  const regions = regionOptions(policies);
  const queue = useUploadQueue(draft.localId);
  const receiptMaterial = draft.guide.scenario === 'externalPharmacy' ? 'pharmacyInvoice' : 'invoice';
  const [receiptProblem, setReceiptProblem] = useState('');
  const today = shanghaiDate(new Date());
  const policyChoice = policyOf(draft, policies, today);
  const policy = policyChoice.ok ? policyChoice.policy : null;
  const originalsRequired = paperOriginalsRequiredOf(draft, policy);
  const guardianAccountForMinors = policy?.processing.guardianAccountForMinors ?? false;
  const check = useMemo(
    () => checkDraft(draft, {}, { paperOriginalsRequired: originalsRequired, today, guardianAccountForMinors }),
    [draft, originalsRequired, today, guardianAccountForMinors],
  );
  const stepErrors = formStepErrors(check.errors);
  const form = useDraftField(draft, stepErrors, visibleErrors);
  const deadline = draftDeadline(draft, policies, new Date(), today);
  // The year so far (起付线 used, limits left), as 预估 and 确认提交 use it: one figure on the three.
  const { ledger } = useDraftLedger(draft, policies, today);
  const instant = estimateDraft(draft, policies, ledgerOf(ledger), today);

  function next(): void {
    if (Object.keys(stepErrors).length > 0) {
      form.setShowAll(true);
      const first =
        formFieldOrder.find((field) => Object.keys(stepErrors).some((path) => path.startsWith(field))) ??
        Object.keys(stepErrors)[0];
      void Taro.showToast({ title: '还有内容需要修改', icon: 'none' });
      if (first) void Taro.pageScrollTo({ selector: `#${anchorOf(first)}`, duration: 200 }).catch(() => undefined);
      return;
    }
    void keepPerson(draft);
    updateDraft((current) => ({ ...current, step: 'materials' }));
    void Taro.navigateTo({ url: stepPages.materials });
  }

  /**
   * 拍票据自动填写: the photo joins the receipts' material (same upload queue as the 材料 step) — 药店购药发票 for medicine
   * bought outside (a walk: the pharmacy's invoice was filed as 医院发票, and the 药店 item asked for it again).
   */
  async function addReceipt(source: PhotoSource): Promise<void> {
    setReceiptProblem('');
    try {
      const { photos, notImages } = await choosePhotos(source);
      if (notImages > 0) setReceiptProblem(notImagesMessage(notImages));
      if (photos.length > 0) await photoUploader(draft.localId).addPhotos(receiptMaterial, photos);
    } catch {
      setReceiptProblem('没能添加照片，请重试；也可以直接在下面填写');
    }
  }

  return (
    <PageShell>
      <DraftSteps current='form' reached={draft.step} sync={sync} />
      {deadline ? (
        <View className={`notice ${deadline.filing.status === 'ok' ? 'notice-ok' : ''}`} id='deadline-note'>
          <TextWithDays text={deadline.text} />
        </View>
      ) : null}

      <View className='card' id='form-receipts'>
        <View className='section-title'>拍收费票据，自动填写</View>
        <View className='muted'>
          拍下医院的收费票据，医院名称、日期和费用明细会识别出来，您核对确认后再填入下面的表格。照片也会作为「收费票据」材料提交。
        </View>
        <View className='row' style={{ marginTop: '12px' }}>
          <Button id='form-receipt-camera' className='small-button row-grow' onClick={() => void addReceipt('camera')}>
            拍票据
          </Button>
          <Button id='form-receipt-album' className='small-button row-grow' onClick={() => void addReceipt('album')}>
            从相册选
          </Button>
        </View>
        {receiptProblem ? <View className='field-error'>{receiptProblem}</View> : null}
        <ReceiptCards draft={draft} queue={queue} materialId={receiptMaterial} idPrefix='form-receipt' showUploads />
      </View>

      <PersonSection draft={draft} form={form} persons={persons} regions={regions} />
      <VisitSection
        draft={draft}
        form={form}
        today={today}
        deadlineWarning={deadline?.filing.status === 'expired' ? deadline.text : undefined}
        diseases={policy ? diseaseChoices(policy, draft.guide.visitKind) : null}
      />
      <LineItemsSection draft={draft} form={form} />
      <PayoutSection
        draft={draft}
        form={form}
        guardianOffered={offersGuardianAccount(
          guardianAccountForMinors,
          ageOf(draft.insured.idNumber, today),
          draft.personRelation,
        )}
      />
      <OriginalsSection draft={draft} form={form} originalsRequired={originalsRequired} policy={policy} />

      <View className='card' id='form-estimate'>
        <View className='section-title'>预计能报多少</View>
        {instant.ok ? (
          <View>
            <Text>医保预计支付 </Text>
            <Text className='big-figure' id='form-estimate-fund'>
              {ledger.state === 'loading' ? '…' : formatYuan(instant.result.totalPaid)}
            </Text>
            <View className='muted'>{`自己负担 ${formatYuan(instant.result.claimantPays)}，详细计算在「预估金额」一步`}</View>
          </View>
        ) : (
          <View className='muted'>{instant.message}</View>
        )}
      </View>

      {form.showAll && Object.keys(form.errors).length > 0 ? (
        <View className='banner-error' role='alert' id='form-errors'>
          {`还有 ${Object.keys(form.errors).length} 处需要修改，见红色提示`}
        </View>
      ) : null}
      <Button id='form-next' className='primary-button' onClick={next}>
        下一步：上传材料
      </Button>
    </PageShell>
  );
}

export default function ClaimFormPage(): React.ReactNode {
  const { draft, sync } = useDraft();
  return draft ? <FormPage draft={draft} sync={sync} /> : <NoDraft />;
}
