/**
 * The `review` function: the agency's side. Only staff with the reviewer or second-reviewer role
 * reach it. The queue (filters: status, region, overdue; sorted by due date), one claim with its
 * photos and the personal fields in full, line-item corrections with a reason and a re-estimate,
 * the decisions (初审, 审核, 补件, 退回), 结算 with the ledger as it stands (ledger written in the same
 * step), 复核 by a second reviewer (four eyes), payment, and the paper originals' arrival.
 */
import * as z from 'zod';
import { type Page } from '../../src/core/contracts/claimDraft';
import {
  editLineItemsInputSchema,
  fastPassInputSchema,
  fastPassManyInputSchema,
  reviewDecisionInputSchema,
  reviewGetInputSchema,
  reviewQueueInputSchema,
  reviewStepInputSchema,
  settleInputSchema,
  type FastPassOutcome,
} from '../../src/core/contracts/review';
import type { ClaimStatus } from '../../src/core/contracts/claimDraft';
import { recheckClaim } from '../claims/precheck';
import { titleWithMemberMasked, type ClaimForm } from '../../src/core/contracts/claim';
import { maskName } from '../../src/core/identity';
import { estimate, type EstimateResult, type LineItem } from '../../src/core/engine';
import { DomainError, isDomainError } from '../../src/core/errors';
import { formatYuan } from '../../src/core/money';
import { ledgerInTransaction, readLedger } from '../ledger';
import type { ReceiptReadingDoc } from '../receipts/readings';
import { findDuplicates, keysOfFile, storedKey } from '../receipts/registry';
import { MAX_PAGE_SIZE, type Filter, type Role } from '../ports';
import type { QueueSearch } from '../../src/core/queueSearch';
import { CLAIM_FACTS, OPEN_STATUSES, type ClaimFactsDoc } from '../claims/dashboardFacts';
import {
  claimsOf,
  openForm,
  seenByStaff,
  summaryFields,
  toSummary,
  type ClaimDoc,
  type LineCorrection,
} from '../repositories/claims';
import { dueDateDetail, isOverdue } from '../sla';
import { workingCalendar } from '../policies/calendar';
import { notFoundError, transitionClaim, workflowStateFields, workflowStateOf } from '../claims/transition';
import { policyOf, reviewedClaim } from '../claims/facts';
import { claimDetailOf } from '../claims/detail';
import { keysOfRemainingReceipts, locateRetakes, retakePatch } from '../claims/retake';
import type { AuditTrail, ClaimListItem, ReviewClaimDetail, ReviewQueueItem } from '../../src/core/contracts/views';
import { dashboardCsv, type DashboardFigures } from '../../src/core/dashboard';
import { claimStatusText } from '../../src/core/statusLabels';
import { describeEvent, waitingFor } from '../../src/core/workflow';
import { dashboardOf } from '../claims/dashboard';
import { claimNumberOf } from '../../src/core/claimNumber';
import { diseaseChoices } from '../../src/core/claimFormDraft';
import { linesDisease } from '../../src/core/lineCorrections';
import { defineAction, type ActionContext, type FunctionDefinition } from './framework';

const STAFF = ['reviewer', 'secondReviewer'] as const;

async function claimFor(context: ActionContext, id: string): Promise<ClaimDoc> {
  const doc = await claimsOf(context.store).get(id);
  if (!doc || !seenByStaff(doc)) throw notFoundError();
  return doc;
}

/** A reviewer step with nothing but the status (and version) the reviewer saw. */
function step(action: 'receiveOriginals' | 'closeWithoutPayment', roles: Role[]) {
  return defineAction({
    input: reviewStepInputSchema,
    roles,
    async run(context, input): Promise<ClaimListItem> {
      return toSummary(
        await transitionClaim(context, {
          claimId: input.id,
          action,
          expectedStatus: input.expectedStatus,
          expectedVersion: input.expectedVersion,
          visible: seenByStaff,
        }),
      );
    },
  });
}

