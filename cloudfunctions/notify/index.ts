// Cloud function `notify`: drains the notification outbox in bounded slices. Its timer trigger
// (config.json) calls it every minute without a user; an operator may also call action `drain`.
// Each run stops starting sends STOP_WITH_MS_LEFT before its deadline: the platform's
// `context.time_limit_in_ms` when it gives one, else the timeout set for the function (cloudbaserc.json).
import cloud from 'wx-server-sdk';
import { cloudPorts, runCloudFunction } from '../../server/adapters/cloud/entry';
import type { WxCloud } from '../../server/adapters/cloud/sdk';
import { drainWith, notifyFunction, timeLeftOf } from '../../server/handlers/notify';
import { miniprogramStateFromEnv, WechatNotifier } from '../../server/notifications/notifier';
import { templateIdsFromEnv } from '../../server/notifications/templates';

const sdk = cloud as unknown as WxCloud;
sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });

/** The timeout this function is deployed with (cloudbaserc.json), in case the context does not say. */
export const NOTIFY_TIMEOUT_MS = 20_000;

const deps = {
  notifier: new WechatNotifier(sdk.openapi as unknown as ConstructorParameters<typeof WechatNotifier>[0], {
    miniprogramState: miniprogramStateFromEnv(process.env.MINIPROGRAM_STATE),
  }),
  templateIds: templateIdsFromEnv(process.env),
};

export const main = (event: unknown, context?: { time_limit_in_ms?: unknown }): Promise<unknown> => {
  const limit =
    typeof context?.time_limit_in_ms === 'number' && context.time_limit_in_ms > 0
      ? context.time_limit_in_ms
      : NOTIFY_TIMEOUT_MS;
  const timeLeft = timeLeftOf(Date.now(), limit);
  return (event as { Type?: string } | null)?.Type === 'Timer'
    ? drainWith(cloudPorts(sdk), deps, timeLeft)
    : runCloudFunction(sdk, notifyFunction(deps, timeLeft), event);
};
