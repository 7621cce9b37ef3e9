/**
 * Properties of the engine over generated claims, ledgers and all sample policies (fast-check):
 * never negative; fund + 大病 + allowances ≤ total; parts add up; non-decreasing in any line amount;
 * independent of line order; deterministic; threading the ledger never pushes past an annual cap.
 */
import fc from 'fast-check';
import { dateFromDayNumber, dayNumber, resolvePolicy, samplePolicies, type PolicyDocument } from '../policy';
import { visitKinds } from '../policy/schema';
import { claimSchema, dateOfService, emptyLedger, estimate, invariantViolations, ledgerSchema, type Claim, type Ledger } from '.';

const YEAR_START = dayNumber('2025-01-01');

function diseasesOf(policy: PolicyDocument): string[] {
  return [...Object.keys(policy.chronic?.diseases ?? {}), ...Object.keys(policy.twoDiseases?.diseases ?? {}), ...Object.keys(policy.special?.diseases ?? {}), 'unlisted'];
}

const amount = fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 0, max: 30_000_000 }));

function lineArb(diseases: string[]) {
  return fc.record(
    {
      name: fc.constantFrom('床位费', '药品', '检查', '耗材', '手术费'),
      amountFen: amount,
      category: fc.constantFrom('A', 'B', 'C') as fc.Arbitrary<'A' | 'B' | 'C'>,
      itemClass: fc.constantFrom('implant', 'trialTest') as fc.Arbitrary<'implant' | 'trialTest'>,
      disease: fc.constantFrom(...diseases),
    },
    { requiredKeys: ['name', 'amountFen', 'category'] },
  );
}

function claimArb(policy: PolicyDocument, maxLines = 12): fc.Arbitrary<Claim> {
  const diseases = diseasesOf(policy);
  return fc
    .record({
      retired: fc.boolean(),
      filed: fc.boolean(),
      kind: fc.constantFrom(...visitKinds),
      level: fc.constantFrom(1, 2, 3) as fc.Arbitrary<1 | 2 | 3>,
      outOfRegion: fc.boolean(),
      referral: fc.boolean(),
      day: fc.integer({ min: 0, max: 364 }),
      stay: fc.integer({ min: 0, max: 30 }),
      deliveryKind: fc.constantFrom('natural', 'cesarean') as fc.Arbitrary<'natural' | 'cesarean'>,
      disease: fc.option(fc.constantFrom(...diseases), { nil: undefined }),
      lineItems: fc.array(lineArb(diseases), { minLength: 1, maxLength: maxLines }),
    })
    .map((g) => {
      const end = dateFromDayNumber(YEAR_START + g.day);
      const start = dateFromDayNumber(YEAR_START + Math.max(0, g.day - g.stay));
      const stay = g.kind === 'inpatient' || g.kind === 'maternity';
      return claimSchema.parse({
        insured: { insuranceType: policy.insuranceType, retired: g.retired, region: policy.region, filedForOutOfRegion: g.filed },
        visit: {
          kind: g.kind,
          hospitalLevel: g.level,
          outOfRegion: g.outOfRegion,
          referral: g.referral,
          ...(stay ? { admissionDate: start, dischargeDate: end } : { visitDate: end }),
          ...(g.kind === 'maternity' ? { deliveryKind: g.deliveryKind } : {}),
          ...(g.disease ? { disease: g.disease } : {}),
        },
        lineItems: g.lineItems,
      });
    });
}

const counter = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 50_000_000 }));
function ledgerArb(policy: PolicyDocument): fc.Arbitrary<Ledger> {
  const benefitKeys = ['inpatient', 'outpatient', 'accident', ...diseasesOf(policy).flatMap((code) => [`chronic.${code}`, `twoDiseases.${code}`, `special.${code}`])];
  const record = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), counter, { maxKeys: 4 });
  return fc
    .record({
      inpatientAdmissions: fc.integer({ min: 0, max: 5 }),
      deductibleUsed: record(['inpatient', 'outpatient', 'chronic', 'twoDiseases', 'special', 'accident']),
      benefitPaid: record(benefitKeys),
      fundPaidByCap: record(policy.fundCaps.map((cap) => cap.id).concat('other')),
      inPolicyCost: record(['inpatient']),
      costAfterDeductible: record(['inpatient']),
      majorIllnessBurden: counter,
      majorIllnessPaid: counter,
    })
    .map((fields) => ledgerSchema.parse({ policyYear: 2025, ...fields }));
}

