// Cloud function `claims`: a thin entry. The handler lives in server/handlers/claims.ts and runs unchanged in the local server.
import cloud from 'wx-server-sdk';
import { cloudPorts, runCloudFunction } from '../../server/adapters/cloud/entry';
import { readQr } from '../../server/ocr/readQr';
import type { WxCloud } from '../../server/adapters/cloud/sdk';
import { claimsFunction } from '../../server/handlers/claims';

const sdk = cloud as unknown as WxCloud;
sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });

// readQr: a receipt photo submitted without being read (receipts.read) is checked against the registry by its QR code.
export const main = (event: unknown): Promise<unknown> =>
  runCloudFunction(sdk, claimsFunction, event, { ...cloudPorts(sdk), readQr });
