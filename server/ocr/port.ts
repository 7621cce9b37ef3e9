/**
 * The Ocr port: an image in, text lines out (each with its region and confidence when the engine
 * gives them). Two adapters: PaddleOCR in-process for the local server (`paddle.ts`) and WeChat's
 * `ocr.printedText` in the cloud (`wechat.ts`). Their output is validated by the core's
 * `ocrLinesSchema` before extraction reads it.
 */
import type { OcrLine } from '../../src/core/receipt/schema';

export type { OcrLine };

export interface Ocr {
  recognise(image: Buffer): Promise<OcrLine[]>;
}
