// Cloud function `me`: the caller's roles (from the `staff` collection), so 我的 can show staff the
// entry to the reviewer pages. The handler lives in server/handlers/me.ts and runs unchanged locally.
import cloud from 'wx-server-sdk';
import { runCloudFunction } from '../../server/adapters/cloud/entry';
import type { WxCloud } from '../../server/adapters/cloud/sdk';
import { meFunction } from '../../server/handlers/me';

const sdk = cloud as unknown as WxCloud;
sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });

export const main = (event: unknown): Promise<unknown> => runCloudFunction(sdk, meFunction, event);
