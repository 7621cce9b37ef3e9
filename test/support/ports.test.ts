import { SqliteStore } from '../../server/adapters/sql/sqlite';
import type { StoredDoc } from '../../server/ports';
import { withMethods } from './ports';

interface Note extends StoredDoc {
  text: string;
}

describe('withMethods (a store collection with some methods replaced, for watching a test)', () => {
  it('keeps every method of a class-based collection, and calls the replaced one', async () => {
    const store = SqliteStore.open(null, { durable: false });
    try {
      const inner = store.collection<Note>('notifications');
      const seen: unknown[] = [];
      const watched = withMethods(inner, {
        find: (filter, options) => (seen.push(options?.fields), inner.find(filter, options)),
      });
      // An object spread ({ ...inner, find }) loses get, insert, count…: they live on the class's prototype.
      await watched.insert({ _id: 'n1', text: '已受理' });
      expect(await watched.get('n1')).toEqual({ _id: 'n1', text: '已受理' });
      expect(await watched.count({})).toBe(1);
      expect(await watched.find({ _id: 'n1' }, { fields: ['text'] })).toEqual([{ _id: 'n1', text: '已受理' }]);
      expect(seen).toEqual([['text']]);
      expect(await watched.updateWhere({ _id: 'n1' }, { text: '已支付' })).toBe(1);
      expect(await watched.update('n1', { text: '已结算' })).toBe(true);
      expect(await watched.groupCount({}, ['text'])).toEqual([{ key: ['已结算'], count: 1, sum: 0 }]);
      expect(await watched.remove('n1')).toBe(true);
      expect(await inner.get('n1')).toBeNull();
    } finally {
      store.close();
    }
  });
});
