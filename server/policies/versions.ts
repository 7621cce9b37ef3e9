/**
 * Policy versions as operator data: reading an operator's JSON (every fault by path, in Chinese),
 * and each change of a version's life — save a draft, send it for review, publish it (four eyes),
 * send it back, retire it — as one store transaction by id, like a claim's transition
 * (server/claims/transition.ts). A version's source is only ever written while it is a draft; once
 * sent for review it is frozen, and a published version is never edited, only superseded.
 *
 * Which version of a policy is published is kept in a head document, `policies/head:<policy id>`,
 * read and written in the same transaction as the versions: two publications of one policy (of the
 * same version or of two) are serialised on it, and the second finds the head moved (CONFLICT).
 */
import { POLICY_TEXT_MAX } from '../../src/core/contracts/policies';
import { DomainError, type FieldIssue } from '../../src/core/errors';
import { jsonObjectProblem } from '../../src/core/jsonGuard';
import { policyDocumentSchema, type PolicyDocument } from '../../src/core/policy';
import { caseInputFaults, runPolicyCases } from '../../src/core/policy/runCases';
import { jsonSyntaxProblem } from '../../src/core/policy/jsonSyntax';
import { formatPath, zodIssues } from '../../src/core/validation';
import type { Caller, Clock, Store, Transaction } from '../ports';
import { allVersions, policyVersionId, type PolicyVersionDoc } from './catalog';

export { allVersions } from './catalog';

export const POLICIES = 'policies';

/** Which version of one policy id is published: the one document every publication of that policy writes. */
export interface PolicyHeadDoc {
  _id: string;
  kind: 'head';
  policyId: string;
  published: string | null;
  revision: number;
  updatedAt: string;
}

export const headId = (policyId: string): string => `head:${policyId}`;

// ---------------------------------------------------------------------------------------------
// Reading what the operator wrote

/** Nesting and size a policy document may have (the schema's deepest path is about 8 levels). */
const LIMITS = { maxDepth: 16, maxChars: POLICY_TEXT_MAX * 2 };

/** The 1-based line and column of a character offset into the text. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
}

/** The JSON value of the operator's text; refuses text that is not JSON (with where, and what to type) or cannot be stored. */
export function readPolicyText(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The engine's message names no position for some faults (a comma before ]): the scanner names where and what.
    const problem = jsonSyntaxProblem(text);
    const at = problem ? lineAndColumn(text, problem.offset) : null;
    const where = at ? `第 ${at.line} 行第 ${at.column} 列，` : '';
    const what = problem?.hint ?? '有格式错误（例如缺少逗号、引号或括号）';
    throw new DomainError('POLICY_JSON_INVALID', `政策文件不是有效的 JSON：${where}${what}。请修改后再保存。`, {
      issues: [{ path: '', message: `${where}${what}` }],
      ...(at ? { details: at } : {}),
    });
  }
  const problem = jsonObjectProblem(value, LIMITS);
  if (problem) {
    const path = formatPath(problem.path);
    throw new DomainError('POLICY_JSON_INVALID', `政策文件无法保存：${path ? `${path}：` : ''}${problem.message}。`, {
      issues: [{ path, message: problem.message }],
    });
  }
  return value as Record<string, unknown>;
}

/** The policy id and version a document names: required even for a draft (they name the version). */
export function identityOf(source: Record<string, unknown>): { policyId: string; version: string } {
  const shape = policyDocumentSchema.shape;
  const issues: FieldIssue[] = [];
  const id = shape.id.safeParse(source.id);
  if (!id.success) issues.push(...zodIssues(id.error).map((issue) => ({ path: 'id', message: issue.message })));
  const version = shape.version.safeParse(source.version);
  if (!version.success)
    issues.push(...zodIssues(version.error).map((issue) => ({ path: 'version', message: issue.message })));
  if (!id.success || !version.success) {
    throw new DomainError(
      'POLICY_IDENTITY_INVALID',
      '保存前请先写好政策编号（id）和版本号（version）：其余内容可以在草稿里慢慢改。',
      { issues },
    );
  }
  return { policyId: id.data, version: version.data };
}

