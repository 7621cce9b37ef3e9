/**
 * For property tests over a store that keeps its documents between runs: each run's documents carry the run's number,
 * so a filter scoped by it (`{ ...filter, run }`) sees that run's documents alone.
 */
import type { Filter, Store } from '../../server/ports';

/** Inserts the records as claims of run `run` (ids `<prefix><run>-00`…, undefined fields left out); the scoped filter. */
export async function insertRunClaims(
  store: Store,
  prefix: string,
  run: number,
  records: ReadonlyArray<Record<string, unknown>>,
  filter: Filter,
): Promise<Filter> {
  const claims = store.collection<{ _id: string }>('claims');
  for (const [index, fields] of records.entries()) {
    const stored: Record<string, unknown> = { _id: `${prefix}${run}-${String(index).padStart(2, '0')}`, run };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) stored[key] = value;
    await claims.insert(stored as { _id: string });
  }
  return { ...filter, run };
}
