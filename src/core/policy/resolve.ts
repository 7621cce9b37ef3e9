/**
 * `parsePolicy` (the schema gate, with the path of every fault) and `resolvePolicy` (the parameter
 * set in force on a date: for each dated parameter, the latest entry whose date is on or before it,
 * remembered with the date it took effect, its own reference and whether it is a sample value, so
 * the trace can say which value of which parameter it used).
 */
import { DomainError } from '../errors';
import { parseParams, zodIssues } from '../validation';
import { yearOf } from './dates';
import { Dated, insuranceTypeNames, policyDocumentSchema, type DatedEntry, type PolicyDocument } from './schema';
import type { ParameterSource, ResolvedPolicy } from './types';

export function parsePolicy(input: unknown): PolicyDocument {
  const result = policyDocumentSchema.safeParse(input, parseParams);
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

/**
 * The policy year (医保年度) a date belongs to, named by the calendar year it starts in: with
 * `policyYearStart` "07-01", 2025-07-01 … 2026-06-30 is policy year 2025. The ledger of a claim is
 * the one of this year.
 */
export function policyYearOf(doc: Pick<PolicyDocument, 'policyYearStart'>, date: string): number {
  const year = yearOf(date);
  return date.slice(5) >= doc.policyYearStart ? year : year - 1;
}

/** First and last day of a policy year. */
export function policyYearSpan(
  doc: Pick<PolicyDocument, 'policyYearStart'>,
  policyYear: number,
): { from: string; to: string } {
  const from = `${policyYear}-${doc.policyYearStart}`;
  const [month, day] = doc.policyYearStart.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(policyYear + 1, month - 1, day - 1));
  return { from, to: next.toISOString().slice(0, 10) };
}

const cache = new WeakMap<PolicyDocument, Map<string, ResolvedPolicy>>();

export function resolvePolicy(doc: PolicyDocument, date: string): ResolvedPolicy {
  let byDate = cache.get(doc);
  const hit = byDate?.get(date);
  if (hit) return hit;
  if (!policyInForce(doc, date)) {
    const until = doc.effectiveTo ? `至 ${doc.effectiveTo}` : '起';
    throw new DomainError(
      'POLICY_NOT_IN_FORCE',
      `${describePolicy(doc)}自 ${doc.effectiveFrom}${until}有效，不适用于 ${date} 的费用`,
      {
        details: { policyId: doc.id, date },
      },
    );
  }
  const sources: Record<string, ParameterSource> = {};
  const samples = new Set(doc.sampleValues);
  const values = resolveNode(doc, { date, sources, samples }, '', { since: doc.effectiveFrom }) as object;
  const resolved = { ...values, asOf: date, sources } as ResolvedPolicy;
  if (!byDate) {
    byDate = new Map();
    cache.set(doc, byDate);
  }
  byDate.set(date, deepFreeze(resolved));
  return resolved;
}

interface Walk {
  date: string;
  sources: Record<string, ParameterSource>;
  samples: ReadonlySet<string>;
}

/** The value in force; every path visited is recorded with the source its value inherits. */
function resolveNode(node: unknown, walk: Walk, path: string, inherited: ParameterSource): unknown {
  let source = inherited;
  if (path && walk.samples.has(path)) source = { ...source, sample: true };
  if (node instanceof Dated) {
    let chosen: DatedEntry<unknown> | undefined;
    for (const entry of node.entries as ReadonlyArray<DatedEntry<unknown>>) {
      if (entry.from === null || entry.from <= walk.date) chosen = entry;
    }
    if (!chosen) {
      const first = node.entries[0]?.from ?? '';
      throw new DomainError(
        'POLICY_PARAMETER_NOT_IN_FORCE',
        `政策参数 ${path} 自 ${first} 起才生效，${walk.date} 没有适用的取值`,
        { details: { path, date: walk.date } },
      );
    }
    source = {
      since: chosen.from ?? inherited.since,
      ...(chosen.reference !== undefined ? { reference: chosen.reference } : {}),
      ...(source.sample ? { sample: true } : {}),
    };
    return resolveNode(chosen.value, walk, path, source);
  }
  if (path) walk.sources[path] = source;
  if (Array.isArray(node)) return node.map((item, index) => resolveNode(item, walk, `${path}[${index}]`, source));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node))
      out[key] = resolveNode(value, walk, path ? `${path}.${key}` : key, source);
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
