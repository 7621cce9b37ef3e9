/**
 * U+0000 in any string a claimant sends: PostgreSQL's jsonb cannot store it (the insert fails), so a
 * string carrying one that reached the store would answer INTERNAL there and be stored elsewhere.
 * Every string of a complete claim form, one at a time, with a NUL in it: refused as bad input, and
 * nothing stored, on every store (`npm run test:pg` runs this against PostgreSQL).
 */
import { claimsFunction } from './claims';
import { invoke } from './framework';
import { callers, embeddedPorts } from '../../test/support/ports';
import { idNumber, uploadMaterials, validForm, requiredMaterialIds } from '../../test/support/fixtures';

/** Every path to a string leaf of `value`, as keys and indexes. */
function stringPaths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringPaths(item, [...at, index]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...at, key]));
  return [];
}

function withoutMaterials(form: object): object {
  return Object.fromEntries(Object.entries(form).filter(([key]) => key !== 'materials'));
}

function withNul(value: unknown, path: Array<string | number>): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const text = target[last] as string;
  target[last] = `${text.slice(0, 1)}\u0000${text.slice(1)}`;
  return copy;
}

describe('a NUL character in any string of a claim or a family member', () => {
  it('is refused, never INTERNAL, and nothing is stored', async () => {
    const ports = await embeddedPorts();
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const payloads: Record<string, unknown> = {
      saveDraft: { form: withoutMaterials(form), materials },
      submit: { form: { ...form, materials } },
      savePerson: {
        relation: 'parent',
        name: '王秀英',
        idNumber: idNumber('19550302', '224'),
        insuranceType: 'employee',
        region: '210200',
        payout: { bankName: '中国银行大连分行', accountNumber: form.payout.accountNumber },
        phone: '13800138000',
      },
    };
    const refusedFor: string[] = [];
    for (const [action, payload] of Object.entries(payloads)) {
      const paths = stringPaths(payload);
      expect(paths.length).toBeGreaterThan(action === 'savePerson' ? 7 : 20);
      for (const [index, path] of paths.entries()) {
        const result = await invoke(
          claimsFunction,
          { action, payload: withNul(payload, path), requestId: `nul-${action}-${index}-0000` },
          callers.zhangsan,
          ports,
        );
        if (result.ok || result.error.code === 'INTERNAL')
          refusedFor.push(`${action} ${path.join('.')}: ${result.ok ? 'accepted' : 'INTERNAL'}`);
      }
    }
    expect(refusedFor).toEqual([]);
    expect(await ports.store.collection('claims').count({})).toBe(0);
    expect(await ports.store.collection('persons').count({})).toBe(0);
    // The same payloads without the NUL go through: what was refused above was the NUL.
    for (const [action, payload] of Object.entries(payloads)) {
      const clean = await invoke(
        claimsFunction,
        { action, payload, requestId: `nul-${action}-clean-0000` },
        callers.zhangsan,
        ports,
      );
      expect({ action, error: clean.ok ? null : clean.error }).toEqual({ action, error: null });
    }
  });
});
