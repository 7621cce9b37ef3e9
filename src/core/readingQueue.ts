/**
 * Receipt photos of one claim read in one queue (issue 13): the server reads one photo at a time
 * (its OCR uses every core), so the app sends them one after the other, in the order they were
 * taken, instead of all at once (where every photo waits for all of them). Pure: the app keeps the
 * queue in memory (src/services/receipts.ts) and draws one progress line per photo from it.
 *
 * waiting ──next──▶ reading ──finish──▶ (out of the queue: done or failed, kept by the caller)
 */

export interface ReadingQueue {
  /** FileIDs waiting, first to read first. */
  waiting: string[];
  /** The fileID being read, if any. */
  reading: string | null;
}

export function emptyReadingQueue(): ReadingQueue {
  return { waiting: [], reading: null };
}

/** Adds a photo at the end; a photo already waiting or being read is not added twice. */
export function enqueueRead(queue: ReadingQueue, fileID: string): ReadingQueue {
  if (queue.reading === fileID || queue.waiting.includes(fileID)) return queue;
  return { ...queue, waiting: [...queue.waiting, fileID] };
}

/** The next photo to read, when none is being read: it leaves `waiting` and becomes `reading`. */
export function startNextRead(queue: ReadingQueue): { queue: ReadingQueue; fileID: string | null } {
  if (queue.reading !== null || queue.waiting.length === 0) return { queue, fileID: null };
  const [fileID, ...waiting] = queue.waiting as [string, ...string[]];
  return { queue: { waiting, reading: fileID }, fileID };
}

/** The photo being read finished (read or failed). Any other fileID leaves the queue unchanged. */
export function finishRead(queue: ReadingQueue, fileID: string): ReadingQueue {
  return queue.reading === fileID ? { ...queue, reading: null } : queue;
}

/** Photos read before this one: the one being read and those waiting ahead of it (-1 when it is not waiting). */
export function photosAhead(queue: ReadingQueue, fileID: string): number {
  const index = queue.waiting.indexOf(fileID);
  if (index < 0) return -1;
  return index + (queue.reading !== null ? 1 : 0);
}

/** Where one photo of the claim stands, from its upload to its reading. */
export type PhotoProgress =
  | { stage: 'uploading'; percent: number }
  | { stage: 'uploadQueued' }
  | { stage: 'uploadFailed' }
  | { stage: 'waiting'; ahead: number }
  | { stage: 'reading'; seconds: number }
  /** `nothingRead`: no field of a receipt was read (a plain picture, a blank page, a photo too blurred). */
  | { stage: 'read'; seconds: number; nothingRead?: boolean }
  | { stage: 'readFailed' };

/** One progress line, as a sentence: 「第 2 张票据：正在识别，已用 3 秒。」 */
export function progressLine(number: number, progress: PhotoProgress): string {
  const which = `第 ${number} 张票据：`;
  switch (progress.stage) {
    case 'uploadQueued':
      return `${which}等待上传。`;
    case 'uploading':
      return `${which}正在上传，已完成 ${Math.max(0, Math.min(99, Math.round(progress.percent)))}%。`;
    case 'uploadFailed':
      return `${which}没能上传，请在「上传材料」里重试。`;
    case 'waiting':
      return progress.ahead > 0 ? `${which}排队等待识别，前面还有 ${progress.ahead} 张。` : `${which}马上开始识别。`;
    case 'reading':
      return progress.seconds >= 1 ? `${which}正在识别，已用 ${progress.seconds} 秒。` : `${which}正在识别。`;
    case 'read':
      // Nothing of a receipt on it is not 已识别 (a walk: a plain picture was 已识别 above a card saying nothing was read).
      return progress.nothingRead
        ? `${which}没有认出票据上的内容（用时 ${progress.seconds.toFixed(1)} 秒），请看下面的说明。`
        : `${which}已识别，用时 ${progress.seconds.toFixed(1)} 秒，请在下面核对。`;
    case 'readFailed':
      return `${which}没能识别，可以重新识别，或自己填写。`;
  }
}

/** A summary over the claim's photos: 「已识别 2 张，共 3 张。」 */
export function progressSummary(lines: readonly PhotoProgress[]): string {
  const read = lines.filter((line) => line.stage === 'read' && !line.nothingRead).length;
  const blank = lines.filter((line) => line.stage === 'read' && line.nothingRead).length;
  const failed = lines.filter((line) => line.stage === 'readFailed').length;
  if (read === lines.length) return `${lines.length} 张票据都已识别。`;
  const blankText = blank > 0 ? `，${blank} 张没有认出票据内容` : '';
  if (read + blank === lines.length) return `已识别 ${read} 张，共 ${lines.length} 张${blankText}，请看下面的说明。`;
  return `已识别 ${read} 张，共 ${lines.length} 张${blankText}${failed > 0 ? `，${failed} 张没能识别` : ''}；一张一张识别，每张通常几秒钟。`;
}

/**
 * How long a photo's reading took, as 识别用时 says it: the wait the person saw, or — when the answer came at once
 * because the photo was read before (a reload asks again) — the read's own time as the server recorded it (a walk
 * read 识别用时 6.0 秒, then 0.1 秒 for the same photo after a reload).
 */
export function readingElapsedMs(waitedMs: number, recorded: { totalMs: number } | undefined): number {
  return Math.max(waitedMs, recorded?.totalMs ?? 0);
}
