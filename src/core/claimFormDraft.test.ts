import {
  putAsideBlocker,
  checkDraft,
  checklistOfDraft,
  offersGuardianAccount,
  withPayoutHolder,
  draftDeadline,
  largeAmountWarning,
  ageOf,
  insuranceTypeHint,
  WORKING_AGE,
  deadlineText,
  diseaseChoices,
  draftFromServer,
  draftTotalFen,
  emptyDraft,
  estimateDraft,
  ledgerYearOfDraft,
  ledgerYearWords,
  fundPaidInYear,
  formInputOf,
  forNewPerson,
  normaliseDateInput,
  personInputOfDraft,
  regionOptions,
  withSelfChosen,
  serverDraftOf,
  visibleErrors,
  type ClaimDraftState,
} from './claimFormDraft';
import { filingStatus } from './deadline';
import { idNumberCheckChar, luhnCheckDigit } from './identity';
import { samplePolicies } from './policy';

const id17 = '21020219800101123';
const validId = `${id17}${idNumberCheckChar(id17)}`;
const account = `622202020011223344${luhnCheckDigit('622202020011223344')}`;

function filled(): ClaimDraftState {
  const draft = emptyDraft('local-1', 'submit-1', 0);
  return {
    ...draft,
    guide: { scenario: 'outOfRegion', outOfRegionKind: 'temporaryTrip', visitKind: 'outpatient' },
    insured: {
      relation: 'self',
      name: '张三',
      idNumber: validId,
      insuranceType: 'employee',
      retired: false,
      region: '210200',
    },
    hospital: { name: '北京协和医院', level: 3 },
    visit: { visitDate: '2026/11/3', admissionDate: '', dischargeDate: '' },
    lineItems: [
      { key: 'a', name: '西药费', yuan: '1280.50', category: 'A' },
      { key: 'b', name: '检查费', yuan: '300', category: 'B' },
    ],
    payout: { bankName: '中国工商银行', accountNumber: account },
    phone: '13812345678',
    originals: { method: 'inPerson', trackingNumber: '' },
  };
}

