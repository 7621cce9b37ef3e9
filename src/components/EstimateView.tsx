/** One estimate as a claimant reads it: fund pays, claimant pays, how it was worked out, which policy. */
import { Text, View } from '@tarojs/components';
import type { EstimateResult } from '../core/engine';
import { claimantPaysParts } from '../core/engine/claimantParts';
import { formatYuan } from '../core/money';
import { insuranceTypeNames } from '../core/policy/schema';

function FigureRow({
  label,
  fen,
  id,
  big = false,
}: {
  label: string;
  fen: number;
  id?: string;
  big?: boolean;
}): React.ReactNode {
  return (
    <View className='summary-row'>
      <Text>{label}</Text>
      <Text className={`summary-value ${big ? 'big-figure' : ''}`} id={id}>
        {formatYuan(fen)}
      </Text>
    </View>
  );
}

export function EstimateFigures({ result }: { result: EstimateResult }): React.ReactNode {
  // The parts of what the claimant pays: they add up to it (src/core/engine/claimantParts.ts).
  const parts = claimantPaysParts(result);
  return (
    <View>
      <FigureRow label='费用合计' fen={result.total} id='estimate-total' />
      <FigureRow label='医保预计支付' fen={result.totalPaid} id='estimate-fund' big />
      {result.majorIllnessPays > 0 ? <FigureRow label='其中大病保险' fen={result.majorIllnessPays} /> : null}
      <FigureRow label='自己负担' fen={result.claimantPays} id='estimate-claimant' />
      {parts.map((part) => (
        <FigureRow key={part.label} label={`其中${part.label}`} fen={part.fen} />
      ))}
    </View>
  );
}

export function EstimateTrace({ result }: { result: EstimateResult }): React.ReactNode {
  return (
    <View id='estimate-trace'>
      {result.trace.map((step, index) => (
        <View key={`${step.rule}-${index}`} className='trace-step'>
          {`${index + 1}. ${step.text}`}
        </View>
      ))}
      {result.capsHit.map((cap) => (
        <View key={cap.cap} className='field-warning'>
          {`已达到「${cap.name}」（${formatYuan(cap.limit)}），本次少报 ${formatYuan(cap.reducedBy)}`}
        </View>
      ))}
      {result.warnings.map((warning) => (
        <View key={warning.code} className='field-warning'>
          {warning.message}
        </View>
      ))}
    </View>
  );
}

export function PolicyLine({ policy }: { policy: EstimateResult['policy'] }): React.ReactNode {
  return (
    <View id='estimate-policy'>
      <Text>{`${policy.regionName} ${insuranceTypeNames[policy.insuranceType]} · 政策版本 ${policy.version}`}</Text>
      {policy.sample ? (
        <Text className='tag tag-sample' id='policy-sample-badge'>
          示例
        </Text>
      ) : (
        <Text className='tag tag-optional'>正式</Text>
      )}
      <View className='muted'>{policy.title}</View>
      {policy.sample ? (
        <View className='muted'>示例政策按公开资料整理，数字仅供参考，以当地医保经办机构为准。</View>
      ) : null}
    </View>
  );
}