export interface Analysis {
  document: PolicyDocument | null;
  faults: FieldIssue[];
}

/** Every fault of a source by path: the schema's, then those of its cases' claims. */
export function analyse(source: unknown): Analysis {
  const parsed = policyDocumentSchema.safeParse(source);
  if (!parsed.success) return { document: null, faults: zodIssues(parsed.error) };
  return { document: parsed.data, faults: caseInputFaults(parsed.data) };
}

/** One sentence for a list of faults: the first, and how many there are. */
export function faultSentence(faults: readonly FieldIssue[]): string {
  const first = faults[0];
  if (!first) return '';
  const more = faults.length > 1 ? `，共 ${faults.length} 处需要修改` : '';
  return `政策文件格式有误：${first.path || '（文件本身）'}：${first.message}${more}。`;
}

/** A document ready to be reviewed or published: no fault, at least one case, every case passing. */
export function assertPublishable(source: unknown): PolicyDocument {
  const { document, faults } = analyse(source);
  if (!document || faults.length > 0)
    throw new DomainError('POLICY_INVALID', faultSentence(faults), { issues: faults });
  const outcomes = runPolicyCases(document);
  if (outcomes.length === 0)
    throw new DomainError(
      'POLICY_CASES_REQUIRED',
      '请至少写一个试算案例（cases）再提交：每个案例写明一笔费用和政策应算出的金额。',
    );
  const failed = outcomes.filter((outcome) => !outcome.passed);
  if (failed.length > 0) {
    throw new DomainError(
      'POLICY_CASES_FAILED',
      `有 ${failed.length} 个试算案例没有通过（${failed.map((outcome) => `「${outcome.name}」`).join('、')}），请核对政策或案例后再提交。`,
      {
        details: { failed: failed.map((outcome) => outcome.index) },
      },
    );
  }
  return document;
}

// ---------------------------------------------------------------------------------------------
// Reading versions

export function isVersionDoc(doc: { _id: string } | null): doc is PolicyVersionDoc {
  return doc !== null && !doc._id.startsWith('head:') && 'status' in doc;
}

export const notFound = (): DomainError =>
  new DomainError('NOT_FOUND', '没有找到这个政策版本，它可能已被改名或删除，请回到列表刷新。');
const conflict = (): DomainError =>
  new DomainError('CONFLICT', '这个政策版本刚刚被其他人修改过，请刷新后查看最新内容再操作。');

export async function versionDoc(store: Store, id: string): Promise<PolicyVersionDoc> {
  const doc = await store.collection<PolicyVersionDoc>(POLICIES).get(id);
  if (!isVersionDoc(doc)) throw notFound();
  return doc;
}

/** The published version of a policy, as the head says or — before any publication through the page (the seeded samples) — as the list says. */
async function publishedNow(
  tx: Transaction,
  policyId: string,
  seenOutside: string | null,
): Promise<{ head: PolicyHeadDoc | null; current: string | null }> {
  const head = await tx.get<PolicyHeadDoc>(POLICIES, headId(policyId));
  if (head) return { head, current: head.published };
  if (seenOutside === null) return { head: null, current: null };
  const seen = await tx.get<PolicyVersionDoc>(POLICIES, seenOutside);
  if (!isVersionDoc(seen) || seen.status !== 'published') throw conflict();
  return { head: null, current: seenOutside };
}

/** The published version of a policy id by a query (outside a transaction; confirmed inside by `publishedNow`). */
export async function publishedVersionOf(store: Store, policyId: string): Promise<string | null> {
  const head = await store.collection<PolicyHeadDoc>(POLICIES).get(headId(policyId));
  if (head) return head.published;
  const [published] = await allVersions(store, { status: 'published', policyId }, 1);
  return published?._id ?? null;
}

function writeHead(
  tx: Transaction,
  policyId: string,
  head: PolicyHeadDoc | null,
  published: string | null,
  at: string,
): Promise<void> {
  return tx.set<PolicyHeadDoc>(POLICIES, {
    _id: headId(policyId),
    kind: 'head',
    policyId,
    published,
    revision: (head?.revision ?? 0) + 1,
    updatedAt: at,
  });
}

