/**
 * The `payments` function: 复核-passed claims grouped into a payment batch (代发批次), exported as the
 * bank's batch-transfer file (.xlsx and .csv), and marked paid together. Putting claims in a batch
 * and paying a batch are each one store transaction over all of its claims — every claim takes its
 * own audited transition (编入支付批次, 确认已支付 with the batch number), or none does.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { claimIdSchema } from '../../src/core/contracts/claimDraft';
import { reviewStepInputSchema } from '../../src/core/contracts/review';
import {
  MAX_PAYMENT_BATCH,
  type PaymentBatchPage,
  type PaymentBatchFields,
  type PaymentBatchSummary,
  type PaymentBatchView,
  type PaymentCandidates,
  type PaymentFile,
  type PaymentLine,
} from '../../src/core/contracts/payments';
import { claimNumberOf } from '../../src/core/claimNumber';
import { DomainError, isDomainError } from '../../src/core/errors';
import { maskBankAccount } from '../../src/core/identity';
import { sumFen } from '../../src/core/money';
import { applyClaimTransition, conflictError, requestIdReusedError } from '../claims/transition';
import { workingCalendar } from '../policies/calendar';
import { claimsOf, openForm, seenByStaff, type ClaimDoc } from '../repositories/claims';
import { getMany } from '../repositories/getMany';
import { bankCsv, bankXlsx, purposeOf, type BankRow } from '../payments/bankFile';
import { batchAnsweredBefore, recordBatchAnswer } from '../payments/requests';
import type { Role, Transaction } from '../ports';
import { defineAction, type ActionContext, type FunctionDefinition } from './framework';

const STAFF: Role[] = ['reviewer', 'secondReviewer'];
/** Batches a page of the list holds. */
export const PAYMENT_BATCH_PAGE = 20;
/** What the list reads of a batch: all but its lines. */
const summaryFields = [
  'status',
  'count',
  'totalFen',
  'createdBy',
  'createdAt',
  'exportedAt',
  'paidBy',
  'paidAt',
  'version',
] as const satisfies ReadonlyArray<keyof PaymentBatchFields>;

export type { PaymentBatchView, PaymentLine } from '../../src/core/contracts/payments';

export interface PaymentBatchDoc extends PaymentBatchFields {
  /** The batch number, e.g. PB20260302-101530-3F. */
  _id: string;
}

const viewOf = ({ _id, ...rest }: PaymentBatchDoc, context: ActionContext): PaymentBatchView => ({
  batchNo: _id,
  ...rest,
  createdByYou: rest.createdBy === context.caller.openid,
});

/** A summary's fields alone (nedb returns whole documents whatever the projection). */
function pickSummary(doc: Omit<PaymentBatchDoc, '_id'>, context: ActionContext): Omit<PaymentBatchSummary, 'batchNo'> {
  return {
    ...(Object.fromEntries(summaryFields.map((field) => [field, doc[field]])) as Omit<
      PaymentBatchSummary,
      'batchNo' | 'createdByYou'
    >),
    createdByYou: doc.createdBy === context.caller.openid,
  };
}

interface Payout {
  holderName?: string;
  bankName?: string;
  accountNumber?: string;
}

/** What a payment line reads of a claim: the payout, its account's seal and the amount to pay. */
const lineFields = ['form.payout', 'sealed.accountNumber', 'paidFen', 'version'] as const;

/** The payout with its account number opened (the one personal field a bank file needs). */
function payoutOf(context: ActionContext, doc: ClaimDoc): Payout {
  const form = openForm(doc, context.sealer, ['accountNumber']) as { payout?: Payout } | null;
  return form?.payout ?? {};
}

function lineOf(context: ActionContext, doc: ClaimDoc): PaymentLine {
  const payout = payoutOf(context, doc);
  return {
    claimId: doc._id,
    claimNumber: claimNumberOf(doc._id),
    payeeName: payout.holderName ?? '',
    bankName: payout.bankName ?? '',
    accountMasked: maskBankAccount(payout.accountNumber ?? ''),
    amountFen: doc.paidFen ?? 0,
  };
}

