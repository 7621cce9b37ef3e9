/**
 * The `claims` function: what a claimant does with their own claims — drafts, submission,
 * the list, the detail with its timeline, withdrawal, answering a 补件 request, the year-to-date
 * ledger. Submission re-validates everything with the core schemas, recomputes the estimate with
 * the ledger, checks materials and the filing deadline, and is idempotent by the request id.
 */
import * as z from 'zod';
import { claimFormSchema, claimDraftFormSchema, claimTitleOf, engineClaimOf, fileIdSchema, materialsFormSchema, missingOf, type ClaimForm } from '../../src/core/contracts/claim';
import { claimDraftInputSchema, claimIdSchema, pageInputSchema, type ClaimSummary, type Page } from '../../src/core/contracts/claimDraft';
import { filingStatus } from '../../src/core/deadline';
import { dateOfService, emptyLedger, estimate, type Ledger } from '../../src/core/engine';
import { DomainError } from '../../src/core/errors';
import { idNumberSchema } from '../../src/core/identity';
import type { MaterialId } from '../../src/core/materials';
import { insuranceTypeSchema, selectPolicy, visitKindNames, type VisitKind } from '../../src/core/policy';
import { availableActions, claimTimeline } from '../../src/core/workflow';
import type { ClaimDetail, ClaimListItem } from '../../src/core/contracts/views';
import { ledgerFor, readLedger } from '../ledger';
import { releaseReceipts, reserveReceipts } from '../receipts/registry';
import { dueDate } from '../sla';
import { StoreError, type Filter } from '../ports';
import { claimsOf, newClaimDoc, sealForm, toSummary, type ClaimDoc } from '../repositories/claims';
import { conflictError, transitionClaim } from '../claims/transition';
import { defineAction, type ActionContext, type FunctionDefinition } from './framework';

async function ownClaim(context: ActionContext, id: string): Promise<ClaimDoc> {
  const claim = await claimsOf(context.store).get(id);
  if (!claim) throw new DomainError('NOT_FOUND', '没有找到这份报销申请');
  if (claim._openid !== context.caller.openid) throw new DomainError('FORBIDDEN', '这份报销申请不属于您，无法查看或修改');
  return claim;
}

/** Finds the claim a request id already made, or creates one (a unique index makes the race safe). */
async function claimForRequest(context: ActionContext, fields: Partial<ClaimDoc>): Promise<{ doc: ClaimDoc; created: boolean }> {
  const claims = claimsOf(context.store);
  const requestId = context.requestId;
  if (requestId) {
    const [earlier] = await claims.find({ _openid: context.caller.openid, requestId }, { limit: 1 });
    if (earlier) return { doc: earlier, created: false };
  }
  const doc = newClaimDoc(context.caller.openid, requestId ?? `server-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`, context.clock.now().toISOString(), fields);
  try {
    return { doc: await claims.insert(doc), created: true };
  } catch (error) {
    if (error instanceof StoreError && error.code === 'DUPLICATE_KEY' && requestId) {
      const [winner] = await claims.find({ _openid: context.caller.openid, requestId }, { limit: 1 });
      if (winner) return { doc: winner, created: false };
    }
    throw error;
  }
}

/** Every photo the claim names must be a file this caller uploaded. */
async function assertOwnFiles(context: ActionContext, materials: Partial<Record<string, string[]>>): Promise<void> {
  for (const fileIDs of Object.values(materials)) {
    for (const fileID of fileIDs ?? []) {
      const meta = await context.files.describe(fileID);
      if (!meta) throw new DomainError('FILE_NOT_FOUND', '有照片没有上传成功，请重新上传后再提交', { details: { fileID } });
      if (meta.owner !== context.caller.openid) throw new DomainError('FILE_FORBIDDEN', '有照片不是您上传的，不能使用');
    }
  }
}

const visitKindName = (kind: string): string => visitKindNames[kind as VisitKind] ?? '';

export function claimDetailOf(doc: ClaimDoc, actor: { openid: string; roles: readonly string[] }, form: Record<string, unknown> | null = doc.form): ClaimDetail {
  const state = { status: doc.status, ownerId: doc._openid, settledBy: doc.settledBy, paperOriginalsRequired: doc.paperOriginalsRequired, paperOriginalsReceived: doc.paperOriginalsReceived };
  return {
    ...toSummary(doc),
    form,
    materials: doc.materials,
    policy: doc.policy,
    estimate: doc.estimate,
    reviewEstimate: doc.reviewEstimate,
    settlement: doc.settlement,
    requestedMaterials: doc.requestedMaterials,
    supplementReason: doc.supplementReason,
    paperOriginalsRequired: doc.paperOriginalsRequired,
    paperOriginalsReceived: doc.paperOriginalsReceived,
    timeline: claimTimeline(doc.status, doc.events),
    events: doc.events,
    actions: availableActions(state, { id: actor.openid, roles: actor.roles }).map((transition) => transition.action),
  };
}

