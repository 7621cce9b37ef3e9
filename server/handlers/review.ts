/**
 * The `review` function: the agency's side. Only staff with the reviewer or second-reviewer role
 * reach it. The queue (filters: status, region, overdue; sorted by due date), one claim with its
 * photos and the personal fields in full, line-item corrections with a reason and a re-estimate,
 * the decisions (初审, 审核, 补件, 退回), 结算 with the ledger as it stands (ledger written in the same
 * step), 复核 by a second reviewer (four eyes), payment, and the paper originals' arrival.
 */
import * as z from 'zod';
import { claimIdSchema, claimStatusSchema, pageInputSchema, type Page } from '../../src/core/contracts/claimDraft';
import { engineClaimOf, type ClaimForm } from '../../src/core/contracts/claim';
import { claimSchema, estimate, lineItemSchema, type Claim, type EstimateResult } from '../../src/core/engine';
import { DomainError } from '../../src/core/errors';
import { materialIds } from '../../src/core/materials';
import { samplePolicyById, type PolicyDocument } from '../../src/core/policy';
import { REASON_TEXT_MAX } from '../../src/core/workflow';
import { readLedger, reverseOnLedger, settleOnLedger } from '../ledger';
import type { ReceiptReadingDoc } from '../receipts/readings';
import { findDuplicates, keysOfFile, releaseReceipts, storedKey } from '../receipts/registry';
import type { Filter } from '../ports';
import { claimsOf, openForm, toSummary, type ClaimDoc, type LineCorrection } from '../repositories/claims';
import { isOverdue } from '../sla';
import { conflictError, transitionClaim } from '../claims/transition';
import { claimDetailOf } from './claims';
import type { ClaimListItem, ReviewClaimDetail, ReviewQueueItem } from '../../src/core/contracts/views';
import { defineAction, type ActionContext, type FunctionDefinition } from './framework';

const STAFF = ['reviewer', 'secondReviewer'] as const;
const OPEN_STATUSES = ['submitted', 'preliminaryPassed', 'reviewPassed', 'settled', 'verified', 'supplementRequested'] as const;

async function claimFor(context: ActionContext, id: string): Promise<ClaimDoc> {
  const doc = await claimsOf(context.store).get(id);
  if (!doc || doc.status === 'draft') throw new DomainError('NOT_FOUND', '没有找到这份报销申请');
  return doc;
}

function policyOf(context: ActionContext, doc: ClaimDoc): PolicyDocument {
  const policy = (doc.policy && context.policies.find((candidate) => candidate.id === doc.policy?.id && candidate.version === doc.policy?.version)) ?? (doc.policy ? samplePolicyById(doc.policy.id) : undefined);
  if (!policy) throw new DomainError('POLICY_NOT_FOUND', '这份申请所用的政策已不在系统中，请联系运维人员');
  return policy;
}

/** The engine claim as the reviewer sees it now: the submitted form with corrected line items. */
function reviewedClaim(context: ActionContext, doc: ClaimDoc): Claim {
  const form = openForm(doc, context.sealer) as unknown as ClaimForm | null;
  if (!form) throw new DomainError('NOT_FOUND', '这份申请没有填写内容');
  const claim = engineClaimOf(form);
  return claimSchema.parse({ ...claim, lineItems: doc.reviewedLineItems ?? claim.lineItems });
}

const decisionSchema = z.strictObject({
  id: claimIdSchema,
  action: z.enum(['passPreliminary', 'passReview', 'requestSupplement', 'reject', 'returnFromVerification'], { error: '不认识的审核操作' }),
  reasonCode: z.string().max(40).optional(),
  reasonText: z.string().max(REASON_TEXT_MAX, `说明不能超过 ${REASON_TEXT_MAX} 个字`).optional(),
  materials: z.array(z.enum(materialIds, { error: '不认识的材料' })).max(materialIds.length).optional(),
});

