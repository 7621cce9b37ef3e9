/**
 * Issue 10 on the server: family members (sealed, masked, one ledger each), paper originals recorded
 * after filing and found by their 邮寄编号, and reminders written once each by the outbox's drain.
 * Each case: given → when → then.
 */
import { checklistOf } from '../../src/core/contracts/claim';
import type { PersonView } from '../../src/core/contracts/persons';
import { maskName } from '../../src/core/identity';
import type { ClaimDetail } from '../../src/core/contracts/views';
import { bankAccount, idNumber, uploadMaterials, validForm, requiredMaterialIds } from '../../test/support/fixtures';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { actionsOn } from '../../test/support/calls';
import { drainWith } from './notify';
import { claimsFunction } from './claims';
import { invoke } from './framework';
import { reviewFunction } from './review';
import type { Ports } from '../ports';
import type { NotificationDoc } from '../notifications/outbox';
import { RecordingNotifier } from '../notifications/notifier';
import { localTemplateIds } from '../notifications/templates';

type Caller = (typeof callers)[keyof typeof callers];
let ports: Ports & { files: Awaited<ReturnType<typeof embeddedPorts>>['files'] };
let clock: FixedClock;
const DAY = 86_400_000;

beforeEach(async () => {
  clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  ports = await embeddedPorts({ clock });
});

const { ok, refused, call } = actionsOn(() => ports);

const mother = {
  relation: 'parent' as const,
  name: '王秀英',
  idNumber: idNumber('19550302', '224'),
  insuranceType: 'employee' as const,
  retired: true,
  region: '210200',
  payout: { bankName: '中国银行大连分行', accountNumber: bankAccount },
  phone: '13911112222',
};

/** A claim for `person` (masked values: theirs), every required photo uploaded, submitted. */
async function submitFor(
  caller: Caller,
  person: PersonView,
  requestId: string,
  originals: 'mail' | 'inPerson' = 'mail',
): Promise<string> {
  const form = validForm({
    personId: person.id,
    insured: {
      relation: 'relative',
      name: person.name,
      idNumber: person.idNumber,
      insuranceType: 'employee',
      retired: true,
      region: '210200',
    },
    payout: { bankName: person.payout!.bankName, accountNumber: person.payout!.accountNumber, holderName: person.name },
    phone: person.phone!,
    visit: { visitDate: '2026-02-20' },
    originals: { method: originals },
  });
  const required = requiredMaterialIds(form);
  const materials = await uploadMaterials(ports.files, caller.openid, required);
  return (await ok<{ id: string }>(claimsFunction, caller, 'submit', { form: { ...form, materials } }, requestId)).id;
}

