/** The page of each step of a claim in progress. */
import type { DraftStep } from '../core/draftSteps';

export const stepPages: Record<DraftStep, string> = {
  guide: '/claimant/pages/claim-new/index',
  form: '/claimant/pages/claim-form/index',
  materials: '/claimant/pages/claim-materials/index',
  estimate: '/claimant/pages/claim-estimate/index',
  confirm: '/claimant/pages/claim-confirm/index',
};
