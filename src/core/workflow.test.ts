import fc from 'fast-check';
import { claimStatusSchema, type ClaimStatus } from './contracts/claimDraft';
import { DomainError } from './errors';
import {
  applyTransition,
  availableActions,
  canWithdraw,
  claimTimeline,
  timelineRows,
  describeEvent,
  rejectReasons,
  supplementReasons,
  transitions,
  waitingFor,
  workflowActions,
  type Actor,
  type AuditEvent,
  type ClaimWorkflowState,
  type TransitionInput,
  type WorkflowAction,
} from './workflow';
import { claimStatusText } from './statusLabels';

const NOW = new Date('2025-09-30T15:59:00.000Z');
const statuses = claimStatusSchema.options;

const actors = {
  owner: { id: 'owner', roles: ['claimant'] },
  otherClaimant: { id: 'other', roles: ['claimant'] },
  reviewer: { id: 'rev1', roles: ['claimant', 'reviewer'] },
  secondReviewer: { id: 'rev2', roles: ['claimant', 'secondReviewer'] },
  bothRoles: { id: 'rev3', roles: ['claimant', 'reviewer', 'secondReviewer', 'operator'] },
  settler: { id: 'settler', roles: ['claimant', 'reviewer', 'secondReviewer'] },
  ownerWhoReviews: { id: 'owner', roles: ['claimant', 'reviewer', 'secondReviewer'] },
  anonymous: { id: 'anon', roles: [] },
} satisfies Record<string, Actor>;
type ActorKind = keyof typeof actors;
const actorKinds = Object.keys(actors) as ActorKind[];

/** Everything any action could need, valid. */
const fullInput: TransitionInput = {
  reasonCode: 'other',
  reasonText: '测试原因',
  materials: ['invoice'],
  missingMaterials: [],
  figures: { fundFen: 12_345 },
  policyVersion: 'dl-2025.1',
  reference: 'PB-TEST-0001',
  originalsSent: { method: 'mail', trackingNumber: 'SF1234567890' },
  receiptPhoto: 'cloud://env/receipts/one.jpg',
};

const stateIn = (status: ClaimStatus): ClaimWorkflowState => ({
  status,
  ownerId: 'owner',
  settledBy: 'settler',
  handledBy: ['settler'],
  paperOriginalsRequired: false,
});
/** The state each action is tried in: 原件寄出 only exists for a claim whose policy wants paper originals. */
const stateFor = (action: WorkflowAction, status: ClaimStatus): ClaimWorkflowState => {
  if (action === 'recordOriginalsSent') return { ...stateIn(status), paperOriginalsRequired: true };
  // 办结（无需支付） only exists for a claim settled at 0 元.
  if (action === 'closeWithoutPayment') return { ...stateIn(status), payableFen: 0 };
  // 确认已支付 only exists for a claim in a payment batch (the one `fullInput` names).
  if (action === 'markPaid') return { ...stateIn(status), paymentBatch: 'PB-TEST-0001' };
  return stateIn(status);
};

type Outcome = 'ok' | 'ROLE_FORBIDDEN' | 'NOT_OWNER' | 'SELF_REVIEW' | 'FOUR_EYES';
// Who gets what, written out by hand for each kind of actor (in an allowed status).
const ownerOnly: Record<ActorKind, Outcome> = {
  owner: 'ok',
  otherClaimant: 'NOT_OWNER',
  reviewer: 'NOT_OWNER',
  secondReviewer: 'NOT_OWNER',
  bothRoles: 'NOT_OWNER',
  settler: 'NOT_OWNER',
  ownerWhoReviews: 'ok',
  anonymous: 'ROLE_FORBIDDEN',
};
const reviewerOnly: Record<ActorKind, Outcome> = {
  owner: 'ROLE_FORBIDDEN',
  otherClaimant: 'ROLE_FORBIDDEN',
  reviewer: 'ok',
  secondReviewer: 'ROLE_FORBIDDEN',
  bothRoles: 'ok',
  settler: 'ok',
  ownerWhoReviews: 'SELF_REVIEW',
  anonymous: 'ROLE_FORBIDDEN',
};
const secondReviewerNotSettler: Record<ActorKind, Outcome> = {
  owner: 'ROLE_FORBIDDEN',
  otherClaimant: 'ROLE_FORBIDDEN',
  reviewer: 'ROLE_FORBIDDEN',
  secondReviewer: 'ok',
  bothRoles: 'ok',
  settler: 'FOUR_EYES',
  ownerWhoReviews: 'SELF_REVIEW',
  anonymous: 'ROLE_FORBIDDEN',
};
const anyReviewer: Record<ActorKind, Outcome> = {
  owner: 'ROLE_FORBIDDEN',
  otherClaimant: 'ROLE_FORBIDDEN',
  reviewer: 'ok',
  secondReviewer: 'ok',
  bothRoles: 'ok',
  settler: 'ok',
  ownerWhoReviews: 'SELF_REVIEW',
  anonymous: 'ROLE_FORBIDDEN',
};
// The specification, written out by hand: where each action may start, where it leads, and what each
// kind of actor gets when the claim is in an allowed status. (Role, owner and self-review refusals
// come before the status check; four eyes after it.)
const spec: Record<
  WorkflowAction,
  {
    from: ClaimStatus[];
    to: ClaimStatus | 'same';
    /** Where a step that otherwise keeps the status leads from these statuses. */
    returnsTo?: Partial<Record<ClaimStatus, ClaimStatus>>;
    actors: Record<ActorKind, Outcome>;
  }
