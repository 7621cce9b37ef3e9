/**
 * The `policies` function's inputs and answers, shared by the handler (server/handlers/policies.ts)
 * and the operator pages (src/services/policies.ts). A policy version is `<policy id>@<version>`;
 * its life: 草稿 → 待复核 → 已发布 → 已停用. Every step on a version carries the revision the
 * operator saw (`expectedRevision`): a version that changed since answers CONFLICT.
 */
import * as z from 'zod';
import type { FieldIssue } from '../errors';
import type { Fen } from '../money';
import type { CaseOutcome } from '../policy/runCases';
import type { InsuranceType } from '../policy/schema';
import { missingOr } from '../validation';

export const policyStatuses = ['draft', 'pendingReview', 'published', 'retired'] as const;
export type PolicyStatus = (typeof policyStatuses)[number];
export const policyStatusLabels: Record<PolicyStatus, string> = {
  draft: '草稿',
  pendingReview: '待复核',
  published: '已发布',
  retired: '已停用',
};

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * 有效期 as words. A draft's date written the wrong way is named as such, not shown as if in force from it (an operator
 * walk: a draft's 2026/7/1 read 有效期 2026/7/1 起 on the list, its fault only on its page).
 */
export function policyValidityText(version: { effectiveFrom: string | null; effectiveTo: string | null }): string {
  const { effectiveFrom: from, effectiveTo: to } = version;
  if (!from) return '生效日期未填写';
  if (!ISO_DAY.test(from)) return `生效日期写法有误（${from}），应写成 2026-07-01 这样`;
  if (to && !ISO_DAY.test(to)) return `${from} 起，截止日期写法有误（${to}）`;
  return to ? `${from} 至 ${to}` : `${from} 起`;
}

/** The longest policy JSON the page may send (a function's request data is at most 100 KB). */
export const POLICY_TEXT_MAX = 80_000;

export const policyVersionIdSchema = z
  .string({ error: missingOr('缺少政策版本编号', '政策版本编号格式不正确（应为「政策编号@版本号」）') })
  .regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,39}@[0-9A-Za-z._-]{1,20}$/, '政策版本编号格式不正确（应为「政策编号@版本号」）');

const revision = z
  .number({ error: missingOr('缺少版本的修订号，请刷新页面后再操作', '修订号应为整数') })
  .int('修订号应为整数')
  .min(1, '修订号应为正整数');

export const policyIdInputSchema = z.strictObject({ id: policyVersionIdSchema });

/** A step on a version as the operator saw it. */
export const policyStepInputSchema = z.strictObject({ id: policyVersionIdSchema, expectedRevision: revision });
export type PolicyStepInput = z.input<typeof policyStepInputSchema>;

export const policySaveDraftInputSchema = z.strictObject({
  /** The policy JSON as the operator typed it. */
  text: z
    .string({ error: '请填写政策文件（JSON）' })
    .min(1, '请填写政策文件（JSON）')
    .max(POLICY_TEXT_MAX, `政策文件不能超过 ${POLICY_TEXT_MAX} 个字符`),
  /** The draft being edited (absent: a new draft). */
  id: policyVersionIdSchema.optional(),
  expectedRevision: revision.optional(),
});
export type PolicySaveDraftInput = z.input<typeof policySaveDraftInputSchema>;

export const policyListInputSchema = z.strictObject({});

export interface PolicyPerson {
  id: string;
  name: string;
}

/** What an operator may do with a version now (the server decides; the page shows the buttons). */
export type PolicyAction =
  | 'edit'
  | 'submitForReview'
  | 'approve'
  | 'returnToDraft'
  | 'retire'
  | 'requestRetire'
  | 'cancelRetire';

export interface PolicyVersionSummary {
  id: string;
  policyId: string;
  version: string;
  title: string;
  regionName: string;
  insuranceType: InsuranceType | null;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  sample: boolean;
  status: PolicyStatus;
  author: PolicyPerson;
  submittedBy: PolicyPerson | null;
  approvedBy: PolicyPerson | null;
  /** The version this one replaces (set when it is sent for review). */
  supersedes: string | null;
  /** The version that replaced this one. */
  supersededBy: string | null;
  /**
   * A replaced version's last day still in force: the eve of its successor's start (or its own end, if earlier),
   * when the successor starts later than it did; visits up to that day are computed with it. null otherwise.
   */
  coversUntil: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  retiredAt: string | null;
  /** A published version's 申请停用: who asked and when (another operator confirms the 停用); null when none. */
  retireRequestedBy: PolicyPerson | null;
  retireRequestedAt: string | null;
  revision: number;
  /** Schema faults (a draft may be saved with them; nothing with faults can be sent for review). */
  faultCount: number;
  caseCount: number;
}

export interface PolicyVersionDetail extends PolicyVersionSummary {
  /** The JSON as stored, laid out for editing. */
  text: string;
  faults: FieldIssue[];
  actions: PolicyAction[];
  /** Why an action the caller might expect is not offered (e.g. four eyes), as a sentence. */
  notes: string[];
  /** Under review: the last day the version it replaces keeps once this one is published (null: it keeps none). */
  replacedKeepsUntil: string | null;
}

export interface PolicyCasesRun {
  id: string;
  outcomes: CaseOutcome[];
  passed: number;
  failed: number;
}

export type ParameterChangeKind = 'changed' | 'added' | 'removed';

export interface ParameterChange {
  /** Where, as written in the document: `outpatient.ratio.level3`. */
  path: string;
  kind: ParameterChangeKind;
  /** The values as written, and as a person reads them (元, %) where the name says which. */
  before: string | null;
  after: string | null;
}

export interface SampleFigures {
  totalPaid: Fen;
  fundPays: Fen;
  deductibleTaken: Fen;
  claimantPays: Fen;
}

export interface SampleComparison {
  label: string;
  dateOfService: string;
  before: SampleFigures | { error: string };
  after: SampleFigures | { error: string };
}

export interface PolicyDiffView {
  id: string;
  /** The version compared against (the one it replaces), or null for a policy new to the system. */
  against: { id: string; version: string; status: PolicyStatus } | null;
  parameters: ParameterChange[];
  samples: SampleComparison[];
}

/** What the app's instant estimate computes with: the published documents as written (the app parses them). */
export interface PublishedPolicies {
  sources: unknown[];
  at: string;
}
