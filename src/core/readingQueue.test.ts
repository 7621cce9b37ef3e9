import {
  emptyReadingQueue,
  enqueueRead,
  finishRead,
  photosAhead,
  progressLine,
  progressSummary,
  readingElapsedMs,
  startNextRead,
} from './readingQueue';

describe('reading queue: the photos of one claim read one after the other', () => {
  it('reads in the order the photos came, one at a time', () => {
    let queue = ['a', 'b', 'c'].reduce(enqueueRead, emptyReadingQueue());
    let next = startNextRead(queue);
    expect(next.fileID).toBe('a');
    queue = next.queue;
    // Nothing else starts while one is being read.
    expect(startNextRead(queue).fileID).toBeNull();
    expect(photosAhead(queue, 'b')).toBe(1);
    expect(photosAhead(queue, 'c')).toBe(2);
    expect(photosAhead(queue, 'a')).toBe(-1);
    queue = finishRead(queue, 'a');
    next = startNextRead(queue);
    expect(next.fileID).toBe('b');
    expect(photosAhead(next.queue, 'c')).toBe(1);
    queue = finishRead(finishRead(next.queue, 'x'), 'b');
    expect(photosAhead(queue, 'c')).toBe(0);
    next = startNextRead(queue);
    expect(next.fileID).toBe('c');
    expect(startNextRead(finishRead(next.queue, 'c'))).toEqual({ queue: emptyReadingQueue(), fileID: null });
  });

  it('does not queue a photo twice', () => {
    const queue = enqueueRead(enqueueRead(emptyReadingQueue(), 'a'), 'b');
    expect(enqueueRead(queue, 'a')).toBe(queue);
    const reading = startNextRead(queue).queue;
    expect(enqueueRead(reading, 'a')).toBe(reading);
    // Read again (a failed read retried): it goes to the end.
    expect(enqueueRead(finishRead(reading, 'a'), 'a').waiting).toEqual(['b', 'a']);
  });
});

describe('progress lines', () => {
  it('says where each photo stands, in a sentence', () => {
    expect(progressLine(1, { stage: 'uploading', percent: 42.4 })).toBe('第 1 张票据：正在上传，已完成 42%。');
    expect(progressLine(2, { stage: 'uploadQueued' })).toBe('第 2 张票据：等待上传。');
    expect(progressLine(2, { stage: 'uploadFailed' })).toBe('第 2 张票据：没能上传，请在「上传材料」里重试。');
    expect(progressLine(3, { stage: 'waiting', ahead: 2 })).toBe('第 3 张票据：排队等待识别，前面还有 2 张。');
    expect(progressLine(3, { stage: 'waiting', ahead: 0 })).toBe('第 3 张票据：马上开始识别。');
    expect(progressLine(1, { stage: 'reading', seconds: 0 })).toBe('第 1 张票据：正在识别。');
    expect(progressLine(1, { stage: 'reading', seconds: 4 })).toBe('第 1 张票据：正在识别，已用 4 秒。');
    expect(progressLine(1, { stage: 'read', seconds: 2.345 })).toBe('第 1 张票据：已识别，用时 2.3 秒，请在下面核对。');
    // Nothing of a receipt read is not 已识别 (a walk: a plain picture was, above a card saying nothing was read).
    expect(progressLine(3, { stage: 'read', seconds: 1.9, nothingRead: true })).toBe(
      '第 3 张票据：没有认出票据上的内容（用时 1.9 秒），请看下面的说明。',
    );
    expect(
      progressSummary([
        { stage: 'read', seconds: 1 },
        { stage: 'read', seconds: 1, nothingRead: true },
      ]),
    ).toBe('已识别 1 张，共 2 张，1 张没有认出票据内容，请看下面的说明。');
    expect(progressLine(4, { stage: 'readFailed' })).toBe('第 4 张票据：没能识别，可以重新识别，或自己填写。');
  });

  it('sums up the claim', () => {
    expect(
      progressSummary([
        { stage: 'read', seconds: 1 },
        { stage: 'reading', seconds: 2 },
        { stage: 'waiting', ahead: 1 },
      ]),
    ).toBe('已识别 1 张，共 3 张；一张一张识别，每张通常几秒钟。');
    expect(progressSummary([{ stage: 'read', seconds: 1 }, { stage: 'readFailed' }])).toBe(
      '已识别 1 张，共 2 张，1 张没能识别；一张一张识别，每张通常几秒钟。',
    );
    expect(
      progressSummary([
        { stage: 'read', seconds: 1 },
        { stage: 'read', seconds: 2 },
      ]),
    ).toBe('2 张票据都已识别。');
  });
});

describe('识别用时', () => {
  it("is the wait seen, or the read's recorded time when a photo read before answers at once (a walk: 6.0 秒, then 0.1 秒 after a reload)", () => {
    expect(readingElapsedMs(6_000, { totalMs: 5_200 })).toBe(6_000);
    expect(readingElapsedMs(100, { totalMs: 5_200 })).toBe(5_200);
    expect(readingElapsedMs(100, undefined)).toBe(100);
  });
});
