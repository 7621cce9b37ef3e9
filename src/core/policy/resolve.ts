/**
 * `parsePolicy` (the schema gate, with the path of every fault) and `resolvePolicy` (the parameter
 * set in force on a date: for each dated parameter, the latest entry whose date is on or before it).
 */
import { DomainError } from '../errors';
import { zodIssues } from '../validation';
import { Dated, insuranceTypeNames, policyDocumentSchema, type PolicyDocument } from './schema';
import type { ResolvedPolicy } from './types';

export function parsePolicy(input: unknown): PolicyDocument {
  const result = policyDocumentSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = zodIssues(result.error);
  const first = issues[0];
  const where = first ? `${first.path || '（文件本身）'}：${first.message}` : '';
  const more = issues.length > 1 ? `（共 ${issues.length} 处）` : '';
  throw new DomainError('POLICY_INVALID', `政策文件格式有误，${where}${more}`, { issues });
}

export function describePolicy(doc: Pick<PolicyDocument, 'regionName' | 'insuranceType' | 'version'>): string {
  return `${doc.regionName}${insuranceTypeNames[doc.insuranceType]}（${doc.version}）`;
}

export function policyInForce(doc: Pick<PolicyDocument, 'effectiveFrom' | 'effectiveTo'>, date: string): boolean {
  return doc.effectiveFrom <= date && (doc.effectiveTo === undefined || date <= doc.effectiveTo);
}

const cache = new WeakMap<PolicyDocument, Map<string, ResolvedPolicy>>();

export function resolvePolicy(doc: PolicyDocument, date: string): ResolvedPolicy {
  let byDate = cache.get(doc);
  const hit = byDate?.get(date);
  if (hit) return hit;
  if (!policyInForce(doc, date)) {
    const until = doc.effectiveTo ? `至 ${doc.effectiveTo}` : '起';
    throw new DomainError('POLICY_NOT_IN_FORCE', `${describePolicy(doc)}自 ${doc.effectiveFrom}${until}有效，不适用于 ${date} 的费用`, {
      details: { policyId: doc.id, date },
    });
  }
  const resolved = { ...(resolveNode(doc, date, '') as object), asOf: date } as ResolvedPolicy;
  if (!byDate) {
    byDate = new Map();
    cache.set(doc, byDate);
  }
  byDate.set(date, deepFreeze(resolved));
  return resolved;
}

function resolveNode(node: unknown, date: string, path: string): unknown {
  if (node instanceof Dated) {
    let chosen: { value: unknown } | undefined;
    for (const entry of node.entries as ReadonlyArray<{ from: string | null; value: unknown }>) {
      if (entry.from === null || entry.from <= date) chosen = entry;
    }
    if (!chosen) {
      const first = node.entries[0]?.from ?? '';
      throw new DomainError('POLICY_PARAMETER_NOT_IN_FORCE', `政策参数 ${path} 自 ${first} 起才生效，${date} 没有适用的取值`, { details: { path, date } });
    }
    return resolveNode(chosen.value, date, path);
  }
  if (Array.isArray(node)) return node.map((item, index) => resolveNode(item, date, `${path}[${index}]`));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = resolveNode(value, date, path ? `${path}.${key}` : key);
    return out;
  }
  return node;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
