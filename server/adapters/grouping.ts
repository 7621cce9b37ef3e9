/**
 * What every store's `groupCount` shares: the key a stored value groups under (a JSON scalar; null for a
 * missing field, an explicit null, an object or an array), the merge of the groups a database answered
 * (SQL tells a missing field from a stored null, and gives JSON texts), and the same counting over
 * documents in JavaScript — nedb's way, and the reference the stores' contract tests compare with.
 */
import { MAX_GROUPS, StoreError, type Group, type GroupKeyValue } from '../ports';

/** The group key of a stored value: strings, numbers and booleans as they are, anything else null. */
export function groupKeyValue(value: unknown): GroupKeyValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
}

/** A field's value in a document, `a.b` reaching into objects. */
export function valueAt(doc: unknown, field: string): unknown {
  let value: unknown = doc;
  for (const key of field.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Refuses `by` fields no store can group by the same way (`_id` is a column in SQL, not a JSON value). */
export function checkGroupFields(by: readonly string[], sum?: string): void {
  if (by.length === 0) throw new Error('groupCount needs at least one field to group by');
  for (const field of [...by, ...(sum === undefined ? [] : [sum])])
    if (field === '_id' || field.startsWith('_id.')) throw new Error('groupCount cannot group by or add up _id');
}

/** Adds up groups answered in parts (SQL's missing and null, the same key twice) into one group per key. */
export class GroupMerger {
  private readonly groups = new Map<string, Group>();

  add(key: readonly unknown[], count: number, sum: number): void {
    const normalised = key.map(groupKeyValue);
    const text = JSON.stringify(normalised);
    const group = this.groups.get(text);
    if (group) {
      group.count += count;
      group.sum += sum;
    } else this.groups.set(text, { key: normalised, count, sum });
  }

  result(): Group[] {
    if (this.groups.size > MAX_GROUPS)
      throw new StoreError('TOO_MANY_GROUPS', `groupCount answered ${this.groups.size} groups (at most ${MAX_GROUPS})`);
    return [...this.groups.values()];
  }
}

/** `groupCount` over documents already read (nedb; the contract tests' reference). */
export function groupDocuments(docs: Iterable<unknown>, by: readonly string[], sum?: string): Group[] {
  const merger = new GroupMerger();
  for (const doc of docs) {
    const added = sum === undefined ? 0 : valueAt(doc, sum);
    merger.add(
      by.map((field) => valueAt(doc, field)),
      1,
      typeof added === 'number' && Number.isFinite(added) ? added : 0,
    );
  }
  return merger.result();
}
