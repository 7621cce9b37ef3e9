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
import { defineAction, type FunctionDefinition } from './framework';

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

export function receiptsFunction(deps: ReceiptsDeps): FunctionDefinition {
  return {
    read: defineAction({
      input: z.strictObject({ fileID: fileIdSchema, claimId: claimIdSchema.optional() }),
      roles: ['claimant'],
      async run(context, input): Promise<ReceiptReadResult> {
        const meta = await context.files.describe(input.fileID);
        if (!meta) throw new DomainError('FILE_NOT_FOUND', '照片不存在，请重新上传');
        if (meta.owner !== context.caller.openid) throw new DomainError('FILE_FORBIDDEN', '这张照片不是您上传的');
        const readings = context.store.collection<ReceiptReadingDoc>('receiptReadings');
        let doc = await readings.get(storedKey(input.fileID));
        if (!doc) {
          // sharp and jsQR are loaded on the first photo read, not with the server.
          const { readReceipt } = await import('../receipts/readReceipt');
          const result = await readReceipt(await context.files.bytes(input.fileID), {
            ocr: deps.ocr(input.fileID),
            ...(deps.decodeQr ? { decodeQr: deps.decodeQr } : {}),
            requester: context.caller.openid,
          });
          const { identity, ...reading } = result;
          doc = {
            _id: storedKey(input.fileID),
            _openid: context.caller.openid,
            fileID: input.fileID,
            identity,
            reading,
            readAt: context.clock.now().toISOString(),
          };
          try {
            await readings.insert(doc);
          } catch {
            doc = (await readings.get(storedKey(input.fileID))) ?? doc;
          }
        }
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
  };
}
