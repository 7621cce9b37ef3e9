/**
 * Sending a WeChat subscribe message, behind a port. In the cloud: cloud.openapi.subscribeMessage.send.
 * Locally: a recorder that stores what would have been sent (shown on the dev page), optionally
 * failing on purpose so the outbox's retries can be proven.
 */
import type { SentMessage } from '../../src/core/contracts/views';
import type { Store } from '../ports';

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  /** Mini-program page opened from the message. */
  page: string;
  data: Record<string, { value: string }>;
}

export type SendOutcome = { ok: true } | { ok: false; errCode: number; errMsg: string };

export interface Notifier {
  send(message: SubscribeMessage): Promise<SendOutcome>;
}

/** WeChat error codes after which retrying cannot help (the grant is gone or the template is wrong). */
export const permanentErrorCodes = new Set([
  43101, // user refused / no subscription grant left
  40003, // invalid openid
  40037, // invalid template id
  47003, // template data invalid
  41030, // invalid page
]);

export type SentMessageDoc = SentMessage;

export class RecordingNotifier implements Notifier {
  private sequence = 0;

  constructor(
    private readonly store: Store,
    private readonly options: { failureRate?: number; random?: () => number; now?: () => Date } = {},
  ) {}

  async send(message: SubscribeMessage): Promise<SendOutcome> {
    const random = this.options.random ?? Math.random;
    if ((this.options.failureRate ?? 0) > 0 && random() < (this.options.failureRate ?? 0)) {
      return { ok: false, errCode: -1, errMsg: 'simulated transient failure' };
    }
    this.sequence += 1;
    const now = (this.options.now ?? (() => new Date()))();
    await this.store.collection<SentMessageDoc>('sentMessages').insert({
      _id: `${now.getTime().toString(36)}-${this.sequence}-${Math.floor(random() * 1e9).toString(36)}`,
      ...message,
      sentAt: now.toISOString(),
    });
    return { ok: true };
  }
}

interface OpenApi {
  subscribeMessage: { send(data: Record<string, unknown>): Promise<unknown> };
}

/** Which version of the mini-program the message opens: 开发版, 体验版 or 正式版 (the page must exist there, else 41030). */
export type MiniprogramState = 'developer' | 'trial' | 'formal';

export function miniprogramStateFromEnv(value: string | undefined): MiniprogramState {
  return value === 'developer' || value === 'trial' ? value : 'formal';
}

/**
 * cloud.openapi.subscribeMessage.send. The SDK rejects on any non-zero errcode with a CloudSDKError
 * carrying WeChat's errcode as `errCode` (and the SDK's own negative codes for transport failures),
 * so the outcome is read from the rejection.
 */
export class WechatNotifier implements Notifier {
  private readonly miniprogramState: MiniprogramState;

  constructor(
    private readonly openapi: OpenApi,
    options: { miniprogramState?: MiniprogramState } = {},
  ) {
    this.miniprogramState = options.miniprogramState ?? 'formal';
  }

  async send(message: SubscribeMessage): Promise<SendOutcome> {
    try {
      await this.openapi.subscribeMessage.send({ ...message, miniprogramState: this.miniprogramState, lang: 'zh_CN' });
      return { ok: true };
    } catch (error) {
      const { errCode, errMsg } = error as { errCode?: number; errMsg?: string };
      return {
        ok: false,
        errCode: typeof errCode === 'number' ? errCode : -1,
        errMsg: String(errMsg ?? error).slice(0, 200),
      };
    }
  }
}
