/**
 * The table-driven cases in src/core/engine/cases/*.json, read the way openfisca reads its YAML tests
 * (name, the inputs that matter, the outputs): run from here because reading files needs Node, which
 * src/core never imports.
 *
 * A case file has `defaults` (policy, insured, visit) and `cases`; each case states only what differs:
 *   - `policy`: a sample policy id; `policyChanges`: what this file or case changes in it (merged the
 *     same way over the sample as written, then validated like any operator's document — openfisca's
 *     reforms, in data); `insured` / `visit`: fields merged over the defaults (`null` removes
 *     one). The insured person's region and insurance type are the policy's unless stated. A visit keeps
 *     the dates its kind uses: admission and discharge for a stay (住院, 住院分娩), the visit date otherwise.
 *   - `lineItems`: a line without `name` is「政策内费用」.
 *   - `ledger`: the year so far (`policyYear` defaults to the policy year of the date of service).
 *   - `expected`: amounts in fen. An amount not stated is 0, except four that follow from the others and
 *     are checked all the same: `total` = the sum of the lines, `inPolicy` = total − outOfPolicy −
 *     categoryBSelfPay − outOfRegionSelfPay, `totalPaid` = fundPays + majorIllnessPays + allowances,
 *     `claimantPays` = total − totalPaid.
 *   - `capsHit`, `warnings` (codes that must appear), `traceIncludes` (sentences that must appear),
 *     `traceParams` (parameter paths some trace step must name), `ledgerAfter` (a subset), `expectedError`.
 *   - `arithmetic`: the hand computation, in words a policy officer can check.
 * Every case also passes the engine's invariants.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { isDomainError } from '../src/core/errors';
import {
  parsePolicy,
  policyYearOf,
  resolvePolicy,
  samplePolicyById,
  samplePolicyFiles,
  type PolicyDocument,
} from '../src/core/policy';
import {
  claimSchema,
  dateOfService,
  emptyLedger,
  estimate,
  invariantViolations,
  ledgerSchema,
  type EstimateResult,
} from '../src/core/engine';
import { zodIssues } from '../src/core/validation';

const fields = z.record(z.string(), z.unknown());
const caseSchema = z.strictObject({
  name: z.string().min(1, '请写明案例名称'),
  policy: z.string().optional(),
  policyChanges: fields.optional(),
  insured: fields.optional(),
  visit: fields.optional(),
  lineItems: z.array(fields).min(1, '至少一项费用'),
  ledger: fields.optional(),
  expected: z.record(z.string(), z.number().int('金额应为整数分')).default({}),
  expectedError: z.string().optional(),
  capsHit: z.array(z.string()).optional(),
  warnings: z.array(z.string()).optional(),
  traceIncludes: z.array(z.string()).optional(),
  traceParams: z.array(z.string()).optional(),
  policyYear: z.number().int().optional(),
  ledgerAfter: fields.optional(),
  arithmetic: z.string().min(1, '请写出手算过程'),
});
const caseFileSchema = z.strictObject({
  rule: z.string(),
  description: z.string(),
  defaults: z.strictObject({
    policy: z.string(),
    policyChanges: fields.optional(),
    insured: fields.default({}),
    visit: fields,
  }),
  cases: z.array(caseSchema).min(1),
});
type Case = z.output<typeof caseSchema>;

const amountKeys = [
  'total',
  'outOfPolicy',
  'categoryBSelfPay',
  'outOfRegionSelfPay',
  'inPolicy',
  'deductibleTaken',
  'fundPays',
  'majorIllnessPays',
  'allowances',
  'totalPaid',
  'claimantPays',
] as const;
const stays = new Set(['inpatient', 'maternity']);

/** Defaults with the case's fields over them; `null` removes a field. */
function over(
  defaults: Record<string, unknown>,
  fieldsOfCase: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(fieldsOfCase ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Changes deep-merged over a document: objects key by key, anything else (lists too) replaced, `null` removes. */
function changed(document: unknown, changes: Record<string, unknown> | undefined): unknown {
  if (!changes) return document;
  const merged: Record<string, unknown> = { ...(document as Record<string, unknown>) };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else merged[key] = isObject(value) && isObject(merged[key]) ? changed(merged[key], value) : value;
  }
  return merged;
}

/** The sample policy with the file's and the case's changes, validated (a refusal is the case's expected error). */
function policyOf(id: string, ...changes: Array<Record<string, unknown> | undefined>): PolicyDocument {
  const file = samplePolicyFiles[id];
  if (!file) throw new Error(`unknown policy ${id}`);
  if (changes.every((change) => change === undefined)) return samplePolicyById(id)!;
  return parsePolicy(changes.reduce<unknown>((document, change) => changed(document, change), file));
}

function claimOf(c: Case, defaults: z.output<typeof caseFileSchema>['defaults'], policy: PolicyDocument): unknown {
  const visit = over(defaults.visit, c.visit);
  for (const key of stays.has(String(visit.kind)) ? ['visitDate'] : ['admissionDate', 'dischargeDate'])
    delete visit[key];
  return {
    insured: { region: policy.region, insuranceType: policy.insuranceType, ...over(defaults.insured, c.insured) },
    visit,
    lineItems: c.lineItems.map((line) => ({ name: '政策内费用', ...line })),
  };
}

/** The stated amounts, the unstated ones as 0, and the four that follow from the others. */
function expectedAmounts(stated: Record<string, number>, lineSum: number): Record<(typeof amountKeys)[number], number> {
  const value = (key: string) => stated[key] ?? 0;
  const total = stated.total ?? lineSum;
  const inPolicy =
    stated.inPolicy ?? total - value('outOfPolicy') - value('categoryBSelfPay') - value('outOfRegionSelfPay');
  const totalPaid = stated.totalPaid ?? value('fundPays') + value('majorIllnessPays') + value('allowances');
  const claimantPays = stated.claimantPays ?? total - totalPaid;
  return Object.fromEntries(
    amountKeys.map((key) => [key, { total, inPolicy, totalPaid, claimantPays }[key as string] ?? value(key)]),
  ) as Record<(typeof amountKeys)[number], number>;
}

const dir = path.join(__dirname, '..', 'src', 'core', 'engine', 'cases');
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort();

it('has case files', () => {
  expect(files.length).toBeGreaterThanOrEqual(10);
});

describe.each(files)('%s', (file) => {
  const parsed = caseFileSchema.safeParse(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${file}: ${zodIssues(parsed.error)
        .map((issue) => `${issue.path}：${issue.message}`)
        .join('；')}`,
    );
  const data = parsed.data;

  it('each case states only what differs from the defaults, in at most 15 lines', () => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    for (const c of data.cases) {
      for (const part of ['insured', 'visit'] as const) {
        for (const [key, value] of Object.entries(c[part] ?? {}))
          expect({
            case: c.name,
            restates: `${part}.${key}`,
            same: JSON.stringify(value) === JSON.stringify(data.defaults[part][key]),
          }).toMatchObject({ same: false });
      }
      const start = text.indexOf(`"name": ${JSON.stringify(c.name)}`);
      const lines = text.slice(start, text.indexOf('"arithmetic"', start)).split('\n').length + 2; // with its braces
      expect({ case: c.name, short: lines <= 15 }).toEqual({ case: c.name, short: true });
    }
  });

  it.each(data.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let policy: PolicyDocument;
    try {
      policy = policyOf(c.policy ?? data.defaults.policy, data.defaults.policyChanges, c.policyChanges);
    } catch (error) {
      if (c.expectedError && isDomainError(error) && error.code === c.expectedError) return;
      throw error;
    }
    const claim = claimSchema.parse(claimOf(c, data.defaults, policy));
    const date = dateOfService(claim.visit);
    const year = policyYearOf(policy, date);
    const ledger = c.ledger === undefined ? undefined : ledgerSchema.parse({ policyYear: year, ...c.ledger });

    if (c.expectedError) {
      let caught: unknown;
      try {
        estimate(claim, policy, ledger);
      } catch (error) {
        caught = error;
      }
      expect(isDomainError(caught) && caught.code).toBe(c.expectedError);
      return;
    }

    const out = estimate(claim, policy, ledger);
    const lineSum = claim.lineItems.reduce((sum, line) => sum + line.amountFen, 0);
    const actual = Object.fromEntries(amountKeys.map((key) => [key, (out.result as EstimateResult)[key]]));
    expect(actual).toEqual(expectedAmounts(c.expected, lineSum));
    if (c.capsHit) expect(out.result.capsHit.map((hit) => hit.cap).sort()).toEqual([...c.capsHit].sort());
    if (c.warnings) expect(out.result.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(c.warnings));
    const text = out.result.trace.map((step) => step.text).join('\n');
    for (const piece of c.traceIncludes ?? []) expect(text).toContain(piece);
    const params = out.result.trace.flatMap((step) => step.parameters.map((use) => use.param));
    for (const param of c.traceParams ?? []) expect(params).toContain(param);
    if (c.ledgerAfter) expect(out.ledgerAfter).toMatchObject(c.ledgerAfter);
    if (c.policyYear !== undefined) expect(out.result.policyYear).toBe(c.policyYear);

    expect(invariantViolations(out, resolvePolicy(policy, date), ledger ?? emptyLedger(year))).toEqual([]);
    // Every case says which policy it used and that it is a sample.
    expect(out.result.policy).toMatchObject({ id: policy.id, version: policy.version, sample: true });
  });
});

describe('docs/policy-format.md', () => {
  const doc = readFileSync(path.join(__dirname, '..', 'docs', 'policy-format.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## 完整示例'));
  const example = JSON.parse(
    section.slice(section.indexOf('```json') + 7, section.indexOf('```', section.indexOf('```json') + 7)),
  ) as Record<string, unknown>;

  it('its complete example is a valid policy that uses every parameter the document describes', () => {
    const policy = parsePolicy(example);
    for (const key of ['policyYearStart', 'sampleValues', 'continuousEnrolment']) expect(example).toHaveProperty(key);
    expect(policy.outpatient?.deductibleAnnualCap).toBeDefined();
    expect(policy.majorIllness?.burdenIncludes).toEqual(['selfPayFirst']);
    expect(policy.fundCaps[0]?.covers).toContain('maternity');
  });

  it('estimates with it: the policy year, per-visit deductibles up to their cap, references in the trace', () => {
    const policy = parsePolicy(example);
    const visit = (visitDate: string) =>
      claimSchema.parse({
        insured: { insuranceType: 'resident', region: '999999' },
        visit: { kind: 'outpatient', hospitalLevel: 1, visitDate },
        lineItems: [{ name: '诊疗', amountFen: 20000, category: 'A' }],
      });
    let ledger = emptyLedger(2025);
    const taken: number[] = [];
    for (const date of ['2025-07-10', '2025-08-10', '2025-09-10', '2026-06-30']) {
      const out = estimate(visit(date), policy, ledger);
      expect(out.result.policyYear).toBe(2025);
      taken.push(out.result.deductibleTaken);
      ledger = out.ledgerAfter;
    }
    // 100 元 a visit until 300 元 a year, then none; 2026-06-30 is still policy year 2025.
    expect(taken).toEqual([10000, 10000, 10000, 0]);
    const first = estimate(visit('2025-07-10'), policy).result.trace.flatMap((step) => step.parameters);
    expect(first).toContainEqual({
      param: 'outpatient.ratio',
      since: '2025-07-01',
      reference: '“门诊统筹……支付比例：50%”（seeds/003）',
    });
    expect(first).toContainEqual({ param: 'outpatient.deductible', since: '2025-07-01', sample: true });
  });

  it('its 大病-by-category example is a valid policy that estimates the worked example as the text says', () => {
    const heading = doc.indexOf('### 大病保险按类别定比例的完整示例');
    const start = doc.indexOf('```json', heading) + 7;
    const policy = parsePolicy(JSON.parse(doc.slice(start, doc.indexOf('```', start))));
    const claim = claimSchema.parse({
      insured: { insuranceType: 'employee', region: '620600' },
      visit: { kind: 'inpatient', hospitalLevel: 3, admissionDate: '2025-03-01', dischargeDate: '2025-03-10' },
      lineItems: [
        { name: '甲类', amountFen: 4000000, category: 'A' },
        { name: '乙类', amountFen: 2000000, category: 'B' },
        { name: '高精尖', amountFen: 1000000, category: 'A', itemClass: 'implant' },
      ],
    });
    const { result } = estimate(claim, policy);
    expect(result).toMatchObject({ fundPays: 4968000, majorIllnessPays: 981400 });
    expect(doc).toContain('= **9,814 元**');
    const text = result.trace.map((step) => step.text);
    const shareSentence =
      '大病保险个人负担按比例从低到高逐类计入：乙类（75%）计入后本次个人负担 5,320.00 元，乙类部分 3,600.00 元，全部超过起付线。';
    expect(text).toContain(shareSentence);
    expect(doc).toContain(`「${shareSentence}」`);
    expect(text).toContain('大病保险：乙类部分 3,600.00 元按 75% 支付 2,700.00 元。');
    expect(result.trace.flatMap((step) => step.parameters)).toContainEqual({
      param: 'majorIllness.categoryRatios.B',
      since: '2025-01-01',
      reference: '“乙类:75%”（seeds/000）',
    });
    // Every fenced JSON fragment of the section parses, and the short majorIllness one is the one the example uses.
    const section = doc.slice(doc.indexOf('#### 大病保险按类别定比例'), heading);
    const fragment = section.slice(
      section.indexOf('```json') + 7,
      section.indexOf('```', section.indexOf('```json') + 7),
    );
    expect(resolvePolicy(policy, '2025-03-10').majorIllness).toMatchObject(JSON.parse(`{${fragment}}`).majorIllness);
  });
});
