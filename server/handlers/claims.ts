/**
 * The `claims` function: what a claimant does with their own claims — drafts, submission,
 * the list, the detail with its timeline, withdrawal, answering a 补件 request, the year-to-date
 * ledger. Submission re-validates everything with the core schemas, recomputes the estimate with
 * the ledger, checks materials and the filing deadline, and is idempotent by the request id.
 */
import * as z from 'zod';
import {
  claimFormSchema,
  claimDraftFormSchema,
  claimTitleOf,
  materialsObject,
  engineClaimOf,
  fileIdSchema,
  materialsFormSchema,
  missingOf,
  visitDatesAfter,
  type ClaimForm,
} from '../../src/core/contracts/claim';
import {
  claimIdSchema,
  claimStatusSchema,
  claimTitleSchema,
  liveClaimStatuses,
  pageInputSchema,
  type ClaimStatus,
  type ClaimSummary,
  type Page,
} from '../../src/core/contracts/claimDraft';
import { recordOriginalsSentInputSchema } from '../../src/core/contracts/claims';
import {
  isMasked,
  personInputSchema,
  personLedgerInputSchema,
  personRelationLabels,
  removePersonInputSchema,
  type PersonView,
} from '../../src/core/contracts/persons';
import { ageOf, guardianAccountRefusal, needsStayDates, normaliseDateInput } from '../../src/core/claimFormDraft';
import { filingDeadline, filingStatus, shanghaiDate } from '../../src/core/deadline';
import { dateOfService, emptyLedger, estimate, type Ledger } from '../../src/core/engine';
import { DomainError } from '../../src/core/errors';
import { claimNumberOf } from '../../src/core/claimNumber';
import { optionalPlainText } from '../../src/core/text';
import { idNumberSchema, maskBankAccount, maskIdNumber, maskPhone } from '../../src/core/identity';
import { materialDefinitions, type MaterialId } from '../../src/core/materials';
import {
  insuranceTypeSchema,
  selectPolicy,
  visitKindNames,
  type InsuranceType,
  type PolicyDocument,
  type VisitKind,
} from '../../src/core/policy';
import type { ClaimDetail, ClaimListItem } from '../../src/core/contracts/views';
import { ledgerFor, readLedger, type LedgerDoc } from '../ledger';
import { identitiesOfUnread, readingsOf, receiptKeysOf } from '../receipts/registry';
import { holdersOf, keptKeys, replacedReceiptPhotos, retakePatch } from '../claims/retake';
import { precheckClaim, type PrecheckInput } from '../claims/precheck';
import { dueDate } from '../sla';
import type { Filter, StoredFile } from '../ports';
import {
  claimIdForRequest,
  claimsOf,
  mailCodeOf,
  newClaimDoc,
  newClaimId,
  readPath as pick,
  sealForm,
  summaryFields,
  toSummary,
  writePath as put,
  type ClaimDoc,
  type SealedFields,
} from '../repositories/claims';
import {
  guardianAccountError,
  holdPerson,
  openPerson,
  ownPerson,
  personsOf,
  removePerson,
  savePerson,
  toPersonView,
} from '../repositories/persons';
import type { FieldSealer } from '../security/fieldCipher';
import { notFoundError, requestIdReusedError, transitionClaim } from '../claims/transition';
import { claimDetailOf } from '../claims/detail';
import { workingCalendar } from '../policies/calendar';
import { defineAction, type ActionContext, type FunctionDefinition } from './framework';

const isOwnedBy =
  (context: ActionContext) =>
  (doc: ClaimDoc): boolean =>
    doc._openid === context.caller.openid;

/** The caller's own claim; anyone else's answers NOT_FOUND, as a made-up id does (ids are not revealed). */
async function ownClaim(context: ActionContext, id: string): Promise<ClaimDoc> {
  const claim = await claimsOf(context.store).get(id);
  if (!claim || !isOwnedBy(context)(claim)) throw notFoundError();
  return claim;
}

/** The id of the claim this request creates when it names none: the same for every retry of the request. */
function claimIdOfRequest(context: ActionContext): string {
  return context.requestId ? claimIdForRequest(context.caller.openid, context.requestId) : newClaimId();
}

/** A new draft `id`; `at`: its creation time (a claim submitted without a draft is created at its submission time). */
function freshDraft(
  context: ActionContext,
  id: string,
  fields: Partial<ClaimDoc> = {},
  at: Date = context.clock.now(),
): ClaimDoc {
  return newClaimDoc(context.caller.openid, context.requestId ?? id, at.toISOString(), {
    _id: id,
    ...fields,
  });
}

/**
 * Every photo the claim names must be a file this caller uploaded (read in one query); their metadata, by fileID.
 * `alsoDescribe`: files read in the same query, not checked (a 补件 answer compares its photos with those held).
 */
async function assertOwnFiles(
  context: ActionContext,
  materials: Partial<Record<string, string[]>>,
  alsoDescribe: readonly string[] = [],
): Promise<Map<string, StoredFile>> {
  const fileIDs = Object.values(materials).flatMap((ids) => ids ?? []);
  const described = await context.files.describeMany([...new Set([...fileIDs, ...alsoDescribe])]);
  for (const fileID of fileIDs) {
    const meta = described.get(fileID);
    if (!meta)
      throw new DomainError('FILE_NOT_FOUND', '有照片没有上传成功，请重新上传后再提交', { details: { fileID } });
    if (meta.owner !== context.caller.openid) throw new DomainError('FILE_FORBIDDEN', '有照片不是您上传的，不能使用');
  }
  return described;
}