describe('family members', () => {
  it('given a parent saved by 张三, when listed, then personal fields come back masked and are sealed at rest; the same 身份证号 again updates the same person', async () => {
    const saved = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', mother);
    expect(saved).toMatchObject({
      relation: 'parent',
      name: '王秀英',
      idNumber: '210***********' + mother.idNumber.slice(-4),
      payout: { accountNumber: '6222 **** **** 3445' },
      phone: '139****2222',
    });
    const stored = JSON.stringify(await ports.store.collection('persons').get(saved.id));
    for (const secret of [mother.idNumber, bankAccount, mother.phone]) expect(stored).not.toContain(secret);

    const again = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', {
      ...mother,
      name: '王秀英',
      phone: '13911113333',
    });
    expect(again.id).toBe(saved.id);
    expect((await ok<{ items: PersonView[] }>(claimsFunction, callers.zhangsan, 'listPersons', {})).items).toHaveLength(
      1,
    );
    // a masked value keeps what is stored; one that is not the stored mask is refused with a sentence
    expect(
      await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', {
        ...mother,
        id: saved.id,
        idNumber: saved.idNumber,
        payout: { bankName: '中国银行', accountNumber: saved.payout!.accountNumber },
      }),
    ).toMatchObject({ id: saved.id, idNumber: saved.idNumber });
    expect(
      await refused(claimsFunction, callers.zhangsan, 'savePerson', {
        ...mother,
        id: saved.id,
        idNumber: '110***********9999',
      }),
    ).toMatchObject({ code: 'VALIDATION_FAILED', message: '请填写完整的身份证号' });
    expect(
      await refused(claimsFunction, callers.zhangsan, 'savePerson', { ...mother, idNumber: saved.idNumber }),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    // someone else's person is not theirs to read or use
    expect((await ok<{ items: PersonView[] }>(claimsFunction, callers.lisi, 'listPersons', {})).items).toEqual([]);
    expect(await refused(claimsFunction, callers.lisi, 'savePerson', { ...mother, id: saved.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('given a claim filed for a family member with their masked values, when submitted, then the server fills in theirs and the ledger is that member’s alone', async () => {
    const parent = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', mother);
    const self = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', {
      relation: 'self',
      name: '张三',
      idNumber: idNumber(),
      region: '210200',
      insuranceType: 'employee',
    });
    const claimId = await submitFor(callers.zhangsan, parent, 'request-family-01', 'inPerson');
    const detail = await ok<ClaimDetail>(claimsFunction, callers.zhangsan, 'get', { id: claimId });
    expect(detail).toMatchObject({ personId: parent.id, status: 'submitted' });
    const review = await ok<{
      form: { insured: { idNumber: string }; payout: { accountNumber: string }; phone: string };
    }>(reviewFunction, callers.reviewer, 'get', { id: claimId });
    expect(review.form).toMatchObject({
      insured: { idNumber: mother.idNumber },
      payout: { accountNumber: bankAccount },
      phone: mother.phone,
    });
    // The queue masks her in the claim's title as on the line under it (a walk: 张小明 · … above 参保人 张**).
    const row = (
      await ok<{ items: Array<{ id: string; title: string; ownerMasked: string }> }>(
        reviewFunction,
        callers.reviewer,
        'queue',
        {},
      )
    ).items.find((item) => item.id === claimId)!;
    expect(detail.title.startsWith(`${mother.name} · `)).toBe(true);
    expect(row.ownerMasked).toBe(maskName(mother.name));
    expect(row.title).toBe(detail.title.replace(mother.name, maskName(mother.name)));
    expect(row.title).not.toContain(mother.name);

    for (const action of ['passPreliminary', 'passReview'])
      await ok(reviewFunction, callers.reviewer, 'decide', { id: claimId, action });
    await ok(reviewFunction, callers.reviewer, 'receiveOriginals', { id: claimId });
    await ok(reviewFunction, callers.reviewer, 'settle', { id: claimId });
    // Whose claim and whose account, in its cards (a walk: 「武汉市人民医院 普通门诊」 twice, and 支付到您尾号 0128 for a
    // child's account).
    await drainWith(ports, { notifier: new RecordingNotifier(ports.store), templateIds: localTemplateIds });
    const written = await ports.store.collection<NotificationDoc>('notifications').find({ claimId });
    expect(written.map((card) => card.body).join('\n')).toContain(`「${mother.name} · `);
    const settledCard = written.find((card) => card.status === 'settled')!;
    expect(settledCard.body).toContain(`${mother.name}尾号 3445 的银行账户`);
    expect(settledCard.body).not.toContain('您尾号');
    const year = { region: '210200', insuranceType: 'employee', year: 2026 };
    const parentLedger = await ok<{ known: boolean; ledger: { deductibleUsed: Record<string, number> } }>(
      claimsFunction,
      callers.zhangsan,
      'personLedger',
      { personId: parent.id, ...year },
    );
    expect(parentLedger.known).toBe(true);
    expect(Object.values(parentLedger.ledger.deductibleUsed).reduce((sum, fen) => sum + fen, 0)).toBeGreaterThan(0);
    expect(await ok(claimsFunction, callers.zhangsan, 'personLedger', { personId: self.id, ...year })).toMatchObject({
      known: false,
    });
    expect(await refused(claimsFunction, callers.lisi, 'personLedger', { personId: parent.id, ...year })).toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
  });

  it('given a form with masked values, when it names no family member, then it is refused field by field', async () => {
    const parent = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', mother);
    const form = validForm({
      insured: {
        relation: 'relative',
        name: '王秀英',
        idNumber: parent.idNumber,
        insuranceType: 'employee',
        retired: true,
        region: '210200',
      },
      payout: { bankName: '中国银行', accountNumber: bankAccount, holderName: '王秀英' },
    });
    const error = (await refused(claimsFunction, callers.zhangsan, 'submit', { form })) as {
      code: string;
      issues?: Array<{ path: string; message: string }>;
    };
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues).toContainEqual({ path: 'form.insured.idNumber', message: '请填写完整的身份证号' });
  });

  it('given a claim that names a family member, when its 参保人 is someone else (another 身份证号, another name), then it is refused and nothing is filed (a probe: the year counted on another person’s ledger)', async () => {
    const parent = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', mother);
    const someoneElse = idNumber('19600101', '335');
    const form = (insured: { name: string; idNumber: string }) =>
      validForm({
        personId: parent.id,
        insured: { relation: 'relative', insuranceType: 'employee', retired: true, region: '210200', ...insured },
        payout: { bankName: '中国银行', accountNumber: parent.payout!.accountNumber, holderName: insured.name },
        phone: parent.phone!,
      });
    const submit = async (insured: { name: string; idNumber: string }, requestId: string) => {
      const filed = form(insured);
      const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(filed));
      return call(claimsFunction, callers.zhangsan, 'submit', { form: { ...filed, materials } }, requestId);
    };

    const otherNumber = await submit({ name: '王秀英', idNumber: someoneElse }, 'request-family-other-id');
    expect(otherNumber).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'form.insured.idNumber', message: expect.stringContaining('与所选家庭成员王秀英的不一致') }],
      },
    });
    const otherName = await submit({ name: '李雷', idNumber: parent.idNumber }, 'request-family-other-name');
    expect(otherName).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'form.insured.name', message: expect.stringContaining('与所选家庭成员王秀英的不一致') }],
      },
    });
    // Filed as 本人 while naming his mother: refused too.
    const asSelf = validForm({
      personId: parent.id,
      insured: {
        relation: 'self',
        name: '王秀英',
        idNumber: parent.idNumber,
        insuranceType: 'employee',
        retired: true,
        region: '210200',
      },
      payout: { bankName: '中国银行', accountNumber: parent.payout!.accountNumber, holderName: '王秀英' },
      phone: parent.phone!,
    });
    const asSelfMaterials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(asSelf));
    expect(
      await call(
        claimsFunction,
        callers.zhangsan,
        'submit',
        { form: { ...asSelf, materials: asSelfMaterials } },
        'request-family-as-self',
      ),
    ).toMatchObject({ ok: false, error: { issues: [{ path: 'form.insured.relation' }] } });
    expect(await ports.store.collection('claims').count({})).toBe(0);
    // Her own number typed in full, and her name, pass.
    expect(await submit({ name: '王秀英', idNumber: mother.idNumber }, 'request-family-own')).toMatchObject({
      ok: true,
    });
  });
});

