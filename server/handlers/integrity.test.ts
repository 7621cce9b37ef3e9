/**
 * Regression tests for what the black-box probe of issue 9 found on the write path, each as the
 * probe did it (concurrent calls through the handlers) and checked by its invariant, not its reply.
 */
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { invoke, type Envelope, type FunctionDefinition } from './framework';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { asSeen } from '../../test/support/review';
import { withConfirmedFigure } from '../../test/support/calls';
import { uploadMaterials, validForm, requiredMaterialIds } from '../../test/support/fixtures';
import type { ClaimFormInput } from '../../src/core/contracts/claim';
import type { MaterialId } from '../../src/core/materials';
import type { LedgerDoc } from '../ledger';
import type { ReceiptKeyDoc } from '../receipts/registry';
import type { Caller } from '../ports';
import type { ClaimDoc } from '../repositories/claims';

type Ports = Awaited<ReturnType<typeof embeddedPorts>>;

async function setUp(): Promise<{
  ports: Ports;
  call: (
    fn: FunctionDefinition,
    caller: Caller,
    action: string,
    payload: unknown,
    requestId?: string,
  ) => Promise<Envelope<unknown>>;
}> {
  const ports = await embeddedPorts({ clock: new FixedClock(new Date('2026-03-02T02:00:00Z')) });
  // A review step that names the status carries the version of the claim as read just before the call (one that names
  // no status is sent as it is: refusing it is what a test checks).
  const call = async (fn: FunctionDefinition, caller: Caller, action: string, payload: unknown, requestId?: string) => {
    const seen =
      fn === reviewFunction && typeof payload === 'object' && payload !== null && 'expectedStatus' in payload
        ? await asSeen(ports.store, action, payload)
        : payload;
    // 结算 with the figure the page showed, as the reviewer page sends it.
    const sent = seen !== payload && action === 'settle' ? await withConfirmedFigure(fn, caller, ports, seen) : seen;
    return invoke(fn, { action, payload: sent, ...(requestId ? { requestId } : {}) }, caller, ports);
  };
  return { ports, call };
}

const requiredMaterials = (form: ClaimFormInput): MaterialId[] => requiredMaterialIds(form);

function idOf(result: Envelope<unknown>): string {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return (result.data as { id: string }).id;
}

async function claimInReviewPassed(
  ports: Ports,
  call: Awaited<ReturnType<typeof setUp>>['call'],
  requestId: string,
): Promise<string> {
  const form = validForm();
  const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterials(form));
  const id = idOf(await call(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials } }, requestId));
  for (const [action, payload] of [
    ['decide', { action: 'passPreliminary', expectedStatus: 'submitted' }],
    ['decide', { action: 'passReview', expectedStatus: 'preliminaryPassed' }],
    ['receiveOriginals', { expectedStatus: 'reviewPassed' }],
  ] as const) {
    idOf(await call(reviewFunction, callers.reviewer, action, { id, ...payload }));
  }
  return id;
}

const claimsOfStore = (ports: Ports) => ports.store.collection<ClaimDoc>('claims');

