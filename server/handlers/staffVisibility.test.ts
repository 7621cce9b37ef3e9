/**
 * A claim never submitted is its owner's alone: a draft, and a draft withdrawn, reach no reviewer — not by id
 * (review.get, review.audit), not in the queue under any status. A claim withdrawn after submission stays on record.
 */
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { invoke, type Envelope, type FunctionDefinition } from './framework';
import { callers, embeddedPorts } from '../../test/support/ports';
import { bankAccount, uploadMaterials, validForm, requiredMaterialIds } from '../../test/support/fixtures';
import type { Page } from '../../src/core/contracts/claimDraft';
import type { ReviewQueueItem } from '../../src/core/contracts/views';
import type { Caller } from '../ports';

const withoutMaterials = ({ materials: _materials, ...rest }: ReturnType<typeof validForm>) => rest;

type Ports = Awaited<ReturnType<typeof embeddedPorts>>;

const call = (ports: Ports, fn: FunctionDefinition, caller: Caller, action: string, payload: unknown) =>
  invoke(fn, { action, payload }, caller, ports);

function ok<T>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(JSON.stringify(envelope.error));
  return envelope.data as T;
}

describe('what staff see of claims never submitted', () => {
  it('a withdrawn draft — 身份证号, 账号 and phone in it — is not found by id, nor listed under any status', async () => {
    const ports = await embeddedPorts();
    const form = validForm();
    const draft = ok<{ id: string }>(
      await call(ports, claimsFunction, callers.lisi, 'saveDraft', { form: withoutMaterials(form) }),
    );
    const withdrawn = ok<{ status: string }>(
      await call(ports, claimsFunction, callers.lisi, 'withdraw', { id: draft.id }),
    );
    expect(withdrawn.status).toBe('withdrawn');

    // A claim submitted and then withdrawn is on record for the agency.
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const filed = ok<{ id: string }>(
      await invoke(
        claimsFunction,
        { action: 'submit', payload: { form: { ...form, materials } }, requestId: 'visible-0001' },
        callers.zhangsan,
        ports,
      ),
    );
    ok(await call(ports, claimsFunction, callers.zhangsan, 'withdraw', { id: filed.id }));

    for (const action of ['get', 'audit'])
      expect(await call(ports, reviewFunction, callers.reviewer, action, { id: draft.id })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    const listed = ok<Page<ReviewQueueItem>>(
      await call(ports, reviewFunction, callers.reviewer, 'queue', { status: 'withdrawn' }),
    );
    expect(listed.items.map((item) => item.id)).toEqual([filed.id]);
    expect(listed.total).toBe(1);
    expect(
      ok<{ claim: { id: string } }>(await call(ports, reviewFunction, callers.reviewer, 'audit', { id: filed.id }))
        .claim.id,
    ).toBe(filed.id);

    const drafts = await call(ports, reviewFunction, callers.reviewer, 'queue', { status: 'draft' });
    expect(drafts).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(listed)).not.toContain(bankAccount);
  });
});
