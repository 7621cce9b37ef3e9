/**
 * Where the claim in progress is kept on the device: one key per person (in the mini-program storage is already per
 * WeChat user; in H5 per dev login). Only Taro storage and the session, no zod and no core code: 首页 reads the draft
 * for its first paint from here (issue 13) while services/draft, which resumes the photo uploads and saves to the
 * server, loads after it.
 */
import Taro from '@tarojs/taro';
import type { ClaimDraftState } from '../core/claimFormDraft';
import { getDevUser, needsDevLogin } from './session';

/** The key the draft is kept under now (it changes with the dev login). */
export function draftStorageKey(): string {
  return needsDevLogin ? `claim.draft.current.${getDevUser()?.key ?? 'anonymous'}` : 'claim.draft.current';
}

/** The draft kept on the device, or null (none, or not a draft this build knows). */
export function readStoredDraft(): ClaimDraftState | null {
  try {
    const raw = Taro.getStorageSync(draftStorageKey()) as unknown;
    const value = typeof raw === 'string' && raw ? (JSON.parse(raw) as ClaimDraftState) : null;
    return value && value.version === 1 && typeof value.localId === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function writeStoredDraft(draft: ClaimDraftState | null): void {
  if (draft) Taro.setStorageSync(draftStorageKey(), JSON.stringify(draft));
  else Taro.removeStorageSync(draftStorageKey());
}

/** The personal values typed into a draft, kept on the device while the draft is put aside (the server keeps them masked). */
export interface TypedPersonalFields {
  idNumber: string;
  accountNumber: string;
  phone: string;
}

const personalKey = (serverId: string): string => `${draftStorageKey()}.personal.${serverId}`;

/**
 * What was typed into a draft put aside on this device, or null. A draft reopened from the server has its personal
 * values masked, and a person's 身份证号 typed here an hour before came back empty (a walk switching between two drafts).
 */
export function readTypedPersonalFields(serverId: string): TypedPersonalFields | null {
  try {
    const raw = Taro.getStorageSync(personalKey(serverId)) as unknown;
    const value = typeof raw === 'string' && raw ? (JSON.parse(raw) as Partial<TypedPersonalFields>) : null;
    return value && typeof value.idNumber === 'string'
      ? { idNumber: value.idNumber, accountNumber: value.accountNumber ?? '', phone: value.phone ?? '' }
      : null;
  } catch {
    return null;
  }
}

export function writeTypedPersonalFields(serverId: string, fields: TypedPersonalFields | null): void {
  if (fields) Taro.setStorageSync(personalKey(serverId), JSON.stringify(fields));
  else Taro.removeStorageSync(personalKey(serverId));
}
