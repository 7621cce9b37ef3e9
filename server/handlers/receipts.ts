/**
 * The `receipts` function: reads a receipt photo the caller uploaded — QR, OCR, extracted fields
 * with confidences, cross-checks, what must be confirmed — stores the reading for the reviewer, and
 * says at once whether the same receipt (or the same photo) is already in another claim.
 * The OCR engine is a port: PaddleOCR in the local server, WeChat's ocr.printedText in the cloud.
 */
import * as z from 'zod';
import { claimIdSchema } from '../../src/core/contracts/claimDraft';
import { fileIdSchema } from '../../src/core/contracts/claim';
import { DomainError } from '../../src/core/errors';
import type { CrossCheckResult, ExtractedReceipt, QrPayload, ReceiptIdentity } from '../../src/core/receipt';
import type { Ocr } from '../ocr/port';
import type { ReadReceiptDeps } from '../receipts/readReceipt';
import type { ReceiptReadingDoc } from '../receipts/readings';
import { findDuplicates, keysOfFile, storedKey, type DuplicateHit } from '../receipts/registry';
import { reviewReadReceiptInputSchema, type ReviewReceiptRead } from '../../src/core/contracts/review';
import { assertAllowed } from '../../src/core/workflow';
import { recheckClaim } from '../claims/precheck';
import { notFoundError, transitionClaim, workflowStateOf } from '../claims/transition';
import { claimsOf, seenByStaff, type ClaimDoc } from '../repositories/claims';
import { isDomainError } from '../../src/core/errors';
import { defineAction, type ActionContext, type FunctionDefinition } from './framework';

export interface ReceiptReadResult {
  fileID: string;
  qr: QrPayload | null;
  extracted: ExtractedReceipt;
  crossCheck: CrossCheckResult;
  identity: ReceiptIdentity | null;
  duplicates: DuplicateHit[];
  timings: { qrMs: number; ocrMs: number; totalMs: number };
  /** Sheets of paper apart on the photo when more than one (only one was read). */
  sheets?: number;
}

export interface ReceiptsDeps {
  /**
   * Created on first use (loading an OCR model is costly and most calls never need it), for the
   * photo being read: in the cloud, WeChat's OCR fetches that stored photo by its temporary URL.
   */
  ocr: (fileID: string) => Ocr;
  decodeQr?: ReadReceiptDeps['decodeQr'];
}

/**
 * The photo's reading as stored, read now when nobody had (OCR, QR, the extracted fields) and stored under the photo
 * for the form, the reviewer and the duplicate checks. Two reads of one photo at once store one reading.
 */
async function storedReading(
  context: ActionContext,
  deps: ReceiptsDeps,
  fileID: string,
  owner: string,
): Promise<ReceiptReadingDoc> {
  const readings = context.store.collection<ReceiptReadingDoc>('receiptReadings');
  const stored = await readings.get(storedKey(fileID));
  if (stored) return stored;
  // sharp and jsQR are loaded on the first photo read, not with the server.
  const { readReceipt } = await import('../receipts/readReceipt');
  const result = await readReceipt(await context.files.bytes(fileID), {
    ocr: deps.ocr(fileID),
    ...(deps.decodeQr ? { decodeQr: deps.decodeQr } : {}),
    // The caller's own line of the fair queue (server/ocr/fairQueue.ts): a reviewer's read waits behind their own.
    requester: context.caller.openid,
  });
  const { identity, ...reading } = result;
  const doc: ReceiptReadingDoc = {
    _id: storedKey(fileID),
    _openid: owner,
    fileID,
    identity,
    reading,
    readAt: context.clock.now().toISOString(),
  };
  try {
    await readings.insert(doc);
    return doc;
  } catch {
    return (await readings.get(storedKey(fileID))) ?? doc;
  }
}

/** The 预审 checks a receipt's reading decides (judged again when a reading arrives). */
const RECEIPT_CHECKS = [
  'receiptsRead',
  'receiptsAgree',
  'payerIsInsured',
  'datesMatch',
  'totalsMatch',
  'notSettledByFund',
] as const;

/**
 * The app reads a receipt while the claim is drafted; a read still running when 提交 went through lands after the
 * 预审 was judged without it (a walk: 1 张票据没有识别结果 beside the reading in full, for the reviewer, with no
 * 识别票据 to offer since a reading exists). The caller's filed claim holding the photo has its receipt checks judged
 * again, before 审核 is done — no step in its history and no new version: nothing anyone did, and a reviewer's open
 * page goes on as it was.
 */
async function lateReadingRecheck(context: ActionContext, claimId: string, fileID: string): Promise<void> {
  const filed = await claimsOf(context.store).get(claimId);
  const waiting = (doc: ClaimDoc | null): doc is ClaimDoc =>
    doc !== null &&
    doc._openid === context.caller.openid &&
    ['submitted', 'supplementRequested', 'preliminaryPassed'].includes(doc.status) &&
    (doc.receiptFileIds ?? []).includes(fileID) &&
    doc.precheck?.outcomes.some((outcome) => outcome.id === 'receiptsRead' && !outcome.passed) === true;
  if (!waiting(filed)) return;
  const lineItems =
    filed.reviewedLineItems ?? (filed.form as { lineItems?: Array<{ amountFen: number }> } | null)?.lineItems ?? [];
  const checked = await recheckClaim(context.store, filed, lineItems, RECEIPT_CHECKS);
  if (!checked) return;
  await context.store.transaction(async (tx) => {
    const current = await tx.get<ClaimDoc>('claims', claimId);
    // Written only on the claim as it was judged: a step taken meanwhile judged it itself.
    if (!waiting(current) || current.version !== filed.version) return;
    await tx.set<ClaimDoc>('claims', { ...current, precheck: checked, precheckClean: checked.clean });
  });
}

