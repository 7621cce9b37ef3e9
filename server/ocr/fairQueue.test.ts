import fc from 'fast-check';
import { FairQueue } from './fairQueue';

/** A piece of work that ends when the test says so. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FairQueue', () => {
  it('starts the piece of whoever started the fewest; every piece once; never more at once than allowed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 3 }),
        async (requesters, concurrency) => {
          const queue = new FairQueue(concurrency);
          const started: string[] = [];
          let running = 0;
          let most = 0;
          const results = requesters.map((requester, index) =>
            queue.run(requester, async () => {
              started.push(requester);
              running += 1;
              most = Math.max(most, running);
              await settle();
              running -= 1;
              return index;
            }),
          );
          expect(await Promise.all(results)).toEqual(requesters.map((_, index) => index));
          expect(started).toHaveLength(requesters.length);
          expect(most).toBeLessThanOrEqual(concurrency);
          // Past the first `concurrency` starts (those run at once as they are asked for), each start is of a
          // requester that had started no more pieces than any other requester with work still waiting.
          const total = new Map<string, number>();
          for (const requester of requesters) total.set(requester, (total.get(requester) ?? 0) + 1);
          const count = new Map<string, number>();
          started.forEach((requester, index) => {
            if (index >= concurrency) {
              const waitingCounts = [...total]
                .filter(([name, all]) => (count.get(name) ?? 0) < all)
                .map(([name]) => count.get(name) ?? 0);
              expect(count.get(requester) ?? 0).toBe(Math.min(...waitingCounts));
            }
            count.set(requester, (count.get(requester) ?? 0) + 1);
          });
          const seen = count;
          for (const requester of new Set(requesters))
            expect(seen.get(requester)).toBe(requesters.filter((name) => name === requester).length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a requester who comes later waits for the running piece only, not the whole line before it', async () => {
    const queue = new FairQueue(1);
    const order: string[] = [];
    const gates = Array.from({ length: 10 }, gate);
    const heavy = gates.map((g, index) =>
      queue.run('heavy', async () => {
        order.push(`heavy ${index}`);
        await g.promise;
      }),
    );
    await settle();
    const light = queue.run('light', async () => {
      order.push('light');
    });
    expect(queue.waiting).toBe(10);
    for (const g of gates) {
      g.open();
      await settle();
    }
    await Promise.all([...heavy, light]);
    // First in, first out would have put it after heavy 9.
    expect(order.indexOf('light')).toBe(1);
  });

  it('answers a failure to its requester only, and goes on with the others', async () => {
    const queue = new FairQueue(1);
    const failed = queue.run('a', async () => {
      throw new Error('unreadable');
    });
    const thrown = queue.run('b', () => {
      throw new Error('synchronous');
    });
    const fine = queue.run('c', async () => 'read');
    await expect(failed).rejects.toThrow('unreadable');
    await expect(thrown).rejects.toThrow('synchronous');
    await expect(fine).resolves.toBe('read');
    expect(queue.waiting).toBe(0);
  });

  it('refuses a concurrency that is not a positive whole number', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new FairQueue(bad)).toThrow(RangeError);
  });
});
