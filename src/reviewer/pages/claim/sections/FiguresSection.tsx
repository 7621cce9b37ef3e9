/** 报销金额: 申报估算 / 审核核定 / 结算 side by side, each with its calculation (trace, caps that bit, warnings) on demand. */
import { Button, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { EstimateResult } from '../../../../core/engine';
import { formatYuan } from '../../../../core/money';
import type { ReviewClaimDetail } from '../../../../services/review';
import { figureRows, Section } from '../parts';

export function FiguresSection({ detail }: { detail: ReviewClaimDetail }): React.ReactNode {
  const [openTrace, setOpenTrace] = useState<string | null>(null);
  const results: Array<{ key: string; label: string; result: EstimateResult | null }> = [
    { key: 'estimate', label: '申报估算', result: detail.estimate },
    { key: 'reviewEstimate', label: '审核核定', result: detail.reviewEstimate },
    { key: 'settlement', label: '结算', result: detail.settlement },
    // At 审核通过: what 结算 would settle now, on the person's year as it stands.
    { key: 'settlementPreview', label: '结算预估', result: detail.settlementPreview },
  ];
  const shown = results.filter(
    (column): column is { key: string; label: string; result: EstimateResult } => column.result !== null,
  );
  return (
    <Section title='报销金额' id='figures'>
      {shown.length === 0 ? (
        <View className='muted'>尚无估算</View>
      ) : (
        <View className={`figures figures-columns-${shown.length}`}>
          <View className='figures-row figures-head'>
            <Text className='figures-label'>项目</Text>
            {shown.map((column) => (
              <Text key={column.key} className='figures-cell'>
                {column.label}
              </Text>
            ))}
          </View>
          {figureRows.map((row) => (
            <View key={row.key} className={`figures-row ${row.key === 'totalPaid' ? 'figures-total' : ''}`}>
              <Text className='figures-label'>{row.label}</Text>
              {shown.map((column) => (
                <Text key={column.key} className='figures-cell' id={`figure-${column.key}-${row.key}`}>
                  {formatYuan(column.result[row.key] as number)}
                </Text>
              ))}
            </View>
          ))}
        </View>
      )}
      {detail.settlementPreview ? (
        <View className='muted' id='figures-preview-note'>
          「结算预估」按参保人当前年度累计计算：这个人的其他申请结算后，起付线和封顶线的使用会变，结算以结算时为准。
        </View>
      ) : null}
      {shown.map((column) => (
        <View key={column.key} className='trace'>
          <Button
            id={`trace-${column.key}`}
            className='secondary-button'
            onClick={() => setOpenTrace(openTrace === column.key ? null : column.key)}
          >
            {`${openTrace === column.key ? '收起' : '查看'}「${column.label}」的计算过程`}
          </Button>
          {openTrace === column.key ? (
            <View className='trace-steps'>
              {column.result.trace.map((step, index) => (
                <View key={index} className='list-row'>{`${index + 1}. ${step.text}`}</View>
              ))}
              {column.result.capsHit.map((cap) => (
                <View
                  key={cap.cap}
                  className='list-row muted'
                >{`封顶：${cap.name}，限额 ${formatYuan(cap.limit)}，本次核减 ${formatYuan(cap.reducedBy)}`}</View>
              ))}
              {column.result.warnings.map((warning) => (
                <View key={warning.code} className='list-row muted'>{`提示：${warning.message}`}</View>
              ))}
            </View>
          ) : null}
        </View>
      ))}
    </Section>
  );
}