/** Line-by-line differences between two lists of line items, each with the reason given. */
function correctionsOf(
  before: readonly LineItem[],
  after: readonly LineItem[],
  reason: string,
  by: string,
  at: string,
): LineCorrection[] {
  const corrections: LineCorrection[] = [];
  for (let index = 0; index < Math.max(before.length, after.length); index += 1) {
    const was = before[index] ?? null;
    const is = after[index] ?? null;
    if (JSON.stringify(was) !== JSON.stringify(is)) corrections.push({ index, before: was, after: is, reason, by, at });
  }
  return corrections;
}

/** The due date counted again with the calendar in force (firmer once an operator enters a year), and the notice while a year is missing. */
async function dueDateNow(
  context: ActionContext,
  doc: ClaimDoc,
): Promise<{ dueDate: string | null; calendarNotice: string | null }> {
  // A claim closed (paid, rejected, withdrawn) keeps the due day it had, as every list shows it (a probe: 2027 put in
  // force moved it on this page only).
  if (!OPEN_STATUSES.includes(doc.status)) return { dueDate: doc.dueDate, calendarNotice: null };
  const policy =
    doc.submittedAt && doc.policy ? await context.policies.version(doc.policy.id, doc.policy.version) : undefined;
  if (!doc.submittedAt || !policy) return { dueDate: doc.dueDate, calendarNotice: null };
  const detail = dueDateDetail(
    new Date(doc.submittedAt),
    policy.processing.workingDays,
    await workingCalendar(context.store, context.clock),
  );
  return { dueDate: detail.due.toISOString(), calendarNotice: detail.calendarNotice };
}

/** The diseases the claim's policy lists for its visit kind (门诊慢特病 / 两病 / 特殊门诊); [] for other kinds. */
async function diseaseChoicesOf(
  context: ActionContext,
  doc: Pick<ClaimDoc, 'form' | 'policy'>,
): Promise<Array<{ code: string; name: string }>> {
  const kind = (doc.form as { guide?: { visitKind?: unknown } } | null)?.guide?.visitKind;
  if (typeof kind !== 'string') return [];
  const policy = doc.policy ? await context.policies.version(doc.policy.id, doc.policy.version) : undefined;
  // The list 填写 offered (its own entries only: a code named like an Object method is no disease of it).
  return diseaseChoices(policy ?? null, kind);
}

/**
 * The claim's disease by name in its policy, for the desk (the form keeps only its code): the one a reviewer corrected
 * the lines to, else the one filed.
 */
function diseaseNameOf(doc: ClaimDoc, listed: ReadonlyArray<{ code: string; name: string }>): string | null {
  const filed = (doc.form as { visit?: { disease?: unknown } } | null)?.visit?.disease;
  const code = (doc.reviewedLineItems && linesDisease(doc.reviewedLineItems)) ?? filed;
  if (typeof code !== 'string' || code === '') return null;
  return listed.find((disease) => disease.code === code)?.name ?? code;
}

const relationOf = (doc: Pick<ClaimDoc, 'form'>): unknown =>
  (doc.form as { insured?: { relation?: unknown } } | null)?.insured?.relation;

/**
 * What the identity check at 初审 should know: 本人 is what the claimant says, and once 初审 passes the account reads the
 * person's year (a probe: 李四 filed as 本人 with 张三's number and then read 张三's ledger). Another account filing the
 * same number as 本人, or this account filing 本人 under several numbers, is said to the reviewer. A family member filed
 * by several accounts (children for a parent) is not: that is how families file.
 */
async function identityWarningsOf(context: ActionContext, doc: ClaimDoc): Promise<string[]> {
  if (!doc.personKey || relationOf(doc) !== 'self') return [];
  const claims = context.store.collection<ClaimDoc>('claims');
  const fields = ['_openid', 'personKey', 'status', 'form.insured.relation'];
  const [sameNumber, sameAccount] = await Promise.all([
    claims.find({ personKey: doc.personKey }, { limit: MAX_PAGE_SIZE, fields }),
    claims.find({ _openid: doc._openid }, { limit: MAX_PAGE_SIZE, fields }),
  ]);
  const filedAsSelf = (other: ClaimDoc): boolean => other.status !== 'draft' && relationOf(other) === 'self';
  const otherAccounts = new Set(
    sameNumber.filter((other) => filedAsSelf(other) && other._openid !== doc._openid).map((other) => other._openid),
  );
  const numbers = new Set(
    sameAccount.filter((other) => filedAsSelf(other) && other.personKey).map((other) => other.personKey),
  );
  numbers.add(doc.personKey);
  const check = '请核对身份证件照片，确认申请人就是参保人本人。';
  return [
    ...(otherAccounts.size > 0
      ? [`这个身份证号另有 ${otherAccounts.size} 个微信账户也以“本人”身份申报过：${check}`]
      : []),
    ...(numbers.size > 1 ? [`这个微信账户以“本人”身份申报过 ${numbers.size} 个不同的身份证号：${check}`] : []),
  ];
}

