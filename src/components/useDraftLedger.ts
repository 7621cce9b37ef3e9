/**
 * The year-to-date ledger a draft's estimate needs (起付线 used, limits left), fetched from the server for the draft's
 * person (a family member by id, else the 身份证号 typed), region, insurance type and policy year. 填写, 预估 and 确认提交
 * all compute with it, so the three show one figure (a walk: 填写 and 确认提交 estimated as if nothing had been paid this
 * year — 0.00 元 — while 预估 and the filed claim said 120.00 元). Kept a few minutes per key, so moving between the
 * steps asks once.
 */
import { useEffect, useState } from 'react';
import type { ClaimDraftState } from '../core/claimFormDraft';
import { ledgerYearOfDraft } from '../core/claimFormDraft';
import type { Ledger } from '../core/engine';
import { validateIdNumber } from '../core/identity';
import type { PolicyDocument } from '../core/policy';
import { claimsApi } from '../services/claims';

export type DraftLedgerState =
  | { state: 'loading' }
  | { state: 'ready'; ledger: Ledger; known: boolean }
  | { state: 'unavailable' };

/** Answers by key, a few minutes: the ledger moves only when a claim is settled, days apart. */
const KEEP_MS = 5 * 60_000;
const answers = new Map<string, { at: number; answer: { ledger: Ledger; known: boolean } }>();

export function useDraftLedger(
  draft: ClaimDraftState | null,
  policies: readonly PolicyDocument[],
  today: string,
): { ledger: DraftLedgerState; year: number } {
  const id = draft ? validateIdNumber(draft.insured.idNumber) : null;
  const personId = draft?.personId;
  // The policy year the visit falls in (a policy's year may start on 07-01): the ledger the engine checks against.
  const year = draft ? ledgerYearOfDraft(draft, policies, today) : 0;
  // Whose ledger: the chosen family member's (by their id on the server), else the 身份证号 typed here.
  const who = personId ? `person:${personId}` : id?.ok ? `id:${id.value}` : '';
  const region = draft?.insured.region;
  const insuranceType = draft?.insured.insuranceType;
  const key = who && region && insuranceType ? `${who}|${region}|${insuranceType}|${year}` : '';
  const kept = key ? answers.get(key) : undefined;
  const fresh = kept && Date.now() - kept.at < KEEP_MS ? kept.answer : null;
  const [ledger, setLedger] = useState<DraftLedgerState>(
    fresh ? { state: 'ready', ...fresh } : key ? { state: 'loading' } : { state: 'unavailable' },
  );

  useEffect(() => {
    if (!key || !region || !insuranceType) {
      setLedger({ state: 'unavailable' });
      return;
    }
    const known = answers.get(key);
    if (known && Date.now() - known.at < KEEP_MS) {
      setLedger({ state: 'ready', ...known.answer });
      return;
    }
    let live = true;
    setLedger({ state: 'loading' });
    const asked = personId
      ? claimsApi.personLedger({ personId, region, insuranceType, year })
      : claimsApi.myLedger({ idNumber: id?.ok ? id.value : '', region, insuranceType, year });
    asked
      .then((answer) => {
        answers.set(key, { at: Date.now(), answer });
        if (live) setLedger({ state: 'ready', ...answer });
      })
      .catch(() => live && setLedger({ state: 'unavailable' }));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fetch once per person, region, type and year
  }, [key]);

  return { ledger, year };
}

/** The ledger to estimate with: the fetched one, or none (the year's first claim) while it is loading or unavailable. */
export function ledgerOf(state: DraftLedgerState): Ledger | undefined {
  return state.state === 'ready' ? state.ledger : undefined;
}
