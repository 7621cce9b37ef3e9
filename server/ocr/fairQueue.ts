/**
 * Work shared by every caller of the server (the QR reader's one thread, the OCR's processes), taken in turns: each
 * requester (an account) has a line of its own, and the next piece to start is from the line that started the fewest
 * since it was last empty. A claimant who sends twenty large photos at once no longer makes the next claimant wait for
 * all twenty: the next claimant's first piece starts as soon as a running piece ends.
 * Pure TypeScript: no Node, no wx.
 */
export class FairQueue {
  private running = 0;
  /**
   * Requesters with work waiting or running, in the order they first asked (a Map keeps insertion order): the pieces
   * waiting, and how many of theirs started since they last had none waiting or running.
   */
  private readonly lines = new Map<string, { waiting: Array<() => void>; started: number; running: number }>();

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('FairQueue: concurrency ≥ 1');
  }

  /** Pieces of work waiting (not started), for all requesters. */
  get waiting(): number {
    let count = 0;
    for (const line of this.lines.values()) count += line.waiting.length;
    return count;
  }

  /** Runs `work` in `requester`'s turn; answers what it answers. */
  run<T>(requester: string, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let line = this.lines.get(requester);
      if (!line) this.lines.set(requester, (line = { waiting: [], started: 0, running: 0 }));
      const owner = line;
      owner.waiting.push(() => {
        this.running += 1;
        owner.running += 1;
        owner.started += 1;
        let promise: Promise<T>;
        try {
          promise = work();
        } catch (error) {
          promise = Promise.reject(error);
        }
        promise.then(resolve, reject).finally(() => {
          this.running -= 1;
          owner.running -= 1;
          if (owner.running === 0 && owner.waiting.length === 0) this.lines.delete(requester);
          this.startNext();
        });
      });
      this.startNext();
    });
  }

  /** The next piece: of the requester with work waiting who started the fewest (the one who asked first on a tie). */
  private startNext(): void {
    while (this.running < this.concurrency) {
      let next: { waiting: Array<() => void>; started: number } | null = null;
      for (const line of this.lines.values())
        if (line.waiting.length > 0 && (next === null || line.started < next.started)) next = line;
      if (!next) return;
      next.waiting.shift()!();
    }
  }
}
