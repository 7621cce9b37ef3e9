/**
 * Cloud OCR: WeChat's `cloud.openapi.ocr.printedText` (通用印刷体识别). Skeleton adapter of the Ocr
 * port. The cloud function passes its `cloud.openapi` object in (no wx-server-sdk import here, so
 * tests and the local server never load the SDK) together with a function that yields a temporary
 * URL for the image — in the cloud, the photo is already in cloud storage and the URL comes from
 * `getTempFileURL`. The function's config.json must grant `openapi: ["ocr.printedText"]`; WeChat
 * refuses images over 2 MB, so the app's compression (photoSizing) keeps receipts below it.
 */
import { DomainError } from '../../src/core/errors';
import type { Ocr, OcrLine } from './port';

export const WECHAT_MAX_BYTES = 2 * 1024 * 1024;

interface Point {
  x: number;
  y: number;
}

/** What we use of `cloud.openapi`. */
export interface WeChatOpenApi {
  ocr: {
    printedText(request: { type: 'photo' | 'scan'; imgUrl: string }): Promise<unknown>;
  };
}

interface PrintedTextItem {
  text?: unknown;
  pos?: { leftTop?: Point; rightTop?: Point; rightBottom?: Point; leftBottom?: Point };
}

const isPoint = (p: unknown): p is Point => typeof p === 'object' && p !== null && Number.isFinite((p as Point).x) && Number.isFinite((p as Point).y);

/** printedText's answer → OcrLines (WeChat gives no per-line confidence: left undefined). */
export function fromPrintedText(response: unknown): OcrLine[] {
  const body = (response ?? {}) as { errCode?: number; errcode?: number; errMsg?: string; errmsg?: string; items?: PrintedTextItem[] };
  const code = body.errCode ?? body.errcode ?? 0;
  if (code !== 0) {
    throw new DomainError('OCR_FAILED', '票据识别服务暂时不可用，请稍后再试或手动填写', { details: { errcode: code, errmsg: body.errMsg ?? body.errmsg ?? '' } });
  }
  const items = Array.isArray(body.items) ? body.items : [];
  return items
    .filter((item) => typeof item.text === 'string' && item.text.trim() !== '')
    .map((item) => {
      const line: OcrLine = { text: String(item.text) };
      const corners = [item.pos?.leftTop, item.pos?.rightTop, item.pos?.rightBottom, item.pos?.leftBottom];
      if (corners.every(isPoint)) line.box = (corners as Point[]).map((p) => [p.x, p.y] as [number, number]);
      return line;
    });
}

export class WeChatOcr implements Ocr {
  constructor(
    private readonly openapi: WeChatOpenApi,
    /** A URL WeChat can fetch the image from for a short while. */
    private readonly temporaryUrlFor: (image: Buffer) => Promise<string>,
  ) {}

  async recognise(image: Buffer): Promise<OcrLine[]> {
    if (image.length > WECHAT_MAX_BYTES) {
      throw new DomainError('RECEIPT_TOO_LARGE', '照片超过 2 MB，无法识别：请重新拍摄或压缩后上传');
    }
    return this.recogniseUrl(await this.temporaryUrlFor(image));
  }

  /** When the photo is already in cloud storage and its temporary URL is known. */
  async recogniseUrl(imgUrl: string): Promise<OcrLine[]> {
    return fromPrintedText(await this.openapi.ocr.printedText({ type: 'photo', imgUrl }));
  }
}
