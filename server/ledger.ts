/**
 * The year-to-date ledger of one insured person, per region, insurance type and policy year: what
 * earlier claims consumed of deductibles, caps and limited benefits. Settlement computes the final
 * figure with the ledger as it stands and writes the ledger in the same step, under optimistic
 * concurrency (version field): concurrent settlements for one person retry on conflict, so no
 * annual cap is ever exceeded. Each applied claim is remembered in `entries`, so a settlement
 * retried after a crash reuses its figure instead of counting twice.
 */
import { estimate, emptyLedger, dateOfService, type Claim, type EstimateResult, type Ledger } from '../src/core/engine';
import type { PolicyDocument } from '../src/core/policy';
import { yearOf } from '../src/core/policy/dates';
import { DomainError } from '../src/core/errors';
import { StoreError, type Store } from './ports';

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
}

/** What one settlement added to each counter of the ledger (same shape, numbers only). */
export type LedgerDelta = Record<string, number | Record<string, number>>;

const ledgerCounterKeys = ['inpatientAdmissions', 'deductibleUsed', 'benefitPaid', 'fundPaidByCap', 'inPolicyCost', 'costAfterDeductible', 'majorIllnessBurden', 'majorIllnessPaid'] as const;

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
export async function ledgerFor(store: Store, personKey: string, region: string, insuranceType: string, year: number): Promise<{ doc: LedgerDoc | null; ledger: Ledger }> {
  const doc = await store.collection<LedgerDoc>('ledgers').get(ledgerId(personKey, region, insuranceType, year));
  return { doc, ledger: doc?.ledger ?? emptyLedger(year) };
}

/** The ledger a claim is computed with: its person's, for the year of its date of service. */
export function readLedger(store: Store, personKey: string, claim: Pick<Claim, 'insured' | 'visit'>): Promise<{ doc: LedgerDoc | null; ledger: Ledger }> {
  return ledgerFor(store, personKey, claim.insured.region, claim.insured.insuranceType, yearOf(dateOfService(claim.visit)));
}

const MAX_RETRIES = 50;

/** Computes the final figure for `claimId` and applies it to the person's ledger, exactly once. */
export async function settleOnLedger(store: Store, personKey: string, claimId: string, claim: Claim, policy: PolicyDocument, now: Date): Promise<EstimateResult> {
  const ledgers = store.collection<LedgerDoc>('ledgers');
  for (let attempt = 0; attempt < MAX_RETRIES; attempt += 1) {
    const { doc, ledger } = await readLedger(store, personKey, claim);
    const applied = doc?.entries[claimId];
    if (applied) return applied.result;
    const { result, ledgerAfter } = estimate(claim, policy, ledger);
    if (!doc) {
      const fresh: LedgerDoc = {
        _id: ledgerId(personKey, claim.insured.region, claim.insured.insuranceType, ledger.policyYear),
        personKey,
        region: claim.insured.region,
        insuranceType: claim.insured.insuranceType,
        policyYear: ledger.policyYear,
        ledger: ledgerAfter,
        entries: { [claimId]: { result, delta: ledgerDelta(ledger, ledgerAfter) } },
        version: 1,
        updatedAt: now.toISOString(),
      };
      try {
        await ledgers.insert(fresh);
        return result;
      } catch (error) {
        if (error instanceof StoreError && error.code === 'DUPLICATE_KEY') continue;
        throw error;
      }
    }
    const updated = await ledgers.update(
      doc._id,
      { ledger: ledgerAfter, entries: { ...doc.entries, [claimId]: { result, delta: ledgerDelta(ledger, ledgerAfter) } }, version: doc.version + 1, updatedAt: now.toISOString() },
      { expectVersion: doc.version },
    );
    if (updated) return result;
  }
  throw new DomainError('CONFLICT', '同一参保人的结算过于频繁，请稍后重试');
}

/** Takes a settlement back out of the ledger (复核退回, or a settlement that lost its claim update). */
export async function reverseOnLedger(store: Store, personKey: string, claimId: string, claim: Pick<Claim, 'insured' | 'visit'>, now: Date): Promise<void> {
  const ledgers = store.collection<LedgerDoc>('ledgers');
  for (let attempt = 0; attempt < MAX_RETRIES; attempt += 1) {
    const { doc } = await readLedger(store, personKey, claim);
    const entry = doc?.entries[claimId];
    if (!doc || !entry) return;
    const { [claimId]: removed, ...rest } = doc.entries;
    void removed;
    const updated = await ledgers.update(
      doc._id,
      { ledger: subtractDelta(doc.ledger, entry.delta), entries: rest, version: doc.version + 1, updatedAt: now.toISOString() },
      { expectVersion: doc.version },
    );
    if (updated) return;
  }
  throw new DomainError('CONFLICT', '年度累计正在被其他操作更新，请稍后重试');
}
