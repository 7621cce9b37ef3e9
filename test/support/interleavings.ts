/**
 * The write path's invariants over explored interleavings (issue 9). Several claims of one insured
 * person go through rounds of concurrent handler calls — submit (retries and fresh copies of the
 * same receipts), withdraw, every decision, 补件 answers, line corrections, originals (the owner's
 * 登记寄出 racing the reviewer's 登记收到), 结算, 复核退回, 复核, payment and outbox drains — while fast-check's scheduler decides the order in which every
 * store operation (each read and write, inside transactions too) resumes. After every run:
 *  1. the ledger equals the sum of the settled, un-reversed claims (entries and every counter);
 *  2. no cap is passed (the outpatient deductible and annual limit of the policy);
 *  3. the receipt registry holds exactly the receipts of live claims;
 *  4. every claim's history is a legal path of the state machine, one event per transition taken;
 *  5. one card per (claim, event) after the outbox is drained;
 *  6. no call answered INTERNAL;
 *  7. every submitted claim's dashboard facts are its own (none for the others), and the dashboard counted
 *     from them by the store equals the dashboard counted from the claims.
 * The suite is a function of the ports, so it runs on every Store adapter.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { claimsFunction } from '../../server/handlers/claims';
import { reviewFunction } from '../../server/handlers/review';
import { paymentsFunction, type PaymentBatchDoc } from '../../server/handlers/payments';
import { drainWith } from '../../server/handlers/notify';
import { groupsFromClaims, groupsFromFacts } from '../../server/claims/dashboard';
import {
  BACKFILL_MARKER,
  backfillClaimFacts,
  CLAIM_FACTS,
  claimFactsOf,
  JOBS,
  type ClaimFactsDoc,
} from '../../server/claims/dashboardFacts';
import { workingCalendar } from '../../server/policies/calendar';
import { dashboardFiguresOf } from '../../src/core/dashboard';
import { invoke, type Envelope, type FunctionDefinition } from '../../server/handlers/framework';
import type { LedgerDoc } from '../../server/ledger';
import { policyOf, reviewedClaim } from '../../server/claims/facts';
import { emptyLedger, estimate } from '../../src/core/engine';
import { RecordingNotifier } from '../../server/notifications/notifier';
import { describeClaimEvent, type NotifiableClaim } from '../../server/notifications/describe';
import type { NotificationDoc } from '../../server/notifications/outbox';
import { localTemplateIds } from '../../server/notifications/templates';
import type { Caller, Collection, Ports, Store, StoredDoc, Transaction } from '../../server/ports';
import type { ReceiptKeyDoc } from '../../server/receipts/registry';
import { claimIdForRequest, type ClaimDoc } from '../../server/repositories/claims';
import { checklistOf } from '../../src/core/contracts/claim';
import type { ClaimStatus } from '../../src/core/contracts/claimDraft';
import type { MaterialId } from '../../src/core/materials';
import { resolvePolicy, samplePolicyById } from '../../src/core/policy';
import { applyTransition, type ClaimWorkflowState, type WorkflowAction } from '../../src/core/workflow';
import { callers } from './ports';
import { validForm } from './fixtures';

const owner = callers.zhangsan;
const staff: Caller[] = [
  { openid: 'staff-a', roles: ['claimant', 'reviewer'] },
  { openid: 'staff-b', roles: ['claimant', 'reviewer', 'secondReviewer'] },
  { openid: 'staff-c', roles: ['claimant', 'secondReviewer'] },
];
const CLAIMS = 3;
const LIVE: readonly ClaimStatus[] = [
  'submitted',
  'preliminaryPassed',
  'reviewPassed',
  'settled',
  'verified',
  'paid',
  'supplementRequested',
];
const SETTLED: readonly ClaimStatus[] = ['settled', 'verified', 'paid'];
const allowedRefusals = new Set([
  'CONFLICT',
  'BATCH_ALREADY_PAID',
  'TRANSITION_NOT_ALLOWED',
  'NOT_FOUND',
  'FOUR_EYES',
  'ROLE_FORBIDDEN',
  'SELF_REVIEW',
  'ORIGINALS_NOT_RECEIVED',
  'ORIGINALS_ALREADY_RECEIVED',
  'DUPLICATE_RECEIPT',
  'MATERIALS_MISSING',
  'NOTHING_CHANGED',
  'VALIDATION_FAILED',
  'FORBIDDEN',
  'PAY_THROUGH_BATCH',
  'ALREADY_IN_PAYMENT_BATCH',
  'BUSY',
  // 复核退回 of a settlement with a later one on the ledger: the later one first (server/ledger.ts).
  'LATER_SETTLEMENTS',
  // 结算 of a figure the year moved away from between the read and the step.
  'SETTLEMENT_CHANGED',
]);

/** Every store operation waits for the scheduler before it runs: fast-check decides who goes first. */
export function scheduledStore(store: Store, scheduler: fc.Scheduler): Store {
  const pause = (label: string): Promise<void> => scheduler.schedule(Promise.resolve(), label);
  const scheduledTx = (tx: Transaction): Transaction => ({
    get: async (name, id) => (await pause(`tx.get ${name}`), tx.get(name, id)),
    set: async (name, doc) => (await pause(`tx.set ${name}`), tx.set(name, doc)),
    remove: async (name, id) => (await pause(`tx.remove ${name}`), tx.remove(name, id)),
  });
  return {
    collection<T extends StoredDoc>(name: string): Collection<T> {
      const inner = store.collection<T>(name);
      return {
        insert: async (doc) => (await pause(`insert ${name}`), inner.insert(doc)),
        get: async (id) => (await pause(`get ${name}`), inner.get(id)),
        find: async (filter, options) => (await pause(`find ${name}`), inner.find(filter, options)),
        count: async (filter) => (await pause(`count ${name}`), inner.count(filter)),
        groupCount: async (filter, by, sum) => (await pause(`groupCount ${name}`), inner.groupCount(filter, by, sum)),
        update: async (id, patch, options) => (await pause(`update ${name}`), inner.update(id, patch, options)),
        updateWhere: async (filter, patch) => (await pause(`updateWhere ${name}`), inner.updateWhere(filter, patch)),
        remove: async (id) => (await pause(`remove ${name}`), inner.remove(id)),
      };
    },
    transaction: async (work) => (await pause('transaction'), store.transaction((tx) => work(scheduledTx(tx)))),
  };
}

