/**
 * The year-to-date ledger of one insured person, per region, insurance type and policy year: what
 * earlier claims consumed of deductibles, caps and limited benefits. One document per person and
 * year, addressed by a computed id (`ledgerId`), so the settling transition reads and writes it in
 * its own transaction: concurrent settlements for one person are serialised by the store, and no
 * annual cap is ever exceeded. Each applied claim is remembered in `entries` with what it added,
 * so 复核退回 takes out exactly that — and only the transition that reverses the settlement does.
 */
import { estimate, emptyLedger, dateOfService, type Claim, type EstimateResult, type Ledger } from '../src/core/engine';
import { policyYearOf, type PolicyDocument } from '../src/core/policy';
import { yearOf } from '../src/core/policy/dates';
import type { Store, Transaction } from './ports';
import { DomainError } from '../src/core/errors';
import { claimNumberOf } from '../src/core/claimNumber';

export interface LedgerDoc {
  _id: string;
  personKey: string;
  region: string;
  insuranceType: string;
  policyYear: number;
  ledger: Ledger;
  /** claimId → the result applied to this ledger and what it added (to reverse it exactly). */
  entries: Record<string, LedgerEntry>;
  version: number;
  updatedAt: string;
}

export interface LedgerEntry {
  result: EstimateResult;
  delta: LedgerDelta;
  /** The ledger's version this settlement made: the order of settlement (absent on entries written before it was kept). */
  seq?: number;
}

/** What one settlement added to each counter of the ledger (same shape, numbers only). */
export type LedgerDelta = Record<string, number | Record<string, number>>;

const ledgerCounterKeys = [
  'inpatientAdmissions',
  'deductibleUsed',
  'benefitPaid',
  'fundPaidByCap',
  'inPolicyCost',
  'costAfterDeductible',
  'majorIllnessBurden',
  'majorIllnessPaid',
] as const;

export function ledgerDelta(before: Ledger, after: Ledger): LedgerDelta {
  const delta: LedgerDelta = {};
  for (const key of ledgerCounterKeys) {
    const a = before[key];
    const b = after[key];
    if (typeof a === 'number' && typeof b === 'number') {
      if (b !== a) delta[key] = b - a;
      continue;
    }
    const inner: Record<string, number> = {};
    const beforeMap = a as Record<string, number>;
    const afterMap = b as Record<string, number>;
    for (const name of new Set([...Object.keys(beforeMap), ...Object.keys(afterMap)])) {
      const change = (afterMap[name] ?? 0) - (beforeMap[name] ?? 0);
      if (change !== 0) inner[name] = change;
    }
    if (Object.keys(inner).length > 0) delta[key] = inner;
  }
  return delta;
}

/** The ledger without one settlement's contribution (never below zero). */
export function subtractDelta(ledger: Ledger, delta: LedgerDelta): Ledger {
  const next = structuredClone(ledger) as Ledger;
  for (const [key, change] of Object.entries(delta)) {
    const field = key as (typeof ledgerCounterKeys)[number];
    if (typeof change === 'number') {
      (next as unknown as Record<string, number>)[field] = Math.max(0, (next[field] as number) - change);
      continue;
    }
    const map = next[field] as Record<string, number>;
    for (const [name, amount] of Object.entries(change)) map[name] = Math.max(0, (map[name] ?? 0) - amount);
  }
  return next;
}

export function ledgerId(personKey: string, region: string, insuranceType: string, policyYear: number): string {
  return `${personKey}:${region}:${insuranceType}:${policyYear}`;
}

/** One person's ledger for a region, insurance type and policy year (an empty year when none yet). */
export async function ledgerFor(
  store: Store,
  personKey: string,
  region: string,
  insuranceType: string,
  year: number,
): Promise<{ doc: LedgerDoc | null; ledger: Ledger }> {
  const doc = await store.collection<LedgerDoc>('ledgers').get(ledgerId(personKey, region, insuranceType, year));
  return { doc, ledger: doc?.ledger ?? emptyLedger(year) };
}

/**
 * The policy year of a claim's date of service: the policy's own (医保年度, `policyYearStart`) when the
 * policy is given, else the calendar year (the same for every policy whose year starts on 1 January).
 */
function claimYear(claim: Pick<Claim, 'visit'>, policy?: Pick<PolicyDocument, 'policyYearStart'>): number {
  const date = dateOfService(claim.visit);
  return policy ? policyYearOf(policy, date) : yearOf(date);
}

