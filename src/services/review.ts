/**
 * The reviewer's side of the cloud (经办审核): one typed function per action of the `review` function.
 * The wire shapes are shared with the server through src/core/contracts/views.ts.
 */
import type { ClaimStatus, Page } from '../core/contracts/claimDraft';
import type { ClaimListItem, LineCorrection, ReviewClaimDetail, ReviewQueueItem } from '../core/contracts/views';
import type { EstimateResult, LineItem } from '../core/engine';
import type { MaterialId } from '../core/materials';
import type { RejectReason, SupplementReason } from '../core/workflow';
import { call } from './cloud';

/** What a claim's status change returns (the claim's summary). */
export type ReviewClaimSummary = ClaimListItem;

export type { LineCorrection, ReceiptReadingView, ReviewClaimDetail, ReviewPhoto, ReviewQueueItem } from '../core/contracts/views';

export interface ReviewQueueFilter {
  page?: number;
  pageSize?: number;
  status?: ClaimStatus;
  region?: string;
  overdue?: boolean;
}

export type ReviewDecision =
  | { action: 'passPreliminary' }
  | { action: 'passReview' }
  | { action: 'requestSupplement'; materials: MaterialId[]; reasonCode: SupplementReason; reasonText?: string }
  | { action: 'reject'; reasonCode: RejectReason; reasonText?: string }
  | { action: 'returnFromVerification'; reasonText: string };

export const reviewApi = {
  queue: (filter: ReviewQueueFilter = {}) => call<Page<ReviewQueueItem>>('review', 'queue', { page: 1, ...filter }),
  get: (id: string) => call<ReviewClaimDetail>('review', 'get', { id }),
  editLineItems: (id: string, lineItems: LineItem[], reason: string) =>
    call<{ reviewEstimate: EstimateResult; corrections: LineCorrection[] }>('review', 'editLineItems', { id, lineItems, reason }),
  decide: (id: string, decision: ReviewDecision) => call<ReviewClaimSummary>('review', 'decide', { id, ...decision }),
  settle: (id: string) => call<ReviewClaimSummary>('review', 'settle', { id }),
  verify: (id: string) => call<ReviewClaimSummary>('review', 'verify', { id }),
  markPaid: (id: string) => call<ReviewClaimSummary>('review', 'markPaid', { id }),
  receiveOriginals: (id: string) => call<ReviewClaimSummary>('review', 'receiveOriginals', { id }),
};
