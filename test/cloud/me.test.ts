/** `me.whoami` on both adapters: staff (by the `staff` collection) learn they may open the reviewer pages or the policy pages; claimants do not. */
import { invoke } from '../../server/handlers/framework';
import { meFunction } from '../../server/handlers/me';
import { resolveCaller, type StaffDoc } from '../../server/identity';
import { portFactories } from '../support/ports';

describe.each(portFactories)('me.whoami (%s)', (_name, makePorts) => {
  it('answers the roles from the staff collection', async () => {
    const ports = await makePorts();
    await ports.store
      .collection<StaffDoc>('staff')
      .insert({ _id: 'openid-reviewer', name: '审核员', roles: ['reviewer'] });
    const staff = await invoke(
      meFunction,
      { action: 'whoami', payload: {} },
      await resolveCaller('openid-reviewer', ports.store),
      ports,
    );
    expect(staff).toEqual({ ok: true, data: { roles: ['claimant', 'reviewer'], reviewer: true, operator: false } });
    const claimant = await invoke(
      meFunction,
      { action: 'whoami' },
      await resolveCaller('openid-someone', ports.store),
      ports,
    );
    expect(claimant).toEqual({ ok: true, data: { roles: ['claimant'], reviewer: false, operator: false } });
    await ports.store
      .collection<StaffDoc>('staff')
      .insert({ _id: 'openid-operator', name: '运维', roles: ['operator'] });
    const operator = await invoke(
      meFunction,
      { action: 'whoami' },
      await resolveCaller('openid-operator', ports.store),
      ports,
    );
    expect(operator).toEqual({ ok: true, data: { roles: ['claimant', 'operator'], reviewer: false, operator: true } });
    expect(await invoke(meFunction, { action: 'whoami' }, null, ports)).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });
});
