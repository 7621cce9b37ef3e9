/**
 * What every cloud function entry does: bind the wx-server-sdk adapters, take OPENID from the
 * platform (getWXContext, here in the adapter — never in a handler), drop the `userInfo` WeChat
 * adds to the event, and invoke the shared handler. Nothing here throws: a failing role lookup is
 * answered like any other failure, with the envelope.
 */
import { invoke, type Envelope, type FunctionDefinition } from '../../handlers/framework';
import { resolveCaller } from '../../identity';
import { systemClock, type Caller, type Clock, type Ports } from '../../ports';
import { StorePolicyCatalog } from '../../policies/catalog';
import { FieldCipher, type FieldSealer } from '../../security/fieldCipher';
import { CloudFiles } from './files';
import type { WxCloud } from './sdk';
import { CloudStore } from './store';

/**
 * The field cipher, built on first use: only the handlers that seal or open personal fields
 * (claims, review, receipts, notify) need FIELD_KEY; `files` and `notifications` run without it.
 */
export class LazySealer implements FieldSealer {
  private cipher: FieldCipher | null = null;

  constructor(private readonly hexKey: () => string | undefined) {}

  private get ready(): FieldCipher {
    this.cipher ??= FieldCipher.fromHex(this.hexKey());
    return this.cipher;
  }

  seal(plain: string): string {
    return this.ready.seal(plain);
  }

  open(sealed: string): string {
    return this.ready.open(sealed);
  }

  fingerprint(plain: string): string {
    return this.ready.fingerprint(plain);
  }
}

/** FIELD_KEY (64 hex characters) is set in the environment variables of the functions that need it. */
const environmentSealer = new LazySealer(() => process.env.FIELD_KEY);

export interface CloudPortsOptions {
  clock?: Clock;
  sealer?: FieldSealer;
}

/** One catalog per function instance: warm invocations reuse its cache (refreshed within a minute). */
let instanceCatalog: StorePolicyCatalog | null = null;

export function cloudPorts(
  cloud: WxCloud,
  options: CloudPortsOptions = {},
): Ports & { store: CloudStore; files: CloudFiles } {
  const clock = options.clock ?? systemClock;
  const store = new CloudStore(cloud);
  const policies = options.clock
    ? new StorePolicyCatalog(store, clock)
    : (instanceCatalog ??= new StorePolicyCatalog(store, clock));
  return {
    store,
    files: new CloudFiles(cloud, store, clock),
    clock,
    sealer: options.sealer ?? environmentSealer,
    policies,
  };
}

export async function runCloudFunction(
  cloud: WxCloud,
  definition: FunctionDefinition,
  event: unknown,
  ports: Ports = cloudPorts(cloud),
): Promise<Envelope<unknown>> {
  const onUnexpected = (error: unknown): void => console.error('[unexpected]', error);
  const request = event && typeof event === 'object' ? { ...(event as Record<string, unknown>) } : event;
  if (request && typeof request === 'object') delete (request as Record<string, unknown>).userInfo;
  let caller: Caller | null;
  try {
    caller = await resolveCaller(cloud.getWXContext().OPENID, ports.store);
  } catch (error) {
    onUnexpected(error);
    return { ok: false, error: { code: 'INTERNAL', message: '服务暂时出了点问题，请稍后再试' } };
  }
  return invoke(definition, request, caller, ports, { onUnexpected });
}
