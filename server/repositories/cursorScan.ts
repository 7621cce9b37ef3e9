/**
 * Reading a collection in the order of one field, a slice a run, going on where the last run stopped: the
 * reminders' queries (server/notifications/reminders.ts) and the sweep of unattached uploads (server/files/sweep.ts).
 */
import { JOBS } from '../claims/dashboardFacts';
import { MAX_PAGE_SIZE, type Filter, type Store, type StoredDoc } from '../ports';

/**
 * Where a query stopped, in its order (`field`, then `_id`): every document up to and including the one at
 * `value` with id `lastId` is done (`lastId` null: none at `value` yet). A position, not a count: the documents
 * already read at `value` were once counted (`seen`, skipped on the next run), and one of them changing or leaving
 * the query made the next run skip one it had never read — for good, on a cursor that only moves forward.
 * Stored in `jobs` under the query's name.
 */
export interface CursorDoc extends StoredDoc {
  value: string;
  lastId: string | null;
  at: string;
}

/** What one query read, and where its cursor goes once its work is written (null: where it is). */
export interface Scanned<D> {
  docs: D[];
  cursor: CursorDoc | null;
}

/** Pages of 100 documents a query reads at most in one run, unless it says otherwise. */
export const CURSOR_PAGES = 10;

/**
 * The documents of `collection` that `filter` matches in the order of `field` (a string field; then id), after the
 * query's cursor, page after page until none is left up to `upTo` (the last value wanted, a bound of every read:
 * documents beyond it are not read at all) or `pages` pages (CURSOR_PAGES) are read. A run resumes with the documents
 * from the cursor's value on (`$gte`), less those at that value up to its id (most runs: the last one read, so one find
 * a run); after a full page, it reads the rest at the value of the page's last document by id (`_id $gt`), then those
 * past that value (`$gt`): more than a page may share one value (a filing deadline, a batch). With `valuesShared`, a
 * resume starts that way too. The cursor only moves forward: the next run goes on from where this one stopped.
 * Used by the reminders (claims by deadline, by last change, by filing) and the sweep of unattached uploads.
 */
export async function fromCursor<D extends StoredDoc>(
  store: Store,
  now: Date,
  query: {
    collection: string;
    job: string;
    filter: Filter;
    field: keyof D & string;
    /** The fields the caller reads (besides `field` and `_id`): a hint, as FindOptions `fields`. */
    fields: ReadonlyArray<keyof D & string>;
    /** Where the query starts when its cursor is behind this (a deadline already passed) or absent. */
    start: string;
    /** Where it starts when no cursor is stored, if not at `start`. */
    initial?: string;
    /**
     * Whether a page of claims or more commonly share a value (dates: hundreds of drafts share a filing deadline): a
     * resume then reads the rest at the value by id at once (two finds), instead of reading those at the value again.
     */
    valuesShared?: boolean;
    /** The last value wanted (inclusive). */
    upTo: string;
    /** Pages of 100 read at most (CURSOR_PAGES). */
    pages?: number;
  },
): Promise<Scanned<D>> {
  const stored = await store.collection<CursorDoc>(JOBS).get(query.job);
  const resumes = stored !== null && typeof stored.value === 'string' && stored.value >= query.start;
  let value = resumes ? stored.value : stored === null && query.initial !== undefined ? query.initial : query.start;
  // A cursor written before `lastId` (it counted `seen`): its claims at the value are read again, and the outbox
  // writes no card twice.
  let lastId = resumes && typeof stored.lastId === 'string' ? stored.lastId : null;
  const fields = [query.field, ...query.fields];
  const docs: D[] = [];
  const take = (batch: D[]): void => {
    for (const doc of batch) {
      docs.push(doc);
      [value, lastId] = [String(doc[query.field] ?? ''), doc._id];
    }
  };
  // Documents read (those read again at the cursor's value included), at most `pages` pages of them.
  const budget = (query.pages ?? CURSOR_PAGES) * MAX_PAGE_SIZE;
  const collection = store.collection<D>(query.collection);
  let read = 0;
  let next: 'resume' | 'atValueById' | 'pastValue' = query.valuesShared ? 'atValueById' : 'resume';
  let finished = value > query.upTo;
  while (!finished && read < budget) {
    const limit = Math.min(MAX_PAGE_SIZE, budget - read);
    if (next === 'atValueById' && lastId !== null) {
      const batch = await collection.find(
        { ...query.filter, [query.field]: value, _id: { $gt: lastId } },
        { sort: { _id: 1 }, limit, fields },
      );
      read += batch.length;
      take(batch);
      if (batch.length < limit) next = 'pastValue';
      continue;
    }
    const [from, after] = [value, lastId];
    const batch = await collection.find(
      {
        ...query.filter,
        [query.field]: next === 'pastValue' ? { $gt: from, $lte: query.upTo } : { $gte: from, $lte: query.upTo },
      },
      { sort: { [query.field]: 1, _id: 1 }, limit, fields },
    );
    read += batch.length;
    // The order is the field's, then the id's: the documents at the cursor's value up to its id come first.
    take(batch.filter((doc) => after === null || String(doc[query.field] ?? '') !== from || doc._id > after));
    finished = batch.length < limit;
    // A full page: the rest at its last document's value by id, then those past it (more than a page may share one).
    next = 'atValueById';
  }
  const moved = stored?.value !== value || stored.lastId !== lastId;
  return { docs, cursor: moved ? { _id: query.job, value, lastId, at: now.toISOString() } : null };
}
