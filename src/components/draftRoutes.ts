/** The page of each step of a claim in progress. */
import type { DraftStep } from '../core/claimFormDraft';

export const stepPages: Record<DraftStep, string> = {
  guide: '/pages/claim-new/index',
  form: '/pages/claim-form/index',
  materials: '/pages/claim-materials/index',
  estimate: '/pages/claim-estimate/index',
  confirm: '/pages/claim-confirm/index',
};
