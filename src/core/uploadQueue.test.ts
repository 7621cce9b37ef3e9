import fc from 'fast-check';
import {
  DEFAULT_RETRY,
  type UploadItem,
  type UploadQueue,
  UPLOAD_LIMIT_REACHED,
  backoffDelay,
  completedFileIds,
  emptyQueue,
  enqueue,
  hasPendingUploads,
  itemsOf,
  markDone,
  markFailed,
  markProgress,
  markUploading,
  nextWakeAt,
  parseQueue,
  readyToUpload,
  remove,
  restoreUploaded,
  resumeAfterRestart,
  uploadStateText,
  retry,
  serializeQueue,
} from './uploadQueue';

const T0 = 1_700_000_000_000;
const photo = (localId: string, materialId = 'invoice') => ({
  localId,
  materialId,
  filePath: `wxfile://usr/${localId}.jpg`,
  name: `${localId}.jpg`,
  contentType: 'image/jpeg',
});
const network = { code: 'NETWORK', message: '网络不太好，请检查网络后重试' };
const lowJitter = { now: T0, random: () => 0, retryable: true };

function stateOf(queue: UploadQueue, localId: string) {
  return queue.items.find((item) => item.localId === localId);
}

describe('backoffDelay', () => {
  it.each([
    [1, 0, 500],
    [1, 0.999999, 1000],
    [2, 0.999999, 2000],
    [3, 0.999999, 4000],
    [6, 0.999999, 32000],
    [7, 0.999999, 60000],
    [50, 0.999999, 60000],
    [7, 0, 30000],
  ])('after %i failure(s), random %f → %i ms', (failures, r, expected) => {
    expect(backoffDelay(failures, () => r)).toBe(expected);
  });

  it('stays within [ceiling/2, ceiling] and never above the cap, whatever the random source says', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.double({ min: -5, max: 5, noNaN: true }), (failures, r) => {
        const delay = backoffDelay(failures, () => r);
        const ceiling = Math.min(
          DEFAULT_RETRY.maxMs,
          DEFAULT_RETRY.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)),
        );
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(delay).toBeLessThanOrEqual(DEFAULT_RETRY.maxMs);
      }),
    );
  });
});

