import type { CrossCheckResult, ExtractedReceipt } from '../core/receipt';
/**
 * The reviewer's side of the cloud (经办审核): one typed function per action of the `review` function.
 * The wire shapes are declared here from the core's types, so the app never imports the server.
 */
import type { ClaimStatus, Page } from '../core/contracts/claimDraft';
import type { ClaimForm } from '../core/contracts/claim';
import type { EstimateResult, LineItem } from '../core/engine';
import type { MaterialId } from '../core/materials';
import type { Fen } from '../core/money';
import type { AuditEvent, RejectReason, SupplementReason, Timeline, WorkflowAction } from '../core/workflow';
import { call } from './cloud';

/** What a claim's status change returns (the claim's summary). */
export interface ReviewClaimSummary {
  id: string;
  title: string;
  amountFen: Fen;
  status: ClaimStatus;
  createdAt: string;
  updatedAt: string;
  dueDate: string | null;
  submittedAt: string | null;
  paidFen: Fen | null;
  estimateFundFen: Fen | null;
}

export interface ReviewQueueItem extends ReviewClaimSummary {
  region: string | null;
  overdue: boolean;
  /** The claimant's name with all but the first character masked. */
  ownerMasked: string;
}

export interface ReviewQueueFilter {
  page?: number;
  pageSize?: number;
  status?: ClaimStatus;
  region?: string;
  overdue?: boolean;
}

export interface ReviewPhoto {
  materialId: string;
  fileID: string;
  url: string;
}

export interface LineCorrection {
  index: number;
  before: LineItem | null;
  after: LineItem | null;
  reason: string;
  by: string;
  at: string;
}

export interface ReviewClaimDetail extends ReviewClaimSummary {
  /** The submitted form with the personal fields opened (reviewers only). */
  form: ClaimForm | null;
  materials: Partial<Record<MaterialId, string[]>>;
  policy: { id: string; version: string } | null;
  estimate: EstimateResult | null;
  reviewEstimate: EstimateResult | null;
  settlement: EstimateResult | null;
  requestedMaterials: MaterialId[];
  supplementReason: string | null;
  paperOriginalsRequired: boolean;
  paperOriginalsReceived: boolean;
  timeline: Timeline;
  events: AuditEvent[];
  /** The workflow actions this reviewer may take now. */
  actions: WorkflowAction[];
  photos: ReviewPhoto[];
  /** Each receipt photo: what was read and every duplicate hit. */
  receipts: ReceiptReadingView[];
  corrections: LineCorrection[];
  reviewedLineItems: LineItem[] | null;
  overdue: boolean;
  settledBy: string | null;
  originals: { method: 'mail' | 'inPerson'; trackingNumber?: string } | null;
}

/** What the claimant's receipt photo read as, and where else the same receipt was filed. */
export interface ReceiptReadingView {
  fileID: string;
  reading: { extracted: ExtractedReceipt; crossCheck: CrossCheckResult; image: { width: number; height: number } } | null;
  duplicates: Array<{ claimLabel: string; basis: string; mine: boolean }>;
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
