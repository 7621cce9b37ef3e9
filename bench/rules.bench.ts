/**
 * Rules bench: median time to estimate a 30-line claim, against the time to read the same input
 * (JSON.parse + zod validation of claim and ledger). Goal: ratio ≤ 1 — the engine costs no more than
 * reading its input. Each sample times a batch of calls (timer resolution), after a warm-up.
 */
import { performance } from 'node:perf_hooks';
import { claimSchema, estimate, ledgerSchema } from '../src/core/engine';
import { samplePolicyById } from '../src/core/policy';

const BATCH = 200;
const SAMPLES = 101;

function thirtyLineInput(): string {
  const categories = ['A', 'B', 'C'] as const;
  const lineItems = Array.from({ length: 30 }, (_, i) => ({
    name: `费用明细第 ${i + 1} 项`,
    amountFen: 1000 + ((i * 7919) % 250000),
    category: categories[i % 3]!,
    ...(i % 10 === 4 ? { itemClass: 'implant' } : {}),
  }));
  return JSON.stringify({
    claim: {
      insured: { insuranceType: 'resident', retired: false, region: '210200', filedForOutOfRegion: false },
      visit: {
        kind: 'inpatient',
        hospitalLevel: 3,
        outOfRegion: true,
        referral: false,
        admissionDate: '2025-03-01',
        dischargeDate: '2025-03-20',
      },
      lineItems,
    },
    ledger: {
      policyYear: 2025,
      inpatientAdmissions: 1,
      deductibleUsed: { inpatient: 60000 },
      fundPaidByCap: { main: 1500000 },
      majorIllnessBurden: 800000,
      majorIllnessPaid: 0,
    },
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timePerCall(fn: () => void): number {
  for (let i = 0; i < BATCH * 5; i += 1) fn(); // warm-up
  const samples: number[] = [];
  for (let s = 0; s < SAMPLES; s += 1) {
    const started = performance.now();
    for (let i = 0; i < BATCH; i += 1) fn();
    samples.push((performance.now() - started) / BATCH);
  }
  return median(samples);
}

let sink = 0;

export async function run(): Promise<void> {
  const text = thirtyLineInput();
  const policy = samplePolicyById('dalian-resident-2025');
  if (!policy) throw new Error('sample policy missing');
  const raw = JSON.parse(text) as { claim: unknown; ledger: unknown };
  const claim = claimSchema.parse(raw.claim);
  const ledger = ledgerSchema.parse(raw.ledger);

  const read = timePerCall(() => {
    const input = JSON.parse(text) as { claim: unknown; ledger: unknown };
    sink += claimSchema.parse(input.claim).lineItems.length + ledgerSchema.parse(input.ledger).policyYear;
  });
  const engine = timePerCall(() => {
    sink += estimate(claim, policy, ledger).result.fundPays;
  });
  const ratio = engine / read;
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(
    `input: 30 line items, ${text.length} bytes of JSON; ${SAMPLES} samples × ${BATCH} calls, median per call`,
  );
  console.log(`read (JSON.parse + zod claim & ledger): ${us(read)}`);
  console.log(`estimate (30 lines, trace included):     ${us(engine)}`);
  console.log(`ratio estimate / read: ${ratio.toFixed(2)} (goal ≤ 1) ${ratio <= 1 ? 'OK' : 'ABOVE GOAL'}`);
  if (sink === -1) console.log(sink);
}