describe('the claim draft', () => {
  it('normalises typed dates', () => {
    expect(normaliseDateInput('2026/11/3')).toBe('2026-11-03');
    expect(normaliseDateInput('2026年11月3日')).toBe('2026-11-03');
    expect(normaliseDateInput('20261103')).toBe('2026-11-03');
    expect(normaliseDateInput(' 昨天 ')).toBe('昨天');
  });

  it('turns yuan into fen, fixes the holder to the insured name and keeps only the visit kind’s dates', () => {
    const input = formInputOf(
      { ...filled(), visit: { visitDate: '2026-11-03', admissionDate: '2026-11-01', dischargeDate: '' } },
      {},
      { paperOriginalsRequired: true },
    );
    expect(input.lineItems).toEqual([
      { name: '西药费', category: 'A', amountFen: 128050 },
      { name: '检查费', category: 'B', amountFen: 30000 },
    ]);
    expect(input.payout).toMatchObject({ holderName: '张三' });
    expect(input.visit).toEqual({ visitDate: '2026-11-03' });
    expect(draftTotalFen(filled())).toBe(158050);
  });

  it('a complete draft parses; the declaration is checked only when asked', () => {
    const materials = { invoice: ['cloud://env/a.jpg'] };
    expect(checkDraft(filled(), materials, { paperOriginalsRequired: true }).form).not.toBeNull();
    const strict = checkDraft(filled(), materials, { paperOriginalsRequired: true, includeDeclaration: true });
    expect(strict.errors.declarationAccepted).toBe('请阅读并勾选承诺后再提交');
  });

  it('asks for the visit dates with the rest on an empty form (a walk: 13 fixes listed, 就诊日期 asked only after them)', () => {
    const empty = emptyDraft('l', 's', 0);
    expect(checkDraft(empty, {}, { paperOriginalsRequired: true }).errors['visit.visitDate']).toBe('请填写就诊日期');
    const stay = { ...empty, guide: { scenario: 'outOfRegion' as const, visitKind: 'inpatient' as const } };
    const { errors } = checkDraft(stay, {}, { paperOriginalsRequired: true });
    expect([errors['visit.admissionDate'], errors['visit.dischargeDate'], errors['visit.visitDate']]).toEqual([
      '住院请填写入院日期',
      '住院请填写出院日期',
      undefined,
    ]);
    expect(checkDraft(filled(), {}, { paperOriginalsRequired: true }).errors['visit.visitDate']).toBeUndefined();
  });

  it('names each bad field in plain Chinese', () => {
    const draft = filled();
    const wrongCheck = idNumberCheckChar(id17) === '0' ? '1' : '0';
    const bad: ClaimDraftState = {
      ...draft,
      insured: { ...draft.insured, idNumber: `${id17}${wrongCheck}` },
      lineItems: [{ key: 'a', name: '', yuan: '12.345', category: 'A' }],
      originals: { trackingNumber: '' },
    };
    const { errors, form } = checkDraft(bad, {}, { paperOriginalsRequired: true });
    expect(form).toBeNull();
    expect(errors['insured.idNumber']).toBe('身份证号校验位不对，可能有数字输错了，请逐位核对');
    expect(errors['lineItems[0].amountFen']).toBe('金额最多保留两位小数（到分）');
    expect(errors['lineItems[0].name']).toBe('请填写费用名称');
    expect(errors['originals.method']).toContain('邮寄或自送');
  });

  it('shows messages only for touched fields until the person asks to go on', () => {
    const errors = { 'insured.idNumber': 'x', phone: 'y' };
    expect(visibleErrors(errors, new Set(['phone']), false)).toEqual({ phone: 'y' });
    expect(visibleErrors(errors, new Set(), true)).toEqual(errors);
  });

  it('estimates with the region’s policy and says which one', () => {
    const estimate = estimateDraft(filled(), samplePolicies, undefined, '2026-11-20');
    if (!estimate.ok) throw new Error(estimate.message);
    expect(estimate.result.total).toBe(158050);
    expect(estimate.result.totalPaid + estimate.result.claimantPays).toBe(158050);
    expect(estimate.policy.region).toBe('210200');
    expect(estimate.result.policy.sample).toBe(true);
    expect(estimateDraft({ ...filled(), hospital: { name: 'x' } }, samplePolicies, undefined, '2026-11-20').ok).toBe(
      false,
    );
  });

  it("asks which disease for 特殊门诊, offers the policy's list, and estimates with it (a desk walk: never asked, always 0.00 元)", () => {
    const special: ClaimDraftState = {
      ...filled(),
      guide: { scenario: 'systemFailure', visitKind: 'special' },
      lineItems: [{ key: 'a', name: '血液透析', yuan: '3000', category: 'A' }],
    };
    const options = { paperOriginalsRequired: false };
    expect(checkDraft(special, {}, options).errors['visit.disease']).toBe('请选择病种：特殊门诊按病种报销');
    const dalian = samplePolicies.find((policy) => policy.region === '210200' && policy.insuranceType === 'employee')!;
    const choices = diseaseChoices(dalian, 'special');
    expect(choices.length).toBeGreaterThan(0);
    expect(diseaseChoices(dalian, 'outpatient')).toEqual([]);
    const chosen = { ...special, visit: { ...special.visit, disease: choices[0]!.code } };
    expect(checkDraft(chosen, {}, options).errors['visit.disease']).toBeUndefined();
    expect(formInputOf(chosen, {}, { paperOriginalsRequired: false }).visit).toMatchObject({
      disease: choices[0]!.code,
    });
    const estimate = estimateDraft(chosen, samplePolicies, undefined, '2026-11-20');
    if (!estimate.ok) throw new Error(estimate.message);
    expect(estimate.result.totalPaid).toBeGreaterThan(0);
    // Kept with the draft on the server, and back.
    expect(
      draftFromServer('server-1', serverDraftOf(chosen), 0, { localId: 'local-2', submitRequestId: 'submit-2' }).visit
        .disease,
    ).toBe(choices[0]!.code);
    // Another kind drops it from the form.
    expect(
      formInputOf(
        { ...chosen, guide: { ...chosen.guide, visitKind: 'outpatient' } },
        {},
        { paperOriginalsRequired: false },
      ).visit,
    ).not.toHaveProperty('disease');
  });

  it('asks for the ledger of the policy year the visit falls in, not the calendar year (a policy year from 07-01)', () => {
    // A money probe: a 2026-06-15 visit under a policy year from 07-01 asked for 2026's ledger and the estimate
    // said 年度累计记录属于 2026 医保年度 instead of a figure.
    const july = samplePolicies.map((policy) => ({ ...policy, policyYearStart: '07-01' }));
    const on = (visitDate: string) => ({ ...filled(), visit: { visitDate, admissionDate: '', dischargeDate: '' } });
    expect(ledgerYearOfDraft(on('2026-06-15'), july, '2026-11-20')).toBe(2025);
    expect(ledgerYearOfDraft(on('2026-07-01'), july, '2026-11-20')).toBe(2026);
    expect(ledgerYearOfDraft(on('2026-06-15'), samplePolicies, '2026-11-20')).toBe(2026);
    // No date yet: today's; no policy for the region: the calendar year of the date.
    expect(ledgerYearOfDraft(on(''), july, '2026-03-01')).toBe(2025);
    expect(
      ledgerYearOfDraft(
        { ...on('2026-06-15'), insured: { ...filled().insured, region: '999998' } },
        july,
        '2026-11-20',
      ),
    ).toBe(2026);
  });

  it('names the ledger’s year as a person reads it: 今年 when it is this year’s, else the year and, if not a calendar one, its span', () => {
    const calendar = { policyYearStart: '01-01' };
    const july = { policyYearStart: '07-01' };
    expect(ledgerYearWords(calendar, 2026, '2026-11-20')).toEqual({ short: '今年', long: '今年' });
    expect(ledgerYearWords(calendar, 2025, '2026-01-05')).toEqual({ short: '2025 年', long: '2025 年' });
    expect(ledgerYearWords(july, 2026, '2026-11-20')).toEqual({ short: '本医保年度', long: '本医保年度' });
    expect(ledgerYearWords(july, 2025, '2026-11-20')).toEqual({
      short: '2025 医保年度',
      long: '2025 医保年度（2025-07-01 至 2026-06-30）',
    });
  });

  it('counts what the fund paid this year from every benefit and 大病, not from the capped benefits alone', () => {
    // A walk: 426.47 元 of 门诊 paid, 今年医保已支付 0.00 元 (the page summed fundPaidByCap, empty for 门诊).
    expect(fundPaidInYear({ benefitPaid: { outpatient: 42647 }, majorIllnessPaid: 0 })).toBe(42647);
    expect(fundPaidInYear({ benefitPaid: { inpatient: 500000, 'chronic.tumor': 1200 }, majorIllnessPaid: 30000 })).toBe(
      531200,
    );
    expect(fundPaidInYear({ benefitPaid: {}, majorIllnessPaid: 0 })).toBe(0);
  });

  it('says why no estimate when the dates contradict each other, and what to fill while a date is missing', () => {
    // A walk: 出院 before 入院 (a second receipt's date) and the estimate went back to 填好参保地… with no reason.
    const stay = {
      ...filled(),
      guide: { ...filled().guide, visitKind: 'inpatient' as const },
      visit: { visitDate: '', admissionDate: '2026-11-13', dischargeDate: '2026-11-10' },
    };
    expect(estimateDraft(stay, samplePolicies, undefined, '2026-11-20')).toEqual({
      ok: false,
      message: '暂时算不出预估金额：出院日期不能早于入院日期，请改正后再看。',
    });
    const missing = { ...stay, visit: { ...stay.visit, dischargeDate: '' } };
    expect(estimateDraft(missing, samplePolicies, undefined, '2026-11-20')).toEqual({
      ok: false,
      message: '填好参保地、险种、医院等级、就诊日期和费用明细后，这里会算出预计能报多少',
    });
  });

  it('lists the three sample regions with their insurance types', () => {
    expect(regionOptions(samplePolicies)).toEqual(
      expect.arrayContaining([
        { code: '210200', name: '大连市', insuranceTypes: ['employee', 'resident'] },
        { code: '110000', name: '北京市', insuranceTypes: ['employee'] },
        { code: '350581', name: '石狮市', insuranceTypes: ['resident'] },
      ]),
    );
  });

  it('words the filing deadline', () => {
    const policy = samplePolicies.find((p) => p.region === '210200' && p.insuranceType === 'employee')!;
    const filing = filingStatus(policy, { visitDate: '2026-11-03' }, new Date('2026-11-23T00:00:00Z'));
    expect(deadlineText(policy, filing, false)).toBe(
      `就诊后 90 天内提交，还剩 ${filing.daysLeft} 天（截止 ${filing.deadline}）`,
    );
  });

  it('comes back from the server copy, leaving masked personal fields to be typed again', () => {
    const server = {
      ...serverDraftOf(filled()),
      insured: { ...(serverDraftOf(filled()).insured as object), idNumber: '210***********1234' },
      phone: '138****5678',
    };
    const back = draftFromServer('claim-1', server, 5, { localId: 'other', submitRequestId: 'other' });
    expect(back.serverId).toBe('claim-1');
    expect(back.localId).toBe('local-1');
    expect(back.insured.idNumber).toBe('');
    expect(back.phone).toBe('');
    expect(back.lineItems.map((line) => line.yuan)).toEqual(['1280.50', '300']);
    expect(back.hospital).toEqual({ name: '北京协和医院', level: 3 });
  });

  it('given a draft for a family member, when it comes back from the server, then the member keeps their relation (a mother stays 母亲, not 其他家人)', () => {
    const forMother: ClaimDraftState = {
      ...filled(),
      personId: 'person-1',
      personRelation: 'parent',
      insured: { ...filled().insured, relation: 'relative' },
    };
    const back = draftFromServer('claim-1', serverDraftOf(forMother), 5, {
      localId: 'other',
      submitRequestId: 'other',
    });
    expect(back.personId).toBe('person-1');
    expect(back.personRelation).toBe('parent');
  });

  it('险种 says what a region offers and, where a type has no policy here, whom to ask; a child is not asked 在职还是退休 (a walk: an 8-year-old in 北京市)', () => {
    const beijing = { code: '110100', name: '北京市', insuranceTypes: ['employee' as const] };
    const both = { code: '210200', name: '大连市', insuranceTypes: ['employee' as const, 'resident' as const] };
    const child17 = '11010520180612002';
    const child = `${child17}${idNumberCheckChar(child17)}`;
    const age = ageOf(child, '2026-12-08');
    expect(age).toBe(8);
    expect(age! < WORKING_AGE).toBe(true);
    expect(insuranceTypeHint(beijing, age)).toBe(
      '北京市可选：职工医保。未成年人一般参加居民医保。北京市居民医保的报销政策还没有收录，暂不能在这里申请：请向北京市医保经办机构申请，或拨打 12393 咨询。',
    );
    expect(insuranceTypeHint(beijing, 40)).toBe(
      '北京市可选：职工医保。北京市居民医保的报销政策还没有收录，暂不能在这里申请：请向北京市医保经办机构申请，或拨打 12393 咨询。',
    );
    expect(insuranceTypeHint(both, age)).toBe('大连市可选：职工医保、居民医保');
    expect(insuranceTypeHint(undefined, null)).toBe('先选参保地');
    // The day before the birthday, a year younger; a number not valid yet, no age.
    expect(ageOf(child, '2026-06-11')).toBe(7);
    expect(ageOf(child, '2026-06-12')).toBe(8);
    expect(ageOf('1101052018', '2026-12-08')).toBeNull();
  });

  it('a line above 200,000 元 is asked to be checked, not refused (a walk: 35,000,000 元 of 床位费 went through unasked)', () => {
    expect(largeAmountWarning('35000000')).toBe(
      '这一项 35,000,000.00 元，金额很大：请对照票据核对，是否多输了位数或漏了小数点。没有错可以继续。',
    );
    expect(largeAmountWarning('200000')).toBeNull();
    expect(largeAmountWarning('200000.01')).not.toBeNull();
    expect(largeAmountWarning('1280.50')).toBeNull();
    expect(largeAmountWarning('abc')).toBeNull();
  });

  it("出院 before 入院 is said with the other fixes, not only once they are made (a walk: one fix counted, the dates' hidden)", () => {
    const stay = {
      ...filled(),
      guide: { scenario: 'outOfRegion', outOfRegionKind: 'temporaryTrip', visitKind: 'inpatient' },
      visit: { visitDate: '', admissionDate: '2026-12-03', dischargeDate: '2026/11/30' },
      originals: { method: '', trackingNumber: '' },
    } as unknown as ClaimDraftState;
    const { errors } = checkDraft(stay, {}, { paperOriginalsRequired: true, today: '2026-12-08' });
    expect(errors).toMatchObject({
      'originals.method': '本地政策要求交验纸质原件，请选择邮寄或自送',
      'visit.dischargeDate': '出院日期不能早于入院日期',
    });
    expect(Object.keys(errors)).toHaveLength(2);
    // Nor is a deadline counted from them.
    expect(draftDeadline(stay, samplePolicies, new Date('2026-12-08T04:00:00Z'), '2026-12-08')).toBeNull();
  });

  it('a visit, admission or discharge after today (Asia/Shanghai) is a field error: care not yet given is not claimed', () => {
    const today = '2026-12-05';
    const future = { ...filled(), visit: { visitDate: '2027-06-01', admissionDate: '', dischargeDate: '' } };
    expect(checkDraft(future, {}, { paperOriginalsRequired: false, today }).errors['visit.visitDate']).toBe(
      '就诊日期不能晚于今天（2026-12-05），请按票据上的日期填写',
    );
    const stay = {
      ...filled(),
      guide: { scenario: 'outOfRegion', outOfRegionKind: 'temporaryTrip', visitKind: 'inpatient' },
      visit: { visitDate: '', admissionDate: '2026-12-01', dischargeDate: '2026-12-06' },
    } as ClaimDraftState;
    const { errors } = checkDraft(stay, {}, { paperOriginalsRequired: false, today });
    expect(errors['visit.dischargeDate']).toMatch(/^出院日期不能晚于今天/);
    expect(errors['visit.admissionDate']).toBeUndefined();
    // Today itself is fine.
    const onTheDay = { ...filled(), visit: { visitDate: today, admissionDate: '', dischargeDate: '' } };
    expect(
      checkDraft(onTheDay, {}, { paperOriginalsRequired: false, today }).errors['visit.visitDate'],
    ).toBeUndefined();
  });

  it('险种 and 医院等级 not chosen ask for a choice in words, never the codes (employee, 1) the policy files use', () => {
    const draft = filled();
    const { insuranceType: _type, ...insured } = draft.insured;
    const unchosen: ClaimDraftState = { ...draft, insured, hospital: { name: draft.hospital.name } };
    const { errors } = checkDraft(unchosen, {}, { paperOriginalsRequired: false });
    expect(errors['insured.insuranceType']).toBe('请选择险种：职工医保或居民医保');
    expect(errors['hospital.level']).toBe('请选择医院等级：一级、二级或三级');
  });
});

