/** One estimate as a claimant reads it: fund pays, claimant pays, how it was worked out, which policy. */
import { Text, View } from '@tarojs/components';
import type { EstimateResult } from '../core/engine';
import { formatYuan } from '../core/money';
import { insuranceTypeNames } from '../core/policy/schema';

export function EstimateFigures({ result }: { result: EstimateResult }): React.ReactNode {
  return (
    <View>
      <View className='summary-row'>
        <Text>费用合计</Text>
        <Text className='summary-value' id='estimate-total'>
          {formatYuan(result.total)}
        </Text>
      </View>
      <View className='summary-row'>
        <Text>医保预计支付</Text>
        <Text className='summary-value big-figure' id='estimate-fund'>
          {formatYuan(result.totalPaid)}
        </Text>
      </View>
      {result.majorIllnessPays > 0 ? (
        <View className='summary-row'>
          <Text>其中大病保险</Text>
          <Text className='summary-value'>{formatYuan(result.majorIllnessPays)}</Text>
        </View>
      ) : null}
      <View className='summary-row'>
        <Text>自己负担</Text>
        <Text className='summary-value' id='estimate-claimant'>
          {formatYuan(result.claimantPays)}
        </Text>
      </View>
      {result.outOfPolicy > 0 ? (
        <View className='summary-row'>
          <Text>其中丙类（自费）</Text>
          <Text className='summary-value'>{formatYuan(result.outOfPolicy)}</Text>
        </View>
      ) : null}
      {result.categoryBSelfPay > 0 ? (
        <View className='summary-row'>
          <Text>其中乙类先自付</Text>
          <Text className='summary-value'>{formatYuan(result.categoryBSelfPay)}</Text>
        </View>
      ) : null}
      {result.outOfRegionSelfPay > 0 ? (
        <View className='summary-row'>
          <Text>其中异地先自付</Text>
          <Text className='summary-value'>{formatYuan(result.outOfRegionSelfPay)}</Text>
        </View>
      ) : null}
      {result.deductibleTaken > 0 ? (
        <View className='summary-row'>
          <Text>其中起付线</Text>
          <Text className='summary-value'>{formatYuan(result.deductibleTaken)}</Text>
        </View>
      ) : null}
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
      {policy.sample ? <View className='muted'>示例政策按公开资料整理，数字仅供参考，以当地医保经办机构为准。</View> : null}
    </View>
  );
}
