// Cloud function `notify`: drains the notification outbox. Its timer trigger (config.json) calls it
// every minute without a user; an operator may also call action `drain`.
import cloud from 'wx-server-sdk';
import { cloudPorts, runCloudFunction } from '../../server/adapters/cloud/entry';
import type { WxCloud } from '../../server/adapters/cloud/sdk';
import { drainWith, notifyFunction } from '../../server/handlers/notify';
import { WechatNotifier } from '../../server/notifications/notifier';
import { templateIdsFromEnv } from '../../server/notifications/templates';

const sdk = cloud as unknown as WxCloud;
sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });

const deps = {
  notifier: new WechatNotifier(sdk.openapi as unknown as ConstructorParameters<typeof WechatNotifier>[0]),
  templateIds: templateIdsFromEnv(process.env),
};

export const main = (event: unknown): Promise<unknown> =>
  (event as { Type?: string } | null)?.Type === 'Timer' ? drainWith(cloudPorts(sdk), deps) : runCloudFunction(sdk, notifyFunction(deps), event);
