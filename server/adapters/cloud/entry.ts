/**
 * What every cloud function entry does: bind the wx-server-sdk adapters, take OPENID from the
 * platform (getWXContext, here in the adapter — never in a handler), drop the `userInfo` WeChat
 * adds to the event, and invoke the shared handler.
 */
import { invoke, type Envelope, type FunctionDefinition } from '../../handlers/framework';
import { resolveCaller } from '../../identity';
import { systemClock, type Ports } from '../../ports';
import { CloudFiles } from './files';
import type { WxCloud } from './sdk';
import { CloudStore } from './store';

export function cloudPorts(cloud: WxCloud): Ports {
  const store = new CloudStore(cloud.database());
  return { store, files: new CloudFiles(cloud, store, systemClock), clock: systemClock };
}

export async function runCloudFunction(cloud: WxCloud, definition: FunctionDefinition, event: unknown): Promise<Envelope<unknown>> {
  const { OPENID } = cloud.getWXContext();
  const ports = cloudPorts(cloud);
  const request = event && typeof event === 'object' ? { ...(event as Record<string, unknown>) } : event;
  if (request && typeof request === 'object') delete (request as Record<string, unknown>).userInfo;
  const caller = await resolveCaller(OPENID, ports.store);
  return invoke(definition, request, caller, ports, {
    onUnexpected: (error) => console.error('[unexpected]', error),
  });
}
