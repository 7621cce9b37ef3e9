/**
 * What was read from one receipt photo, for the reviewer: the photo with each field's region outlined
 * and numbered, the values beside their numbers (with confidence, and a mark where look-alike
 * characters were corrected), the cross-checks, every duplicate hit, and the raw OCR text.
 */
import { Button, Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { formatYuan } from '../../core/money';
import { FIELD_LABELS, RECEIPT_FIELD_NAMES, type ReceiptFieldName } from '../../core/receipt';
import type { ReceiptReadingView } from '../../services/review';
import { claimBeside, filedBeside, type ClaimSide } from './filedBeside';
import './receiptReading.scss';

const money = new Set<ReceiptFieldName>(['totalFigures', 'totalWords', 'fundPaid']);

function shown(name: ReceiptFieldName, value: unknown): string {
  return money.has(name) && typeof value === 'number' ? formatYuan(value) : String(value);
}

/** 识别票据 for a photo nobody read: offered while the reviewer may take the step (the claim in 初审 or 审核). */
export interface ReadOffer {
  /** Reading this photo now (a few seconds). */
  reading: boolean;
  /** Another step or reading is running: the button waits. */
  busy: boolean;
  /** Why the last try failed, as a sentence. */
  failure: string | null;
  read: () => void;
}

export function ReceiptReading({
  receipt,
  photoUrl,
  index,
  readOffer,
  claimLines = [],
  claimSide = {},
}: {
  receipt: ReceiptReadingView;
  photoUrl: string | undefined;
  index: number;
  readOffer?: ReadOffer;
  /** The claim's lines as they stand: an item read with another amount on the claim is marked. */
  claimLines?: ReadonlyArray<{ name: string; amountFen: number }>;
  /** The claim's hospital, stay dates and insured person: one filed otherwise than read is said beside the field. */
  claimSide?: ClaimSide;
}): React.ReactNode {
  const [rawOpen, setRawOpen] = useState(false);
  const reading = receipt.reading;
  if (!reading)
    return (
      <View className='receipt-unread' id={`receipt-${index}-unread`}>
        <View className='muted'>{`票据 ${index + 1}：这张票据没有识别过，预审无法核对它的金额和日期`}</View>
        {readOffer ? (
          <>
            <Button
              id={`receipt-${index}-read`}
              className='secondary-button'
              disabled={readOffer.busy}
              // No `loading`: Taro's icon, put in beside words that change, broke React's reconciliation (insertBefore
              // failed on every read, a desk walk); the words say it is reading.
              onClick={readOffer.read}
            >
              {readOffer.reading ? '正在识别，约需几秒…' : '识别这张票据'}
            </Button>
            {readOffer.failure ? (
              <View className='field-error' role='alert'>
                {readOffer.failure}
              </View>
            ) : null}
          </>
        ) : null}
      </View>
    );
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
        // A frame of the photo's own shape (its height as a share of its width), the photo filling it: the boxes are
        // placed in shares of the photo. Taro's widthFix left the H5 image at its default 240 px of height, so at a desk
        // the photo was squeezed and every box sat far from its words.
        <View className='receipt-photo' style={{ paddingTop: `${(height / width) * 100}%` }}>
          <Image src={photoUrl} mode='scaleToFill' className='receipt-photo-image' />
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
      {fields.map(({ name, field }, number) => {
        const filed = claimBeside(name, field.value, claimSide);
        return (
          <View key={name} className='receipt-field'>
            <Text className='receipt-field-number'>{number + 1}</Text>
            <Text className='receipt-field-label'>{FIELD_LABELS[name]}</Text>
            <Text className='receipt-field-value'>{shown(name, field.value)}</Text>
            <Text
              className={field.confidence < 0.8 ? 'receipt-confidence low' : 'receipt-confidence'}
            >{`${Math.round(field.confidence * 100)}%${field.corrected ? ' · 已纠正形近字' : ''}`}</Text>
            {filed ? (
              <Text className='receipt-item-filed' id={`receipt-${index}-${name}-filed`}>
                {filed}
              </Text>
            ) : null}
          </View>
        );
      })}
      {reading.extracted.items.length > 0 ? (
        // The items as read, beside the claim's line of the same name: the 预审 said only that the totals differ, and
        // the reviewer compared photo and lines by eye to find the line (a walk: 检查费 907.17 filed, 709.17 printed).
        <View className='receipt-items-read' id={`receipt-${index}-items`}>
          <View className='field-label'>{`收费项目（识别出 ${reading.extracted.items.length} 项）`}</View>
          {reading.extracted.items.map((item, itemIndex) => {
            const filed = filedBeside(claimLines, item.name.value, item.amount?.value ?? null);
            return (
              <View key={itemIndex} className={filed ? 'receipt-item-read differs' : 'receipt-item-read'}>
                <Text>{item.name.value}</Text>
                <Text>{item.amount ? formatYuan(item.amount.value) : '金额未识别'}</Text>
                {filed ? (
                  <Text className='receipt-item-filed'>{`申请填写 ${filed.map((fen) => formatYuan(fen)).join('、')}`}</Text>
                ) : null}
              </View>
            );
          })}
        </View>
      ) : null}
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