export const reviewFunction: FunctionDefinition = {
  queue: defineAction({
    input: pageInputSchema.extend({
      status: claimStatusSchema.optional(),
      region: z.string().regex(/^\d{6}$/, '统筹区代码为 6 位数字').optional(),
      overdue: z.boolean().optional(),
    }),
    roles: [...STAFF],
    async run(context, input): Promise<Page<ReviewQueueItem>> {
      const now = context.clock.now();
      const filter: Filter = input.status ? { status: input.status } : { status: { $in: [...OPEN_STATUSES] } };
      if (input.region) filter.region = input.region;
      if (input.overdue) filter.dueDate = { $lt: now.toISOString() };
      const claims = claimsOf(context.store);
      const [docs, total] = await Promise.all([
        claims.find(filter, { sort: { dueDate: 1 }, skip: (input.page - 1) * input.pageSize, limit: input.pageSize }),
        claims.count(filter),
      ]);
      return {
        items: docs.map((doc) => ({
          ...toSummary(doc),
          region: doc.region,
          overdue: doc.dueDate !== null && isOverdue(new Date(doc.dueDate), now) && doc.status !== 'paid',
          ownerMasked: String((doc.form?.insured as { name?: string } | undefined)?.name ?? '').replace(/(?<=.)./gu, '*'),
        })),
        page: input.page,
        pageSize: input.pageSize,
        total,
      };
    },
  }),

  get: defineAction({
    input: z.strictObject({ id: claimIdSchema }),
    roles: [...STAFF],
    async run(context, input): Promise<ReviewClaimDetail> {
      const doc = await claimFor(context, input.id);
      const receipts: ReviewClaimDetail['receipts'] = [];
      for (const fileID of doc.receiptKeys) {
        const reading = await context.store.collection<ReceiptReadingDoc>('receiptReadings').get(storedKey(fileID));
        const duplicates = await findDuplicates(context.store, await keysOfFile(context.store, context.files, fileID), context.caller.openid, doc._id);
        receipts.push({
          fileID,
          reading: reading ? { extracted: reading.reading.extracted, crossCheck: reading.reading.crossCheck, qr: reading.reading.qr, identity: reading.identity, image: reading.reading.image } : null,
          duplicates,
        });
      }
      const photos: ReviewClaimDetail['photos'] = [];
      for (const [materialId, fileIDs] of Object.entries(doc.materials)) {
        for (const fileID of fileIDs ?? []) photos.push({ materialId, fileID, url: await context.files.temporaryUrl(fileID) });
      }
      return {
        ...claimDetailOf(doc, context.caller),
        form: openForm(doc, context.sealer) as unknown as ClaimForm | null,
        photos,
        receipts,
        corrections: doc.corrections,
        reviewedLineItems: doc.reviewedLineItems,
        overdue: doc.dueDate !== null && isOverdue(new Date(doc.dueDate), context.clock.now()),
        settledBy: doc.settledBy,
        originals: doc.originals,
      };
    },
  }),

  /** Corrects line items (category, amount, removal) with a reason, and re-estimates with the current ledger. */
  editLineItems: defineAction({
    input: z.strictObject({
      id: claimIdSchema,
      lineItems: z.array(lineItemSchema).min(1, '至少保留一项费用').max(200),
      reason: z.string({ error: '请写明修改原因' }).trim().min(2, '请写明修改原因').max(REASON_TEXT_MAX),
    }),
    roles: ['reviewer'],
    async run(context, input): Promise<{ reviewEstimate: EstimateResult; corrections: LineCorrection[] }> {
      const doc = await claimFor(context, input.id);
      if (doc._openid === context.caller.openid) throw new DomainError('SELF_REVIEW', '不能审核自己提交的报销申请，请交由其他经办人员处理');
      if (!['submitted', 'preliminaryPassed', 'reviewPassed'].includes(doc.status)) {
        throw new DomainError('TRANSITION_NOT_ALLOWED', '只有审核中的申请可以修改费用明细');
      }
      const before = reviewedClaim(context, doc).lineItems;
      const now = context.clock.now().toISOString();
      const corrections: LineCorrection[] = [];
      for (let index = 0; index < Math.max(before.length, input.lineItems.length); index += 1) {
        const was = before[index] ?? null;
        const is = input.lineItems[index] ?? null;
        if (JSON.stringify(was) !== JSON.stringify(is)) corrections.push({ index, before: was, after: is, reason: input.reason, by: context.caller.openid, at: now });
      }
      if (corrections.length === 0) throw new DomainError('NOTHING_CHANGED', '费用明细没有变化');
      const claim = claimSchema.parse({ ...reviewedClaim(context, doc), lineItems: input.lineItems });
      const { ledger } = await readLedger(context.store, doc.personKey ?? '', claim);
      const { result } = estimate(claim, policyOf(context, doc), ledger);
      const patch: Partial<ClaimDoc> = { reviewedLineItems: input.lineItems, corrections: [...doc.corrections, ...corrections], reviewEstimate: result, version: doc.version + 1, updatedAt: now };
      if (!(await claimsOf(context.store).update(doc._id, patch, { expectVersion: doc.version }))) throw conflictError();
      return { reviewEstimate: result, corrections: patch.corrections ?? [] };
    },
  }),

  decide: defineAction({
    input: decisionSchema,
    roles: [...STAFF],
    async run(context, input): Promise<ClaimListItem> {
      const doc = await claimFor(context, input.id);
      const { id: _id, action, ...transitionInput } = input;
      void _id;
      const extra: Partial<ClaimDoc> = action === 'returnFromVerification' ? { settlement: null, paidFen: null } : {};
      const figures = action === 'passReview' ? { totalPaid: (doc.reviewEstimate ?? doc.estimate)?.totalPaid ?? 0 } : undefined;
      const updated = await transitionClaim(context, doc, action, { ...transitionInput, ...(figures ? { figures } : {}) }, extra);
      if (action === 'returnFromVerification' && doc.personKey) {
        // The settlement is to be redone: take it out of the year's totals now. Should this fail,
        // the next 结算 takes it out first anyway.
        await reverseOnLedger(context.store, doc.personKey, doc._id, reviewedClaim(context, doc), context.clock.now()).catch(() => undefined);
      }
      if (action === 'reject') await releaseReceipts(context.store, doc._id);
      if (action === 'requestSupplement') {
        const reason = updated.events.at(-1)?.reason ?? null;
        await claimsOf(context.store).update(updated._id, { supplementReason: reason });
        updated.supplementReason = reason;
      }
      return toSummary(updated);
    },
  }),

  /** 结算: the final figure with the ledger as it stands now; ledger and claim written together. */
  settle: defineAction({
    input: z.strictObject({ id: claimIdSchema }),
    roles: ['reviewer'],
    async run(context, input): Promise<ClaimListItem> {
      const doc = await claimFor(context, input.id);
      if (doc._openid === context.caller.openid) throw new DomainError('SELF_REVIEW', '不能审核自己提交的报销申请，请交由其他经办人员处理');
      if (doc.status !== 'reviewPassed') throw new DomainError('TRANSITION_NOT_ALLOWED', '只有审核通过的申请可以结算');
      if (doc.paperOriginalsRequired && !doc.paperOriginalsReceived) throw new DomainError('ORIGINALS_NOT_RECEIVED', '本地政策要求纸质原件，收到原件并登记后才能结算');
      if (!doc.personKey) throw new DomainError('NOT_FOUND', '这份申请缺少参保人信息');
      const claim = reviewedClaim(context, doc);
      const policy = policyOf(context, doc);
      // A claim in 审核通过 has no valid settlement: an entry left by 复核退回, or by a settlement whose
      // claim update never landed, is taken out first — so settling again is always exact.
      await reverseOnLedger(context.store, doc.personKey, doc._id, claim, context.clock.now());
      const result = await settleOnLedger(context.store, doc.personKey, doc._id, claim, policy, context.clock.now());
      const figures = { fundPays: result.fundPays, majorIllnessPays: result.majorIllnessPays, allowances: result.allowances, totalPaid: result.totalPaid };
      try {
        return toSummary(
          await transitionClaim(context, doc, 'settle', { figures, policyVersion: `${policy.id}@${policy.version}` }, { settlement: result, paidFen: result.totalPaid }),
        );
      } catch (error) {
        // The claim moved on meanwhile: take this settlement back out of the ledger.
        await reverseOnLedger(context.store, doc.personKey, doc._id, claim, context.clock.now());
        throw error;
      }
    },
  }),

  verify: defineAction({
    input: z.strictObject({ id: claimIdSchema }),
    roles: ['secondReviewer'],
    async run(context, input): Promise<ClaimListItem> {
      return toSummary(await transitionClaim(context, await claimFor(context, input.id), 'verify', {}));
    },
  }),

  markPaid: defineAction({
    input: z.strictObject({ id: claimIdSchema }),
    roles: [...STAFF],
    async run(context, input): Promise<ClaimListItem> {
      return toSummary(await transitionClaim(context, await claimFor(context, input.id), 'markPaid', {}));
    },
  }),

  receiveOriginals: defineAction({
    input: z.strictObject({ id: claimIdSchema }),
    roles: [...STAFF],
    async run(context, input): Promise<ClaimListItem> {
      return toSummary(await transitionClaim(context, await claimFor(context, input.id), 'receiveOriginals', {}));
    },
  }),
};
