/**
 * A child's claim paid into a parent's or guardian's account (a family walk: a child has no bank card in their own name,
 * and 户名 was fixed to the child's). Where the policy allows it (`processing.guardianAccountForMinors`: the 大连 居民医保
 * sample does, the 职工医保 one does not), for someone under 18 on the day of filing, with a 监护关系证明 — and the bank
 * file pays the guardian named. Each case: given → when → then.
 */
import type { ClaimFormInput } from '../../src/core/contracts/claim';
import type { PersonView } from '../../src/core/contracts/persons';
import type { ClaimDetail } from '../../src/core/contracts/views';
import type { PaymentCandidates } from '../../src/core/contracts/payments';
import { bankAccount, idNumber, requiredMaterialIds, uploadMaterials, validForm } from '../../test/support/fixtures';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { actionsOn } from '../../test/support/calls';
import { claimsFunction } from './claims';
import { paymentsFunction } from './payments';
import { reviewFunction } from './review';

let ports: Awaited<ReturnType<typeof embeddedPorts>>;

beforeEach(async () => {
  ports = await embeddedPorts({ clock: new FixedClock(new Date('2026-03-02T02:00:00Z')) });
});

const { ok, refused } = actionsOn(() => ports);

/** 张三's daughter, 8 on the day of filing (2026-03-02), 大连 居民医保. */
const daughter = { name: '张小雨', idNumber: idNumber('20180115', '422') };
const guardianPayout = {
  bankName: '中国工商银行大连分行',
  accountNumber: bankAccount,
  holderName: '张三',
  guardianRelation: 'father' as const,
};

function childForm(overrides: Partial<ClaimFormInput> = {}): ClaimFormInput {
  return validForm({
    insured: {
      relation: 'relative',
      name: daughter.name,
      idNumber: daughter.idNumber,
      insuranceType: 'resident',
      retired: false,
      region: '210200',
    },
    payout: guardianPayout,
    ...overrides,
  });
}

async function submitted(form: ClaimFormInput, requestId: string): Promise<string> {
  const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
  return (
    await ok<{ id: string }>(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials } }, requestId)
  ).id;
}

