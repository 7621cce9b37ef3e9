/** Taro.chooseMedia for receipt photos: camera or album, several at once, images only. */
import Taro from '@tarojs/taro';

export type PhotoSource = 'camera' | 'album';

export interface ChosenPhoto {
  filePath: string;
  bytes: number;
}

/** Up to 9 photos per pick (WeChat's limit before base library 2.25). */
export const MAX_PHOTOS_PER_PICK = 9;

/**
 * Lets the person take or pick photos. Resolves with none when they cancel (not an error); rejects
 * with the platform error otherwise (e.g. camera permission refused).
 */
export async function choosePhotos(source: PhotoSource, count = MAX_PHOTOS_PER_PICK): Promise<ChosenPhoto[]> {
  try {
    const result = await Taro.chooseMedia({
      count: Math.max(1, Math.min(MAX_PHOTOS_PER_PICK, Math.floor(count))),
      mediaType: ['image'],
      sourceType: [source],
      // The original: our own compression keeps the small print legible; WeChat's is blunter.
      sizeType: ['original'],
      camera: 'back',
    });
    return result.tempFiles
      .filter((file) => isImage(file.fileType))
      .map((file) => ({ filePath: file.tempFilePath, bytes: file.size }));
  } catch (error) {
    if (isCancel(error)) return [];
    throw error;
  }
}

/** The mini-program reports 'image'; H5 reports the MIME type ('image/jpeg'). */
function isImage(fileType: string | undefined): boolean {
  return !fileType || fileType === 'image' || fileType.startsWith('image/');
}

function isCancel(error: unknown): boolean {
  const message =
    error && typeof error === 'object' && 'errMsg' in error ? String((error as { errMsg: unknown }).errMsg) : '';
  return /cancel/i.test(message);
}
