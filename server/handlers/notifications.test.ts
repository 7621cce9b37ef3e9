/** notifications.recordSubscriptions: only the three template keys, as own properties; nothing from the prototype. */
import { notificationsFunction } from './notifications';
import { invoke } from './framework';
import { callers, embeddedPorts } from '../../test/support/ports';

async function record(results: unknown) {
  const ports = await embeddedPorts();
  const envelope = await invoke(
    notificationsFunction,
    { action: 'recordSubscriptions', payload: { results } },
    callers.zhangsan,
    ports,
  );
  return { envelope, grants: await ports.store.collection('grants').count({}) };
}

describe('recordSubscriptions', () => {
  it('records a grant per accepted template', async () => {
    const { envelope, grants } = await record({ accepted: 'accept', result: 'reject', paid: 'accept' });
    expect(envelope).toEqual({ ok: true, data: { granted: ['accepted', 'paid'] } });
    expect(grants).toBe(2);
  });

  it.each([
    ['__proto__ (as JSON.parse makes it: an own key)', JSON.parse('{"__proto__":"accept"}') as unknown],
    ['__proto__ holding a template key', JSON.parse('{"__proto__":{"paid":"accept"}}') as unknown],
    ['constructor', { constructor: 'accept' }],
    ['toString', { toString: 'accept' }],
    ['hasOwnProperty', { hasOwnProperty: 'accept' }],
    ['an unknown template', { refund: 'accept' }],
  ])('refuses %s with VALIDATION_FAILED and records nothing', async (_name, results) => {
    const { envelope, grants } = await record(results);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(grants).toBe(0);
  });
});
