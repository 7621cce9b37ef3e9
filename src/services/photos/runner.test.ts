import { type UploadQueue, parseQueue } from '../../core/uploadQueue';
import { type RunnerDeps, UploadRunner, describeUploadError } from './runner';

/** A fake platform: a clock and timers we move by hand, storage in a variable, uploads we settle. */
function fakePlatform(options: { stored?: string; missing?: string[] } = {}) {
  let now = 1_000_000;
  let stored: string | undefined = options.stored;
  const timers: { at: number; run: () => void; id: number }[] = [];
  let nextId = 1;
  const pending: {
    path: string;
    resolve: (fileID: string) => void;
    reject: (error: unknown) => void;
    progress: (p: number) => void;
  }[] = [];
  const discarded: string[] = [];
  const deps: RunnerDeps = {
    load: () => stored,
    save: (text) => {
      stored = text;
    },
    upload: (path, _name, _type, onProgress) =>
      new Promise((resolve, reject) => {
        pending.push({ path, resolve: (fileID) => resolve({ fileID }), reject, progress: onProgress });
      }),
    open: async (path) => (options.missing?.includes(path) ? null : `blob:${path}`),
    discard: (path) => discarded.push(path),
    now: () => now,
    random: () => 0.999999,
    setTimer: (run, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimer: (id) => {
      const index = timers.findIndex((timer) => timer.id === id);
      if (index >= 0) timers.splice(index, 1);
    },
  };
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return {
    deps,
    pending,
    discarded,
    stored: () => parseQueue(stored),
    flush,
    async advance(ms: number) {
      now += ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (!due || due.at > now) break;
        timers.shift();
        due.run();
        await flush();
      }
      await flush();
    },
  };
}

const add = (runner: UploadRunner, id: string, materialId = 'invoice') =>
  runner.add({ localId: id, materialId, filePath: `durable/${id}`, name: `${id}.jpg`, contentType: 'image/jpeg' });
const states = (queue: UploadQueue) => queue.items.map((item) => `${item.localId}:${item.state}`);

describe('UploadRunner', () => {
  it('uploads with progress, at most two at a time, and lists fileIDs only once finished', async () => {
    const platform = fakePlatform();
    const runner = new UploadRunner(platform.deps);
    const seen: number[] = [];
    runner.subscribe((queue) => seen.push(queue.items[0]?.progress ?? -1));
    runner.start();
    add(runner, 'a');
    add(runner, 'b');
    add(runner, 'c');
    await platform.flush();
    expect(platform.pending.map((p) => p.path)).toEqual(['blob:durable/a', 'blob:durable/b']);
    expect(states(runner.snapshot)).toEqual(['a:uploading', 'b:uploading', 'c:queued']);
    platform.pending[0]!.progress(55);
    expect(seen).toContain(55);
    expect(runner.completedFileIds('invoice')).toEqual([]);
    platform.pending[0]!.resolve('cloud://a');
    await platform.flush();
    expect(runner.completedFileIds('invoice')).toEqual(['cloud://a']);
    expect(platform.pending.map((p) => p.path)).toContain('blob:durable/c');
    expect(states(platform.stored())).toEqual(['a:done', 'b:uploading', 'c:uploading']);
  });

  it('retries a network failure after its backoff, and fails at once on a refusal', async () => {
    const platform = fakePlatform();
    const runner = new UploadRunner(platform.deps);
    runner.start();
    add(runner, 'a');
    add(runner, 'b');
    await platform.flush();
    platform.pending[0]!.reject({ code: 'NETWORK', message: '网络不太好' });
    platform.pending[1]!.reject({ code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大' });
    await platform.flush();
    expect(states(runner.snapshot)).toEqual(['a:queued', 'b:failed']);
    expect(platform.pending).toHaveLength(2);
    await platform.advance(999);
    expect(platform.pending).toHaveLength(2);
    await platform.advance(1);
    expect(platform.pending).toHaveLength(3);
    platform.pending[2]!.resolve('cloud://a');
    await platform.flush();
    runner.retry('b');
    await platform.flush();
    expect(platform.pending).toHaveLength(4);
    expect(states(runner.snapshot)).toEqual(['a:done', 'b:uploading']);
  });

  it('resumes after the app was closed mid-upload, and fails a photo whose file is gone', async () => {
    const first = fakePlatform();
    const before = new UploadRunner(first.deps);
    before.start();
    add(before, 'a');
    add(before, 'gone');
    await first.flush();
    before.stop(); // the app is closed: the uploads never answer

    const storedText = JSON.stringify(first.stored());
    const second = fakePlatform({ stored: storedText, missing: ['durable/gone'] });
    const after = new UploadRunner(second.deps);
    after.start();
    await second.flush();
    expect(second.pending.map((p) => p.path)).toEqual(['blob:durable/a']);
    expect(after.snapshot.items.find((i) => i.localId === 'gone')).toMatchObject({
      state: 'failed',
      lastError: { code: 'FILE_MISSING' },
    });
    second.pending[0]!.resolve('cloud://a');
    await second.flush();
    expect(after.completedFileIds('invoice')).toEqual(['cloud://a']);
  });

  it('a photo deleted while uploading is never referenced, and its local file is discarded', async () => {
    const platform = fakePlatform();
    const runner = new UploadRunner(platform.deps);
    runner.start();
    add(runner, 'a');
    await platform.flush();
    runner.remove('a');
    platform.pending[0]!.resolve('cloud://a');
    await platform.flush();
    expect(runner.snapshot.items).toEqual([]);
    expect(runner.completedFileIds('invoice')).toEqual([]);
    expect(platform.discarded).toEqual(['durable/a']);
  });

  it('photos restored from the server are stored, never uploaded again, and deleting one discards no local file', async () => {
    const platform = fakePlatform();
    const runner = new UploadRunner(platform.deps);
    runner.start();
    runner.restore([{ localId: 'r', materialId: 'invoice', fileID: 'cloud://elsewhere' }]);
    add(runner, 'b');
    await platform.advance(60_000);
    expect(platform.pending.map((upload) => upload.path)).toEqual(['blob:durable/b']);
    expect(platform.stored().items.map((item) => item.fileID ?? null)).toEqual(['cloud://elsewhere', null]);
    const restarted = new UploadRunner(platform.deps);
    restarted.start();
    expect(restarted.completedFileIds('invoice')).toEqual(['cloud://elsewhere']);
    restarted.remove('r');
    expect(platform.discarded).toEqual([]);
    expect(restarted.completedFileIds('invoice')).toEqual([]);
  });
});

describe('describeUploadError', () => {
  it.each([
    [{ code: 'NETWORK', message: 'x' }, 'NETWORK', true],
    [{ code: 'INTERNAL', message: 'x' }, 'INTERNAL', true],
    [{ code: 'FILE_UNREADABLE', message: 'x' }, 'FILE_UNREADABLE', false],
    [{ code: 'UNAUTHENTICATED', message: 'x' }, 'UNAUTHENTICATED', false],
    [new Error('boom'), 'NETWORK', true],
    ['weird', 'NETWORK', true],
  ])('%p → %s (retryable %s)', (error, code, retryable) => {
    expect(describeUploadError(error)).toMatchObject({ code, retryable });
  });
});
