/**
 * The claims 待办 last showed, in its order, so a claim opened from it can offer the next one (下一份): a reviewer at a
 * desk went claim → 返回待办列表 → scroll → next row for every claim (a walk). Kept in memory for the session only (the
 * pages share one JavaScript context in the mini-program and in H5); a claim opened by a link finds nothing here and
 * offers no 下一份.
 */
export interface QueueEntry {
  id: string;
  title: string;
}

let shown: readonly QueueEntry[] = [];

/** What the queue shows now (each load and each 加载更多 replaces it with the whole list). */
export function rememberQueue(entries: readonly QueueEntry[]): void {
  shown = entries.map(({ id, title }) => ({ id, title }));
}

/** The claim after `id` in the list 待办 showed, or null: the last one, or a claim the list did not show. */
export function nextInQueue(id: string, entries: readonly QueueEntry[] = shown): QueueEntry | null {
  const at = entries.findIndex((entry) => entry.id === id);
  return at >= 0 ? (entries[at + 1] ?? null) : null;
}
