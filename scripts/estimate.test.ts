/** The estimate CLI from outside: spawn tsx on scripts/estimate.ts, check exit codes, stdout and stderr. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const work = mkdtempSync(path.join(tmpdir(), 'estimate-cli-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      ['scripts/estimate.ts', ...args],
      { cwd: root, env: { ...process.env, TZ: 'America/Los_Angeles' } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

function writeInput(name: string, value: unknown): string {
  const file = path.join(work, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

const example = (name: string) =>
  JSON.parse(readFileSync(path.join(root, 'docs', 'examples', name), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Seven tsx processes start at once: about a second each on a quiet machine, past jest's 30 s on a loaded one.
jest.setTimeout(120_000);

describe('scripts/estimate.ts', () => {
  // Spawning tsx costs about a second each: start them all together.
  const brokenPolicy = example('custom-policy.json');
  brokenPolicy.policy.inpatient.deductible.first.level3 = '600元';
  const mismatch = example('inpatient-beijing.json');
  mismatch.policyId = 'dalian-resident-2025';
  const runs = {
    beijing: run(['docs/examples/inpatient-beijing.json']),
    auto: run(['docs/examples/outpatient-dalian-auto.json']),
    custom: run(['docs/examples/custom-policy.json']),
    invalid: run(['docs/examples/invalid-claim.json']),
    brokenPolicy: run([writeInput('broken-policy.json', brokenPolicy)]),
    notJson: run([writeInput('not-json.json', '{ "claim": ')]),
    mismatch: run([writeInput('mismatch.json', mismatch)]),
    noArgs: run([]),
  };

  it('prints the estimate, the ledger after it and the filing status (exit 0)', async () => {
    const { code, stdout, stderr } = await runs.beijing;
    expect(stderr.replace(/npm warn.*\n/g, '')).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    // Second admission: deductible 1,300 × 50% = 650; in-policy 39,500 − 900 − (8,000 × 10% + 12,000 × 50%) = 31,800;
    // cumulative 25,650 → 56,800: 4,350 × 85% + 10,000 × 90% + 16,800 × 95% = 3,697.50 + 9,000 + 15,960 = 28,657.50
    expect(out.result).toMatchObject({
      total: 3950000,
      inPolicy: 3180000,
      deductibleTaken: 65000,
      fundPays: 2865750,
      claimantPays: 1084250,
    });
    expect(out.result.policy).toMatchObject({ id: 'beijing-employee-2025', sample: true });
    expect(out.ledgerAfter.inpatientAdmissions).toBe(2);
    expect(out.filing).toEqual({
      status: 'ok',
      daysLeft: 294,
      deadline: '2026-01-20',
      countedFrom: '2025-03-12',
      asOf: '2025-04-01',
    });
  });

  it('chooses the sample policy by region, type and date when none is named', async () => {
    const { code, stdout } = await runs.auto;
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.result.policy.id).toBe('dalian-resident-2025');
    // 糖尿病 250.00 × 50% = 125.00; 高血压 180.00 × 50% = 90.00 → limit 220 − 150 = 70.00
    expect(out.result.fundPays).toBe(19500);
    expect(out.result.capsHit.map((hit: { cap: string }) => hit.cap)).toEqual([
      'twoDiseases.diseases.hypertension.annualLimit',
    ]);
  });

  it('accepts a policy document inline, with dated values', async () => {
    const { code, stdout } = await runs.custom;
    expect(code).toBe(0);
    // From 2025-07-01 三级 70%: (12,000 − 600) × 70% = 7,980.00
    expect(JSON.parse(stdout).result).toMatchObject({
      fundPays: 798000,
      policy: { id: 'my-city-resident-2025', sample: false },
    });
  });

  it('invalid claim: exit 2, each fault with its path on stderr, nothing on stdout', async () => {
    const { code, stdout, stderr } = await runs.invalid;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('claim.visit.hospitalLevel: 医院等级只能是 1（一级）、2（二级）或 3（三级）');
    expect(stderr).toContain('claim.lineItems[0].amountFen: 金额应为以分为单位的整数');
  });

  it('broken policy: exit 2 naming the path inside the policy', async () => {
    const { code, stderr } = await runs.brokenPolicy;
    expect(code).toBe(2);
    expect(stderr).toContain('policy.inpatient.deductible.first.level3');
  });

  it('not JSON, or no file: exit 2', async () => {
    expect((await runs.notJson).code).toBe(2);
    expect((await runs.notJson).stderr).toContain('不是合法的 JSON');
    expect((await runs.noArgs).code).toBe(2);
    expect((await runs.noArgs).stderr).toContain('用法');
  });

  it('valid input that cannot be estimated: exit 3 with the reason', async () => {
    const { code, stderr } = await runs.mismatch;
    expect(code).toBe(3);
    expect(stderr).toContain('POLICY_MISMATCH');
  });
});