describe('the queue', () => {
  it('uploads a photo: queued → uploading (with progress) → done, and only then lists its fileID', () => {
    let queue = enqueue(emptyQueue(), photo('a'), T0);
    expect(readyToUpload(queue, T0).map((i) => i.localId)).toEqual(['a']);
    expect(hasPendingUploads(queue)).toBe(true);
    queue = markUploading(queue, 'a');
    expect(stateOf(queue, 'a')).toMatchObject({ state: 'uploading', attempts: 1 });
    expect(readyToUpload(queue, T0)).toEqual([]);
    queue = markProgress(queue, 'a', 40);
    queue = markProgress(queue, 'a', 20); // progress never goes back
    queue = markProgress(queue, 'a', 100); // 100 is for done only
    expect(stateOf(queue, 'a')?.progress).toBe(99);
    expect(completedFileIds(queue, 'invoice')).toEqual([]);
    queue = markDone(queue, 'a', 'cloud://env/a.jpg');
    expect(stateOf(queue, 'a')).toMatchObject({ state: 'done', progress: 100, fileID: 'cloud://env/a.jpg' });
    expect(completedFileIds(queue, 'invoice')).toEqual(['cloud://env/a.jpg']);
    expect(hasPendingUploads(queue)).toBe(false);
  });

  it('ignores a second enqueue of the same photo and markDone on an item not in flight', () => {
    let queue = enqueue(emptyQueue(), photo('a'), T0);
    queue = enqueue(queue, photo('a', 'other'), T0);
    expect(queue.items).toHaveLength(1);
    expect(markDone(queue, 'a', 'cloud://x')).toBe(queue);
    expect(markDone(queue, 'nope', 'cloud://x')).toBe(queue);
    expect(markDone(markUploading(queue, 'a'), 'a', '')).toEqual(markUploading(queue, 'a'));
  });

  it('backs off 1 s, 2 s, 4 s … and gives up after maxAttempts, then the person can retry', () => {
    let queue = enqueue(emptyQueue(), photo('a'), T0);
    let now = T0;
    const delays: number[] = [];
    for (let attempt = 1; attempt <= DEFAULT_RETRY.maxAttempts; attempt += 1) {
      expect(readyToUpload(queue, now).map((i) => i.localId)).toEqual(['a']);
      queue = markUploading(queue, 'a');
      queue = markFailed(queue, 'a', network, { now, random: () => 0.999999, retryable: true });
      const item = stateOf(queue, 'a')!;
      if (attempt < DEFAULT_RETRY.maxAttempts) {
        expect(item.state).toBe('queued');
        delays.push(item.nextAttemptAt - now);
        expect(readyToUpload(queue, item.nextAttemptAt - 1)).toEqual([]);
        expect(nextWakeAt(queue)).toBe(item.nextAttemptAt);
        now = item.nextAttemptAt;
      } else {
        expect(item).toMatchObject({ state: 'failed', lastError: network });
      }
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000]);
    expect(nextWakeAt(queue)).toBeNull();
    expect(readyToUpload(queue, now + 3_600_000)).toEqual([]);
    queue = retry(queue, 'a', now);
    expect(stateOf(queue, 'a')).toMatchObject({ state: 'queued', attempts: 0, nextAttemptAt: now });
  });

  it('fails at once on an error a retry cannot fix', () => {
    let queue = markUploading(enqueue(emptyQueue(), photo('a'), T0), 'a');
    queue = markFailed(
      queue,
      'a',
      { code: 'FILE_MISSING', message: '照片已不在手机上，请重新拍摄' },
      { ...lowJitter, retryable: false },
    );
    expect(stateOf(queue, 'a')).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('resumes after a restart: an upload in flight goes back to the queue, ready now; done stays done', () => {
    let queue = enqueue(enqueue(emptyQueue(), photo('a'), T0), photo('b'), T0);
    queue = markDone(markUploading(queue, 'a'), 'a', 'cloud://a');
    queue = markProgress(markUploading(queue, 'b'), 'b', 70);
    const restored = resumeAfterRestart(parseQueue(serializeQueue(queue)), T0 + 5000);
    expect(stateOf(restored, 'a')).toMatchObject({ state: 'done', fileID: 'cloud://a' });
    expect(stateOf(restored, 'b')).toMatchObject({ state: 'queued', progress: 0, attempts: 1 });
    expect(readyToUpload(restored, T0 + 5000).map((i) => i.localId)).toEqual(['b']);
  });

  it('restores photos the server draft holds as finished uploads without a local copy, once each, and keeps them across a restart', () => {
    let queue = markDone(markUploading(enqueue(emptyQueue(), photo('a', 'invoice'), T0), 'a'), 'a', 'cloud://a');
    queue = restoreUploaded(queue, [
      { localId: 'r1', materialId: 'invoice', fileID: 'cloud://a' },
      { localId: 'r2', materialId: 'invoice', fileID: 'cloud://b' },
      { localId: 'r3', materialId: 'diagnosis', fileID: 'cloud://c' },
      { localId: 'r4', materialId: 'diagnosis', fileID: 'cloud://c' },
    ]);
    expect(completedFileIds(queue, 'invoice')).toEqual(['cloud://a', 'cloud://b']);
    expect(completedFileIds(queue, 'diagnosis')).toEqual(['cloud://c']);
    expect(stateOf(queue, 'r2')).toMatchObject({ state: 'done', filePath: '', progress: 100 });
    expect(readyToUpload(queue, T0)).toEqual([]);
    expect(restoreUploaded(queue, [{ localId: 'r5', materialId: 'invoice', fileID: 'cloud://b' }])).toBe(queue);
    const reloaded = resumeAfterRestart(parseQueue(serializeQueue(queue)), T0 + 1000);
    expect(reloaded.items).toEqual(queue.items);
  });

  it('drops a stored item without a local copy that is not a finished upload (nothing to upload it from)', () => {
    const stored = {
      version: 1,
      items: [
        { ...photo('x'), filePath: '', state: 'queued', attempts: 0, nextAttemptAt: T0, progress: 0 },
        { ...photo('y'), filePath: '', state: 'done', attempts: 0, nextAttemptAt: T0, progress: 100 },
      ],
    };
    expect(parseQueue(JSON.stringify(stored)).items).toEqual([]);
  });

  it('removes a photo and keeps materials apart', () => {
    let queue = enqueue(enqueue(emptyQueue(), photo('a', 'invoice'), T0), photo('b', 'list'), T0);
    queue = markDone(markUploading(queue, 'b'), 'b', 'cloud://b');
    expect(completedFileIds(queue, 'invoice')).toEqual([]);
    expect(completedFileIds(queue, 'list')).toEqual(['cloud://b']);
    expect(itemsOf(queue, 'invoice').map((i) => i.localId)).toEqual(['a']);
    queue = remove(queue, 'b');
    expect(completedFileIds(queue, 'list')).toEqual([]);
  });
});

describe('what a photo tile says', () => {
  const queued = (code?: string): UploadItem => ({
    localId: 'l1',
    materialId: 'invoice',
    filePath: '/tmp/a.jpg',
    name: 'a.jpg',
    contentType: 'image/jpeg',
    state: 'queued',
    attempts: 1,
    nextAttemptAt: 0,
    progress: 0,
    ...(code ? { lastError: { code, message: '…' } } : {}),
  });

  it('says 网络不好 only for the network; a server error is 没传上 (a walk read 网络不好 for an HTTP 500)', () => {
    expect(uploadStateText(queued())).toBe('等待上传');
    expect(uploadStateText(queued('NETWORK'))).toBe('网络不好，稍后自动重试');
    expect(uploadStateText(queued('INTERNAL'))).toBe('没传上，稍后自动重试');
    expect(uploadStateText({ ...queued(UPLOAD_LIMIT_REACHED), state: 'failed' })).toBe('今天已达上限');
  });
});

describe('parseQueue', () => {
  it.each([
    ['not JSON', '{oops'],
    ['null', null],
    ['another version', { version: 2, items: [] }],
    ['items not a list', { version: 1, items: {} }],
  ])('gives an empty queue for %s', (_name, stored) => {
    expect(parseQueue(stored)).toEqual(emptyQueue());
  });

  it('drops malformed items and duplicates; a done item without fileID is uploaded again', () => {
    const good = { ...photo('a'), state: 'done', attempts: 1, nextAttemptAt: T0, progress: 100, fileID: 'cloud://a' };
    const parsed = parseQueue({
      version: 1,
      items: [
        good,
        { ...good, fileID: 'cloud://dup' },
        { ...good, localId: 'b', fileID: undefined },
        { ...good, localId: 'c', state: 'lost' },
        { localId: 'd' },
        42,
      ],
    });
    expect(parsed.items.map((i) => [i.localId, i.state, i.fileID])).toEqual([
      ['a', 'done', 'cloud://a'],
      ['b', 'queued', undefined],
    ]);
  });
});

/** Model-based property: random sequences of what the uploader and the person can do. */
describe('properties', () => {
  type Command =
    | { kind: 'enqueue'; id: number; material: number }
    | { kind: 'start'; id: number }
    | { kind: 'progress'; id: number; percent: number }
    | { kind: 'done'; id: number }
    | { kind: 'fail'; id: number; retryable: boolean; r: number }
    | { kind: 'retry'; id: number }
    | { kind: 'remove'; id: number }
    | { kind: 'restart' }
    | { kind: 'tick'; ms: number };

  const id = fc.integer({ min: 0, max: 5 });
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.record({ kind: fc.constant('enqueue' as const), id, material: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant('start' as const), id }),
    fc.record({ kind: fc.constant('progress' as const), id, percent: fc.integer({ min: -10, max: 150 }) }),
    fc.record({ kind: fc.constant('done' as const), id }),
    fc.record({
      kind: fc.constant('fail' as const),
      id,
      retryable: fc.boolean(),
      r: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    }),
    fc.record({ kind: fc.constant('retry' as const), id }),
    fc.record({ kind: fc.constant('remove' as const), id }),
    fc.constant({ kind: 'restart' as const }),
    fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 120_000 }) }),
  );

  it('a material lists only fileIDs of finished uploads, states stay consistent, and the queue survives JSON', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        let queue = emptyQueue();
        let now = T0;
        const finished = new Map<string, string>(); // localId → fileID given by a successful upload
        for (const c of commands) {
          const localId = 'id' in c ? `p${c.id}` : '';
          const before = queue;
          switch (c.kind) {
            case 'enqueue':
              queue = enqueue(queue, photo(localId, `m${c.material}`), now);
              break;
            case 'start':
              queue = markUploading(queue, localId);
              break;
            case 'progress':
              queue = markProgress(queue, localId, c.percent);
              break;
            case 'done': {
              const fileID = `cloud://${localId}-${now}`;
              queue = markDone(queue, localId, fileID);
              if (stateOf(before, localId)?.state === 'uploading') finished.set(localId, fileID);
              break;
            }
            case 'fail':
              queue = markFailed(queue, localId, network, { now, random: () => c.r, retryable: c.retryable });
              break;
            case 'retry':
              queue = retry(queue, localId, now);
              break;
            case 'remove':
              queue = remove(queue, localId);
              finished.delete(localId);
              break;
            case 'restart':
              queue = resumeAfterRestart(parseQueue(serializeQueue(queue)), now);
              break;
            case 'tick':
              now += c.ms;
              break;
          }

          expect(parseQueue(serializeQueue(queue))).toEqual(queue);
          expect(new Set(queue.items.map((i) => i.localId)).size).toBe(queue.items.length);
          for (const item of queue.items) {
            expect(item.state === 'done').toBe(item.fileID !== undefined);
            if (item.state === 'done') expect(item.fileID).toBe(finished.get(item.localId));
            expect(item.progress).toBeGreaterThanOrEqual(0);
            expect(item.progress).toBeLessThanOrEqual(item.state === 'done' ? 100 : 99);
            expect(item.attempts).toBeLessThanOrEqual(DEFAULT_RETRY.maxAttempts);
            if (item.state === 'queued') expect(item.nextAttemptAt - now).toBeLessThanOrEqual(DEFAULT_RETRY.maxMs);
            // A done item stays done until removed.
            if (stateOf(before, item.localId)?.state === 'done') expect(item.state).toBe('done');
          }
          for (const material of ['m0', 'm1', 'm2']) {
            const ids = completedFileIds(queue, material);
            const expected = queue.items
              .filter((i) => i.materialId === material && finished.has(i.localId) && i.state === 'done')
              .map((i) => finished.get(i.localId));
            expect(ids).toEqual(expected);
          }
          for (const ready of readyToUpload(queue, now)) {
            expect(ready.state).toBe('queued');
            expect(ready.nextAttemptAt).toBeLessThanOrEqual(now);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
