/**
 * The Ocr port: an image in, text lines out (each with its region and confidence when the engine
 * gives them). Two adapters: PaddleOCR in-process for the local server (`paddle.ts`) and WeChat's
 * `ocr.printedText` in the cloud (`wechat.ts`). Their output is validated by the core's
 * `ocrLinesSchema` before extraction reads it.
 */
import { DomainError } from '../../src/core/errors';
import type { OcrLine } from '../../src/core/receipt/schema';

export type { OcrLine };

export interface Ocr {
  recognise(image: Buffer): Promise<OcrLine[]>;
  /** Loads the engine ahead of the first photo, where it has something to load (the local model). */
  load?(): Promise<void>;
}

/** What every reader of a photo answers when the bytes are not a readable image. */
export function notAnImage(): DomainError {
  return new DomainError('RECEIPT_NOT_IMAGE', '无法读取这张图片：请上传票据的 JPG 或 PNG 照片');
}
