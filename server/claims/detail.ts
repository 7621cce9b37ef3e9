/**
 * A claim as its detail page shows it: the claimant's (`claims.get`) and the reviewer's (`review.get`, which adds what
 * only staff see). Apart from the handlers, so that the review function does not carry the claims function with it.
 */
import type { ClaimDetail } from '../../src/core/contracts/views';
import { availableActions, claimTimeline } from '../../src/core/workflow';
import { toSummary, type ClaimDoc, type StoredEvent } from '../repositories/claims';
import { photosToRetake } from './retake';
import { workflowStateOf } from './transition';

/** Staff see who took each step (their WeChat ids, named by the review page); a claimant sees only that staff did. */
const STAFF_ROLES: ReadonlySet<string> = new Set(['reviewer', 'secondReviewer', 'operator']);
export const STAFF_ACTOR = 'staff';

function eventsFor(
  events: readonly StoredEvent[],
  viewer: { openid: string; roles: readonly string[] },
): StoredEvent[] {
  if (viewer.roles.some((role) => STAFF_ROLES.has(role))) return [...events];
  return events.map((event) => (event.actor === viewer.openid ? event : { ...event, actor: STAFF_ACTOR }));
}

export function claimDetailOf(
  doc: ClaimDoc,
  actor: { openid: string; roles: readonly string[] },
  form: Record<string, unknown> | null = doc.form,
): ClaimDetail {
  const state = workflowStateOf(doc);
  return {
    ...toSummary(doc),
    form,
    materials: doc.materials,
    policy: doc.policy,
    estimate: doc.estimate,
    reviewEstimate: doc.reviewEstimate,
    settlement: doc.settlement,
    requestedMaterials: doc.requestedMaterials,
    supplementReason: doc.supplementReason,
    paperOriginalsRequired: doc.paperOriginalsRequired,
    paperOriginalsReceived: doc.paperOriginalsReceived,
    originals: doc.originals,
    mailCode: doc.mailCode ?? null,
    personId: doc.personId ?? null,
    personRelation: doc.personRelation ?? null,
    timeline: claimTimeline(doc.status, doc.events, {
      settledFen: doc.paidFen,
      estimatedFen: (doc.reviewEstimate ?? doc.estimate)?.totalPaid ?? null,
    }),
    events: eventsFor(doc.events, actor),
    actions: availableActions(state, { id: actor.openid, roles: actor.roles }).map((transition) => transition.action),
    version: doc.version,
    photosToRetake: photosToRetake(doc).map(({ fileID, materialId }) => ({ fileID, materialId })),
  };
}
