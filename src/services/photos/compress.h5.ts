/**
 * H5 face of photo compression: decode the chosen picture (a blob: URL from chooseMedia), draw it on
 * a canvas at the size src/core/photoSizing decides, encode with canvas.toBlob('image/jpeg', q),
 * and hand back an object URL the uploader and <Image> can read.
 */
import { runLadder } from '../../core/photoSizing';
import type { CompressedPhoto } from './types';

type Drawable = ImageBitmap | HTMLImageElement;

async function decode(blob: Blob, url: string): Promise<Drawable> {
  if (typeof createImageBitmap === 'function') {
    try {
      // Applies the EXIF orientation (the default 'from-image'), so width/height are as seen.
      return await createImageBitmap(blob);
    } catch {
      // Some browsers cannot decode every format into a bitmap: fall back to an <img>.
    }
  }
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('无法读取这张照片，请换一张或重新拍摄'));
    image.src = url;
  });
}

const sizeOf = (picture: Drawable): { width: number; height: number } =>
  'naturalWidth' in picture
    ? { width: picture.naturalWidth, height: picture.naturalHeight }
    : { width: picture.width, height: picture.height };

function encodeJpeg(picture: Drawable, width: number, height: number, quality: number): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return Promise.reject(new Error('canvas 2d unavailable'));
  context.fillStyle = '#fff'; // a transparent PNG would otherwise turn black in JPEG
  context.fillRect(0, 0, width, height);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(picture, 0, 0, width, height);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('JPEG encoding failed'))), 'image/jpeg', quality);
  });
}

export async function compressPhoto(filePath: string, knownBytes?: number): Promise<CompressedPhoto> {
  const blob = await (await fetch(filePath)).blob();
  const picture = await decode(blob, filePath);
  const { width, height } = sizeOf(picture);
  try {
    const outcome = await runLadder(
      { width, height, bytes: knownBytes ?? blob.size, format: blob.type },
      async (attempt) => {
        const encoded = await encodeJpeg(picture, attempt.width, attempt.height, attempt.quality);
        return { output: encoded, bytes: encoded.size };
      },
    );
    if (outcome.output === null) {
      return {
        filePath,
        width,
        height,
        bytes: blob.size,
        contentType: blob.type || 'image/jpeg',
        withinTarget: true,
        attempts: 0,
      };
    }
    return {
      filePath: URL.createObjectURL(outcome.output),
      width: outcome.width,
      height: outcome.height,
      bytes: outcome.output.size,
      contentType: 'image/jpeg',
      withinTarget: outcome.withinTarget,
      attempts: outcome.attempts.length,
    };
  } finally {
    if ('close' in picture) picture.close();
  }
}
