/**
 * How much one account may upload a day (core/uploadQuota), on both adapters: local uploads (DiskFiles.put)
 * and cloud registrations (CloudFiles.register on the emulator). Refused past the limit with
 * UPLOAD_LIMIT_REACHED and a sentence; nothing of the refused file is kept (no record, no bytes, no count);
 * the next business day (Asia/Shanghai) starts from nothing. Uploads at once cannot pass the limit:
 * checked over explored interleavings of their store operations.
 */
import fc from 'fast-check';
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { DiskFiles } from '../adapters/embedded/files';
import type { UploadDayDoc } from '../repositories/fileRecords';
import { isDomainError } from '../../src/core/errors';
import { admitUpload, DEFAULT_UPLOAD_LIMITS, uploadLimitsFrom } from '../../src/core/uploadQuota';
import { jpegBytes } from '../../test/support/fixtures';
import { scheduledStore } from '../../test/support/interleavings';
import {
  callers,
  embeddedPorts,
  EmulatedCloudFiles,
  type CloudEmulatorPorts,
  FixedClock,
  portFactories,
} from '../../test/support/ports';
import { closeTestStores } from '../../test/support/testStore';
import type { Store, StoredFile } from '../ports';

const chinese = /[\u4e00-\u9fff]/;

/** Under `npm run test:cloud` embeddedPorts hands out the emulator's ports (test/cloud/asCloud.ts). */
const asCloud = (ports: object): CloudEmulatorPorts => ports as CloudEmulatorPorts;

