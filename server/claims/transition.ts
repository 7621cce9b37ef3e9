/**
 * The one write path for a claim's state: a transition = (claim id, the status and version the
 * caller expects, an event). Inside one store transaction it reads the claim, checks the caller's
 * expectation and the state machine (src/core/workflow), runs the effects the transition owns
 * (server/claims/effects.ts: receipt reservations, the ledger), appends the event and writes the
 * claim whole with version + 1 and `notifyPending` (the outbox reads the events), and the claim's
 * dashboard facts beside it (server/claims/dashboardFacts.ts). Every write lands
 * together or none does; a repeat of the same request finds the claim already moved and answers
 * with it (`alreadyDone`, or the request id recorded on the event). Nothing outside a transition writes or undoes what it wrote.
 */
import type { ClaimStatus } from '../../src/core/contracts/claimDraft';
import { DomainError } from '../../src/core/errors';
import {
  applyTransition,
  assertAllowed,
  handlersOf,
  transitionOf,
  type AuditEvent,
  type ClaimWorkflowState,
  type TransitionInput,
  type WorkflowAction,
} from '../../src/core/workflow';
import type { Caller, Ports, Transaction } from '../ports';
import { nextSeq, type ClaimDoc } from '../repositories/claims';
import { runEffects, type Prepared } from './effects';
import { writeClaimFacts } from './dashboardFacts';
import { workingCalendar } from '../policies/calendar';
import type { WorkingCalendar } from '../../src/core/workingCalendar';

/** The fields `workflowStateOf` reads (FindOptions.fields of a list that judges its claims' next steps). */
export const workflowStateFields = [
  'status',
  '_openid',
  'settledBy',
  'events',
  'corrections',
  'paperOriginalsRequired',
  'paperOriginalsReceived',
  'requestedMaterials',
  'paymentBatchId',
  'paidFen',
] as const;

export function workflowStateOf(doc: ClaimDoc): ClaimWorkflowState {
  return {
    status: doc.status,
    ownerId: doc._openid,
    settledBy: doc.settledBy,
    handledBy: handlersOf(doc.events, doc.corrections),
    paperOriginalsRequired: doc.paperOriginalsRequired,
    paperOriginalsReceived: doc.paperOriginalsReceived,
    requestedMaterials: doc.requestedMaterials,
    paymentBatch: doc.paymentBatchId ?? null,
    payableFen: doc.paidFen ?? null,
  };
}

export const conflictError = (): DomainError =>
  new DomainError('CONFLICT', '这份申请刚刚被其他人更新过，请刷新后查看最新状态再操作');
export const notFoundError = (): DomainError => new DomainError('NOT_FOUND', '没有找到这份报销申请');
export const requestIdReusedError = (): DomainError =>
  new DomainError('REQUEST_ID_REUSED', '这一步已经用同一个请求办过，内容却不同。请刷新页面，看清现在的状态后再办理');

export type TransitionContext = Pick<Ports, 'store' | 'clock' | 'sealer' | 'policies'> & {
  caller: Caller;
  /** The request's id (the envelope's `requestId`): recorded on the event, so a retry finds its step taken. */
  requestId?: string | undefined;
  /** What the request asked (framework's `requestDigestOf`), recorded with its id. */
  requestDigest?: string | undefined;
};

/**
 * The same request again, by the same person, for the same step: its event is on the claim already. The same request
 * id with other content (another tracking number under the id of the first) is refused: answering as the first did
 * made the person think the second was recorded (black-box probe).
 */
function isRepeat(doc: ClaimDoc, action: WorkflowAction, context: TransitionContext): boolean {
  const { requestId, requestDigest } = context;
  if (requestId === undefined) return false;
  // The id of another request that took another step on this claim (初审通过's id sent again with 审核通过: a probe's was
  // taken). One request taking two steps (快速办理: 初审 then 审核) sends one body, so its digest is the same.
  const other = doc.events.find(
    (event) => event.requestId === requestId && event.action !== action && event.actor === context.caller.openid,
  );
  if (other?.requestDigest !== undefined && requestDigest !== undefined && other.requestDigest !== requestDigest)
    throw requestIdReusedError();
  const taken = doc.events.find(
    (event) => event.requestId === requestId && event.action === action && event.actor === context.caller.openid,
  );
  if (!taken) return false;
  if (taken.requestDigest !== undefined && requestDigest !== undefined && taken.requestDigest !== requestDigest)
    throw requestIdReusedError();
  return true;
}

