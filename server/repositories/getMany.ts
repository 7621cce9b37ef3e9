/**
 * Many documents by id in as few round trips as the platform allows: one `find` per 100 ids (the
 * WeChat database returns at most 100 records a call) instead of one `get` each (issue 12: every
 * call is a round trip of 10–30 ms in the cloud).
 */
import { MAX_PAGE_SIZE, type Collection, type StoredDoc } from '../ports';

/**
 * The documents found, by id (a missing id is absent from the map); duplicates in `ids` are read once. `fields`: only
 * these are needed (a `find`'s projection; a single id is read whole).
 */
export async function getMany<T extends StoredDoc>(
  collection: Collection<T>,
  ids: readonly string[],
  fields?: readonly string[],
): Promise<Map<string, T>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, T>();
  for (let start = 0; start < unique.length; start += MAX_PAGE_SIZE) {
    const slice = unique.slice(start, start + MAX_PAGE_SIZE);
    const docs =
      slice.length === 1
        ? [await collection.get(slice[0]!)].filter((doc): doc is T => doc !== null)
        : await collection.find({ _id: { $in: slice } }, { limit: slice.length, ...(fields ? { fields } : {}) });
    for (const doc of docs) found.set(doc._id, doc);
  }
  return found;
}
