import { samplePolicies, samplePolicyFiles } from '../../src/core/policy';
import { EmbeddedStore } from '../adapters/embedded/store';
import { FixedClock } from '../../test/support/ports';
import { policyVersionId, StorePolicyCatalog, type PolicyVersionDoc } from './catalog';

describe('the policy catalog on the policies collection', () => {
  it('seeds an empty collection with the samples, published, once — even when asked concurrently', async () => {
    const store = await EmbeddedStore.open(null);
    const catalog = new StorePolicyCatalog(store, new FixedClock(new Date('2026-03-02T02:00:00Z')));
    const [first, second] = await Promise.all([
      catalog.published(),
      new StorePolicyCatalog(store, new FixedClock(new Date())).published(),
    ]);
    expect(first.map((policy) => policy.id).sort()).toEqual(samplePolicies.map((policy) => policy.id).sort());
    expect(second).toHaveLength(samplePolicies.length);
    expect(await store.collection('policies').count({})).toBe(samplePolicies.length);
  });

  it('sees a publication within the refresh interval, and keeps serving a superseded version to the claims pinned to it', async () => {
    const store = await EmbeddedStore.open(null);
    const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
    const catalog = new StorePolicyCatalog(store, clock, 60_000);
    const original = samplePolicies[0]!;
    expect(await catalog.published()).toHaveLength(samplePolicies.length);

    const next = {
      ...(samplePolicyFiles[original.id] as object),
      id: original.id,
      version: `${original.version}-next`,
    };
    const policies = store.collection<PolicyVersionDoc>('policies');
    const old = (await policies.get(policyVersionId(original.id, original.version)))!;
    await policies.insert({
      ...old,
      _id: policyVersionId(next.id, next.version),
      version: next.version,
      source: next,
      supersedes: old._id,
    });
    await policies.update(old._id, { status: 'retired' });

    clock.advance(30_000);
    expect((await catalog.published()).some((policy) => policy.version === next.version)).toBe(false);
    clock.advance(31_000);
    const refreshed = await catalog.published();
    expect(refreshed.some((policy) => policy.version === next.version)).toBe(true);
    expect(refreshed.some((policy) => policy.id === original.id && policy.version === original.version)).toBe(false);
    expect((await catalog.version(original.id, original.version))?.version).toBe(original.version);
  });

  it('never serves a draft, even by its exact version', async () => {
    const store = await EmbeddedStore.open(null);
    const catalog = new StorePolicyCatalog(store, new FixedClock(new Date('2026-03-02T02:00:00Z')));
    await catalog.published();
    const original = samplePolicies[0]!;
    const old = (await store
      .collection<PolicyVersionDoc>('policies')
      .get(policyVersionId(original.id, original.version)))!;
    await store.collection<PolicyVersionDoc>('policies').insert({
      ...old,
      _id: policyVersionId(original.id, 'draft-1'),
      version: 'draft-1',
      status: 'draft',
      source: { ...(samplePolicyFiles[original.id] as object), version: 'draft-1' },
    });
    expect(await catalog.version(original.id, 'draft-1')).toBeUndefined();
  });
});
