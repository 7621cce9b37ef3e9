/**
 * H5 face of the cloud: HTTP to the local server (`npm start`), which runs the same handlers.
 * Taro.cloud does nothing in H5, so it is never called here. Identity is the dev login token.
 */
import { getDevToken } from '../session';
import { CloudError, networkError, type CloudTransport, type FunctionEnvelope } from './types';

function authHeaders(): Record<string, string> {
  const token = getDevToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function envelopeOf(response: Response): Promise<FunctionEnvelope> {
  try {
    return (await response.json()) as FunctionEnvelope;
  } catch {
    return { ok: false, error: { code: 'BAD_RESPONSE', message: '服务返回了无法识别的内容，请稍后再试' } };
  }
}

export const transport: CloudTransport = {
  init() {
    // Nothing to initialise: the local server is the page's own origin.
  },

  async callFunction(name, request) {
    let response: Response;
    try {
      response = await fetch(`/api/fn/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders() },
        body: JSON.stringify(request),
      });
    } catch {
      throw networkError();
    }
    return envelopeOf(response);
  },

  async uploadFile(filePath, name, contentType, onProgress) {
    let blob: Blob;
    try {
      blob = await (await fetch(filePath)).blob();
    } catch {
      throw new CloudError({ code: 'FILE_UNREADABLE', message: '无法读取所选文件，请重新选择' });
    }
    onProgress?.(10);
    let response: Response;
    try {
      response = await fetch(`/api/files?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': contentType || blob.type || 'image/jpeg', ...authHeaders() },
        body: blob,
      });
    } catch {
      throw networkError();
    }
    const envelope = await envelopeOf(response);
    if (!envelope.ok) throw new CloudError(envelope.error);
    onProgress?.(100);
    const data = envelope.data as { fileID: string; size: number };
    return { fileID: data.fileID, size: data.size };
  },

  async temporaryUrl(fileID) {
    let response: Response;
    try {
      response = await fetch('/api/files/url', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders() },
        body: JSON.stringify({ fileID }),
      });
    } catch {
      throw networkError();
    }
    const envelope = await envelopeOf(response);
    if (!envelope.ok) throw new CloudError(envelope.error);
    return (envelope.data as { url: string }).url;
  },
};
