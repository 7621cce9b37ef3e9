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

/** Reads the body, refusing (413) as soon as it exceeds `limit` bytes — a 10 MB body is never buffered whole. */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > limit) {
      request.resume();
      reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `请求内容过大（上限 ${Math.round(limit / 1024)} KB）`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `请求内容过大（上限 ${Math.round(limit / 1024)} KB）`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}

export async function readJson(request: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(request, limit);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
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
