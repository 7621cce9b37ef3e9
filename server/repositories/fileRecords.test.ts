import { SqliteStore } from '../adapters/sql/sqlite';
import type { Store, StoredDoc } from '../ports';
import { FileRecords } from './fileRecords';
import { withMethods } from '../../test/support/ports';

interface FileDoc extends StoredDoc {
  _openid: string;
  size: number;
  sha256: string;
}

/** A real store whose `files` reads are counted. */
function countingStore(): { store: Store; reads: () => number; close: () => void } {
  const inner = SqliteStore.open(null, { durable: false });
  let reads = 0;
  const store = Object.create(inner) as Store;
  store.collection = <T extends StoredDoc>(name: string) => {
    const collection = inner.collection<T>(name);
    return withMethods(collection, {
      get: (id) => ((reads += 1), collection.get(id)),
      find: (filter, options) => ((reads += 1), collection.find(filter, options)),
    });
  };
  return { store, reads: () => reads, close: () => inner.close() };
}

const record = (id: string): FileDoc => ({ _id: id, _openid: 'o', size: 100, sha256: `sha-${id}` });

describe('FileRecords', () => {
  it('reads a record from the store once, then from memory; a record written through it is never read', async () => {
    const { store, reads, close } = countingStore();
    try {
      for (const id of ['a', 'b', 'c']) await store.collection<FileDoc>('files').insert(record(id));
      const records = new FileRecords<FileDoc>(store);
      records.remember(record('d'));
      await store.collection<FileDoc>('files').insert(record('d'));
      const first = await records.getMany(['a', 'b', 'd']);
      expect([...first.keys()].sort()).toEqual(['a', 'b', 'd']);
      expect(reads()).toBe(1); // a and b in one read, d remembered
      expect((await records.getMany(['a', 'b', 'd'])).get('b')?.sha256).toBe('sha-b');
      expect(await records.get('a')).toEqual(record('a'));
      expect(reads()).toBe(1);
      expect(await records.get('c')).toEqual(record('c'));
      expect(reads()).toBe(2);
    } finally {
      close();
    }
  });

  it('does not remember a record that is missing: written later, it is found', async () => {
    const { store, close } = countingStore();
    try {
      const records = new FileRecords<FileDoc>(store);
      expect(await records.get('late')).toBeNull();
      expect((await records.getMany(['late'])).size).toBe(0);
      await store.collection<FileDoc>('files').insert(record('late'));
      expect(await records.get('late')).toEqual(record('late'));
    } finally {
      close();
    }
  });

  it('keeps at most its capacity, dropping the least recently used', async () => {
    const { store, reads, close } = countingStore();
    try {
      for (const id of ['a', 'b', 'c']) await store.collection<FileDoc>('files').insert(record(id));
      const records = new FileRecords<FileDoc>(store, 2);
      await records.get('a');
      await records.get('b');
      await records.get('a'); // a used last: b is the one to go
      await records.get('c');
      const before = reads();
      await records.get('a');
      expect(reads()).toBe(before);
      await records.get('b');
      expect(reads()).toBe(before + 1);
    } finally {
      close();
    }
  });
});
