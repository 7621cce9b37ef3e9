/** 材料照片 by material (tap to zoom through all of them) and 票据识别 with numbered boxes on the photo. */
import { Image, Text, View } from '@tarojs/components';
import { previewPhotos } from '../../../../services/photoPreview';
import type { ReviewClaimDetail } from '../../../../services/review';
import { ReceiptReading } from '../../../components/ReceiptReading';
import { materialLabel, Section } from '../parts';

type Photo = ReviewClaimDetail['photos'][number];

/** The claim's photos grouped by material, in the order they were taken. */
export function photosByMaterial(detail: ReviewClaimDetail): Map<string, Photo[]> {
  const groups = new Map<string, Photo[]>();
  for (const photo of detail.photos) groups.set(photo.materialId, [...(groups.get(photo.materialId) ?? []), photo]);
  return groups;
}

export function PhotosSection({ detail }: { detail: ReviewClaimDetail }): React.ReactNode {
  const photoUrls = detail.photos.map((photo) => photo.url);
  return (
    <>
      <Section title='材料照片（点按放大）' id='photos'>
        {detail.photos.length === 0 ? <View className='muted'>没有照片</View> : null}
        {[...photosByMaterial(detail).entries()].map(([materialId, photos]) => (
          <View key={materialId} className='photo-group'>
            <Text className='field-label'>{`${materialLabel(materialId)}（${photos.length} 张）`}</Text>
            <View className='photo-row'>
              {photos.map((photo, index) => (
                <Image
                  key={photo.fileID}
                  id={`photo-${materialId}-${index}`}
                  className='photo'
                  src={photo.url}
                  mode='aspectFill'
                  aria-label={`${materialLabel(materialId)} 第 ${index + 1} 张，点按放大`}
                  onClick={() => void previewPhotos(photoUrls, photo.url).catch(() => undefined)}
                />
              ))}
            </View>
          </View>
        ))}
      </Section>
      {detail.receipts.length > 0 ? (
        <Section title='票据识别（编号对应照片上的位置）' id='receipts'>
          {detail.receipts.map((receipt, index) => (
            <ReceiptReading
              key={receipt.fileID}
              receipt={receipt}
              index={index}
              photoUrl={detail.photos.find((photo) => photo.fileID === receipt.fileID)?.url}
            />
          ))}
        </Section>
      ) : null}
    </>
  );
}
