/**
 * The local cloud: the very handlers the cloud functions run, bound to the embedded adapters,
 * behind HTTP — plus the H5 build, a stand-in for cloud storage, and the dev login.
 *
 *   POST /api/fn/:name        { action, payload, requestId? }  → { ok, data | error }
 *   POST /api/files?name=…    raw photo bytes (JPEG, PNG, WebP, HEIC: the bytes decide) → { ok, data: StoredFile }
 *   POST /api/files/url       { fileID } of one of the caller's uploads → { ok, data: { url } }
 *   GET  /api/files/raw?…     signed temporary URL             → bytes
 *   GET  /api/dev/users, POST /api/dev/login { user }          → dev identities (only when `devLogin`)
 *   GET  /api/dev/sent-messages                               → subscribe messages the recorder "sent" (staff token)
 *   GET  /api/health
 *
 * Every path answers 4xx for bad input: a malformed URL is a 400, a body over its limit a 413 (read
 * to its end and dropped, so the client always gets the answer), a file that is not a photo a 415.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync, statSync, createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import * as z from 'zod';
import { buildFunctions } from '../functions';
import { drainWith } from '../handlers/notify';
import { RecordingNotifier, type Notifier, type SentMessageDoc } from '../notifications/notifier';
import { localTemplateIds } from '../notifications/templates';
import { invoke, statusForError } from '../handlers/framework';
import { isDomainError } from '../../src/core/errors';
import { unsafeTextMessage } from '../../src/core/text';
import { missingOr, zodIssues } from '../../src/core/validation';
import type { UploadLimits } from '../../src/core/uploadQuota';
import { resolveCaller } from '../identity';
import { readQr } from '../ocr/readQr';
import { systemClock, type Caller, type Clock, type Ports, type Store } from '../ports';
import { openSelectedStore, type StoreEnv } from '../adapters/selectStore';
import { DiskFiles, MAX_UPLOAD_BYTES } from '../adapters/embedded/files';
import { StorePolicyCatalog, type PolicyCatalog } from '../policies/catalog';
import { FieldCipher } from '../security/fieldCipher';
import type { Ocr } from '../ocr/port';
import { devUsers, issueToken, seedDevStaff, verifyToken } from './devLogin';
import { givingWay } from './givingWay';
import { HttpError, readBody, readJson, sendError, sendJson } from './http';

/** WeChat's limit on a cloud function's request data. */
export const MAX_FUNCTION_BODY_BYTES = 100 * 1024;

/**
 * How long an idle connection stays open (Node's default is 5 s). A client keeps its connection
 * between taps only as long as the server announces (Keep-Alive: timeout=…); with 5 s every pause
 * reconnected, and when 50 clients reconnected at once under load the server took one new connection
 * per turn of its event loop: their first requests waited 0.2–3.5 s. headersTimeout above it, as
 * Node advises, so an idle connection is never cut while a request's headers arrive.
 */
export const KEEP_ALIVE_MS = 65_000;

export interface LocalServerOptions {
  dataDir: string;
  /** The H5 build to serve; omitted → API only. */
  staticDir?: string;
  clock?: Clock;
  log?: (line: string) => void;
  /** Defaults to the recorder (what would be sent is stored in `sentMessages`). */
  notifier?: Notifier;
  /** The policies; defaults to the operators' `policies` collection (seeded with the samples when empty). */
  policies?: PolicyCatalog;
  /** How often the default catalog re-reads the published policies (ms; default a minute). A publication in this process is seen at once. */
  policyRefreshMs?: number;
  /** The OCR engine; defaults to PaddleOCR in OCR processes of its own (server/ocr/paddle.ts), loaded by `warmOcr` or on the first receipt read. */
  ocr?: () => Ocr;
  /** What selects the store (DATABASE_URL, STORE: see adapters/selectStore.ts); defaults to the process's environment. */
  storeEnv?: StoreEnv;
  /** How much one account may upload a day (core/uploadQuota); defaults to DEFAULT_UPLOAD_LIMITS. */
  uploadLimits?: UploadLimits;
  /** How long `close` lets the requests being answered finish before it cuts them (ms; default CLOSE_GRACE_MS). */
  closeGraceMs?: number;
  /** Milliseconds between outbox drains; 0 turns the loop off (tests drain by hand). */
  notifyIntervalMs?: number;
  /**
   * The dev login and the tokens it signs: the only identity of the local cloud. Off, nobody can
   * sign in (functions answer 401) and the dev endpoints answer 403. `devLoginDecision` decides it
   * from HOST and DEV_LOGIN for `npm start`.
   */
  devLogin: boolean;
}

