/**
 * What a stored claim stands for in the rules engine: the submitted form, personal fields opened,
 * with the line items as the reviewer corrected them; and the policy version it is pinned to.
 */
import { engineClaimOf, type ClaimForm } from '../../src/core/contracts/claim';
import { claimSchema, type Claim } from '../../src/core/engine';
import { DomainError } from '../../src/core/errors';
import type { PolicyDocument } from '../../src/core/policy';
import type { PolicyCatalog } from '../policies/catalog';
import type { FieldSealer } from '../security/fieldCipher';
import { openForm, type ClaimDoc } from '../repositories/claims';

/** The policy version the claim was estimated with (it stays pinned to it). */
export async function policyOf(policies: PolicyCatalog, doc: Pick<ClaimDoc, 'policy'>): Promise<PolicyDocument> {
  const pinned = doc.policy;
  const policy = pinned ? await policies.version(pinned.id, pinned.version) : undefined;
  if (!policy) throw new DomainError('POLICY_NOT_FOUND', '这份申请所用的政策已不在系统中，请联系运维人员');
  return policy;
}

/** The engine claim as the reviewer sees it now: the submitted form with corrected line items. */
export function reviewedClaim(sealer: FieldSealer, doc: ClaimDoc, lineItems = doc.reviewedLineItems): Claim {
  const form = openForm(doc, sealer) as unknown as ClaimForm | null;
  if (!form) throw new DomainError('NOT_FOUND', '这份申请没有填写内容');
  const claim = engineClaimOf(form);
  return claimSchema.parse({ ...claim, lineItems: lineItems ?? claim.lineItems });
}