type Operation =
  | { kind: 'submit'; claim: number; copy: number }
  | { kind: 'withdraw'; claim: number }
  | {
      kind: 'decide';
      claim: number;
      by: number;
      action: 'passPreliminary' | 'passReview' | 'requestSupplement' | 'reject' | 'returnFromVerification';
    }
  | { kind: 'step'; claim: number; by: number; action: 'settle' | 'verify' | 'markPaid' | 'receiveOriginals' }
  | { kind: 'correct'; claim: number; by: number }
  | { kind: 'answer'; claim: number }
  /** 登记纸质原件寄出 by the owner (邮寄 with a tracking number, or 自送 with the day), racing 登记收到 and the reviewer's steps. */
  | { kind: 'originalsSent'; claim: number; method: 'mail' | 'inPerson' }
  /** The next step on the usual path from whatever status the caller sees (so runs reach 结算 and beyond). */
  | { kind: 'advance'; claim: number; by: number }
  | { kind: 'drain' }
  /** 编入支付批次: the claims the caller sees 复核通过 and not yet in a batch, together. */
  | { kind: 'batch'; by: number }
  /** 确认已支付 for the first open batch the caller sees. */
  | { kind: 'payBatch'; by: number };

const claimIndex = fc.integer({ min: 0, max: CLAIMS - 1 });
const staffIndex = fc.integer({ min: 0, max: staff.length - 1 });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      claim: claimIndex,
      copy: fc.integer({ min: 0, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), claim: claimIndex }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      claim: claimIndex,
      by: staffIndex,
      action: fc.constantFrom(
        'passPreliminary' as const,
        'passReview' as const,
        'requestSupplement' as const,
        'reject' as const,
        'returnFromVerification' as const,
      ),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('step' as const),
      claim: claimIndex,
      by: staffIndex,
      action: fc.constantFrom('settle' as const, 'verify' as const, 'markPaid' as const, 'receiveOriginals' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('correct' as const), claim: claimIndex, by: staffIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('answer' as const), claim: claimIndex }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('originalsSent' as const),
      claim: claimIndex,
      method: fc.constantFrom('mail' as const, 'inPerson' as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'drain' as const }) },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('advance' as const), claim: claimIndex, by: staffIndex }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      claim: claimIndex,
      by: fc.constantFrom(1, 2),
      action: fc.constant('returnFromVerification' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('batch' as const), by: staffIndex }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('payBatch' as const), by: staffIndex }) },
);

/** Rounds run one after another; the operations of a round run concurrently. */
export const rounds = fc.array(fc.array(operation, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 });

/** Where each claim stands before the concurrent rounds (reached one step at a time, unscheduled). */
const stages = ['draft', 'submitted', 'preliminaryPassed', 'reviewPassed', 'settled', 'verified'] as const;
export const startingStages = fc.array(fc.constantFrom(...stages), { minLength: CLAIMS, maxLength: CLAIMS });

const nextStep: Partial<
  Record<ClaimStatus, Operation['kind'] | 'passPreliminary' | 'passReview' | 'settle' | 'verify' | 'markPaid'>
> = {
  draft: 'submit',
  submitted: 'passPreliminary',
  preliminaryPassed: 'passReview',
  reviewPassed: 'settle',
  settled: 'verify',
  verified: 'markPaid',
  supplementRequested: 'answer',
};

