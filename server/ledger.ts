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
  /** claimId → the result applied to this ledger. */
  entries: Record<string, EstimateResult>;
  version: number;
  updatedAt: string;
}

export function ledgerId(personKey: string, region: string, insuranceType: string, policyYear: number): string {
  return `${personKey}:${region}:${insuranceType}:${policyYear}`;
}

export async function readLedger(store: Store, personKey: string, claim: Pick<Claim, 'insured' | 'visit'>): Promise<{ doc: LedgerDoc | null; ledger: Ledger }> {
  const year = yearOf(dateOfService(claim.visit));
  const doc = await store.collection<LedgerDoc>('ledgers').get(ledgerId(personKey, claim.insured.region, claim.insured.insuranceType, year));
  return { doc, ledger: doc?.ledger ?? emptyLedger(year) };
}

const MAX_RETRIES = 50;

/** Computes the final figure for `claimId` and applies it to the person's ledger, exactly once. */
export async function settleOnLedger(store: Store, personKey: string, claimId: string, claim: Claim, policy: PolicyDocument, now: Date): Promise<EstimateResult> {
  const ledgers = store.collection<LedgerDoc>('ledgers');
  for (let attempt = 0; attempt < MAX_RETRIES; attempt += 1) {
    const { doc, ledger } = await readLedger(store, personKey, claim);
    const applied = doc?.entries[claimId];
    if (applied) return applied;
    const { result, ledgerAfter } = estimate(claim, policy, ledger);
    if (!doc) {
      const fresh: LedgerDoc = {
        _id: ledgerId(personKey, claim.insured.region, claim.insured.insuranceType, ledger.policyYear),
        personKey,
        region: claim.insured.region,
        insuranceType: claim.insured.insuranceType,
        policyYear: ledger.policyYear,
        ledger: ledgerAfter,
        entries: { [claimId]: result },
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
      { ledger: ledgerAfter, entries: { ...doc.entries, [claimId]: result }, version: doc.version + 1, updatedAt: now.toISOString() },
      { expectVersion: doc.version },
    );
    if (updated) return result;
  }
  throw new DomainError('CONFLICT', '同一参保人的结算过于频繁，请稍后重试');
}