describe('本人 chosen for a new draft', () => {
  const self = {
    id: 'p-self',
    relation: 'self' as const,
    name: '张三',
    idNumber: '210***********1234',
    retired: false,
    updatedAt: '',
  };
  const child = { ...self, id: 'p-child', relation: 'child' as const, name: '张娃' };
  const fresh = emptyDraft('local-2', 'submit-2', 0);

  it('picks 本人 when the draft names nobody yet; never over a choice or typing', () => {
    expect(withSelfChosen(fresh, [child, self])).toMatchObject({ personId: 'p-self', insured: { name: '张三' } });
    expect(withSelfChosen(fresh, [child])).toBe(fresh);
    const typing = { ...fresh, insured: { ...fresh.insured, name: '李' } };
    expect(withSelfChosen(typing, [self])).toBe(typing);
    const forChild = { ...fresh, insured: { ...fresh.insured, relation: 'relative' as const } };
    expect(withSelfChosen(forChild, [self])).toBe(forChild);
  });
});

describe('adding a new family member on a draft', () => {
  it('drops the chosen member, their 险种 and 退休; keeps the region, and its one 险种 where it has one', () => {
    const chosen = {
      ...filled(),
      personId: 'p-self',
      insured: { ...filled().insured, retired: true, insuranceType: 'employee' as const },
    };
    const both = [{ code: '210200', name: '大连市', insuranceTypes: ['employee', 'resident'] as const }].map(
      (option) => ({
        ...option,
        insuranceTypes: [...option.insuranceTypes],
      }),
    );
    const child = forNewPerson(chosen, 'child', both);
    expect(child).not.toHaveProperty('personId');
    expect(child.insured).toEqual({ relation: 'relative', name: '', idNumber: '', retired: false, region: '210200' });
    expect(child.payout).toEqual({ bankName: '', accountNumber: '' });
    const oneType = [{ code: '210200', name: '大连市', insuranceTypes: ['employee' as const] }];
    expect(forNewPerson(chosen, 'child', oneType).insured.insuranceType).toBe('employee');
    // 重新填写这位家庭成员: the same person again, their 险种 and 退休 kept.
    expect(forNewPerson(chosen, 'self', both, { keepInsurance: true }).insured).toMatchObject({
      insuranceType: 'employee',
      retired: true,
      name: '',
    });
  });
});