/** The form of claim `index`: one person, bills large enough that the second settlement meets the annual limit. */
function formOf(index: number) {
  return validForm({
    lineItems: [
      { name: '西药费', amountFen: 250_000 + index * 10_000, category: 'A' },
      { name: '检查费', amountFen: 42_050, category: 'B' },
      { name: '自费材料', amountFen: 5_000, category: 'C' },
    ],
  });
}

/** How a Files adapter names a file's metadata document: the embedded one by the path inside the fileID. */
export type FileDocId = (fileID: string) => string;
export const embeddedFileDocId: FileDocId = (fileID) => fileID.replace(/^cloud:\/\/[^/]+\//, '');

/** Registers photos for `owner` straight in the files collection (their bytes are not read by these handlers). */
async function seedPhotos(
  store: Store,
  fileDocId: FileDocId,
  who: string,
  label: string,
  ids: readonly MaterialId[],
): Promise<Partial<Record<MaterialId, string[]>>> {
  const materials: Partial<Record<MaterialId, string[]>> = {};
  for (const id of ids) {
    const key = `${label}-${id}`;
    // The shape of a local upload's id: <16 hex of the owner>/<uuid>.jpg
    const hex = createHash('sha256').update(key).digest('hex');
    const fileID = `cloud://local-dev/${createHash('sha256').update(who).digest('hex').slice(0, 16)}/${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}.jpg`;
    await store.collection('files').insert({
      _id: fileDocId(fileID),
      _openid: who,
      fileID,
      owner: who,
      contentType: 'image/jpeg',
      size: 1000,
      sha256: createHash('sha256').update(key).digest('hex'),
      name: `${id}.jpg`,
      uploadedAt: '2026-03-02T02:00:00.000Z',
    } as StoredDoc);
    materials[id] = [fileID];
  }
  return materials;
}

interface Outcome {
  operation: Operation;
  claimId: string | null;
  /** A payment batch step moves every claim in it: each takes one event when the step succeeds. */
  claimIds?: string[];
  result: Envelope<unknown>;
}

export interface InterleavingWorld {
  ports: Ports;
  /** Materials of claim i (every required photo, distinct per claim). */
  materials: Array<Partial<Record<MaterialId, string[]>>>;
  /** Extra photos per claim for 补件 answers. */
  extra: Array<Partial<Record<MaterialId, string[]>>>;
}

export async function seedWorld(ports: Ports, fileDocId: FileDocId = embeddedFileDocId): Promise<InterleavingWorld> {
  const materials: InterleavingWorld['materials'] = [];
  const extra: InterleavingWorld['extra'] = [];
  for (let index = 0; index < CLAIMS; index += 1) {
    const required = checklistOf(formOf(index) as never, true)
      .filter((item) => item.required)
      .map((item) => item.id);
    materials.push(await seedPhotos(ports.store, fileDocId, owner.openid, `claim${index}`, required));
    extra.push(await seedPhotos(ports.store, fileDocId, owner.openid, `extra${index}`, supplementAsked));
  }
  return { ports, materials, extra };
}

/** What a 补件 request of these runs asks for. */
const supplementAsked: MaterialId[] = ['invoice', 'diagnosis'];

/** What the owner records for claim i: the same tracking number (or day) every time, so a retry records the same fact. */
const originalsSentOf = (operation: { claim: number; method: 'mail' | 'inPerson' }) =>
  operation.method === 'mail'
    ? { method: 'mail' as const, trackingNumber: `SF10000000${operation.claim}` }
    : { method: 'inPerson' as const, date: '2026-03-03' };

const requestIdOf = (operation: { claim: number; copy: number }): string =>
  operation.copy === 0 ? `submit-claim-${operation.claim}` : `submit-claim-${operation.claim}-copy-${operation.copy}`;

async function perform(world: InterleavingWorld, store: Store, operation: Operation): Promise<Outcome> {
  const ports = { ...world.ports, store };
  const call = (fn: FunctionDefinition, caller: Caller, action: string, payload: unknown, requestId?: string) =>
    invoke(fn, { action, payload, ...(requestId ? { requestId } : {}) }, caller, ports);
  if (operation.kind === 'drain') {
    await drainWith(ports, { notifier: new RecordingNotifier(store), templateIds: localTemplateIds });
    return { operation, claimId: null, result: { ok: true, data: null } };
  }
  if (operation.kind === 'batch') {
    const seen = await store
      .collection<ClaimDoc>('claims')
      .find({ status: 'verified', paymentBatchId: null, paidFen: { $gt: 0 } }, { limit: 100 });
    if (seen.length === 0) return { operation, claimId: null, result: { ok: true, data: null } };
    const result = await call(paymentsFunction, staff[operation.by]!, 'createBatch', {
      claims: seen.map((doc) => ({ id: doc._id, expectedVersion: doc.version })),
    });
    return { operation, claimId: null, claimIds: seen.map((doc) => doc._id), result };
  }
  if (operation.kind === 'payBatch') {
    const [open] = await store.collection<PaymentBatchDoc>('paymentBatches').find({ status: 'open' }, { limit: 1 });
    if (!open) return { operation, claimId: null, result: { ok: true, data: null } };
    // Its bank file first, as the desk does (no file, no payment); the export is a step of the schedule too.
    await call(paymentsFunction, staff[operation.by]!, 'export', { batchNo: open._id, format: 'csv' });
    const result = await call(paymentsFunction, staff[operation.by]!, 'markPaid', {
      batchNo: open._id,
      expectedStatus: 'open',
    });
    return { operation, claimId: null, claimIds: open.lines.map((line) => line.claimId), result };
  }
  const claimId = claimIdForRequest(owner.openid, requestIdOf({ claim: operation.claim, copy: 0 }));
  // What the caller saw: read now (the read itself is scheduled, so it may be stale by the time the step runs).
  const seen = await store.collection<ClaimDoc>('claims').get(claimId);
  const expectation = seen
    ? { id: claimId, expectedStatus: seen.status, expectedVersion: seen.version }
    : { id: claimId, expectedStatus: 'submitted', expectedVersion: 1 };
  switch (operation.kind) {
    case 'submit': {
      const form = { ...formOf(operation.claim), materials: world.materials[operation.claim] };
      const requestId = requestIdOf(operation);
      const result = await call(claimsFunction, owner, 'submit', { form }, requestId);
      return { operation, claimId: claimIdForRequest(owner.openid, requestId), result };
    }
    case 'withdraw':
      return { operation, claimId, result: await call(claimsFunction, owner, 'withdraw', { id: claimId }) };
    case 'decide': {
      const reason =
        operation.action === 'requestSupplement'
          ? { reasonCode: 'invoiceUnclear', materials: supplementAsked }
          : operation.action === 'reject'
            ? { reasonCode: 'notCovered' }
            : operation.action === 'returnFromVerification'
              ? { reasonText: '金额需重新核对' }
              : {};
      return {
        operation,
        claimId,
        result: await call(reviewFunction, staff[operation.by]!, 'decide', {
          ...expectation,
          action: operation.action,
          ...reason,
        }),
      };
    }
    case 'step':
      // 确认已支付 of one claim is its batch's: made for it when it has none; when it has one, the batch is paid, and
      // every claim in it with it.
      if (operation.action === 'markPaid') {
        if (!seen?.paymentBatchId)
          return {
            operation,
            claimId,
            result: await call(paymentsFunction, staff[operation.by]!, 'createBatch', {
              claims: [{ id: claimId, expectedVersion: seen?.version ?? 1 }],
            }),
          };
        const batch = await store.collection<PaymentBatchDoc>('paymentBatches').get(seen.paymentBatchId);
        await call(paymentsFunction, staff[operation.by]!, 'export', { batchNo: seen.paymentBatchId, format: 'csv' });
        const result = await call(paymentsFunction, staff[operation.by]!, 'markPaid', {
          batchNo: seen.paymentBatchId,
          expectedStatus: 'open',
        });
        return { operation, claimId: null, claimIds: (batch?.lines ?? []).map((line) => line.claimId), result };
      }
      if (operation.action === 'settle') {
        // The figure the page's 结算预估 showed, read (a scheduled step too) before the settle: another step may move the
        // year in between, and the settle is then refused (SETTLEMENT_CHANGED), not written with another figure.
        const loaded = await call(reviewFunction, staff[operation.by]!, 'get', { id: claimId });
        const preview = loaded.ok
          ? (loaded.data as { settlementPreview?: { totalPaid: number } | null }).settlementPreview
          : null;
        return {
          operation,
          claimId,
          result: await call(reviewFunction, staff[operation.by]!, 'settle', {
            ...expectation,
            expectedPaidFen: preview?.totalPaid ?? 0,
          }),
        };
      }
      return {
        operation,
        claimId,
        result: await call(reviewFunction, staff[operation.by]!, operation.action, expectation),
      };
    case 'correct': {
      const lineItems = formOf(operation.claim).lineItems.map((item, index) =>
        index === 0 ? { ...item, amountFen: item.amountFen - 10_000 } : item,
      );
      return {
        operation,
        claimId,
        result: await call(reviewFunction, staff[operation.by]!, 'editLineItems', {
          ...expectation,
          lineItems,
          reason: '按清单核减',
        }),
      };
    }
    case 'advance': {
      const next = seen ? nextStep[seen.status] : 'submit';
      if (next === 'submit' || next === undefined)
        return perform(world, store, { kind: 'submit', claim: operation.claim, copy: 0 });
      if (next === 'answer') return perform(world, store, { kind: 'answer', claim: operation.claim });
      if (next === 'passPreliminary' || next === 'passReview')
        return perform(world, store, { kind: 'decide', claim: operation.claim, by: operation.by, action: next });
      if (next === 'settle' && seen?.paperOriginalsRequired && !seen.paperOriginalsReceived)
        return perform(world, store, {
          kind: 'step',
          claim: operation.claim,
          by: operation.by,
          action: 'receiveOriginals',
        });
      return perform(world, store, {
        kind: 'step',
        claim: operation.claim,
        by: operation.by,
        action: next as 'settle' | 'verify' | 'markPaid',
      });
    }
    case 'answer': {
      const asked = seen?.requestedMaterials ?? ['invoice'];
      const answer = Object.fromEntries(asked.map((id) => [id, world.extra[operation.claim]?.[id] ?? []]));
      return {
        operation,
        claimId,
        result: await call(claimsFunction, owner, 'answerSupplement', { id: claimId, materials: answer }),
      };
    }
    case 'originalsSent':
      return {
        operation,
        claimId,
        result: await call(claimsFunction, owner, 'recordOriginalsSent', {
          id: claimId,
          originalsSent: originalsSentOf(operation),
        }),
      };
  }
}

/** Takes each claim to its starting stage, one call at a time, as staff A (初审, 审核, 结算) and staff C (复核). */
async function advanceTo(world: InterleavingWorld, start: ReadonlyArray<(typeof stages)[number]>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const [claim, stage] of start.entries()) {
    const path: Operation[] = [
      { kind: 'submit', claim, copy: 0 },
      { kind: 'decide', claim, by: 0, action: 'passPreliminary' },
      { kind: 'decide', claim, by: 0, action: 'passReview' },
      { kind: 'step', claim, by: 0, action: 'receiveOriginals' },
      { kind: 'step', claim, by: 0, action: 'settle' },
      { kind: 'step', claim, by: 2, action: 'verify' },
    ];
    const steps = { draft: 0, submitted: 1, preliminaryPassed: 2, reviewPassed: 4, settled: 5, verified: 6 }[stage];
    for (const operation of path.slice(0, steps)) {
      const outcome = await perform(world, world.ports.store, operation);
      if (!outcome.result.ok) throw new Error(`could not reach ${stage}: ${JSON.stringify(outcome.result.error)}`);
      outcomes.push(outcome);
    }
  }
  return outcomes;
}