describe('one 身份证号, one member; one 本人 (a black-box probe)', () => {
  const persons = async (): Promise<PersonView[]> =>
    (await ok<{ items: PersonView[] }>(claimsFunction, callers.zhangsan, 'listPersons', {})).items;
  const selfOf = (number: string, name = '张三') => ({
    relation: 'self' as const,
    name,
    idNumber: number,
    region: '210200',
    insuranceType: 'employee' as const,
  });
  const saved = (payload: unknown): Promise<PersonView> =>
    ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', payload);
  const refusedSave = (payload: unknown) => refused(claimsFunction, callers.zhangsan, 'savePerson', payload);
  /** A family member as the claim form saves one: relation, name, number (and the id when editing). */
  const member = (relation: PersonView['relation'], name: string, number: string, id?: string) => ({
    ...(id ? { id } : {}),
    relation,
    name,
    idNumber: number,
  });

  it('given two members, when one is edited to the other’s 身份证号, then it is refused and both keep their own', async () => {
    const spouse = await saved(member('spouse', '王芳', idNumber('19860101', '224')));
    const child = await saved(member('child', '张娃', idNumber('20180101', '113')));
    expect(await refusedSave(member('child', '张娃', idNumber('19860101', '224'), child.id))).toMatchObject({
      code: 'PERSON_DUPLICATE',
      message: expect.stringContaining('王芳'),
    });
    // Another number, no member holds it: a saved member's 身份证号 is who they are; a new number is a new member.
    expect(await refusedSave(member('child', '张娃', idNumber('20190101', '113'), child.id))).toMatchObject({
      code: 'PERSON_ID_NUMBER_FIXED',
      message: expect.stringContaining('身份证号'),
    });
    expect((await persons()).map((person) => [person.id, person.idNumber]).sort()).toEqual(
      [
        [spouse.id, spouse.idNumber],
        [child.id, child.idNumber],
      ].sort(),
    );
    // The same number typed in full again, with the id: an ordinary edit.
    expect(await saved(member('child', '张小娃', idNumber('20180101', '113'), child.id))).toMatchObject({
      id: child.id,
      name: '张小娃',
    });
  });

  it('given a member, when a new member is saved with her 身份证号 under another name or relation, then it is refused and she stays (a walk: 王秀英 became 子女 何涛)', async () => {
    const parentNumber = idNumber('19550302', '224');
    const mum = await saved(member('parent', '王秀英', parentNumber));
    expect(await refusedSave(member('child', '何涛', parentNumber))).toMatchObject({
      code: 'PERSON_DUPLICATE',
      message: expect.stringContaining('王秀英'),
    });
    expect(await refusedSave(member('parent', '王秀', parentNumber))).toMatchObject({ code: 'PERSON_DUPLICATE' });
    expect(await persons()).toEqual([expect.objectContaining({ id: mum.id, name: '王秀英', relation: 'parent' })]);
    // Her again, as she is (the claim form saves the person typed on every 下一步): the same member, updated.
    expect(await saved({ ...member('parent', '王秀英', parentNumber), phone: '13911112222' })).toMatchObject({
      id: mum.id,
      phone: '139****2222',
    });
  });

  it('given 本人, when edited into a family member, then it is refused and 本人 still cannot be removed', async () => {
    const self = await saved(selfOf(idNumber()));
    expect(
      await refusedSave({
        ...selfOf(self.idNumber),
        id: self.id,
        relation: 'other',
      }),
    ).toMatchObject({ code: 'PERSON_IS_SELF' });
    expect(await refused(claimsFunction, callers.zhangsan, 'removePerson', { id: self.id })).toMatchObject({
      code: 'PERSON_IS_SELF',
    });
    expect(await persons()).toEqual([expect.objectContaining({ id: self.id, relation: 'self' })]);
  });

  it('given 本人, when another 本人 is saved (one at a time, or several at once), then one 本人 stays', async () => {
    const self = await saved(selfOf(idNumber()));
    expect(await refusedSave(selfOf(idNumber('19900101', '555'), '张三三'))).toMatchObject({
      code: 'PERSON_SELF_EXISTS',
      message: expect.stringContaining('张三'),
    });
    // A member saved as 家人 cannot become 本人 either.
    const cousin = await saved(member('other', '张表', idNumber('19920101', '557')));
    expect(await refusedSave(member('self', '张表', cousin.idNumber, cousin.id))).toMatchObject({
      code: 'PERSON_SELF_EXISTS',
    });
    // 李四, with no 本人 yet, taps twice at once with two numbers: one lands.
    const racing = await Promise.all(
      ['19900101', '19910101', '19920101', '19930101'].map((born) =>
        invoke(
          claimsFunction,
          { action: 'savePerson', payload: selfOf(idNumber(born, '559'), '李四') },
          callers.lisi,
          ports,
        ),
      ),
    );
    expect(racing.filter((answer) => answer.ok)).toHaveLength(1);
    for (const answer of racing.filter((candidate) => !candidate.ok))
      expect(answer).toMatchObject({
        ok: false,
        error: { code: expect.stringMatching(/^(PERSON_SELF_EXISTS|CONFLICT)$/) },
      });
    const lisi = (await ok<{ items: PersonView[] }>(claimsFunction, callers.lisi, 'listPersons', {})).items;
    expect(lisi.filter((person) => person.relation === 'self')).toHaveLength(1);
    expect((await persons()).filter((person) => person.relation === 'self').map((person) => person.id)).toEqual([
      self.id,
    ]);
    // The same 本人 saved again (the claim form does so on every 下一步): an edit, not a second one.
    expect(await saved({ ...selfOf(self.idNumber), id: self.id })).toMatchObject({ id: self.id });
  });
});