const policyArb = fc.constantFrom(...samplePolicies);
const scenario = policyArb.chain((policy) => fc.tuple(fc.constant(policy), claimArb(policy), ledgerArb(policy)));

const paidParts = ['fundPays', 'majorIllnessPays', 'allowances', 'totalPaid', 'claimantPays', 'inPolicy'] as const;

describe('engine properties', () => {
  it('never negative, parts add up, paid ≤ total, caps never pushed past (any ledger)', () => {
    fc.assert(
      fc.property(scenario, ([policy, claim, ledger]) => {
        const out = estimate(claim, policy, ledger);
        expect(invariantViolations(out, resolvePolicy(policy, dateOfService(claim.visit)), ledger)).toEqual([]);
      }),
      { numRuns: 600 },
    );
  });

  it('is deterministic and does not touch its input', () => {
    fc.assert(
      fc.property(scenario, ([policy, claim, ledger]) => {
        const claimCopy = structuredClone(claim);
        const ledgerCopy = structuredClone(ledger);
        const first = estimate(claim, policy, ledger);
        const second = estimate(claim, policy, ledger);
        expect(second).toEqual(first);
        expect(claim).toEqual(claimCopy);
        expect(ledger).toEqual(ledgerCopy);
      }),
      { numRuns: 150 },
    );
  });

  it('does not depend on the order of the line items', () => {
    fc.assert(
      fc.property(
        scenario.chain(([policy, claim, ledger]) =>
          fc.tuple(fc.constant(policy), fc.constant(claim), fc.constant(ledger), fc.array(fc.double({ noNaN: true }), { minLength: claim.lineItems.length, maxLength: claim.lineItems.length })),
        ),
        ([policy, claim, ledger, keys]) => {
          const order = claim.lineItems.map((_, index) => index).sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
          const shuffled = { ...claim, lineItems: order.map((index) => claim.lineItems[index]!) };
          expect(estimate(shuffled, policy, ledger)).toEqual(estimate(claim, policy, ledger));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('is non-decreasing in any line amount (what is paid, and what the claimant pays)', () => {
    fc.assert(
      fc.property(
        scenario.chain(([policy, claim, ledger]) =>
          fc.tuple(fc.constant(policy), fc.constant(claim), fc.constant(ledger), fc.nat({ max: claim.lineItems.length - 1 }), fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5_000_000 }))),
        ),
        ([policy, claim, ledger, index, delta]) => {
          const bigger = { ...claim, lineItems: claim.lineItems.map((line, i) => (i === index ? { ...line, amountFen: line.amountFen + delta } : line)) };
          const a = estimate(claim, policy, ledger).result;
          const b = estimate(bigger, policy, ledger).result;
          for (const key of paidParts) expect({ key, value: b[key] >= a[key] }).toEqual({ key, value: true });
          // The extra cost is shared: what is paid grows by at most the extra amount.
          expect(b.totalPaid - a.totalPaid).toBeLessThanOrEqual(delta);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('threading the ledger through any sequence of claims never exceeds an annual cap', () => {
    const sequence = policyArb.chain((policy) => fc.tuple(fc.constant(policy), fc.array(claimArb(policy, 6), { minLength: 1, maxLength: 12 })));
    fc.assert(
      fc.property(sequence, ([policy, claims]) => {
        let ledger = emptyLedger(2025);
        for (const claim of claims) {
          const out = estimate(claim, policy, ledger);
          expect(invariantViolations(out, resolvePolicy(policy, dateOfService(claim.visit)), ledger)).toEqual([]);
          ledger = out.ledgerAfter;
        }
        const resolved = resolvePolicy(policy, '2025-12-31');
        for (const cap of resolved.fundCaps) expect(ledger.fundPaidByCap[cap.id] ?? 0).toBeLessThanOrEqual(cap.amount);
        if (resolved.majorIllness) expect(ledger.majorIllnessPaid).toBeLessThanOrEqual(resolved.majorIllness.annualCap);
        if (resolved.outpatient?.annualLimit !== undefined) expect(ledger.benefitPaid.outpatient ?? 0).toBeLessThanOrEqual(resolved.outpatient.annualLimit);
        if (resolved.accident?.annualLimit !== undefined) expect(ledger.benefitPaid.accident ?? 0).toBeLessThanOrEqual(resolved.accident.annualLimit);
        if (resolved.inpatient?.deductible.annualCap !== undefined) expect(ledger.deductibleUsed.inpatient ?? 0).toBeLessThanOrEqual(resolved.inpatient.deductible.annualCap);
      }),
      { numRuns: 250 },
    );
  });
});