/** Runs the rounds under the scheduler; returns every outcome. */
export async function runRounds(
  world: InterleavingWorld,
  scheduler: fc.Scheduler,
  plan: Operation[][],
): Promise<Outcome[]> {
  const store = scheduledStore(world.ports.store, scheduler);
  const outcomes: Outcome[] = [];
  for (const round of plan) {
    const running = Promise.all(round.map((operation) => perform(world, store, operation)));
    await scheduler.waitFor(running);
    outcomes.push(...(await running));
  }
  return outcomes;
}

/** The outpatient caps of the policy the claims are estimated with, resolved for their date of service. */
function outpatientCaps(): { deductible: number; annualLimit: number } {
  const policy = samplePolicyById('dalian-employee-2025');
  if (!policy) throw new Error('the sample policy dalian-employee-2025 is gone');
  const { deductible, annualLimit } = resolvePolicy(policy, formOf(0).visit.visitDate!).outpatient as {
    deductible: number;
    annualLimit?: number;
  };
  if (typeof deductible !== 'number' || typeof annualLimit !== 'number')
    throw new Error('the outpatient caps of dalian-employee-2025 did not resolve to numbers');
  return { deductible, annualLimit };
}

/**
 * An installation upgraded from before the dashboard facts: the first submitted claim (by id) loses its facts and
 * the backfill starts over, so the runs' drains write them while transitions race them. Returns its id, if any.
 */
