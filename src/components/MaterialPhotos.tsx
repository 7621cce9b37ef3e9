/**
 * 拍照/上传 for one material: camera or album, several photos, each compressed and queued in the
 * draft's persisted upload queue (retries with backoff, resumes after a restart); thumbnails with a
 * progress bar, tap to view full size (zoom), delete, retry a failed one.
 */
import { Button, Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { MaterialItem } from '../core/materials';
import { UPLOAD_LIMIT_REACHED, uploadStateText, type UploadItem, type UploadQueue } from '../core/uploadQueue';
import { temporaryUrl } from '../services/cloud';
import { previewPhotos } from '../services/photoPreview';
import { choosePhotos, notImagesMessage, photoUploader, type PhotoSource } from '../services/photos';

/** Paths an <Image> can show, by localId: the local copy, or the uploaded file's temporary URL. */
function usePreviews(uploaderId: string, items: readonly UploadItem[]): Record<string, string> {
  const [paths, setPaths] = useState<Record<string, string>>({});
  const key = items.map((item) => `${item.localId}:${item.state}`).join(',');
  useEffect(() => {
    let live = true;
    const uploader = photoUploader(uploaderId);
    for (const item of items) {
      if (paths[item.localId]) continue;
      void uploader
        .previewPath(item)
        .then((path) => path ?? (item.fileID ? temporaryUrl(item.fileID) : null))
        .then((path) => {
          if (live && path) setPaths((previous) => ({ ...previous, [item.localId]: path }));
        })
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-run when the set of photos or their states change
  }, [uploaderId, key]);
  return paths;
}

export function MaterialPhotos({
  uploaderId,
  item,
  queue,
  error,
  receiptLines,
}: {
  uploaderId: string;
  item: Pick<MaterialItem, 'id' | 'label' | 'required' | 'why' | 'examples' | 'originalPaperNeeded'>;
  queue: UploadQueue | null;
  error?: string | undefined;
  /** A receipt photo's lines in the form: how many, said before deleting it, and taken out with it. */
  receiptLines?: { count: (fileID: string) => number; remove: (fileID: string) => void };
}): React.ReactNode {
  const items = (queue?.items ?? []).filter((photo) => photo.materialId === item.id);
  const previews = usePreviews(uploaderId, items);
  const dayLimit = items.find((photo) => photo.lastError?.code === UPLOAD_LIMIT_REACHED)?.lastError?.message;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState('');

  async function add(source: PhotoSource): Promise<void> {
    setFailure('');
    try {
      const { photos, notImages } = await choosePhotos(source);
      if (notImages > 0) setFailure(notImagesMessage(notImages));
      if (photos.length === 0) return;
      setBusy(true);
      await photoUploader(uploaderId).addPhotos(item.id, photos);
    } catch (reason) {
      const message =
        reason && typeof reason === 'object' && 'errMsg' in reason
          ? String((reason as { errMsg: unknown }).errMsg)
          : '';
      setFailure(
        /auth|permission/i.test(message) ? '没有相机或相册权限：请在设置中允许后重试' : '没能添加照片，请重试',
      );
    } finally {
      setBusy(false);
    }
  }

  function preview(localId: string): void {
    const urls = items.map((photo) => previews[photo.localId]).filter((url): url is string => Boolean(url));
    const current = previews[localId];
    if (current) void previewPhotos(urls, current).catch(() => undefined);
  }

  function remove(localId: string): void {
    const fileID = items.find((photo) => photo.localId === localId)?.fileID;
    const lines = fileID && receiptLines ? receiptLines.count(fileID) : 0;
    void Taro.showModal({
      title: '删除这张照片？',
      content: `${lines > 0 ? `这张票据填入的 ${lines} 项费用也会从「费用明细」里删掉。` : ''}删除后可以重新拍摄；删掉的照片仍计入今天已上传的张数`,
      confirmText: '删除',
      cancelText: '保留',
    })
      .then((answer) => {
        if (!answer.confirm) return;
        photoUploader(uploaderId).remove(localId);
        if (fileID && lines > 0) receiptLines?.remove(fileID);
      })
      .catch(() => undefined); // no answer, no deletion
  }

  return (
    <View className='card' id={`material-${item.id}`}>
      <View>
        <Text className='section-title'>{item.label}</Text>
        <Text className={`tag ${item.required ? 'tag-required' : 'tag-optional'}`}>
          {item.required ? '必需' : '可选'}
        </Text>
      </View>
      <View className='muted'>{item.why}</View>
      {item.examples && item.examples.length > 0 ? (
        <View className='muted'>{`例如：${item.examples.join('、')}`}</View>
      ) : null}
      {item.originalPaperNeeded ? <View className='field-warning'>纸质原件也要交给经办机构，请妥善保管</View> : null}
      {items.length > 0 ? (
        <View className='photos'>
          {items.map((photo, index) => (
            <View key={photo.localId} className='photo' id={`photo-${item.id}-${index}`}>
              {previews[photo.localId] ? (
                <Image
                  className='photo-image'
                  src={previews[photo.localId]!}
                  mode='aspectFill'
                  aria-label={`${item.label}第 ${index + 1} 张，点击放大查看`}
                  onClick={() => preview(photo.localId)}
                />
              ) : (
                <View className='photo-image' />
              )}
              <View
                className='photo-remove'
                id={`photo-remove-${item.id}-${index}`}
                role='button'
                aria-label={`删除${item.label}第 ${index + 1} 张`}
                onClick={() => remove(photo.localId)}
              >
                <Text className='photo-remove-dot'>删除</Text>
              </View>
              <View
                className={`photo-state ${photo.state === 'failed' ? 'photo-state-failed' : ''}`}
                data-state={photo.state}
              >
                {uploadStateText(photo)}
              </View>
              {photo.state !== 'done' ? (
                <View
                  className='progress-track'
                  role='progressbar'
                  aria-valuenow={photo.progress}
                  aria-valuemin={0}
                  aria-valuemax={100}
                >
                  <View className='progress-bar' style={{ width: `${photo.progress}%` }} />
                </View>
              ) : null}
              {photo.state === 'failed' ? (
                <Button className='small-button' onClick={() => photoUploader(uploaderId).retry(photo.localId)}>
                  重试
                </Button>
              ) : null}
            </View>
          ))}
        </View>
      ) : null}
      {dayLimit ? (
        <View className='field-error' id={`upload-limit-${item.id}`}>
          {`${dayLimit}没传上的照片留在这里：明天点它下面的「重试」即可上传，不要的可以删除。`}
        </View>
      ) : null}
      {busy ? <View className='muted'>正在压缩照片…</View> : null}
      {failure ? <View className='field-error'>{failure}</View> : null}
      {error ? (
        <View className='field-error' role='alert'>
          {error}
        </View>
      ) : null}
      <View className='row' style={{ marginTop: '12px' }}>
        <Button
          id={`${item.id}-camera`}
          className='small-button row-grow'
          disabled={busy}
          onClick={() => void add('camera')}
        >
          拍照
        </Button>
        <Button
          id={`${item.id}-album`}
          className='small-button row-grow'
          disabled={busy}
          onClick={() => void add('album')}
        >
          从相册选
        </Button>
      </View>
    </View>
  );
}