describe('a minor paid into a guardian account', () => {
  it('given 居民医保 that allows it, when 张三 files for his 8-year-old into his own account, then it is filed with a 监护关系证明 asked for, and the bank file pays 张三', async () => {
    const form = childForm();
    expect(requiredMaterialIds(form)).toContain('guardianProof');
    const withoutProof = await uploadMaterials(
      ports.files,
      callers.zhangsan.openid,
      requiredMaterialIds(form).filter((id) => id !== 'guardianProof'),
    );
    const missing = await refused(claimsFunction, callers.zhangsan, 'submit', {
      form: { ...form, materials: withoutProof },
    });
    expect(missing.code).toBe('MATERIALS_MISSING');
    expect(missing.message).toContain('监护关系证明');

    const id = await submitted(form, 'guardian-0001');
    const detail = await ok<ClaimDetail>(claimsFunction, callers.zhangsan, 'get', { id });
    expect(detail.form?.payout).toMatchObject({ holderName: '张三', guardianRelation: 'father' });

    for (const action of ['passPreliminary', 'passReview'] as const)
      await ok(reviewFunction, callers.reviewer, 'decide', { id, action });
    await ok(reviewFunction, callers.reviewer, 'receiveOriginals', { id });
    await ok(reviewFunction, callers.reviewer, 'settle', { id });
    await ok(reviewFunction, callers.reviewer2, 'verify', { id });
    const candidates = await ok<PaymentCandidates>(paymentsFunction, callers.reviewer2, 'candidates', {});
    expect(candidates.items.find((line) => line.claimId === id)).toMatchObject({ payeeName: '张三' });
  });

  it('given the child saved with the father’s account, when listed and filed again by the member, then the account keeps its holder and relation', async () => {
    const saved = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', {
      relation: 'child',
      name: daughter.name,
      idNumber: daughter.idNumber,
      insuranceType: 'resident',
      region: '210200',
      payout: guardianPayout,
      phone: '13800138000',
    });
    expect(saved.payout).toEqual({
      bankName: guardianPayout.bankName,
      accountNumber: '6222 **** **** 3445',
      holderName: '张三',
      guardianRelation: 'father',
    });
    const id = await submitted(
      childForm({
        personId: saved.id,
        insured: { ...childForm().insured, idNumber: saved.idNumber },
        payout: { ...saved.payout!, holderName: '张三', guardianRelation: 'father' },
        phone: saved.phone!,
      }),
      'guardian-0002',
    );
    const detail = await ok<ClaimDetail>(claimsFunction, callers.zhangsan, 'get', { id });
    expect(detail.form?.payout).toMatchObject({ holderName: '张三', guardianRelation: 'father' });
    // The desk reads 子女（代办）, not 家属（代办） (a walk): the member's relation is kept with the claim.
    expect(await ok<ClaimDetail>(reviewFunction, callers.reviewer, 'get', { id })).toMatchObject({
      personRelation: 'child',
    });

    // The same member saved with her own account again: the guardian is no longer named.
    const own = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', {
      id: saved.id,
      relation: 'child',
      name: daughter.name,
      idNumber: saved.idNumber,
      payout: { bankName: '中国银行大连分行', accountNumber: '6217000010001234567' },
    });
    expect(own.payout).toEqual({ bankName: '中国银行大连分行', accountNumber: '6217 **** **** 4567' });
  });

  it('given a holder without a relation (or a relation without a holder), when a member is saved, then it is refused', async () => {
    const error = await refused(claimsFunction, callers.zhangsan, 'savePerson', {
      relation: 'child',
      name: daughter.name,
      idNumber: daughter.idNumber,
      payout: { bankName: '中国工商银行大连分行', accountNumber: bankAccount, guardianRelation: 'mother' },
    });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(error)).toContain('监护人账户须同时填写户名和与参保人的关系');
  });

  it.each([
    ['her own name as the holder', {}, { holderName: daughter.name }, '监护人账户的户名请填写父母或其他监护人的姓名'],
    ['an adult (56)', { idNumber: idNumber('19700101', '422'), name: '张大雨' }, {}, '已满 18 周岁'],
    ['职工医保, whose policy does not allow it', { insuranceType: 'employee' }, {}, '本地政策规定'],
  ] as const)(
    'given %s, when a member is saved with a guardian account, then it is refused as submit would (a probe: kept, then refused at submit)',
    async (_, person, payout, message) => {
      const error = await refused(claimsFunction, callers.zhangsan, 'savePerson', {
        relation: 'child',
        name: daughter.name,
        idNumber: daughter.idNumber,
        insuranceType: 'resident',
        region: '210200',
        ...person,
        payout: { ...guardianPayout, ...payout },
      });
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(error)).toContain(message);
      expect((await ok<{ items: unknown[] }>(claimsFunction, callers.zhangsan, 'listPersons', {})).items).toEqual([]);
    },
  );

  it.each([
    [
      'an adult (30)',
      { ...childForm().insured, name: '张大雨', idNumber: idNumber('19960115', '422') },
      '已满 18 周岁',
    ],
    [
      'a 17-year-old on the day before her 18th birthday is under 18',
      { ...childForm().insured, idNumber: idNumber('20080303', '422') },
      null,
    ],
    ['the day of her 18th birthday', { ...childForm().insured, idNumber: idNumber('20080302', '422') }, '已满 18 周岁'],
    [
      '职工医保, whose policy does not allow it',
      { ...childForm().insured, insuranceType: 'employee' as const },
      '本地政策规定报销款只能打入参保人本人名下的银行账户',
    ],
  ])(
    'given %s, when filed into a guardian account, then the answer is as the rule says',
    async (_, insured, refusal) => {
      const form = childForm({ insured });
      const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
      const answer = await actionsOn(() => ports).call(claimsFunction, callers.zhangsan, 'submit', {
        form: { ...form, materials },
      });
      if (refusal === null) {
        expect(answer.ok).toBe(true);
        return;
      }
      expect(answer.ok).toBe(false);
      if (answer.ok) return;
      expect(answer.error.code).toBe('VALIDATION_FAILED');
      expect(answer.error.message).toContain(refusal);
      expect(answer.error.issues).toEqual([expect.objectContaining({ path: 'form.payout.guardianRelation' })]);
      // Nothing written: the claim list is empty.
      const mine = await ok<{ items: unknown[] }>(claimsFunction, callers.zhangsan, 'listMine', {});
      expect(mine.items).toHaveLength(0);
    },
  );

  it('given a guardian account naming the child herself, when filed, then 户名 asks for the guardian’s name', async () => {
    const form = childForm({ payout: { ...guardianPayout, holderName: daughter.name } });
    const error = await refused(claimsFunction, callers.zhangsan, 'submit', { form });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(error)).toContain('户名请填写父亲的姓名');
  });
});
