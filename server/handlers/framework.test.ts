import fc from 'fast-check';
import { requestDigestOf } from './framework';

describe('requestDigestOf: what a request asked, for its request id', () => {
  it('is the same for the same content with keys in another order, at every depth', () => {
    const first = { id: 'c1', originalsSent: { method: 'mail', trackingNumber: 'SF1234567890' } };
    const reordered = { originalsSent: { trackingNumber: 'SF1234567890', method: 'mail' }, id: 'c1' };
    expect(requestDigestOf('recordOriginalsSent', reordered)).toBe(requestDigestOf('recordOriginalsSent', first));
  });

  it('differs for another action, another value, another array order', () => {
    const payload = { claims: [{ id: 'a' }, { id: 'b' }] };
    expect(requestDigestOf('createBatch', payload)).not.toBe(requestDigestOf('markPaid', payload));
    expect(requestDigestOf('createBatch', payload)).not.toBe(
      requestDigestOf('createBatch', { claims: [{ id: 'b' }, { id: 'a' }] }),
    );
    expect(requestDigestOf('createBatch', { claims: [{ id: 'a' }] })).not.toBe(requestDigestOf('createBatch', payload));
  });

  it('any JSON value reordered digests alike; a changed leaf does not (property)', () => {
    const reorder = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reorder)
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([key, inner]) => [key, reorder(inner)]),
            )
          : value;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(requestDigestOf('a', reorder(value))).toBe(requestDigestOf('a', value));
        expect(requestDigestOf('a', { wrapped: value })).not.toBe(requestDigestOf('a', { wrapped: [value] }));
      }),
    );
  });
});
