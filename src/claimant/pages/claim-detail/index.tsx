/**
 * 报销详情: status timeline (提交 → 初审 → 审核 → 结算 → 复核 → 已支付, or 补件 / 退回 / 撤回), the
 * estimate next to the reviewed and settled figures, the materials, the history; 补件 uploads only
 * what was asked; 撤回 while the claim has not entered review.
 */
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { EstimateTrace, PolicyLine } from '../../../components/EstimateView';
import { shanghaiDateTime } from '../../../components/format';
import { MaterialPhotos } from '../../../components/MaterialPhotos';
import { OriginalsCard } from '../../../components/OriginalsCard';
import { PageShell } from '../../../components/PageShell';
import { RetakeNotice } from './RetakeNotice';
import { TextWithDays } from '../../../components/TextWithDays';
import { openDraft } from '../../../components/openDraft';
import { claimNumberOf } from '../../../core/claimNumber';
import { figuresNote } from '../../../core/claimFigures';
import { materialDefinitions, type MaterialId } from '../../../core/materials';
import { formatYuan } from '../../../core/money';
import { refileAdvice } from '../../../core/refile';
import { familyPayeeName, payoutAccountText } from '../../../core/notifications';
import { claimStatusText, ORIGINALS_TO_HAND_IN } from '../../../core/statusLabels';
import { hasPendingUploads } from '../../../core/uploadQueue';
import { withoutFinalStop } from '../../../core/text';
import { describeEvent, timelineRows } from '../../../core/workflow';
import { claimsApi, type ClaimDetail } from '../../../services/claims';
import { receiptsApi } from '../../../services/receipts';
import { CloudError, newRequestId, temporaryUrl } from '../../../services/cloud';
import { useUploadQueue } from '../../../services/draft';
import { previewPhotos } from '../../../services/photoPreview';
import { photoUploader } from '../../../services/photos';

const toError = (error: unknown, fallback: string): CloudError =>
  error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message: fallback });

/** 参保人 and 就诊日期 (or 住院 from–to) from a claim's form, as far as it has them. */
/** The reason code of a claim's last 退回 (不予受理), if it has one. */
function lastReturnReason(events: ClaimDetail['events']): string | undefined {
  const returns = events.filter((event) => event.action === 'reject');
  return returns[returns.length - 1]?.reasonCode;
}

function callHotline(): void {
  void Taro.makePhoneCall({ phoneNumber: '12393' }).catch(() => undefined);
}

function whoAndWhen(form: Record<string, unknown> | null): Array<[string, string]> {
  const insured = form?.insured as { name?: unknown } | undefined;
  const visit = form?.visit as { visitDate?: unknown; admissionDate?: unknown; dischargeDate?: unknown } | undefined;
  const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
  const rows: Array<[string, string]> = [];
  const name = text(insured?.name);
  if (name) rows.push(['参保人', name]);
  const admitted = text(visit?.admissionDate);
  const discharged = text(visit?.dischargeDate);
  const visited = text(visit?.visitDate);
  if (admitted) rows.push(['住院日期', discharged ? `${admitted} 至 ${discharged}` : admitted]);
  else if (visited) rows.push(['就诊日期', visited]);
  return rows;
}

/** One label and value of the claim's head. */
function SummaryRow({ label, value, id }: { label: string; value: React.ReactNode; id?: string }): React.ReactNode {
  return (
    <View className='summary-row'>
      <Text>{label}</Text>
      <Text className='summary-value' id={id}>
        {value}
      </Text>
    </View>
  );
}

