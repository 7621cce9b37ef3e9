// Cloud function `receipts`: reads receipt photos with WeChat's ocr.printedText (config.json grants
// the permission). The photo is already in cloud storage: OCR fetches it by its temporary URL —
// nothing is copied, nothing is left behind. The handler lives in server/handlers/receipts.ts and
// runs unchanged locally with PaddleOCR.
import cloud from 'wx-server-sdk';
import { cloudPorts, runCloudFunction } from '../../server/adapters/cloud/entry';
import type { WxCloud } from '../../server/adapters/cloud/sdk';
import { receiptsFunction } from '../../server/handlers/receipts';
import { WeChatOcr, type WeChatOpenApi } from '../../server/ocr/wechat';

const sdk = cloud as unknown as WxCloud;
sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });

export const main = (event: unknown): Promise<unknown> => {
  const ports = cloudPorts(sdk);
  const definition = receiptsFunction({
    ocr: (fileID) => new WeChatOcr(sdk.openapi as unknown as WeChatOpenApi, () => ports.files.temporaryUrl(fileID)),
  });
  return runCloudFunction(sdk, definition, event, ports);
};
