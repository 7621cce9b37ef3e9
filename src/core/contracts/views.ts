/**
 * What the functions answer, as the app reads it: one declaration shared by the handlers (which
 * build these) and the app's services (which receive them), so the two never drift apart.
 */
import type { EstimateResult, LineItem } from '../engine';
import type { MaterialId } from '../materials';
import type { PrecheckResult } from '../precheck';
import type { Fen } from '../money';
import type { CrossCheckResult, ExtractedReceipt, QrPayload, ReceiptIdentity } from '../receipt';
import type { AuditEvent, Timeline, WorkflowAction } from '../workflow';
import type { ClaimForm } from './claim';
import type { ClaimStatus, ClaimSummary } from './claimDraft';
import type { PersonRelation } from './persons';

/** A claim in a list (mine, or the review queue). */
export interface ClaimListItem extends ClaimSummary {
  dueDate: string | null;
  submittedAt: string | null;
  paidFen: Fen | null;
  /** What the fund pays by the estimate: at submission, or 审核's once it corrected the lines (`estimateReviewed`). */
  estimateFundFen: Fen | null;
  /** The estimate is 审核's (the lines as the agency corrected them), not the form's. */
  estimateReviewed: boolean;
  /** 审核核定费用: the bill's total as the agency corrected it, when it differs from the filed one (else null). */
  reviewedAmountFen: Fen | null;
  /** 待寄出原件: paper originals needed and neither received nor recorded as sent. */
  originalsToSend: boolean;
}

/** How the paper originals go (chosen at filing) and, once the claimant records it, the tracking number or the 自送 day. */
export interface ClaimOriginals {
  method: 'mail' | 'inPerson';
  trackingNumber?: string;
  /** 自送: the day they are (or were) handed in, 'YYYY-MM-DD'. */
  date?: string;
}

export interface StoredEvent extends AuditEvent {
  seq: number;
  /** The request that took the step: the same request again (a retry after a lost answer) answers with the claim. */
  requestId?: string;
  /**
   * What that request asked (a digest of its action and payload): the same request id with other content (another
   * tracking number) is refused, not answered as the first.
   */
  requestDigest?: string;
}

/** One claim as its owner sees it: personal fields masked. */
export interface ClaimDetail extends ClaimListItem {
  form: Record<string, unknown> | null;
  materials: Partial<Record<MaterialId, string[]>>;
  policy: { id: string; version: string; title: string; sample: boolean } | null;
  estimate: EstimateResult | null;
  reviewEstimate: EstimateResult | null;
  settlement: EstimateResult | null;
  requestedMaterials: MaterialId[];
  supplementReason: string | null;
  paperOriginalsRequired: boolean;
  paperOriginalsReceived: boolean;
  originals: ClaimOriginals | null;
  /** 邮寄编号 to write on the envelope (null when no paper originals are needed). */
  mailCode: string | null;
  /** The family member the claim is for. */
  personId: string | null;
  /** Their relation to the filer (子女, 父母 …), as filed; null for claims filed before it was kept. */
  personRelation: PersonRelation | null;
  timeline: Timeline;
  events: StoredEvent[];
  /** The workflow actions the caller may take now. */
  actions: WorkflowAction[];
  /** The claim's version as read: a reviewer's step sends it back with the status it saw. */
  version: number;
  /** A withdrawn or rejected claim's copy made by 重新提交一份 (claims.get only), if any. */
  refiledAs?: { id: string; status: ClaimStatus } | null;
  /** The photos the open 补件 request sent back to be taken again (重拍), no longer among `materials`. */
  photosToRetake: Array<{ fileID: string; materialId: MaterialId }>;
}

/** A reviewer's change to a line item, with the reason. */
export interface LineCorrection {
  index: number;
  before: LineItem | null;
  after: LineItem | null;
  reason: string;
  by: string;
  at: string;
}

export interface ReviewQueueItem extends ClaimListItem {
  region: string | null;
  overdue: boolean;
  /** 预审: what passed and what needs a look (null for claims filed before the pre-check existed). */
  precheck: PrecheckResult | null;
  /** The claimant's name with all but the first character masked. */
  ownerMasked: string;
  /** The claim's version as listed: 快速办理 from the queue sends it (a claim corrected since is not passed unseen). */
  version: number;
  /** What the claim waits for before this reviewer can take it on (workflow `waitingFor`); null when it is theirs. */
  waitingFor: string | null;
}

export interface ReviewPhoto {
  materialId: string;
  fileID: string;
  url: string;
  /** Sent in a 补件 answer (marked 补件 on the reviewer's page). */
  fromSupplement?: boolean;
}

