/**
 * The claims collection as the handlers see it. Every claim belongs to the person who filed it
 * (`_openid`, set here from the caller — never from the request). Personal fields (身份证号, bank
 * account, phone) are sealed (AES-256-GCM) in `sealed`; the stored form keeps masked copies only.
 * The history (`events`) is append-only and written in the same single-document update as the
 * status it records, together with `notifyPending` for the notification outbox.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ClaimStatus } from '../../src/core/contracts/claimDraft';
import type { PersonRelation } from '../../src/core/contracts/persons';
import type { EstimateResult, LineItem } from '../../src/core/engine';
import { maskBankAccount, maskIdNumber, maskPhone } from '../../src/core/identity';
import type { MaterialId } from '../../src/core/materials';
import type { PrecheckResult } from '../../src/core/precheck';
import type { ClaimListItem, ClaimOriginals, LineCorrection, StoredEvent } from '../../src/core/contracts/views';
import type { Collection, Store } from '../ports';
import type { FieldSealer } from '../security/fieldCipher';

export type { LineCorrection, StoredEvent } from '../../src/core/contracts/views';
export type { ClaimOriginals } from '../../src/core/contracts/views';

export interface SealedFields {
  idNumber?: string;
  accountNumber?: string;
  phone?: string;
}

export interface ClaimDoc {
  _id: string;
  _openid: string;
  requestId: string;
  title: string;
  /** Total of the bill in fen (sum of line items once they are known). */
  amountFen: number;
  status: ClaimStatus;
  /** Optimistic concurrency: every update names the version it read and bumps it. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** What the person typed so far (drafts) or submitted; personal fields masked. */
  form: Record<string, unknown> | null;
  sealed: SealedFields;
  /** Fingerprint of the insured person's 身份证号: finds their ledger without storing the number. */
  personKey: string | null;
  region: string | null;
  insuranceType: string | null;
  scenario: string | null;
  visitKind: string | null;
  materials: Partial<Record<MaterialId, string[]>>;
  submitRequestId: string | null;
  submittedAt: string | null;
  dueDate: string | null;
  policy: { id: string; version: string; title: string; sample: boolean } | null;
  /** The figure computed at submission with the ledger of that moment. */
  estimate: EstimateResult | null;
  /** Line items as the reviewer corrected them (null: as submitted). */
  reviewedLineItems: LineItem[] | null;
  corrections: LineCorrection[];
  reviewEstimate: EstimateResult | null;
  settlement: EstimateResult | null;
  paidFen: number | null;
  settledBy: string | null;
  paperOriginalsRequired: boolean;
  paperOriginalsReceived: boolean;
  originals: ClaimOriginals | null;
  /** 邮寄编号: short code the claimant writes on the envelope; set at submission when paper originals are needed. */
  mailCode?: string | null;
  /** When the claimant recorded the tracking number or the 自送 day (null: 待寄出原件). */
  originalsSentAt?: string | null;
  /** The filing deadline of a draft, 'YYYY-MM-DD', once its policy and date are known (reminders 30 and 7 days before). */
  filingDeadline?: string | null;
  /** The family member the claim is for (the `persons` document of the owner). */
  personId?: string | null;
  /** Their relation to the filer when it was filed (子女, 父母 …): the desk reads 子女（代办）, not 家属（代办）. */
  personRelation?: PersonRelation | null;
  requestedMaterials: MaterialId[];
  supplementReason: string | null;
  /** The withdrawn or rejected claim this draft was copied from (重新提交一份). */
  refiledFrom?: string;
  /** On a withdrawn or rejected claim: the draft 重新提交 made of it (one copy, whatever the request id). */
  refiledAs?: string;
  /** The photos that came with 补件 answers (absent before any): the reviewer sees them marked among the rest. */
  supplementFileIds?: string[];
  /** Photos a 补件 request sent back to be taken again (重拍), out of `materials`: kept for the record (server/claims/retake.ts). */
  retakenPhotos?: RetakenPhoto[];
  /** The receipt photos (invoice, pharmacy invoice) as submitted: what the reviewer sees read. */
  receiptFileIds: string[];
  /** The duplicate-registry keys this claim holds (written and freed by its own transitions only). */
  heldReceiptKeys: string[];
  /** The year ledger its settlement was applied to (null until 结算, again after 复核退回). */
  ledgerId: string | null;
  /** 预审 at submission (and again after 补件 or a line correction): what passed, what needs a look. */
  precheck: PrecheckResult | null;
  /** Every pre-check passed: the claim is listed under 可快速办理. */
  precheckClean: boolean;
  /** The payment batch (代发批次) it was put in; paid through that batch only. */
  paymentBatchId: string | null;
  events: StoredEvent[];
  notifiedSeq: number;
  notifyPending: boolean;
}