/** Days after today a planned 自送 may be recorded for. */
const DELIVERY_DAYS_AHEAD = 60;

/** A 自送 day from the claim's filing day to 60 days ahead (1900-01-01 and 2099-01-01 were taken). */
function refuseUnlikelyDeliveryDay(day: string, doc: ClaimDoc, now: Date): void {
  const filed = shanghaiDate(new Date(doc.submittedAt ?? doc.createdAt));
  const latest = shanghaiDate(new Date(now.getTime() + DELIVERY_DAYS_AHEAD * 86_400_000));
  if (day < filed || day > latest)
    throw new DomainError('VALIDATION_FAILED', '自送日期不对，请按实际送去（或打算送去）的日期填写', {
      issues: [
        {
          path: 'originalsSent.date',
          message: `自送日期应在 ${filed} 到 ${latest} 之间`,
        },
      ],
    });
}

/**
 * Each photo is given once: not for two materials, not twice for one (a probe sent one photo as every material). With
 * the files' metadata, by content too: the same picture uploaded twice is two files of one sha256 (a probe filed one
 * picture as 身份证 and 银行卡 so).
 */
function refuseReusedPhotos(materials: Partial<Record<string, string[]>>, files?: Map<string, StoredFile>): void {
  // Each photo by its content, with where it was first given: the refusal names the material and the photo to delete
  // (a walk: 同一张照片交了两次，请换一张 named neither, and the person needed to delete one, not take another).
  const seen = new Map<string, { id: string; number: number }>();
  const reused = Object.entries(materials).flatMap(([id, fileIDs]) =>
    (fileIDs ?? []).flatMap((fileID, index) => {
      const content = files?.get(fileID)?.sha256 ?? fileID;
      const first = seen.get(content);
      if (!first) {
        seen.set(content, { id, number: index + 1 });
        return [];
      }
      return [{ id, number: index + 1, first }];
    }),
  );
  const label = (id: string): string => materialDefinitions[id as MaterialId]?.label ?? '材料';
  if (reused.length > 0)
    throw new DomainError('VALIDATION_FAILED', '有一张照片交了两次：请在「上传材料」删掉重复的那张，再提交', {
      issues: reused.map(({ id, number, first }) => ({
        path: `form.materials.${id}`,
        message:
          first.id === id
            ? `「${label(id)}」第 ${number} 张与第 ${first.number} 张是同一张照片，请删掉第 ${number} 张`
            : `「${label(id)}」第 ${number} 张与「${label(first.id)}」第 ${first.number} 张是同一张照片：一张照片只能交给一项材料，请删掉它，换成${label(id)}的照片`,
      })),
    });
}

/** Where a form keeps its personal fields, with the mask each is shown as. */
const personalPaths = [
  { path: ['insured', 'idNumber'], mask: maskIdNumber, label: '身份证号' },
  { path: ['payout', 'accountNumber'], mask: maskBankAccount, label: '银行卡号' },
  { path: ['phone'], mask: maskPhone, label: '手机号' },
] as const;

/**
 * A draft's form sealed for storage. A draft that names a family member keeps their masked values as
 * they are (they stand for the member's, resolved at submission); everything typed is sealed.
 */
function sealDraft(
  form: Record<string, unknown>,
  sealer: FieldSealer,
  previous: SealedFields,
): { form: Record<string, unknown>; sealed: SealedFields } {
  if (typeof form.personId !== 'string') return sealForm(form, sealer, previous);
  const kept = personalPaths.filter(({ path }) => isMasked(pick(form, path)));
  let bare = form;
  for (const { path } of kept) bare = put(bare, path, undefined);
  const sealed = sealForm(bare, sealer, previous);
  let stored = sealed.form;
  for (const { path } of kept) stored = put(stored, path, pick(form, path));
  return { form: stored, sealed: sealed.sealed };
}

/**
 * The submitted form with a family member's values in place of their masked copies: each masked value
 * must be exactly the mask of what the member holds, else the person is asked to type it in full.
 */
async function withPerson(context: ActionContext, form: ClaimForm): Promise<ClaimForm> {
  if (!form.personId) return form;
  const person = await ownPerson(context.store, context.caller.openid, form.personId);
  const opened = openPerson(person, context.sealer);
  // The 参保人 is the member named: a claim "for 王芳" with another 身份证号 was filed and counted on that other
  // person's year ledger (a probe), and one with another name carried her number under it.
  const mismatch = (field: string): string =>
    `${field}与所选家庭成员${person.name}的不一致：请重新选择看病的人，或在「家庭成员」里新增这位家人`;
  const issues = [
    ...(!isMasked(form.insured.idNumber) && form.insured.idNumber !== opened.idNumber
      ? [{ path: 'form.insured.idNumber', message: mismatch('身份证号') }]
      : []),
    ...(form.insured.name !== person.name ? [{ path: 'form.insured.name', message: mismatch('姓名') }] : []),
    // 本人 is 本人: a claim filed as 本人 naming a spouse (or as 家人 naming 本人) said the wrong person filed it.
    ...((form.insured.relation === 'self') !== (person.relation === 'self')
      ? [{ path: 'form.insured.relation', message: mismatch('为谁申请（本人或家人）') }]
      : []),
  ];
  if (issues.length > 0) throw new DomainError('VALIDATION_FAILED', issues[0]!.message, { issues });
  const full: Record<string, string | undefined> = {
    身份证号: opened.idNumber,
    银行卡号: opened.accountNumber,
    手机号: opened.phone,
  };
  let resolved = form as unknown as Record<string, unknown>;
  for (const { path, mask, label } of personalPaths) {
    const value = pick(resolved, path);
    if (!isMasked(value)) continue;
    const kept = full[label];
    if (!kept || mask(kept) !== value) {
      throw new DomainError('VALIDATION_FAILED', `请填写完整的${label}`, {
        issues: [{ path: ['form', ...path].join('.'), message: `请重新填写完整的${label}` }],
      });
    }
    resolved = put(resolved, path, kept);
  }
  return resolved as unknown as ClaimForm;
}

