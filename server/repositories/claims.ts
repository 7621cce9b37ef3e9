/**
 * The claims collection as the handlers see it. Every claim belongs to the person who filed it
 * (`_openid`, set here from the caller — never from the request).
 */
import { randomUUID } from 'node:crypto';
import type { ClaimStatus, ClaimSummary } from '../../src/core/contracts/claimDraft';
import type { Collection, Store } from '../ports';

export interface ClaimDoc {
  _id: string;
  _openid: string;
  requestId: string;
  title: string;
  amountFen: number;
  status: ClaimStatus;
  /** Optimistic concurrency: every update must name the version it read and bump it. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function newClaimId(): string {
  return randomUUID().replace(/-/g, '');
}

export function claimsOf(store: Store): Collection<ClaimDoc> {
  return store.collection<ClaimDoc>('claims');
}

export function toSummary(doc: ClaimDoc): ClaimSummary {
  return {
    id: doc._id,
    title: doc.title,
    amountFen: doc.amountFen,
    status: doc.status,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
