/** Test helper: a reviewer's step as the reviewer page sends it — with the status (and version) the reviewer saw. */
import type { ClaimDoc } from '../../server/repositories/claims';
import type { Store } from '../../server/ports';

const steps = new Set([
  'decide',
  'settle',
  'verify',
  'receiveOriginals',
  'editLineItems',
  'closeWithoutPayment',
  'fastPass',
]);

/** `payload` with `expectedStatus` (and `expectedVersion`) of the claim as stored now, for review steps on a claim. */
export async function asSeen(store: Store, action: string, payload: unknown): Promise<unknown> {
  if (!steps.has(action) || !payload || typeof payload !== 'object' || !('id' in payload)) return payload;
  const doc = await store.collection<ClaimDoc>('claims').get(String((payload as { id: unknown }).id));
  return doc ? { expectedStatus: doc.status, expectedVersion: doc.version, ...payload } : payload;
}

/** The claim's version as stored now: what a reviewer who loaded it now would send as `expectedVersion`. */
export async function versionOf(store: Store, id: string): Promise<number> {
  const doc = await store.collection<ClaimDoc>('claims').get(id);
  if (!doc) throw new Error(`versionOf: no claim ${id}`);
  return doc.version;
}