> = {
  submit: { from: ['draft'], to: 'submitted', actors: ownerOnly },
  withdraw: { from: ['draft', 'submitted', 'supplementRequested'], to: 'withdrawn', actors: ownerOnly },
  answerSupplement: { from: ['supplementRequested'], to: 'submitted', actors: ownerOnly },
  passPreliminary: { from: ['submitted'], to: 'preliminaryPassed', actors: reviewerOnly },
  passReview: { from: ['preliminaryPassed'], to: 'reviewPassed', actors: reviewerOnly },
  requestSupplement: {
    from: ['submitted', 'preliminaryPassed', 'reviewPassed'],
    to: 'supplementRequested',
    actors: reviewerOnly,
  },
  reject: { from: ['submitted', 'preliminaryPassed', 'reviewPassed'], to: 'rejected', actors: reviewerOnly },
  settle: { from: ['reviewPassed'], to: 'settled', actors: reviewerOnly },
  verify: { from: ['settled'], to: 'verified', actors: secondReviewerNotSettler },
  returnFromVerification: { from: ['settled'], to: 'reviewPassed', actors: secondReviewerNotSettler },
  markPaid: { from: ['verified'], to: 'paid', actors: anyReviewer },
  receiveOriginals: {
    from: ['submitted', 'preliminaryPassed', 'reviewPassed', 'supplementRequested'],
    to: 'same',
    actors: anyReviewer,
  },
  // A correction after 审核通过 changes the figures 审核 approved: 审核 again (a money probe: settled unreviewed).
  correctLineItems: {
    from: ['submitted', 'preliminaryPassed', 'reviewPassed'],
    to: 'same',
    returnsTo: { reviewPassed: 'preliminaryPassed' },
    actors: reviewerOnly,
  },
  readReceipt: { from: ['submitted', 'preliminaryPassed', 'reviewPassed'], to: 'same', actors: reviewerOnly },
  batchForPayment: { from: ['verified'], to: 'same', actors: anyReviewer },
  recordOriginalsSent: {
    from: ['submitted', 'preliminaryPassed', 'reviewPassed', 'supplementRequested'],
    to: 'same',
    actors: ownerOnly,
  },
  closeWithoutPayment: { from: ['verified'], to: 'paid', actors: anyReviewer },
};

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('transitions as data', () => {
  it('has exactly one transition per action, matching the hand-written specification', () => {
    expect(transitions.map((transition) => transition.action)).toEqual([...workflowActions]);
    for (const transition of transitions) {
      const expected = spec[transition.action];
      expect([...transition.from].sort()).toEqual([...expected.from].sort());
      expect(transition.to).toBe(expected.to === 'same' ? 'unchanged' : expected.to);
      expect(transition.returnsTo).toEqual(expected.returnsTo);
      expect(transition.label).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('withdraw only before review', () => {
    expect(statuses.filter(canWithdraw)).toEqual(['draft', 'submitted', 'supplementRequested']);
  });
});

describe.each(workflowActions)('%s: every status × every kind of actor', (action) => {
  const rows = statuses.flatMap((status) => actorKinds.map((kind) => [status, kind] as const));
  it.each(rows)('in %s by %s', (status, kind) => {
    const rule = spec[action];
    const byActor = rule.actors[kind];
    let expected: string;
    if (byActor === 'ROLE_FORBIDDEN' || byActor === 'NOT_OWNER' || byActor === 'SELF_REVIEW') expected = byActor;
    else if (!rule.from.includes(status)) expected = 'TRANSITION_NOT_ALLOWED';
    else expected = byActor;

    const state = stateFor(action, status);
    const actor = actors[kind];
    let result: ReturnType<typeof applyTransition> | undefined;
    const code = codeOf(() => {
      result = applyTransition(state, action, actor, fullInput, NOW);
    });
    expect(code).toBe(expected);
    expect(availableActions(state, actor).some((transition) => transition.action === action)).toBe(expected === 'ok');
    if (result) {
      const to = rule.returnsTo?.[status] ?? (rule.to === 'same' ? status : rule.to);
      expect(result.state.status).toBe(to);
      expect(result.event).toMatchObject({
        action,
        actor: actor.id,
        at: NOW.toISOString(),
        from: status,
        to,
        policyVersion: 'dl-2025.1',
      });
      expect(actor.roles).toContain(result.event.role);
    }
  });
});

describe('requirements', () => {
  const reviewer = actors.reviewer;

  it('a reason code is looked up as an own entry of the list only (toString, __proto__, constructor are unknown)', () => {
    for (const reasonCode of ['toString', 'hasOwnProperty', 'constructor', '__proto__', 'valueOf']) {
      expect(codeOf(() => applyTransition(stateIn('submitted'), 'reject', reviewer, { reasonCode }, NOW))).toBe(
        'REASON_UNKNOWN',
      );
      expect(
        codeOf(() =>
          applyTransition(
            stateIn('submitted'),
            'requestSupplement',
            reviewer,
            { reasonCode, materials: ['invoice'] },
            NOW,
          ),
        ),
      ).toBe('REASON_UNKNOWN');
    }
  });

  it('a 补件 request names each material once (invoice ×3 was taken and read 还缺少 the invoice three times)', () => {
    const request = (materials: TransitionInput['materials']) => () =>
      applyTransition(
        stateIn('submitted'),
        'requestSupplement',
        reviewer,
        { reasonCode: 'invoiceUnclear', materials },
        NOW,
      );
    expect(codeOf(request(['invoice', 'invoice', 'invoice']))).toBe('VALIDATION_FAILED');
    expect(codeOf(request(['invoice', 'itemizedList']))).toBe('ok');
  });

  it('four eyes: whoever took 初审, 审核 or 结算 cannot 复核; the history decides, not only the settler', () => {
    const second = actors.bothRoles;
    let state: ClaimWorkflowState = { status: 'submitted', ownerId: 'owner', paperOriginalsRequired: false };
    state = applyTransition(state, 'passPreliminary', actors.reviewer, {}, NOW).state;
    state = applyTransition(state, 'passReview', second, {}, NOW).state;
    state = applyTransition(state, 'settle', actors.settler, { figures: { totalPaid: 1 } }, NOW).state;
    expect(state.handledBy).toEqual(['rev1', 'rev3', 'settler']);
    expect(codeOf(() => applyTransition(state, 'verify', second, {}, NOW))).toBe('FOUR_EYES');
    expect(codeOf(() => applyTransition(state, 'returnFromVerification', second, { reasonText: '核对' }, NOW))).toBe(
      'FOUR_EYES',
    );
    expect(codeOf(() => applyTransition(state, 'verify', actors.secondReviewer, {}, NOW))).toBe('ok');
  });

  it("waitingFor: the next step of a claim is this reviewer's, or the sentence of what it waits for (下一份 skips those)", () => {
    const at = (status: ClaimStatus, extra: Partial<ClaimWorkflowState> = {}): ClaimWorkflowState => ({
      status,
      ownerId: 'owner',
      paperOriginalsRequired: false,
      ...extra,
    });
    expect(waitingFor(at('submitted'), actors.reviewer)).toBeNull();
    expect(waitingFor(at('preliminaryPassed'), actors.reviewer)).toBeNull();
    expect(waitingFor(at('submitted'), actors.ownerWhoReviews)).toMatch(/不能审核自己提交的/);
    expect(waitingFor(at('supplementRequested'), actors.reviewer)).toBe('等待申请人补件');
    expect(waitingFor(at('reviewPassed', { paperOriginalsRequired: true }), actors.reviewer)).toMatch(/纸质原件/);
    expect(waitingFor(at('reviewPassed'), actors.secondReviewer)).toBe('等待经办审核人员办理「结算」');
    // 复核: another 复核人员's, not the one who handled it, nor a 经办 without the role.
    expect(waitingFor(at('settled', { handledBy: ['settler'] }), actors.settler)).toMatch(/复核需由其他复核人员完成/);
    expect(waitingFor(at('settled', { handledBy: ['settler'] }), actors.reviewer)).toBe('等待复核人员办理「复核通过」');
    expect(waitingFor(at('settled', { handledBy: ['settler'] }), actors.secondReviewer)).toBeNull();
    // 复核通过: to be batched, paid through its batch, or (0 元) closed — each a reviewer's step.
    expect(waitingFor(at('verified', { payableFen: 100 }), actors.reviewer)).toBeNull();
    expect(waitingFor(at('verified', { payableFen: 100, paymentBatch: 'B1' }), actors.reviewer)).toBeNull();
    expect(waitingFor(at('verified', { payableFen: 0 }), actors.secondReviewer)).toBeNull();
    // Finished: nothing waits.
    for (const status of ['paid', 'rejected', 'withdrawn'] as const)
      expect(waitingFor(at(status), actors.reviewer)).toBeNull();
  });

  it('a claim in a payment batch is paid through that batch only, and is batched once', () => {
    const batched = applyTransition(
      stateIn('verified'),
      'batchForPayment',
      reviewer,
      { reference: 'PB-20260302-0001' },
      NOW,
    ).state;
    expect(batched.paymentBatch).toBe('PB-20260302-0001');
    expect(codeOf(() => applyTransition(stateIn('verified'), 'batchForPayment', reviewer, {}, NOW))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      codeOf(() => applyTransition(batched, 'batchForPayment', reviewer, { reference: 'PB-20260302-0002' }, NOW)),
    ).toBe('ALREADY_IN_PAYMENT_BATCH');
    // Not in a batch: never marked paid on its own (a walk: its settler did, with no bank file behind it).
    expect(codeOf(() => applyTransition(stateIn('verified'), 'markPaid', reviewer, {}, NOW))).toBe(
      'NOT_IN_PAYMENT_BATCH',
    );
    expect(availableActions(stateIn('verified'), reviewer).map((transition) => transition.action)).toEqual([
      'batchForPayment',
    ]);
    expect(codeOf(() => applyTransition(batched, 'markPaid', reviewer, {}, NOW))).toBe('PAY_THROUGH_BATCH');
    expect(codeOf(() => applyTransition(batched, 'markPaid', reviewer, { reference: 'PB-20260302-0002' }, NOW))).toBe(
      'PAY_THROUGH_BATCH',
    );
    const paid = applyTransition(batched, 'markPaid', reviewer, { reference: 'PB-20260302-0001' }, NOW);
    expect(paid.state.status).toBe('paid');
    expect(paid.event.reference).toBe('PB-20260302-0001');
  });

  it('a claim settled at 0 元 is closed without a transfer: never batched or marked paid; one with money never closed so', () => {
    const nothing: ClaimWorkflowState = { ...stateIn('verified'), payableFen: 0 };
    const something: ClaimWorkflowState = { ...stateIn('verified'), payableFen: 1 };
    expect(codeOf(() => applyTransition(nothing, 'batchForPayment', reviewer, { reference: 'PB-1-0001' }, NOW))).toBe(
      'NOTHING_TO_PAY',
    );
    expect(codeOf(() => applyTransition(nothing, 'markPaid', reviewer, {}, NOW))).toBe('NOTHING_TO_PAY');
    expect(codeOf(() => applyTransition(something, 'closeWithoutPayment', reviewer, {}, NOW))).toBe('PAYMENT_DUE');
    // Claims settled before the amount was kept on the state (absent, null) are not closed without a transfer.
    expect(codeOf(() => applyTransition(stateIn('verified'), 'closeWithoutPayment', reviewer, {}, NOW))).toBe(
      'PAYMENT_DUE',
    );
    expect(codeOf(() => applyTransition(something, 'batchForPayment', reviewer, { reference: 'PB-1-0001' }, NOW))).toBe(
      'ok',
    );
    expect(availableActions(nothing, reviewer).map((transition) => transition.action)).toEqual(['closeWithoutPayment']);
    expect(availableActions(something, reviewer).map((transition) => transition.action)).toEqual(['batchForPayment']);
    const closed = applyTransition(nothing, 'closeWithoutPayment', reviewer, {}, NOW);
    expect(closed.state.status).toBe('paid');
    expect(closed.event).toMatchObject({ action: 'closeWithoutPayment', from: 'verified', to: 'paid' });
    expect(claimTimeline('paid', [closed.event]).steps.at(-1)?.label).toBe('已办结（无报销款）');
    expect(claimTimeline('paid', []).steps.at(-1)?.label).toBe('已支付');
    // Settled at 0 元 and not yet closed: the step to come is 办结, not 已支付 (a walk saw ○ 已支付 before 复核).
    for (const status of ['settled', 'verified'] as const) {
      expect(claimTimeline(status, [], { settledFen: 0 }).steps.at(-1)).toMatchObject({
        label: '办结（无报销款）',
        state: status === 'verified' ? 'current' : 'todo',
      });
      expect(claimTimeline(status, [], { settledFen: 1, estimatedFen: 0 }).steps.at(-1)?.label).toBe('已支付');
    }
    // Before 结算, an estimate of 0 元 says 预计 (a walk saw ○ 已支付 from filing on); any other figure, 已支付.
    for (const status of ['submitted', 'preliminaryPassed', 'reviewPassed'] as const) {
      expect(claimTimeline(status, [], { estimatedFen: 0 }).steps.at(-1)?.label).toBe('办结（预计无报销款）');
      expect(claimTimeline(status, [], { estimatedFen: 100 }).steps.at(-1)?.label).toBe('已支付');
    }
    expect(claimTimeline('supplementRequested', [], { estimatedFen: 0 }).steps.at(-1)?.label).toBe('已支付');
    // The tag: 已支付 told the person money came.
    expect(claimStatusText({ status: 'paid', paidFen: 0 })).toBe('已办结（无报销款）');
    expect(claimStatusText({ status: 'paid', paidFen: 1 })).toBe('已支付');
    expect(claimStatusText({ status: 'verified', paidFen: 0 })).toBe('复核通过，待办结');
    expect(claimStatusText({ status: 'verified', paidFen: 1 })).toBe('复核通过，待支付');
  });

  it('reason texts refuse control, bidi and zero-width characters', () => {
    for (const reasonText of ['金额\u202E有误', '核对\u0000', '\u200B说明']) {
      expect(
        codeOf(() =>
          applyTransition(stateIn('settled'), 'returnFromVerification', actors.secondReviewer, { reasonText }, NOW),
        ),
      ).toBe('VALIDATION_FAILED');
    }
    expect(
      codeOf(() =>
        applyTransition(
          stateIn('settled'),
          'returnFromVerification',
          actors.secondReviewer,
          { reasonText: '金额需\n重新核对' },
          NOW,
        ),
      ),
    ).toBe('ok');
  });

  it('paper originals are recorded once', () => {
    const state: ClaimWorkflowState = {
      ...stateIn('submitted'),
      paperOriginalsRequired: true,
      paperOriginalsReceived: true,
    };
    expect(codeOf(() => applyTransition(state, 'receiveOriginals', reviewer, {}, NOW))).toBe(
      'ORIGINALS_ALREADY_RECEIVED',
    );
    expect(availableActions(state, reviewer).map((transition) => transition.action)).not.toContain('receiveOriginals');
  });

  it('原件寄出: given a claim that needs paper originals, when its owner records the tracking number or the 自送 day, then the fact is in the history and the claim stays where it was', () => {
    const needsPaper: ClaimWorkflowState = { ...stateIn('submitted'), paperOriginalsRequired: true };
    const mailed = applyTransition(
      needsPaper,
      'recordOriginalsSent',
      actors.owner,
      { originalsSent: { method: 'mail', trackingNumber: 'SF1234567890' } },
      NOW,
    );
    expect(mailed.state).toEqual(needsPaper);
    expect(mailed.event).toMatchObject({
      action: 'recordOriginalsSent',
      role: 'claimant',
      from: 'submitted',
      to: 'submitted',
      originalsSent: { method: 'mail', trackingNumber: 'SF1234567890' },
    });
    expect(describeEvent(mailed.event)).toMatchObject({
      title: '登记纸质原件寄出',
      who: '申请人',
      detail: '邮寄，快递单号 SF1234567890',
    });
    const handedOn = (date: string) =>
      describeEvent(
        applyTransition(
          needsPaper,
          'recordOriginalsSent',
          actors.owner,
          { originalsSent: { method: 'inPerson', date } },
          NOW,
        ).event,
      ).detail;
    // A day after the step is a plan, said as one (a walk read 自己送去，2026-12-20 twelve days before it): the day it was
    // recorded is Shanghai's 2025-09-30 (15:59 UTC); one on or before it is what happened.
    expect(handedOn('2025-10-08')).toBe('打算 2025-10-08 自己送去');
    expect(handedOn('2025-09-30')).toBe('自己送去，2025-09-30');
    // no input, a tracking number that is not one, a day that is not a date
    expect(codeOf(() => applyTransition(needsPaper, 'recordOriginalsSent', actors.owner, {}, NOW))).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      codeOf(() =>
        applyTransition(
          needsPaper,
          'recordOriginalsSent',
          actors.owner,
          { originalsSent: { method: 'mail', trackingNumber: '顺丰' } },
          NOW,
        ),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(
      codeOf(() =>
        applyTransition(
          needsPaper,
          'recordOriginalsSent',
          actors.owner,
          { originalsSent: { method: 'inPerson', date: '明天' } },
          NOW,
        ),
      ),
    ).toBe('VALIDATION_FAILED');
    // not needed by the policy; already received by the agency
    expect(
      codeOf(() => applyTransition(stateIn('submitted'), 'recordOriginalsSent', actors.owner, fullInput, NOW)),
    ).toBe('ORIGINALS_NOT_NEEDED');
    const received = { ...needsPaper, paperOriginalsReceived: true };
    expect(codeOf(() => applyTransition(received, 'recordOriginalsSent', actors.owner, fullInput, NOW))).toBe(
      'ORIGINALS_ALREADY_RECEIVED',
    );
    expect(availableActions(received, actors.owner).map((transition) => transition.action)).toEqual(['withdraw']);
    // only the recording action carries the fact into its event
    expect(
      applyTransition(needsPaper, 'receiveOriginals', reviewer, fullInput, NOW).event.originalsSent,
    ).toBeUndefined();
  });

  it('requestSupplement needs a reason from the fixed list and at least one material', () => {
    const state = stateIn('submitted');
    expect(codeOf(() => applyTransition(state, 'requestSupplement', reviewer, { materials: ['invoice'] }, NOW))).toBe(
      'REASON_REQUIRED',
    );
    expect(
      codeOf(() =>
        applyTransition(
          state,
          'requestSupplement',
          reviewer,
          { reasonCode: 'notAReason', materials: ['invoice'] },
          NOW,
        ),
      ),
    ).toBe('REASON_UNKNOWN');
    expect(
      codeOf(() =>
        applyTransition(state, 'requestSupplement', reviewer, { reasonCode: 'other', materials: ['invoice'] }, NOW),
      ),
    ).toBe('REASON_REQUIRED');
    expect(
      codeOf(() =>
        applyTransition(
          state,
          'requestSupplement',
          reviewer,
          { reasonCode: 'other', reasonText: '   ', materials: ['invoice'] },
          NOW,
        ),
      ),
    ).toBe('REASON_REQUIRED');
    expect(
      codeOf(() => applyTransition(state, 'requestSupplement', reviewer, { reasonCode: 'invoiceUnclear' }, NOW)),
    ).toBe('SUPPLEMENT_MATERIALS_REQUIRED');
    expect(
      codeOf(() =>
        applyTransition(state, 'requestSupplement', reviewer, { reasonCode: 'invoiceUnclear', materials: [] }, NOW),
      ),
    ).toBe('SUPPLEMENT_MATERIALS_REQUIRED');
    expect(
      codeOf(() =>
        applyTransition(
          state,
          'requestSupplement',
          reviewer,
          { reasonCode: 'invoiceUnclear', materials: ['passport' as 'invoice'] },
          NOW,
        ),
      ),
    ).toBe('VALIDATION_FAILED');

    const { state: next, event } = applyTransition(
      { ...state, title: 'kept' },
      'requestSupplement',
      reviewer,
      { reasonCode: 'invoiceUnclear', reasonText: '第二张发票模糊', materials: ['invoice', 'itemizedList'] },
      NOW,
    );
    expect(next).toEqual({
      ...state,
      title: 'kept',
      status: 'supplementRequested',
      requestedMaterials: ['invoice', 'itemizedList'],
    });
    expect(event).toEqual({
      action: 'requestSupplement',
      actor: 'rev1',
      role: 'reviewer',
      at: '2025-09-30T15:59:00.000Z',
      from: 'submitted',
      to: 'supplementRequested',
      reasonCode: 'invoiceUnclear',
      reason: `${supplementReasons.invoiceUnclear}：第二张发票模糊`,
      materials: ['invoice', 'itemizedList'],
    });
    expect(describeEvent(event)).toEqual({
      title: '要求补件',
      who: '经办审核人员',
      at: '2025-09-30T15:59:00.000Z',
      detail: `原因：${supplementReasons.invoiceUnclear}：第二张发票模糊；需补充：医院发票 / 收费票据、费用明细清单`,
    });
  });

  it('reject needs a reason; "other" takes the free text as the reason', () => {
    const state = stateIn('preliminaryPassed');
    expect(codeOf(() => applyTransition(state, 'reject', reviewer, {}, NOW))).toBe('REASON_REQUIRED');
    expect(applyTransition(state, 'reject', reviewer, { reasonCode: 'pastDeadline' }, NOW).event.reason).toBe(
      rejectReasons.pastDeadline,
    );
    expect(
      applyTransition(state, 'reject', reviewer, { reasonCode: 'other', reasonText: '非本统筹区参保' }, NOW).event,
    ).toMatchObject({ reasonCode: 'other', reason: '非本统筹区参保' });
    expect(codeOf(() => applyTransition(state, 'reject', reviewer, { reasonCode: 'invoiceUnclear' }, NOW))).toBe(
      'REASON_UNKNOWN',
    );
  });

  it('复核退回 needs free text; withdraw takes an optional one', () => {
    const settled = stateIn('settled');
    expect(codeOf(() => applyTransition(settled, 'returnFromVerification', actors.secondReviewer, {}, NOW))).toBe(
      'REASON_REQUIRED',
    );
    const back = applyTransition(
      settled,
      'returnFromVerification',
      actors.secondReviewer,
      { reasonText: '乙类自付比例用错' },
      NOW,
    );
    expect(back.state).toMatchObject({ status: 'reviewPassed', settledBy: null });
    expect(back.event.reason).toBe('乙类自付比例用错');
    expect(applyTransition(stateIn('submitted'), 'withdraw', actors.owner, {}, NOW).event.reason).toBeUndefined();
    expect(
      applyTransition(stateIn('submitted'), 'withdraw', actors.owner, { reasonText: '已在医院补结算' }, NOW).event
        .reason,
    ).toBe('已在医院补结算');
  });

  it('submit and answerSupplement need the materials checked and complete', () => {
    expect(codeOf(() => applyTransition(stateIn('draft'), 'submit', actors.owner, {}, NOW))).toBe(
      'MATERIALS_NOT_CHECKED',
    );
    try {
      applyTransition(stateIn('draft'), 'submit', actors.owner, { missingMaterials: ['invoice', 'diagnosis'] }, NOW);
      throw new Error('expected a DomainError');
    } catch (error) {
      expect(error).toMatchObject({
        code: 'MATERIALS_MISSING',
        message: '还缺少：医院发票 / 收费票据、诊断证明。请拍照上传后再提交',
        details: { missing: ['invoice', 'diagnosis'] },
      });
    }
    const asked: ClaimWorkflowState = { ...stateIn('supplementRequested'), requestedMaterials: ['invoice'] };
    expect(
      codeOf(() => applyTransition(asked, 'answerSupplement', actors.owner, { missingMaterials: ['invoice'] }, NOW)),
    ).toBe('MATERIALS_MISSING');
    const answered = applyTransition(asked, 'answerSupplement', actors.owner, { missingMaterials: [] }, NOW);
    expect(answered.state.status).toBe('submitted');
    expect(answered.state.requestedMaterials).toBeUndefined();
  });

  it('settle needs figures and, where the policy wants them, the paper originals received first', () => {
    const needsPaper: ClaimWorkflowState = {
      ...stateIn('reviewPassed'),
      settledBy: null,
      paperOriginalsRequired: true,
    };
    expect(codeOf(() => applyTransition(needsPaper, 'settle', reviewer, { figures: { fundFen: 100 } }, NOW))).toBe(
      'ORIGINALS_NOT_RECEIVED',
    );
    expect(availableActions(needsPaper, reviewer).map((transition) => transition.action)).toEqual([
      'requestSupplement',
      'reject',
      'receiveOriginals',
      'correctLineItems',
      'readReceipt',
    ]);
    const received = applyTransition(needsPaper, 'receiveOriginals', reviewer, {}, NOW);
    expect(received.state).toMatchObject({ status: 'reviewPassed', paperOriginalsReceived: true });
    expect(received.event).toMatchObject({ action: 'receiveOriginals', from: 'reviewPassed', to: 'reviewPassed' });
    expect(codeOf(() => applyTransition(received.state, 'settle', reviewer, {}, NOW))).toBe('FIGURES_REQUIRED');
    expect(codeOf(() => applyTransition(received.state, 'settle', reviewer, { figures: {} }, NOW))).toBe(
      'FIGURES_REQUIRED',
    );
    expect(codeOf(() => applyTransition(received.state, 'settle', reviewer, { figures: { fundFen: 1.5 } }, NOW))).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf(() => applyTransition(received.state, 'settle', reviewer, { figures: { fundFen: -1 } }, NOW))).toBe(
      'VALIDATION_FAILED',
    );
    const settled = applyTransition(
      received.state,
      'settle',
      reviewer,
      { figures: { fundFen: 80_000, claimantFen: 20_000 }, policyVersion: 'dl-2025.1' },
      NOW,
    );
    expect(settled.state).toMatchObject({ status: 'settled', settledBy: 'rev1' });
    expect(settled.event).toMatchObject({
      figures: { fundFen: 80_000, claimantFen: 20_000 },
      policyVersion: 'dl-2025.1',
      role: 'reviewer',
    });
    // four eyes: the settler holds both roles but cannot 复核; another second reviewer can.
    const settler: Actor = { id: 'rev1', roles: ['claimant', 'reviewer', 'secondReviewer'] };
    expect(codeOf(() => applyTransition(settled.state, 'verify', settler, {}, NOW))).toBe('FOUR_EYES');
    expect(applyTransition(settled.state, 'verify', actors.secondReviewer, {}, NOW).event.role).toBe('secondReviewer');
  });

  it('figures are recorded only where the action takes them', () => {
    expect(
      applyTransition(stateIn('preliminaryPassed'), 'passReview', reviewer, { figures: { fundFen: 5 } }, NOW).event
        .figures,
    ).toEqual({ fundFen: 5 });
    expect(
      applyTransition(stateIn('submitted'), 'passPreliminary', reviewer, { figures: { fundFen: 5 } }, NOW).event
        .figures,
    ).toBeUndefined();
  });

  it('refuses unknown actions, malformed input and invalid dates', () => {
    expect(codeOf(() => applyTransition(stateIn('draft'), 'approveEverything', actors.owner, {}, NOW))).toBe(
      'UNKNOWN_ACTION',
    );
    expect(
      codeOf(() =>
        applyTransition(
          stateIn('draft'),
          'submit',
          actors.owner,
          { missingMaterials: [], extra: 1 } as TransitionInput,
          NOW,
        ),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(
      codeOf(() =>
        applyTransition(
          stateIn('submitted'),
          'reject',
          reviewer,
          { reasonCode: 'other', reasonText: '长'.repeat(201) },
          NOW,
        ),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(() =>
      applyTransition(stateIn('draft'), 'submit', actors.owner, { missingMaterials: [] }, new Date(Number.NaN)),
    ).toThrow(RangeError);
  });

  it('property: arbitrary input never crashes — it succeeds or throws a DomainError with a Chinese message', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.oneof(fc.constantFrom<string>(...workflowActions), fc.string()),
        fc.constantFrom(...actorKinds),
        fc.anything(),
        (status, action, kind, input) => {
          try {
            applyTransition(stateIn(status), action, actors[kind], input as TransitionInput, NOW);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).message).toMatch(/[\u4e00-\u9fff]/);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('whole journeys', () => {
  function run(steps: [WorkflowAction, Actor, TransitionInput][]): { state: ClaimWorkflowState; events: AuditEvent[] } {
    let state: ClaimWorkflowState = { status: 'draft', ownerId: 'owner', paperOriginalsRequired: true };
    const events: AuditEvent[] = [];
    steps.forEach(([action, actor, input], index) => {
      const result = applyTransition(state, action, actor, input, new Date(Date.UTC(2025, 9, 9, 1, index)));
      state = result.state;
      events.push(result.event);
    });
    return { state, events };
  }
  const at = (minute: number) => new Date(Date.UTC(2025, 9, 9, 1, minute)).toISOString();

  it('提交 → 初审 → 审核 → 结算 → 复核 → 已支付 with a 补件 round trip', () => {
    const { state, events } = run([
      ['submit', actors.owner, { missingMaterials: [] }],
      ['requestSupplement', actors.reviewer, { reasonCode: 'diagnosisMissing', materials: ['diagnosis'] }],
      ['answerSupplement', actors.owner, { missingMaterials: [] }],
      ['passPreliminary', actors.reviewer, {}],
      ['passReview', actors.reviewer, {}],
      ['receiveOriginals', actors.reviewer, {}],
      ['settle', actors.reviewer, { figures: { fundFen: 1000 } }],
      ['verify', actors.secondReviewer, {}],
      ['batchForPayment', actors.secondReviewer, { reference: 'PB-20260302-0001' }],
      ['markPaid', actors.secondReviewer, { reference: 'PB-20260302-0001' }],
    ]);
    expect(state.status).toBe('paid');
    expect(events.map((event) => `${event.from}>${event.to}`)).toEqual([
      'draft>submitted',
      'submitted>supplementRequested',
      'supplementRequested>submitted',
      'submitted>preliminaryPassed',
      'preliminaryPassed>reviewPassed',
      'reviewPassed>reviewPassed',
      'reviewPassed>settled',
      'settled>verified',
      'verified>verified',
      'verified>paid',
    ]);
    const timeline = claimTimeline(state.status, events);
    expect(timeline.branch).toBeUndefined();
    // 提交 keeps the day the claim was submitted: answering the 补件 request is not a new submission.
    expect(timeline.steps.map((step) => [step.label, step.state, step.at])).toEqual([
      ['提交', 'done', at(0)],
      ['初审', 'done', at(3)],
      ['审核', 'done', at(4)],
      ['结算', 'done', at(6)],
      ['复核', 'done', at(7)],
      ['已支付', 'done', at(9)],
    ]);
  });

  it('a 补件 just answered shows in the progress until the agency acts (it read as 初审 正在办理 again, nothing else)', () => {
    const answered = run([
      ['submit', actors.owner, { missingMaterials: [] }],
      ['passPreliminary', actors.reviewer, {}],
      ['requestSupplement', actors.reviewer, { reasonCode: 'bankAccountProblem', materials: ['bankAccount'] }],
      ['answerSupplement', actors.owner, { missingMaterials: [] }],
    ]);
    const timeline = claimTimeline(answered.state.status, answered.events);
    expect(timeline.branch).toEqual({
      key: 'supplement',
      label: '已补交材料',
      state: 'done',
      at: at(3),
      detail: '经办机构会重新审核，结果会通过消息告诉您',
    });
    expect(timelineRows(timeline).map((row) => `${row.label}:${row.state}`)).toEqual([
      '提交:done',
      '已补交材料:done',
      '初审:current',
      '审核:todo',
      '结算:todo',
      '复核:todo',
      '已支付:todo',
    ]);
    // Once the agency acts again, the progress is the main path's.
    const passed = run([
      ['submit', actors.owner, { missingMaterials: [] }],
      ['requestSupplement', actors.reviewer, { reasonCode: 'bankAccountProblem', materials: ['bankAccount'] }],
      ['answerSupplement', actors.owner, { missingMaterials: [] }],
      ['passPreliminary', actors.reviewer, {}],
    ]);
    expect(claimTimeline(passed.state.status, passed.events).branch).toBeUndefined();
  });

  it('the timeline shows the current step, and 补件 / 退回 / 撤回 as a branch with the reason', () => {
    const preliminary = run([
      ['submit', actors.owner, { missingMaterials: [] }],
      ['passPreliminary', actors.reviewer, {}],
    ]);
    expect(claimTimeline(preliminary.state.status, preliminary.events).steps.map((step) => step.state)).toEqual([
      'done',
      'done',
      'current',
      'todo',
      'todo',
      'todo',
    ]);

    const supplement = run([
      ['submit', actors.owner, { missingMaterials: [] }],
      ['passPreliminary', actors.reviewer, {}],
      ['requestSupplement', actors.reviewer, { reasonCode: 'bankAccountProblem', materials: ['bankAccount'] }],
    ]);
    const supplementTimeline = claimTimeline(supplement.state.status, supplement.events);
    expect(supplementTimeline.steps.map((step) => step.state)).toEqual([
      'done',
      'done',
      'todo',
      'todo',
      'todo',
      'todo',
    ]);
    expect(supplementTimeline.branch).toEqual({
      key: 'supplement',
      label: '补件',
      state: 'current',
      at: at(2),
      detail: supplementReasons.bankAccountProblem,
    });

    const rejected = run([
      ['submit', actors.owner, { missingMaterials: [] }],
      ['reject', actors.reviewer, { reasonCode: 'duplicate' }],
    ]);
    const rejectedTimeline = claimTimeline(rejected.state.status, rejected.events);
    expect(rejectedTimeline.steps.map((step) => step.state)).toEqual([
      'done',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(rejectedTimeline.branch).toMatchObject({
      key: 'rejected',
      label: '退回',
      state: 'done',
      detail: rejectReasons.duplicate,
    });

    // Drawn in the order they happened: the branch after the steps reached, before those it left (not after 已支付).
    expect(timelineRows(supplementTimeline).map((row) => row.label)).toEqual([
      '提交',
      '初审',
      '补件',
      '审核',
      '结算',
      '复核',
      '已支付',
    ]);
    expect(timelineRows(rejectedTimeline).map((row) => `${row.label}${row.branch ? '*' : ''}`)).toEqual([
      '提交',
      '退回*',
      '初审',
      '审核',
      '结算',
      '复核',
      '已支付',
    ]);

    const withdrawnDraft = run([['withdraw', actors.owner, {}]]);
    expect(claimTimeline(withdrawnDraft.state.status, withdrawnDraft.events)).toEqual({
      steps: ['提交', '初审', '审核', '结算', '复核', '已支付'].map((label, index) => ({
        key: ['submit', 'preliminary', 'review', 'settle', 'verify', 'paid'][index],
        label,
        state: 'skipped',
      })),
      branch: { key: 'withdrawn', label: '撤回', state: 'done', at: at(0) },
    });

    expect(claimTimeline('draft', []).steps.every((step) => step.state === 'todo')).toBe(true);
    expect(claimTimeline('submitted', []).steps.map((step) => step.state)).toEqual([
      'done',
      'current',
      'todo',
      'todo',
      'todo',
      'todo',
    ]);
  });

  it('复核退回 does not redate the 审核 step, and the 结算 step is current again', () => {
    const { state, events } = run([
      ['submit', actors.owner, { missingMaterials: [] }],
      ['passPreliminary', actors.reviewer, {}],
      ['passReview', actors.reviewer, {}],
      ['receiveOriginals', actors.reviewer, {}],
      ['settle', actors.reviewer, { figures: { fundFen: 1 } }],
      ['returnFromVerification', actors.secondReviewer, { reasonText: '金额有误' }],
    ]);
    const steps = claimTimeline(state.status, events).steps;
    expect(steps.map((step) => step.state)).toEqual(['done', 'done', 'done', 'current', 'todo', 'todo']);
    expect(steps[2]?.at).toBe(at(2));
    // After the return, the one who settled before may settle again, and a different second reviewer verifies.
    const again = applyTransition(state, 'settle', actors.reviewer, { figures: { fundFen: 2 } }, NOW);
    expect(
      codeOf(() => applyTransition(again.state, 'verify', { id: 'rev1', roles: ['secondReviewer'] }, {}, NOW)),
    ).toBe('FOUR_EYES');
  });
});