async function submit(context: ActionContext, doc: ClaimDoc, form: ClaimForm): Promise<ClaimDoc> {
  await assertOwnFiles(context, form.materials);
  const now = context.clock.now();
  const engineClaim = engineClaimOf(form);
  const policy = selectPolicy(context.policies, engineClaim.insured.region, engineClaim.insured.insuranceType, dateOfService(engineClaim.visit));
  const filing = filingStatus(policy, engineClaim.visit, now);
  if (filing.status === 'expired') {
    throw new DomainError('FILING_EXPIRED', `已超过申报期限（${filing.deadline}），经办机构可能不予受理。请联系当地医保经办机构或拨打 12393 咨询。`, { details: { deadline: filing.deadline } });
  }
  const paperOriginalsRequired = policy.processing.paperOriginalsRequired && !form.electronicInvoice;
  if (paperOriginalsRequired && !form.originals) {
    throw new DomainError('VALIDATION_FAILED', '本地政策要求交验纸质原件，请选择递交方式', { issues: [{ path: 'originals.method', message: '请选择邮寄或自送' }] });
  }
  const personKey = context.sealer.fingerprint(form.insured.idNumber);
  const { ledger } = await readLedger(context.store, personKey, engineClaim);
  const { result } = estimate(engineClaim, policy, ledger);
  const missing = missingOf(form, paperOriginalsRequired).map((item) => item.id);
  const sealed = sealForm(form as unknown as Record<string, unknown>, context.sealer, doc.sealed);
  const title = claimTitleOf(form, visitKindName);
  const receiptPhotos = [...(form.materials.invoice ?? []), ...(form.materials.pharmacyInvoice ?? [])];
  await reserveReceipts(context.store, context.files, { id: doc._id, owner: doc._openid, title }, receiptPhotos, now);
  try {
    return await transitionClaim(context, doc, 'submit', { missingMaterials: missing, policyVersion: `${policy.id}@${policy.version}` }, {
    form: sealed.form,
    sealed: sealed.sealed,
    personKey,
    title,
    amountFen: result.total,
    region: form.insured.region,
    insuranceType: form.insured.insuranceType,
    scenario: form.guide.scenario,
    visitKind: form.guide.visitKind,
    materials: form.materials,
    submitRequestId: context.requestId ?? null,
    submittedAt: now.toISOString(),
    dueDate: dueDate(now, policy.processing.workingDays).toISOString(),
    policy: { id: policy.id, version: policy.version, title: policy.title, sample: policy.sample },
    estimate: result,
    paperOriginalsRequired,
    originals: form.originals ?? null,
    receiptKeys: receiptPhotos,
  });
  } catch (error) {
    await releaseReceipts(context.store, doc._id);
    throw error;
  }
}

