/**
 * The claim form's field binder (form items bound by name): `bind('insured.name')` gives a
 * text field its id, anchor, value, message and change handler, so a page states only labels and
 * hints. A change marks the field touched (its message shows from then on) and updates the draft.
 */
import { useState } from 'react';
import type { ClaimDraftState, FieldErrors } from '../core/claimFormDraft';
import { updateDraft } from '../services/draft';

/** The text fields of the form, each with the control id the page (and its browser tests) use. */
export const textFieldIds = {
  'insured.name': 'insured-name',
  'insured.idNumber': 'insured-id',
  'hospital.name': 'hospital-name',
  'visit.visitDate': 'visit-date',
  'visit.admissionDate': 'admission-date',
  'visit.dischargeDate': 'discharge-date',
  'payout.holderName': 'payout-holder-input',
  'payout.bankName': 'bank-name',
  'payout.accountNumber': 'account-number',
  phone: 'phone',
} as const;
export type TextPath = keyof typeof textFieldIds;

type Section = 'insured' | 'hospital' | 'visit' | 'payout';

function read(draft: ClaimDraftState, path: TextPath): string {
  if (path === 'phone') return draft.phone;
  const [section, key] = path.split('.') as [Section, string];
  return String((draft[section] as unknown as Record<string, unknown>)[key] ?? '');
}

function write(draft: ClaimDraftState, path: TextPath, value: string): ClaimDraftState {
  if (path === 'phone') return { ...draft, phone: value };
  const [section, key] = path.split('.') as [Section, string];
  return { ...draft, [section]: { ...draft[section], [key]: value } };
}

/** The DOM anchor of a field path ('visit.visitDate' → 'visit-visitDate-anchor'), where 下一步 scrolls to. */
export const anchorOf = (path: string): string => `${path.replace(/[.[\]]/g, '-')}-anchor`;

export interface BoundField {
  id: string;
  anchor: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}

export interface DraftBinder {
  bind(path: TextPath): BoundField;
  /** Any other change: marks `path` touched and applies `change`. */
  set(path: string, change: (draft: ClaimDraftState) => ClaimDraftState): void;
  errors: FieldErrors;
  showAll: boolean;
  setShowAll(value: boolean): void;
}

/** `errors` are all of the step's messages; only touched fields show theirs until 下一步 shows them all. */
export function useDraftField(
  draft: ClaimDraftState,
  allErrors: FieldErrors,
  visible: (errors: FieldErrors, touched: ReadonlySet<string>, showAll: boolean) => FieldErrors,
): DraftBinder {
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [showAll, setShowAll] = useState(false);
  const errors = visible(allErrors, touched, showAll);
  function set(path: string, change: (current: ClaimDraftState) => ClaimDraftState): void {
    setTouched((previous) => (previous.has(path) ? previous : new Set(previous).add(path)));
    updateDraft(change);
  }
  return {
    errors,
    showAll,
    setShowAll,
    set,
    bind: (path) => ({
      id: textFieldIds[path],
      anchor: anchorOf(path),
      value: read(draft, path),
      error: errors[path],
      onChange: (value) => set(path, (current) => write(current, path, value)),
    }),
  };
}