async function forgetFacts(world: InterleavingWorld): Promise<string[]> {
  const { store } = world.ports;
  const [first] = await store.collection<ClaimFactsDoc>(CLAIM_FACTS).find({}, { sort: { _id: 1 }, limit: 1 });
  await store.collection(JOBS).remove(BACKFILL_MARKER);
  if (!first) return [];
  await store.collection(CLAIM_FACTS).remove(first._id);
  return [first._id];
}

/**
 * Checks every invariant on the store as the runs left it; throws with what broke. `forgotten`: claims whose facts
 * were removed before the runs (a transition or a drain's backfill writes them again; until then they may lack them).
 */
export async function checkInvariants(
  world: InterleavingWorld,
  outcomes: readonly Outcome[],
  forgotten: readonly string[] = [],
): Promise<void> {
  const { store } = world.ports;
  const internal = outcomes.filter((outcome) => !outcome.result.ok && !allowedRefusals.has(outcome.result.error.code));
  if (internal.length > 0)
    throw new Error(
      `unexpected answers: ${JSON.stringify(internal.map((outcome) => [outcome.operation, outcome.result]))}`,
    );

  const claims = await store.collection<ClaimDoc>('claims').find({}, { limit: 100 });
  const ledgers = await store.collection<LedgerDoc>('ledgers').find({}, { limit: 100 });

  // 1. The ledger equals the sum of the settled, un-reversed claims.
  const settled = claims.filter((claim) => SETTLED.includes(claim.status));
  const ledger = ledgers[0];
  const sum = (pick: (claim: ClaimDoc) => number): number => settled.reduce((total, claim) => total + pick(claim), 0);
  if (ledgers.length > 1) throw new Error(`one person, one year: ${ledgers.length} ledgers`);
  expectEqual('ledger entries', Object.keys(ledger?.entries ?? {}).sort(), settled.map((claim) => claim._id).sort());
  expectEqual(
    'deductible used',
    ledger?.ledger.deductibleUsed.outpatient ?? 0,
    sum((claim) => claim.settlement?.deductibleTaken ?? NaN),
  );
  expectEqual(
    'benefit paid',
    ledger?.ledger.benefitPaid.outpatient ?? 0,
    sum((claim) => claim.settlement?.fundPays ?? NaN),
  );
  expectEqual(
    'in-policy cost',
    ledger?.ledger.inPolicyCost.outpatient ?? 0,
    sum((claim) => claim.settlement?.inPolicy ?? NaN),
  );
  for (const claim of claims) {
    if (SETTLED.includes(claim.status) !== (claim.settlement !== null))
      throw new Error(
        `claim ${claim._id} in ${claim.status} with settlement ${JSON.stringify(claim.settlement?.fundPays)}`,
      );
  }

  // 1b. Each live settlement is what the rules give on the ledger of the live ones settled before it: taking an
  // earlier one back first left a later one paid without the 起付线 it had been spared (a probe), while 1 still held.
  let running = emptyLedger(ledger?.policyYear ?? 0);
  const inOrder = Object.entries(ledger?.entries ?? {}).sort(([, a], [, b]) => (a.seq ?? 0) - (b.seq ?? 0));
  for (const [claimId, entry] of inOrder) {
    const doc = claims.find((claim) => claim._id === claimId)!;
    const again = estimate(reviewedClaim(world.ports.sealer, doc), await policyOf(world.ports.policies, doc), running);
    expectEqual(`claim ${claimId} settled on the ones before it`, entry.result.totalPaid, again.result.totalPaid);
    running = again.ledgerAfter;
  }

  // 2. No cap is passed.
  const outpatient = outpatientCaps();
  if (ledger) {
    if (ledger.ledger.deductibleUsed.outpatient! > outpatient.deductible)
      throw new Error(`deductible ${ledger.ledger.deductibleUsed.outpatient} over ${outpatient.deductible}`);
    if (ledger.ledger.benefitPaid.outpatient! > outpatient.annualLimit)
      throw new Error(`benefit ${ledger.ledger.benefitPaid.outpatient} over ${outpatient.annualLimit}`);
  }

  // 3. The receipt registry holds exactly the receipts of live claims.
  const held = await store.collection<ReceiptKeyDoc>('receiptKeys').find({}, { limit: 100 });
  const live = claims.filter((claim) => LIVE.includes(claim.status));
  expectEqual(
    'registry keys',
    held.map((key) => `${key.claimId}:${key._id}`).sort(),
    live.flatMap((claim) => claim.heldReceiptKeys.map((key) => `${claim._id}:${key}`)).sort(),
  );
  for (const claim of live)
    if (claim.heldReceiptKeys.length === 0) throw new Error(`live claim ${claim._id} holds no receipt`);

  // 4. Every history is a legal path; one event per transition taken.
  for (const claim of claims) {
    let state: ClaimWorkflowState = {
      status: 'draft',
      ownerId: claim._openid,
      paperOriginalsRequired: claim.paperOriginalsRequired,
      paperOriginalsReceived: false,
    };
    claim.events.forEach((event, index) => {
      if (event.seq !== index + 1) throw new Error(`claim ${claim._id}: event ${index} has seq ${event.seq}`);
      const actor = [owner, ...staff].find((candidate) => candidate.openid === event.actor);
      if (!actor) throw new Error(`unknown actor ${event.actor}`);
      const input = {
        reasonCode: event.reasonCode,
        reasonText: event.reasonCode ? undefined : event.reason,
        materials: event.materials,
        missingMaterials: [],
        figures: event.figures ?? (event.action === 'settle' ? {} : undefined),
        reference: event.reference,
        checks: event.checks,
        originalsSent: event.originalsSent,
      };
      state = applyTransition(
        state,
        event.action,
        { id: actor.openid, roles: actor.roles },
        JSON.parse(JSON.stringify(input)) as never,
        new Date(event.at),
      ).state;
      if (state.status !== event.to)
        throw new Error(`claim ${claim._id}: event ${index} leads to ${state.status}, recorded ${event.to}`);
    });
    if (state.status !== claim.status)
      throw new Error(`claim ${claim._id}: history ends in ${state.status}, stored ${claim.status}`);
    // The originals as stored are the last 登记寄出 of the history (the replay above refuses one after 登记收到).
    const lastSent = claim.events.filter((event) => event.action === 'recordOriginalsSent').at(-1);
    if (lastSent) {
      expectEqual(`originals of ${claim._id}`, claim.originals, lastSent.originalsSent);
      expectEqual(`originals sent at of ${claim._id}`, claim.originalsSentAt, lastSent.at);
    }
    const taken = outcomes.filter(
      (outcome) =>
        (outcome.claimId === claim._id || outcome.claimIds?.includes(claim._id)) &&
        outcome.result.ok &&
        outcome.operation.kind !== 'submit' &&
        outcome.operation.kind !== 'originalsSent',
    ).length;
    const submits = outcomes.some(
      (outcome) => outcome.claimId === claim._id && outcome.result.ok && outcome.operation.kind === 'submit',
    )
      ? 1
      : 0;
    // 登记寄出 of what is recorded already is answered and writes nothing: one event per accepted 登记 that changed it.
    const sentEvents = claim.events.filter((event) => event.action === 'recordOriginalsSent');
    const sentAccepted = outcomes.filter(
      (outcome) => outcome.claimId === claim._id && outcome.result.ok && outcome.operation.kind === 'originalsSent',
    ).length;
    if (sentEvents.length > sentAccepted)
      throw new Error(`claim ${claim._id}: ${sentEvents.length} 登记寄出 events, ${sentAccepted} accepted`);
    sentEvents.forEach((event, index) => {
      if (index > 0 && canonicalJson(event.originalsSent) === canonicalJson(sentEvents[index - 1]!.originalsSent))
        throw new Error(`claim ${claim._id}: 登记寄出 recorded the same twice in a row`);
    });
    expectEqual(`events of ${claim._id}`, claim.events.length, taken + submits + sentEvents.length);
  }

  // Payment batches: a claim is in the batch it names, a batch's total is its claims' settlements,
  // a paid batch's claims are paid, and an open batch's claims are 复核通过 still.
  const batches = await store.collection<PaymentBatchDoc>('paymentBatches').find({}, { limit: 100 });
  for (const batch of batches) {
    const members = claims.filter((claim) => claim.paymentBatchId === batch._id);
    expectEqual(
      `claims of batch ${batch._id}`,
      members.map((claim) => claim._id).sort(),
      batch.lines.map((line) => line.claimId).sort(),
    );
    expectEqual(
      `total of batch ${batch._id}`,
      batch.totalFen,
      members.reduce((sum, claim) => sum + (claim.paidFen ?? NaN), 0),
    );
    for (const claim of members)
      expectEqual(
        `status of ${claim._id} in ${batch.status} batch`,
        claim.status,
        batch.status === 'paid' ? 'paid' : 'verified',
      );
  }
  for (const claim of claims)
    if (claim.paymentBatchId && !batches.some((batch) => batch._id === claim.paymentBatchId))
      throw new Error(`claim ${claim._id} names a missing batch`);

  // 7. Every submitted claim's dashboard facts are those of the claim as stored (its version), and no other claim has any;
  //    the dashboard counted from the facts by the store is the dashboard counted from the claims. Checked before the
  //    drain below, whose run writes the facts of claims that lack them.
  //    Facts the runs' backfill wrote, racing the transitions, are never those of an older version of the claim.
  const calendar = await workingCalendar(store, world.ports.clock);
  const derived: ClaimFactsDoc[] = [];
  for (const claim of claims) {
    const facts = await claimFactsOf(claim, world.ports.policies, calendar);
    if (facts) derived.push(facts);
  }
  const byId = (docs: ClaimFactsDoc[]): string[] =>
    docs.map((doc) => canonicalJson(doc)).sort((x, y) => x.localeCompare(y));
  const storedFacts = (): Promise<ClaimFactsDoc[]> =>
    store.collection<ClaimFactsDoc>(CLAIM_FACTS).find({}, { limit: 100 });
  const present = new Set((await storedFacts()).map((doc) => doc._id));
  const missing = derived.filter((doc) => !present.has(doc._id)).map((doc) => doc._id);
  if (missing.some((id) => !forgotten.includes(id))) throw new Error(`claims without facts: ${missing.join(', ')}`);
  if (forgotten.some((id) => present.has(id))) reached.factsRewritten += 1;
  expectEqual('dashboard facts', byId(await storedFacts()), byId(derived.filter((doc) => present.has(doc._id))));
  if (missing.length > 0) {
    while (!(await backfillClaimFacts(world.ports, { pages: 10 })).complete);
    expectEqual('dashboard facts after the backfill', byId(await storedFacts()), byId(derived));
  }
  const now = world.ports.clock.now();
  expectEqual(
    'dashboard from facts',
    dashboardFiguresOf(await groupsFromFacts(store, now), now),
    dashboardFiguresOf(await groupsFromClaims(store, world.ports.policies, world.ports.clock), now),
  );

  // 5. One card per (claim, event) once the outbox is drained.
  for (let pass = 0; pass < 5; pass += 1)
    await drainWith(world.ports, { notifier: new RecordingNotifier(store), templateIds: localTemplateIds });
  const cards = await store.collection<NotificationDoc>('notifications').find({}, { limit: 100 });
  const expected = claims.flatMap((claim) =>
    claim.events
      .filter((event) => describeClaimEvent(claim as unknown as NotifiableClaim, event) !== null)
      .map((event) => `${claim._id}-${event.seq}`),
  );
  expectEqual('cards', cards.map((card) => card._id).sort(), expected.sort());
}