describe('issue 9 regressions: the write path', () => {
  it.each([1, 2, 3, 4, 5])(
    '1. two reviewers settle the same claim at once (round %i): one settles, the ledger keeps it',
    async () => {
      const { ports, call } = await setUp();
      const id = await claimInReviewPassed(ports, call, `settle-race-${Date.now()}`);
      const outcomes = await Promise.all([
        call(reviewFunction, callers.reviewer, 'settle', { id, expectedStatus: 'reviewPassed' }),
        call(reviewFunction, { ...callers.reviewer2, openid: 'dev-openid-reviewer3' }, 'settle', {
          id,
          expectedStatus: 'reviewPassed',
        }),
      ]);
      expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
      expect(outcomes.find((outcome) => !outcome.ok)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      const claim = await claimsOfStore(ports).get(id);
      const [ledger] = await ports.store.collection<LedgerDoc>('ledgers').find({});
      expect(claim?.settlement?.fundPays).toBeGreaterThan(0);
      expect(Object.keys(ledger?.entries ?? {})).toEqual([id]);
      expect(ledger?.ledger.deductibleUsed.outpatient).toBe(claim?.settlement?.deductibleTaken);
      expect(ledger?.ledger.inPolicyCost.outpatient).toBe(claim?.settlement?.inPolicy);
      expect(ledger?.ledger.benefitPaid.outpatient).toBe(claim?.settlement?.fundPays);
    },
  );

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    '2. the same submit sent 5× at once (round %i) makes one claim and keeps its receipts held',
    async () => {
      const { ports, call } = await setUp();
      const form = validForm();
      const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterials(form));
      const payload = { form: { ...form, materials } };
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, () => call(claimsFunction, callers.zhangsan, 'submit', payload, 'same-submit-0001')),
      );
      expect(new Set(outcomes.map(idOf)).size).toBe(1);
      expect(await claimsOfStore(ports).count({})).toBe(1);
      const again = await call(claimsFunction, callers.zhangsan, 'submit', payload, 'another-submit-0002');
      expect(again).toMatchObject({ ok: false, error: { code: 'DUPLICATE_RECEIPT' } });
      expect(await claimsOfStore(ports).count({})).toBe(1);
      const held = await ports.store.collection<ReceiptKeyDoc>('receiptKeys').find({});
      expect(held.length).toBeGreaterThan(0);
      expect(new Set(held.map((key) => key.claimId))).toEqual(new Set([idOf(outcomes[0]!)]));
    },
  );

  it('2b. 结算 names the figure the reviewer confirmed: without one it is refused, nothing written (a probe: eight settles without it, the last two paid 227.72 and 0 元 unconfirmed)', async () => {
    const { ports, call } = await setUp();
    const id = await claimInReviewPassed(ports, call, 'settle-unconfirmed-1');
    const before = await claimsOfStore(ports).get(id);
    const unconfirmed = await invoke(
      reviewFunction,
      { action: 'settle', payload: { id, expectedStatus: 'reviewPassed', expectedVersion: before!.version } },
      callers.reviewer,
      ports,
    );
    expect(unconfirmed).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'expectedPaidFen', message: '缺少您确认的结算金额，请刷新页面，核对结算预估后再结算' }],
      },
    });
    expect(await claimsOfStore(ports).get(id)).toEqual(before);
    expect(await ports.store.collection('ledgers').count({})).toBe(0);
  });

  it('3. two different decisions at the same instant: one is taken, the other answers CONFLICT; one event', async () => {
    const { ports, call } = await setUp();
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterials(form));
    const id = idOf(
      await call(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials } }, 'decide-race-01'),
    );
    const outcomes = await Promise.all([
      call(reviewFunction, callers.reviewer, 'decide', { id, expectedStatus: 'submitted', action: 'passPreliminary' }),
      call(reviewFunction, callers.reviewer2, 'decide', {
        id,
        expectedStatus: 'submitted',
        action: 'reject',
        reasonCode: 'notCovered',
      }),
    ]);
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.find((outcome) => !outcome.ok)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((await claimsOfStore(ports).get(id))?.events.map((event) => event.action)).toHaveLength(2);
    // Without the status it saw, a decision is refused: the caller must say what it decided on.
    expect(
      await call(reviewFunction, callers.reviewer, 'decide', { id, action: 'reject', reasonCode: 'notCovered' }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('4. four eyes: whoever did 审核 cannot 复核, even when someone else settled', async () => {
    const { ports, call } = await setUp();
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterials(form));
    const id = idOf(
      await call(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials } }, 'four-eyes-001'),
    );
    const third: Caller = { openid: 'dev-openid-reviewer3', roles: ['claimant', 'reviewer', 'secondReviewer'] };
    idOf(
      await call(reviewFunction, callers.reviewer, 'decide', {
        id,
        expectedStatus: 'submitted',
        action: 'passPreliminary',
      }),
    );
    idOf(
      await call(reviewFunction, callers.reviewer2, 'decide', {
        id,
        expectedStatus: 'preliminaryPassed',
        action: 'passReview',
      }),
    );
    idOf(await call(reviewFunction, callers.reviewer, 'receiveOriginals', { id, expectedStatus: 'reviewPassed' }));
    idOf(await call(reviewFunction, callers.reviewer, 'settle', { id, expectedStatus: 'reviewPassed' }));
    expect(await call(reviewFunction, callers.reviewer2, 'verify', { id, expectedStatus: 'settled' })).toMatchObject({
      ok: false,
      error: { code: 'FOUR_EYES' },
    });
    expect(await call(reviewFunction, third, 'verify', { id, expectedStatus: 'settled' })).toMatchObject({ ok: true });
  });

  it('4b. four eyes: whoever corrected the line items cannot 复核 either (they set the figures settled)', async () => {
    const { ports, call } = await setUp();
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterials(form));
    const id = idOf(
      await call(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials } }, 'four-eyes-002'),
    );
    const third: Caller = { openid: 'dev-openid-reviewer3', roles: ['claimant', 'reviewer', 'secondReviewer'] };
    expect(
      await call(reviewFunction, callers.reviewer2, 'editLineItems', {
        id,
        expectedStatus: 'submitted',
        reason: '金额核对有误',
        lineItems: [{ name: '西药费', amountFen: 999_999, category: 'A' }],
      }),
    ).toMatchObject({ ok: true });
    for (const [action, status] of [
      ['passPreliminary', 'submitted'],
      ['passReview', 'preliminaryPassed'],
    ] as const)
      idOf(await call(reviewFunction, callers.reviewer, 'decide', { id, expectedStatus: status, action }));
    idOf(await call(reviewFunction, callers.reviewer, 'receiveOriginals', { id, expectedStatus: 'reviewPassed' }));
    idOf(await call(reviewFunction, callers.reviewer, 'settle', { id, expectedStatus: 'reviewPassed' }));
    expect(await call(reviewFunction, callers.reviewer2, 'verify', { id, expectedStatus: 'settled' })).toMatchObject({
      ok: false,
      error: { code: 'FOUR_EYES' },
    });
    expect(await call(reviewFunction, third, 'verify', { id, expectedStatus: 'settled' })).toMatchObject({ ok: true });
  });

  it.each(['toString', 'hasOwnProperty', 'constructor', '__proto__'])(
    '5. reason code %s is not a reason',
    async (reasonCode) => {
      const { ports, call } = await setUp();
      const form = validForm();
      const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterials(form));
      const id = idOf(
        await call(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials } }, 'reason-code-01'),
      );
      expect(
        await call(reviewFunction, callers.reviewer, 'decide', {
          id,
          expectedStatus: 'submitted',
          action: 'reject',
          reasonCode,
        }),
      ).toMatchObject({ ok: false, error: { code: 'REASON_UNKNOWN' } });
      expect((await claimsOfStore(ports).get(id))?.status).toBe('submitted');
    },
  );

  it('7. refused calls leave no record behind', async () => {
    const { ports, call } = await setUp();
    const form = validForm();
    expect(
      await call(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials: {} } }, 'refused-0001'),
    ).toMatchObject({ ok: false, error: { code: 'MATERIALS_MISSING' } });
    expect(await call(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials: {} } })).toMatchObject({
      ok: false,
      error: { code: 'MATERIALS_MISSING' },
    });
    const others = await uploadMaterials(ports.files, callers.lisi.openid, ['invoice']);
    expect(
      await call(claimsFunction, callers.zhangsan, 'saveDraft', { form: {}, materials: others }, 'refused-0002'),
    ).toMatchObject({ ok: false, error: { code: 'FILE_FORBIDDEN' } });
    expect(
      await call(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials: others } }, 'refused-0003'),
    ).toMatchObject({ ok: false, error: { code: 'FILE_FORBIDDEN' } });
    expect(await claimsOfStore(ports).count({})).toBe(0);
    expect(await ports.store.collection('receiptKeys').count({})).toBe(0);
  });

  it('12. someone else’s claim answers as a made-up id does; the amount of a draft is not the caller’s to declare', async () => {
    const { call } = await setUp();
    const id = idOf(
      await call(claimsFunction, callers.zhangsan, 'saveDraft', { form: {}, materials: {} }, 'mine-000001'),
    );
    const theirs = await call(claimsFunction, callers.lisi, 'get', { id });
    const madeUp = await call(claimsFunction, callers.lisi, 'get', { id: 'f'.repeat(32) });
    expect(theirs).toEqual(madeUp);
    expect(
      await call(claimsFunction, callers.zhangsan, 'createDraft', { title: '门诊', amountFen: 9_999_999 }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('13. a correction and a 初审通过 at once, each from the claim as loaded: one lands; a step without the version is refused', async () => {
    const { ports, call } = await setUp();
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterials(form));
    const id = idOf(
      await call(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials } }, 'seen-0001'),
    );
    const loaded = { id, expectedStatus: 'submitted', expectedVersion: (await claimsOfStore(ports).get(id))!.version };
    const lineItems = form.lineItems.map((item, index) =>
      index === 0 ? { ...item, amountFen: item.amountFen - 100 } : item,
    );
    const step = (caller: Caller, action: string, payload: object) =>
      invoke(reviewFunction, { action, payload: { ...loaded, ...payload } }, caller, ports);
    const outcomes = await Promise.all([
      step(callers.reviewer, 'editLineItems', { lineItems, reason: '按清单核减' }),
      step({ ...callers.reviewer, openid: 'dev-openid-reviewer3' }, 'decide', { action: 'passPreliminary' }),
    ]);
    // Both landed when the 初审通过 was sent with the status alone (the status stays 待初审 through a correction).
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.find((outcome) => !outcome.ok)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect((await claimsOfStore(ports).get(id))!.events).toHaveLength(2);

    const now = await claimsOfStore(ports).get(id);
    const { expectedVersion: _dropped, ...withoutVersion } = { ...loaded, expectedStatus: now!.status };
    const refused = await invoke(
      reviewFunction,
      { action: 'decide', payload: { ...withoutVersion, action: 'reject', reasonCode: 'notCovered' } },
      callers.reviewer2,
      ports,
    );
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'expectedVersion', message: '缺少申请的版本，请刷新页面后再操作' }],
      },
    });
    expect((await claimsOfStore(ports).get(id))!.version).toBe(now!.version);
  });
});
