/**
 * The `policies` function: reimbursement policies as operator data (the `policies` collection).
 * Operators (role `operator`, from the `staff` collection) list the versions, upload or edit a
 * policy JSON as a draft (every schema fault by path, in Chinese), run the document's own cases,
 * see the difference from the version it replaces, send it for review, and — a second operator —
 * publish it (four eyes); they also send a version back or retire it. Each change of a version is
 * one store transaction (server/policies/versions.ts). Anyone signed in may read the published
 * policies (`published`), which the app's instant estimate computes with.
 */
import {
  policyIdInputSchema,
  policyListInputSchema,
  policySaveDraftInputSchema,
  policyStepInputSchema,
  type PolicyAction,
  type PolicyCasesRun,
  type PolicyDiffView,
  type PolicyPerson,
  type PolicyVersionDetail,
  type PolicyVersionSummary,
  type PublishedPolicies,
} from '../../src/core/contracts/policies';
import { DomainError } from '../../src/core/errors';
import {
  insuranceTypes,
  lastDayBeforeSuccessor,
  policyDocumentSchema,
  type InsuranceType,
} from '../../src/core/policy';
import { runPolicyCases } from '../../src/core/policy/runCases';
import type { StaffDoc } from '../identity';
import type { Store } from '../ports';
import { publishedAndRetired, versionsInForce, type PolicyCatalog, type PolicyVersionDoc } from '../policies/catalog';
import { parameterChanges, sampleComparisons } from '../policies/diff';
import {
  allVersions,
  analyse,
  approve,
  faultSentence,
  fourEyesRefusal,
  publishedVersionOf,
  retire,
  requestRetire,
  cancelRetire,
  returnToDraft,
  saveDraft,
  submitForReview,
  versionDoc,
} from '../policies/versions';
import { defineAction, type ActionContext, type FunctionDefinition } from './framework';

const OPERATOR = ['operator'] as const;

// ---------------------------------------------------------------------------------------------
// Views

const text = (value: unknown, fallback: string): string =>
  typeof value === 'string' && value.trim() ? value : fallback;

async function peopleOf(store: Store, ids: ReadonlyArray<string | null>): Promise<Map<string, PolicyPerson>> {
  const people = new Map<string, PolicyPerson>([['samples', { id: 'samples', name: '系统示例' }]]);
  const staff = store.collection<StaffDoc>('staff');
  for (const id of new Set(ids)) {
    if (id === null || people.has(id)) continue;
    const doc = await staff.get(id);
    people.set(id, { id, name: doc?.name ?? '运维人员' });
  }
  return people;
}

function summaryOf(
  doc: PolicyVersionDoc,
  people: Map<string, PolicyPerson>,
  coversUntil: ReadonlyMap<string, string>,
): PolicyVersionSummary {
  const source = (doc.source ?? {}) as Record<string, unknown>;
  const person = (id: string | null): PolicyPerson | null =>
    id === null ? null : (people.get(id) ?? { id, name: '运维人员' });
  return {
    id: doc._id,
    policyId: doc.policyId,
    version: doc.version,
    title: text(source.title, doc.policyId),
    regionName: text(source.regionName, '—'),
    insuranceType: insuranceTypes.includes(source.insuranceType as InsuranceType)
      ? (source.insuranceType as InsuranceType)
      : null,
    effectiveFrom: typeof source.effectiveFrom === 'string' ? source.effectiveFrom : null,
    effectiveTo: typeof source.effectiveTo === 'string' ? source.effectiveTo : null,
    sample: source.sample === true,
    status: doc.status,
    author: person(doc.author)!,
    submittedBy: person(doc.submittedBy),
    approvedBy: person(doc.approvedBy),
    supersedes: doc.supersedes,
    supersededBy: doc.supersededBy ?? null,
    coversUntil: (doc.status === 'retired' && coversUntil.get(doc._id)) || null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    publishedAt: doc.publishedAt,
    retiredAt: doc.retiredAt,
    retireRequestedBy: doc.status === 'published' ? person(doc.retireRequestedBy ?? null) : null,
    retireRequestedAt: doc.status === 'published' ? (doc.retireRequestedAt ?? null) : null,
    revision: doc.revision,
    faultCount: doc.faults?.length ?? 0,
    caseCount: Array.isArray(source.cases) ? source.cases.length : 0,
  };
}

