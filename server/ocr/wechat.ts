/**
 * Cloud OCR: WeChat's `cloud.openapi.ocr.printedText` (通用印刷体识别), an adapter of the Ocr port.
 * The cloud function passes its `cloud.openapi` object in (no wx-server-sdk import here, so tests
 * and the local server never load the SDK) together with a function that yields a temporary URL of
 * the photo — which is already in cloud storage: `getTempFileURL` of its fileID, nothing uploaded.
 * The function's config.json must grant `openapi: ["ocr.printedText"]`; WeChat refuses images over
 * 2 MB, so the app's compression (photoSizing) keeps receipts below it.
 *
 * The SDK rejects on any non-zero errcode (a CloudSDKError with `errCode`), so refusals are read
 * from the rejection: 45009 / 45011 (daily / per-minute quota) → OCR_QUOTA_EXCEEDED, else OCR_FAILED.
 */
import { DomainError } from '../../src/core/errors';
import type { Ocr, OcrLine } from './port';

export const WECHAT_MAX_BYTES = 2 * 1024 * 1024;

/** 45009: daily quota reached; 45011: per-minute quota reached. */
export const QUOTA_ERRCODES = new Set([45009, 45011]);

function ocrFailure(code: number, message: string): DomainError {
  if (QUOTA_ERRCODES.has(code)) {
    return new DomainError(
      'OCR_QUOTA_EXCEEDED',
      '今天的票据自动识别次数已用完，请手动填写票据信息（明天可再使用自动识别）',
      { details: { errcode: code } },
    );
  }
  return new DomainError('OCR_FAILED', '票据识别服务暂时不可用，请稍后再试或手动填写', {
    details: { errcode: code, errmsg: message.slice(0, 200) },
  });
}

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

const isPoint = (p: unknown): p is Point =>
  typeof p === 'object' && p !== null && Number.isFinite((p as Point).x) && Number.isFinite((p as Point).y);

/** printedText's answer → OcrLines (WeChat gives no per-line confidence: left undefined). */
export function fromPrintedText(response: unknown): OcrLine[] {
  const body = (response ?? {}) as {
    errCode?: number;
    errcode?: number;
    errMsg?: string;
    errmsg?: string;
    items?: PrintedTextItem[];
  };
  const code = body.errCode ?? body.errcode ?? 0;
  if (code !== 0) throw ocrFailure(code, body.errMsg ?? body.errmsg ?? '');
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
    /** A URL WeChat can fetch the image from for a short while (in the cloud: the stored photo's getTempFileURL). */
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
    let response: unknown;
    try {
      response = await this.openapi.ocr.printedText({ type: 'photo', imgUrl });
    } catch (error) {
      const { errCode, errMsg } = (error ?? {}) as { errCode?: unknown; errMsg?: unknown };
      throw ocrFailure(typeof errCode === 'number' ? errCode : -1, String(errMsg ?? error));
    }
    return fromPrintedText(response);
  }
}