async function refusal(upload: Promise<StoredFile>): Promise<{ code: string; message: string }> {
  try {
    await upload;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the upload was accepted');
}

/** Photo files on disk under the local store's files directory. */
function photosOnDisk(dataDir: string): string[] {
  const root = path.join(dataDir, 'files');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

describe('core: admitUpload and the limits an installation sets', () => {
  it('admits up to the day’s files and bytes, and says what to do past them', () => {
    const limits = { filesPerDay: 2, bytesPerDay: 1000 };
    expect(admitUpload({ files: 0, bytes: 0 }, 400, limits)).toEqual({ ok: true, totals: { files: 1, bytes: 400 } });
    expect(admitUpload({ files: 1, bytes: 400 }, 600, limits)).toEqual({ ok: true, totals: { files: 2, bytes: 1000 } });
    const byCount = admitUpload({ files: 2, bytes: 1000 }, 1, limits);
    expect(byCount).toMatchObject({ ok: false, code: 'UPLOAD_LIMIT_REACHED' });
    expect(byCount.ok ? '' : byCount.message).toMatch(/今天已上传 2 张照片.*请明天再继续/);
    const byBytes = admitUpload({ files: 1, bytes: 400 }, 601, limits);
    expect(byBytes.ok ? '' : byBytes.message).toMatch(
      /^今天已上传 1 KB 照片，这张 1 KB 放不下了（每天最多 1 KB）.*请明天再继续/,
    );
  });

  it('a photo larger than the whole day allows says so, not that the day is used up (a black-box probe: 已近 1 MB, first upload of the day)', () => {
    const MB = 1024 * 1024;
    const limits = { filesPerDay: 300, bytesPerDay: MB };
    const alone = admitUpload({ files: 0, bytes: 0 }, Math.round(5.9 * MB), limits);
    expect(alone).toMatchObject({ ok: false, code: 'UPLOAD_LIMIT_REACHED' });
    expect(alone.ok ? '' : alone.message).toBe(
      '这张照片有 5.9 MB，比每天可以上传的 1 MB 还大。请换一张小一些的照片（例如截图，或拍摄时选小一些的尺寸）再上传。',
    );
    // With some of the day used: how much, and what is left.
    const partly = admitUpload({ files: 3, bytes: Math.round(0.7 * MB) }, Math.round(0.5 * MB), limits);
    expect(partly.ok ? '' : partly.message).toBe(
      '今天已上传 0.7 MB 照片，这张 0.5 MB 放不下了（每天最多 1 MB）。已上传的照片都还在，请明天再继续；材料确实更多的，请联系经办机构。',
    );
  });

  it('reads UPLOAD_FILES_PER_DAY and UPLOAD_MB_PER_DAY, refusing what is not a positive whole number', () => {
    expect(uploadLimitsFrom({})).toEqual(DEFAULT_UPLOAD_LIMITS);
    expect(uploadLimitsFrom({ UPLOAD_FILES_PER_DAY: '20', UPLOAD_MB_PER_DAY: '5' })).toEqual({
      filesPerDay: 20,
      bytesPerDay: 5 * 1024 * 1024,
    });
    for (const bad of ['0', '-1', '1.5', 'abc', '', ' 3', '1e3'])
      expect(() => uploadLimitsFrom({ UPLOAD_FILES_PER_DAY: bad })).toThrow(/UPLOAD_FILES_PER_DAY 应为/);
  });
});

describe.each(portFactories)('uploads a day per account (%s)', (name, makePorts) => {
  afterEach(() => closeTestStores('test'));

  it('refuses the upload past the limit, keeps nothing of it, and starts again the next Shanghai day', async () => {
    // 23:59 in Shanghai on 2026-03-02 (15:59 UTC).
    const clock = new FixedClock(new Date('2026-03-02T15:59:00Z'));
    const ports = await makePorts({ clock, uploadLimits: { filesPerDay: 2, bytesPerDay: 10 * 1024 * 1024 } });
    const put = (owner: string, label: string): Promise<StoredFile> =>
      jpegBytes(label).then((bytes) => ports.files.put(owner, `${label}.jpg`, 'image/jpeg', bytes));
    await put(callers.zhangsan.openid, 'a');
    await put(callers.zhangsan.openid, 'b');
    const refused = await refusal(put(callers.zhangsan.openid, 'c'));
    expect(refused.code).toBe('UPLOAD_LIMIT_REACHED');
    expect(refused.message).toMatch(chinese);
    // Another account has its own day.
    await put(callers.lisi.openid, 'd');
    const records = await ports.store.collection<StoredFile & { _id: string }>('files').find({}, { limit: 100 });
    expect(records.map((record) => record.name).sort()).toEqual(['a.jpg', 'b.jpg', 'd.jpg']);
    const days = await ports.store.collection<UploadDayDoc>('uploadDays').find({}, { limit: 100 });
    expect(days.map(({ _openid, day, files }) => ({ _openid, day, files })).sort((x, y) => x.files - y.files)).toEqual([
      { _openid: callers.lisi.openid, day: '2026-03-02', files: 1 },
      { _openid: callers.zhangsan.openid, day: '2026-03-02', files: 2 },
    ]);
    // The refused photo's bytes are gone too: on disk, or from cloud storage.
    if ('dataDir' in ports) expect(photosOnDisk(ports.dataDir)).toHaveLength(3);
    if ('emulator' in ports) expect(ports.emulator.storedFileIds()).toHaveLength(3);
    expect(name).toMatch(/embedded|cloud/);
    // Midnight in Shanghai (16:00 UTC): a new day.
    clock.advance(60_000);
    await put(callers.zhangsan.openid, 'e');
    expect(
      (await ports.store.collection<UploadDayDoc>('uploadDays').get(`${callers.zhangsan.openid}:2026-03-03`))?.files,
    ).toBe(1);
  });

  it('counts bytes too: a photo that would pass the day’s bytes is refused', async () => {
    const first = await jpegBytes('first');
    const ports = await makePorts({ uploadLimits: { filesPerDay: 100, bytesPerDay: first.length * 2 + 10 } });
    await ports.files.put(callers.zhangsan.openid, 'a.jpg', 'image/jpeg', first);
    await ports.files.put(callers.zhangsan.openid, 'b.jpg', 'image/jpeg', first);
    expect((await refusal(ports.files.put(callers.zhangsan.openid, 'c.jpg', 'image/jpeg', first))).code).toBe(
      'UPLOAD_LIMIT_REACHED',
    );
    const day = await ports.store.collection<UploadDayDoc>('uploadDays').get(`${callers.zhangsan.openid}:2026-03-02`);
    expect(day).toMatchObject({ files: 2, bytes: first.length * 2 });
  });
});

describe('uploads at once never pass the limit (explored interleavings)', () => {
  it('accepts exactly min(uploads, limit); records, counts and bytes on disk agree', async () => {
    const photos = await Promise.all([0, 1, 2, 3, 4, 5].map((index) => jpegBytes(`photo ${index}`)));
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        async (scheduler, uploads, limit) => {
          await closeTestStores('test');
          const ports = await embeddedPorts();
          const store: Store = scheduledStore(ports.store, scheduler);
          const limits = { filesPerDay: limit, bytesPerDay: 1024 * 1024 * 1024 };
          // The local uploads, or (npm run test:cloud, where embeddedPorts gives the emulator's) cloud registrations.
          const files =
            'dataDir' in ports
              ? new DiskFiles(ports.dataDir, store, Buffer.alloc(32, 7), ports.clock, '', limits)
              : new EmulatedCloudFiles(
                  asCloud(ports).emulator,
                  asCloud(ports).cloud,
                  store,
                  asCloud(ports).clock,
                  limits,
                );
          const results = photos.slice(0, uploads).map((bytes, index) =>
            files.put(callers.zhangsan.openid, `p${index}.jpg`, 'image/jpeg', bytes).then(
              (stored) => ({ ok: true as const, stored }),
              (error: unknown) => ({ ok: false as const, code: isDomainError(error) ? error.code : String(error) }),
            ),
          );
          // Each upload writes its bytes first (real file I/O, not scheduled): the scheduler starts choosing once every
          // upload waits at its first store operation, or the first would run alone.
          while (scheduler.count() < uploads) await new Promise((resolve) => setTimeout(resolve, 1));
          const outcomes = await scheduler.waitFor(Promise.all(results));
          const accepted = outcomes.filter((outcome) => outcome.ok);
          expect(accepted).toHaveLength(Math.min(uploads, limit));
          expect(new Set(outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.code])))).toEqual(
            new Set(uploads > limit ? ['UPLOAD_LIMIT_REACHED'] : []),
          );
          expect(await ports.store.collection('files').count({})).toBe(accepted.length);
          const day = await ports.store
            .collection<UploadDayDoc>('uploadDays')
            .get(`${callers.zhangsan.openid}:2026-03-02`);
          expect(day?.files).toBe(accepted.length);
          expect(day?.bytes).toBe(accepted.reduce((sum, outcome) => sum + (outcome.ok ? outcome.stored.size : 0), 0));
          if ('dataDir' in ports) expect(photosOnDisk(ports.dataDir)).toHaveLength(accepted.length);
          else expect(asCloud(ports).emulator.storedFileIds()).toHaveLength(accepted.length);
          runs += 1;
        },
      ),
      { numRuns: 60 },
    );
    expect(runs).toBe(60);
  });
});
