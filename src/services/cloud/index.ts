/**
 * The one way pages talk to the cloud: `call(name, action, payload)` resolves with the data or
 * rejects with a CloudError (code + Chinese message + field issues), on every platform.
 */
import { transport } from './transport';
import { CloudError } from './types';

export { CloudError } from './types';
export type { UploadedFile } from './types';

export function initCloud(): void {
  transport.init();
}

export function newRequestId(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}

export async function call<T>(
  name: string,
  action: string,
  payload?: unknown,
  options: { requestId?: string } = {},
): Promise<T> {
  const envelope = await transport.callFunction(name, {
    action,
    payload,
    ...(options.requestId ? { requestId: options.requestId } : {}),
  });
  if (!envelope || typeof envelope !== 'object' || !('ok' in envelope)) {
    throw new CloudError({ code: 'BAD_RESPONSE', message: '服务返回了无法识别的内容，请稍后再试' });
  }
  if (!envelope.ok) throw new CloudError(envelope.error);
  return envelope.data as T;
}

export const uploadFile = transport.uploadFile.bind(transport);
export const temporaryUrl = transport.temporaryUrl.bind(transport);
