/**
 * Concurrency: two reviewers deciding the same claim at once (one wins, the other gets a conflict),
 * and 20 settlements for one insured person at once (no annual cap exceeded, ledger exact).
 */
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { invoke } from './framework';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { uploadMaterials, validForm, requiredMaterialIds } from '../../test/support/fixtures';
import type { LedgerDoc } from '../ledger';
import { actionsOn, filedClaim, withConfirmedFigure, type Actions } from '../../test/support/calls';
import type { ClaimDoc } from '../repositories/claims';
import { versionOf } from '../../test/support/review';

type Ports = Awaited<ReturnType<typeof embeddedPorts>>;

async function seedReviewPassed(ports: Ports, count: number): Promise<string[]> {
  const run = (...args: Parameters<Actions['ok']>): Promise<{ id: string }> => actionsOn(() => ports).ok(...args);
  const form = validForm();
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const { id } = await run(
      claimsFunction,
      callers.zhangsan,
      'submit',
      { form: { ...form, materials } },
      `concurrent-${index}`,
    );
    await run(reviewFunction, callers.reviewer, 'decide', { id, action: 'passPreliminary' });
    await run(reviewFunction, callers.reviewer, 'decide', { id, action: 'passReview' });
    await run(reviewFunction, callers.reviewer, 'receiveOriginals', { id });
    ids.push(id);
  }
  return ids;
}

/** 结算's payload as the reviewer page sends it: the status and version it read, and the figure its 结算预估 showed. */
async function seenToSettle(ports: Ports, id: string): Promise<unknown> {
  return withConfirmedFigure(reviewFunction, callers.reviewer, ports, {
    id,
    expectedStatus: 'reviewPassed',
    expectedVersion: await versionOf(ports.store, id),
  });
}

describe('concurrency', () => {
  it('two reviewers deciding the same claim at once: one wins, the other gets a conflict', async () => {
    const ports = await embeddedPorts({ clock: new FixedClock(new Date('2026-03-02T02:00:00Z')) });
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const submitted = await invoke(
      claimsFunction,
      { action: 'submit', payload: { form: { ...form, materials } }, requestId: 'race-request-1' },
      callers.zhangsan,
      ports,
    );
    expect(submitted.ok).toBe(true);
    const id = submitted.ok ? (submitted.data as { id: string }).id : '';
    const expectedVersion = await versionOf(ports.store, id);
    const [first, second] = await Promise.all([
      invoke(
        reviewFunction,
        { action: 'decide', payload: { id, expectedStatus: 'submitted', expectedVersion, action: 'passPreliminary' } },
        callers.reviewer,
        ports,
      ),
      invoke(
        reviewFunction,
        {
          action: 'decide',
          payload: {
            id,
            expectedStatus: 'submitted',
            expectedVersion,
            action: 'reject',
            reasonCode: 'notCovered',
          },
        },
        callers.reviewer2,
        ports,
      ),
    ]);
    const outcomes = [first, second];
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    const loser = outcomes.find((outcome) => !outcome.ok);
    expect(loser && !loser.ok && loser.error.code).toBe('CONFLICT');
    const stored = await ports.store.collection<ClaimDoc>('claims').get(id);
    expect(stored?.events).toHaveLength(2); // submit + the winner's decision, nothing half-written
  });

  it('20 settlements for one insured person at once: yearly limit never exceeded, ledger exact', async () => {
    const ports = await embeddedPorts({ clock: new FixedClock(new Date('2026-03-02T02:00:00Z')) });
    const ids = await seedReviewPassed(ports, 20);
    // Each reviewer retries when the store answers BUSY (a transaction that kept meeting the others:
    // nothing written), as the app does; on the cloud database 20 settlements of one ledger contend.
    // Each settles the figure its page showed; told the figure changed (another of the 20 settled first), it reads the
    // claim again and confirms the new one, as a reviewer does.
    const settle = async (id: string) => {
      for (let attempt = 0; ; attempt += 1) {
        const result = await invoke(
          reviewFunction,
          { action: 'settle', payload: await seenToSettle(ports, id) },
          callers.reviewer,
          ports,
        );
        if (result.ok || !['BUSY', 'SETTLEMENT_CHANGED'].includes(result.error.code) || attempt === 40) return result;
      }
    };
    const results = await Promise.all(ids.map(settle));
    expect(results.filter((result) => !result.ok)).toEqual([]);

    const claims = await ports.store.collection<ClaimDoc>('claims').find({ status: 'settled' });
    expect(claims).toHaveLength(20);
    const paid = claims.reduce((sum, claim) => sum + (claim.settlement?.fundPays ?? 0), 0);
    const [ledger] = await ports.store.collection<LedgerDoc>('ledgers').find({});
    // 大连 职工 outpatient sample: 500 元 deductible per year, 3,000 元 yearly limit.
    expect(paid).toBe(300_000);
    expect(ledger?.ledger.benefitPaid.outpatient).toBe(300_000);
    expect(ledger?.ledger.deductibleUsed.outpatient).toBe(50_000);
    expect(Object.keys(ledger?.entries ?? {}).sort()).toEqual([...ids].sort());
    const fromEntries = Object.values(ledger?.entries ?? {}).reduce((sum, entry) => sum + entry.result.fundPays, 0);
    expect(fromEntries).toBe(paid);
    expect(claims.filter((claim) => (claim.settlement?.capsHit.length ?? 0) > 0).length).toBeGreaterThan(0);
  }, 180_000);

  it('复核退回 takes the settlement out of the ledger; settling again is exact', async () => {
    const ports = await embeddedPorts({ clock: new FixedClock(new Date('2026-03-02T02:00:00Z')) });
    const [id] = await seedReviewPassed(ports, 1);
    await invoke(
      reviewFunction,
      { action: 'settle', payload: await seenToSettle(ports, id!) },
      callers.reviewer,
      ports,
    );
    const settled = (await ports.store.collection<LedgerDoc>('ledgers').find({}))[0]!.ledger.benefitPaid.outpatient;
    expect(settled).toBeGreaterThan(0);
    expect(
      await invoke(
        reviewFunction,
        {
          action: 'decide',
          payload: {
            id,
            expectedStatus: 'settled',
            expectedVersion: await versionOf(ports.store, id!),
            action: 'returnFromVerification',
            reasonText: '核对金额',
          },
        },
        callers.reviewer2,
        ports,
      ),
    ).toMatchObject({ ok: true });
    expect((await ports.store.collection<LedgerDoc>('ledgers').find({}))[0]!.ledger.benefitPaid.outpatient).toBe(0);
    await invoke(
      reviewFunction,
      { action: 'settle', payload: await seenToSettle(ports, id!) },
      callers.reviewer,
      ports,
    );
    expect((await ports.store.collection<LedgerDoc>('ledgers').find({}))[0]!.ledger.benefitPaid.outpatient).toBe(
      settled,
    );
  });
});

