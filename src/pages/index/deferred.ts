/**
 * What 首页 needs once it has painted: the live draft (getDraft resumes its photo uploads; saves reach the server), the
 * published policies and the draft's filing deadline. These import zod and most of src/core, which the first paint
 * must not wait for (issue 13): ./loadDeferred loads this module after the first paint in H5, at once in the
 * mini-program (where every page of the main package is in the package anyway).
 */
import { draftDeadline, type ClaimDraftState } from '../../core/claimFormDraft';
import { shanghaiDate } from '../../core/deadline';
import type { PolicyDocument } from '../../core/policy';

export { getDraft, subscribeDraft, whyNotPutAside } from '../../services/draft';
export { currentPolicies, refreshPolicies } from '../../services/policies';

export type HomeDeadline = ReturnType<typeof draftDeadline>;

/** The draft's filing deadline with these policies, once its policy and date are known (as the claim pages show it). */
export function deadlineOf(
  draft: ClaimDraftState,
  policies: readonly PolicyDocument[],
  now = new Date(),
): HomeDeadline {
  return draftDeadline(draft, policies, now, shanghaiDate(now));
}
