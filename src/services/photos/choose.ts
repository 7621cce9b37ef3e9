/** Taro.chooseMedia for receipt photos: camera or album, several at once, images only. */
import Taro from '@tarojs/taro';

export type PhotoSource = 'camera' | 'album';

export interface ChosenPhoto {
  filePath: string;
  bytes: number;
}

/** Up to 9 photos per pick (WeChat's limit before base library 2.25). */
export const MAX_PHOTOS_PER_PICK = 9;

export interface ChosenPhotos {
  photos: ChosenPhoto[];
  /** Files picked that are not images (a PDF 电子票据, say): left out, and the page says so. */
  notImages: number;
}

/** What the page says when files were left out because they are not photos. */
export function notImagesMessage(count: number): string {
  return `有 ${count} 个文件不是照片（例如 PDF），没有添加。电子票据请截图，或打印后拍照再上传`;
}

/**
 * Picked files that are not photos. The mini-program reports each file's type; Taro's H5 face drops a
 * file it cannot load as an image (a PDF) before we see it, so there a pick that comes back empty (not
 * cancelled) counts as one file left out. (A photo and a PDF picked together in H5: only the photo shows.)
 */
function notImagesOf(files: ReadonlyArray<{ fileType?: string }>): number {
  if (files.length === 0) return 1;
  return files.filter((file) => !isImage(file.fileType)).length;
}

/**
 * Lets the person take or pick photos. Resolves with none when they cancel (not an error); rejects
 * with the platform error otherwise (e.g. camera permission refused).
 */
export async function choosePhotos(source: PhotoSource, count = MAX_PHOTOS_PER_PICK): Promise<ChosenPhotos> {
  try {
    const result = await Taro.chooseMedia({
      count: Math.max(1, Math.min(MAX_PHOTOS_PER_PICK, Math.floor(count))),
      mediaType: ['image'],
      sourceType: [source],
      // The original: our own compression keeps the small print legible; WeChat's is blunter.
      sizeType: ['original'],
      camera: 'back',
    });
    const images = result.tempFiles.filter((file) => isImage(file.fileType));
    return {
      photos: images.map((file) => ({ filePath: file.tempFilePath, bytes: file.size })),
      notImages: notImagesOf(result.tempFiles),
    };
  } catch (error) {
    if (isCancel(error)) return { photos: [], notImages: 0 };
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