// ---------------------------------------------------------------------------------------------
// The life of a version: one transaction per change

export interface LifecycleContext {
  store: Store;
  clock: Clock;
  caller: Caller;
}

/** Reads a version in the transaction and checks the revision the caller saw. */
async function expected(tx: Transaction, id: string, revision: number | undefined): Promise<PolicyVersionDoc> {
  const doc = await tx.get<PolicyVersionDoc>(POLICIES, id);
  if (!isVersionDoc(doc)) throw notFound();
  if (revision !== undefined && doc.revision !== revision) throw conflict();
  return doc;
}

const statusRefusal = (doc: PolicyVersionDoc, what: string): DomainError =>
  new DomainError(
    'TRANSITION_NOT_ALLOWED',
    `这个版本现在是「${{ draft: '草稿', pendingReview: '待复核', published: '已发布', retired: '已停用' }[doc.status]}」，不能${what}。`,
    { details: { status: doc.status } },
  );

export interface SaveDraftRequest {
  text: string;
  id?: string;
  expectedRevision?: number;
}

/**
 * Saves the operator's JSON as a draft — new, or over the draft being edited (its id follows the
 * document's id and version, so changing the version renames the draft). Faults are kept with the
 * draft and shown; text that is not JSON, or has no valid id and version, is not stored.
 */
export async function saveDraft(context: LifecycleContext, request: SaveDraftRequest): Promise<PolicyVersionDoc> {
  const source = readPolicyText(request.text);
  const { policyId, version } = identityOf(source);
  const { faults } = analyse(source);
  const id = policyVersionId(policyId, version);
  const me = context.caller.openid;
  if (request.id !== undefined && request.expectedRevision === undefined) {
    throw new DomainError('VALIDATION_FAILED', '修改草稿需要带上它的修订号，请刷新页面后再保存。', {
      issues: [{ path: 'expectedRevision', message: '缺少修订号' }],
    });
  }
  return context.store.transaction(async (tx) => {
    const at = context.clock.now().toISOString();
    const editing = request.id !== undefined ? await expected(tx, request.id, request.expectedRevision) : null;
    if (editing && editing.status !== 'draft') throw notEditable(editing);
    const existing = id === editing?._id ? editing : await tx.get<PolicyVersionDoc>(POLICIES, id);
    if (existing && existing !== editing) {
      if (!isVersionDoc(existing) || existing.status !== 'draft') throw notEditable(existing as PolicyVersionDoc);
      throw new DomainError(
        'POLICY_VERSION_EXISTS',
        `已经有一份「${id}」的草稿。请打开那份草稿继续编辑，或把 version 改成另一个版本号。`,
        { details: { id } },
      );
    }
    const written: PolicyVersionDoc = {
      _id: id,
      policyId,
      version,
      status: 'draft',
      source,
      author: editing?.author ?? me,
      submittedBy: null,
      approvedBy: null,
      supersedes: null,
      supersededBy: null,
      editors: [...new Set([...(editing?.editors ?? [editing?.author ?? me]), me])],
      faults,
      createdAt: editing?.createdAt ?? at,
      updatedAt: at,
      publishedAt: null,
      retiredAt: null,
      revision: (editing?.revision ?? 0) + 1,
    };
    if (editing && editing._id !== id) await tx.remove(POLICIES, editing._id);
    await tx.set(POLICIES, written);
    return written;
  });
}

function notEditable(doc: PolicyVersionDoc): DomainError {
  if (doc.status === 'published' || doc.status === 'retired') {
    return new DomainError(
      'POLICY_NOT_EDITABLE',
      `「${doc._id}」已${doc.status === 'published' ? '发布' : '停用'}，发布过的版本不能修改。请把 version 改成新的版本号，另存为新版本。`,
      { details: { id: doc._id, status: doc.status } },
    );
  }
  return new DomainError('POLICY_NOT_EDITABLE', `「${doc._id}」正在等待复核，不能修改。需要修改时请先把它退回草稿。`, {
    details: { id: doc._id, status: doc.status },
  });
}

