/**
 * 办理记录 (audit export): a claim's whole history — every event with who (by name) and when, the
 * policy version, the line corrections, the figures with their trace — as a printable page (H5:
 * the browser's print, buttons hidden) and a JSON download of exactly what the server answered.
 */
import { Button, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { EstimateFigures, EstimateTrace } from '../../../components/EstimateView';
import { shanghaiDateTime } from '../../../components/format';
import { PageShell } from '../../../components/PageShell';
import type { AuditTrail } from '../../../core/contracts/views';
import { formatYuan } from '../../../core/money';
import { correctionText } from '../../../core/lineCorrections';
import { caseAmountLabels } from '../../../core/policy/runCases';
import { precheckRules } from '../../../core/precheck';
import type { CloudError } from '../../../services/cloud';
import { printPage, saveText } from '../../../services/download';
import { reviewApi } from '../../../services/review';
import { claimPageFailureOf, Failure, failureOf, unnamedClaim } from '../../components/Failure';
import { GoHome } from '../../components/StaffNav';
import './index.scss';

const figureLabel = (key: string): string => (caseAmountLabels as Record<string, string>)[key] ?? key;
const checkLabel = (id: string): string => precheckRules.find((rule) => rule.id === id)?.label ?? id;

function Row({ label, value }: { label: string; value: string }): React.ReactNode {
  return (
    <View className='audit-row'>
      <Text className='audit-row-label'>{label}</Text>
      <Text className='audit-row-value'>{value}</Text>
    </View>
  );
}

function Trail({ trail }: { trail: AuditTrail }): React.ReactNode {
  const { claim, policy } = trail;
  return (
    <View id='audit-trail'>
      <View className='card'>
        <View className='title'>{claim.title}</View>
        <Row label='申请编号' value={claim.claimNumber} />
        <Row label='当前状态' value={claim.statusLabel} />
        <Row label='提交时间' value={claim.submittedAt ? shanghaiDateTime(claim.submittedAt) : '未提交'} />
        <Row label='申报金额' value={formatYuan(claim.amountFen)} />
        <Row label='支付金额' value={claim.paidFen === null ? '未支付' : formatYuan(claim.paidFen)} />
        {claim.paymentBatch ? <Row label='支付批次' value={claim.paymentBatch} /> : null}
        <Row
          label='适用政策'
          value={
            policy
              ? `${policy.title}（版本 ${policy.version}${policy.effectiveFrom ? `，${policy.effectiveFrom} 起施行` : ''}${policy.sample ? '，示例' : ''}）`
              : '未记录'
          }
        />
      </View>

      <View className='card'>
        <View className='section-title'>{`办理经过（${trail.events.length} 步）`}</View>
        {trail.events.map((event) => (
          <View key={event.seq} id={`audit-event-${event.seq}`} className='audit-event'>
            <View className='audit-event-head'>
              <Text className='audit-event-title'>{`${event.seq}. ${event.title}`}</Text>
              <Text>{shanghaiDateTime(event.at)}</Text>
            </View>
            <View className='audit-text'>
              {/* 申请人 is said once (it read 申请人：申请人, a walk); staff by role and name. */}
              {event.role === event.who ? event.role : `${event.role}：${event.who}`}
            </View>
            {event.detail ? <View className='audit-text'>{event.detail}</View> : null}
            {event.reference ? <View className='audit-text'>{`编号：${event.reference}`}</View> : null}
            {event.figures ? (
              <View className='audit-text'>
                {Object.entries(event.figures)
                  .map(([key, fen]) => `${figureLabel(key)} ${formatYuan(fen)}`)
                  .join('；')}
              </View>
            ) : null}
            {event.checks ? (
              <View className='audit-text'>{`预审通过：${event.checks.map(checkLabel).join('、')}`}</View>
            ) : null}
          </View>
        ))}
      </View>

      {trail.corrections.length > 0 ? (
        <View className='card'>
          <View className='section-title'>费用明细修改</View>
          {trail.corrections.map((correction, index) => (
            <View key={`${correction.index}-${index}`} className='audit-event'>
              <View className='audit-text'>
                {correctionText(
                  correction,
                  (code) => trail.diseaseChoices.find((disease) => disease.code === code)?.name ?? code,
                )}
              </View>
              <View className='audit-text'>{`原因：${correction.reason}（${correction.by}，${shanghaiDateTime(correction.at)}）`}</View>
            </View>
          ))}
        </View>
      ) : null}

      {trail.figures.map((figure) => (
        <View key={figure.key} id={`audit-figures-${figure.key}`} className='card audit-figures'>
          <View className='section-title'>{`${figure.label}（政策版本 ${figure.result.policy.version}）`}</View>
          <EstimateFigures result={figure.result} />
          <EstimateTrace result={figure.result} />
        </View>
      ))}
      <View className='audit-text'>{`导出：${trail.exportedBy}，${shanghaiDateTime(trail.exportedAt)}`}</View>
    </View>
  );
}

export default function AuditPage(): React.ReactNode {
  const [id, setId] = useState('');
  const [trail, setTrail] = useState<AuditTrail | null>(null);
  const [failure, setFailure] = useState<CloudError | null>(null);

  useLoad((params: Record<string, string | undefined>) => {
    const claimId = params.id ?? '';
    setId(claimId);
    if (!claimId) return setFailure(unnamedClaim());
    reviewApi.audit(claimId).then(setTrail, (error: unknown) => setFailure(claimPageFailureOf(error)));
  });

  async function downloadJson(): Promise<void> {
    if (!trail) return;
    try {
      await saveText(
        `办理记录-${trail.claim.claimNumber}.json`,
        'application/json',
        `${JSON.stringify(trail, null, 2)}\n`,
      );
    } catch (error) {
      setFailure(failureOf(error));
    }
  }

  return (
    <PageShell className='audit-page'>
      {failure ? <Failure error={failure} /> : null}
      {!trail && !failure ? <View className='audit-text'>加载中…</View> : null}
      {trail ? <Trail trail={trail} /> : null}
      <View className='no-print'>
        {trail ? (
          <View className='audit-actions'>
            {printPage ? (
              <Button id='audit-print' className='secondary-button' onClick={() => printPage?.()}>
                打印
              </Button>
            ) : null}
            <Button id='audit-json' className='secondary-button' onClick={() => void downloadJson()}>
              下载 JSON
            </Button>
          </View>
        ) : null}
        {id ? (
          <Button
            id='audit-back'
            className='secondary-button'
            onClick={() => void Taro.redirectTo({ url: `/reviewer/pages/claim/index?id=${id}` })}
          >
            返回这份申请
          </Button>
        ) : null}
        <GoHome />
      </View>
    </PageShell>
  );
}
