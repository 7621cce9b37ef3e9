/** 材料照片 by material (tap to zoom through all of them) and 票据识别 with numbered boxes on the photo. */
import { Image, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { previewPhotos } from '../../../../services/photoPreview';
import type { ReviewClaimDetail } from '../../../../services/review';
import type { ReviewClaim } from '../useReviewClaim';
import { ReceiptReading } from '../../../components/ReceiptReading';
import { materialLabel, Section } from '../parts';

type Photo = ReviewClaimDetail['photos'][number];

/** The claim's photos grouped by material, in the order they were taken. */
export function photosByMaterial(detail: ReviewClaimDetail): Map<string, Photo[]> {
  const groups = new Map<string, Photo[]>();
  for (const photo of detail.photos) groups.set(photo.materialId, [...(groups.get(photo.materialId) ?? []), photo]);
  return groups;
}

/** "费用明细清单（3 张，其中补件 1 张）": which photos came with a 补件 answer, not told apart before. */
export function photoGroupLabel(materialId: string, photos: readonly Photo[]): string {
  const supplemented = photos.filter((photo) => photo.fromSupplement).length;
  return `${materialLabel(materialId)}（${photos.length} 张${supplemented > 0 ? `，其中补件 ${supplemented} 张` : ''}）`;
}

export function PhotosSection({ claim }: { claim: ReviewClaim }): React.ReactNode {
  /** The photo being read (识别票据), and the last refusal by photo. */
  const [reading, setReading] = useState<string | null>(null);
  const [readFailure, setReadFailure] = useState<{ fileID: string; message: string } | null>(null);
  const { detail } = claim;
  if (!detail) return null;
  const photoUrls = detail.photos.map((photo) => photo.url);
  const canRead = detail.actions.includes('readReceipt');
  const read = async (fileID: string): Promise<void> => {
    setReading(fileID);
    setReadFailure(null);
    const refused = await claim.readReceipt(fileID);
    setReading(null);
    if (refused) setReadFailure({ fileID, message: refused.message });
  };
  return (
    <>
      <Section title='材料照片（点按放大）' id='photos'>
        {detail.photos.length === 0 ? <View className='muted'>没有照片</View> : null}
        {[...photosByMaterial(detail).entries()].map(([materialId, photos]) => (
          <View key={materialId} className='photo-group'>
            <Text className='field-label'>{photoGroupLabel(materialId, photos)}</Text>
            <View className='photo-row'>
              {photos.map((photo, index) => (
                <View key={photo.fileID} className='photo-cell'>
                  <Image
                    id={`photo-${materialId}-${index}`}
                    className='photo'
                    src={photo.url}
                    mode='aspectFill'
                    aria-label={`${materialLabel(materialId)} 第 ${index + 1} 张${photo.fromSupplement ? '（补件）' : ''}，点按放大`}
                    onClick={() => void previewPhotos(photoUrls, photo.url).catch(() => undefined)}
                  />
                  {photo.fromSupplement ? (
                    <Text className='status-tag status-tag-attention' id={`supplement-tag-${materialId}-${index}`}>
                      补件
                    </Text>
                  ) : null}
                </View>
              ))}
            </View>
          </View>
        ))}
        {detail.retakenPhotos.length > 0 ? (
          <View className='photo-group' id='retaken-photos'>
            <Text className='field-label'>{`退回重拍或已替换的照片（${detail.retakenPhotos.length} 张，不算作材料）`}</Text>
            <View className='photo-row'>
              {detail.retakenPhotos.map((photo, index) => (
                <View key={photo.fileID} className='photo-cell'>
                  <Image
                    id={`retaken-${index}`}
                    className='photo'
                    src={photo.url}
                    mode='aspectFill'
                    aria-label={`${materialLabel(photo.materialId)}，${photo.replacedBy ? '已由补件照片替换' : '已退回重拍'}，点按放大`}
                    onClick={() =>
                      void previewPhotos(
                        detail.retakenPhotos.map((retaken) => retaken.url),
                        photo.url,
                      ).catch(() => undefined)
                    }
                  />
                  <Text className='retake-caption'>{materialLabel(photo.materialId)}</Text>
                  <Text className='status-tag'>{photo.replacedBy ? '已由补件照片替换' : '已退回重拍'}</Text>
                </View>
              ))}
            </View>
          </View>
        ) : null}
      </Section>
      {detail.receipts.length > 0 ? (
        <Section title='票据识别（编号对应照片上的位置）' id='receipts'>
          {detail.receipts.map((receipt, index) => (
            <ReceiptReading
              key={receipt.fileID}
              receipt={receipt}
              index={index}
              photoUrl={detail.photos.find((photo) => photo.fileID === receipt.fileID)?.url}
              claimLines={detail.reviewedLineItems ?? detail.form?.lineItems ?? []}
              claimSide={{
                ...(detail.form?.hospital?.name ? { hospitalName: detail.form.hospital.name } : {}),
                ...(detail.form?.visit?.admissionDate ? { admissionDate: detail.form.visit.admissionDate } : {}),
                ...(detail.form?.visit?.dischargeDate ? { dischargeDate: detail.form.visit.dischargeDate } : {}),
                ...(detail.form?.insured?.name ? { insuredName: detail.form.insured.name } : {}),
              }}
              {...(canRead
                ? {
                    readOffer: {
                      reading: reading === receipt.fileID,
                      busy: claim.busy,
                      failure: readFailure?.fileID === receipt.fileID ? readFailure.message : null,
                      read: () => void read(receipt.fileID),
                    },
                  }
                : {})}
            />
          ))}
        </Section>
      ) : null}
    </>
  );
}