/**
 * Before sending for review or publishing: the version as the caller saw it is publishable (the
 * source cannot change without its revision changing, which the transaction checks again), and
 * which version of its policy is published now (confirmed inside the transaction).
 */
async function checkedOutside(store: Store, id: string, expectedRevision: number): Promise<string | null> {
  const outside = await versionDoc(store, id);
  if (outside.revision !== expectedRevision) throw conflict();
  assertPublishable(outside.source);
  return publishedVersionOf(store, outside.policyId);
}

/** 提交复核: a draft with no fault and every case passing; records the version it will replace. */
export async function submitForReview(
  context: LifecycleContext,
  id: string,
  expectedRevision: number,
): Promise<PolicyVersionDoc> {
  const seenPublished = await checkedOutside(context.store, id, expectedRevision);
  return context.store.transaction(async (tx) => {
    const doc = await expected(tx, id, expectedRevision);
    if (doc.status !== 'draft') throw statusRefusal(doc, '提交复核');
    const { current } = await publishedNow(tx, doc.policyId, seenPublished);
    const written: PolicyVersionDoc = {
      ...doc,
      status: 'pendingReview',
      submittedBy: context.caller.openid,
      supersedes: current,
      updatedAt: context.clock.now().toISOString(),
      revision: doc.revision + 1,
    };
    await tx.set(POLICIES, written);
    return written;
  });
}

/** Who wrote, changed or sent a version: none of them may publish it. */
export function fourEyesRefusal(doc: PolicyVersionDoc, openid: string): string | null {
  const hands = new Set([doc.author, ...(doc.editors ?? []), ...(doc.submittedBy ? [doc.submittedBy] : [])]);
  return hands.has(openid)
    ? '发布需要另一位运维人员复核：您起草、修改或提交了这个版本，请交由另一位运维人员发布。'
    : null;
}

/**
 * 复核发布 (four eyes): a second operator publishes a version under review. The version it was
 * sent to replace becomes 已停用 in the same transaction; if the policy's published version moved
 * since (another publication), nothing is written and the answer is CONFLICT.
 */
export async function approve(
  context: LifecycleContext,
  id: string,
  expectedRevision: number,
): Promise<PolicyVersionDoc> {
  const seenPublished = await checkedOutside(context.store, id, expectedRevision);
  return context.store.transaction(async (tx) => {
    const doc = await expected(tx, id, expectedRevision);
    if (doc.status !== 'pendingReview') throw statusRefusal(doc, '发布');
    const refusal = fourEyesRefusal(doc, context.caller.openid);
    if (refusal) throw new DomainError('FOUR_EYES', refusal);
    const { head, current } = await publishedNow(tx, doc.policyId, seenPublished);
    if (current !== doc.supersedes) {
      throw new DomainError(
        'POLICY_SUPERSEDED',
        `提交复核后，这个政策又发布了新的版本（${current ?? '无'}），差异已经不同。请把这个版本退回草稿，核对差异后重新提交。`,
        { details: { current } },
      );
    }
    const at = context.clock.now().toISOString();
    if (current) {
      const previous = await tx.get<PolicyVersionDoc>(POLICIES, current);
      if (isVersionDoc(previous))
        await tx.set(POLICIES, {
          ...previous,
          status: 'retired',
          retiredAt: at,
          supersededBy: id,
          updatedAt: at,
          revision: previous.revision + 1,
        });
    }
    const written: PolicyVersionDoc = {
      ...doc,
      status: 'published',
      approvedBy: context.caller.openid,
      publishedAt: at,
      updatedAt: at,
      revision: doc.revision + 1,
    };
    await tx.set(POLICIES, written);
    await writeHead(tx, doc.policyId, head, id, at);
    return written;
  });
}

/**
 * One change of a version in a transaction of its own, on the version as the caller saw it (its revision): `change`
 * says what to write (null: nothing to write, the version answered as it is); the revision moves on.
 */
