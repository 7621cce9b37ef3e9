/**
 * Taking a workflow step on a stored claim: the pure state machine (src/core/workflow) decides,
 * this writes — status, the appended audit event and `notifyPending` in one single-document update
 * guarded by the version read. A lost race answers CONFLICT, never a half-applied step.
 */
import { DomainError } from '../../src/core/errors';
import { applyTransition, type ClaimWorkflowState, type TransitionInput } from '../../src/core/workflow';
import type { Caller, Clock, Store } from '../ports';
import { claimsOf, nextSeq, type ClaimDoc } from '../repositories/claims';

export function workflowStateOf(doc: ClaimDoc): ClaimWorkflowState {
  return {
    status: doc.status,
    ownerId: doc._openid,
    settledBy: doc.settledBy,
    paperOriginalsRequired: doc.paperOriginalsRequired,
    paperOriginalsReceived: doc.paperOriginalsReceived,
    requestedMaterials: doc.requestedMaterials,
  };
}

export const conflictError = (): DomainError => new DomainError('CONFLICT', '这份申请刚刚被更新过，请刷新后再操作');

/** Applies `action` and writes it with `extra` fields; returns the stored document. */
export async function transitionClaim(
  context: { store: Store; clock: Clock; caller: Caller },
  doc: ClaimDoc,
  action: string,
  input: TransitionInput,
  extra: Partial<ClaimDoc> = {},
): Promise<ClaimDoc> {
  const now = context.clock.now();
  const { state, event } = applyTransition(workflowStateOf(doc), action, { id: context.caller.openid, roles: context.caller.roles }, input, now);
  const patch: Partial<ClaimDoc> = {
    ...extra,
    status: state.status,
    settledBy: state.settledBy ?? null,
    paperOriginalsReceived: state.paperOriginalsReceived ?? false,
    requestedMaterials: [...(state.requestedMaterials ?? [])],
    events: [...doc.events, { ...event, seq: nextSeq(doc) }],
    notifyPending: true,
    version: doc.version + 1,
    updatedAt: now.toISOString(),
  };
  if (!(await claimsOf(context.store).update(doc._id, patch, { expectVersion: doc.version }))) throw conflictError();
  return { ...doc, ...patch };
}
