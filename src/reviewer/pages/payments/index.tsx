/**
 * 支付批次 (代发): the 复核-passed claims not yet in a batch, with amounts and masked payees; chosen
 * ones become a batch after a confirmation restating count and total. Each batch downloads as the
 * bank's .xlsx and .csv; 确认已支付 (every claim in it becomes 已支付) after a confirmation restating
 * the batch number, count and total. Batches to pay and batches paid are listed apart, newest first, each a page at
 * a time (an open batch is never behind pages of paid ones).
 */
import { TextWithDays } from '../../../components/TextWithDays';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { PageShell } from '../../../components/PageShell';
import {
  MAX_PAYMENT_BATCH,
  paymentBatchStatusLabel,
  type PaymentBatchPage,
  type PaymentBatchStatus,
  type PaymentBatchSummary,
  type PaymentCandidate,
  type PaymentCandidates,
  type PaymentFileFormat,
} from '../../../core/contracts/payments';
import { maskName } from '../../../core/identity';
import { formatYuan, sumFen } from '../../../core/money';
import { dateFieldValue } from '../../../core/notifications';
import type { CloudError } from '../../../services/cloud';
import { saveFile } from '../../../services/download';
import { paymentsApi } from '../../../services/payments';
import { Confirm } from '../../components/Confirm';
import { Failure, failureOf } from '../../components/Failure';
import { GoHome, StaffNav } from '../../components/StaffNav';
import './index.scss';

type Pending = { kind: 'create'; claims: PaymentCandidate[] } | { kind: 'paid'; batch: PaymentBatchSummary };

const noBatches: PaymentBatchPage = { items: [], next: null };
const sectionTitle: Record<PaymentBatchStatus, string> = { open: '待确认支付的批次', paid: '已支付的批次' };
const emptyText: Record<PaymentBatchStatus, string> = {
  open: '没有待确认支付的批次。',
  paid: '还没有已支付的批次。',
};

const formatLabel: Record<PaymentFileFormat, string> = { xlsx: '下载 Excel（.xlsx）', csv: '下载 CSV' };
/** A paid batch's file is a record: accounts masked, so it cannot be sent to the bank a second time. */
const recordLabel: Record<PaymentFileFormat, string> = { xlsx: '下载留档 Excel', csv: '下载留档 CSV' };

