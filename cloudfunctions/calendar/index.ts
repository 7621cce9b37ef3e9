// Cloud function `calendar`: a thin entry. The handler lives in server/handlers/calendar.ts and runs unchanged in the local server.
import cloud from 'wx-server-sdk';
import { runCloudFunction } from '../../server/adapters/cloud/entry';
import type { WxCloud } from '../../server/adapters/cloud/sdk';
import { calendarFunction } from '../../server/handlers/calendar';

const sdk = cloud as unknown as WxCloud;
sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });

export const main = (event: unknown): Promise<unknown> => runCloudFunction(sdk, calendarFunction, event);