describe('新增家庭成员: who the new member is, chosen, never assumed', () => {
  const both = [{ code: '210200', name: '大连市', insuranceTypes: ['employee' as const, 'resident' as const] }];
  const chosen = { ...filled(), personId: 'p-self', personRelation: 'self' as const };

  it('starts with no relation ticked (a walk saw 其他家人 ticked for a child), and asks for one at 下一步', () => {
    const added = forNewPerson(chosen, undefined, both);
    expect(added).not.toHaveProperty('personRelation');
    expect(added.insured.relation).toBe('relative');
    const typed = {
      ...added,
      insured: { ...added.insured, name: '张娃', idNumber: validId, insuranceType: 'resident' as const },
    };
    expect(checkDraft(typed, {}, { paperOriginalsRequired: false }).errors['insured.relation']).toBe(
      '请选择看病的人是您的谁：配偶、子女、父母或其他家人',
    );
    const asChild = { ...typed, personRelation: 'child' as const };
    expect(checkDraft(asChild, {}, { paperOriginalsRequired: false }).errors['insured.relation']).toBeUndefined();
  });

  it('a draft for 本人, or for a saved member, needs no relation chosen', () => {
    expect(checkDraft(filled(), {}, { paperOriginalsRequired: false }).errors['insured.relation']).toBeUndefined();
    const forSaved = { ...filled(), personId: 'p1', insured: { ...filled().insured, relation: 'relative' as const } };
    expect(checkDraft(forSaved, {}, { paperOriginalsRequired: false }).errors['insured.relation']).toBeUndefined();
  });

  it('the relation chosen for a member not yet saved comes back with the draft from the server', () => {
    const typed: ClaimDraftState = {
      ...filled(),
      personRelation: 'spouse',
      insured: { ...filled().insured, relation: 'relative' },
    };
    const back = draftFromServer('claim-1', serverDraftOf(typed), 5, { localId: 'x', submitRequestId: 'y' });
    expect(back.personRelation).toBe('spouse');
  });
});

