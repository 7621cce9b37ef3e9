import { transactionScope } from './transactionScope';

describe('transactionScope', () => {
  const storeA = {};
  const storeB = {};

  it('knows the store whose transaction the code is in, across awaits, and nothing outside', async () => {
    expect(transactionScope.inside(storeA)).toBe(false);
    await transactionScope.run(storeA, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(transactionScope.inside(storeA)).toBe(true);
      expect(transactionScope.inside(storeB)).toBe(false);
    });
    expect(transactionScope.inside(storeA)).toBe(false);
  });

  it("keeps the outer store inside another store's transaction", async () => {
    await transactionScope.run(storeA, () =>
      transactionScope.run(storeB, async () => {
        await Promise.resolve();
        expect([transactionScope.inside(storeA), transactionScope.inside(storeB)]).toEqual([true, true]);
      }),
    );
  });

  it('does not leak into work started at the same time outside the transaction', async () => {
    let outside: boolean | null = null;
    await Promise.all([
      transactionScope.run(storeA, () => new Promise((resolve) => setTimeout(resolve, 5))),
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        outside = transactionScope.inside(storeA);
      })(),
    ]);
    expect(outside).toBe(false);
  });
});
