/**
 * The cloud function entries themselves (cloudfunctions/<name>/index.ts) on the real SDK and the
 * emulator, with only the environment variables the README names for each function: OPENID comes
 * from getWXContext (WX_CONTEXT_KEYS, as the platform injects it), FIELD_KEY is absent where the
 * README does not ask for it.
 */
import { createHash } from 'node:crypto';
import { cloudWithEmulator, type CloudEmulator } from './emulator';
import { jpegBytes } from '../support/fixtures';

type Main = (event: unknown, context?: unknown) => Promise<unknown>;

let emulator: CloudEmulator;

beforeAll(() => {
  ({ emulator } = cloudWithEmulator());
  delete process.env.FIELD_KEY;
  Object.assign(process.env, {
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID',
    WX_OPENID: 'openid-entry-user',
    WX_APPID: 'wx0000000000000000',
  });
});

const load = async (name: string): Promise<Main> =>
  ((await import(`../../cloudfunctions/${name}/index`)) as { main: Main }).main;

describe('cloud function entries without FIELD_KEY', () => {
  it('files.register records owner, size, SHA-256 and the sniffed type of the uploaded bytes', async () => {
    const main = await load('files');
    const bytes = await jpegBytes('门诊票据');
    const fileID = emulator.putFile('uploads/entry/receipt.png', bytes);
    const answer = await main({
      action: 'register',
      payload: { fileID, name: 'receipt.png' },
      userInfo: { openId: 'ignored' },
    });
    expect(answer).toEqual({
      ok: true,
      data: expect.objectContaining({
        fileID,
        owner: 'openid-entry-user',
        contentType: 'image/jpeg',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      }),
    });
    expect(emulator.count('storage.batchGetDownloadUrl')).toBeGreaterThanOrEqual(1);
  });

  it('files.register refuses bytes that are not a photo and removes them from storage', async () => {
    const main = await load('files');
    const fileID = emulator.putFile('uploads/entry/notes.jpg', Buffer.from('#!/bin/sh\necho not a photo\n'));
    const answer = (await main({ action: 'register', payload: { fileID, name: 'notes.jpg' } })) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(answer).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_FILE_TYPE' } });
    expect(emulator.files.has(fileID)).toBe(false);
    expect(emulator.documents('files').filter((doc) => doc.fileID === fileID)).toEqual([]);
  });

  it('notifications.list answers without FIELD_KEY', async () => {
    const main = await load('notifications');
    expect(await main({ action: 'list', payload: {} })).toMatchObject({ ok: true });
  });

  it('a failing role lookup is an INTERNAL envelope, not a rejected call', async () => {
    const main = await load('notifications');
    emulator.fault = (request) =>
      request.params.collectionName === 'staff'
        ? { code: 'DATABASE_REQUEST_FAILED', message: '[InternalError] busy' }
        : undefined;
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await expect(main({ action: 'list', payload: {} })).resolves.toEqual({
        ok: false,
        error: { code: 'INTERNAL', message: expect.any(String) },
      });
    } finally {
      emulator.fault = null;
      quiet.mockRestore();
    }
  });

  it('nothing left the emulator', () => {
    expect(emulator.escapes).toEqual([]);
  });
});
