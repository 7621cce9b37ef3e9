/**
 * From a platform identity (OPENID) to a Caller with roles. Roles live in the `staff` collection,
 * which an operator maintains; everyone else is a claimant.
 */
import type { Caller, Role, Store } from './ports';

export interface StaffDoc {
  _id: string; // the openid
  name: string;
  roles: Role[];
}

export async function resolveCaller(openid: string | undefined | null, store: Store): Promise<Caller | null> {
  if (!openid) return null;
  const staff = await store.collection<StaffDoc>('staff').get(openid);
  const roles: Role[] = ['claimant', ...(staff?.roles ?? []).filter((role) => role !== 'claimant')];
  return { openid, roles };
}
