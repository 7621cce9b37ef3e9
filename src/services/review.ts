/**
 * The reviewer's side of the cloud (经办审核): one typed function per action of the `review` function.
 * The wire shapes are shared with the server through src/core/contracts/views.ts.
 */
import type { ClaimStatus, Page } from '../core/contracts/claimDraft';
import type { DownloadedFile } from '../core/contracts/payments';
import type {
  EditLineItemsInput,
  FastPassInput,
  FastPassManyInput,
  FastPassOutcome,
  ReviewDecisionInput,
  ReviewReadReceiptInput,
  ReviewReceiptRead,
  ReviewStepInput,
  SettleInput,
} from '../core/contracts/review';
import type {
  AuditTrail,
  ClaimListItem,
  LineCorrection,
  ReviewClaimDetail,
  ReviewQueueItem,
} from '../core/contracts/views';
import type { DashboardFigures } from '../core/dashboard';
import type { EstimateResult, LineItem } from '../core/engine';
import type { MaterialId } from '../core/materials';
import type { RejectReason, SupplementReason } from '../core/workflow';
import { call } from './cloud';

/** What a claim's status change returns (the claim's summary). */
export type ReviewClaimSummary = ClaimListItem;

export type {
  LineCorrection,
  ReceiptReadingView,
  ReviewClaimDetail,
  ReviewPhoto,
  ReviewQueueItem,
} from '../core/contracts/views';

export interface ReviewQueueFilter {
  page?: number;
  pageSize?: number;
  status?: ClaimStatus;
  region?: string;
  overdue?: boolean;
  /** 可快速办理: only claims whose every pre-check passed. */
  clean?: boolean;
  /** 邮寄编号 from an envelope of paper originals. */
  mailCode?: string;
  /** 查找申请: a 申请编号, 邮寄编号, or the 参保人's 身份证号 or name, as typed (src/core/queueSearch.ts). */
  search?: string;
  /** Settled at 0 元 (已办结（无报销款）) or with money to pay; unsettled claims match neither. */
  settledAtZero?: boolean;
}

/** A decision as the reviewer page builds it (the claim and its expected status are added by the call). */
export type ReviewDecision =
  | { action: 'passPreliminary' }
  | { action: 'passReview' }
  | {
      action: 'requestSupplement';
      materials: MaterialId[];
      reasonCode: SupplementReason;
      reasonText?: string;
      /** Photos sent back to be taken again (重拍): they leave the claim's materials. */
      retakePhotos?: string[];
    }
  | { action: 'reject'; reasonCode: RejectReason; reasonText?: string }
  | { action: 'returnFromVerification'; reasonText: string };

/** The claim as the reviewer saw it: a step on a claim that moved since answers CONFLICT. */
export type ClaimSeen = ReviewStepInput;

export function claimSeen(detail: Pick<ReviewClaimDetail, 'id' | 'status' | 'version'>): ClaimSeen {
  return { id: detail.id, expectedStatus: detail.status, expectedVersion: detail.version };
}

export const reviewApi = {
  queue: (filter: ReviewQueueFilter = {}) => call<Page<ReviewQueueItem>>('review', 'queue', { page: 1, ...filter }),
  get: (id: string) => call<ReviewClaimDetail>('review', 'get', { id }),
  editLineItems: (seen: ClaimSeen, lineItems: LineItem[], reason: string) =>
    call<{ reviewEstimate: EstimateResult; corrections: LineCorrection[] }>('review', 'editLineItems', {
      ...seen,
      lineItems,
      reason,
    } satisfies EditLineItemsInput),
  decide: (seen: ClaimSeen, decision: ReviewDecision) =>
    call<ReviewClaimSummary>('review', 'decide', { ...seen, ...decision } satisfies ReviewDecisionInput),
  /** 结算 of the figure the page showed (its 结算预估): another figure, the year having moved, is refused. */
  settle: (seen: ClaimSeen, expectedPaidFen: number) =>
    call<ReviewClaimSummary>('review', 'settle', { ...seen, expectedPaidFen } satisfies SettleInput),
  verify: (seen: ClaimSeen) => call<ReviewClaimSummary>('review', 'verify', seen),
  /** 办结（无需支付）: a claim settled at 0 元 (复核 closes such claims itself; this is for one left at 复核通过). */
  closeWithoutPayment: (seen: ClaimSeen) => call<ReviewClaimSummary>('review', 'closeWithoutPayment', seen),
  receiveOriginals: (seen: ClaimSeen) => call<ReviewClaimSummary>('review', 'receiveOriginals', seen),
  /** 快速办理: 初审 and 审核 of a clean claim in one confirmed step (two audited events). */
  fastPass: (seen: ClaimSeen) => call<ReviewClaimSummary>('review', 'fastPass', seen satisfies FastPassInput),
  /** Many clean claims, each passed separately: one outcome per claim. */
  fastPassMany: (claims: ClaimSeen[]) =>
    call<FastPassOutcome[]>('review', 'fastPassMany', { claims } satisfies FastPassManyInput),
  dashboard: () => call<DashboardFigures>('review', 'dashboard', {}),
  dashboardCsv: () => call<DownloadedFile>('review', 'dashboardCsv', {}),
  audit: (id: string) => call<AuditTrail>('review', 'audit', { id }),
  /** 识别票据: a receipt photo nobody read, read now (the `receipts` function has the OCR; a few seconds). */
  readReceipt: (id: string, fileID: string) =>
    call<ReviewReceiptRead>('receipts', 'readForReview', { id, fileID } satisfies ReviewReadReceiptInput),
};