/** Whether the policy in force on `date` for the region and 险种 lets a minor be paid into a guardian's account. */
function guardianAccountsAllowed(
  policies: readonly PolicyDocument[],
  region: string,
  insuranceType: InsuranceType,
  date: string,
): boolean {
  try {
    return selectPolicy(policies, region, insuranceType, date).processing.guardianAccountForMinors ?? false;
  } catch {
    // No policy for it here: nothing is refused for it now (a claim is, at submit, for want of a policy).
    return true;
  }
}

/** A draft's filing deadline ('YYYY-MM-DD') once its region, insurance type, visit kind and date are known; else null. */
function draftFilingDeadline(form: Record<string, unknown>, policies: readonly PolicyDocument[]): string | null {
  const insured = (pick(form, ['insured']) ?? {}) as { region?: unknown; insuranceType?: unknown };
  const kind = pick(form, ['guide', 'visitKind']);
  if (typeof insured.region !== 'string' || typeof insured.insuranceType !== 'string' || typeof kind !== 'string')
    return null;
  const stay = needsStayDates(kind);
  const typed = pick(form, ['visit', stay ? 'dischargeDate' : 'visitDate']);
  const date = typeof typed === 'string' ? normaliseDateInput(typed) : '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  try {
    const policy = selectPolicy(policies, insured.region, insured.insuranceType as InsuranceType, date);
    return filingDeadline(policy, stay ? { dischargeDate: date, admissionDate: date } : { visitDate: date });
  } catch {
    return null;
  }
}

const visitKindName = (kind: string): string => visitKindNames[kind as VisitKind] ?? '';

/**
 * A claim's statuses once staff passed its 初审, having checked the insured's identity documents. Only such a claim of
 * the caller's for a person shows them that person's year (起付线 used, caps left, stays in hospital): typing someone's
 * 身份证号 into a claim, submitted, withdrawn or refused before 初审, shows nothing of it.
 */
const IDENTITY_CHECKED: readonly ClaimStatus[] = ['preliminaryPassed', 'reviewPassed', 'settled', 'verified', 'paid'];

/**
 * The year a caller may see of a person (`read`: the stored ledger, empty when none), or an empty year of the same
 * policy year: for the estimate at submit, and for 我的 / family pages (myLedger, personLedger). The estimate is a
 * preview; settlement always computes with the stored year.
 */
async function yearShownTo(
  context: ActionContext,
  personKey: string,
  read: { doc: LedgerDoc | null; ledger: Ledger },
): Promise<{ ledger: Ledger; known: boolean }> {
  if (read.doc === null) return { ledger: read.ledger, known: false };
  const checked = await claimsOf(context.store).count({
    _openid: context.caller.openid,
    personKey,
    status: { $in: [...IDENTITY_CHECKED] },
  });
  return checked > 0
    ? { ledger: read.ledger, known: true }
    : { ledger: emptyLedger(read.ledger.policyYear), known: false };
}

/**
 * Submits `form` as claim `claimId`: everything is checked before the transaction (files, policy,
 * deadline, originals); the transaction then reserves the receipts, checks the materials and moves
 * the claim — or writes nothing. A repeat of the same request answers with the claim it submitted.
 */
