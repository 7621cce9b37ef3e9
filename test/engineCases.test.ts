/**
 * The table-driven cases in src/core/engine/cases/*.json (run from here: reading the files needs Node,
 * which src/core never imports): each names a sample policy, a claim, an optional ledger,
 * the hand-computed amounts and the arithmetic beside them. Every case also passes the invariants.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDomainError } from '../src/core/errors';
import { resolvePolicy, samplePolicyById } from '../src/core/policy';
import { claimSchema, dateOfService, emptyLedger, estimate, invariantViolations, ledgerSchema } from '../src/core/engine';

interface CaseFile {
  rule: string;
  description: string;
  cases: Array<{
    name: string;
    policy: string;
    claim: unknown;
    ledger?: unknown;
    expected: Record<string, unknown>;
    arithmetic: string;
    expectedError?: string;
    ledgerAfter?: Record<string, unknown>;
  }>;
}

const dir = path.join(__dirname, '..', 'src', 'core', 'engine', 'cases');
const files = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();

it('has case files', () => {
  expect(files.length).toBeGreaterThanOrEqual(10);
});

describe.each(files)('%s', (file) => {
  const data = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CaseFile;
  it.each(data.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(c.arithmetic.length).toBeGreaterThan(0);
    const policy = samplePolicyById(c.policy);
    if (!policy) throw new Error(`unknown policy ${c.policy}`);
    const claim = claimSchema.parse(c.claim);
    const ledger = c.ledger === undefined ? undefined : ledgerSchema.parse(c.ledger);

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
    const { capsHit, warnings, traceIncludes, ...amounts } = c.expected as {
      capsHit?: string[];
      warnings?: string[];
      traceIncludes?: string[];
      [key: string]: unknown;
    };
    const actual = Object.fromEntries(Object.keys(amounts).map((key) => [key, (out.result as unknown as Record<string, unknown>)[key]]));
    expect(actual).toEqual(amounts);
    if (capsHit) expect(out.result.capsHit.map((hit) => hit.cap).sort()).toEqual([...capsHit].sort());
    if (warnings) expect(out.result.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(warnings));
    if (traceIncludes) {
      const text = out.result.trace.map((step) => step.text).join('\n');
      for (const piece of traceIncludes) expect(text).toContain(piece);
    }
    if (c.ledgerAfter) expect(out.ledgerAfter).toMatchObject(c.ledgerAfter);

    const date = dateOfService(claim.visit);
    expect(invariantViolations(out, resolvePolicy(policy, date), ledger ?? emptyLedger(Number(date.slice(0, 4))))).toEqual([]);
    // Every case says which policy it used and that it is a sample.
    expect(out.result.policy).toMatchObject({ id: policy.id, version: policy.version, sample: true });
  });
});