describe('the family member a draft keeps (savePerson from 下一步)', () => {
  it('names the chosen member while the 身份证号 is theirs (masked); a number typed in full is a person of its own', () => {
    const chosen = { ...filled(), personId: 'p1', personRelation: 'child' as const };
    const kept = {
      ...chosen,
      insured: { ...chosen.insured, relation: 'relative' as const, idNumber: '210***********1234' },
    };
    expect(personInputOfDraft(kept)).toMatchObject({ id: 'p1', relation: 'child', idNumber: '210***********1234' });
    // Retyped (the same number or another): saved by the number, never as an edit of the member chosen before (the
    // server refuses a member's number changed, and two members with one number shared one ledger).
    const typed = { ...chosen, insured: { ...chosen.insured, relation: 'relative' as const } };
    const input = personInputOfDraft(typed)!;
    expect(input).toMatchObject({ relation: 'child', idNumber: validId });
    expect(input).not.toHaveProperty('id');
  });
});

describe('putting the draft in progress aside (重新开始, opening another draft)', () => {
  it('is allowed only when it is saved on the server with every photo', () => {
    expect(putAsideBlocker({ saved: true, photosNotUploaded: 0 }, 'startAgain')).toBeNull();
    expect(putAsideBlocker({ saved: true, photosNotUploaded: 0 }, 'openOther')).toBeNull();
  });

  it('names the photos not yet uploaded, and says what to do and what would be lost', () => {
    const reason = putAsideBlocker({ saved: true, photosNotUploaded: 2 }, 'openOther');
    expect(reason).toContain('还有 2 张照片没有传上去');
    expect(reason).toContain('再打开另一份');
    expect(reason).toContain('照片会丢失');
    // Photos come first: while one is on its way the draft is never saved with it.
    expect(putAsideBlocker({ saved: false, photosNotUploaded: 1 }, 'startAgain')).toContain('还有 1 张照片');
  });

  it('says an unsaved change would be lost and to get online first', () => {
    const reason = putAsideBlocker({ saved: false, photosNotUploaded: 0 }, 'startAgain');
    expect(reason).toContain('还没保存到服务器');
    expect(reason).toContain('再重新开始');
    expect(reason).toContain('改动会丢失');
  });
});