async function summaries(store: Store, docs: readonly PolicyVersionDoc[]): Promise<PolicyVersionSummary[]> {
  const people = await peopleOf(
    store,
    docs.flatMap((doc) => [doc.author, doc.submittedBy, doc.approvedBy, doc.retireRequestedBy ?? null]),
  );
  const coverage = await replacedCoverage(store, docs);
  return docs.map((doc) => summaryOf(doc, people, coverage));
}

/** Under review: the last day the version it replaces keeps once this one is published (the days before it starts). */
async function daysLeftToReplaced(store: Store, doc: PolicyVersionDoc): Promise<string | null> {
  const replaced = doc.supersedes ? await store.collection<PolicyVersionDoc>('policies').get(doc.supersedes) : null;
  const [older, newer] = [replaced?.source, doc.source].map((source) => policyDocumentSchema.safeParse(source));
  if (!older?.success || !newer?.success) return null;
  return lastDayBeforeSuccessor(older.data, newer.data.effectiveFrom);
}

/** The last day each replaced version among `docs` still covers (`versionsInForce`), its successor read if not among them. */
async function replacedCoverage(store: Store, docs: readonly PolicyVersionDoc[]): Promise<Map<string, string>> {
  const byId = new Map(docs.map((doc) => [doc._id, doc]));
  for (const doc of docs) {
    const successor = doc.status === 'retired' ? doc.supersededBy : null;
    if (!successor || byId.has(successor)) continue;
    const read = await store.collection<PolicyVersionDoc>('policies').get(successor);
    if (read) byId.set(successor, read);
  }
  const coverage = new Map<string, string>();
  for (const { doc, document } of versionsInForce([...byId.values()]))
    if (doc.status === 'retired' && document.effectiveTo) coverage.set(doc._id, document.effectiveTo);
  return coverage;
}

async function detailOf(context: ActionContext, doc: PolicyVersionDoc): Promise<PolicyVersionDetail> {
  const [summary] = await summaries(context.store, [doc]);
  const { faults } = analyse(doc.source);
  const actions: PolicyAction[] = [];
  const notes: string[] = [];
  let replacedKeepsUntil: string | null = null;
  if (doc.status === 'draft') {
    actions.push('edit');
    if (faults.length === 0) actions.push('submitForReview');
    else notes.push(`这份草稿还有 ${faults.length} 处格式错误，改好后才能提交复核。`);
    actions.push('retire');
  } else if (doc.status === 'pendingReview') {
    const refusal = fourEyesRefusal(doc, context.caller.openid);
    if (refusal) notes.push(refusal);
    else actions.push('approve');
    actions.push('returnToDraft');
    replacedKeepsUntil = await daysLeftToReplaced(context.store, doc);
    if (replacedKeepsUntil)
      notes.push(
        `发布后，${replacedKeepsUntil} 及以前的就诊仍按 ${doc.supersedes} 计算，${summary!.effectiveFrom} 起按这个版本。`,
      );
  } else if (doc.status === 'published') {
    // 停用 takes two operators: one asks, another confirms; either may withdraw the request.
    const asked = summary!.retireRequestedBy;
    if (!asked) actions.push('requestRetire');
    else if (asked.id === context.caller.openid) {
      actions.push('cancelRetire');
      notes.push('您已申请停用这个版本：需要另一位运维人员确认后才停用，在此之前它仍然有效。');
    } else {
      actions.push('retire', 'cancelRetire');
      notes.push(`${asked.name} 申请停用这个版本：请核对后确认停用，或撤销申请。确认前它仍然有效。`);
    }
    notes.push('已发布的版本不能修改：要改动时，请复制它的内容、改成新的版本号，另存为草稿。');
  } else if (summary!.coversUntil) {
    notes.push(
      `已被 ${doc.supersededBy} 取代；${summary!.effectiveFrom} 至 ${summary!.coversUntil} 的就诊仍按这个版本计算（这些费用常在几个月后才来报销）。`,
    );
  }
  return {
    ...summary!,
    faultCount: faults.length,
    text: JSON.stringify(doc.source, null, 2),
    faults,
    actions,
    notes,
    replacedKeepsUntil,
  };
}

// ---------------------------------------------------------------------------------------------
// The published policies, for the app: re-read at most once a minute per catalog (one per function
// instance, as the catalog itself), at once after a publication or retirement through this instance.

const PUBLISHED_REFRESH_MS = 60_000;
const publishedCache = new WeakMap<PolicyCatalog, { at: number; value: PublishedPolicies }>();