export function receiptsFunction(deps: ReceiptsDeps): FunctionDefinition {
  return {
    read: defineAction({
      input: z.strictObject({ fileID: fileIdSchema, claimId: claimIdSchema.optional() }),
      roles: ['claimant'],
      async run(context, input): Promise<ReceiptReadResult> {
        const meta = await context.files.describe(input.fileID);
        if (!meta) throw new DomainError('FILE_NOT_FOUND', '照片不存在，请重新上传');
        if (meta.owner !== context.caller.openid) throw new DomainError('FILE_FORBIDDEN', '这张照片不是您上传的');
        const doc = await storedReading(context, deps, input.fileID, meta.owner);
        if (input.claimId) await lateReadingRecheck(context, input.claimId, input.fileID);
        const duplicates = await findDuplicates(
          context.store,
          await keysOfFile(context.store, context.files, input.fileID),
          context.caller.openid,
          input.claimId ?? null,
        );
        return {
          fileID: input.fileID,
          qr: doc.reading.qr,
          extracted: doc.reading.extracted,
          crossCheck: doc.reading.crossCheck,
          identity: doc.identity,
          // Someone else's claim is named masked (claimLabel) and its id is not given, as submit's refusal gives none.
          duplicates: duplicates.map((hit) => (hit.mine ? hit : { ...hit, claimId: null })),
          timings: doc.reading.timings,
          ...(doc.reading.image?.sheets ? { sheets: doc.reading.image.sheets } : {}),
        };
      },
    }),

    /**
     * 识别票据: a receipt photo of a filed claim that nobody read (the claimant's app could not, or a client filed it
     * without) is read for the reviewer, the reading stored as the claimant's would be, and the 预审's checks of the
     * receipts judged again with it — one step in the claim's history. A photo read before answers with no new read.
     */
    readForReview: defineAction({
      input: reviewReadReceiptInputSchema,
      roles: ['reviewer'],
      async run(context, input): Promise<ReviewReceiptRead> {
        const seen = await claimsOf(context.store).get(input.id);
        if (!seen || !seenByStaff(seen)) throw notFoundError();
        if (!(seen.receiptFileIds ?? []).includes(input.fileID))
          throw new DomainError('FILE_NOT_FOUND', '这张照片不是这份申请的票据，请刷新页面后再试');
        // Refused before the OCR's seconds are spent: a claimant, a claim past 审核, the reviewer's own claim.
        assertAllowed(workflowStateOf(seen), 'readReceipt', {
          id: context.caller.openid,
          roles: context.caller.roles,
        });
        const owner = (await context.files.describe(input.fileID))?.owner ?? seen._openid;
        const reading = await storedReading(context, deps, input.fileID, owner);
        const fieldsRead = Object.keys(reading.reading.extracted.fields).length;
        const read = await readStep(context, input.id, input.fileID);
        return { fileID: input.fileID, version: read.version, fieldsRead };
      },
    }),
  };
}

/** Tries of the step after the OCR: another reviewer's step landing between the claim's read and its write. */
const READ_STEP_TRIES = 3;

/**
 * The 识别票据 step on the claim as it is after the OCR's seconds: its 预审's receipt checks judged again (the reading is
 * stored, so they find it) on its lines as they are now, written only on that version (a correction landing meanwhile
 * is read again). Nothing when this photo's step was taken before (a retry).
 */
async function readStep(context: ActionContext, claimId: string, fileID: string): Promise<ClaimDoc> {
  for (let tries = 1; ; tries += 1) {
    const current = await claimsOf(context.store).get(claimId);
    if (!current || !seenByStaff(current)) throw notFoundError();
    if (current.events.some((event) => event.action === 'readReceipt' && event.receiptPhoto === fileID)) return current;
    // The lines as the review left them (corrected), else as filed: only their amounts are checked against the receipts.
    const lineItems =
      current.reviewedLineItems ??
      (current.form as { lineItems?: Array<{ amountFen: number }> } | null)?.lineItems ??
      [];
    const checked = await recheckClaim(context.store, current, lineItems, RECEIPT_CHECKS);
    try {
      return await transitionClaim(context, {
        claimId,
        action: 'readReceipt',
        expectedVersion: current.version,
        visible: seenByStaff,
        input: { receiptPhoto: fileID },
        patch: () => (checked ? { precheck: checked, precheckClean: checked.clean } : {}),
      });
    } catch (error) {
      if (!isDomainError(error) || error.code !== 'CONFLICT' || tries >= READ_STEP_TRIES) throw error;
    }
  }
}