/**
 * At 审核通过, what 结算 would settle now: the reviewed lines on the person's year as it stands (as `ledger.apply` will
 * figure it); null at any other status. The confirmation said the review's estimate, figured on the year as it was —
 * 295.38 元 — and 结算 wrote 495.38, another claim having taken the 起付线 meanwhile (a walk).
 */
async function settlementPreviewOf(context: ActionContext, doc: ClaimDoc): Promise<EstimateResult | null> {
  if (doc.status !== 'reviewPassed' || !doc.personKey) return null;
  const claim = reviewedClaim(context.sealer, doc);
  const policy = await policyOf(context.policies, doc);
  const { ledger } = await readLedger(context.store, doc.personKey, claim, policy);
  return estimate(claim, policy, ledger).result;
}

const notClean = (): DomainError => new DomainError('NOT_CLEAN', '这份申请的预审有未通过的项目，请逐项审核后再办理');

async function fastPass(
  context: ActionContext,
  seen: { id: string; expectedStatus: ClaimStatus; expectedVersion: number },
): Promise<ClaimDoc> {
  if (seen.expectedStatus !== 'submitted')
    throw new DomainError('TRANSITION_NOT_ALLOWED', '只有待初审的申请可以快速办理');
  const passedChecks = (doc: ClaimDoc): string[] => {
    if (!doc.precheckClean || !doc.precheck) throw notClean();
    return doc.precheck.outcomes.map((outcome) => outcome.id);
  };
  const preliminary = await transitionClaim(context, {
    claimId: seen.id,
    action: 'passPreliminary',
    expectedStatus: 'submitted',
    expectedVersion: seen.expectedVersion,
    visible: seenByStaff,
    input: (doc) => ({ checks: passedChecks(doc) }),
  });
  return transitionClaim(context, {
    claimId: seen.id,
    action: 'passReview',
    expectedStatus: 'preliminaryPassed',
    expectedVersion: preliminary.version,
    visible: seenByStaff,
    input: (doc) => ({
      checks: passedChecks(doc),
      figures: { totalPaid: (doc.reviewEstimate ?? doc.estimate)?.totalPaid ?? 0 },
    }),
  });
}

/** The staff who acted on a claim, by openid → name (from `staff`; 经办人员 when unnamed); the claimant is not among them. */
async function staffNamesOf(context: ActionContext, doc: ClaimDoc): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const actor of new Set(doc.events.map((event) => event.actor))) {
    if (actor === doc._openid) continue;
    const member = await context.store.collection<{ _id: string; name?: string }>('staff').get(actor);
    names.set(actor, member?.name ?? '经办人员');
  }
  return names;
}

/**
 * 查找申请: the filter of the claims a search names, whatever their status (a draft is its owner's alone: never found),
 * or null when none can match. An envelope's 邮寄编号 and a 申请编号 name one claim each; a 身份证号 (as its fingerprint,
 * `personKey`) or a name every claim filed for that person, by any account.
 */
async function searchFilter(context: ActionContext, search: QueueSearch): Promise<Filter | null> {
  switch (search.kind) {
    case 'mailCode':
      return { mailCode: search.value };
    case 'claimNumber': {
      const facts = await context.store
        .collection<ClaimFactsDoc>(CLAIM_FACTS)
        .find({ claimNumber: search.value }, { limit: MAX_PAGE_SIZE, fields: ['_id'] });
      return facts.length > 0 ? { _id: { $in: facts.map((fact) => fact._id) } } : null;
    }
    case 'idNumber':
      return { personKey: context.sealer.fingerprint(search.value), submittedAt: { $ne: null } };
    case 'name':
      return { 'form.insured.name': search.value, submittedAt: { $ne: null } };
  }
}

