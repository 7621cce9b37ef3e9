/**
 * The claimant's side of the review browser test, through the local cloud's HTTP API (as the H5
 * app would call it): dev login, photo uploads, submit, 补件 answers, cards and the claim itself.
 */
import type { ClaimFormInput } from '../../../src/core/contracts/claim';
import { shanghaiDate } from '../../../src/core/deadline';
import type { MaterialId } from '../../../src/core/materials';
import { jpegBytes, validForm, requiredMaterialIds } from '../../support/fixtures';

export type DevUserKey = 'zhangsan' | 'lisi' | 'reviewer' | 'reviewer2';

interface Envelope<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string };
}

export async function devToken(base: string, user: DevUserKey): Promise<string> {
  const response = await fetch(`${base}/api/dev/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  const body = (await response.json()) as Envelope<{ token: string }>;
  if (!body.ok || !body.data) throw new Error(`dev login ${user} failed: ${JSON.stringify(body.error)}`);
  return body.data.token;
}

/** Calls a function action; resolves with the whole envelope (refusals included). */
export async function callFn<T>(
  base: string,
  token: string,
  name: string,
  action: string,
  payload: unknown,
  requestId?: string,
): Promise<Envelope<T>> {
  const response = await fetch(`${base}/api/fn/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ action, payload, ...(requestId ? { requestId } : {}) }),
  });
  return (await response.json()) as Envelope<T>;
}

/** Like callFn, but throws on a refusal. */
export async function ok<T>(
  base: string,
  token: string,
  name: string,
  action: string,
  payload: unknown,
  requestId?: string,
): Promise<T> {
  const result = await callFn<T>(base, token, name, action, payload, requestId);
  if (!result.ok) throw new Error(`${name}.${action} refused: ${JSON.stringify(result.error)}`);
  return result.data as T;
}

/** A claim as a reviewer's page loads it: its id, status and version, what every review step sends. */
export async function loadedClaim(
  base: string,
  token: string,
  id: string,
): Promise<{ id: string; expectedStatus: string; expectedVersion: number }> {
  const claim = await ok<{ status: string; version: number }>(base, token, 'review', 'get', { id });
  return { id, expectedStatus: claim.status, expectedVersion: claim.version };
}

/** 结算's payload as the reviewer page sends it: the claim as loaded, and the figure its 结算预估 showed (0 if none). */
export async function loadedForSettle(
  base: string,
  token: string,
  id: string,
): Promise<{ id: string; expectedStatus: string; expectedVersion: number; expectedPaidFen: number }> {
  const claim = await ok<{ status: string; version: number; settlementPreview: { totalPaid: number } | null }>(
    base,
    token,
    'review',
    'get',
    { id },
  );
  return {
    id,
    expectedStatus: claim.status,
    expectedVersion: claim.version,
    expectedPaidFen: claim.settlementPreview?.totalPaid ?? 0,
  };
}

/** Uploads a JPEG whose pixels show `label` (distinct labels give distinct photos: the server refuses a photo filed twice). */
export async function uploadJpeg(base: string, token: string, label: string): Promise<string> {
  return uploadPhoto(base, token, `${label}.jpg`, await jpegBytes(label));
}

/** Uploads the JPEG `bytes` (a generated receipt, say) as `name`; its fileID. */
export async function uploadPhoto(base: string, token: string, name: string, bytes: Uint8Array): Promise<string> {
  const response = await fetch(`${base}/api/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${token}` },
    body: new Uint8Array(bytes),
  });
  const body = (await response.json()) as Envelope<{ fileID: string }>;
  if (!body.ok || !body.data) throw new Error(`upload failed: ${JSON.stringify(body.error)}`);
  return body.data.fileID;
}

export async function uploadEach(
  base: string,
  token: string,
  ids: readonly MaterialId[],
  tag: string,
): Promise<Partial<Record<MaterialId, string[]>>> {
  const materials: Partial<Record<MaterialId, string[]>> = {};
  for (const id of ids) materials[id] = [await uploadJpeg(base, token, `${id} ${tag}`)];
  return materials;
}

/** A valid claim visited ten days ago (inside the 90-day filing window of the 大连 sample policy), every required photo uploaded, submitted. */
export async function submitClaim(
  base: string,
  token: string,
  hospitalName: string,
  requestId: string,
): Promise<string> {
  const visitDate = shanghaiDate(new Date(Date.now() - 10 * 86_400_000));
  const form: ClaimFormInput = validForm({ hospital: { name: hospitalName, level: 3 }, visit: { visitDate } });
  const required = requiredMaterialIds(form);
  const materials = await uploadEach(base, token, required, requestId);
  const submitted = await ok<{ id: string; status: string }>(
    base,
    token,
    'claims',
    'submit',
    { form: { ...form, materials } },
    requestId,
  );
  if (submitted.status !== 'submitted') throw new Error(`submit left the claim in ${submitted.status}`);
  return submitted.id;
}

export interface ClaimantView {
  status: string;
  paidFen: number | null;
  timeline: { steps: Array<{ key: string; state: string }>; branch?: { key: string } };
  events: Array<{ action: string; role: string }>;
}

export interface Card {
  claimId: string;
  status: string;
  title: string;
  body: string;
}

export async function cardsOf(base: string, token: string): Promise<Card[]> {
  return (await ok<{ items: Card[] }>(base, token, 'notifications', 'list', { pageSize: 50 })).items;
}
