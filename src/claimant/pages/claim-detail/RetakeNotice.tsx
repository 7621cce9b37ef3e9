/**
 * 补件 with photos sent back (退回重拍): which of the claim's photos the agency could not use, shown as they were taken,
 * so the person knows what to photograph again (the card only says how many). Tap to see one larger.
 */
import { Image, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { materialDefinitions, type MaterialId } from '../../../core/materials';
import { temporaryUrl } from '../../../services/cloud';
import { previewPhotos } from '../../../services/photoPreview';

export function RetakeNotice({
  photos,
}: {
  photos: ReadonlyArray<{ fileID: string; materialId: MaterialId }>;
}): React.ReactNode {
  const [urls, setUrls] = useState<string[]>([]);
  const key = photos.map((photo) => photo.fileID).join('|');
  useEffect(() => {
    let live = true;
    // A photo that cannot be shown still has its material named below it.
    void Promise.all(photos.map((photo) => temporaryUrl(photo.fileID).catch(() => ''))).then((found) => {
      if (live) setUrls(found);
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the photos are the same while their ids are
  }, [key]);
  if (photos.length === 0) return null;
  return (
    <View id='retake-notice'>
      <View className='notice'>{`经办人员退回了 ${photos.length} 张照片（看不清或拍得不对），它们已不算作材料。请重新拍清楚，在下面上传。`}</View>
      <View className='photos'>
        {photos.map((photo, index) => (
          <View key={photo.fileID} className='photo' id={`retake-photo-${index}`}>
            {urls[index] ? (
              <Image
                className='photo-image'
                src={urls[index]}
                mode='aspectFill'
                aria-label={`被退回的${materialDefinitions[photo.materialId].label}照片，点按放大`}
                onClick={() => void previewPhotos(urls.filter(Boolean), urls[index]!).catch(() => undefined)}
              />
            ) : null}
            <Text className='photo-state photo-state-failed'>{`${materialDefinitions[photo.materialId].label} · 需重拍`}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
