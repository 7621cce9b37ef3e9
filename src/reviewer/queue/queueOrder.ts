/**
 * The claims 待办 last showed, in its order, so a claim opened from it can offer the next one (下一份): a reviewer at a
 * desk went claim → 返回待办列表 → scroll → next row for every claim (a walk). Kept in memory for the session only (the
 * pages share one JavaScript context in the mini-program and in H5); a claim opened by a link finds nothing here and
 * offers no 下一份.
 */
export interface QueueEntry {
  id: string;
  title: string;
  /** What it waits for before this reviewer can take it on (the queue row's waitingFor); null or absent: theirs. */
  waitingFor?: string | null;
}

let shown: readonly QueueEntry[] = [];

/** What the queue shows now (each load and each 加载更多 replaces it with the whole list). */
export function rememberQueue(entries: readonly QueueEntry[]): void {
  shown = entries.map(({ id, title, waitingFor }) => ({ id, title, waitingFor: waitingFor ?? null }));
}

/**
 * The next claim after `id` in the list 待办 showed that this reviewer can take on (claims waiting for someone else —
 * the claimant's 补件, another 复核人员 — are passed over: a desk walk was offered them), or null: none after it, or a
 * claim the list did not show.
 */
export function nextInQueue(
  id: string,
  entries: readonly QueueEntry[] = shown,
): Pick<QueueEntry, 'id' | 'title'> | null {
  const at = entries.findIndex((entry) => entry.id === id);
  if (at < 0) return null;
  const next = entries.slice(at + 1).find((entry) => !entry.waitingFor);
  return next ? { id: next.id, title: next.title } : null;
}
