/**
 * What every cloud function entry does: bind the wx-server-sdk adapters, take OPENID from the
 * platform (getWXContext, here in the adapter — never in a handler), drop the `userInfo` WeChat
 * adds to the event, and invoke the shared handler.
 */
import { invoke, type Envelope, type FunctionDefinition } from '../../handlers/framework';
import { resolveCaller } from '../../identity';
import { systemClock, type Ports } from '../../ports';
import { samplePolicies } from '../../../src/core/policy';
import { FieldCipher } from '../../security/fieldCipher';
import { CloudFiles } from './files';
import type { WxCloud } from './sdk';
import { CloudStore } from './store';

let sealer: FieldCipher | null = null;

/** FIELD_KEY (64 hex characters) is set in the cloud function's environment variables. */
function cloudSealer(): FieldCipher {
  sealer ??= FieldCipher.fromHex(process.env.FIELD_KEY);
  return sealer;
}

export function cloudPorts(cloud: WxCloud): Ports {
  const store = new CloudStore(cloud.database());
  return { store, files: new CloudFiles(cloud, store, systemClock), clock: systemClock, sealer: cloudSealer(), policies: samplePolicies };
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
