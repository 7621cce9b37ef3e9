/**
 * Stand-in for services/photos `choosePhotos` until it accepts H5's answer: in the browser
 * Taro.chooseMedia reports each file's MIME type ('image/jpeg') as `fileType`, where the
 * mini-program says 'image', and `choosePhotos` keeps only the latter, so every photo picked in H5
 * was dropped. Same options otherwise (camera or album, images only, originals: our own compression).
 */
import Taro from '@tarojs/taro';
import { MAX_PHOTOS_PER_PICK, type ChosenPhoto, type PhotoSource } from '../services/photos';

const isImage = (fileType: string | undefined): boolean => !fileType || fileType === 'image' || fileType.startsWith('image/');

export async function pickPhotos(source: PhotoSource): Promise<ChosenPhoto[]> {
  try {
    const result = await Taro.chooseMedia({ count: MAX_PHOTOS_PER_PICK, mediaType: ['image'], sourceType: [source], sizeType: ['original'], camera: 'back' });
    return result.tempFiles.filter((file) => isImage(file.fileType)).map((file) => ({ filePath: file.tempFilePath, bytes: file.size }));
  } catch (error) {
    const message = error && typeof error === 'object' && 'errMsg' in error ? String((error as { errMsg: unknown }).errMsg) : '';
    if (/cancel/i.test(message)) return [];
    throw error;
  }
}
