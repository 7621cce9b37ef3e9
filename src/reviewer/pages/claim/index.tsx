/**
 * 经办审核 · one claim: the insured person, hospital, visit and payout (personal data in full:
 * reviewers only), photos per material (tap to zoom), line items with an edit mode and the
 * re-estimate, the figures (申报估算 / 审核核定 / 结算) with their trace, the timeline and the audit
 * history, and the actions this reviewer may take now (the server's `actions`).
 * State and server calls: `useReviewClaim`; each part of the page: `sections/`.
 */
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Failure } from '../../components/Failure';
import { BackToQueue, NextInQueue } from '../../components/StaffNav';
import { PageShell } from '../../../components/PageShell';
import { claimNumberOf } from '../../../core/claimNumber';
import { formatYuan } from '../../../core/money';
import { dateFieldValue, timeFieldValue } from '../../../core/notifications';
import { claimStatusText } from '../../../core/statusLabels';
import { Precheck } from '../../components/Precheck';
import { Field, materialLabel, policyName, Section } from './parts';
import { ActionsSection } from './sections/ActionsSection';
import { ClaimFacts } from './sections/ClaimFacts';
import { FiguresSection } from './sections/FiguresSection';
import { HistorySections } from './sections/HistorySections';
import { LineItemsSection } from './sections/LineItemsSection';
import { photosByMaterial, PhotosSection } from './sections/PhotosSection';
import { useReviewClaim } from './useReviewClaim';
import './index.scss';

export default function ReviewClaimPage(): React.ReactNode {
  const claim = useReviewClaim();
  const { detail, failure, notice } = claim;
  if (!detail) {
    return (
      <PageShell>
        {/* Not staff: what this page is and the way home (Failure); a claim not found: back to 待办 (a walk saw 您没有权限
            进行此操作 alone). */}
        {failure ? <Failure error={failure} id='claim-failure' /> : <View className='muted'>加载中…</View>}
        {failure && failure.code !== 'FORBIDDEN' ? <BackToQueue /> : null}
      </PageShell>
    );
  }
  // Three groups: on a phone one after the other; at a desk (≥ 1024 px, index.scss) the photos and their readings stand in
  // a column of their own beside the claim, and stay in view while the lines are checked (one column was 5,324 px tall
  // at 1,280 px, the photos three screens from the buttons — a desk walk).
  return (
    <PageShell className='review-claim'>
      <View className='desk-layout'>
        <View className='desk-claim'>
          <View className='card'>
            <Text className='title' id='claim-title'>
              {detail.title}
            </Text>
            <View className='status-line'>
              <Text className='status-tag' id='claim-status'>
                {claimStatusText(detail)}
              </Text>
              {detail.overdue ? <Text className='overdue-tag'>已超期</Text> : null}
            </View>
            {/* The number a refusal or a colleague names (LATER_SETTLEMENTS): it was on 办理记录 and 支付批次 only. */}
            <Field label='申请编号' value={claimNumberOf(detail.id)} />
            <Field label='申请金额' value={formatYuan(detail.amountFen)} />
            {detail.submittedAt ? (
              <Field label='提交时间' value={timeFieldValue(new Date(detail.submittedAt))} />
            ) : null}
            {detail.dueDate ? <Field label='办结时限' value={dateFieldValue(new Date(detail.dueDate))} /> : null}
            {detail.calendarNotice ? (
              <View className='muted' id='calendar-notice'>
                {detail.calendarNotice}
              </View>
            ) : null}
            {detail.policy ? (
              <Field label='适用政策' value={policyName(detail, `${detail.policy.id}@${detail.policy.version}`)} />
            ) : null}
            {detail.supplementReason ? <Field label='补件原因' value={detail.supplementReason} /> : null}
            {detail.requestedMaterials.length > 0 ? (
              <Field label='需补材料' value={detail.requestedMaterials.map(materialLabel).join('、')} />
            ) : null}
          </View>

          {/* A change by someone else is said where the action buttons were (ActionsSection), not up here off screen. */}
          {failure && failure.code !== 'CONFLICT' ? (
            <ErrorBanner message={failure.message} code={failure.code} />
          ) : null}
          {notice ? (
            <View className='banner-ok' id='action-result' role='status'>
              {notice}
              <NextInQueue id='next-claim-after-action' claimId={detail.id} />
            </View>
          ) : null}

          {/* The 预审 as the queue row shows it: the claim page said nothing of the checks left open (a walk). */}
          <Section title='预审' id='claim-precheck'>
            <Precheck id='precheck' result={detail.precheck} />
            {/* Before 初审通过: once it passes, the account reads the person's year (a probe filed as 本人 with another's number). */}
            {detail.identityWarnings.map((warning, index) => (
              <View key={warning} className='notice' id={`identity-warning-${index}`}>
                {warning}
              </View>
            ))}
          </Section>
          <ActionsSection claim={claim} materialsWithPhotos={new Set(photosByMaterial(detail).keys())} />
          <ClaimFacts detail={detail} />
        </View>
        <View className='desk-photos' id='desk-photos'>
          <PhotosSection claim={claim} />
        </View>
        <View className='desk-work'>
          <LineItemsSection claim={claim} />
          <FiguresSection detail={detail} />
          <HistorySections detail={detail} />
          <Button
            id='open-audit'
            className='secondary-button'
            onClick={() => void Taro.navigateTo({ url: `/reviewer/pages/audit/index?id=${detail.id}` })}
          >
            完整办理记录（打印、下载 JSON）
          </Button>
          <NextInQueue id='next-claim' claimId={detail.id} />
          <BackToQueue />
        </View>
      </View>
    </PageShell>
  );
}