describe('复核退回 in the order of settlement (black-box probe)', () => {
  it('a settlement with a later one on the same ledger is not taken back first: the later one was figured on it', async () => {
    // Settled A took the year's 起付线, B (after it) none. 复核退回 of A, then 退回 of A, left B paid without it: 200.00 元
    // over, while the ledger still equalled the sum of settlements. Taking back the later first keeps every settlement
    // what the rules give on the ones before it.
    const ports = await embeddedPorts({ clock: new FixedClock(new Date('2026-03-02T02:00:00Z')) });
    const { ok, refused } = actionsOn(() => ports);
    const [first, later] = (await seedReviewPassed(ports, 2)) as [string, string];
    for (const id of [first, later]) await ok(reviewFunction, callers.reviewer, 'settle', { id });
    const takeBack = { action: 'returnFromVerification', reasonText: '核对金额' };
    expect(await refused(reviewFunction, callers.reviewer2, 'decide', { id: first, ...takeBack })).toMatchObject({
      code: 'LATER_SETTLEMENTS',
      message: expect.stringMatching(/之后还结算了 1 份申请（「.+」申请编号 YB[0-9A-F]{10}）/),
      details: { claimIds: [later] },
    });
    expect((await ports.store.collection<ClaimDoc>('claims').get(first))?.status).toBe('settled');
    // The later one first, then the first: both back, the ledger empty.
    await ok(reviewFunction, callers.reviewer2, 'decide', { id: later, ...takeBack });
    await ok(reviewFunction, callers.reviewer2, 'decide', { id: first, ...takeBack });
    const ledger = (await ports.store.collection<LedgerDoc>('ledgers').find({}))[0]!;
    expect(ledger.entries).toEqual({});
    expect(ledger.ledger.deductibleUsed.outpatient ?? 0).toBe(0);
  });
});

describe('a request id names one request (black-box probe)', () => {
  it('the id of 初审通过 sent again with 审核通过 is refused; the same 初审通过 again answers as the first', async () => {
    const ports = await embeddedPorts({ clock: new FixedClock(new Date('2026-03-02T02:00:00Z')) });
    const { call } = actionsOn(() => ports);
    const id = await filedClaim(ports, 'request-ids-0001');
    const step = { id, expectedStatus: 'submitted', expectedVersion: await versionOf(ports.store, id) };
    const passed = await call(
      reviewFunction,
      callers.reviewer,
      'decide',
      { ...step, action: 'passPreliminary' },
      'step-0001',
    );
    expect(passed).toMatchObject({ ok: true });
    expect(
      await call(reviewFunction, callers.reviewer, 'decide', { ...step, action: 'passPreliminary' }, 'step-0001'),
    ).toEqual(passed);
    const next = { id, expectedStatus: 'preliminaryPassed', expectedVersion: await versionOf(ports.store, id) };
    expect(
      await call(reviewFunction, callers.reviewer, 'decide', { ...next, action: 'passReview' }, 'step-0001'),
    ).toMatchObject({ ok: false, error: { code: 'REQUEST_ID_REUSED' } });
    expect((await ports.store.collection<ClaimDoc>('claims').get(id))?.status).toBe('preliminaryPassed');
  });
});
