/** 办理进度 (the timeline) and 审核记录 (every event: who — by name —, when, from → to, figures, policy version). */
import { Text, View } from '@tarojs/components';
import { formatYuan } from '../../../../core/money';
import { timeFieldValue } from '../../../../core/notifications';
import type { ClaimStatus } from '../../../../core/contracts/claimDraft';
import { claimStatusLabel, claimStatusText } from '../../../../core/statusLabels';
import { describeEvent, timelineRows } from '../../../../core/workflow';
import type { ReviewClaimDetail } from '../../../../services/review';
import { figureLabel, policyName, Section } from '../parts';

const roleLabels: Record<string, string> = { claimant: '申请人', reviewer: '经办审核人员', secondReviewer: '复核人员' };
const timelineMarks: Record<string, string> = { done: '✓', current: '●', todo: '○', skipped: '–' };

export function HistorySections({ detail }: { detail: ReviewClaimDetail }): React.ReactNode {
  return (
    <>
      <Section title='办理进度' id='timeline'>
        {/* In the order it happened: a 补件 or 退回 after the steps reached, not after 已支付. */}
        {timelineRows(detail.timeline).map((step) => (
          <View key={step.key} className={`timeline-step timeline-${step.state}`}>
            <Text className='timeline-mark'>{timelineMarks[step.state]}</Text>
            <Text>{step.label}</Text>
            {step.at ? <Text className='muted'>{timeFieldValue(new Date(step.at))}</Text> : null}
            {step.detail ? <View className='muted timeline-detail'>{step.detail}</View> : null}
          </View>
        ))}
      </Section>
      <Section title='审核记录' id='history'>
        {detail.events.map((event, index) => {
          const line = describeEvent(event);
          // A claim settled at 0 元 waits for 办结 and ends 已办结（无报销款）, not 待支付 / 已支付.
          const statusOf = (status: ClaimStatus): string => claimStatusText({ status, paidFen: detail.paidFen });
          return (
            <View key={index} className='list-row history-row'>
              <Text className='history-title'>{line.title}</Text>
              <View className='muted'>{`${timeFieldValue(new Date(line.at))}　${roleLabels[event.role] ?? event.role}${event.role === 'claimant' ? '' : `（${detail.people[event.actor] ?? '经办人员'}）`}`}</View>
              {/* A step that leaves the status (a line correction, 登记原件寄出) says so once: 已提交，待初审 → 已提交，待初审 was read as a mistake. */}
              <View className='muted'>
                {event.from === event.to
                  ? `状态不变：${claimStatusLabel[event.to]}`
                  : `${statusOf(event.from)} → ${statusOf(event.to)}`}
              </View>
              {line.detail ? <View className='muted'>{line.detail}</View> : null}
              {event.figures ? (
                <View className='muted'>
                  {Object.entries(event.figures)
                    .map(([key, fen]) => `${figureLabel(key)} ${formatYuan(fen)}`)
                    .join('，')}
                </View>
              ) : null}
              {event.policyVersion ? (
                <View className='muted'>{`政策：${policyName(detail, event.policyVersion)}`}</View>
              ) : null}
            </View>
          );
        })}
      </Section>
    </>
  );
}