/** What `close` gives the requests being answered: `npm start` exits 2 s after SIGTERM whatever happens (main.ts). */
export const CLOSE_GRACE_MS = 1500;

export interface LocalCloud {
  server: Server;
  ports: Ports;
  /** Runs one outbox drain now (the loop does the same every `notifyIntervalMs`). */
  drainNotifications(): Promise<void>;
  /** Stops the loop, closes the server and then the store. */
  close(): Promise<void>;
  /** Loads the OCR model now, in its OCR processes, so that the first receipt photo does not wait for it. */
  warmOcr(): Promise<void>;
  store: Store;
  files: DiskFiles;
  secret: Buffer;
}

/** The secret signing dev tokens and file URLs: generated once into the data directory, then reused. */
export function loadOrCreateSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('hex'), { mode: 0o600 });
  return secret;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

const loginSchema = z.strictObject({ user: z.enum(devUsers.map((user) => user.key) as [string, ...string[]]) });
const fileUrlSchema = z.strictObject({
  fileID: z
    .string({ error: missingOr('缺少文件编号', '文件编号格式不正确') })
    .min(1, '缺少文件编号')
    .max(300, '文件编号格式不正确'),
});

/** The request's URL, or 400 when it cannot be parsed. */
function parseUrl(raw: string): URL {
  try {
    return new URL(raw, 'http://localhost');
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', '网址格式不正确');
  }
}

/** A path's percent-escapes decoded: 400 for a malformed escape (/%zz, /%E0%A4%A) or a control character (/%00). */
function decodePathname(pathname: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', '网址格式不正确');
  }
  if (unsafeTextMessage('网址', decoded)) throw new HttpError(400, 'BAD_REQUEST', '网址中含有不允许的字符');
  return decoded;
}

/** The name an upload is recorded under: plain text of at most 120 characters ('upload' when none). */
function uploadName(raw: string | null): string {
  // URLSearchParams turns bytes that are not UTF-8 percent-encoding into U+FFFD ("%E0%A4%A" became "\ufffd%A", which
  // reviewers then read): refused, not stored.
  if (raw?.includes('\ufffd')) throw new HttpError(400, 'VALIDATION_FAILED', '文件名的编码不对，请重新选择照片上传');
  // Checked before trimming: trim() would silently drop a BOM at either end.
  const unsafe = unsafeTextMessage('文件名', raw ?? '');
  if (unsafe) throw new HttpError(400, 'VALIDATION_FAILED', unsafe);
  const name = (raw ?? '').trim();
  if (!name) return 'upload';
  if ([...name].length > 120) throw new HttpError(400, 'VALIDATION_FAILED', '文件名不能超过 120 个字');
  return name;
}

/**
 * PaddleOCR with its sharp and onnxruntime, loaded after the server listens (`warmOcr`, what
 * `npm start` does) or else on the first receipt read: no part of the server's start.
 */
const lazyPaddle: Ocr = {
  recognise: async (image) => (await import('../ocr/paddle')).sharedPaddle().recognise(image),
  load: async () => (await import('../ocr/paddle')).sharedPaddle().load(),
};