/** JSON with every object's keys in order (PostgreSQL's jsonb gives them back in its own order). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)))
      : inner,
  );
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new Error(`${what}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
}

/** How many runs reached what: printed by the suite so a weak generator shows. */
export const reached = {
  runs: 0,
  settled: 0,
  reversed: 0,
  paid: 0,
  paidByBatch: 0,
  capped: 0,
  duplicates: 0,
  conflicts: 0,
  originalsSent: 0,
  originalsLate: 0,
  /** Runs in which the claim whose facts were removed had them again before the final backfill (a drain or a transition). */
  factsRewritten: 0,
};

/** How many schedules each property explores: INTERLEAVING_RUNS, else 1,000. */
export const interleavingRuns = (): number => Number(process.env.INTERLEAVING_RUNS ?? '800');

/**
 * The wall-clock budget of one exploration (INTERLEAVING_BUDGET_MS, else 8 minutes): 1,000 schedules take
 * ≈ 3.5 minutes on a quiet 2-core machine, but a loaded CI machine ran them for over an hour. Past the budget
 * fast-check stops starting new schedules (every schedule started is still checked in full) and the suite
 * requires at least `minimumInterleavingRuns` of them, so a slow machine explores fewer but never none.
 */
export const interleavingOptions = (): {
  numRuns: number;
  interruptAfterTimeLimit: number;
  markInterruptAsFailure: false;
} => ({
  numRuns: interleavingRuns(),
  interruptAfterTimeLimit: Number(process.env.INTERLEAVING_BUDGET_MS ?? String(8 * 60_000)),
  markInterruptAsFailure: false,
});

