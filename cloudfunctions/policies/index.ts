// Cloud function `policies`: policies as operator data (drafts, cases, diff, four-eyes publication) and
// the published policies for the app. The handler lives in server/handlers/policies.ts and runs unchanged locally.
import cloud from 'wx-server-sdk';
import { runCloudFunction } from '../../server/adapters/cloud/entry';
import type { WxCloud } from '../../server/adapters/cloud/sdk';
import { policiesFunction } from '../../server/handlers/policies';

const sdk = cloud as unknown as WxCloud;
sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });

export const main = (event: unknown): Promise<unknown> => runCloudFunction(sdk, policiesFunction, event);