export default function ClaimDetailPage(): React.ReactNode {
  const router = useRouter();
  const id = router.params.id ?? '';
  const justSubmitted = router.params.submitted === '1';
  const [claim, setClaim] = useState<ClaimDetail | null>(null);
  const [failure, setFailure] = useState<CloudError | null>(null);
  // 提交补充材料's own failure, shown beside its button (the page's banner is far above it).
  const [supplementFailure, setSupplementFailure] = useState<CloudError | null>(null);
  const [busy, setBusy] = useState(false);
  // One request id per page visit: a second tap (or a retry after a lost answer) opens the same new draft.
  const [refileRequestId] = useState(newRequestId);
  const [notice, setNotice] = useState('');
  const supplementUploader = `supplement-${id}`;
  const queue = useUploadQueue(claim?.status === 'supplementRequested' ? supplementUploader : undefined);
  // "还缺少…" and "还有照片正在上传" describe the photos: once the photos no longer match them, they go (a walk saw
  // 还缺少 stay red under a photo marked 已上传 until the next tap).
  useEffect(() => {
    if (!claim || !supplementFailure) return;
    const uploader = photoUploader(supplementUploader);
    const stillMissing = claim.requestedMaterials.some(
      (materialId) => uploader.completedFileIds(materialId).length === 0,
    );
    if (
      (supplementFailure.code === 'MATERIALS_MISSING' && !stillMissing) ||
      (supplementFailure.code === 'UPLOADING' && queue && !hasPendingUploads(queue))
    )
      setSupplementFailure(null);
  }, [queue, claim, supplementFailure, supplementUploader]);

  async function load(): Promise<void> {
    try {
      setClaim(await claimsApi.get(id));
      setFailure(null);
    } catch (error) {
      setFailure(toError(error, '加载失败，请重试'));
    }
  }

  useDidShow(() => void load());

  async function withdraw(): Promise<void> {
    const answer = await Taro.showModal({
      title: '撤回这份申请？',
      content: '撤回后经办机构不再审核；需要时可以重新提交一份。',
      confirmText: '撤回',
      cancelText: '不撤回',
    }).catch(() => ({ confirm: true }));
    if (!answer.confirm) return;
    setBusy(true);
    try {
      await claimsApi.withdraw(id, claim?.status ?? 'submitted');
      setNotice('已撤回');
      await load();
    } catch (error) {
      setFailure(toError(error, '撤回失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  async function answerSupplement(): Promise<void> {
    if (!claim) return;
    const uploader = photoUploader(supplementUploader);
    const materials: Record<string, string[]> = {};
    for (const materialId of claim.requestedMaterials) {
      const files = uploader.completedFileIds(materialId);
      if (files.length > 0) materials[materialId] = files;
    }
    setSupplementFailure(null);
    const missing = claim.requestedMaterials.filter((materialId) => !materials[materialId]);
    if (missing.length > 0) {
      setSupplementFailure(
        new CloudError({
          code: 'MATERIALS_MISSING',
          message: `还缺少：${missing.map((materialId) => materialDefinitions[materialId].label).join('、')}。请先拍照上传，再点「提交补充材料」`,
        }),
      );
      return;
    }
    if (queue && hasPendingUploads(queue)) {
      setSupplementFailure(new CloudError({ code: 'UPLOADING', message: '还有照片正在上传，请稍等' }));
      return;
    }
    // Sent photos cannot be taken back: the person sees what goes, and says so.
    const photos = Object.values(materials).reduce((sum, files) => sum + files.length, 0);
    const answer = await Taro.showModal({
      title: '提交补充材料？',
      content: `将提交：${Object.keys(materials)
        .map((materialId) => materialDefinitions[materialId as MaterialId].label)
        .join('、')}，共 ${photos} 张照片。提交后这些照片不能再换。`,
      confirmText: '提交',
      cancelText: '再看看',
    }).catch(() => ({ confirm: true }));
    if (!answer.confirm) return;
    setBusy(true);
    try {
      // The new receipts read first, as those of the claim were (a walk: 补件 receipts came to the reviewer unread,
      // 申请人没有识别这张票据, and the 预审 lost its payer check). A reading that fails leaves the photo as it is.
      for (const fileID of [...(materials.invoice ?? []), ...(materials.pharmacyInvoice ?? [])])
        await receiptsApi.read(fileID, id).catch(() => undefined);
      await claimsApi.answerSupplement(id, materials);
      uploader.clear();
      setNotice('补充的材料已提交，经办机构会继续审核');
      await load();
    } catch (error) {
      setSupplementFailure(toError(error, '提交失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  async function viewMaterial(materialId: MaterialId): Promise<void> {
    const files = claim?.materials[materialId] ?? [];
    try {
      const urls = await Promise.all(files.map((fileID) => temporaryUrl(fileID)));
      if (urls.length > 0) await previewPhotos(urls, urls[0]!);
    } catch (error) {
      setSupplementFailure(toError(error, '照片暂时打不开，请稍后再试'));
    }
  }

  /** 重新提交: a new draft from this claim's form and photos, opened at 填写 (the claim itself stays as it is). */
  async function refile(): Promise<void> {
    setBusy(true);
    try {
      const draft = await claimsApi.refile(id, refileRequestId);
      const failed = await openDraft(draft.id);
      if (failed) setFailure(failed);
    } catch (error) {
      setFailure(toError(error, '没能新建草稿，请重试'));
    } finally {
      setBusy(false);
    }
  }

  async function openRefiled(): Promise<void> {
    const copy = claim?.refiledAs;
    if (!copy) return;
    if (copy.status !== 'draft') {
      await Taro.navigateTo({ url: `/claimant/pages/claim-detail/index?id=${copy.id}` });
      return;
    }
    const failed = await openDraft(copy.id);
    if (failed) setFailure(failed);
  }

  async function continueDraft(): Promise<void> {
    const failed = await openDraft(id);
    if (failed) setSupplementFailure(failed);
  }

  const figures: Array<{ label: string; fen: number | null | undefined; id: string }> = claim
    ? [
        { label: '提交时预估医保支付', fen: claim.estimate?.totalPaid, id: 'figure-estimate' },
        { label: '审核核定', fen: claim.reviewEstimate?.totalPaid, id: 'figure-review' },
        { label: '结算金额', fen: claim.settlement?.totalPaid, id: 'figure-settlement' },
        // 已支付 only once paid (paidFen is the settled figure from 结算 on), and never for a payment of 0 元. Not 已到账:
        // the agency knows it sent the money, not when the bank credits it.
        ...(claim.status === 'paid'
          ? [
              claim.paidFen === 0
                ? { label: '医保支付（没有款项到账）', fen: 0, id: 'figure-paid' }
                : {
                    label: `已支付到${familyPayeeName(claim.form) ?? '您'}的银行账户`,
                    fen: claim.paidFen,
                    id: 'figure-paid',
                  },
            ]
          : []),
      ]
    : [];
  const afterReturn = refileAdvice(claim ? lastReturnReason(claim.events) : undefined);

  return (
    <PageShell>
      {justSubmitted && claim?.status === 'submitted' ? (
        <View className='notice notice-ok' id='submitted-notice'>
          {/* The date kept on one line (a walk saw 2027-01- / 01 at 320 px). */}
          <TextWithDays
            text={`提交成功！经办机构一般在受理后 ${claim.dueDate ? `${shanghaiDateTime(claim.dueDate).slice(0, 10)} 前` : '20 个工作日内'}办结，进度会在「消息」里通知您。`}
          />
        </View>
      ) : null}
      {notice ? <View className='notice notice-ok'>{notice}</View> : null}
      {failure ? <ErrorBanner message={failure.message} code={failure.code} /> : null}
      {claim ? (
        <>
          <View className='card' id='claim-head'>
            <Text className='title' id='detail-title'>
              {claim.title}
            </Text>
            <View>
              <Text className='status-tag' id='detail-status'>
                {claimStatusText(claim)}
              </Text>
              {claim.originalsToSend ? (
                <Text className='status-tag status-tag-attention' id='detail-originals-tag'>
                  {/* One word on every page, true of 邮寄 and 自送 alike (a walk found a 自己送去 claim tagged 待寄出原件,
                      and another 待寄出原件 here beside 待交纸质原件 on the list and 首页). */}
                  {ORIGINALS_TO_HAND_IN}
                </Text>
              ) : null}
            </View>
            {/* Who and when: a family filing for several people tells its claims apart by these. */}
            {whoAndWhen(claim.form).map(([label, value]) => (
              <SummaryRow key={label} label={label} value={<TextWithDays text={value} />} />
            ))}
            {/* Where the money goes, from filing on (a walk: said only once paid — a child's into her mother's account). */}
            {claim.status !== 'draft' && payoutAccountText(claim.form) ? (
              <SummaryRow label='收款账户' id='detail-payout' value={payoutAccountText(claim.form)} />
            ) : null}
            {/* The number the 受理 card names and the agency finds the claim by when the person calls. */}
            {claim.status !== 'draft' ? (
              <SummaryRow label='申请编号' id='detail-claim-number' value={claimNumberOf(claim.id)} />
            ) : null}
            <SummaryRow label='费用合计' id='detail-amount' value={formatYuan(claim.amountFen)} />
            {/* The agency's figure beside the filed one once it corrected the lines (a walk: the page kept 1,580.50 元
                while its own 计算过程 said 合计 2,172.57 元). */}
            {claim.reviewEstimate && claim.reviewEstimate.total !== claim.amountFen ? (
              <SummaryRow
                label='审核核定费用'
                id='detail-reviewed-amount'
                value={formatYuan(claim.reviewEstimate.total)}
              />
            ) : null}
            {claim.status === 'draft' ? (
              <Button className='primary-button' onClick={() => void continueDraft()}>
                继续填写
              </Button>
            ) : null}
          </View>

          {claim.status !== 'draft' ? (
            <View className='card' id='detail-timeline'>
              <View className='section-title'>办理进度</View>
              {timelineRows(claim.timeline).map((step) =>
                step.branch ? (
                  <View key={step.key} className='timeline-step' data-state='branch'>
                    <View className='timeline-dot timeline-dot-branch' />
                    <View>
                      <Text>{step.label}</Text>
                      <Text className='muted'>{` ${shanghaiDateTime(step.at)}`}</Text>
                      {step.detail ? <View className='muted'>{step.detail}</View> : null}
                    </View>
                  </View>
                ) : (
                  <View key={step.key} className='timeline-step' data-state={step.state}>
                    <View className={`timeline-dot timeline-dot-${step.state}`} />
                    <View>
                      <Text>{step.label}</Text>
                      <Text className='muted'>
                        {step.state === 'done'
                          ? ` 已完成 ${shanghaiDateTime(step.at)}`
                          : step.state === 'current'
                            ? ' 正在办理'
                            : step.state === 'skipped'
                              ? ' 未进行'
                              : ''}
                      </Text>
                    </View>
                  </View>
                ),
              )}
            </View>
          ) : null}

          {claim.actions.includes('answerSupplement') && claim.requestedMaterials.length > 0 ? (
            <View id='supplement'>
              <View className='notice'>{`经办机构请您补充材料${claim.supplementReason ? `：${withoutFinalStop(claim.supplementReason)}` : ''}。只需上传下面这些。`}</View>
              <RetakeNotice photos={claim.photosToRetake ?? []} />
              {claim.requestedMaterials.map((materialId) => (
                <MaterialPhotos
                  key={materialId}
                  uploaderId={supplementUploader}
                  // Asked for, it is needed now: its usual 不是必需的 sat under 必需 (a walk).
                  item={{
                    id: materialId,
                    ...materialDefinitions[materialId],
                    why: `经办机构请您补交这项材料。${materialDefinitions[materialId].why.replace(/^不是必需的，但/, '').replace(/，建议一并上传。$/, '。')}`,
                    required: true,
                  }}
                  queue={queue}
                  error={
                    supplementFailure?.code === 'MATERIALS_MISSING' &&
                    photoUploader(supplementUploader).completedFileIds(materialId).length === 0
                      ? `请上传${materialDefinitions[materialId].label}`
                      : undefined
                  }
                />
              ))}
              {supplementFailure ? (
                <View id='supplement-error'>
                  <ErrorBanner message={supplementFailure.message} code={supplementFailure.code} />
                </View>
              ) : null}
              <Button
                id='answer-supplement'
                className='primary-button'
                loading={busy}
                disabled={busy}
                onClick={() => void answerSupplement()}
              >
                提交补充材料
              </Button>
            </View>
          ) : null}

          {claim.estimate ? (
            <View className='card' id='detail-figures'>
              <View className='section-title'>金额</View>
              {figures.map((figure) =>
                figure.fen !== null && figure.fen !== undefined ? (
                  <View key={figure.id} className='summary-row'>
                    <Text>{figure.label}</Text>
                    <Text className='summary-value' id={figure.id}>
                      {formatYuan(figure.fen)}
                    </Text>
                  </View>
                ) : null,
              )}
              {figuresNote(claim) ? (
                <View className='field-warning' id='detail-figures-note'>
                  {figuresNote(claim)}
                </View>
              ) : null}
              <View style={{ marginTop: '16px' }}>
                <PolicyLine policy={claim.estimate.policy} />
              </View>
              <View className='section-title' style={{ marginTop: '24px' }}>
                计算过程
              </View>
              <EstimateTrace result={claim.settlement ?? claim.reviewEstimate ?? claim.estimate} />
            </View>
          ) : null}

          {claim.status !== 'draft' && claim.status !== 'withdrawn' && claim.status !== 'rejected' ? (
            <OriginalsCard claim={claim} onSaved={load} />
          ) : null}

          {Object.keys(claim.materials).length > 0 ? (
            <View className='card' id='detail-materials'>
              <View className='section-title'>已交材料</View>
              {(Object.keys(claim.materials) as MaterialId[]).map((materialId) => (
                <View
                  key={materialId}
                  className='summary-row'
                  role='button'
                  onClick={() => void viewMaterial(materialId)}
                >
                  <Text>{materialDefinitions[materialId]?.label ?? materialId}</Text>
                  <Text className='phone-link'>{`${claim.materials[materialId]?.length ?? 0} 张，查看`}</Text>
                </View>
              ))}
            </View>
          ) : null}

          {claim.events.length > 0 ? (
            <View className='card' id='detail-events'>
              <View className='section-title'>办理记录</View>
              {[...claim.events].reverse().map((event, index) => {
                const line = describeEvent(event);
                return (
                  <View key={`${event.at}-${index}`} className='list-row'>
                    <View>{`${line.title}（${line.who}）`}</View>
                    <View className='muted'>{shanghaiDateTime(line.at)}</View>
                    {line.detail ? <View className='muted'>{line.detail}</View> : null}
                  </View>
                );
              })}
            </View>
          ) : null}

          {claim.refiledAs ? (
            // Made already: the copy, not a second one (a walk tapped 重新提交一份 again).
            <View className='card' id='refiled-card'>
              <View className='muted'>
                {claim.refiledAs.status === 'draft'
                  ? '已经用这份申请新建了一份草稿，还没有提交。'
                  : '已经用这份申请重新提交了一份。'}
              </View>
              <Button id='open-refiled' className='secondary-button' disabled={busy} onClick={() => void openRefiled()}>
                {claim.refiledAs.status === 'draft' ? '继续填写新的一份' : '查看新的一份'}
              </Button>
            </View>
          ) : claim.status === 'withdrawn' || claim.status === 'rejected' ? (
            <View className='card' id='refile-card'>
              <View className='muted' id='refile-advice'>
                {claim.status === 'withdrawn'
                  ? '还要报销这笔费用？用这份申请填过的内容和照片新建一份，核对后再提交。'
                  : afterReturn.advice}
              </View>
              {/* A reason a new claim cannot cure: the way on is a question to the agency, not 重新提交一份 (a walk). */}
              {claim.status === 'rejected' && !afterReturn.curable ? (
                <Button id='call-hotline' className='primary-button' onClick={() => callHotline()}>
                  拨打 12393 咨询
                </Button>
              ) : null}
              <Button
                id='refile-claim'
                className={claim.status === 'rejected' && !afterReturn.curable ? 'secondary-button' : 'primary-button'}
                loading={busy}
                disabled={busy}
                onClick={() => void refile()}
              >
                <Text>{claim.status === 'rejected' ? afterReturn.refileLabel : '重新提交一份'}</Text>
              </Button>
            </View>
          ) : null}
          {claim.actions.includes('withdraw') ? (
            <Button
              id='withdraw-claim'
              className='danger-button'
              loading={busy}
              disabled={busy}
              onClick={() => void withdraw()}
            >
              撤回申请
            </Button>
          ) : null}
        </>
      ) : null}
    </PageShell>
  );
}