describe('removing a family member', () => {
  it('given a parent with no claim in progress, when 张三 removes her, then she is gone from his list; 本人 and someone else’s member are refused', async () => {
    const parent = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', mother);
    const self = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', {
      relation: 'self',
      name: '张三',
      idNumber: idNumber(),
      region: '210200',
      insuranceType: 'employee',
    });

    expect(await refused(claimsFunction, callers.lisi, 'removePerson', { id: parent.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refused(claimsFunction, callers.zhangsan, 'removePerson', { id: self.id })).toMatchObject({
      code: 'PERSON_IS_SELF',
      message: expect.stringContaining('张三不能删除'),
    });
    expect(await ok(claimsFunction, callers.zhangsan, 'removePerson', { id: parent.id })).toEqual({ id: parent.id });

    expect(
      (await ok<{ items: PersonView[] }>(claimsFunction, callers.zhangsan, 'listPersons', {})).items.map(
        (person) => person.id,
      ),
    ).toEqual([self.id]);
    expect(await ports.store.collection('persons').get(parent.id)).toBeNull();
    expect(await refused(claimsFunction, callers.zhangsan, 'removePerson', { id: parent.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refused(claimsFunction, callers.zhangsan, 'removePerson', { id: 'x' })).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('given a claim and a draft in progress for her, when 张三 removes her, then he is told why until both are withdrawn; the withdrawn claim still reads whole', async () => {
    const parent = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', mother);
    const claimId = await submitFor(callers.zhangsan, parent, 'request-remove-01');
    const draft = await ok<{ id: string }>(
      claimsFunction,
      callers.zhangsan,
      'saveDraft',
      { form: { personId: parent.id, insured: { name: parent.name, idNumber: parent.idNumber } } },
      'request-remove-draft',
    );

    const inUse = await refused(claimsFunction, callers.zhangsan, 'removePerson', { id: parent.id });
    expect(inUse).toMatchObject({
      code: 'PERSON_IN_USE',
      message: '王秀英还有 2 份报销申请（含草稿）没有办完，办完或撤回后才能删除',
    });

    await ok(claimsFunction, callers.zhangsan, 'withdraw', { id: claimId });
    expect(await refused(claimsFunction, callers.zhangsan, 'removePerson', { id: parent.id })).toMatchObject({
      code: 'PERSON_IN_USE',
      message: expect.stringContaining('1 份'),
    });
    await ok(claimsFunction, callers.zhangsan, 'withdraw', { id: draft.id });
    await ok(claimsFunction, callers.zhangsan, 'removePerson', { id: parent.id });

    const withdrawn = await ok<ClaimDetail>(claimsFunction, callers.zhangsan, 'get', { id: claimId });
    expect(withdrawn).toMatchObject({
      status: 'withdrawn',
      personId: parent.id,
      form: { insured: { name: '王秀英' } },
    });
  });
  it('given 张三 removing his mother, when a draft naming her is saved between the removal’s check and its transaction, then the removal is refused and no draft names a removed member', async () => {
    const parent = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', mother);
    // The store runs `racing` once, just before the next transaction starts: the removal has counted no claim yet.
    let racing: (() => Promise<unknown>) | null = async () =>
      ok(
        claimsFunction,
        callers.zhangsan,
        'saveDraft',
        { form: { personId: parent.id, insured: { name: parent.name, idNumber: parent.idNumber } } },
        'request-race-draft',
      );
    const store = ports.store;
    const racingStore = Object.create(store) as typeof store;
    racingStore.transaction = async (work) => {
      const before = racing;
      racing = null;
      if (before) await before();
      return store.transaction(work);
    };
    const result = await invoke(
      claimsFunction,
      { action: 'removePerson', payload: { id: parent.id } },
      callers.zhangsan,
      { ...ports, store: racingStore },
    );

    expect(result.ok ? 'removed' : result.error.code).toBe('CONFLICT');
    expect(await ports.store.collection('persons').get(parent.id)).not.toBeNull();
    expect(await refused(claimsFunction, callers.zhangsan, 'removePerson', { id: parent.id })).toMatchObject({
      code: 'PERSON_IN_USE',
    });
  });

  it('given a member already removed, when a draft or a claim still names her, then it is refused: nobody files for a member who is gone', async () => {
    const parent = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', mother);
    await ok(claimsFunction, callers.zhangsan, 'removePerson', { id: parent.id });
    expect(
      await refused(claimsFunction, callers.zhangsan, 'saveDraft', {
        form: { personId: parent.id, insured: { name: parent.name } },
      }),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('paper originals after filing', () => {
  it('given a claim filed with 邮寄 and no tracking number, when the owner adds it, then 待寄出原件 ends, the history has it and the reviewer finds the claim by its 邮寄编号', async () => {
    const parent = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', mother);
    const claimId = await submitFor(callers.zhangsan, parent, 'request-mail-01');
    const filed = await ok<ClaimDetail>(claimsFunction, callers.zhangsan, 'get', { id: claimId });
    expect(filed).toMatchObject({
      originalsToSend: true,
      originals: { method: 'mail' },
      actions: expect.arrayContaining(['recordOriginalsSent']),
    });
    expect(filed.mailCode).toMatch(/^YB[2-9A-HJ-NP-Z]{6}$/);

    expect(
      await refused(claimsFunction, callers.lisi, 'recordOriginalsSent', {
        id: claimId,
        originalsSent: { method: 'mail', trackingNumber: 'SF1234567890' },
      }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await refused(claimsFunction, callers.zhangsan, 'recordOriginalsSent', {
        id: claimId,
        originalsSent: { method: 'mail', trackingNumber: '顺丰' },
      }),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    await ok(claimsFunction, callers.zhangsan, 'recordOriginalsSent', {
      id: claimId,
      originalsSent: { method: 'mail', trackingNumber: 'SF1234567890' },
    });
    const sent = await ok<ClaimDetail>(claimsFunction, callers.zhangsan, 'get', { id: claimId });
    expect(sent).toMatchObject({
      originalsToSend: false,
      originals: { method: 'mail', trackingNumber: 'SF1234567890' },
      status: 'submitted',
    });
    expect(sent.events.at(-1)).toMatchObject({
      action: 'recordOriginalsSent',
      role: 'claimant',
      originalsSent: { trackingNumber: 'SF1234567890' },
    });

    const found = await ok<{ items: Array<{ id: string }> }>(reviewFunction, callers.reviewer, 'queue', {
      mailCode: ` ${filed.mailCode!.toLowerCase()} `,
    });
    expect(found.items.map((item) => item.id)).toEqual([claimId]);
    expect(await refused(reviewFunction, callers.reviewer, 'queue', { mailCode: 'YB0000' })).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await ok(reviewFunction, callers.reviewer, 'receiveOriginals', { id: claimId });
    expect(
      await refused(claimsFunction, callers.zhangsan, 'recordOriginalsSent', {
        id: claimId,
        originalsSent: { method: 'inPerson', date: '2026-03-05' },
      }),
    ).toMatchObject({ code: 'ORIGINALS_ALREADY_RECEIVED' });
  });

  it('given a policy that wants no paper originals (electronic receipts), then the claim has no 邮寄编号 and nothing to record', async () => {
    const form = validForm({ electronicInvoice: true, originals: undefined });
    const required = checklistOf(form as never, false)
      .filter((item) => item.required)
      .map((item) => item.id);
    const { id } = await ok<{ id: string }>(
      claimsFunction,
      callers.zhangsan,
      'submit',
      { form: { ...form, materials: await uploadMaterials(ports.files, callers.zhangsan.openid, required) } },
      'request-einv-01',
    );
    expect(await ok<ClaimDetail>(claimsFunction, callers.zhangsan, 'get', { id })).toMatchObject({
      mailCode: null,
      originalsToSend: false,
    });
    expect(
      await refused(claimsFunction, callers.zhangsan, 'recordOriginalsSent', {
        id,
        originalsSent: { method: 'mail', trackingNumber: 'SF1234567890' },
      }),
    ).toMatchObject({ code: 'ORIGINALS_NOT_NEEDED' });
  });
});

describe('reminders', () => {
  const drain = () =>
    drainWith(ports, {
      notifier: new RecordingNotifier(ports.store, { now: () => clock.now() }),
      templateIds: localTemplateIds,
    });
  const cards = async (openid: string) =>
    (await ports.store.collection<NotificationDoc>('notifications').find({ _openid: openid }))
      .map((card) => card.title)
      .sort();

  it('given a draft 70 days after discharge, a 补件 request and originals not sent, when the clock moves on, then each reminder appears once, however often the timer runs', async () => {
    // a draft of a 住院 stay discharged 70 days ago: 大连 wants it within 90 days → 20 days left
    await ok(
      claimsFunction,
      callers.zhangsan,
      'saveDraft',
      {
        form: {
          guide: { scenario: 'outOfRegion', outOfRegionKind: 'filed', visitKind: 'inpatient' },
          insured: { region: '210200', insuranceType: 'employee' },
          hospital: { name: '北京协和医院' },
          visit: { admissionDate: '2025-12-15', dischargeDate: '2025-12-22' },
        },
      },
      'request-draft-01',
    );
    const parent = await ok<PersonView>(claimsFunction, callers.zhangsan, 'savePerson', mother);
    const waiting = await submitFor(callers.zhangsan, parent, 'request-wait-01');
    const asked = await submitFor(callers.zhangsan, parent, 'request-supp-01', 'inPerson');
    await ok(claimsFunction, callers.zhangsan, 'recordOriginalsSent', {
      id: asked,
      originalsSent: { method: 'inPerson', date: '2026-03-03' },
    });
    await ok(reviewFunction, callers.reviewer, 'decide', {
      id: asked,
      action: 'requestSupplement',
      reasonCode: 'diagnosisMissing',
      materials: ['diagnosis'],
    });

    const first = await drain();
    expect(first.reminders).toBe(1);
    expect(await cards(callers.zhangsan.openid)).toContain('报销申请还没提交');

    clock.advance(8 * DAY); // 12 days left; 补件 waiting 8 days; originals not sent 8 days after filing
    const second = await drain();
    expect(second.reminders).toBe(2);
    const titles = await cards(callers.zhangsan.openid);
    expect(titles).toEqual(expect.arrayContaining(['补充材料还在等您', '纸质原件还没寄出']));

    clock.advance(6 * DAY); // 6 days left
    expect((await drain()).reminders).toBe(1);
    expect(await cards(callers.zhangsan.openid)).toContain('申报期限只剩 6 天');
    expect((await Promise.all([drain(), drain()])).map((report) => report.reminders)).toEqual([0, 0]);
    const all = await ports.store
      .collection<NotificationDoc>('notifications')
      .find({ _openid: callers.zhangsan.openid });
    expect(all.filter((card) => card._id.includes('-r-'))).toHaveLength(4);
    expect(all.find((card) => card.claimId === waiting && card._id.includes('originals7'))?.body).toMatch(
      /邮寄编号 YB[2-9A-HJ-NP-Z]{6}/,
    );
    expect(await cards(callers.lisi.openid)).toEqual([]);
  });
});