export const claimsFunction: FunctionDefinition = {
  /** The quick draft of the first slice: a title and an amount. */
  createDraft: defineAction({
    input: claimDraftInputSchema,
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      const { doc } = await claimForRequest(context, { title: input.title, amountFen: input.amountFen });
      return toSummary(doc);
    },
  }),

  /** Saves whatever the person has typed (creating the draft on first save, idempotently). */
  saveDraft: defineAction({
    input: z.strictObject({ id: claimIdSchema.optional(), form: claimDraftFormSchema, materials: materialsFormSchema.default({}) }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      const doc = input.id ? await ownClaim(context, input.id) : (await claimForRequest(context, {})).doc;
      if (doc.status !== 'draft') throw new DomainError('TRANSITION_NOT_ALLOWED', '申请已提交，不能再修改草稿');
      await assertOwnFiles(context, input.materials);
      const sealed = sealForm(input.form, context.sealer, doc.sealed);
      const patch: Partial<ClaimDoc> = {
        form: sealed.form,
        sealed: sealed.sealed,
        materials: input.materials,
        title: claimTitleOf(input.form as { hospital?: { name?: string }; guide?: { visitKind?: string } }, visitKindName),
        version: doc.version + 1,
        updatedAt: context.clock.now().toISOString(),
      };
      if (!(await claimsOf(context.store).update(doc._id, patch, { expectVersion: doc.version }))) throw conflictError();
      return toSummary({ ...doc, ...patch });
    },
  }),

  /**
   * Submits a claim. With `id`, the draft saved before; without, the claim this request id made
   * (created now if none). The same request id again answers with the same claim.
   */
  submit: defineAction({
    input: z.strictObject({ id: claimIdSchema.optional(), form: claimFormSchema }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      let doc = input.id ? await ownClaim(context, input.id) : (await claimForRequest(context, {})).doc;
      for (let attempt = 0; attempt < 3; attempt += 1) {
        if (doc.status !== 'draft' && context.requestId && doc.submitRequestId === context.requestId) return toSummary(doc);
        try {
          return toSummary(await submit(context, doc, input.form));
        } catch (error) {
          if (!(error instanceof DomainError && error.code === 'CONFLICT')) throw error;
          doc = await ownClaim(context, doc._id);
        }
      }
      throw conflictError();
    },
  }),

  listMine: defineAction({
    input: pageInputSchema.extend({ status: z.enum(['active', 'all']).default('all') }),
    roles: ['claimant'],
    async run(context, input): Promise<Page<ClaimListItem>> {
      const claims = claimsOf(context.store);
      const filter: Filter = input.status === 'active' ? { _openid: context.caller.openid, status: { $in: ['draft', 'submitted', 'preliminaryPassed', 'reviewPassed', 'settled', 'verified', 'supplementRequested'] } } : { _openid: context.caller.openid };
      const [docs, total] = await Promise.all([
        claims.find(filter, { sort: { updatedAt: -1 }, skip: (input.page - 1) * input.pageSize, limit: input.pageSize }),
        claims.count(filter),
      ]);
      return { items: docs.map(toSummary), page: input.page, pageSize: input.pageSize, total };
    },
  }),

  get: defineAction({
    input: z.strictObject({ id: claimIdSchema }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimDetail> {
      return claimDetailOf(await ownClaim(context, input.id), context.caller);
    },
  }),

  withdraw: defineAction({
    input: z.strictObject({ id: claimIdSchema, reasonText: z.string().max(200).optional() }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      const doc = await ownClaim(context, input.id);
      const withdrawn = await transitionClaim(context, doc, 'withdraw', input.reasonText ? { reasonText: input.reasonText } : {});
      await releaseReceipts(context.store, doc._id);
      return toSummary(withdrawn);
    },
  }),

  /** Uploads only what the 补件 request asked for; the claim goes back to the queue. */
  answerSupplement: defineAction({
    input: z.strictObject({ id: claimIdSchema, materials: z.partialRecord(z.string(), z.array(fileIdSchema).min(1).max(20)) }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      const doc = await ownClaim(context, input.id);
      const unasked = Object.keys(input.materials).filter((id) => !doc.requestedMaterials.includes(id as MaterialId));
      if (unasked.length > 0) throw new DomainError('VALIDATION_FAILED', '只需要上传经办人员要求补充的材料', { issues: unasked.map((id) => ({ path: `materials.${id}`, message: '这项材料没有被要求补充' })) });
      await assertOwnFiles(context, input.materials);
      const missing = doc.requestedMaterials.filter((id) => (input.materials[id]?.length ?? 0) === 0);
      const materials = { ...doc.materials };
      for (const [id, files] of Object.entries(input.materials)) materials[id as MaterialId] = [...(materials[id as MaterialId] ?? []), ...(files ?? [])];
      return toSummary(await transitionClaim(context, doc, 'answerSupplement', { missingMaterials: missing }, { materials, supplementReason: null }));
    },
  }),

  /**
   * The year-to-date ledger of an insured person (起付线 used, caps left). Only for people this
   * caller has filed claims for; anyone else gets an empty year (no leak of another's figures).
   */
  myLedger: defineAction({
    input: z.strictObject({ idNumber: idNumberSchema, region: z.string().regex(/^\d{6}$/, '参保地代码为 6 位数字'), insuranceType: insuranceTypeSchema, year: z.number().int().min(2000).max(2100) }),
    roles: ['claimant'],
    async run(context, input): Promise<{ ledger: Ledger; known: boolean }> {
      const personKey = context.sealer.fingerprint(input.idNumber);
      const mine = await claimsOf(context.store).count({ _openid: context.caller.openid, personKey });
      if (mine === 0) return { ledger: emptyLedger(input.year), known: false };
      const { ledger, doc } = await ledgerFor(context.store, personKey, input.region, input.insuranceType, input.year);
      return { ledger, known: doc !== null };
    },
  }),
};
