/**
 * 预估: the instant estimate from src/core with this year's ledger fetched from the server (起付线 used,
 * caps left): what the fund pays, what the claimant pays, each step of the calculation, which policy.
 */
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { DraftSteps } from '../../../components/DraftSteps';
import { EstimateFigures, EstimateTrace, PolicyLine } from '../../../components/EstimateView';
import { NoDraft } from '../../../components/NoDraft';
import { PageShell } from '../../../components/PageShell';
import { stepPages } from '../../../components/draftRoutes';
import { estimateDraft, fundPaidInYear, ledgerYearWords } from '../../../core/claimFormDraft';
import { shanghaiDate } from '../../../core/deadline';
import { formatYuan } from '../../../core/money';
import { ESTIMATED_NOTHING_TO_PAY } from '../../../core/statusLabels';
import { ledgerOf, useDraftLedger } from '../../../components/useDraftLedger';
import { usePolicies } from '../../../components/usePolicies';
import { draftMaterials, updateDraft, useDraft } from '../../../services/draft';
import { reviewOf, useReceiptReadings } from '../../../services/receipts';
import { fundPaidNotice, receiptTotalsNotice } from '../../../core/receiptFill';

/** The materials whose photos are receipts (read as soon as they are uploaded). */
const RECEIPT_MATERIALS = ['invoice', 'pharmacyInvoice'] as const;

function sumCounters(counters: Record<string, number>): number {
  return Object.values(counters).reduce((sum, value) => sum + value, 0);
}

export default function EstimatePage(): React.ReactNode {
  const { draft, sync } = useDraft();
  const policies = usePolicies();
  const today = shanghaiDate(new Date());
  const { ledger, year } = useDraftLedger(draft, policies, today);

  // The receipts' readings (already read on 填写 / 上传材料): one printed 医保统筹支付 above 0 makes the estimate too high.
  const receiptPhotos = draft ? RECEIPT_MATERIALS.flatMap((material) => draftMaterials(draft)[material] ?? []) : [];
  const readings = useReceiptReadings(receiptPhotos, draft?.serverId);
  const readReceipts = Object.values(readings).flatMap((state) => (state.status === 'done' ? [state.reading] : []));
  const settledAtCounter = fundPaidNotice(readReceipts);

  if (!draft) return <NoDraft />;
  const result = estimateDraft(draft, policies, ledgerOf(ledger), today);
  // The ledger's year in words: 今年, or 2025 医保年度（2025-07-01 至 2026-06-30） for a visit of an earlier policy year.
  const yearWords = result.ok ? ledgerYearWords(result.policy, year, today) : { short: '今年', long: '今年' };
  // The lines against the totals read off the receipts: a line typed wrong is said here, before it is filed.
  const totalsDiffer = result.ok
    ? receiptTotalsNotice(
        readReceipts.map((reading) => ({ reading, review: reviewOf(draft.localId, reading.fileID) })),
        receiptPhotos.length,
        result.result.total,
      )
    : null;

  function next(): void {
    updateDraft((current) => ({ ...current, step: 'confirm' }));
    void Taro.navigateTo({ url: stepPages.confirm });
  }

  return (
    <PageShell>
      <DraftSteps current='estimate' reached={draft.step} sync={sync} />
      {result.ok ? (
        <>
          <View className='card' id='estimate-card'>
            <View className='section-title'>预计报销金额</View>
            <EstimateFigures result={result.result} />
            {result.result.totalPaid === 0 ? (
              <View className='notice' id='estimate-nothing-to-pay' style={{ marginTop: '16px' }}>
                {ESTIMATED_NOTHING_TO_PAY}
              </View>
            ) : null}
            {settledAtCounter ? (
              <View className='field-warning' role='alert' id='estimate-fund-paid' style={{ marginTop: '16px' }}>
                {settledAtCounter}
              </View>
            ) : null}
            {totalsDiffer ? (
              <View className='field-warning' role='alert' id='estimate-receipt-totals' style={{ marginTop: '16px' }}>
                {totalsDiffer}
              </View>
            ) : null}
            <View className='muted' style={{ marginTop: '16px' }}>
              这是按政策算出的预估，最终金额以医保经办机构审核为准。
            </View>
          </View>
          <View className='card'>
            <View className='section-title'>用的是哪份政策</View>
            <PolicyLine policy={result.result.policy} />
          </View>
          <View className='card' id='estimate-ledger'>
            <View className='section-title'>{`${draft.insured.name || '参保人'}${yearWords.short}已经报过的`}</View>
            {ledger.state === 'loading' ? (
              <View className='muted'>{`正在查询${yearWords.short}的报销记录…`}</View>
            ) : null}
            {ledger.state === 'unavailable' ? (
              <View className='muted'>{`暂时查不到${yearWords.long}的报销记录，按${yearWords.short}第一次报销估算。`}</View>
            ) : null}
            {ledger.state === 'ready' ? (
              ledger.known ? (
                <View>
                  <View className='summary-row'>
                    <Text>{`${yearWords.short}已用起付线`}</Text>
                    <Text className='summary-value'>{formatYuan(sumCounters(ledger.ledger.deductibleUsed))}</Text>
                  </View>
                  <View className='summary-row'>
                    <Text>{`${yearWords.short}医保已支付`}</Text>
                    <Text className='summary-value' id='estimate-ledger-paid'>
                      {formatYuan(fundPaidInYear(ledger.ledger))}
                    </Text>
                  </View>
                  <View className='summary-row'>
                    <Text>{`${yearWords.short}住院次数`}</Text>
                    <Text className='summary-value'>{`${ledger.ledger.inpatientAdmissions} 次`}</Text>
                  </View>
                </View>
              ) : (
                // Neutral on purpose: "none yet" and "not shown yet" read the same, so typing someone's 身份证号 tells
                // nothing of their year (the server shows it only once a claim of this account for them passed 初审).
                <View className='muted'>{`按${yearWords.long}第一次报销估算，起付线和年度限额都从头算。${yearWords.short}已结算的报销，经办机构核实参保人身份后才在这里计入；如果${yearWords.short}已经报过，实际支付可能比预估少。`}</View>
              )
            ) : null}
          </View>
          <View className='card'>
            <View className='section-title'>怎么算出来的</View>
            <EstimateTrace result={result.result} />
          </View>
        </>
      ) : (
        <View className='card'>
          <View className='muted' id='estimate-unavailable'>
            {result.message}
          </View>
          <Button className='secondary-button' onClick={() => void Taro.navigateTo({ url: stepPages.form })}>
            回去修改
          </Button>
        </View>
      )}
      <Button id='estimate-next' className='primary-button' onClick={next}>
        下一步：确认提交
      </Button>
    </PageShell>
  );
}