/** A photo sent back to be taken again: which material it was, and the moment of the 补件 request that sent it back. */
export interface RetakenPhoto {
  fileID: string;
  materialId: MaterialId;
  at: string;
  /** A 补件 answer's photo of the same receipt (票据代码 + 号码) that took its place (a clearer re-shot). */
  replacedBy?: string;
}

export function newClaimId(): string {
  return randomUUID().replace(/-/g, '');
}

/**
 * The id of the claim a client request creates: derived from the caller and the request id, so a
 * retry (or five concurrent copies) of the same request addresses the same document inside a
 * transaction — no query, no unique index needed to make it safe.
 */
export function claimIdForRequest(owner: string, requestId: string): string {
  return createHash('sha256').update(`claim\u0000${owner}\u0000${requestId}`).digest('hex').slice(0, 32);
}

export function claimsOf(store: Store): Collection<ClaimDoc> {
  return store.collection<ClaimDoc>('claims');
}

export function newClaimDoc(owner: string, requestId: string, now: string, fields: Partial<ClaimDoc>): ClaimDoc {
  return {
    _id: newClaimId(),
    _openid: owner,
    requestId,
    title: '新的报销申请',
    amountFen: 0,
    status: 'draft',
    version: 1,
    createdAt: now,
    updatedAt: now,
    form: null,
    sealed: {},
    personKey: null,
    region: null,
    insuranceType: null,
    scenario: null,
    visitKind: null,
    materials: {},
    submitRequestId: null,
    submittedAt: null,
    dueDate: null,
    policy: null,
    estimate: null,
    reviewedLineItems: null,
    corrections: [],
    reviewEstimate: null,
    settlement: null,
    paidFen: null,
    settledBy: null,
    paperOriginalsRequired: false,
    paperOriginalsReceived: false,
    originals: null,
    requestedMaterials: [],
    supplementReason: null,
    receiptFileIds: [],
    heldReceiptKeys: [],
    ledgerId: null,
    precheck: null,
    precheckClean: false,
    paymentBatchId: null,
    events: [],
    notifiedSeq: 0,
    notifyPending: false,
    ...fields,
  };
}

/** What toSummary reads: a list asks the store for these fields only (FindOptions.fields). */
export const summaryFields = [
  'title',
  'amountFen',
  'status',
  'createdAt',
  'updatedAt',
  'dueDate',
  'submittedAt',
  'paidFen',
  'estimate.totalPaid',
  'reviewEstimate.totalPaid',
  'reviewEstimate.total',
  'paperOriginalsRequired',
  'paperOriginalsReceived',
  'originalsSentAt',
] as const;

export function toSummary(doc: ClaimDoc): ClaimListItem {
  return {
    id: doc._id,
    title: doc.title,
    amountFen: doc.amountFen,
    status: doc.status,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    dueDate: doc.dueDate,
    submittedAt: doc.submittedAt,
    paidFen: doc.paidFen,
    // The reviewer's figure once 审核 corrected the lines (the claim's page shows it; the list kept the form's).
    estimateFundFen: (doc.reviewEstimate ?? doc.estimate)?.totalPaid ?? null,
    estimateReviewed: doc.reviewEstimate !== null && doc.reviewEstimate !== undefined,
    // The card kept the filed 2,931.58 元 beside 已支付 480.92 after 审核 took a receipt filed twice out (a walk).
    reviewedAmountFen:
      doc.reviewEstimate && doc.reviewEstimate.total !== doc.amountFen ? doc.reviewEstimate.total : null,
    originalsToSend: originalsToSend(doc),
  };
}

const ORIGINALS_AWAITED: ReadonlySet<string> = new Set([
  'submitted',
  'preliminaryPassed',
  'reviewPassed',
  'supplementRequested',
]);

/** 待寄出原件: the policy wants paper originals, the agency has not got them and the claimant has not said how they went. */
export function originalsToSend(
  doc: Pick<ClaimDoc, 'status' | 'paperOriginalsRequired' | 'paperOriginalsReceived' | 'originalsSentAt'>,
): boolean {
  return (
    ORIGINALS_AWAITED.has(doc.status) &&
    doc.paperOriginalsRequired &&
    !doc.paperOriginalsReceived &&
    !doc.originalsSentAt
  );
}

