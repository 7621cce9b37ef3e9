/** Small HTTP helpers for the local server: bounded body reading and JSON answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppErrorShape } from '../../src/core/errors';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** How much of a refused body is read and dropped (so the client can finish sending and read the 413) before the connection is cut. */
export const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/**
 * Reads the rest of a refused body and drops it. Closing the socket while the client is still
 * sending makes it see EPIPE / ECONNRESET instead of the answer; reading on lets the 413 arrive
 * every time. A body past MAX_DISCARDED_BYTES is cut off (nobody legitimate sends that much).
 */
export function discardBody(request: IncomingMessage): void {
  let discarded = 0;
  request.removeAllListeners('data');
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) request.socket.destroy();
  });
  request.on('error', () => undefined);
  request.resume();
}

const tooLarge = (limit: number): HttpError =>
  new HttpError(413, 'PAYLOAD_TOO_LARGE', `请求内容过大（上限 ${Math.round(limit / 1024)} KB）`);

/** Reads the body, refusing (413) as soon as it exceeds `limit` bytes — a 10 MB body is never buffered whole. */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > limit) {
      discardBody(request);
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      discardBody(request);
      reject(tooLarge(limit));
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Refuses what is not UTF-8 instead of reading it as U+FFFD, which went on into stored titles (a probe). */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readJson(request: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(request, limit);
  if (body.length === 0) return {};
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', '请求内容的文字编码不对（应为 UTF-8），请刷新页面后重试');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', '请求内容不是有效的 JSON');
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

export function sendError(response: ServerResponse, status: number, error: AppErrorShape): void {
  sendJson(response, status, { ok: false, error });
}