/** The fewest schedules a budgeted run may stop at and still count as a proof (or all asked for, if fewer). */
export const minimumInterleavingRuns = (): number => Math.min(interleavingRuns(), 300);

/** The property over one kind of ports: `makePorts` gives a fresh, empty set per run. */
export function interleavingProperty(
  makePorts: () => Promise<Ports>,
  fileDocId: FileDocId = embeddedFileDocId,
): fc.IAsyncPropertyWithHooks<[ReadonlyArray<(typeof stages)[number]>, fc.Scheduler, Operation[][]]> {
  return fc.asyncProperty(startingStages, fc.scheduler(), rounds, async (start, scheduler, plan) => {
    const world = await seedWorld(await makePorts(), fileDocId);
    const started = await advanceTo(world, start);
    const forgotten = await forgetFacts(world);
    const outcomes = [...started, ...(await runRounds(world, scheduler, plan))];
    await checkInvariants(world, outcomes, forgotten);
    reached.runs += 1;
    const claims = await world.ports.store.collection<ClaimDoc>('claims').find({}, { limit: 100 });
    if (claims.some((claim) => SETTLED.includes(claim.status))) reached.settled += 1;
    if (claims.some((claim) => claim.events.some((event) => event.action === 'returnFromVerification')))
      reached.reversed += 1;
    if (claims.some((claim) => claim.status === 'paid')) reached.paid += 1;
    if (claims.some((claim) => (claim.settlement?.capsHit.length ?? 0) > 0)) reached.capped += 1;
    if (outcomes.some((outcome) => !outcome.result.ok && outcome.result.error.code === 'DUPLICATE_RECEIPT'))
      reached.duplicates += 1;
    if (outcomes.some((outcome) => !outcome.result.ok && outcome.result.error.code === 'CONFLICT'))
      reached.conflicts += 1;
    if (claims.some((claim) => claim.paymentBatchId && claim.status === 'paid')) reached.paidByBatch += 1;
    if (claims.some((claim) => claim.events.some((event) => event.action === 'recordOriginalsSent')))
      reached.originalsSent += 1;
    if (
      outcomes.some(
        (outcome) =>
          !outcome.result.ok &&
          outcome.operation.kind === 'originalsSent' &&
          outcome.result.error.code === 'ORIGINALS_ALREADY_RECEIVED',
      )
    )
      reached.originalsLate += 1;
  });
}

export type { Operation, WorkflowAction };
