/**
 * The effects transitions own (src/core/workflow `effects`), each written in the transition's own
 * transaction and keyed by the claim: the receipt registry (`receiptKeys/<key>`) and the person's
 * year ledger (`ledgers/<person:region:type:year>`). An effect returns what it adds to the
 * transition's input (the settled figures) and to the claim (what it holds now).
 */
import { DomainError } from '../../src/core/errors';
import type { PolicyCatalog } from '../policies/catalog';
import type { TransitionEffect, TransitionInput } from '../../src/core/workflow';
import { applyOnLedger, reverseOnLedger } from '../ledger';
import type { Transaction } from '../ports';
import { releaseReceipts, reserveReceipts, type ReceiptKey } from '../receipts/registry';
import type { ClaimDoc } from '../repositories/claims';
import type { FieldSealer } from '../security/fieldCipher';
import { policyOf, reviewedClaim } from './facts';

/** What the effects need that is read before the transaction (by queries a transaction cannot make). */
export interface Prepared {
  receiptKeys?: readonly ReceiptKey[];
  /** The claim's title as the registry names it to whoever files the same receipt again. */
  claimTitle?: string;
}

export interface EffectContext {
  tx: Transaction;
  doc: ClaimDoc;
  now: Date;
  sealer: FieldSealer;
  policies: PolicyCatalog;
  prepared: Prepared;
}

export interface EffectOutcome {
  input: Partial<TransitionInput>;
  patch: Partial<ClaimDoc>;
}

const effects: Record<TransitionEffect, (context: EffectContext) => Promise<EffectOutcome>> = {
  async 'receipts.reserve'({ tx, doc, now, prepared }) {
    const held = await reserveReceipts(
      tx,
      { id: doc._id, owner: doc._openid, title: prepared.claimTitle ?? doc.title },
      prepared.receiptKeys ?? [],
      now,
    );
    return { input: {}, patch: { heldReceiptKeys: [...new Set([...(doc.heldReceiptKeys ?? []), ...held])] } };
  },

  async 'receipts.release'({ tx, doc }) {
    await releaseReceipts(tx, doc._id, doc.heldReceiptKeys ?? []);
    return { input: {}, patch: { heldReceiptKeys: [] } };
  },

  async 'ledger.apply'({ tx, doc, now, sealer, policies }) {
    if (!doc.personKey) throw new DomainError('NOT_FOUND', '这份申请缺少参保人信息');
    const policy = await policyOf(policies, doc);
    const { result, ledgerId } = await applyOnLedger(tx, {
      personKey: doc.personKey,
      claimId: doc._id,
      claim: reviewedClaim(sealer, doc),
      policy,
      now,
    });
    const figures = {
      fundPays: result.fundPays,
      majorIllnessPays: result.majorIllnessPays,
      allowances: result.allowances,
      totalPaid: result.totalPaid,
    };
    return {
      input: { figures, policyVersion: `${policy.id}@${policy.version}` },
      patch: { settlement: result, paidFen: result.totalPaid, ledgerId },
    };
  },

  async 'ledger.reverse'({ tx, doc, now }) {
    if (doc.ledgerId) await reverseOnLedger(tx, doc.ledgerId, doc._id, now);
    return { input: {}, patch: { settlement: null, paidFen: null, ledgerId: null } };
  },
};

/** Runs a transition's effects in order; their inputs and patches merged. */
export async function runEffects(names: readonly TransitionEffect[], context: EffectContext): Promise<EffectOutcome> {
  const outcome: EffectOutcome = { input: {}, patch: {} };
  for (const name of names) {
    const { input, patch } = await effects[name](context);
    Object.assign(outcome.input, input);
    Object.assign(outcome.patch, patch);
  }
  return outcome;
}
