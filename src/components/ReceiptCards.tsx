/**
 * Receipts that fill the form: for every receipt photo that finished uploading, "正在识别票据…" while
 * the cloud reads it (the photos one after the other, with a progress line per photo when there are
 * several: src/core/readingQueue.ts), then a card with the values read — each with a mark where it must be checked
 * (weak reading, corrected look-alikes, a cross-check that disagrees), 确认 / 修改 on each — the
 * cross-checks, and any duplicate hit naming the earlier claim. Only the tap on 填入表单 (once nothing
 * is left to check) puts hospital, date and line items into the draft. The logic is src/core/receiptFill.
 */
import { Button, Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { ClaimDraftState } from '../core/claimFormDraft';
import { needsStayDates } from '../core/claimFormDraft';
import {
  applyReceiptPatch,
  confirmRow,
  editRow,
  receiptCardOf,
  formLinesChanged,
  otherReceiptsInForm,
  receiptPatchOf,
  samePhotoOfReceipt,
  type CardRow,
  type ReceiptReadResult,
} from '../core/receiptFill';
import type { UploadItem, UploadQueue } from '../core/uploadQueue';
import { updateDraft } from '../services/draft';
import { type PhotoProgress, progressLine, progressSummary } from '../core/readingQueue';
import {
  readingsAhead,
  reviewOf,
  saveReview,
  startReading,
  useReceiptReadings,
  useReviewChanges,
  type ReadingState,
} from '../services/receipts';
import './receiptCards.scss';

/** The time, ticking every second while mounted. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Seconds since `since`, ticking while mounted. */
function useSeconds(since: number): number {
  return Math.max(0, Math.floor((useNow() - since) / 1000));
}

function Reading({ id, since }: { id: string; since: number }): React.ReactNode {
  const seconds = useSeconds(since);
  return (
    <View className='notice receipt-reading-progress' id={`${id}-reading`} role='status'>
      <View>正在识别票据…</View>
      <View className='progress-track'>
        <View className='progress-bar receipt-progress-indeterminate' />
      </View>
      <View className='muted'>{seconds >= 3 ? `已用 ${seconds} 秒，通常几秒钟` : '通常几秒钟'}</View>
    </View>
  );
}

function Waiting({ id, fileID }: { id: string; fileID: string }): React.ReactNode {
  const ahead = readingsAhead(fileID);
  return (
    <View className='notice receipt-reading-progress' id={`${id}-waiting`} role='status'>
      {ahead > 0 ? `排队等待识别，前面还有 ${ahead} 张票据。` : '马上开始识别。'}
    </View>
  );
}

/** Where a photo stands, from its upload to its reading (src/core/readingQueue.ts says it in words). */
function progressOf(photo: UploadItem, state: ReadingState | undefined, now: number): PhotoProgress {
  if (photo.state === 'queued') return { stage: 'uploadQueued' };
  if (photo.state === 'uploading') return { stage: 'uploading', percent: photo.progress };
  if (photo.state === 'failed' || !photo.fileID) return { stage: 'uploadFailed' };
  if (!state || state.status === 'waiting')
    return { stage: 'waiting', ahead: Math.max(0, readingsAhead(photo.fileID)) };
  if (state.status === 'reading')
    return { stage: 'reading', seconds: Math.max(0, Math.floor((now - state.startedAt) / 1000)) };
  if (state.status === 'done')
    return {
      stage: 'read',
      seconds: state.elapsedMs / 1000,
      nothingRead: Object.keys(state.reading.extracted.fields).length === 0,
    };
  return { stage: 'readFailed' };
}

/** Several photos of one claim: one progress line each, read one after the other. */
function ReadingProgress({
  id,
  photos,
  states,
}: {
  id: string;
  photos: UploadItem[];
  states: Record<string, ReadingState>;
}): React.ReactNode {
  const now = useNow();
  const lines = photos.map((photo) => progressOf(photo, photo.fileID ? states[photo.fileID] : undefined, now));
  return (
    <View className='receipt-queue' id={`${id}-progress`} role='status'>
      <View className='receipt-queue-summary'>{progressSummary(lines)}</View>
      {lines.map((line, index) => (
        <View
          key={photos[index]!.localId}
          className={`receipt-queue-line receipt-queue-${line.stage}`}
          id={`${id}-progress-${index}`}
          data-stage={line.stage}
        >
          {progressLine(index + 1, line)}
        </View>
      ))}
    </View>
  );
}

function Row({
  id,
  row,
  invalid,
  onConfirm,
  onEdit,
}: {
  id: string;
  row: CardRow;
  invalid: string | undefined;
  onConfirm: () => void;
  onEdit: (text: string) => void;
}): React.ReactNode {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(row.inputValue);
  const suffix = row.key.replace(/\./g, '-');
  const rowId = `${id}-row-${suffix}`;
  const settled = row.confirmed || (row.edited && !invalid);
  const open = Boolean(row.flag) && !settled;
  return (
    <View
      className={`receipt-row ${open ? 'receipt-row-flagged' : ''}`}
      id={rowId}
      data-flagged={open ? 'true' : 'false'}
    >
      <View className='receipt-row-main'>
        <Text className='receipt-row-label'>{row.label}</Text>
        <Text className='receipt-row-value' id={`${rowId}-value`}>
          {row.value || '（未识别）'}
        </Text>
        {editing ? null : (
          <View
            className='receipt-link'
            role='button'
            id={`${id}-edit-${suffix}`}
            aria-label={`修改${row.label}`}
            onClick={() => {
              setText(row.inputValue);
              setEditing(true);
            }}
          >
            修改
          </View>
        )}
      </View>
      {open ? <View className='field-warning'>{`请核对：${row.flag}`}</View> : null}
      {open && !editing && row.value ? (
        <Button id={`${id}-confirm-${suffix}`} className='small-button receipt-confirm' onClick={onConfirm}>
          与票据一致，确认
        </Button>
      ) : null}
      {settled && row.flag ? <View className='receipt-row-ok'>{row.edited ? '已修改' : '已确认'}</View> : null}
      {editing ? (
        <View className='receipt-row-edit'>
          <Input
            id={`${id}-input-${suffix}`}
            className='field-input'
            value={text}
            type={row.kind === 'money' ? 'digit' : 'text'}
            placeholder={
              row.kind === 'money' ? '金额（元），例如 128.50' : row.kind === 'date' ? '例如 2026-03-02' : ''
            }
            aria-label={`修改${row.label}`}
            onInput={(event) => setText(event.detail.value)}
          />
          <View className='row receipt-row-actions'>
            <Button
              id={`${id}-save-${suffix}`}
              className='small-button row-grow'
              onClick={() => {
                onEdit(text);
                setEditing(false);
              }}
            >
              保存
            </Button>
            <Button
              id={`${id}-cancel-${suffix}`}
              className='small-button row-grow receipt-edit-button'
              onClick={() => setEditing(false)}
            >
              取消
            </Button>
          </View>
        </View>
      ) : null}
      {invalid ? <View className='field-error'>{invalid}</View> : null}
    </View>
  );
}

function Card({
  id,
  reading,
  elapsedMs,
  draft,
  samePhotoAs,
}: {
  id: string;
  reading: ReceiptReadResult;
  elapsedMs: number;
  draft: ClaimDraftState;
  /** An earlier photo of this claim shows the same receipt (its number): nothing to fill from this one. */
  samePhotoAs: number | null;
}): React.ReactNode {
  useReviewChanges();
  const review = reviewOf(draft.localId, reading.fileID);
  const card = receiptCardOf(reading, review, { samePhotoAs });
  const stay = needsStayDates(draft.guide.visitKind);
  // 交款人 fills an empty name only (a chosen family member's name is never replaced: 预审 flags a payer who differs).
  const patch = receiptPatchOf(reading, review, stay, {
    formName: { name: draft.insured.name, familyMember: Boolean(draft.personId) },
    formHospital: draft.hospital.name,
    appliedHere: Boolean(review.appliedAt),
    samePhotoAs,
    formVisit: { ...draft.visit, othersInForm: otherReceiptsInForm(draft, reading.fileID) },
  });
  const applicable = patch !== null && patch.conflict === undefined;
  const save = (next: typeof review): void => saveReview(draft.localId, reading.fileID, next);

  function apply(): void {
    if (!patch || !applicable) return;
    updateDraft((current) => applyReceiptPatch(current, reading.fileID, patch));
    save({ ...review, appliedAt: Date.now() });
  }

  const disagreements = card.checks.filter((check) => check.status === 'disagree');
  return (
    <View className='receipt-card' id={id}>
      <View className='section-title'>识别结果</View>
      <View
        className='muted'
        id={`${id}-timing`}
      >{`识别用时 ${(elapsedMs / 1000).toFixed(1)} 秒。请对照票据核对，标黄的必须确认或修改。`}</View>
      {card.unclear ? (
        <View className='field-warning' role='alert' id={`${id}-unclear`}>
          {card.unclear}
        </View>
      ) : null}
      {card.duplicates.map((message) => (
        <View key={message} className='banner-error' role='alert' id={`${id}-duplicate`}>
          {message}
        </View>
      ))}
      {card.notReceipt ? (
        <View className='banner-error' role='alert' id={`${id}-not-receipt`}>
          {card.notReceipt}
        </View>
      ) : null}
      {disagreements.length > 0 ? (
        <View id={`${id}-checks`}>
          {disagreements.map((check) => (
            <View key={check.id} className='field-warning' role='alert'>
              {check.message}
            </View>
          ))}
        </View>
      ) : null}
      {card.rows.map((row) => (
        <Row
          key={row.key}
          id={id}
          row={row}
          invalid={card.invalid[row.key]}
          onConfirm={() => save(confirmRow(review, row.key))}
          onEdit={(text) => save(editRow(review, row.key, text))}
        />
      ))}
      <View className='receipt-items' id={`${id}-items`}>
        <View className='receipt-row-label'>{`收费项目（${card.items.length} 项）`}</View>
        {card.items.length === 0 ? (
          <View className='muted'>没有识别到收费项目，可以在「费用明细」里自己填写</View>
        ) : null}
        {card.items.map((item) => (
          <View key={item.index} className='receipt-item'>
            <Row
              id={id}
              row={item.nameRow}
              invalid={card.invalid[item.nameRow.key]}
              onConfirm={() => undefined}
              onEdit={(text) => save(editRow(review, item.nameRow.key, text))}
            />
            <Row
              id={id}
              row={item.amountRow}
              invalid={card.invalid[item.amountRow.key]}
              onConfirm={() => undefined}
              onEdit={(text) => save(editRow(review, item.amountRow.key, text))}
            />
          </View>
        ))}
        {card.itemsFlag ? (
          card.itemsConfirmed ? (
            <View className='receipt-row-ok'>收费项目已确认</View>
          ) : (
            <View>
              <View className='field-warning'>{`请核对：${card.itemsFlag}`}</View>
              <Button
                id={`${id}-confirm-items`}
                className='small-button'
                onClick={() => save(confirmRow(review, 'items'))}
              >
                收费项目已核对，确认
              </Button>
            </View>
          )
        ) : null}
      </View>
      {card.pending.length > 0 ? (
        <View className='field-warning' id={`${id}-pending`}>{`还需确认或修改：${card.pending.join('、')}`}</View>
      ) : null}
      {card.duplicates.length > 0 || card.notReceipt ? null : (
        <Button
          id={`${id}-apply`}
          className={`primary-button ${applicable ? '' : 'receipt-button-disabled'}`}
          disabled={!applicable}
          onClick={apply}
        >
          {review.appliedAt ? '重新填入表单' : '确认无误，填入表单'}
        </Button>
      )}
      {review.appliedAt && patch && formLinesChanged(draft, reading.fileID, patch) ? (
        <View className='field-warning' id={`${id}-form-changed`}>
          表单里这张票据的费用明细已经改过，和这里不同：以表单为准就不用再点；点「重新填入表单」会用这里的内容替换表单里的。
        </View>
      ) : null}
      {patch?.conflict ? (
        <View className='field-warning' id={`${id}-conflict`}>
          {patch.conflict}
        </View>
      ) : null}
      {patch?.payerWarning ? (
        <View className='field-warning' id={`${id}-payer`}>
          {patch.payerWarning}
        </View>
      ) : null}
      {applicable ? (
        <View className='muted'>{`将填入：${patch.summary}。费用类别默认甲类，填入后都可以修改。`}</View>
      ) : null}
      {applicable && patch.dateNote ? (
        <View className='field-warning' id={`${id}-dates`}>
          {patch.dateNote}
        </View>
      ) : null}
      {review.appliedAt && patch ? (
        <View className='notice notice-ok' id={`${id}-applied`}>
          {`已填入表单：${patch.summary}`}
        </View>
      ) : null}
    </View>
  );
}

function ReceiptSlot({
  id,
  fileID,
  state,
  draft,
  samePhotoAs,
  onRetry,
}: {
  id: string;
  fileID: string;
  state: ReadingState | undefined;
  draft: ClaimDraftState;
  samePhotoAs: number | null;
  onRetry: () => void;
}): React.ReactNode {
  if (!state || state.status === 'waiting') return <Waiting id={id} fileID={fileID} />;
  if (state.status === 'reading') return <Reading id={id} since={state.startedAt} />;
  if (state.status === 'failed') {
    return (
      <View className='receipt-card' id={id}>
        <View
          className='field-error'
          id={`${id}-failed`}
        >{`没能识别这张票据：${state.message}。可以重试，或在「费用明细」里自己填写。`}</View>
        <Button id={`${id}-retry`} className='small-button' onClick={onRetry}>
          重新识别
        </Button>
      </View>
    );
  }
  return <Card id={id} reading={state.reading} elapsedMs={state.elapsedMs} draft={draft} samePhotoAs={samePhotoAs} />;
}

const uploadText: Record<UploadItem['state'], string> = {
  done: '已上传',
  queued: '等待上传',
  uploading: '上传中',
  failed: '上传失败，请在「上传材料」里重试',
};

/**
 * The cards of the receipt photos of one material ('invoice', 'pharmacyInvoice'), in upload order.
 * `idPrefix` keeps element ids unique when two pages of the stack show the same receipts.
 */
export function ReceiptCards({
  draft,
  queue,
  materialId,
  idPrefix,
  showUploads = false,
}: {
  draft: ClaimDraftState;
  queue: UploadQueue | null;
  materialId: string;
  idPrefix: string;
  showUploads?: boolean;
}): React.ReactNode {
  const photos = (queue?.items ?? []).filter((item) => item.materialId === materialId);
  const fileIDs = photos.flatMap((item) => (item.state === 'done' && item.fileID ? [item.fileID] : []));
  const states = useReceiptReadings(fileIDs, draft.serverId);
  if (fileIDs.length === 0 && !(showUploads && photos.length > 0)) return null;
  // Two photos or more: a line each, from upload to reading, above the cards.
  const several = photos.length >= 2;
  const readings = photos.map((photo) => {
    const state = photo.fileID ? states[photo.fileID] : undefined;
    return state?.status === 'done' ? state.reading : null;
  });
  return (
    <View className='receipt-cards' id={`${idPrefix}s-${materialId}`}>
      {several ? <ReadingProgress id={`${idPrefix}-${materialId}`} photos={photos} states={states} /> : null}
      {photos.map((photo, index) => {
        const id = `${idPrefix}-${materialId}-${index}`;
        if (photo.state !== 'done' || !photo.fileID) {
          return showUploads && !several ? (
            <View key={photo.localId} className='muted' id={`${id}-upload`} data-state={photo.state}>
              {`第 ${index + 1} 张票据：${uploadText[photo.state]}${photo.state === 'uploading' ? ` ${photo.progress}%` : ''}`}
            </View>
          ) : null;
        }
        const fileID = photo.fileID;
        return (
          <View key={photo.localId}>
            <View className='receipt-photo-name'>{`第 ${index + 1} 张票据`}</View>
            <ReceiptSlot
              id={id}
              fileID={fileID}
              state={states[fileID]}
              draft={draft}
              samePhotoAs={readings[index] ? samePhotoOfReceipt(readings[index], readings.slice(0, index)) : null}
              onRetry={() => startReading(fileID, draft.serverId)}
            />
          </View>
        );
      })}
    </View>
  );
}
