/**
 * 材料清单 with 拍照/上传 per item: the checklist from the scenario and visit kind (src/core), required
 * items first with why each is needed. Going on is blocked while a required item has no finished
 * photo, naming the missing ones; the claim only ever names photos that finished uploading.
 */
import { Button, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { DraftSteps } from '../../../components/DraftSteps';
import { MaterialPhotos } from '../../../components/MaterialPhotos';
import { NoDraft } from '../../../components/NoDraft';
import { PageShell } from '../../../components/PageShell';
import { ReceiptCards } from '../../../components/ReceiptCards';
import { stepPages } from '../../../components/draftRoutes';
import { checklistOfDraft, missingOfDraft, paperOriginalsRequiredOf, policyOf } from '../../../core/claimFormDraft';
import { shanghaiDate } from '../../../core/deadline';
import { missingMaterialsMessage, paperOriginals } from '../../../core/materials';
import { usePolicies } from '../../../components/usePolicies';
import { receiptLinesIn, withoutReceiptLines } from '../../../core/receiptFill';
import { hasPendingUploads } from '../../../core/uploadQueue';
import { draftMaterials, flushDraft, updateDraft, useDraft, useUploadQueue } from '../../../services/draft';

/** Receipt photos are read as soon as they are uploaded (票据识别), and can fill the form. */
const RECEIPT_MATERIALS: ReadonlySet<string> = new Set(['invoice', 'pharmacyInvoice']);

export default function MaterialsPage(): React.ReactNode {
  const { draft, sync } = useDraft();
  const policies = usePolicies();
  const queue = useUploadQueue(draft?.localId);
  /** 下一步 was refused: what stops it is said (and kept up to date) from then on. */
  const [refused, setRefused] = useState(false);

  if (!draft) return <NoDraft />;
  const choice = policyOf(draft, policies, shanghaiDate(new Date()));
  const policy = choice.ok ? choice.policy : null;
  const originalsRequired = paperOriginalsRequiredOf(draft, policy);
  const checklist = checklistOfDraft(draft, originalsRequired);
  const materials = draftMaterials(draft);
  const missing = missingOfDraft(draft, materials, originalsRequired);
  const paper = paperOriginals(checklist);
  const pending = queue ? hasPendingUploads(queue) : false;
  const missingIds = new Set(missing.map((item) => item.id));
  // A receipt photo deleted takes the lines it filled in with it (a walk: a second photo of one receipt, deleted, left
  // its lines behind and the estimate at twice the bill).
  const receiptLines = {
    count: (fileID: string): number => receiptLinesIn(draft, fileID).length,
    remove: (fileID: string): void => {
      updateDraft((current) => withoutReceiptLines(current, fileID));
    },
  };

  // Worked out from the photos as they are now: the red 还缺少 stayed under photos all marked 已上传 until 下一步 was
  // tapped again (a walk through the page).
  const stopping = missingMaterialsMessage(missing) || (pending ? '还有照片正在上传，请稍等上传完成' : '');
  const blocked = refused ? stopping : '';

  function next(): void {
    if (stopping) {
      setRefused(true);
      return;
    }
    setRefused(false);
    toEstimate();
  }

  function toEstimate(): void {
    updateDraft((current) => ({ ...current, step: 'estimate' }));
    void flushDraft();
    void Taro.navigateTo({ url: stepPages.estimate });
  }

  // Photos still missing (one past the day's upload limit, say) keep the claim from being submitted, not the person
  // from seeing what the fund would pay: the 提交 step names what is missing again.
  const estimateFirst = blocked !== '' && missing.length > 0 && !pending;

  return (
    <PageShell>
      <DraftSteps current='materials' reached={draft.step} sync={sync} />
      <View className='card'>
        <View className='section-title'>需要准备的材料</View>
        <View className='muted'>{`必需 ${checklist.filter((item) => item.required).length} 项，可选 ${checklist.filter((item) => !item.required).length} 项。每项可以拍多张，拍清楚文字和印章；照片会自动压缩后上传，网络不好时会自动重试。`}</View>
        {paper.length > 0 ? (
          <View className='field-warning'>{`这些材料的纸质原件也要交给经办机构：${paper.map((item) => item.label).join('、')}${policy?.processing.paperOriginalsAddress ? `（${policy.processing.paperOriginalsAddress}）` : ''}`}</View>
        ) : null}
      </View>
      {checklist.map((item) => (
        <View key={item.id}>
          <MaterialPhotos
            uploaderId={draft.localId}
            item={item}
            queue={queue}
            error={blocked && missingIds.has(item.id) ? `请上传${item.label}` : undefined}
            receiptLines={RECEIPT_MATERIALS.has(item.id) ? receiptLines : undefined}
          />
          {RECEIPT_MATERIALS.has(item.id) ? (
            <ReceiptCards draft={draft} queue={queue} materialId={item.id} idPrefix='receipt' />
          ) : null}
        </View>
      ))}
      {blocked ? (
        <View className='banner-error' role='alert' id='materials-missing'>
          {blocked}
        </View>
      ) : null}
      {/* Right under the sentence the page scrolls to: below 下一步 it was past the bottom of the screen. */}
      {estimateFirst ? (
        <Button id='materials-estimate-first' className='secondary-button' onClick={toEstimate}>
          先看预估金额，照片以后再补
        </Button>
      ) : null}
      <Button id='materials-next' className='primary-button' onClick={next}>
        下一步：看预估金额
      </Button>
    </PageShell>
  );
}
