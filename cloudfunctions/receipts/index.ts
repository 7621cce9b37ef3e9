// Cloud function `receipts`: reads receipt photos with WeChat's ocr.printedText (config.json grants
// the permission). The handler lives in server/handlers/receipts.ts and runs unchanged locally with PaddleOCR.
import cloud from 'wx-server-sdk';
import { runCloudFunction } from '../../server/adapters/cloud/entry';
import type { WxCloud } from '../../server/adapters/cloud/sdk';
import { receiptsFunction } from '../../server/handlers/receipts';
import { WeChatOcr, type WeChatOpenApi } from '../../server/ocr/wechat';

const sdk = cloud as unknown as WxCloud;
sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });

/** WeChat OCR fetches the image by URL: the prepared image goes to a temporary path in storage. */
async function temporaryUrlFor(image: Buffer): Promise<string> {
  const { fileID } = await sdk.uploadFile({ cloudPath: `ocr-tmp/${Date.now()}-${Math.random().toString(36).slice(2)}.jpg`, fileContent: image });
  const { fileList } = await sdk.getTempFileURL({ fileList: [fileID] });
  setTimeout(() => void sdk.deleteFile({ fileList: [fileID] }).catch(() => undefined), 60_000).unref();
  return fileList[0]?.tempFileURL ?? '';
}

const ocr = new WeChatOcr(sdk.openapi as unknown as WeChatOpenApi, temporaryUrlFor);
const definition = receiptsFunction({ ocr: () => ocr });

export const main = (event: unknown): Promise<unknown> => runCloudFunction(sdk, definition, event);
