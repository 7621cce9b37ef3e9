/** Claim queries and mutations of the app, one typed function per action of the `claims` function. */
import type { ClaimDraftInput, ClaimSummary, Page } from '../core/contracts/claimDraft';
import { call } from './cloud';

export const claimsApi = {
  createDraft: (input: ClaimDraftInput, requestId: string) => call<ClaimSummary>('claims', 'createDraft', input, { requestId }),
  listMine: (page = 1) => call<Page<ClaimSummary>>('claims', 'listMine', { page }),
  get: (id: string) => call<ClaimSummary>('claims', 'get', { id }),
};