/** Shanghai wall-clock digits of an instant: 20260302-101530. */
function shanghaiStamp(at: Date): string {
  const iso = new Date(at.getTime() + 8 * 3600 * 1000).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

/**
 * A batch number not yet taken: the Shanghai second, then two hex digits starting from a hash of the claims and
 * moving on past those taken (two batches in one second collided 1 time in 16 — a hash of the ids' last characters —
 * and the second was refused as if its claims had changed). Read in the batch's transaction, so two racing batches
 * cannot both take one number.
 */
async function freeBatchNo(tx: Transaction, stamp: string, claimIds: readonly string[]): Promise<string> {
  const start = createHash('sha256')
    .update([...claimIds].sort().join(','))
    .digest()[0]!;
  for (let step = 0; step < 256; step += 1) {
    const suffix = ((start + step) % 256).toString(16).toUpperCase().padStart(2, '0');
    const batchNo = `PB${stamp}-${suffix}`;
    if (!(await tx.get('paymentBatches', batchNo))) return batchNo;
  }
  throw new DomainError('BATCH_NUMBERS_EXHAUSTED', '这一秒内生成的支付批次太多，请稍等几秒再生成');
}

const batchNoSchema = z.string().regex(/^PB\d{8}-\d{6}-[0-9A-F]{2}$/, '批次编号格式不正确');

async function batchFor(context: ActionContext, batchNo: string): Promise<PaymentBatchDoc> {
  const batch = await context.store.collection<PaymentBatchDoc>('paymentBatches').get(batchNo);
  if (!batch) throw new DomainError('NOT_FOUND', '没有找到这个支付批次');
  return batch;
}

export const paymentsFunction: FunctionDefinition = {
  /** 复核通过, not yet in a batch: what a new batch can take. */
  candidates: defineAction({
    input: z.strictObject({}),
    roles: STAFF,
    async run(context): Promise<PaymentCandidates> {
      // A claim settled at 0 元 has nothing to transfer: it is closed without a batch (办结（无需支付）).
      const waiting = { status: 'verified', paymentBatchId: null, paidFen: { $gt: 0 } } as const;
      const claims = claimsOf(context.store);
      // One batch's worth: 全选 of 100 made a batch createBatch refuses (at most 50 a batch).
      const docs = await claims.find(waiting, {
        sort: { updatedAt: 1 },
        limit: MAX_PAYMENT_BATCH,
        fields: lineFields,
      });
      const items = docs.map((doc) => ({ ...lineOf(context, doc), version: doc.version }));
      const closable = await claims.find(
        { status: 'verified', paymentBatchId: null, paidFen: 0 },
        { sort: { updatedAt: 1 }, limit: MAX_PAYMENT_BATCH, fields: ['title'] },
      );
      return {
        items,
        // A list shorter than a batch is all there is (one round trip, not two).
        total: items.length < MAX_PAYMENT_BATCH ? items.length : await claims.count(waiting),
        nothingToPay: closable.map((doc) => ({
          claimId: doc._id,
          claimNumber: claimNumberOf(doc._id),
          title: doc.title,
        })),
      };
    },
  }),

  /** A new batch of the chosen claims: all of them join it (each its own event), or none does. */
  createBatch: defineAction({
    input: z.strictObject({
      claims: z
        // Each claim with the version the reviewer chose it at (as in every review step): one changed since is refused.
        .array(z.strictObject({ id: claimIdSchema, expectedVersion: reviewStepInputSchema.shape.expectedVersion }), {
          error: '请选择要支付的申请',
        })
        .min(1, '请至少选择一份申请')
        .max(MAX_PAYMENT_BATCH, `一个批次最多 ${MAX_PAYMENT_BATCH} 笔`),
    }),
    roles: STAFF,
    async run(context, input): Promise<PaymentBatchView> {
      const ids = input.claims.map((claim) => claim.id);
      if (new Set(ids).size !== ids.length)
        throw new DomainError('VALIDATION_FAILED', '同一份申请选了两次', {
          issues: [{ path: 'claims', message: '同一份申请选了两次' }],
        });
      const now = context.clock.now();
      const stamp = shanghaiStamp(now);
      const calendar = await workingCalendar(context.store, context.clock);
      const batch = await context.store.transaction(async (tx) => {
        const answered = await batchAnsweredBefore(tx, context, 'createBatch');
        if (answered !== null) {
          const made = await tx.get<PaymentBatchDoc>('paymentBatches', answered);
          if (made) return made;
        }
        const batchNo = await freeBatchNo(tx, stamp, ids);
        const lines: PaymentLine[] = [];
        /** Batches the claims were already put in by this very request (a retry with its request id). */
        const madeBefore = new Set<string>();
        for (const claim of input.claims) {
          const doc = await applyClaimTransition(
            tx,
            context,
            {
              claimId: claim.id,
              action: 'batchForPayment',
              expectedStatus: 'verified',
              expectedVersion: claim.expectedVersion,
              // As every staff step: a draft never submitted (withdrawn ones too) is not found, not in conflict.
              visible: seenByStaff,
              input: { reference: batchNo },
            },
            calendar,
          ).catch((error: unknown) => {
            // Not 复核通过 (any more): "updated by someone else" would not tell the reviewer what to do.
            if (isDomainError(error) && error.code === 'CONFLICT')
              throw new DomainError(
                'CONFLICT',
                '有申请已不在「待支付」状态（可能刚被编入别的批次、已支付或被退回），请刷新列表后重新选择',
                { details: { claimId: claim.id } },
              );
            if (isDomainError(error) && error.code === 'NOTHING_TO_PAY')
              throw new DomainError(
                'NOTHING_TO_PAY',
                `申请 ${claimNumberOf(claim.id)} 核定医保支付 0 元，不用编入支付批次：请在它的详情页「办结（无需支付）」，再重新选择`,
                { details: { claimId: claim.id } },
              );
            throw error;
          });
          if (doc.paymentBatchId !== batchNo) {
            madeBefore.add(doc.paymentBatchId ?? '');
            continue;
          }
          lines.push(lineOf(context, doc));
        }
        // The same request again (its request id on the claims' 编入支付批次): answer with the batch it made. It made a
        // second open batch of the same claims, with a bank file of its own, even once they were paid (black-box probe).
        if (madeBefore.size > 0) {
          const [earlier] = [...madeBefore];
          const made =
            madeBefore.size === 1 && lines.length === 0 && earlier
              ? await tx.get<PaymentBatchDoc>('paymentBatches', earlier)
              : null;
          if (!made) throw requestIdReusedError();
          return made;
        }
        const created: PaymentBatchDoc = {
          _id: batchNo,
          status: 'open',
          lines,
          count: lines.length,
          totalFen: sumFen(lines.map((line) => line.amountFen)),
          createdBy: context.caller.openid,
          createdAt: now.toISOString(),
          exportedAt: null,
          paidBy: null,
          paidAt: null,
          version: 1,
        };
        await tx.set('paymentBatches', created);
        await recordBatchAnswer(tx, context, 'createBatch', batchNo);
        return created;
      });
      return viewOf(batch, context);
    },
  }),

  /**
   * Batches newest first (batch numbers begin with their creation time), a page at a time, by key: the page after
   * `before`. It was the newest 50 and no more, so an open batch behind 50 newer ones could no longer be paid.
   */
  list: defineAction({
    input: z.strictObject({ status: z.enum(['open', 'paid']).optional(), before: batchNoSchema.optional() }),
    roles: STAFF,
    async run(context, input): Promise<PaymentBatchPage> {
      const docs = await context.store.collection<PaymentBatchDoc>('paymentBatches').find(
        {
          ...(input.status ? { status: input.status } : {}),
          ...(input.before ? { _id: { $lt: input.before } } : {}),
        },
        { sort: { _id: -1 }, limit: PAYMENT_BATCH_PAGE + 1, fields: [...summaryFields] },
      );
      const items = docs
        .slice(0, PAYMENT_BATCH_PAGE)
        .map(({ _id, ...rest }): PaymentBatchSummary => ({ batchNo: _id, ...pickSummary(rest, context) }));
      return { items, next: docs.length > PAYMENT_BATCH_PAGE ? items.at(-1)!.batchNo : null };
    },
  }),

  get: defineAction({
    input: z.strictObject({ batchNo: batchNoSchema }),
    roles: STAFF,
    async run(context, input): Promise<PaymentBatchView> {
      return viewOf(await batchFor(context, input.batchNo), context);
    },
  }),

  /** The bank's 代发 file, with the accounts in full (read from the sealed fields at this moment only). */
  export: defineAction({
    input: z.strictObject({
      batchNo: batchNoSchema,
      format: z.enum(['xlsx', 'csv'], { error: '格式只能是 xlsx 或 csv' }),
    }),
    roles: STAFF,
    async run(context, input): Promise<PaymentFile> {
      // Read and stamped in one transaction: a file with the accounts in full only of a batch still open as stamped, and
      // never a stamp on a paid one (a probe: exports racing 确认已支付 stamped a paid batch exported after its payment).
      const batch = await context.store.transaction(async (tx) => {
        const read = await tx.get<PaymentBatchDoc>('paymentBatches', input.batchNo);
        if (!read) throw new DomainError('NOT_FOUND', '没有找到这个支付批次');
        if (read.status === 'paid') return read;
        const stamped = { ...read, exportedAt: context.clock.now().toISOString() };
        await tx.set('paymentBatches', stamped);
        return stamped;
      });
      // The batch's claims (at most 50) in one read, not a round trip each; of each, what its line needs.
      const claims = await getMany(
        claimsOf(context.store),
        batch.lines.map((line) => line.claimId),
        lineFields,
      );
      // A paid batch gives a record only: with the accounts in full it could be sent to the bank a second time.
      const recordOnly = batch.status === 'paid';
      const rows: BankRow[] = [];
      for (const line of batch.lines) {
        const doc = claims.get(line.claimId);
        if (!doc) throw new DomainError('NOT_FOUND', `批次中的申请 ${line.claimNumber} 不见了，请联系运维人员`);
        const payout = payoutOf(context, doc);
        rows.push({
          payeeName: line.payeeName,
          accountNumber: recordOnly ? maskBankAccount(payout.accountNumber ?? '') : (payout.accountNumber ?? ''),
          bankName: line.bankName,
          amountFen: line.amountFen,
          purpose: purposeOf(line.claimNumber),
        });
      }
      const content = input.format === 'csv' ? Buffer.from(bankCsv(rows), 'utf8') : await bankXlsx(rows, batch._id);
      return {
        fileName: `${batch._id}${recordOnly ? '-留档' : ''}.${input.format}`,
        recordOnly,
        contentType:
          input.format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        base64: content.toString('base64'),
        count: batch.count,
        totalFen: batch.totalFen,
      };
    },
  }),

  /** The bank paid the batch: every claim in it becomes 已支付 with the batch number in its history, together. */
  markPaid: defineAction({
    input: z.strictObject({
      batchNo: batchNoSchema,
      // The status the page read: missing, or another than 待支付, is not "already paid" unless it says paid (a probe).
      expectedStatus: z.literal('open', {
        error: (issue) =>
          issue.input === undefined
            ? '缺少批次的当前状态，请刷新「支付批次」后再确认'
            : issue.input === 'paid'
              ? '这个批次已确认支付过'
              : '批次的当前状态不正确，请刷新「支付批次」后再确认',
      }),
    }),
    roles: STAFF,
    async run(context, input): Promise<PaymentBatchView> {
      const now = context.clock.now();
      const calendar = await workingCalendar(context.store, context.clock);
      const paid = await context.store.transaction(async (tx) => {
        const batch = await tx.get<PaymentBatchDoc>('paymentBatches', input.batchNo);
        if (!batch) {
          // A request id used for another request is said as such, whatever it names now (a probe: NOT_FOUND).
          await batchAnsweredBefore(tx, context, 'markPaid');
          throw new DomainError('NOT_FOUND', '没有找到这个支付批次');
        }
        // This very request paid it before (a retry, or a copy sent at the same moment): the same answer, the batch
        // read again. PostgreSQL's read of the batch waits for the copy that pays it (FOR UPDATE), so the record is
        // there when read after it; a read in the WeChat cloud's transaction takes no lock, so the batch read above
        // may be from before that copy committed and its record found after: the batch as the record left it.
        if ((await batchAnsweredBefore(tx, context, 'markPaid')) === batch._id)
          return (await tx.get<PaymentBatchDoc>('paymentBatches', batch._id)) ?? batch;
        if (batch.status === 'paid')
          throw new DomainError('BATCH_ALREADY_PAID', '这个批次已经确认支付过了，不用再确认');
        if (batch.status !== input.expectedStatus) throw conflictError();
        // Two people release money: who generated the batch does not also say the bank paid it (a probe: one login made
        // the batch, exported it and confirmed it paid — every claimant told 已支付 on one person's word).
        if (batch.createdBy === context.caller.openid)
          throw new DomainError(
            'FOUR_EYES',
            '这个支付批次是您生成的：请另一位工作人员核对银行的代发回单后「确认已支付」（生成和确认由两人办理）。',
          );
        // No file for the bank, no transfer: a batch confirmed before its export could never be given to the bank (its
        // file is a masked record once paid) while its claims said 已支付 (a probe).
        if (!batch.exportedAt)
          throw new DomainError(
            'BATCH_NOT_EXPORTED',
            '这个批次还没有导出银行代发文件：请先下载文件交银行发放，银行发放成功后再确认已支付。',
          );
        for (const line of batch.lines) {
          await applyClaimTransition(
            tx,
            context,
            {
              claimId: line.claimId,
              action: 'markPaid',
              expectedStatus: 'verified',
              visible: (doc) => doc.status !== 'draft',
              input: { reference: batch._id },
            },
            calendar,
          );
        }
        const next: PaymentBatchDoc = {
          ...batch,
          status: 'paid',
          paidBy: context.caller.openid,
          paidAt: now.toISOString(),
          version: batch.version + 1,
        };
        await tx.set('paymentBatches', next);
        await recordBatchAnswer(tx, context, 'markPaid', batch._id);
        return next;
      });
      return viewOf(paid, context);
    },
  }),
};