/** A photo a 补件 request sent back to be taken again: out of the claim's materials, kept for the record. */
export interface RetakenReviewPhoto {
  materialId: string;
  fileID: string;
  url: string;
  /** The moment of the 补件 request that sent it back, or of the 补件 answer whose photo replaced it. */
  at: string;
  /** The 补件 answer's photo of the same receipt that took its place (a clearer re-shot). */
  replacedBy?: string;
}

export interface DuplicateHit {
  key: string;
  basis: string;
  /** The earlier claim's id: to its owner and to staff; null to a claimant when the claim is someone else's. */
  claimId: string | null;
  /** The earlier claim, named for the person: their own claim's title, or someone else's masked number. */
  claimLabel: string;
  mine: boolean;
}

/** What a receipt photo read as, and where else the same receipt was filed. */
export interface ReceiptReadingView {
  fileID: string;
  reading: {
    extracted: ExtractedReceipt;
    crossCheck: CrossCheckResult;
    qr: QrPayload | null;
    identity: ReceiptIdentity | null;
    /** `sheets`: sheets of paper apart on the photo when more than one (only one was read). */
    image: { width: number; height: number; turnedBy?: number; sheets?: number };
  } | null;
  duplicates: DuplicateHit[];
}

/** One claim as a reviewer sees it: personal fields in full, photos, readings, corrections. */
export interface ReviewClaimDetail extends Omit<ClaimDetail, 'form'> {
  form: ClaimForm | null;
  photos: ReviewPhoto[];
  /** Photos sent back to be taken again (重拍), every 补件 request's, oldest first. */
  retakenPhotos: RetakenReviewPhoto[];
  receipts: ReceiptReadingView[];
  corrections: LineCorrection[];
  reviewedLineItems: LineItem[] | null;
  overdue: boolean;
  settledBy: string | null;
  precheck: PrecheckResult | null;
  /** When the due date counts days of a year whose holiday arrangement is not entered yet: the sentence to show. */
  calendarNotice: string | null;
  /** Who acted, by openid: staff by name, the claimant as 申请人 (the history never shows an openid). */
  people: Record<string, string>;
  /** The day the claim's policy version took effect, 'YYYY-MM-DD'. */
  policyEffectiveFrom: string | null;
  /**
   * At 审核通过: what 结算 would settle now — the reviewed lines on the person's year as it stands, other claims settled
   * since filing counted (the estimates were figured on the year as it was); null at any other status.
   */
  settlementPreview: EstimateResult | null;
  /** The payment batch the claim is in (确认已支付 happens there), or null. */
  paymentBatch: string | null;
  /** For the identity check at 初审: another account filed this 身份证号 as 本人, or this account 本人 under several. */
  identityWarnings: string[];
  /**
   * 门诊慢特病 / 两病 / 特殊门诊: the disease's name in the claim's policy (its code if the policy does not list it) — the one
   * a reviewer corrected it to, where they did (修改费用明细 with the lines' 病种).
   */
  diseaseName: string | null;
  /** The diseases the claim's policy lists for its visit kind (what 修改费用明细 may correct the 病种 to); [] for other kinds. */
  diseaseChoices: Array<{ code: string; name: string }>;
}

/** A claim's whole history for the audit export: printable, and downloadable as JSON. */
export interface AuditTrail {
  claim: {
    id: string;
    claimNumber: string;
    title: string;
    status: ClaimStatus;
    statusLabel: string;
    submittedAt: string | null;
    amountFen: Fen;
    paidFen: Fen | null;
    paymentBatch: string | null;
  };
  policy: { id: string; version: string; title: string; effectiveFrom: string | null; sample: boolean } | null;
  events: Array<{
    seq: number;
    title: string;
    who: string;
    role: string;
    at: string;
    detail?: string;
    figures?: Record<string, Fen>;
    reference?: string;
    checks?: string[];
  }>;
  corrections: LineCorrection[];
  /** The policy's diseases for the claim's kind, to name a corrected 病种 by ([] for other kinds). */
  diseaseChoices: Array<{ code: string; name: string }>;
  /** The figures with the claimant-readable trace: at submission, after corrections, and as settled. */
  figures: Array<{ key: 'estimate' | 'reviewEstimate' | 'settlement'; label: string; result: EstimateResult }>;
  exportedAt: string;
  exportedBy: string;
}

/** An in-app notification card (消息). */
export interface NotificationCard {
  id: string;
  claimId: string;
  status: ClaimStatus | string;
  title: string;
  body: string;
  amountFen: Fen | null;
  createdAt: string;
  read: boolean;
}

/** A subscribe message as the local cloud's recording sender kept it (what WeChat would have delivered). */
export interface SentMessage {
  _id: string;
  touser: string;
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
  sentAt: string;
}