async function publishedPolicies(context: ActionContext): Promise<PublishedPolicies> {
  const now = context.clock.now();
  const cached = publishedCache.get(context.policies);
  if (cached && now.getTime() - cached.at < PUBLISHED_REFRESH_MS) return cached.value;
  await context.policies.published(); // seeds an empty collection with the samples
  const value = {
    sources: versionsInForce(await publishedAndRetired(context.store)).map(({ source }) => source),
    at: now.toISOString(),
  };
  publishedCache.set(context.policies, { at: now.getTime(), value });
  return value;
}

/** After a publication or a retirement: this instance computes with the new list from the next call on. */
function forgetPublished(context: ActionContext): void {
  publishedCache.delete(context.policies);
  context.policies.invalidate?.();
}

/** A step in a version's life, on the version as the operator saw it (its revision); answers the version as written. */
function step(
  change: (context: ActionContext, id: string, expectedRevision: number) => Promise<PolicyVersionDoc>,
  options: { published?: boolean } = {},
) {
  return defineAction({
    input: policyStepInputSchema,
    roles: [...OPERATOR],
    async run(context, input): Promise<PolicyVersionDetail> {
      const written = await change(context, input.id, input.expectedRevision);
      if (options.published) forgetPublished(context);
      return detailOf(context, written);
    },
  });
}

// ---------------------------------------------------------------------------------------------

export const policiesFunction: FunctionDefinition = {
  list: defineAction({
    input: policyListInputSchema,
    roles: [...OPERATOR],
    async run(context): Promise<{ items: PolicyVersionSummary[] }> {
      await context.policies.published(); // seeds an empty collection with the samples
      return { items: await summaries(context.store, await allVersions(context.store)) };
    },
  }),

  get: defineAction({
    input: policyIdInputSchema,
    roles: [...OPERATOR],
    async run(context, input): Promise<PolicyVersionDetail> {
      return detailOf(context, await versionDoc(context.store, input.id));
    },
  }),

  saveDraft: defineAction({
    input: policySaveDraftInputSchema,
    roles: [...OPERATOR],
    async run(context, input): Promise<PolicyVersionDetail> {
      await context.policies.published(); // the samples are there before anyone saves over their ids
      return detailOf(context, await saveDraft(context, input));
    },
  }),

  runCases: defineAction({
    input: policyIdInputSchema,
    roles: [...OPERATOR],
    async run(context, input): Promise<PolicyCasesRun> {
      const doc = await versionDoc(context.store, input.id);
      const { document, faults } = analyse(doc.source);
      if (!document)
        throw new DomainError('POLICY_INVALID', `${faultSentence(faults)}改好格式错误后才能试算案例。`, {
          issues: faults,
        });
      const outcomes = runPolicyCases(document);
      const passed = outcomes.filter((outcome) => outcome.passed).length;
      return { id: doc._id, outcomes, passed, failed: outcomes.length - passed };
    },
  }),

  diff: defineAction({
    input: policyIdInputSchema,
    roles: [...OPERATOR],
    async run(context, input): Promise<PolicyDiffView> {
      const doc = await versionDoc(context.store, input.id);
      const { document } = analyse(doc.source);
      if (!document)
        throw new DomainError('POLICY_INVALID', '这份草稿还有格式错误，改好后才能比较差异。', {
          issues: analyse(doc.source).faults,
        });
      const againstId = doc.status === 'draft' ? await publishedVersionOf(context.store, doc.policyId) : doc.supersedes;
      const against =
        againstId && againstId !== doc._id
          ? await context.store.collection<PolicyVersionDoc>('policies').get(againstId)
          : null;
      const before = against ? policyDocumentSchema.safeParse(against.source) : null;
      return {
        id: doc._id,
        against: against ? { id: against._id, version: against.version, status: against.status } : null,
        parameters: parameterChanges(against?.source ?? {}, doc.source),
        samples: sampleComparisons(before?.success ? before.data : null, document, doc.source),
      };
    },
  }),

  submitForReview: step(submitForReview),
  approve: step(approve, { published: true }),
  returnToDraft: step(returnToDraft),
  retire: step(retire, { published: true }),
  requestRetire: step(requestRetire),
  cancelRetire: step(cancelRetire),

  published: defineAction({
    input: policyListInputSchema,
    roles: ['claimant'],
    async run(context): Promise<PublishedPolicies> {
      return publishedPolicies(context);
    },
  }),
};