export default function PaymentsPage(): React.ReactNode {
  const [candidates, setCandidates] = useState<PaymentCandidate[]>([]);
  /** How many claims wait for a batch in all (the list shows one batch's worth, the longest waiting). */
  const [waiting, setWaiting] = useState(0);
  /** 复核通过 at 0 元: nothing to transfer, each closed on its own page (办结（无需支付）). */
  const [nothingToPay, setNothingToPay] = useState<PaymentCandidates['nothingToPay']>([]);
  const [batches, setBatches] = useState<Record<PaymentBatchStatus, PaymentBatchPage>>({
    open: noBatches,
    paid: noBatches,
  });
  const [loadingMore, setLoadingMore] = useState<PaymentBatchStatus | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [loading, setLoading] = useState(true);
  const [failure, setFailure] = useState<CloudError | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionFailure, setActionFailure] = useState<CloudError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [downloading, setDownloading] = useState<string | null>(null);
  /** What the candidates' buttons have to say (nothing chosen; the claim the page was opened for not offered). */
  const [hint, setHint] = useState<string | null>(null);
  /** The claim 编入支付批次 on its page opened this page for: chosen once, on the first load. */
  const wanted = useRouter().params.claim;
  const wantedApplied = useRef(false);

  async function load(): Promise<void> {
    setLoading(true);
    try {
      const [nextCandidates, open, paid] = await Promise.all([
        paymentsApi.candidates(),
        paymentsApi.list('open'),
        paymentsApi.list('paid'),
      ]);
      setCandidates(nextCandidates.items);
      setWaiting(nextCandidates.total);
      setNothingToPay(nextCandidates.nothingToPay);
      setBatches({ open, paid });
      setSelected((before) =>
        before.filter((id) => nextCandidates.items.some((candidate) => candidate.claimId === id)),
      );
      if (wanted && !wantedApplied.current) {
        wantedApplied.current = true;
        if (nextCandidates.items.some((candidate) => candidate.claimId === wanted))
          setSelected((before) => (before.includes(wanted) ? before : [...before, wanted]));
        else
          setHint(
            '您要编入的申请不在下面的列表中：它可能已经编入了批次，或排在等得最久的申请之后（先编入前面的，它会出现）。',
          );
      }
      setFailure(null);
    } catch (error) {
      setFailure(failureOf(error));
    } finally {
      setLoading(false);
    }
  }

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  function ask(next: Pending): void {
    setPending(next);
    setActionFailure(null);
    setNotice(null);
  }

  async function confirmPending(): Promise<void> {
    if (!pending) return;
    setBusy(true);
    setActionFailure(null);
    try {
      if (pending.kind === 'create') {
        const batch = await paymentsApi.createBatch(pending.claims);
        setNotice(`已生成支付批次 ${batch.batchNo}：${batch.count} 笔，合计 ${formatYuan(batch.totalFen)}。`);
        setSelected([]);
      } else {
        const batch = await paymentsApi.markPaid(pending.batch.batchNo);
        setNotice(`批次 ${batch.batchNo} 已确认支付：${batch.count} 份申请已标记为已支付。`);
      }
      setPending(null);
      await load();
    } catch (error) {
      setActionFailure(failureOf(error));
    } finally {
      setBusy(false);
    }
  }

  async function loadMore(status: PaymentBatchStatus): Promise<void> {
    const before = batches[status].next;
    if (!before) return;
    setLoadingMore(status);
    try {
      const page = await paymentsApi.list(status, before);
      setBatches((shown) => ({
        ...shown,
        [status]: { items: [...shown[status].items, ...page.items], next: page.next },
      }));
    } catch (error) {
      setFailure(failureOf(error));
    } finally {
      setLoadingMore(null);
    }
  }

  async function download(batch: PaymentBatchSummary, format: PaymentFileFormat): Promise<void> {
    setDownloading(`${batch.batchNo}-${format}`);
    setNotice(null);
    try {
      const file = await paymentsApi.exportFile(batch.batchNo, format);
      await saveFile(file);
      // Exported, the batch may now be confirmed paid: its row is read again (exportedAt).
      if (!batch.exportedAt && !file.recordOnly) void load();
      setNotice(
        `已下载 ${file.fileName}：${file.count} 笔，合计 ${formatYuan(file.totalFen)}。${file.recordOnly ? '这个批次已支付，文件只作留档，账号已打码，不能用于转账。' : ''}`,
      );
    } catch (error) {
      setFailure(failureOf(error));
    } finally {
      setDownloading(null);
    }
  }

  const chosen = candidates.filter((candidate) => selected.includes(candidate.claimId));
  const chosenTotal = sumFen(chosen.map((candidate) => candidate.amountFen));
  const toggle = (id: string): void => {
    setHint(null);
    setSelected((before) => (before.includes(id) ? before.filter((other) => other !== id) : [...before, id]));
  };

  const renderBatch = (batch: PaymentBatchSummary): React.ReactNode => (
    <View key={batch.batchNo} id={`batch-${batch.batchNo}`} className='card'>
      <View className='payment-line-head'>
        <Text className='batch-no'>{batch.batchNo}</Text>
        <Text className={`status-tag ${batch.status === 'paid' ? 'batch-paid' : ''}`}>
          {paymentBatchStatusLabel[batch.status]}
        </Text>
      </View>
      <View className='payments-text'>
        <TextWithDays
          text={`${batch.count} 笔，合计 ${formatYuan(batch.totalFen)} · 生成于 ${dateFieldValue(new Date(batch.createdAt))}`}
        />
      </View>
      {batch.paidAt ? (
        <View className='payments-text'>
          <TextWithDays text={`确认支付于 ${dateFieldValue(new Date(batch.paidAt))}`} />
        </View>
      ) : null}
      <View className='payments-actions'>
        {(['xlsx', 'csv'] as const).map((format) => (
          <Button
            key={format}
            id={`download-${format}-${batch.batchNo}`}
            className='secondary-button'
            loading={downloading === `${batch.batchNo}-${format}`}
            onClick={() => void download(batch, format)}
          >
            <Text>{batch.status === 'paid' ? recordLabel[format] : formatLabel[format]}</Text>
          </Button>
        ))}
      </View>
      {batch.status === 'open' && !batch.exportedAt ? (
        <View id={`export-first-${batch.batchNo}`} className='payments-text'>
          下一步：下载银行代发文件（Excel 或 CSV）交银行发放；银行发放成功后，再回来确认已支付。
        </View>
      ) : null}
      {batch.status === 'open' && batch.exportedAt && batch.createdByYou ? (
        <View id={`mark-paid-other-${batch.batchNo}`} className='payments-text'>
          这个批次是您生成的：请另一位工作人员核对银行的代发回单后「确认已支付」（生成和确认由两人办理）。
        </View>
      ) : null}
      {batch.status === 'open' &&
      batch.exportedAt &&
      !batch.createdByYou &&
      !(pending?.kind === 'paid' && pending.batch.batchNo === batch.batchNo) ? (
        <Button
          id={`mark-paid-${batch.batchNo}`}
          className='primary-button'
          onClick={() => ask({ kind: 'paid', batch })}
        >
          确认已支付
        </Button>
      ) : null}
      {pending?.kind === 'paid' && pending.batch.batchNo === batch.batchNo ? (
        <Confirm
          id='mark-paid-confirm'
          title='确认银行已支付这个批次？'
          lines={[
            `批次 ${batch.batchNo}`,
            `共 ${batch.count} 笔，合计 ${formatYuan(batch.totalFen)}。`,
            '确认后批次中的每份申请都将标记为已支付，并通知申请人，不能撤销。',
          ]}
          confirmText='确认已支付'
          busy={busy}
          failure={actionFailure}
          onConfirm={() => void confirmPending()}
          onCancel={() => setPending(null)}
        />
      ) : null}
    </View>
  );

  // A claimant who opened 支付批次 by its address: the refusal and the way home, not the staff's tabs and an empty list.
  if (failure?.code === 'FORBIDDEN')
    return (
      <PageShell className='payments-page'>
        <Failure error={failure} id='payments-forbidden' />
      </PageShell>
    );

  return (
    <PageShell className='payments-page'>
      <StaffNav current='payments' />
      {failure ? <Failure error={failure} /> : null}
      {notice ? (
        <View id='payments-notice' className='notice notice-ok payments-text'>
          {notice}
        </View>
      ) : null}

      <View className='card'>
        <View className='section-title'>待编入批次（复核通过）</View>
        {loading && candidates.length === 0 ? <View className='payments-text'>加载中…</View> : null}
        {!loading && candidates.length === 0 ? (
          <View id='candidates-empty' className='payments-text'>
            没有待支付的申请：复核通过的申请会出现在这里。
          </View>
        ) : null}
        {nothingToPay.length > 0 ? (
          <View id='candidates-nothing-to-pay' className='payments-text'>
            <View>{`另有 ${nothingToPay.length} 份复核通过的申请核定医保支付 0 元，没有款项要转账，不用编入批次：请逐份打开，点「办结（无需支付）」。`}</View>
            {nothingToPay.map((claim) => (
              <View
                key={claim.claimId}
                id={`nothing-to-pay-${claim.claimId}`}
                className='list-row'
                role='button'
                onClick={() =>
                  void Taro.navigateTo({ url: `/reviewer/pages/claim/index?id=${encodeURIComponent(claim.claimId)}` })
                }
              >
                {`${claim.claimNumber}　${claim.title}`}
              </View>
            ))}
          </View>
        ) : null}
        {waiting > candidates.length ? (
          <View id='candidates-more' className='payments-text'>
            {`共 ${waiting} 份待编入，先列出等得最久的 ${candidates.length} 份（一个批次最多 ${MAX_PAYMENT_BATCH} 笔）；编入批次后显示其余的。`}
          </View>
        ) : null}
        {candidates.map((candidate) => {
          const on = selected.includes(candidate.claimId);
          return (
            <View
              key={candidate.claimId}
              id={`candidate-${candidate.claimId}`}
              className={`payment-line ${on ? 'payment-line-selected' : ''}`}
              role='checkbox'
              aria-checked={on}
              onClick={() => toggle(candidate.claimId)}
            >
              <View className={`checkbox-box ${on ? 'checkbox-box-checked' : ''}`}>{on ? '✓' : ''}</View>
              <View className='payment-line-body'>
                <View className='payment-line-head'>
                  <Text>{candidate.claimNumber}</Text>
                  <Text className='payment-amount'>{formatYuan(candidate.amountFen)}</Text>
                </View>
                <View className='payments-text'>{`收款人 ${maskName(candidate.payeeName) || '—'} · ${candidate.bankName || '开户行未填'} ${candidate.accountMasked}`}</View>
              </View>
            </View>
          );
        })}
        {candidates.length > 0 && pending?.kind !== 'create' ? (
          <View className='payments-actions'>
            <Button
              id='candidates-select-all'
              className='secondary-button'
              onClick={() =>
                setSelected(chosen.length === candidates.length ? [] : candidates.map((candidate) => candidate.claimId))
              }
            >
              {chosen.length === candidates.length ? '全不选' : '全选'}
            </Button>
            <Button
              id='create-batch'
              className='primary-button'
              disabled={chosen.length === 0}
              onClick={() => {
                if (chosen.length === 0) return setHint('请先勾选要编入批次的申请，再点“编入支付批次”。');
                setHint(null);
                ask({ kind: 'create', claims: chosen });
              }}
            >
              {chosen.length > 0 ? `编入支付批次（${chosen.length} 笔）` : '编入支付批次'}
            </Button>
          </View>
        ) : null}
        {hint && pending?.kind !== 'create' ? (
          <View id='candidates-hint' className='banner-error payments-text' role='alert'>
            {hint}
          </View>
        ) : null}
        {pending?.kind === 'create' ? (
          <Confirm
            id='create-batch-confirm'
            title='确认生成支付批次？'
            lines={[
              `共 ${pending.claims.length} 笔，合计 ${formatYuan(sumFen(pending.claims.map((claim) => claim.amountFen)))}。`,
              ...pending.claims.map(
                (claim) => `${claim.claimNumber}　${maskName(claim.payeeName)}　${formatYuan(claim.amountFen)}`,
              ),
              '编入后这些申请只能随批次一起确认支付。',
            ]}
            confirmText='生成批次'
            busy={busy}
            failure={actionFailure}
            onConfirm={() => void confirmPending()}
            onCancel={() => setPending(null)}
          />
        ) : chosen.length > 0 ? (
          <View
            id='candidates-chosen'
            className='payments-text'
          >{`已选 ${chosen.length} 笔，合计 ${formatYuan(chosenTotal)}`}</View>
        ) : null}
      </View>

      {(['open', 'paid'] as const).map((status) => (
        <View key={status} id={`batches-${status}`}>
          <View className='section-title'>{sectionTitle[status]}</View>
          {!loading && batches[status].items.length === 0 ? (
            <View className='card payments-text'>{emptyText[status]}</View>
          ) : null}
          {batches[status].items.map((batch) => renderBatch(batch))}
          {batches[status].next ? (
            <Button
              id={`batches-${status}-more`}
              className='secondary-button'
              loading={loadingMore === status}
              onClick={() => void loadMore(status)}
            >
              <Text>{status === 'open' ? '显示更早的待支付批次' : '显示更早的已支付批次'}</Text>
            </Button>
          ) : null}
        </View>
      ))}
      <GoHome />
    </PageShell>
  );
}
