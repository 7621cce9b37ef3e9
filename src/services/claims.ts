/**
 * Claim and notification queries and mutations of the app, one typed function per action of the
 * `claims` and `notifications` functions (inputs and outputs as server/handlers define them).
 */
import type { ClaimStatus, ClaimSummary, Page } from '../core/contracts/claimDraft';
import type { RecordOriginalsSentInput } from '../core/contracts/claims';
import type { PersonInput, PersonView, RemovePersonInput } from '../core/contracts/persons';
import type { ClaimDetail, ClaimListItem, NotificationCard } from '../core/contracts/views';
import type { Ledger } from '../core/engine';
import type { InsuranceType } from '../core/policy/schema';
import { call } from './cloud';

export type { ClaimDetail, ClaimListItem, NotificationCard } from '../core/contracts/views';
export type { PersonView } from '../core/contracts/persons';

export type SubscribeKey = 'accepted' | 'result' | 'paid';

export const claimsApi = {
  saveDraft: (
    input: { id?: string; form: Record<string, unknown>; materials: Record<string, string[]> },
    requestId: string,
  ) => call<ClaimSummary>('claims', 'saveDraft', input, { requestId }),
  submit: (input: { id?: string; form: unknown }, requestId: string) =>
    call<ClaimSummary>('claims', 'submit', input, { requestId }),
  listMine: (page = 1, status: 'active' | 'all' = 'all') =>
    call<Page<ClaimListItem>>('claims', 'listMine', { page, status }),
  get: (id: string) => call<ClaimDetail>('claims', 'get', { id }),
  /** `expectedStatus`: the status the person saw (a claim moved since answers CONFLICT). */
  withdraw: (id: string, expectedStatus: ClaimStatus) =>
    call<ClaimSummary>('claims', 'withdraw', { id, expectedStatus }),
  /** A new draft with a withdrawn or rejected claim's form and photos (`requestId`: one draft however often it is sent). */
  refile: (id: string, requestId: string) => call<ClaimSummary>('claims', 'refile', { id }, { requestId }),
  /** 删除草稿: the caller's own draft only (a filed claim is withdrawn instead). */
  deleteDraft: (id: string) => call<{ id: string }>('claims', 'deleteDraft', { id }),
  answerSupplement: (id: string, materials: Record<string, string[]>) =>
    call<ClaimSummary>('claims', 'answerSupplement', { id, materials }),
  recordOriginalsSent: (input: RecordOriginalsSentInput) => call<ClaimSummary>('claims', 'recordOriginalsSent', input),
  listPersons: () => call<{ items: PersonView[] }>('claims', 'listPersons', {}),
  savePerson: (input: PersonInput, requestId: string) => call<PersonView>('claims', 'savePerson', input, { requestId }),
  removePerson: (id: string) => call<{ id: string }>('claims', 'removePerson', { id } satisfies RemovePersonInput),
  personLedger: (input: { personId: string; region: string; insuranceType: InsuranceType; year: number }) =>
    call<{ ledger: Ledger; known: boolean }>('claims', 'personLedger', input),
  myLedger: (input: { idNumber: string; region: string; insuranceType: InsuranceType; year: number }) =>
    call<{ ledger: Ledger; known: boolean }>('claims', 'myLedger', input),
};

export const notificationsApi = {
  list: (page = 1) => call<Page<NotificationCard> & { unread: number }>('notifications', 'list', { page }),
  unreadCount: () => call<{ unread: number }>('notifications', 'unreadCount', {}),
  markRead: (ids: string[]) => call<{ updated: number }>('notifications', 'markRead', { ids }),
  markAllRead: () => call<{ updated: number }>('notifications', 'markAllRead', {}),
  recordSubscriptions: (results: Partial<Record<SubscribeKey, string>>) =>
    call<{ granted: string[] }>('notifications', 'recordSubscriptions', { results }),
};