const MAIL_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** 邮寄编号 of a claim: "YB" and 6 characters without 0/O/1/I (easy to write by hand), derived from the claim id. */
export function mailCodeOf(claimId: string): string {
  const digest = createHash('sha256').update(`mail\u0000${claimId}`).digest();
  let code = '';
  for (let index = 0; index < 6; index += 1) code += MAIL_CODE_ALPHABET[digest[index]! % MAIL_CODE_ALPHABET.length];
  return `YB${code}`;
}

/** Paths of the personal fields inside a form, with how each is masked. */
const personalFields: Array<{
  key: keyof SealedFields;
  path: [string, string] | [string];
  mask: (value: string) => string;
}> = [
  { key: 'idNumber', path: ['insured', 'idNumber'], mask: maskIdNumber },
  { key: 'accountNumber', path: ['payout', 'accountNumber'], mask: maskBankAccount },
  { key: 'phone', path: ['phone'], mask: maskPhone },
];

export function readPath(form: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = form;
  for (const part of path)
    value =
      value && typeof value === 'object' && Object.hasOwn(value, part)
        ? (value as Record<string, unknown>)[part]
        : undefined;
  return value;
}

export function writePath(
  form: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return form;
  if (rest.length === 0) return { ...form, [head]: value };
  const inner = Object.hasOwn(form, head) ? form[head] : undefined;
  return {
    ...form,
    [head]: writePath(inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : {}, rest, value),
  };
}

/** A personal value as text: strings trimmed, numbers as written; null for anything else (never stored). */
function personalText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return null;
}

/** Whether `value` is exactly what the person was shown for the earlier sealed value (its mask). */
function isMaskOfPrevious(
  value: string,
  previous: string | undefined,
  sealer: FieldSealer,
  mask: (value: string) => string,
): boolean {
  if (!previous || !value.includes('*')) return false;
  try {
    return mask(sealer.open(previous)) === value;
  } catch {
    return false;
  }
}

/**
 * Splits a form into what may be stored as is (personal fields masked) and the sealed personal
 * fields. Whatever the type: text is sealed, a number is sealed as its digits, anything else at a
 * personal path (an object, a list) is dropped. A value counts as "already masked" only when it is
 * exactly the mask of the value sealed before (the app re-saving what it got back): then the earlier
 * sealed value stays. Any other value — even one with a * in it — is sealed as given.
 */
export function sealForm(
  form: Record<string, unknown>,
  sealer: FieldSealer,
  previous: SealedFields = {},
): { form: Record<string, unknown>; sealed: SealedFields } {
  let stored = form;
  const sealed: SealedFields = {};
  for (const field of personalFields) {
    const raw = readPath(form, field.path);
    if (raw === undefined || raw === null) continue;
    const value = personalText(raw);
    if (value === null) {
      stored = writePath(stored, field.path, null);
      continue;
    }
    if (value === '') continue;
    if (isMaskOfPrevious(value, previous[field.key], sealer, field.mask)) {
      sealed[field.key] = previous[field.key];
      stored = writePath(stored, field.path, value);
      continue;
    }
    sealed[field.key] = sealer.seal(value);
    stored = writePath(stored, field.path, field.mask(value));
  }
  return { form: stored, sealed };
}

/**
 * The form with its personal fields opened from their seals, for staff only; `keys`: only these (each is an AES-GCM
 * decryption, and a payment line needs the account alone). A field not opened stays masked.
 */
export function openForm(
  doc: Pick<ClaimDoc, 'form' | 'sealed'>,
  sealer: FieldSealer,
  keys?: ReadonlyArray<keyof SealedFields>,
): Record<string, unknown> | null {
  if (!doc.form) return null;
  let form = doc.form;
  for (const field of personalFields) {
    if (keys && !keys.includes(field.key)) continue;
    const sealed = doc.sealed?.[field.key];
    if (sealed) form = writePath(form, field.path, sealer.open(sealed));
  }
  return form;
}

export function nextSeq(doc: Pick<ClaimDoc, 'events'>): number {
  return doc.events.reduce((max, event) => Math.max(max, event.seq), 0) + 1;
}

/**
 * Staff see every claim once submitted; a claim never submitted — a draft, or a draft its owner withdrew — is nobody's
 * business but its owner's (a withdrawn draft was shown whole: 身份证号, 账号 and phone).
 */
export const seenByStaff = (doc: Pick<ClaimDoc, 'status' | 'submittedAt'>): boolean =>
  doc.status !== 'draft' && doc.submittedAt !== null && doc.submittedAt !== undefined;
