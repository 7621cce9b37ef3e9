/**
 * `npm run --silent estimate -- <input.json>`: estimate one claim from the command line.
 *
 * Input: { "policy": <policy document> | "policyId": "<sample id>", "claim": {...}, "ledger"?: {...}, "asOf"?: "YYYY-MM-DD" }
 * Without policy/policyId the sample policy for the claimant's region, insurance type and date is chosen.
 * `asOf` is "today" for the filing-deadline status (default: today in Asia/Shanghai).
 *
 * Exit codes: 0 printed the estimate on stdout; 2 the input is invalid (unreadable, not JSON, or a
 * schema fault — each fault on stderr as `path: message`); 3 the input is valid but cannot be
 * estimated (no policy applies, policy and claimant differ, ledger of another year).
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { isDomainError, type FieldIssue } from '../src/core/errors';
import { filingStatus, shanghaiDate } from '../src/core/deadline';
import { claimSchema, dateOfService, estimate, ledgerSchema } from '../src/core/engine';
import {
  isoDateSchema,
  parsePolicy,
  samplePolicies,
  samplePolicyById,
  selectPolicy,
  type PolicyDocument,
} from '../src/core/policy';
import { zodIssues } from '../src/core/validation';

const inputSchema = z
  .strictObject({
    policy: z.unknown().optional(),
    policyId: z.string().optional(),
    claim: claimSchema,
    ledger: ledgerSchema.optional(),
    asOf: isoDateSchema.optional(),
  })
  .refine((input) => input.policy === undefined || input.policyId === undefined, {
    message: 'policy 与 policyId 只能给一个',
    path: ['policyId'],
  });

class InputError extends Error {
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

function fail(code: number, message: string, issues: FieldIssue[] = []): never {
  process.stderr.write(`${message}\n`);
  for (const issue of issues) process.stderr.write(`  ${issue.path || '(input)'}: ${issue.message}\n`);
  process.exit(code);
}

function readInput(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`无法读取输入文件 ${file}：${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`输入文件不是合法的 JSON：${(error as Error).message}`);
  }
}

function main(argv: string[]): void {
  const file = argv[0];
  if (!file || argv.length > 1 || file === '--help') {
    fail(
      2,
      '用法：npm run --silent estimate -- <input.json>\n输入：{ "policy": {...} | "policyId": "...", "claim": {...}, "ledger"?: {...}, "asOf"?: "YYYY-MM-DD" }',
    );
  }
  let input: z.output<typeof inputSchema>;
  let policy: PolicyDocument;
  try {
    const parsed = inputSchema.safeParse(readInput(file));
    if (!parsed.success) throw new InputError('输入有误：', zodIssues(parsed.error));
    input = parsed.data;
    if (input.policy !== undefined) {
      try {
        policy = parsePolicy(input.policy);
      } catch (error) {
        if (isDomainError(error))
          throw new InputError(
            error.message,
            (error.issues ?? []).map((issue) => ({ ...issue, path: issue.path ? `policy.${issue.path}` : 'policy' })),
          );
        throw error;
      }
    } else if (input.policyId !== undefined) {
      const found = samplePolicyById(input.policyId);
      if (!found)
        throw new InputError('输入有误：', [
          {
            path: 'policyId',
            message: `没有 id 为「${input.policyId}」的政策；可用：${samplePolicies.map((p) => p.id).join('、')}`,
          },
        ]);
      policy = found;
    } else {
      policy = selectPolicy(
        samplePolicies,
        input.claim.insured.region,
        input.claim.insured.insuranceType,
        dateOfService(input.claim.visit),
      );
    }
  } catch (error) {
    if (error instanceof InputError) fail(2, error.message, error.issues);
    if (isDomainError(error)) fail(3, `${error.code}: ${error.message}`);
    throw error;
  }

  try {
    const { result, ledgerAfter } = estimate(input.claim, policy, input.ledger);
    const today = input.asOf ?? shanghaiDate(new Date());
    // asOf is a Shanghai calendar date: noon there is 04:00 UTC on the same date.
    const filing = filingStatus(policy, input.claim.visit, new Date(`${today}T04:00:00Z`));
    process.stdout.write(`${JSON.stringify({ result, ledgerAfter, filing: { ...filing, asOf: today } }, null, 2)}\n`);
  } catch (error) {
    if (isDomainError(error)) fail(3, `${error.code}: ${error.message}`);
    throw error;
  }
}

main(process.argv.slice(2));