/** What a queue row reads (FindOptions.fields): a claim card's fields, the region, the insured's name to mask, 预审. */
const queueFields = [
  ...new Set([
    ...summaryFields,
    'region',
    'form.insured.name',
    'precheck',
    'version',
    // Whether its next step is this reviewer's (waitingFor): the workflow state as transitions read it.
    ...workflowStateFields,
  ]),
];

export const reviewFunction: FunctionDefinition = {
  queue: defineAction({
    input: reviewQueueInputSchema,
    roles: [...STAFF],
    async run(context, input): Promise<Page<ReviewQueueItem>> {
      const now = context.clock.now();
      const search: QueueSearch | undefined =
        input.search ?? (input.mailCode ? { kind: 'mailCode', value: input.mailCode } : undefined);
      const found = search ? await searchFilter(context, search) : undefined;
      if (found === null) return { items: [], page: input.page, pageSize: input.pageSize, total: 0 };
      // 已办结（无报销款） asked for by itself means the claims closed so; under 已支付 only what was paid is listed unless it
      // is asked for (both were stored 'paid': a probe read 0 元 closures among the payments, and the flag alone found none).
      const status = input.status ?? (input.settledAtZero === true && !found ? 'paid' : undefined);
      const settledAtZero = input.settledAtZero ?? (status === 'paid' && !found ? false : undefined);
      const filter: Filter = found ?? (status ? { status } : { status: { $in: [...OPEN_STATUSES] } });
      // Withdrawn claims include drafts withdrawn before they were ever submitted: those stay out.
      if (input.status === 'withdrawn') filter.submittedAt = { $ne: null };
      if (input.region) filter.region = input.region;
      if (input.overdue) filter.dueDate = { $lt: now.toISOString() };
      if (input.clean !== undefined) filter.precheckClean = input.clean;
      if (settledAtZero !== undefined) filter.paidFen = settledAtZero ? 0 : { $gt: 0 };
      const claims = claimsOf(context.store);
      const [docs, total] = await Promise.all([
        claims.find(filter, {
          sort: { dueDate: 1 },
          skip: (input.page - 1) * input.pageSize,
          limit: input.pageSize,
          fields: queueFields,
        }),
        claims.count(filter),
      ]);
      return {
        items: docs.map((doc) => {
          const insuredName = String((doc.form?.insured as { name?: string } | undefined)?.name ?? '');
          const summary = toSummary(doc);
          return {
            ...summary,
            // The 参保人 masked in the title as on the line under it (a walk read 张小明 · … above 参保人 张**).
            title: titleWithMemberMasked(summary.title, insuredName),
            region: doc.region,
            overdue: doc.dueDate !== null && isOverdue(new Date(doc.dueDate), now) && doc.status !== 'paid',
            ownerMasked: maskName(insuredName),
            precheck: doc.precheck ?? null,
            version: doc.version,
            waitingFor: waitingFor(workflowStateOf(doc), { id: context.caller.openid, roles: context.caller.roles }),
          };
        }),
        page: input.page,
        pageSize: input.pageSize,
        total,
      };
    },
  }),

  get: defineAction({
    input: reviewGetInputSchema,
    roles: [...STAFF],
    async run(context, input): Promise<ReviewClaimDetail> {
      const doc = await claimFor(context, input.id);
      const diseases = await diseaseChoicesOf(context, doc);
      const receipts: ReviewClaimDetail['receipts'] = [];
      for (const fileID of doc.receiptFileIds ?? []) {
        const reading = await context.store.collection<ReceiptReadingDoc>('receiptReadings').get(storedKey(fileID));
        const duplicates = await findDuplicates(
          context.store,
          await keysOfFile(context.store, context.files, fileID),
          context.caller.openid,
          doc._id,
        );
        receipts.push({
          fileID,
          reading: reading
            ? {
                extracted: reading.reading.extracted,
                crossCheck: reading.reading.crossCheck,
                qr: reading.reading.qr,
                identity: reading.identity,
                image: reading.reading.image,
              }
            : null,
          duplicates,
        });
      }
      const listed = Object.entries(doc.materials).flatMap(([materialId, fileIDs]) =>
        (fileIDs ?? []).map((fileID) => ({ materialId, fileID })),
      );
      const retaken = doc.retakenPhotos ?? [];
      // One getTempFileURL for every photo of the claim (it takes a list), those sent back to be taken again too.
      const urls = await context.files.temporaryUrls([
        ...listed.map((photo) => photo.fileID),
        ...retaken.map((photo) => photo.fileID),
      ]);
      const supplemented = new Set(doc.supplementFileIds ?? []);
      const photos: ReviewClaimDetail['photos'] = listed.map((photo, index) => ({
        ...photo,
        url: urls[index] ?? '',
        ...(supplemented.has(photo.fileID) ? { fromSupplement: true } : {}),
      }));
      return {
        ...claimDetailOf(doc, context.caller),
        form: openForm(doc, context.sealer) as unknown as ClaimForm | null,
        photos,
        retakenPhotos: retaken.map((photo, index) => ({ ...photo, url: urls[listed.length + index] ?? '' })),
        receipts,
        corrections: doc.corrections,
        reviewedLineItems: doc.reviewedLineItems,
        overdue: doc.dueDate !== null && isOverdue(new Date(doc.dueDate), context.clock.now()),
        settledBy: doc.settledBy,
        originals: doc.originals,
        precheck: doc.precheck ?? null,
        // The history names people, not openids: staff by name, the claimant as 申请人.
        people: { ...Object.fromEntries(await staffNamesOf(context, doc)), [doc._openid]: '申请人' },
        policyEffectiveFrom: doc.policy
          ? ((await context.policies.version(doc.policy.id, doc.policy.version))?.effectiveFrom ?? null)
          : null,
        settlementPreview: await settlementPreviewOf(context, doc),
        identityWarnings: await identityWarningsOf(context, doc),
        diseaseName: diseaseNameOf(doc, diseases),
        diseaseChoices: diseases,
        paymentBatch: doc.paymentBatchId ?? null,
        ...(await dueDateNow(context, doc)),
      };
    },
  }),

  /** Corrects line items (category, amount, removal) with a reason, recorded in the history, and re-estimates with the current ledger. */
  editLineItems: defineAction({
    input: editLineItemsInputSchema,
    roles: ['reviewer'],
    async run(context, input): Promise<{ reviewEstimate: EstimateResult; corrections: LineCorrection[] }> {
      const seen = await claimFor(context, input.id);
      // A 病种 corrected on the lines is one of the policy's for the claim's kind (the engine pays an unknown one nothing).
      const diseases = new Set((await diseaseChoicesOf(context, seen)).map((disease) => disease.code));
      const unknown = input.lineItems.findIndex((line) => line.disease !== undefined && !diseases.has(line.disease));
      if (unknown >= 0)
        throw new DomainError('VALIDATION_FAILED', '病种不在这份申请所适用政策的病种目录中，请从列出的病种中选择', {
          issues: [{ path: `lineItems.${unknown}.disease`, message: '请从列出的病种中选择' }],
        });
      // The pre-check again with the corrected lines: only the totals can change.
      const checked = await recheckClaim(context.store, seen, input.lineItems, ['totalsMatch']);
      const corrected = await transitionClaim(context, {
        claimId: input.id,
        action: 'correctLineItems',
        expectedStatus: input.expectedStatus,
        expectedVersion: input.expectedVersion,
        visible: seenByStaff,
        input: { reasonText: input.reason },
        async patch(doc, event, tx) {
          const corrections = correctionsOf(
            reviewedClaim(context.sealer, doc).lineItems,
            input.lineItems,
            input.reason,
            context.caller.openid,
            event.at,
          );
          if (corrections.length === 0) throw new DomainError('NOTHING_CHANGED', '费用明细没有变化');
          const claim = reviewedClaim(context.sealer, doc, input.lineItems);
          const policy = await policyOf(context.policies, doc);
          const { ledger } = await ledgerInTransaction(tx, doc.personKey ?? '', claim, policy);
          const { result } = estimate(claim, policy, ledger);
          return {
            reviewedLineItems: input.lineItems,
            corrections: [...doc.corrections, ...corrections],
            reviewEstimate: result,
            ...(checked ? { precheck: checked, precheckClean: checked.clean } : {}),
          };
        },
      });
      return { reviewEstimate: corrected.reviewEstimate as EstimateResult, corrections: corrected.corrections };
    },
  }),

  decide: defineAction({
    input: reviewDecisionInputSchema,
    roles: [...STAFF],
    async run(context, input): Promise<ClaimListItem> {
      const { id, action, expectedStatus, expectedVersion, ...given } = input;
      const retake = given.retakePhotos ?? [];
      // The keys the receipt photos that stay produce, read before the transaction (none when no photo goes back).
      const keep =
        retake.length > 0 ? await keysOfRemainingReceipts(context, await claimFor(context, id), retake) : null;
      const decided = await transitionClaim(context, {
        claimId: id,
        action,
        expectedStatus,
        expectedVersion,
        visible: seenByStaff,
        input: (doc) =>
          action === 'passReview'
            ? { ...given, figures: { totalPaid: (doc.reviewEstimate ?? doc.estimate)?.totalPaid ?? 0 } }
            : given,
        patch: async (doc, event, tx) =>
          action === 'requestSupplement'
            ? {
                supplementReason: event.reason ?? null,
                ...(keep
                  ? await retakePatch(tx, doc, locateRetakes(doc, retake, given.materials ?? []), keep, event.at)
                  : {}),
              }
            : {},
      });
      return toSummary(decided);
    },
  }),

  /** 快速办理: 初审 then 审核 of a clean claim, each an audited transition recording the checks that passed. */
  fastPass: defineAction({
    input: fastPassInputSchema,
    roles: ['reviewer'],
    async run(context, input): Promise<ClaimListItem> {
      return toSummary(await fastPass(context, input));
    },
  }),

  /** 批量快速办理: each claim passed on its own; the answer lists every claim's outcome. */
  fastPassMany: defineAction({
    input: fastPassManyInputSchema,
    roles: ['reviewer'],
    async run(context, input): Promise<FastPassOutcome[]> {
      const outcomes: FastPassOutcome[] = [];
      for (const claim of input.claims) {
        try {
          await fastPass(context, claim);
          outcomes.push({ id: claim.id, ok: true });
        } catch (error) {
          if (!isDomainError(error)) throw error;
          outcomes.push({ id: claim.id, ok: false, code: error.code, message: error.message });
        }
      }
      return outcomes;
    },
  }),

  /** Figures for reviewers and managers: by status, per week, per month, processing time against the limit. */
  dashboard: defineAction({
    input: z.strictObject({}),
    roles: [...STAFF, 'operator'],
    async run(context): Promise<DashboardFigures> {
      return dashboardOf(context.store, context.policies, context.clock);
    },
  }),

  /** The same figures as a CSV file (base64: the envelope carries text only). */
  dashboardCsv: defineAction({
    input: z.strictObject({}),
    roles: [...STAFF, 'operator'],
    async run(context): Promise<{ fileName: string; contentType: string; base64: string }> {
      const figures = await dashboardOf(context.store, context.policies, context.clock);
      return {
        fileName: `统计-${figures.asOf}.csv`,
        contentType: 'text/csv; charset=utf-8',
        base64: Buffer.from(dashboardCsv(figures), 'utf8').toString('base64'),
      };
    },
  }),

  /** A claim's whole history: events with the staff's names, the policy version, the figures and their trace. */
  audit: defineAction({
    input: reviewGetInputSchema,
    roles: [...STAFF, 'operator'],
    async run(context, input): Promise<AuditTrail> {
      const doc = await claimFor(context, input.id);
      const names = await staffNamesOf(context, doc);
      const policy = doc.policy ? await context.policies.version(doc.policy.id, doc.policy.version) : undefined;
      const results = [
        { key: 'estimate' as const, label: '申报估算', result: doc.estimate },
        { key: 'reviewEstimate' as const, label: '审核核定', result: doc.reviewEstimate },
        { key: 'settlement' as const, label: '结算', result: doc.settlement },
      ];
      return {
        claim: {
          id: doc._id,
          claimNumber: claimNumberOf(doc._id),
          title: doc.title,
          status: doc.status,
          statusLabel: claimStatusText(doc),
          submittedAt: doc.submittedAt,
          amountFen: doc.amountFen,
          paidFen: doc.paidFen,
          paymentBatch: doc.paymentBatchId ?? null,
        },
        policy: doc.policy ? { ...doc.policy, effectiveFrom: policy?.effectiveFrom ?? null } : null,
        events: doc.events.map((event) => {
          const described = describeEvent(event);
          return {
            seq: event.seq,
            title: described.title,
            who: event.actor === doc._openid ? '申请人' : (names.get(event.actor) ?? '经办人员'),
            role: described.who,
            at: event.at,
            ...(described.detail ? { detail: described.detail } : {}),
            ...(event.figures ? { figures: event.figures } : {}),
            ...(event.reference ? { reference: event.reference } : {}),
            ...(event.checks ? { checks: event.checks } : {}),
          };
        }),
        corrections: doc.corrections.map((correction) => ({
          ...correction,
          by: names.get(correction.by) ?? '经办人员',
        })),
        diseaseChoices: await diseaseChoicesOf(context, doc),
        figures: results.filter((entry): entry is typeof entry & { result: EstimateResult } => entry.result !== null),
        exportedAt: context.clock.now().toISOString(),
        exportedBy:
          (await context.store.collection<{ _id: string; name?: string }>('staff').get(context.caller.openid))?.name ??
          '经办人员',
      };
    },
  }),

  /** 结算: the final figure with the person's ledger as it stands, claim and ledger in one transaction. */
  settle: defineAction({
    input: settleInputSchema,
    roles: ['reviewer'],
    async run(context, input): Promise<ClaimListItem> {
      return toSummary(
        await transitionClaim(context, {
          claimId: input.id,
          action: 'settle',
          expectedStatus: input.expectedStatus,
          expectedVersion: input.expectedVersion,
          visible: seenByStaff,
          // After the ledger's effect figured it, inside the transaction: another figure than the one confirmed rolls
          // the whole step back, the ledger with it.
          patch(_doc, event) {
            const paid = event.figures?.totalPaid;
            if (input.expectedPaidFen !== undefined && paid !== undefined && paid !== input.expectedPaidFen)
              throw new DomainError(
                'SETTLEMENT_CHANGED',
                `结算金额变了：您确认的是 ${formatYuan(input.expectedPaidFen)}，按参保人今年现在的累计是 ${formatYuan(paid)}（其间有其他申请结算或退回）。请核对后再确认结算`,
                { details: { expectedPaidFen: input.expectedPaidFen, paidFen: paid } },
              );
            return {};
          },
        }),
      );
    },
  }),
  /**
   * 复核通过; a claim settled at 0 元 is then closed at once (办结（无需支付）, its own audited step): there is nothing to
   * transfer, and it sat among the claims waiting for payment until someone put a 0.00 row in a bank file. The close
   * is a second transaction: when it does not happen (a crash between, a race), the claim waits at 复核通过 with the
   * 办结 button, and a retry of this request closes it.
   */
  verify: defineAction({
    input: reviewStepInputSchema,
    roles: ['secondReviewer'],
    async run(context, input): Promise<ClaimListItem> {
      const verified = await transitionClaim(context, {
        claimId: input.id,
        action: 'verify',
        expectedStatus: input.expectedStatus,
        expectedVersion: input.expectedVersion,
        visible: seenByStaff,
      });
      if (verified.status !== 'verified' || verified.paidFen !== 0) return toSummary(verified);
      return toSummary(
        await transitionClaim(context, {
          claimId: input.id,
          action: 'closeWithoutPayment',
          expectedStatus: 'verified',
          expectedVersion: verified.version,
          visible: seenByStaff,
        }),
      );
    },
  }),
  // 确认已支付 is the payments function's, batch by batch: a claim is never marked paid on its own (no bank file behind it).
  /** 办结（无需支付）of a claim settled at 0 元 left at 复核通过 (verified before 复核 closed such claims). */
  closeWithoutPayment: step('closeWithoutPayment', [...STAFF]),
  receiveOriginals: step('receiveOriginals', [...STAFF]),
};
