/**
 * Claim and notification queries and mutations of the app, one typed function per action of the
 * `claims` and `notifications` functions (inputs and outputs as server/handlers define them).
 */
import type { ClaimStatus, ClaimSummary, Page } from '../core/contracts/claimDraft';
import type { EstimateResult, Ledger } from '../core/engine';
import type { MaterialId } from '../core/materials';
import type { InsuranceType } from '../core/policy/schema';
import type { AuditEvent, Timeline } from '../core/workflow';
import { call } from './cloud';

export interface ClaimListItem extends ClaimSummary {
  dueDate: string | null;
  submittedAt: string | null;
  paidFen: number | null;
  estimateFundFen: number | null;
}

export interface ClaimDetail extends ClaimListItem {
  form: Record<string, unknown> | null;
  materials: Partial<Record<MaterialId, string[]>>;
  policy: { id: string; version: string; title: string; sample: boolean } | null;
  estimate: EstimateResult | null;
  reviewEstimate: EstimateResult | null;
  settlement: EstimateResult | null;
  requestedMaterials: MaterialId[];
  supplementReason: string | null;
  paperOriginalsRequired: boolean;
  paperOriginalsReceived: boolean;
  timeline: Timeline;
  events: AuditEvent[];
  actions: string[];
}

export interface NotificationCard {
  id: string;
  claimId: string;
  status: ClaimStatus | string;
  title: string;
  body: string;
  amountFen: number | null;
  createdAt: string;
  read: boolean;
}

export type SubscribeKey = 'accepted' | 'result' | 'paid';

export const claimsApi = {
  saveDraft: (input: { id?: string; form: Record<string, unknown>; materials: Record<string, string[]> }, requestId: string) => call<ClaimSummary>('claims', 'saveDraft', input, { requestId }),
  submit: (input: { id?: string; form: unknown }, requestId: string) => call<ClaimSummary>('claims', 'submit', input, { requestId }),
  listMine: (page = 1, status: 'active' | 'all' = 'all') => call<Page<ClaimListItem>>('claims', 'listMine', { page, status }),
  get: (id: string) => call<ClaimDetail>('claims', 'get', { id }),
  withdraw: (id: string) => call<ClaimSummary>('claims', 'withdraw', { id }),
  answerSupplement: (id: string, materials: Record<string, string[]>) => call<ClaimSummary>('claims', 'answerSupplement', { id, materials }),
  myLedger: (input: { idNumber: string; region: string; insuranceType: InsuranceType; year: number }) => call<{ ledger: Ledger; known: boolean }>('claims', 'myLedger', input),
};

export const notificationsApi = {
  list: (page = 1) => call<Page<NotificationCard> & { unread: number }>('notifications', 'list', { page }),
  unreadCount: () => call<{ unread: number }>('notifications', 'unreadCount', {}),
  markRead: (ids: string[]) => call<{ updated: number }>('notifications', 'markRead', { ids }),
  recordSubscriptions: (results: Partial<Record<SubscribeKey, string>>) => call<{ granted: string[] }>('notifications', 'recordSubscriptions', { results }),
};