async function changeVersion(
  context: LifecycleContext,
  id: string,
  expectedRevision: number,
  change: (doc: PolicyVersionDoc, at: string) => Partial<PolicyVersionDoc> | null,
): Promise<PolicyVersionDoc> {
  return context.store.transaction(async (tx) => {
    const doc = await expected(tx, id, expectedRevision);
    const at = context.clock.now().toISOString();
    const fields = change(doc, at);
    if (!fields) return doc;
    const written: PolicyVersionDoc = { ...doc, ...fields, updatedAt: at, revision: doc.revision + 1 };
    await tx.set(POLICIES, written);
    return written;
  });
}

/** 退回草稿: a version under review goes back to its author's desk (by the submitter or a reviewer). */
export async function returnToDraft(
  context: LifecycleContext,
  id: string,
  expectedRevision: number,
): Promise<PolicyVersionDoc> {
  return changeVersion(context, id, expectedRevision, (doc) => {
    if (doc.status !== 'pendingReview') throw statusRefusal(doc, '退回草稿');
    return { status: 'draft', submittedBy: null, supersedes: null };
  });
}

/**
 * 申请停用: the first of two operators asks to take a published version out of force; it stays in force until another
 * operator confirms (停用), and either may withdraw the request (撤销停用申请). One operator alone could 停用 it: the days
 * it covered then had no policy, claimants could neither estimate nor file, and nothing undid it (an operator walk).
 */
export async function requestRetire(
  context: LifecycleContext,
  id: string,
  expectedRevision: number,
): Promise<PolicyVersionDoc> {
  return changeVersion(context, id, expectedRevision, (doc, at) => {
    if (doc.status !== 'published') throw statusRefusal(doc, '申请停用');
    return doc.retireRequestedBy ? null : { retireRequestedBy: context.caller.openid, retireRequestedAt: at };
  });
}

/** 撤销停用申请: the version stays published, as if nobody had asked (by whoever asked, or another operator). */
export async function cancelRetire(
  context: LifecycleContext,
  id: string,
  expectedRevision: number,
): Promise<PolicyVersionDoc> {
  return changeVersion(context, id, expectedRevision, (doc) => {
    if (doc.status !== 'published' || !doc.retireRequestedBy) throw statusRefusal(doc, '撤销停用申请');
    return { retireRequestedBy: null, retireRequestedAt: null };
  });
}

/**
 * 停用: a published version stops being offered for new claims (claims already pinned to it keep
 * it) once a second operator confirms another's 申请停用 (four eyes); a draft or a version under review is abandoned by
 * one. Nothing is deleted.
 */
export async function retire(
  context: LifecycleContext,
  id: string,
  expectedRevision: number,
): Promise<PolicyVersionDoc> {
  const outside = await versionDoc(context.store, id);
  const seenPublished =
    outside.status === 'published' ? await publishedVersionOf(context.store, outside.policyId) : null;
  return context.store.transaction(async (tx) => {
    const doc = await expected(tx, id, expectedRevision);
    if (doc.status === 'retired') throw statusRefusal(doc, '再次停用');
    if (doc.status === 'published' && !doc.retireRequestedBy)
      throw new DomainError(
        'RETIRE_NOT_REQUESTED',
        '停用已发布的版本需要两位运维人员：请先点「申请停用」，再由另一位运维人员确认停用。',
      );
    if (doc.status === 'published' && doc.retireRequestedBy === context.caller.openid)
      throw new DomainError('FOUR_EYES', '停用需要另一位运维人员确认：您申请了停用，请交由另一位运维人员确认。');
    const at = context.clock.now().toISOString();
    if (doc.status === 'published') {
      const { head, current } = await publishedNow(tx, doc.policyId, seenPublished);
      if (current === id) await writeHead(tx, doc.policyId, head, null, at);
    }
    const written: PolicyVersionDoc = {
      ...doc,
      status: 'retired',
      retiredAt: at,
      retireRequestedBy: doc.retireRequestedBy ?? null,
      updatedAt: at,
      revision: doc.revision + 1,
    };
    await tx.set(POLICIES, written);
    return written;
  });
}
