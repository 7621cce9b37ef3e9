/**
 * 本人 is what the claimant says: nothing ties an account to one 身份证号, and once a claim's 初审 passes the account
 * reads that person's year (a probe: 李四 filed as 本人 with 张三's number, and after 初审 read 张三's ledger). The
 * reviewer's page says so at 初审, where the identity documents are checked: another account filed the same number as
 * 本人, or this account filed 本人 under several numbers.
 */
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { invoke } from './framework';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { idNumber, requiredMaterialIds, uploadMaterials, validForm } from '../../test/support/fixtures';
import type { ReviewClaimDetail } from '../../src/core/contracts/views';
import type { Caller } from '../ports';

type Ports = Awaited<ReturnType<typeof embeddedPorts>>;

async function file(
  ports: Ports,
  caller: Caller,
  requestId: string,
  insured: { name: string; idNumber: string; relation?: 'self' | 'relative' },
) {
  const base = validForm();
  const form = {
    ...base,
    insured: { ...base.insured, ...insured },
    payout: { ...base.payout, holderName: insured.name },
  };
  const materials = await uploadMaterials(ports.files, caller.openid, requiredMaterialIds(form));
  const filed = await invoke(
    claimsFunction,
    { action: 'submit', payload: { form: { ...form, materials } }, requestId },
    caller,
    ports,
  );
  if (!filed.ok) throw new Error(JSON.stringify(filed.error));
  return (filed.data as { id: string }).id;
}

async function warningsOf(ports: Ports, id: string): Promise<string[]> {
  const read = await invoke(reviewFunction, { action: 'get', payload: { id } }, callers.reviewer, ports);
  if (!read.ok) throw new Error(JSON.stringify(read.error));
  return (read.data as ReviewClaimDetail).identityWarnings;
}

describe('identity warnings on the reviewer page', () => {
  it('names another account filing the same 身份证号 as 本人, and one account filing 本人 under several numbers', async () => {
    const ports = await embeddedPorts({ clock: new FixedClock(new Date('2026-03-02T02:00:00Z')) });
    const zhangsanNumber = idNumber();
    const own = await file(ports, callers.zhangsan, 'identity-0001', { name: '张三', idNumber: zhangsanNumber });
    expect(await warningsOf(ports, own)).toEqual([]);

    const borrowed = await file(ports, callers.lisi, 'identity-0002', { name: '张三', idNumber: zhangsanNumber });
    const another = '这个身份证号另有 1 个微信账户也以“本人”身份申报过：请核对身份证件照片，确认申请人就是参保人本人。';
    expect(await warningsOf(ports, borrowed)).toEqual([another]);
    expect(await warningsOf(ports, own)).toEqual([another]);

    const second = await file(ports, callers.zhangsan, 'identity-0003', {
      name: '张三',
      idNumber: idNumber('19820202', '456'),
    });
    expect(await warningsOf(ports, second)).toEqual([
      '这个微信账户以“本人”身份申报过 2 个不同的身份证号：请核对身份证件照片，确认申请人就是参保人本人。',
    ]);
  });

  it('says nothing of a family member filed by several accounts (two children filing for a parent)', async () => {
    const ports = await embeddedPorts({ clock: new FixedClock(new Date('2026-03-02T02:00:00Z')) });
    const parent = { name: '王秀英', idNumber: idNumber('19500505', '321') };
    const filedFor = (caller: Caller, requestId: string): Promise<string> =>
      file(ports, caller, requestId, { ...parent, relation: 'relative' });
    const first = await filedFor(callers.zhangsan, 'identity-0101');
    await filedFor(callers.lisi, 'identity-0102');
    expect(await warningsOf(ports, first)).toEqual([]);
  });
});