/** The ledger a claim is computed with: its person's, for the policy year of its date of service. */
export function readLedger(
  store: Store,
  personKey: string,
  claim: Pick<Claim, 'insured' | 'visit'>,
  policy?: Pick<PolicyDocument, 'policyYearStart'>,
): Promise<{ doc: LedgerDoc | null; ledger: Ledger }> {
  return ledgerFor(store, personKey, claim.insured.region, claim.insured.insuranceType, claimYear(claim, policy));
}

/** The ledger a claim is computed with, read inside a transaction. */
export async function ledgerInTransaction(
  tx: Transaction,
  personKey: string,
  claim: Pick<Claim, 'insured' | 'visit'>,
  policy?: Pick<PolicyDocument, 'policyYearStart'>,
): Promise<{ doc: LedgerDoc | null; ledger: Ledger }> {
  const year = claimYear(claim, policy);
  const doc = await tx.get<LedgerDoc>(
    'ledgers',
    ledgerId(personKey, claim.insured.region, claim.insured.insuranceType, year),
  );
  return { doc, ledger: doc?.ledger ?? emptyLedger(year) };
}

/**
 * Applies a claim's settlement to its person's year ledger inside the settling transition's
 * transaction: the final figure is computed with the ledger as it stands in that transaction, and
 * the ledger remembers it under the claim's id (a repeat finds it and adds nothing).
 */
export async function applyOnLedger(
  tx: Transaction,
  settlement: { personKey: string; claimId: string; claim: Claim; policy: PolicyDocument; now: Date },
): Promise<{ result: EstimateResult; ledgerId: string }> {
  const { personKey, claimId, claim, policy, now } = settlement;
  const year = claimYear(claim, policy);
  const id = ledgerId(personKey, claim.insured.region, claim.insured.insuranceType, year);
  const doc = await tx.get<LedgerDoc>('ledgers', id);
  const applied = doc?.entries[claimId];
  if (applied) return { result: applied.result, ledgerId: id };
  const ledger = doc?.ledger ?? emptyLedger(year);
  const { result, ledgerAfter } = estimate(claim, policy, ledger);
  await tx.set<LedgerDoc>('ledgers', {
    _id: id,
    personKey,
    region: claim.insured.region,
    insuranceType: claim.insured.insuranceType,
    policyYear: ledger.policyYear,
    ledger: ledgerAfter,
    entries: {
      ...(doc?.entries ?? {}),
      [claimId]: { result, delta: ledgerDelta(ledger, ledgerAfter), seq: (doc?.version ?? 0) + 1 },
    },
    version: (doc?.version ?? 0) + 1,
    updatedAt: now.toISOString(),
  });
  return { result, ledgerId: id };
}

/**
 * Takes a claim's settlement back out of its ledger (复核退回), inside that transition's transaction. Only the latest
 * settlement on the ledger: one settled after it was figured on it (its 起付线 already taken, its caps nearer), so
 * taking the earlier one back first left the later one paid as if it were still there (a probe: 复核退回 then 退回 of
 * the first of two claims left the second paid without the 起付线, 200.00 元 over). LATER_SETTLEMENTS names them.
 */
export async function reverseOnLedger(tx: Transaction, id: string, claimId: string, now: Date): Promise<void> {
  const doc = await tx.get<LedgerDoc>('ledgers', id);
  const entry = doc?.entries[claimId];
  if (!doc || !entry) return;
  const later = Object.entries(doc.entries)
    .filter(([other, settled]) => other !== claimId && (settled.seq ?? 0) > (entry.seq ?? 0))
    .sort(([, a], [, b]) => (b.seq ?? 0) - (a.seq ?? 0))
    .map(([other]) => other);
  if (later.length > 0) {
    // Named as the reviewer finds them: by title and 申请编号 (a number alone was found nowhere on the pages, a walk).
    const named = await Promise.all(
      later.map(async (other) => {
        const title = (await tx.get<{ _id: string; title?: string }>('claims', other))?.title;
        return `${title ? `「${title}」` : ''}申请编号 ${claimNumberOf(other)}`;
      }),
    );
    throw new DomainError(
      'LATER_SETTLEMENTS',
      `这位参保人本年度在这份申请之后还结算了 ${later.length} 份申请（${named.join('、')}），它们是在这份的基础上算的（起付线、封顶线）。请先复核退回它们，再退回这份；已支付的请按经办机构的追回流程处理。`,
      { details: { claimIds: later } },
    );
  }
  const entries = { ...doc.entries };
  delete entries[claimId];
  await tx.set<LedgerDoc>('ledgers', {
    ...doc,
    ledger: subtractDelta(doc.ledger, entry.delta),
    entries,
    version: doc.version + 1,
    updatedAt: now.toISOString(),
  });
}
