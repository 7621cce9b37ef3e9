/**
 * Bad input: fast-check sends 10,000 malformed payloads to every action of every function (as a
 * caller who holds every role, so validation — not authorization — is what answers). No crash, no
 * INTERNAL, nothing stored, and every refusal carries a stable code and a Chinese message.
 * A further pass sends malformed envelopes (not an object, unknown action, wrong types).
 */
import fc from 'fast-check';
import { collections } from '../collections';
import { buildFunctions } from '../functions';
import { invoke } from './framework';
import { embeddedPorts } from '../../test/support/ports';
import type { Caller } from '../ports';

const RUNS_PER_ACTION = Number(process.env.BAD_INPUT_RUNS ?? 10_000);
const everyRole: Caller = { openid: 'fuzz-openid', roles: ['claimant', 'reviewer', 'secondReviewer', 'operator'] };
const functions = buildFunctions(
  { notifier: { send: async () => ({ ok: true }) }, templateIds: {} },
  { ocr: () => ({ recognise: async () => [] }) },
);
const codePattern = /^[A-Z][A-Z0-9_]+$/;
const chinese = /[\u4e00-\u9fff]/;

/** Payloads that look like real ones gone wrong: right keys with wrong values, deep junk, huge strings. */
const malformed = fc.oneof(
  fc.anything({
    maxDepth: 3,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withSparseArray: true,
  }),
  fc.dictionary(
    fc.constantFrom(
      'id',
      'form',
      'materials',
      'lineItems',
      'action',
      'page',
      'title',
      'amountFen',
      'ids',
      'results',
      'fileID',
      'idNumber',
      'reason',
    ),
    fc.anything({ maxDepth: 2 }),
  ),
  fc.record({
    id: fc.oneof(fc.string(), fc.integer(), fc.constant('../../etc/passwd'), fc.constant('__proto__')),
    form: fc.anything({ maxDepth: 2 }),
  }),
  fc.record({
    title: fc.string({ maxLength: 2000 }),
    amountFen: fc.oneof(fc.double(), fc.integer({ min: -1e15, max: -1 }), fc.constant(Number.NaN), fc.string()),
  }),
);

/**
 * What is wrong with a refusal, or null: a stable code (not INTERNAL) and Chinese sentences for the user. Checked by
 * hand, not with `expect`, on each of the 10,000 payloads: jest's matchers build an error with a stack trace per call,
 * which was 60 % of this suite's time.
 */
function refusalProblem(error: {
  code: string;
  message: string;
  issues?: ReadonlyArray<{ message: string }>;
}): string | null {
  if (!codePattern.test(error.code)) return `code ${JSON.stringify(error.code)} is not a stable code`;
  if (error.code === 'INTERNAL') return 'answered INTERNAL';
  if (!chinese.test(error.message)) return `message ${JSON.stringify(error.message)} is not Chinese`;
  const foreign = (error.issues ?? []).find((issue) => !chinese.test(issue.message));
  return foreign ? `issue message ${JSON.stringify(foreign.message)} is not Chinese` : null;
}

async function storedCounts(
  store: Awaited<ReturnType<typeof embeddedPorts>>['store'],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const spec of collections) counts[spec.name] = await store.collection(spec.name).count({});
  return counts;
}

const actions = Object.entries(functions).flatMap(([name, definition]) =>
  Object.keys(definition).map((action) => [name, action] as const),
);

describe('malformed payloads are refused cleanly', () => {
  it.each(actions)('%s.%s', async (name, action) => {
    const ports = await embeddedPorts();
    const definition = functions[name]!;
    const schema = definition[action]!.input;
    const before = await storedCounts(ports.store);
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(malformed, async (payload) => {
        fc.pre(!schema.safeParse(payload ?? {}).success);
        const result = await invoke(definition, { action, payload, requestId: 'fuzz-request-1' }, everyRole, ports, {
          onUnexpected: (error) => {
            throw error;
          },
        });
        if (result.ok) throw new Error('accepted a payload its schema refuses');
        const problem = refusalProblem(result.error);
        if (problem) throw new Error(problem);
        refusals += 1;
      }),
      { numRuns: RUNS_PER_ACTION, seed: 20261123 },
    );
    expect(refusals).toBeGreaterThanOrEqual(RUNS_PER_ACTION * 0.9);
    expect(await storedCounts(ports.store)).toEqual(before);
  });

  it('malformed envelopes', async () => {
    const ports = await embeddedPorts();
    const before = await storedCounts(ports.store);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(functions)),
        fc.anything({ maxDepth: 3 }),
        async (name, envelope) => {
          const result = await invoke(functions[name]!, envelope, everyRole, ports);
          if (result.ok) return; // an accidental valid read-only call (e.g. { action: 'queue' }) is fine
          const problem = refusalProblem({ ...result.error, issues: undefined });
          if (problem) throw new Error(problem);
        },
      ),
      { numRuns: RUNS_PER_ACTION, seed: 7 },
    );
    expect(await storedCounts(ports.store)).toEqual(before);
  });
});
