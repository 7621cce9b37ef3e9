/**
 * 可办理的操作: the actions this reviewer may take now (the server's `actions`), the form for those
 * that need a reason (补件, 退回, 复核退回), and the confirmation before every step that cannot be taken back
 * (初审通过, 审核通过, 原件已收到, 复核通过; 结算 and 确认已支付 restating amount and payee). 编入支付批次 opens 支付批次
 * with the claim chosen.
 */
import { Button, Image, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { ErrorBanner } from '../../../../components/ErrorBanner';
import { materialDefinitions, type MaterialId } from '../../../../core/materials';
import {
  handlersOf,
  rejectReasons,
  supplementReasons,
  transitionOf,
  type RejectReason,
  type SupplementReason,
  type WorkflowAction,
} from '../../../../core/workflow';
import { claimStatusText } from '../../../../core/statusLabels';
import { CloudError } from '../../../../services/cloud';
import { claimSeen, reviewApi, type ReviewDecision } from '../../../../services/review';
import { getDevUser } from '../../../../services/session';
import { Chips, type ChipOption } from '../../../components/Chips';
import { Confirm } from '../../../components/Confirm';
import { confirmLines, confirmTitles, decisionConfirmLines, decisionConfirmTitles } from '../confirmText';
import { materialLabel, Section } from '../parts';
import { photosByMaterial } from './PhotosSection';
import type { ReviewClaim } from '../useReviewClaim';

/** Actions that need a form before they go to the server. */
type FormAction = 'requestSupplement' | 'reject' | 'returnFromVerification';
const formActions: readonly WorkflowAction[] = ['requestSupplement', 'reject', 'returnFromVerification'];
/** Steps that cannot be taken back: each asks again, restating what it does, before it goes to the server. */
type ConfirmedAction = keyof typeof confirmTitles;
const isConfirmed = (action: WorkflowAction): action is ConfirmedAction => Object.hasOwn(confirmTitles, action);

const buttonClass = (action: WorkflowAction): string =>
  ['reject', 'returnFromVerification'].includes(action)
    ? 'secondary-button danger-button'
    : action === 'receiveOriginals' || action === 'requestSupplement'
      ? 'secondary-button'
      : 'primary-button';

/** The reason as the claimant will read it: the list's label, then the free text. */
function reasonSentence(form: FormAction, reasonCode: string, reasonText: string): string {
  const text = reasonText.trim();
  if (form === 'returnFromVerification' || reasonCode === 'other') return text;
  const label = (rejectReasons as Record<string, string | undefined>)[reasonCode] ?? reasonCode;
  return text ? `${label}：${text}` : label;
}

/** The decision the open form describes, or the sentence saying what is missing. */
function decisionOf(
  form: FormAction,
  reasonCode: string,
  reasonText: string,
  materials: MaterialId[],
  retakePhotos: string[],
): ReviewDecision | CloudError {
  const text = reasonText.trim();
  const missing = (message: string, code = 'REASON_REQUIRED') => new CloudError({ code, message });
  if (form === 'returnFromVerification')
    return text.length === 0 ? missing('请写明复核退回的原因') : { action: 'returnFromVerification', reasonText: text };
  if (!reasonCode) return missing('请从列表中选择原因');
  if (reasonCode === 'other' && text.length === 0) return missing('选择“其他”时请写明具体原因');
  const note = text ? { reasonText: text } : {};
  if (form === 'reject') return { action: 'reject', reasonCode: reasonCode as RejectReason, ...note };
  if (materials.length === 0) return missing('请选择需要补充的材料', 'SUPPLEMENT_MATERIALS_REQUIRED');
  return {
    action: 'requestSupplement',
    materials,
    reasonCode: reasonCode as SupplementReason,
    ...note,
    ...(retakePhotos.length > 0 ? { retakePhotos } : {}),
  };
}

export function ActionsSection({
  claim,
  materialsWithPhotos,
}: {
  claim: ReviewClaim;
  materialsWithPhotos: ReadonlySet<string>;
}): React.ReactNode {
  const { detail, busy, failure } = claim;
  const [openForm, setOpenForm] = useState<FormAction | null>(null);
  const [reasonCode, setReasonCode] = useState('');
  const [reasonText, setReasonText] = useState('');
  const [materials, setMaterials] = useState<MaterialId[]>([]);
  /** Photos of the chosen materials to send back to be taken again (重拍), by fileID. */
  const [retake, setRetake] = useState<string[]>([]);
  /** A step that cannot be taken back waits for a second tap on a panel restating it (amount and payee for money). */
  const [confirming, setConfirming] = useState<ConfirmedAction | null>(null);
  /** 退回 / 复核退回 filled in and asked again: the decision waiting for the second tap. */
  const [decisionToConfirm, setDecisionToConfirm] = useState<ReviewDecision | null>(null);
  // The form's own "what is missing" leaves once the form changes (a walk: 请从列表中选择原因 stayed above 确认要求补件
  // with a reason chosen).
  const formProblem = failure?.code === 'REASON_REQUIRED' || failure?.code === 'SUPPLEMENT_MATERIALS_REQUIRED';
  useEffect(() => {
    if (formProblem) claim.fail(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on a change of the form only, not of the failure
  }, [reasonCode, reasonText, materials]);
  if (!detail) return null;
  const changedUnderMe = failure?.code === 'CONFLICT';
  const seen = claimSeen(detail);
  const me = getDevUser() as { name: string; openid?: string } | null;
  // 修改费用明细 has its own editor beside the line items, 识别票据 its button under the photo's reading, 确认已支付 is
  // the payment batch's (the line below names it): not buttons here.
  const buttons = detail.actions.filter(
    (action) => action !== 'correctLineItems' && action !== 'readReceipt' && action !== 'markPaid',
  );
  // 复核 is for someone who did not handle the claim: the settler, and whoever took 初审, 审核 or corrected its lines
  // (a walk: 赵复核, who had taken 初审 and 审核, read only 等待复核人员复核).
  const handledByMe = !!me?.openid && handlersOf(detail.events, detail.corrections).includes(me.openid);
  const fourEyes = detail.status === 'settled' && !detail.actions.includes('verify') && handledByMe;
  const fourEyesMessage =
    me?.openid === detail.settledBy
      ? '您是这份申请的结算人：结算和复核不能由同一人完成（四眼原则），请交由其他复核人员复核'
      : '您经手过这份申请（初审、审核、修改明细或结算）：复核须由没有经手的人完成（四眼原则），请交由其他复核人员复核';
  const originalsBlock =
    detail.status === 'reviewPassed' && detail.paperOriginalsRequired && !detail.paperOriginalsReceived;
  const supplementMaterialOptions: ChipOption<MaterialId>[] = (Object.keys(materialDefinitions) as MaterialId[])
    .sort((a, b) => Number(materialsWithPhotos.has(b)) - Number(materialsWithPhotos.has(a)))
    .map((value) => ({ value, label: materialLabel(value) }));

  const runClosingForm = async (action: WorkflowAction, perform: () => Promise<unknown>): Promise<void> => {
    if (await claim.run(action, perform)) setOpenForm(null);
  };

  function takeAction(action: WorkflowAction): void {
    if (formActions.includes(action)) {
      setOpenForm(action as FormAction);
      setReasonCode('');
      setReasonText('');
      setMaterials([]);
      setRetake([]);
      claim.fail(null);
      return;
    }
    // 编入支付批次 happens on 支付批次, with this claim already chosen (a batch takes one or many claims).
    if (action === 'batchForPayment') {
      void Taro.navigateTo({ url: `/reviewer/pages/payments/index?claim=${encodeURIComponent(seen.id)}` });
      return;
    }
    if (isConfirmed(action)) setConfirming(action);
  }

  function confirmAction(): void {
    if (!confirming || !detail) return;
    const action = confirming;
    // The figure the dialog restated: 结算 of another one is refused (the year moved since the page was loaded).
    const confirmedPaidFen = detail.settlementPreview?.totalPaid;
    const perform: Record<ConfirmedAction, () => Promise<unknown>> = {
      passPreliminary: () => reviewApi.decide(seen, { action: 'passPreliminary' }),
      passReview: () => reviewApi.decide(seen, { action: 'passReview' }),
      receiveOriginals: () => reviewApi.receiveOriginals(seen),
      verify: () => reviewApi.verify(seen),
      settle: () =>
        confirmedPaidFen === undefined
          ? Promise.reject(
              new CloudError({
                code: 'SETTLEMENT_PREVIEW_MISSING',
                message: '这份申请的结算预估还没有算出来，不能结算。请刷新页面，核对结算预估后再确认。',
              }),
            )
          : reviewApi.settle(seen, confirmedPaidFen),
      closeWithoutPayment: () => reviewApi.closeWithoutPayment(seen),
    };
    void runClosingForm(action, perform[action]).then(() => setConfirming(null));
  }

  function submitForm(): void {
    if (!openForm || !detail) return;
    // Only photos of materials still chosen go back (one chosen, then its material unticked, stays on the claim).
    const chosenRetakes = detail.photos
      .filter((photo) => retake.includes(photo.fileID) && materials.includes(photo.materialId as MaterialId))
      .map((photo) => photo.fileID);
    const decision = decisionOf(openForm, reasonCode, reasonText, materials, chosenRetakes);
    if (decision instanceof CloudError) return claim.fail(decision);
    // 退回 ends the claim for the claimant, 复核退回 takes a settlement back: each asks again, restating it.
    if (openForm !== 'requestSupplement') {
      claim.fail(null);
      setDecisionToConfirm(decision);
      return;
    }
    void runClosingForm(openForm, () => reviewApi.decide(seen, decision));
  }

  function confirmDecision(): void {
    if (!openForm || !decisionToConfirm) return;
    const decision = decisionToConfirm;
    void runClosingForm(openForm, () => reviewApi.decide(seen, decision)).then(() => setDecisionToConfirm(null));
  }

  return (
    <Section title='可办理的操作' id='actions'>
      {fourEyes ? <ErrorBanner message={fourEyesMessage} code='FOUR_EYES' /> : null}
      {detail.status === 'settled' && !detail.actions.includes('verify') && !fourEyes ? (
        <View className='muted'>已结算，等待复核人员复核</View>
      ) : null}
      {originalsBlock ? (
        <ErrorBanner message='本地政策要求纸质原件，收到原件并登记后才能结算' code='ORIGINALS_NOT_RECEIVED' />
      ) : null}
      {detail.status === 'verified' && detail.paymentBatch ? (
        <View className='notice' id='in-payment-batch'>
          <View>{`已编入支付批次 ${detail.paymentBatch}：按批次的银行文件付款后，在「支付批次」里确认支付。`}</View>
          <Button
            id='open-payment-batch'
            className='secondary-button'
            onClick={() => void Taro.navigateTo({ url: '/reviewer/pages/payments/index' })}
          >
            打开支付批次
          </Button>
        </View>
      ) : buttons.length === 0 ? (
        <View className='muted'>您现在没有可办理的操作</View>
      ) : null}
      {confirming && !changedUnderMe ? (
        <Confirm
          id={`confirm-${confirming}`}
          title={confirmTitles[confirming]}
          lines={confirmLines(detail, confirming)}
          confirmText={
            confirming === 'settle' ? '确认结算' : confirming === 'closeWithoutPayment' ? '确认办结' : '确认'
          }
          busy={busy}
          failure={failure}
          onConfirm={confirmAction}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
      {changedUnderMe ? (
        // Changed by someone else since it was read: said where the buttons were, and no button until it is seen — the
        // page reloaded, and the next stage's button took the place of the one pressed (a walk: 审核通过 under the
        // pointer of a reviewer who had pressed 初审通过, the refusal 86 px above the screen).
        <View id='action-conflict'>
          <ErrorBanner
            message={`这份申请刚被其他人办理过，页面已刷新为最新状态「${claimStatusText(detail)}」：请先看清上面的情况，再决定怎么办理。`}
            code='CONFLICT'
          />
          <Button
            id='action-conflict-seen'
            className='secondary-button'
            onClick={() => {
              setConfirming(null);
              claim.fail(null);
            }}
          >
            已看过最新状态，继续办理
          </Button>
        </View>
      ) : (
        <View className='action-buttons'>
          {buttons
            .filter((action) => action !== confirming)
            .map((action) => (
              <Button
                key={action}
                id={`action-${action}`}
                className={buttonClass(action)}
                disabled={busy}
                onClick={() => takeAction(action)}
              >
                {transitionOf(action).label}
              </Button>
            ))}
        </View>
      )}
      {/* While the change by someone else is said above, the form waits (its refusal and its confirm said it twice and
          three times — a desk walk); seen, it is back with what was typed, if the claim as it is now still takes it. */}
      {openForm && !changedUnderMe && detail.actions.includes(openForm) ? (
        <View className='action-form' id={`form-${openForm}`}>
          <Text className='section-title'>{transitionOf(openForm).label}</Text>
          {openForm === 'requestSupplement' ? (
            <Chips
              id='supplement-material'
              label='需要补充的材料（可多选，本申请已有照片的排在前面）'
              options={supplementMaterialOptions}
              selected={materials}
              multiple
              onToggle={(value) =>
                setMaterials((chosen) =>
                  chosen.includes(value) ? chosen.filter((item) => item !== value) : [...chosen, value],
                )
              }
            />
          ) : null}
          {openForm === 'requestSupplement' ? (
            <RetakePicker
              detail={detail}
              materials={materials}
              chosen={retake}
              onToggle={(fileID) =>
                setRetake((chosen) =>
                  chosen.includes(fileID) ? chosen.filter((item) => item !== fileID) : [...chosen, fileID],
                )
              }
            />
          ) : null}
          {openForm !== 'returnFromVerification' ? (
            <Chips
              id='reason'
              label='原因'
              options={Object.entries(openForm === 'requestSupplement' ? supplementReasons : rejectReasons).map(
                ([value, label]) => ({ value, label }),
              )}
              selected={[reasonCode]}
              onToggle={setReasonCode}
            />
          ) : null}
          <View className='field'>
            <Text className='field-label' id='reason-text-label'>
              {openForm === 'returnFromVerification'
                ? '退回原因（必填，申请人可见：会写在通知申请人的消息里）'
                : reasonCode === 'other'
                  ? '具体原因（必填）'
                  : '补充说明（选填，申请人可见）'}
            </Text>
            <Textarea
              id='reason-text'
              className='field-input textarea'
              aria-labelledby='reason-text-label'
              maxlength={200}
              value={reasonText}
              onInput={(event) => setReasonText(event.detail.value)}
            />
          </View>
          {failure ? (
            <View id='form-error'>
              <ErrorBanner message={failure.message} code={failure.code} />
            </View>
          ) : null}
          {decisionToConfirm && openForm !== 'requestSupplement' ? (
            <Confirm
              id={`confirm-${openForm}`}
              title={decisionConfirmTitles[openForm]}
              lines={decisionConfirmLines(detail, openForm, reasonSentence(openForm, reasonCode, reasonText))}
              confirmText={`确认${transitionOf(openForm).label}`}
              busy={busy}
              failure={failure}
              onConfirm={confirmDecision}
              onCancel={() => setDecisionToConfirm(null)}
            />
          ) : (
            <Button id='form-submit' className='primary-button' disabled={busy} onClick={submitForm}>
              {`确认${transitionOf(openForm).label}`}
            </Button>
          )}
          <Button
            id='form-cancel'
            className='secondary-button'
            onClick={() => {
              setOpenForm(null);
              setDecisionToConfirm(null);
            }}
          >
            取消
          </Button>
        </View>
      ) : null}
    </Section>
  );
}

/**
 * 退回重拍: the photos of the materials asked for, each to tick when it is unreadable or wrong. A ticked photo leaves the
 * claim with the 补件 request; the claimant is shown which one to take again. Before, a wrong photo stayed on the claim
 * for good, beside the one sent again.
 */
function RetakePicker({
  detail,
  materials,
  chosen,
  onToggle,
}: {
  detail: NonNullable<ReviewClaim['detail']>;
  materials: readonly MaterialId[];
  chosen: readonly string[];
  onToggle: (fileID: string) => void;
}): React.ReactNode {
  const groups = [...photosByMaterial(detail).entries()].filter(([materialId]) =>
    materials.includes(materialId as MaterialId),
  );
  if (groups.length === 0) return null;
  return (
    <View className='chips-field' id='retake'>
      <Text className='field-label' id='retake-label'>
        退回重拍（选填）：点选看不清或拍错的照片，申请人会看到要重拍哪一张
      </Text>
      {groups.map(([materialId, photos]) => (
        <View key={materialId} className='photo-row' role='group' aria-labelledby='retake-label'>
          {photos.map((photo, index) => {
            const on = chosen.includes(photo.fileID);
            return (
              <View
                key={photo.fileID}
                id={`retake-${materialId}-${index}`}
                className={`photo-cell retake-cell ${on ? 'retake-cell-on' : ''}`}
                role='checkbox'
                aria-checked={on}
                onClick={() => onToggle(photo.fileID)}
              >
                <Image className='photo' src={photo.url} mode='aspectFill' aria-hidden />
                <Text className='retake-caption'>{`${materialLabel(materialId)} 第 ${index + 1} 张`}</Text>
                <Text className={on ? 'status-tag status-tag-attention' : 'retake-caption'}>
                  {on ? '✓ 退回重拍' : '点选退回'}
                </Text>
              </View>
            );
          })}
        </View>
      ))}
    </View>
  );
}