export interface TransitionRequest {
  claimId: string;
  action: WorkflowAction;
  /** The status the caller saw when deciding: any other status answers CONFLICT. */
  expectedStatus?: ClaimStatus;
  /** The version the caller saw (optional, stricter). */
  expectedVersion?: number;
  /** The step's input; a function when it depends on the claim as read in the transaction. */
  input?: TransitionInput | ((doc: ClaimDoc) => TransitionInput);
  /** Who may see the claim at all; anyone else gets NOT_FOUND (ids of others' claims are not revealed). */
  visible(doc: ClaimDoc): boolean;
  /** Makes the claim when it does not exist yet (a submit without a saved draft). */
  create?: () => ClaimDoc;
  /** The claim is already where this very request put it (a retry): answer with it, write nothing. */
  alreadyDone?: (doc: ClaimDoc) => boolean;
  /** Fields written with the step, from the claim as read in the transaction and the event. */
  patch?: (doc: ClaimDoc, event: AuditEvent, tx: Transaction) => Promise<Partial<ClaimDoc>> | Partial<ClaimDoc>;
  /** What the effects need that was read before the transaction (receipt keys). */
  prepared?: Prepared;
}

/** Takes one workflow step on a stored claim in one transaction; returns the claim as written. */
export async function transitionClaim(context: TransitionContext, request: TransitionRequest): Promise<ClaimDoc> {
  const calendar = await workingCalendar(context.store, context.clock);
  return context.store.transaction((tx) => applyClaimTransition(tx, context, request, calendar));
}

/**
 * The same step inside a transaction the caller holds: for steps that move several claims together
 * (a payment batch takes all of its claims, or none). `calendar`: the working calendar the claim's
 * dashboard facts count a payment's working days with, read before the transaction (a plain read inside
 * one would wait for a pooled PostgreSQL connection that the waiting transactions hold: measured, the
 * interleavings suite hung there).
 */
export async function applyClaimTransition(
  tx: Transaction,
  context: TransitionContext,
  request: TransitionRequest,
  calendar: WorkingCalendar,
): Promise<ClaimDoc> {
  const now = context.clock.now();
  const actor = { id: context.caller.openid, roles: context.caller.roles };
  const stored = await tx.get<ClaimDoc>('claims', request.claimId);
  const doc = stored ?? request.create?.() ?? null;
  if (!doc || !request.visible(doc)) throw notFoundError();
  if (request.alreadyDone?.(doc) || isRepeat(doc, request.action, context)) return doc;
  if (request.expectedStatus !== undefined && doc.status !== request.expectedStatus) throw conflictError();
  if (request.expectedVersion !== undefined && doc.version !== request.expectedVersion) throw conflictError();
  const state = workflowStateOf(doc);
  assertAllowed(state, request.action, actor);
  const effects = await runEffects(transitionOf(request.action).effects ?? [], {
    tx,
    doc,
    now,
    sealer: context.sealer,
    policies: context.policies,
    prepared: request.prepared ?? {},
  });
  const input = typeof request.input === 'function' ? request.input(doc) : request.input;
  const { state: next, event } = applyTransition(state, request.action, actor, { ...input, ...effects.input }, now);
  const fields = request.patch ? await request.patch(doc, event, tx) : {};
  const written: ClaimDoc = {
    ...doc,
    ...fields,
    ...effects.patch,
    status: next.status,
    settledBy: next.settledBy ?? null,
    paperOriginalsReceived: next.paperOriginalsReceived ?? false,
    requestedMaterials: [...(next.requestedMaterials ?? [])],
    paymentBatchId: next.paymentBatch ?? null,
    events: [
      ...doc.events,
      {
        ...event,
        seq: nextSeq(doc),
        ...(context.requestId !== undefined ? { requestId: context.requestId } : {}),
        ...(context.requestId !== undefined && context.requestDigest !== undefined
          ? { requestDigest: context.requestDigest }
          : {}),
      },
    ],
    notifyPending: true,
    version: doc.version + 1,
    updatedAt: now.toISOString(),
  };
  await tx.set('claims', written);
  await writeClaimFacts(tx, context.policies, calendar, written);
  return written;
}
