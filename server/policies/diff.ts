/**
 * What a new policy version changes: parameter by parameter against the version it replaces (as
 * both were written: fen, basis points, date tables), and what a few sample claims get before and
 * after — the policy's own cases plus a typical 门诊 and 住院 claim on the latest date the new
 * version names. Pure: both documents come in, the comparison goes out.
 */
import type { ParameterChange, SampleComparison, SampleFigures } from '../../src/core/contracts/policies';
import { claimSchema, estimate, type Claim } from '../../src/core/engine';
import { isDomainError } from '../../src/core/errors';
import { formatRatio, formatYuan, isFen } from '../../src/core/money';
import { addDays, type PolicyDocument } from '../../src/core/policy';
import { caseClaim } from '../../src/core/policy/runCases';
import { formatPath } from '../../src/core/validation';

type Leaf = string | number | boolean | null;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const isDateKey = (key: PropertyKey): boolean => typeof key === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(key);

/** Every leaf of a document as written, by path (a list of plain values counts as one leaf); its own cases left out. */
export function flatten(
  source: unknown,
  path: PropertyKey[] = [],
  out = new Map<string, Leaf | Leaf[]>(),
): Map<string, Leaf | Leaf[]> {
  if (Array.isArray(source) && source.every((item) => !isObject(item) && !Array.isArray(item))) {
    out.set(formatPath(path), source as Leaf[]);
  } else if (Array.isArray(source)) {
    source.forEach((item, index) => flatten(item, [...path, index], out));
  } else if (isObject(source)) {
    for (const [key, value] of Object.entries(source)) {
      if (path.length === 0 && key === 'cases') continue;
      flatten(value, [...path, key], out);
    }
  } else {
    out.set(formatPath(path), source as Leaf);
  }
  return out;
}

const RATIO_NAMES = /(ratio|Ratio|points|share|categoryB|trialTest|implant|fractions)$/;
const MONEY_NAMES =
  /(deductible|Deductible|amount|amounts|Limit|limit|Cap|threshold|natural|cesarean|upTo|first|annualCap)$/;

/** The name a number stands for: the last key that is not a hospital level, a date, an index or `value`. */
function nameOf(path: string): string {
  const parts = path.split(/[.[\]]+/).filter(Boolean);
  for (let index = parts.length - 1; index >= 0; index -= 1) {
    const part = parts[index]!;
    if (/^level[123]$/.test(part) || isDateKey(part) || /^\d+$/.test(part) || part === 'value') continue;
    return part;
  }
  return '';
}

/** A value as written, with its reading (元 or %) when the parameter's name says which. */
export function describeValue(path: string, value: Leaf | Leaf[] | undefined): string | null {
  if (value === undefined) return null;
  if (Array.isArray(value))
    return value
      .map((item) =>
        typeof item === 'number' && RATIO_NAMES.test(nameOf(path)) ? `${item}（${formatRatio(item)}）` : String(item),
      )
      .join('、');
  if (typeof value === 'number' && isFen(value)) {
    const name = nameOf(path);
    if (RATIO_NAMES.test(name)) return `${value}（${formatRatio(value)}）`;
    if (MONEY_NAMES.test(name)) return `${value}（${formatYuan(value)}）`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Parameter by parameter: what changed, was added or removed, in the order of the new document. */
export function parameterChanges(before: unknown, after: unknown): ParameterChange[] {
  const was = flatten(before);
  const is = flatten(after);
  const changes: ParameterChange[] = [];
  for (const [path, value] of is) {
    const old = was.get(path);
    if (old === undefined) changes.push({ path, kind: 'added', before: null, after: describeValue(path, value) });
    else if (JSON.stringify(old) !== JSON.stringify(value))
      changes.push({ path, kind: 'changed', before: describeValue(path, old), after: describeValue(path, value) });
  }
  for (const [path, value] of was)
    if (!is.has(path)) changes.push({ path, kind: 'removed', before: describeValue(path, value), after: null });
  return changes;
}

/** The latest date the new version names (a date table's key, or its start) inside its validity. */
export function comparisonDate(after: PolicyDocument, source: unknown): string {
  const dates = [...flatten(source).keys()].flatMap((path) => path.split(/[.[\]]+/).filter(isDateKey));
  const inForce = dates.filter(
    (date) => date >= after.effectiveFrom && (after.effectiveTo === undefined || date <= after.effectiveTo),
  );
  return inForce.sort().at(-1) ?? after.effectiveFrom;
}

interface Sample {
  label: string;
  claim: Claim;
}

function typicalClaims(policy: PolicyDocument, date: string): Sample[] {
  const insured = { region: policy.region, insuranceType: policy.insuranceType };
  const samples: Array<{ label: string; input: unknown }> = [];
  if (policy.outpatient) {
    const visit = { kind: 'outpatient', hospitalLevel: 3, visitDate: date };
    const lines = [
      { name: '西药费', amountFen: 150000, category: 'A' },
      { name: '检查费', amountFen: 50000, category: 'B' },
    ];
    samples.push({ label: '普通门诊 · 三级医院 · 2,000 元', input: { insured, visit, lineItems: lines } });
    samples.push({
      label: '普通门诊 · 异地未备案 · 三级医院 · 2,000 元',
      input: { insured, visit: { ...visit, outOfRegion: true }, lineItems: lines },
    });
  }
  if (policy.inpatient) {
    const stay = { kind: 'inpatient', admissionDate: addDays(date, -6), dischargeDate: date };
    samples.push({
      label: '住院 · 三级医院 · 20,000 元',
      input: {
        insured,
        visit: { ...stay, hospitalLevel: 3 },
        lineItems: [
          { name: '治疗费', amountFen: 1500000, category: 'A' },
          { name: '药品费', amountFen: 400000, category: 'B' },
          { name: '自费材料', amountFen: 100000, category: 'C' },
        ],
      },
    });
    samples.push({
      label: '住院 · 一级医院 · 8,000 元',
      input: {
        insured,
        visit: { ...stay, hospitalLevel: 1 },
        lineItems: [{ name: '治疗费', amountFen: 800000, category: 'A' }],
      },
    });
  }
  return samples.flatMap(({ label, input }) => {
    const parsed = claimSchema.safeParse(input);
    return parsed.success ? [{ label, claim: parsed.data }] : [];
  });
}

function figuresOf(claim: Claim, policy: PolicyDocument | null): SampleFigures | { error: string } {
  if (!policy) return { error: '没有被替换的版本' };
  try {
    const { result } = estimate(claim, policy);
    return {
      totalPaid: result.totalPaid,
      fundPays: result.fundPays,
      deductibleTaken: result.deductibleTaken,
      claimantPays: result.claimantPays,
    };
  } catch (error) {
    if (isDomainError(error)) return { error: error.message };
    throw error;
  }
}

/** A few sample claims — the new version's own cases (up to five) and typical ones — before and after. */
export function sampleComparisons(
  before: PolicyDocument | null,
  after: PolicyDocument,
  afterSource: unknown,
): SampleComparison[] {
  const date = comparisonDate(after, afterSource);
  const own: Sample[] = (after.cases ?? []).slice(0, 5).flatMap((testCase, index) => {
    const built = caseClaim(after, testCase, index);
    return 'claim' in built ? [{ label: `案例：${testCase.name}`, claim: built.claim }] : [];
  });
  return [...own, ...typicalClaims(after, date)].map(({ label, claim }) => ({
    label,
    dateOfService: claim.visit.dischargeDate ?? claim.visit.visitDate ?? date,
    before: figuresOf(claim, before),
    after: figuresOf(claim, after),
  }));
}
