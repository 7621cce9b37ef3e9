/**
 * Mini-program face of photo compression: Taro.getImageInfo for the size, Taro.compressImage for
 * each step of the ladder that src/core/photoSizing decides, the file system for byte counts.
 */
import Taro from '@tarojs/taro';
import { runLadder } from '../../core/photoSizing';
import type { CompressedPhoto } from './types';

/** EXIF orientations that turn the picture a quarter: the displayed width is the stored height. */
const QUARTER_TURNS = new Set(['left', 'right', 'left-mirrored', 'right-mirrored']);

function fileSize(filePath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    Taro.getFileSystemManager().getFileInfo({
      filePath,
      success: (result) => resolve(result.size),
      fail: (error) => reject(new Error(error.errMsg)),
    });
  });
}

export async function compressPhoto(filePath: string, knownBytes?: number): Promise<CompressedPhoto> {
  const info = await Taro.getImageInfo({ src: filePath });
  // getImageInfo reports the stored size, "不考虑旋转"; the ladder works on the picture as seen.
  const turned = QUARTER_TURNS.has(info.orientation);
  const width = turned ? info.height : info.width;
  const height = turned ? info.width : info.height;
  const bytes = knownBytes ?? (await fileSize(filePath));

  const outcome = await runLadder({ width, height, bytes, format: info.type }, async (attempt) => {
    // Only the width is given: compressImage scales the height with it, so the ratio can never be
    // distorted even if a device measured the picture the other way round.
    const { tempFilePath } = await Taro.compressImage({
      src: filePath,
      quality: Math.round(attempt.quality * 100),
      compressedWidth: attempt.width,
    });
    return { output: tempFilePath, bytes: await fileSize(tempFilePath) };
  });

  if (outcome.output === null) {
    return { filePath, width, height, bytes, contentType: 'image/jpeg', withinTarget: true, attempts: 0 };
  }
  return {
    filePath: outcome.output,
    width: outcome.width,
    height: outcome.height,
    bytes: outcome.result?.bytes ?? bytes,
    contentType: 'image/jpeg',
    withinTarget: outcome.withinTarget,
    attempts: outcome.attempts.length,
  };
}
