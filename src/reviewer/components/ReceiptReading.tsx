/**
 * What was read from one receipt photo, for the reviewer: the photo with each field's region outlined
 * and numbered, the values beside their numbers (with confidence, and a mark where look-alike
 * characters were corrected), the cross-checks, every duplicate hit, and the raw OCR text.
 */
import { Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { formatYuan } from '../../core/money';
import { FIELD_LABELS, RECEIPT_FIELD_NAMES, type ReceiptFieldName } from '../../core/receipt';
import type { ReceiptReadingView } from '../../services/review';
import './receiptReading.scss';

const money = new Set<ReceiptFieldName>(['totalFigures', 'totalWords', 'fundPaid']);

function shown(name: ReceiptFieldName, value: unknown): string {
  return money.has(name) && typeof value === 'number' ? formatYuan(value) : String(value);
}

export function ReceiptReading({
  receipt,
  photoUrl,
  index,
}: {
  receipt: ReceiptReadingView;
  photoUrl: string | undefined;
  index: number;
}): React.ReactNode {
  const [rawOpen, setRawOpen] = useState(false);
  const reading = receipt.reading;
  if (!reading) return <View className='muted'>{`票据 ${index + 1}：申请人没有识别这张票据`}</View>;
  const fields = RECEIPT_FIELD_NAMES.flatMap((name) => {
    const field = reading.extracted.fields[name];
    return field ? [{ name, field }] : [];
  });
  const { width, height } = reading.image;
  return (
    <View className='receipt-reading' id={`receipt-${index}`}>
      {(reading.image.sheets ?? 1) > 1 ? (
        <View className='field-warning' role='alert' id={`receipt-${index}-sheets`}>
          {`这张照片里有 ${reading.image.sheets} 张票据，只识别了其中一张：其余的请按照片核对`}
        </View>
      ) : null}
      {receipt.duplicates.map((hit) => (
        <View key={hit.claimLabel + hit.basis} className='banner-error' role='alert'>
          {`重复票据：${hit.basis === 'photo' ? '同一张照片' : '这张票据'}已在${hit.claimLabel}中提交`}
        </View>
      ))}
      {photoUrl ? (
        <View className='receipt-photo'>
          <Image src={photoUrl} mode='widthFix' className='receipt-photo-image' />
          {fields.map(({ name, field }, number) =>
            field.sources.flatMap((source) =>
              source.box
                ? [
                    <View
                      key={`${name}-${source.line}`}
                      className='receipt-box'
                      style={{
                        left: `${(source.box[0] / width) * 100}%`,
                        top: `${(source.box[1] / height) * 100}%`,
                        width: `${(source.box[2] / width) * 100}%`,
                        height: `${(source.box[3] / height) * 100}%`,
                      }}
                    >
                      <Text className='receipt-box-number'>{number + 1}</Text>
                    </View>,
                  ]
                : [],
            ),
          )}
        </View>
      ) : null}
      {fields.map(({ name, field }, number) => (
        <View key={name} className='receipt-field'>
          <Text className='receipt-field-number'>{number + 1}</Text>
          <Text className='receipt-field-label'>{FIELD_LABELS[name]}</Text>
          <Text className='receipt-field-value'>{shown(name, field.value)}</Text>
          <Text
            className={field.confidence < 0.8 ? 'receipt-confidence low' : 'receipt-confidence'}
          >{`${Math.round(field.confidence * 100)}%${field.corrected ? ' · 已纠正形近字' : ''}`}</Text>
        </View>
      ))}
      {reading.crossCheck.checks.map((check) => (
        <View key={check.id} className={check.status === 'disagree' ? 'receipt-check disagree' : 'receipt-check'}>
          {`${check.status === 'agree' ? '✓' : check.status === 'disagree' ? '✗' : '–'} ${check.message}`}
        </View>
      ))}
      <View className='link-button' onClick={() => setRawOpen(!rawOpen)}>
        {rawOpen ? '收起识别原文' : `查看识别原文（${reading.extracted.lines.length} 行）`}
      </View>
      {rawOpen ? (
        <View className='receipt-raw'>
          {reading.extracted.lines.map((line, lineIndex) => (
            <View key={lineIndex}>{line.text}</View>
          ))}
        </View>
      ) : null}
    </View>
  );
}