describe('a minor paid into a parent’s or guardian’s account', () => {
  const child17 = '21020220180115422';
  const childId = `${child17}${idNumberCheckChar(child17)}`;
  function childDraft(): ClaimDraftState {
    const draft = filled();
    return {
      ...draft,
      visit: { ...draft.visit, visitDate: '2026-11-03' },
      insured: { ...draft.insured, relation: 'relative', name: '张小雨', idNumber: childId, insuranceType: 'resident' },
      personRelation: 'child',
      payout: { ...draft.payout, guardianRelation: 'mother', holderName: '王芳' },
    };
  }

  it('sends the guardian as the holder, with the relation; without one, the holder is the insured person', () => {
    expect(formInputOf(childDraft(), {}, { paperOriginalsRequired: true }).payout).toEqual({
      bankName: '中国工商银行',
      accountNumber: account,
      holderName: '王芳',
      guardianRelation: 'mother',
    });
    expect(formInputOf(filled(), {}, { paperOriginalsRequired: true }).payout).toEqual({
      bankName: '中国工商银行',
      accountNumber: account,
      holderName: '张三',
    });
  });

  it('is said where the policy does not allow it, or the person is 18 or over; under 18 where it does, the form is complete', () => {
    const options = { paperOriginalsRequired: true, today: '2026-12-02' };
    const allowed = checkDraft(childDraft(), {}, { ...options, guardianAccountForMinors: true });
    expect(allowed.errors).toEqual({});
    expect(allowed.form?.payout).toMatchObject({ holderName: '王芳', guardianRelation: 'mother' });
    expect(checkDraft(childDraft(), {}, options).errors['payout.guardianRelation']).toContain('本地政策规定');
    const adult = { ...childDraft(), insured: { ...childDraft().insured, idNumber: validId } };
    expect(
      checkDraft(adult, {}, { ...options, guardianAccountForMinors: true }).errors['payout.guardianRelation'],
    ).toBe('参保人已满 18 周岁，报销款须打入本人名下的银行账户：请选「参保人本人的账户」');
    const noName = { ...childDraft(), payout: { ...childDraft().payout, holderName: '' } };
    expect(
      checkDraft(noName, {}, { ...options, guardianAccountForMinors: true }).errors['payout.holderName'],
    ).toBeDefined();
  });

  it('asks for a 监护关系证明 among the materials, and is offered only where it may be chosen', () => {
    const ids = (draft: ClaimDraftState): string[] => checklistOfDraft(draft, true).map((item) => item.id);
    expect(ids(childDraft())).toContain('guardianProof');
    expect(ids(filled())).not.toContain('guardianProof');
    expect(offersGuardianAccount(true, 8)).toBe(true);
    expect(offersGuardianAccount(true, null)).toBe(true);
    expect(offersGuardianAccount(true, 18)).toBe(false);
    expect(offersGuardianAccount(false, 8)).toBe(false);
    // A parent or spouse is an adult even before the 身份证号 says so (a walk: 父亲的账户 offered for 张三's mother).
    expect(offersGuardianAccount(true, null, 'parent')).toBe(false);
    expect(offersGuardianAccount(true, null, 'spouse')).toBe(false);
    expect(offersGuardianAccount(true, null, 'child')).toBe(true);
  });

  it('types the card again when the holder changes: the mother’s card never stays under the child’s name (a walk)', () => {
    const mothers = {
      bankName: '中国建设银行大连分行',
      accountNumber: account,
      guardianRelation: 'mother' as const,
      holderName: '李四',
    };
    expect(withPayoutHolder(mothers, 'own')).toEqual({ bankName: '', accountNumber: '' });
    expect(withPayoutHolder(mothers, 'mother')).toBe(mothers);
    // Another guardian: the name typed stays (most often a relation tapped wrong), the card does not.
    expect(withPayoutHolder(mothers, 'guardian')).toEqual({
      bankName: '',
      accountNumber: '',
      guardianRelation: 'guardian',
      holderName: '李四',
    });
    const own = { bankName: '中国工商银行', accountNumber: account };
    expect(withPayoutHolder(own, 'father')).toEqual({
      bankName: '',
      accountNumber: '',
      guardianRelation: 'father',
      holderName: '',
    });
    expect(withPayoutHolder(own, 'own')).toBe(own);
  });

  it('keeps the guardian through the server copy and in the member saved', () => {
    const back = draftFromServer('d1', serverDraftOf(childDraft()), 0, { localId: 'l', submitRequestId: 's' });
    expect(back.payout).toMatchObject({ guardianRelation: 'mother', holderName: '王芳' });
    expect(personInputOfDraft(childDraft())?.payout).toEqual({
      bankName: '中国工商银行',
      accountNumber: account,
      guardianRelation: 'mother',
      holderName: '王芳',
    });
  });
});