export async function createLocalCloud(options: LocalServerOptions): Promise<LocalCloud> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => undefined);
  mkdirSync(options.dataDir, { recursive: true });
  const secret = loadOrCreateSecret(options.dataDir);
  const opened = await openSelectedStore(options.dataDir, options.storeEnv ?? process.env, log);
  const store = opened.store;
  await seedDevStaff(store);
  const files = new DiskFiles(options.dataDir, store, secret, clock, '', options.uploadLimits);
  const ports = {
    store,
    files,
    clock,
    sealer: FieldCipher.forDataDir(options.dataDir),
    policies: options.policies ?? new StorePolicyCatalog(store, clock, options.policyRefreshMs),
    readQr,
  };
  const notifyDeps = {
    notifier: options.notifier ?? new RecordingNotifier(store, { now: () => clock.now() }),
    templateIds: localTemplateIds,
    // One page (100 claims) a run: the drain shares this thread with the requests, and its loop comes
    // back every 2 s (50 claims a second). The cloud's runs, every minute in their own instance, take up to 10.
    enqueuePages: 1,
    // The same for the dashboard facts of claims from before them (`npm run migrate` writes them all at once).
    factPages: 1,
  };
  const ocr = options.ocr ?? (() => lazyPaddle);
  const functions = buildFunctions(notifyDeps, { ocr });
  let draining: Promise<void> = Promise.resolve();
  const drainNotifications = (): Promise<void> => {
    draining = draining.then(async () => {
      try {
        // The drain's store calls take turns with the requests waiting (SQLite's would run back to back).
        await drainWith({ ...ports, store: givingWay(store) }, notifyDeps);
      } catch (error) {
        log(`[notify] ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    return draining;
  };
  const intervalMs = options.notifyIntervalMs ?? 2000;
  const timer = intervalMs > 0 ? setInterval(() => void drainNotifications(), intervalMs) : null;
  timer?.unref();

  async function callerOf(request: IncomingMessage): Promise<Caller | null> {
    if (!options.devLogin) return null;
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token) return null;
    return resolveCaller(verifyToken(secret, token, clock.now().getTime()), store);
  }

  async function requireCaller(request: IncomingMessage): Promise<Caller> {
    const caller = await callerOf(request);
    if (!caller) throw new HttpError(401, 'UNAUTHENTICATED', '请先登录');
    return caller;
  }

  /** The dev pages show every user's messages: reviewers, second reviewers and operators only. */
  async function requireStaff(request: IncomingMessage): Promise<Caller> {
    const caller = await requireCaller(request);
    if (!caller.roles.some((role) => role !== 'claimant'))
      throw new HttpError(403, 'FORBIDDEN', '只有经办人员可以查看这个页面，请用审核员账号登录');
    return caller;
  }

  function requireDevLogin(): void {
    if (!options.devLogin)
      throw new HttpError(
        403,
        'DEV_LOGIN_DISABLED',
        '开发登录未开启：本地云没有监听在本机地址。请用 HOST=127.0.0.1 启动，或确需在网络中使用时设置 DEV_LOGIN=1 后重启',
      );
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = parseUrl(request.url ?? '/');
    const method = request.method ?? 'GET';

    if (url.pathname === '/api/health' && method === 'GET') {
      sendJson(response, 200, { ok: true, data: { status: 'ok', time: clock.now().toISOString() } });
      return;
    }

    const fnMatch = /^\/api\/fn\/([A-Za-z0-9_-]{1,40})$/.exec(url.pathname);
    if (fnMatch) {
      if (method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', '请使用 POST 调用云函数');
      const definition = Object.hasOwn(functions, fnMatch[1]!) ? functions[fnMatch[1]!] : undefined;
      if (!definition) throw new HttpError(404, 'UNKNOWN_FUNCTION', '没有这个云函数');
      const body = await readJson(request, MAX_FUNCTION_BODY_BYTES);
      const caller = await callerOf(request);
      const result = await invoke(definition, body, caller, ports, {
        onUnexpected: (error) =>
          log(
            `[fn ${fnMatch[1]}] unexpected: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          ),
      });
      sendJson(response, result.ok ? 200 : statusForError(result.error.code), result);
      return;
    }

    if (url.pathname === '/api/files' && method === 'POST') {
      const caller = await requireCaller(request);
      const name = uploadName(url.searchParams.get('name'));
      // The declared content type is not trusted: the bytes decide what is stored (files.put sniffs them).
      const bytes = await readBody(request, MAX_UPLOAD_BYTES);
      const stored = await files.put(caller.openid, name, request.headers['content-type'] ?? '', bytes);
      sendJson(response, 200, { ok: true, data: stored });
      return;
    }

    if (url.pathname === '/api/files/url' && method === 'POST') {
      const caller = await requireCaller(request);
      const parsed = fileUrlSchema.safeParse(await readJson(request, 4096));
      if (!parsed.success)
        throw new HttpError(400, 'BAD_REQUEST', zodIssues(parsed.error)[0]?.message ?? '文件编号格式不正确');
      const meta = await files.describe(parsed.data.fileID);
      if (!meta) throw new HttpError(404, 'NOT_FOUND', '文件不存在');
      // The uploader's own photos only. Staff see a claim's photos through `review.get`, signed for the claim they
      // opened; here a reviewer got a URL for any photo whose id they knew, one no submitted claim holds included.
      if (meta.owner !== caller.openid) throw new HttpError(403, 'FORBIDDEN', '无权查看此文件');
      sendJson(response, 200, { ok: true, data: { url: await files.temporaryUrl(meta.fileID) } });
      return;
    }

    if (url.pathname === '/api/files/raw' && method === 'GET') {
      const fileID = url.searchParams.get('fileID') ?? '';
      const expires = Number(url.searchParams.get('expires'));
      if (!files.verifyTemporaryUrl(fileID, expires, url.searchParams.get('sig') ?? '')) {
        throw new HttpError(403, 'URL_EXPIRED', '链接已失效，请刷新后重试');
      }
      const file = await files.read(fileID);
      if (!file) throw new HttpError(404, 'NOT_FOUND', '文件不存在');
      response.writeHead(200, {
        'content-type': file.meta.contentType,
        'content-length': file.bytes.length,
        'cache-control': 'private, max-age=600',
      });
      response.end(file.bytes);
      return;
    }

    if (url.pathname === '/api/dev/users' && method === 'GET') {
      requireDevLogin();
      sendJson(response, 200, {
        ok: true,
        data: devUsers.map(({ key, name, description, roles }) => ({ key, name, description, roles })),
      });
      return;
    }

    if (url.pathname === '/api/dev/sent-messages' && method === 'GET') {
      requireDevLogin();
      await requireStaff(request);
      const sent = await store
        .collection<SentMessageDoc>('sentMessages')
        .find({}, { sort: { sentAt: -1 }, limit: 100 });
      sendJson(response, 200, { ok: true, data: sent });
      return;
    }

    if (url.pathname === '/api/dev/login' && method === 'POST') {
      requireDevLogin();
      const parsed = loginSchema.safeParse(await readJson(request, 4096));
      if (!parsed.success) throw new HttpError(400, 'BAD_REQUEST', '没有这个测试账号');
      const user = devUsers.find((candidate) => candidate.key === parsed.data.user)!;
      const token = issueToken(secret, user.openid, clock.now().getTime());
      sendJson(response, 200, {
        ok: true,
        data: { token, user: { key: user.key, name: user.name, roles: user.roles, openid: user.openid } },
      });
      return;
    }

    // A route that exists, called with another method: 405, not 没有这个接口 (a probe's GET /api/files).
    const routes: Record<string, string> = {
      '/api/health': 'GET',
      '/api/files': 'POST',
      '/api/files/url': 'POST',
      '/api/files/raw': 'GET',
      '/api/dev/users': 'GET',
      '/api/dev/sent-messages': 'GET',
      '/api/dev/login': 'POST',
    };
    const allowed = routes[url.pathname];
    if (allowed) {
      response.setHeader('allow', allowed);
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `这个接口只接受 ${allowed} 请求`);
    }
    if (url.pathname.startsWith('/api/')) throw new HttpError(404, 'NOT_FOUND', '没有这个接口');
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'METHOD_NOT_ALLOWED', '不支持的请求方法');
    serveStatic(url.pathname, response);
  }

  function serveStatic(pathname: string, response: ServerResponse): void {
    if (!options.staticDir) throw new HttpError(404, 'NOT_FOUND', '未构建 H5 页面，请先运行 npm run build:h5');
    const root = path.resolve(options.staticDir);
    let file = path.resolve(root, `.${decodePathname(pathname)}`);
    // Contained by the relative path, not by a prefix: /srv/dist-h5-secrets starts with /srv/dist-h5.
    const relative = path.relative(root, file);
    if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative))
      throw new HttpError(404, 'NOT_FOUND', '没有这个页面');
    if (!existsSync(file) || statSync(file).isDirectory()) file = path.join(root, 'index.html');
    if (!existsSync(file)) throw new HttpError(404, 'NOT_FOUND', '未构建 H5 页面，请先运行 npm run build:h5');
    const type = contentTypes[path.extname(file)] ?? 'application/octet-stream';
    const isHtml = type.startsWith('text/html');
    response.writeHead(200, {
      'content-type': type,
      'cache-control': isHtml ? 'no-cache' : 'public, max-age=31536000, immutable',
    });
    createReadStream(file).pipe(response);
  }

  const server = createServer((request, response) => {
    // Every answer: a browser never guesses another type than the one sent (a stored photo is only ever a photo),
    // and no other site shows the app in a frame (a tap there could be someone else's).
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('x-frame-options', 'DENY');
    const handled = route(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendError(response, error.status, { code: error.code, message: error.message });
        return;
      }
      if (isDomainError(error)) {
        sendError(response, statusForError(error.code), error.toJSON());
        return;
      }
      log(`[http] unexpected: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      sendError(response, 500, { code: 'INTERNAL', message: '服务暂时出了点问题，请稍后再试' });
    });
    inFlight.set(response, handled);
    void handled.finally(() => inFlight.delete(response));
  });
  /** Requests being answered: `close` lets them finish (up to `closeGraceMs`) before it closes the store under them. */
  const inFlight = new Map<ServerResponse, Promise<void>>();

  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;

  /**
   * Stops taking requests, lets those being answered finish (a submit, a receipt read: at most `closeGraceMs`), then
   * cuts what is left and closes the store. Before, every connection was cut at once and the handlers still running
   * met a closed store ("database connection is not open"), their callers a dropped connection.
   */
  const close = async (): Promise<void> => {
    if (timer) clearInterval(timer);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...inFlight.values(), draining]),
      new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, options.closeGraceMs ?? CLOSE_GRACE_MS))),
    ]);
    clearTimeout(graceTimer);
    // Still not answered: a sentence, not a cut connection (a retry with the same request id is answered as the
    // first was, so trying again never does a step twice).
    const told: Array<Promise<void>> = [];
    for (const response of inFlight.keys()) {
      if (response.headersSent) continue;
      told.push(new Promise<void>((resolve) => response.once('finish', resolve).once('close', resolve)));
      sendError(response, 503, {
        code: 'SERVER_RESTARTING',
        message: '服务正在重启，这一步可能没有办完。请稍等几秒再试一次，同一操作不会重复办理',
      });
    }
    // Their bytes on their way before the connections are cut (200 ms at the most).
    await Promise.race([Promise.all(told), new Promise((resolve) => setTimeout(resolve, 200).unref())]);
    server.closeAllConnections();
    await closed;
    await draining;
    await opened.close();
  };

  const warmOcr = async (): Promise<void> => {
    await ocr().load?.();
  };
  return { server, ports, store, files, secret, drainNotifications, close, warmOcr };
}