async function submit(
  context: ActionContext,
  claimId: string,
  filed: ClaimForm,
  createIfMissing: boolean,
): Promise<ClaimDoc> {
  const now = context.clock.now();
  const notYet = visitDatesAfter(filed.visit, shanghaiDate(now));
  // Each issue named by its path in the request, as zod's own are (submit's input is `{ form }`).
  if (notYet.length > 0)
    throw new DomainError('VALIDATION_FAILED', '填写的内容有误，请按提示修改', {
      issues: notYet.map((issue) => ({ ...issue, path: `form.${issue.path}` })),
    });
  refuseReusedPhotos(filed.materials);
  const files = await assertOwnFiles(context, filed.materials);
  refuseReusedPhotos(filed.materials, files);
  const form = await withPerson(context, filed);
  const engineClaim = engineClaimOf(form);
  const policy = selectPolicy(
    await context.policies.published(),
    engineClaim.insured.region,
    engineClaim.insured.insuranceType,
    dateOfService(engineClaim.visit),
  );
  const filing = filingStatus(policy, engineClaim.visit, now);
  if (filing.status === 'expired') {
    throw new DomainError(
      'FILING_EXPIRED',
      `已超过申报期限（${filing.deadline}），经办机构可能不予受理。请联系当地医保经办机构或拨打 12393 咨询。`,
      { details: { deadline: filing.deadline } },
    );
  }
  if (form.payout.guardianRelation) {
    // A minor's claim into a parent's or guardian's account: where the policy allows it, and for someone under 18 today.
    const refusal = guardianAccountRefusal(
      policy.processing.guardianAccountForMinors ?? false,
      ageOf(form.insured.idNumber, shanghaiDate(now)),
    );
    if (refusal) throw guardianAccountError(refusal, 'form.payout.guardianRelation');
  }
  const paperOriginalsRequired = policy.processing.paperOriginalsRequired && !form.electronicInvoice;
  if (paperOriginalsRequired && !form.originals) {
    throw new DomainError('VALIDATION_FAILED', '本地政策要求交验纸质原件，请选择递交方式', {
      issues: [{ path: 'form.originals.method', message: '请选择邮寄或自送' }],
    });
  }
  const personKey = context.sealer.fingerprint(form.insured.idNumber);
  const { ledger } = await yearShownTo(
    context,
    personKey,
    await readLedger(context.store, personKey, engineClaim, policy),
  );
  const { result } = estimate(engineClaim, policy, ledger);
  const title = claimTitleOf(form, visitKindName);
  const receiptFileIds = [...(form.materials.invoice ?? []), ...(form.materials.pharmacyInvoice ?? [])];
  const readings = await readingsOf(context.store, receiptFileIds);
  const unread = await identitiesOfUnread(context, readings, receiptFileIds, context.caller.openid);
  const receiptKeys = receiptKeysOf({ files, readings, unread }, receiptFileIds);
  const missingMaterials = missingOf(form, paperOriginalsRequired).map((item) => item.id);
  const checked = await precheckClaim(
    context.store,
    {
      insuredName: form.insured.name,
      visit: form.visit,
      lineItems: form.lineItems,
      receiptFileIds,
      missingMaterials,
      filingExpired: false,
    },
    readings,
  );
  const requestId = context.requestId ?? null;
  // The calendar the reviewer's page counts with, operators' years included (read once a minute; the step reads it too).
  const calendar = await workingCalendar(context.store, context.clock);
  return transitionClaim(context, {
    claimId,
    action: 'submit',
    visible: isOwnedBy(context),
    // Created at the submission's time: it was read from the clock again, and came out after submittedAt.
    ...(createIfMissing ? { create: () => freshDraft(context, claimId, {}, now) } : {}),
    // Filed by this very request: answered with the claim, unless the request id comes with another body (another form
    // under the first one's id was dropped unseen behind a 200; a probe).
    alreadyDone: (doc) => {
      if (doc.status === 'draft' || requestId === null || doc.submitRequestId !== requestId) return false;
      const filedBy = doc.events.find((event) => event.action === 'submit' && event.requestId === requestId);
      if (
        filedBy?.requestDigest !== undefined &&
        context.requestDigest !== undefined &&
        filedBy.requestDigest !== context.requestDigest
      )
        throw requestIdReusedError();
      return true;
    },
    input: { missingMaterials, policyVersion: `${policy.id}@${policy.version}` },
    prepared: { receiptKeys, claimTitle: title },
    patch: async (doc, _event, tx) => {
      const person = form.personId ? await holdPerson(tx, context.caller.openid, form.personId, now) : null;
      const sealed = sealForm(form as unknown as Record<string, unknown>, context.sealer, doc.sealed);
      return {
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
        submitRequestId: requestId,
        submittedAt: now.toISOString(),
        dueDate: dueDate(now, policy.processing.workingDays, calendar).toISOString(),
        policy: { id: policy.id, version: policy.version, title: policy.title, sample: policy.sample },
        estimate: result,
        paperOriginalsRequired,
        originals: paperOriginalsRequired && form.originals ? form.originals : null,
        mailCode: paperOriginalsRequired ? mailCodeOf(doc._id) : null,
        // A tracking number given at filing counts as sent; otherwise the claim shows 待寄出原件 until it is added.
        originalsSentAt: paperOriginalsRequired && form.originals?.trackingNumber ? now.toISOString() : null,
        personId: form.personId ?? null,
        personRelation: person?.relation ?? null,
        filingDeadline: null,
        receiptFileIds,
        precheck: checked,
        precheckClean: checked.clean,
      };
    },
  });
}

/** How many times a claimant may record (or correct) how the originals went. */
const ORIGINALS_CHANGES_MAX = 5;

export const claimsFunction: FunctionDefinition = {
  /** An empty draft with a title (the amount comes from its line items, never from the caller). */
  createDraft: defineAction({
    input: z.strictObject({ title: claimTitleSchema }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      const id = claimIdOfRequest(context);
      return toSummary(
        await context.store.transaction(async (tx) => {
          const earlier = await tx.get<ClaimDoc>('claims', id);
          // The claim a submit under this id filed is no draft of this request's (a probe got it back as its new draft).
          if (earlier && earlier.submitRequestId === context.requestId) throw requestIdReusedError();
          if (earlier) return earlier;
          const doc = freshDraft(context, id, { title: input.title });
          await tx.set('claims', doc);
          return doc;
        }),
      );
    },
  }),

  /**
   * 重新提交: a new draft with a withdrawn or rejected claim's form and photos (撤回 says 需要时可以重新提交一份, and
   * nothing did: a walk chose every photo again). The claim itself is left as it was; the copy is checked again
   * in full when it is submitted. A family member since removed is not named: their masked values are typed again.
   * One draft per request id.
   */
  refile: defineAction({
    input: z.strictObject({ id: claimIdSchema }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      const source = await ownClaim(context, input.id);
      if (source.status !== 'withdrawn' && source.status !== 'rejected')
        throw new DomainError('TRANSITION_NOT_ALLOWED', '这份申请还在办理中，不能重新提交；要重新填写，请先撤回它');
      const id = claimIdOfRequest(context);
      const person =
        source.personId && (await personsOf(context.store).get(source.personId))?._openid === context.caller.openid
          ? source.personId
          : null;
      // A draft's form: the photos stay beside it (a draft's form names none), and the 承诺 is the person's to tick again.
      const {
        personId: _named,
        draft: _meta,
        materials: _photos,
        declarationAccepted: _declared,
        ...copied
      } = (source.form ?? {}) as Record<string, unknown>;
      const form: Record<string, unknown> = {
        ...copied,
        ...(person ? { personId: person } : {}),
        draft: { step: 'form' },
      };
      const published = await context.policies.published();
      const saved = await context.store.transaction(async (tx) => {
        const earlier = await tx.get<ClaimDoc>('claims', id);
        if (earlier) {
          if (!isOwnedBy(context)(earlier)) throw notFoundError();
          // The same request again: the copy it made. A request id that made anything else is not this request's.
          if (earlier.refiledFrom === source._id) return earlier;
          throw requestIdReusedError();
        }
        // One copy of a claim, whatever the request id: the claim names its copy, read and written in this
        // transaction, so taps on two pages at once make one (a probe: 8 taps with 8 request ids made 8 drafts).
        const original = (await tx.get<ClaimDoc>('claims', source._id)) ?? source;
        const copy = original.refiledAs ? await tx.get<ClaimDoc>('claims', original.refiledAs) : null;
        if (copy && isOwnedBy(context)(copy)) {
          if (copy.status === 'draft') return copy;
          throw new DomainError(
            'ALREADY_REFILED',
            `这份申请已经重新提交过一份（申请编号 ${claimNumberOf(copy._id)}），请在「我的报销」里打开那一份查看`,
            { details: { claimId: copy._id } },
          );
        }
        if (person) await holdPerson(tx, context.caller.openid, person, context.clock.now());
        const doc = freshDraft(context, id, {
          form,
          sealed: source.sealed,
          personId: person,
          filingDeadline: draftFilingDeadline(form, published),
          materials: source.materials,
          title: source.title,
          refiledFrom: source._id,
        });
        await tx.set('claims', doc);
        await tx.set<ClaimDoc>('claims', { ...original, refiledAs: id });
        return doc;
      });
      return toSummary(saved);
    },
  }),

  /**
   * Saves whatever the person has typed, whole (fields they removed are gone). Without `id`, the
   * draft this request id made (created now if none): checked first, written in one transaction.
   */
  saveDraft: defineAction({
    input: z.strictObject({
      id: claimIdSchema.optional(),
      form: claimDraftFormSchema,
      materials: materialsFormSchema.default({}),
    }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      await assertOwnFiles(context, input.materials);
      const id = input.id ?? claimIdOfRequest(context);
      const published = await context.policies.published();
      const saved = await context.store.transaction(async (tx) => {
        const stored = await tx.get<ClaimDoc>('claims', id);
        if ((input.id && !stored) || (stored && !isOwnedBy(context)(stored))) throw notFoundError();
        const doc = stored ?? freshDraft(context, id);
        if (doc.status !== 'draft') throw new DomainError('TRANSITION_NOT_ALLOWED', '申请已提交，不能再修改草稿');
        if (input.form.personId) await holdPerson(tx, context.caller.openid, input.form.personId, context.clock.now());
        const sealed = sealDraft(input.form, context.sealer, doc.sealed);
        const next: ClaimDoc = {
          ...doc,
          form: sealed.form,
          sealed: sealed.sealed,
          personId: input.form.personId ?? null,
          filingDeadline: draftFilingDeadline(input.form, published),
          materials: input.materials,
          title: claimTitleOf(input.form as Parameters<typeof claimTitleOf>[0], visitKindName),
          version: doc.version + 1,
          updatedAt: context.clock.now().toISOString(),
        };
        await tx.set('claims', next);
        return next;
      });
      return toSummary(saved);
    },
  }),

  /**
   * Submits a claim. With `id`, the draft saved before; without, the claim this request id makes
   * (nothing is stored when the submission is refused). The same request id again answers with the same claim.
   */
  submit: defineAction({
    input: z.strictObject({ id: claimIdSchema.optional(), form: claimFormSchema }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      return toSummary(
        await submit(context, input.id ?? claimIdOfRequest(context), input.form, input.id === undefined),
      );
    },
  }),

  listMine: defineAction({
    input: pageInputSchema.extend({ status: z.enum(['active', 'all']).default('all') }),
    roles: ['claimant'],
    async run(context, input): Promise<Page<ClaimListItem>> {
      const claims = claimsOf(context.store);
      const filter: Filter =
        input.status === 'active'
          ? { _openid: context.caller.openid, status: { $in: [...liveClaimStatuses] } }
          : { _openid: context.caller.openid };
      const page = {
        sort: { updatedAt: -1 },
        skip: (input.page - 1) * input.pageSize,
        limit: input.pageSize,
        fields: summaryFields,
      } as const;
      if (input.page === 1) {
        // A first page that is not full is the whole list: its length is the total (one round trip, not two).
        const docs = await claims.find(filter, page);
        const total = docs.length < input.pageSize ? docs.length : await claims.count(filter);
        return { items: docs.map(toSummary), page: 1, pageSize: input.pageSize, total };
      }
      const [docs, total] = await Promise.all([claims.find(filter, page), claims.count(filter)]);
      return { items: docs.map(toSummary), page: input.page, pageSize: input.pageSize, total };
    },
  }),

  get: defineAction({
    input: z.strictObject({ id: claimIdSchema }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimDetail> {
      const doc = await ownClaim(context, input.id);
      if (doc.status !== 'withdrawn' && doc.status !== 'rejected') return claimDetailOf(doc, context.caller);
      // Its copy, if 重新提交一份 made one (a walk tapped it again and made a second): the page names it instead.
      const [copy] = await claimsOf(context.store).find(
        { _openid: context.caller.openid, refiledFrom: doc._id },
        { limit: 1, fields: ['status'] },
      );
      return {
        ...claimDetailOf(doc, context.caller),
        refiledAs: copy ? { id: copy._id, status: copy.status } : null,
      };
    },
  }),

  /**
   * 删除草稿: the caller's own draft, gone (its photos, held by nothing now, are swept 30 days after upload). A filed
   * claim is withdrawn, not deleted. A refiled copy deleted is no longer named by the claim it copies, so 重新提交一份
   * makes another.
   */
  deleteDraft: defineAction({
    input: z.strictObject({ id: claimIdSchema }),
    roles: ['claimant'],
    async run(context, input): Promise<{ id: string }> {
      await context.store.transaction(async (tx) => {
        const doc = await tx.get<ClaimDoc>('claims', input.id);
        if (!doc || !isOwnedBy(context)(doc)) throw notFoundError();
        if (doc.status !== 'draft')
          throw new DomainError('TRANSITION_NOT_ALLOWED', '这份申请已经提交，不能删除；不想办了，可以在申请页面撤回');
        if (doc.refiledFrom) {
          const original = await tx.get<ClaimDoc>('claims', doc.refiledFrom);
          if (original?.refiledAs === doc._id) {
            const { refiledAs: _copy, ...rest } = original;
            await tx.set<ClaimDoc>('claims', rest as ClaimDoc);
          }
        }
        await tx.remove('claims', doc._id);
      });
      return { id: input.id };
    },
  }),

  withdraw: defineAction({
    input: z.strictObject({
      id: claimIdSchema,
      reasonText: optionalPlainText('撤回原因', 200, { multiline: true }).optional(),
      /**
       * The status the person saw (the app sends it): a 撤回 sent while the claim read 待初审 landed on a 补件 request
       * made since (black-box probe). Optional for callers that do not name it.
       */
      expectedStatus: claimStatusSchema.optional(),
    }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      return toSummary(
        await transitionClaim(context, {
          claimId: input.id,
          action: 'withdraw',
          ...(input.expectedStatus !== undefined ? { expectedStatus: input.expectedStatus } : {}),
          visible: isOwnedBy(context),
          input: input.reasonText ? { reasonText: input.reasonText } : {},
        }),
      );
    },
  }),

  /** Uploads only what the 补件 request asked for; the claim goes back to the queue. */
  answerSupplement: defineAction({
    input: z.strictObject({
      id: claimIdSchema,
      materials: materialsObject(z.array(fileIdSchema).min(1).max(20)),
    }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      const seen = await ownClaim(context, input.id);
      const files = await assertOwnFiles(context, input.materials, [
        ...Object.values(seen.materials).flatMap((held) => held ?? []),
        ...(seen.retakenPhotos ?? []).map((photo) => photo.fileID),
      ]);
      const newReceipts = [...(input.materials.invoice ?? []), ...(input.materials.pharmacyInvoice ?? [])];
      const allReceipts = [...new Set([...(seen.receiptFileIds ?? []), ...newReceipts])];
      const readings = await readingsOf(context.store, allReceipts);
      const unread = await identitiesOfUnread(context, readings, newReceipts, context.caller.openid);
      const receiptKeys = receiptKeysOf({ files, readings, unread }, newReceipts);
      // A new photo of a receipt the claim holds (票据代码 + 号码) takes the place of the earlier photo of it: a clearer
      // re-shot, not a second copy (a probe: one invoice twice made the 预审 count it twice).
      const replaced = replacedReceiptPhotos(seen, readings, receiptKeys, await holdersOf(context.store, receiptKeys));
      const leaving = new Set(replaced.map((photo) => photo.fileID));
      const receiptFileIds = allReceipts.filter((fileID) => !leaving.has(fileID));
      // Every key the claim holds stays held (the earlier photo is kept for the record); the receipt's now names the new photo.
      const keep = keptKeys([...receiptKeys, ...receiptKeysOf({ files, readings }, [...(seen.receiptFileIds ?? [])])]);
      const form = seen.form as {
        insured?: { name?: string };
        visit?: PrecheckInput['visit'];
        lineItems?: Array<{ amountFen: number }>;
      } | null;
      const checked = await precheckClaim(
        context.store,
        {
          insuredName: form?.insured?.name ?? '',
          visit: form?.visit ?? {},
          lineItems: seen.reviewedLineItems ?? form?.lineItems ?? [],
          receiptFileIds,
          missingMaterials: [],
          filingExpired: false,
        },
        readings,
      );
      const answered = await transitionClaim(context, {
        claimId: input.id,
        action: 'answerSupplement',
        visible: isOwnedBy(context),
        input: (doc) => {
          const unasked = Object.keys(input.materials).filter(
            (id) => !doc.requestedMaterials.includes(id as MaterialId),
          );
          if (unasked.length > 0)
            throw new DomainError('VALIDATION_FAILED', '只需要上传经办人员要求补充的材料', {
              issues: unasked.map((id) => ({ path: `materials.${id}`, message: '这项材料没有被要求补充' })),
            });
          // A photo the claim already holds (or sent twice) answers nothing: the reviewer asked for a new one. By content
          // too: the same picture uploaded again is a new file of the same bytes (a probe sent the 身份证 photo so).
          const content = (fileID: string): string => files.get(fileID)?.sha256 ?? fileID;
          // Each photo the claim holds, by id and content, with the material it was given as: the refusal names it.
          const held = new Map(
            (Object.entries(doc.materials) as Array<[MaterialId, string[] | undefined]>).flatMap(
              ([material, heldFiles]) =>
                (heldFiles ?? []).flatMap((id) => [[id, material] as const, [content(id), material] as const]),
            ),
          );
          const sentBefore = new Set<string>();
          const repeated = (Object.entries(input.materials) as Array<[MaterialId, string[] | undefined]>).flatMap(
            ([id, sent]) =>
              (sent ?? []).flatMap((fileID) => {
                const heldAs = held.get(fileID) ?? held.get(content(fileID));
                const twice = sentBefore.has(content(fileID));
                sentBefore.add(content(fileID));
                return heldAs || twice ? [{ id, heldAs }] : [];
              }),
          );
          // A photo sent back to be taken again (重拍), or the same picture of it, answers nothing either.
          const sentBack = new Set((doc.retakenPhotos ?? []).flatMap((photo) => [photo.fileID, content(photo.fileID)]));
          const again = (Object.entries(input.materials) as Array<[MaterialId, string[] | undefined]>).flatMap(
            ([id, sent]) =>
              (sent ?? []).some((fileID) => sentBack.has(fileID) || sentBack.has(content(fileID))) ? [id] : [],
          );
          if (again.length > 0)
            throw new DomainError('VALIDATION_FAILED', '这张照片经办人员已退回，请重新拍一张清楚的再提交', {
              issues: again.map((id) => ({
                path: `materials.${id}`,
                message: '这张照片已被退回重拍，请上传新拍的照片',
              })),
            });
          // Said with the material and where the photo already is: the reviewer has it and asks for another (a walk
          // re-sent the 户口本 page filed with the claim and was told only 这张照片已经交过了, after the confirmation).
          const label = (id: MaterialId): string => materialDefinitions[id].label;
          if (repeated.length > 0)
            throw new DomainError(
              'VALIDATION_FAILED',
              repeated[0]!.heldAs
                ? `「${label(repeated[0]!.id)}」里的照片申请时已经交过（在「${label(repeated[0]!.heldAs)}」里），经办人员看得到它，要的是另一张：请拍摄要补充的材料后再提交；不清楚要哪一张，可以拨打 12393 询问`
                : `「${label(repeated[0]!.id)}」里有一张照片交了两次：请删掉重复的那张后再提交`,
              {
                issues: repeated.map(({ id, heldAs }) => ({
                  path: `materials.${id}`,
                  message: heldAs
                    ? `这张照片申请时已经交过（在「${label(heldAs)}」里），请换成新拍的${label(id)}`
                    : '这张照片交了两次，请删掉重复的那张',
                })),
              },
            );
          return { missingMaterials: doc.requestedMaterials.filter((id) => (input.materials[id]?.length ?? 0) === 0) };
        },
        prepared: { receiptKeys, claimTitle: seen.title },
        patch: async (doc, event, tx) => {
          const materials = { ...doc.materials };
          for (const [id, files] of Object.entries(input.materials) as Array<[MaterialId, string[] | undefined]>)
            materials[id] = [...(materials[id] ?? []), ...(files ?? [])];
          const added = Object.values(input.materials).flatMap((files) => files ?? []);
          const stillHeld = replaced.filter((photo) => (doc.materials[photo.materialId] ?? []).includes(photo.fileID));
          const swapped =
            stillHeld.length > 0 ? await retakePatch(tx, { ...doc, materials }, stillHeld, keep, event.at) : null;
          return {
            materials: swapped?.materials ?? materials,
            ...(swapped ? { retakenPhotos: swapped.retakenPhotos } : {}),
            supplementReason: null,
            supplementFileIds: [...(doc.supplementFileIds ?? []), ...added],
            receiptFileIds,
            precheck: checked,
            precheckClean: checked.clean,
          };
        },
      });
      return toSummary(answered);
    },
  }),

  /** 登记纸质原件寄出: the tracking number (邮寄) or the day (自送), recorded as the owner's step; the claim stops showing 待寄出原件. */
  recordOriginalsSent: defineAction({
    input: recordOriginalsSentInputSchema,
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      const sent = input.originalsSent;
      return toSummary(
        await transitionClaim(context, {
          claimId: input.id,
          action: 'recordOriginalsSent',
          visible: isOwnedBy(context),
          // What is recorded already, sent again (another tap, another request id): nothing new, nothing written.
          alreadyDone: (doc) =>
            doc.originalsSentAt !== null &&
            doc.originals?.method === sent.method &&
            (sent.method === 'mail'
              ? doc.originals.trackingNumber === sent.trackingNumber
              : doc.originals.date === sent.date),
          input: (doc) => {
            // A correction or two is a slip; more is not the post (a probe: 500 calls, 503 events, a 118 KB claim).
            if (doc.events.filter((event) => event.action === 'recordOriginalsSent').length >= ORIGINALS_CHANGES_MAX)
              throw new DomainError(
                'ORIGINALS_CHANGED_TOO_OFTEN',
                `原件寄出信息已经改过 ${ORIGINALS_CHANGES_MAX} 次，不能再在这里修改。如需更正，请联系经办机构或拨打 12393。`,
              );
            if (sent.method === 'inPerson') refuseUnlikelyDeliveryDay(sent.date, doc, context.clock.now());
            return { originalsSent: sent };
          },
          patch: (_doc, event) => ({
            originals:
              sent.method === 'mail'
                ? { method: 'mail', trackingNumber: sent.trackingNumber }
                : { method: 'inPerson', date: sent.date },
            originalsSentAt: event.at,
          }),
        }),
      );
    },
  }),

  /** The caller's family members (本人 and 家人), personal fields masked. */
  listPersons: defineAction({
    input: z.strictObject({}),
    roles: ['claimant'],
    async run(context): Promise<{ items: PersonView[] }> {
      const docs = await personsOf(context.store).find(
        { _openid: context.caller.openid },
        { sort: { updatedAt: -1 }, limit: 50 },
      );
      return { items: docs.map(toPersonView) };
    },
  }),

  /** Adds a family member or updates one (masked values keep what is stored); the same 身份证号 again updates the same person. */
  savePerson: defineAction({
    input: personInputSchema,
    roles: ['claimant'],
    async run(context, input): Promise<PersonView> {
      if (input.payout?.guardianRelation && input.region && input.insuranceType) {
        // The policy of the member's region and 险种 today: a guardian's account kept where no claim could use it was
        // refused only at submit (a probe).
        const refusal = guardianAccountRefusal(
          guardianAccountsAllowed(
            await context.policies.published(),
            input.region,
            input.insuranceType,
            shanghaiDate(context.clock.now()),
          ),
          null,
        );
        if (refusal) throw guardianAccountError(refusal, 'payout.guardianRelation');
      }
      const count = await personsOf(context.store).count({ _openid: context.caller.openid });
      if (!input.id && count >= 20)
        throw new DomainError('TOO_MANY_PERSONS', '最多登记 20 位家庭成员，请先整理已有的家庭成员');
      // 本人 as saved before `selves` kept it (the transaction reads `selves`, which settles races from now on).
      const [knownSelf] =
        input.relation === 'self'
          ? await personsOf(context.store).find({ _openid: context.caller.openid, relation: 'self' }, { limit: 1 })
          : [];
      const saved = await context.store.transaction((tx) =>
        savePerson(tx, context.sealer, context.caller.openid, input, context.clock.now(), knownSelf ?? null),
      );
      return toPersonView(saved);
    },
  }),

  /**
   * Removes one of the caller's family members. 本人 stays (PERSON_IS_SELF); so does anyone a claim in
   * progress names — a draft, or one not yet paid, rejected or withdrawn (PERSON_IN_USE) — since that
   * claim is filled in from them. Someone else's person answers NOT_FOUND, as a made-up id does.
   */
  removePerson: defineAction({
    input: removePersonInputSchema,
    roles: ['claimant'],
    async run(context, input): Promise<{ id: string }> {
      const person = await ownPerson(context.store, context.caller.openid, input.id);
      if (person.relation === 'self')
        throw new DomainError(
          'PERSON_IS_SELF',
          `「${personRelationLabels.self}」${person.name}不能删除；信息有变化时，下次申请时重新填写即可`,
        );
      const inUse = await claimsOf(context.store).count({
        _openid: context.caller.openid,
        personId: person._id,
        status: { $in: [...liveClaimStatuses] },
      });
      if (inUse > 0) {
        throw new DomainError(
          'PERSON_IN_USE',
          `${person.name}还有 ${inUse} 份报销申请（含草稿）没有办完，办完或撤回后才能删除`,
          { details: { claims: inUse } },
        );
      }
      await context.store.transaction((tx) => removePerson(tx, context.caller.openid, person._id, person.version));
      return { id: person._id };
    },
  }),

  /**
   * The year ledger of one of the caller's family members (their own, never shared with another member).
   * Like myLedger, an empty year unless this caller has filed for that person before.
   */
  personLedger: defineAction({
    input: personLedgerInputSchema,
    roles: ['claimant'],
    async run(context, input): Promise<{ ledger: Ledger; known: boolean }> {
      const person = await ownPerson(context.store, context.caller.openid, input.personId);
      const read = await ledgerFor(context.store, person.personKey, input.region, input.insuranceType, input.year);
      return yearShownTo(context, person.personKey, read);
    },
  }),

  /**
   * The year-to-date ledger of an insured person (起付线 used, caps left). Only for people this
   * caller has filed claims for; anyone else gets an empty year (no leak of another's figures).
   */
  myLedger: defineAction({
    input: z.strictObject({
      idNumber: idNumberSchema,
      region: z.string().regex(/^\d{6}$/, '参保地代码为 6 位数字'),
      insuranceType: insuranceTypeSchema,
      year: z.number().int().min(2000).max(2100),
    }),
    roles: ['claimant'],
    async run(context, input): Promise<{ ledger: Ledger; known: boolean }> {
      const personKey = context.sealer.fingerprint(input.idNumber);
      const read = await ledgerFor(context.store, personKey, input.region, input.insuranceType, input.year);
      return yearShownTo(context, personKey, read);
    },
  }),
};
