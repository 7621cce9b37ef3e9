import { materialDefinitions, type MaterialId } from '../../src/core/materials';
import { claimNumberOf } from '../../src/core/claimNumber';
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import type { ClaimDoc } from '../repositories/claims';
import { versionOf } from '../../test/support/review';
import { invoke } from './framework';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { requiredMaterialIds, uploadMaterials, validForm } from '../../test/support/fixtures';

let ports: Awaited<ReturnType<typeof embeddedPorts>>;
beforeEach(async () => {
  ports = await embeddedPorts();
});

const call = (
  caller: (typeof callers)[keyof typeof callers] | null,
  action: string,
  payload?: unknown,
  requestId?: string,
) => invoke(claimsFunction, { action, payload, ...(requestId ? { requestId } : {}) }, caller, ports);

async function storedClaims(): Promise<number> {
  return ports.store.collection('claims').count({});
}

describe('claims: the vertical slice', () => {
  it('creates a draft and lists it for its owner only; the caller never declares the amount', async () => {
    expect(await call(callers.zhangsan, 'createDraft', { title: '协和医院门诊', amountFen: 128050 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    const created = await call(callers.zhangsan, 'createDraft', { title: ' 协和医院门诊 ' });
    expect(created).toMatchObject({ ok: true, data: { title: '协和医院门诊', amountFen: 0, status: 'draft' } });

    const mine = await call(callers.zhangsan, 'listMine', {});
    expect(mine.ok && (mine.data as { items: unknown[]; total: number })).toMatchObject({
      total: 1,
      items: [{ title: '协和医院门诊' }],
    });

    const theirs = await call(callers.lisi, 'listMine', {});
    expect(theirs).toEqual({ ok: true, data: { items: [], page: 1, pageSize: 20, total: 0 } });
  });

  it("answers another claimant's claim as it answers a made-up id: NOT_FOUND (which ids exist is not revealed)", async () => {
    const created = await call(callers.zhangsan, 'createDraft', { title: '急诊' });
    const id = created.ok ? (created.data as { id: string }).id : '';
    expect(await call(callers.zhangsan, 'get', { id })).toMatchObject({ ok: true, data: { id } });
    const notFound = { ok: false, error: { code: 'NOT_FOUND', message: '没有找到这份报销申请' } };
    expect(await call(callers.lisi, 'get', { id })).toEqual(notFound);
    expect(await call(callers.lisi, 'get', { id: 'doesnotexist1' })).toEqual(notFound);
  });

  it('answers NOT_FOUND for an id that does not exist', async () => {
    expect(await call(callers.zhangsan, 'get', { id: 'doesnotexist1' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('is idempotent by request id: ten retries and two concurrent calls make one draft', async () => {
    const payload = { title: '住院' };
    const ids = new Set<string>();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const result = await call(callers.zhangsan, 'createDraft', payload, 'request-0001');
      if (result.ok) ids.add((result.data as { id: string }).id);
    }
    const concurrent = await Promise.all([
      call(callers.zhangsan, 'createDraft', payload, 'request-0002'),
      call(callers.zhangsan, 'createDraft', payload, 'request-0002'),
    ]);
    for (const result of concurrent) if (result.ok) ids.add((result.data as { id: string }).id);
    expect(ids.size).toBe(2);
    expect(await storedClaims()).toBe(2);
  });

  it('the same request id from two people makes two drafts (ids are per person)', async () => {
    await call(callers.zhangsan, 'createDraft', { title: 'a' }, 'request-0003');
    await call(callers.lisi, 'createDraft', { title: 'b' }, 'request-0003');
    expect(await storedClaims()).toBe(2);
  });
});

describe('claims: bad input stores nothing and always answers with a code and a Chinese message', () => {
  it.each([
    ['missing title', {}, 'VALIDATION_FAILED', 'title'],
    ['blank title', { title: '   ' }, 'VALIDATION_FAILED', 'title'],
    ['title too long', { title: '住'.repeat(41) }, 'VALIDATION_FAILED', 'title'],
    ['an amount declared by the caller', { title: 'x', amountFen: 100 }, 'VALIDATION_FAILED', ''],
    ['unknown field', { title: 'x', _openid: 'someone-else' }, 'VALIDATION_FAILED', ''],
  ])('%s', async (_name, payload, code, path) => {
    const result = await call(callers.zhangsan, 'createDraft', payload);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(result.error.issues?.some((issue) => issue.path === path && /[\u4e00-\u9fff]/.test(issue.message))).toBe(
        true,
      );
    }
    expect(await storedClaims()).toBe(0);
  });

  it('unknown action, malformed envelope and anonymous caller', async () => {
    expect(await call(callers.zhangsan, 'dropDatabase')).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ACTION' },
    });
    expect(await call(callers.zhangsan, '__proto__')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
    // The caller's action name is not echoed back (NUL and a lone surrogate were).
    expect(await call(callers.zhangsan, 'drop\u0000\ud800')).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_ACTION', message: '不支持这个操作，请把小程序更新到最新版本后再试' },
    });
    expect(await invoke(claimsFunction, 'not an object', callers.zhangsan, ports)).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await call(null, 'createDraft', { title: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', message: '请先登录' },
    });
    expect(await storedClaims()).toBe(0);
  });
});

describe('dates the claim gives', () => {
  it('refuses a visit after today in Shanghai, writing nothing; today itself, already tomorrow in Shanghai, is taken', async () => {
    // 17:30 UTC on 1 March is 01:30 on 2 March in Shanghai.
    const local = await embeddedPorts({ clock: new FixedClock(new Date('2026-03-01T17:30:00Z')) });
    const submitOn = async (visitDate: string, requestId: string) => {
      const form = validForm({ visit: { visitDate } });
      const materials = await uploadMaterials(local.files, callers.zhangsan.openid, requiredMaterialIds(form));
      return invoke(
        claimsFunction,
        { action: 'submit', payload: { form: { ...form, materials } }, requestId },
        callers.zhangsan,
        local,
      );
    };
    expect(await submitOn('2026-03-03', 'future-date-1')).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'form.visit.visitDate', message: '就诊日期不能晚于今天（2026-03-02），请按票据上的日期填写' }],
      },
    });
    expect(await local.store.collection('claims').count({})).toBe(0);
    expect(await submitOn('2026-03-02', 'future-date-2')).toMatchObject({ ok: true, data: { status: 'submitted' } });
  });

  it("names each refused field by its path in the request, under form. as zod's own issues do (a probe: visit.visitDate)", async () => {
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const { originals: _left, ...withoutOriginals } = { ...form, materials };
    expect(await call(callers.zhangsan, 'submit', { form: withoutOriginals }, 'no-originals')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', issues: [{ path: 'form.originals.method', message: '请选择邮寄或自送' }] },
    });
    expect(await storedClaims()).toBe(0);
  });

  it('refuses one photo given for two materials, or twice for one, writing nothing', async () => {
    const label = (id: string): string => materialDefinitions[id as MaterialId].label;
    // A probe sent one photo as every required material, and the 预审 found the materials complete.
    const form = validForm();
    const required = requiredMaterialIds(form);
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, required);
    const [first, second] = required as [(typeof required)[number], (typeof required)[number]];
    const reused = { ...materials, [second]: materials[first] };
    expect(await call(callers.zhangsan, 'submit', { form: { ...form, materials: reused } }, 'reused-1')).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: '有一张照片交了两次：请在「上传材料」删掉重复的那张，再提交',
        issues: [
          {
            path: `form.materials.${second}`,
            message: `「${label(second)}」第 1 张与「${label(first)}」第 1 张是同一张照片：一张照片只能交给一项材料，请删掉它，换成${label(second)}的照片`,
          },
        ],
      },
    });
    // The same photo twice for one material: which one to delete (a walk: 同一张照片交了两次，请换一张, naming neither).
    const twice = { ...materials, [first]: [...materials[first]!, ...materials[first]!] };
    expect(await call(callers.zhangsan, 'submit', { form: { ...form, materials: twice } }, 'reused-2')).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        issues: [
          {
            path: `form.materials.${first}`,
            message: `「${label(first)}」第 2 张与第 1 张是同一张照片，请删掉第 2 张`,
          },
        ],
      },
    });
    // The same photo uploaded twice is two files of one content: given for two materials, refused the same way (a
    // black-box probe filed one picture as 身份证 and 银行卡 so).
    const again = await ports.files.put(
      callers.zhangsan.openid,
      'again.jpg',
      'image/jpeg',
      await ports.files.bytes(materials[first]![0]!),
    );
    const copied = { ...materials, [second]: [again.fileID] };
    expect(await call(callers.zhangsan, 'submit', { form: { ...form, materials: copied } }, 'reused-4')).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        issues: [{ path: `form.materials.${second}`, message: expect.stringContaining('是同一张照片') }],
      },
    });
    expect(await storedClaims()).toBe(0);
    expect(await call(callers.zhangsan, 'submit', { form: { ...form, materials } }, 'reused-3')).toMatchObject({
      ok: true,
    });
  });

  it('refuses a line item of 0 元 and a claim whose items add up past 1 亿元, writing nothing', async () => {
    // A probe filed a claim of 0.00 元 (it reached the queue), and 200 items of 1 亿元 each (200 亿元 in all).
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const free = { ...form.lineItems[0]!, amountFen: 0 };
    expect(
      await call(callers.zhangsan, 'submit', { form: { ...form, lineItems: [free], materials } }, 'zero-line-1'),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'form.lineItems[0].amountFen', message: '金额须大于 0，免费的项目不用填' }],
      },
    });
    const huge = Array.from({ length: 3 }, () => ({ ...form.lineItems[0]!, amountFen: 50_000_000_00 }));
    expect(
      await call(callers.zhangsan, 'submit', { form: { ...form, lineItems: huge, materials } }, 'huge-lines-1'),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'form.lineItems', message: '费用合计超过 1 亿元，请核对各项金额' }],
      },
    });
    expect(await storedClaims()).toBe(0);
  });

  it('a claim submitted without a draft is created at its submission time, not after it', async () => {
    let tick = Date.parse('2026-03-02T02:00:00Z');
    const ticking = await embeddedPorts({ clock: { now: () => new Date((tick += 7)) } });
    const form = validForm();
    const materials = await uploadMaterials(ticking.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const filed = await invoke(
      claimsFunction,
      { action: 'submit', payload: { form: { ...form, materials } }, requestId: 'no-draft-1' },
      callers.zhangsan,
      ticking,
    );
    if (!filed.ok) throw new Error(JSON.stringify(filed.error));
    const doc = await ticking.store
      .collection<{ _id: string; createdAt: string; submittedAt: string }>('claims')
      .get((filed.data as { id: string }).id);
    expect(doc!.createdAt).toBe(doc!.submittedAt);
  });

  it('登记原件寄出 takes only a day that exists', async () => {
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const filed = await call(callers.zhangsan, 'submit', { form: { ...form, materials } }, 'originals-date-1');
    if (!filed.ok) throw new Error(JSON.stringify(filed.error));
    const id = (filed.data as { id: string }).id;
    for (const date of [
      '2026-13-45',
      '9999-99-99',
      '2026-02-30',
      '1900-01-01',
      '2099-01-01',
      '2026-03-01',
      '2026-05-02',
    ])
      expect(
        await call(callers.zhangsan, 'recordOriginalsSent', { id, originalsSent: { method: 'inPerson', date } }),
      ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    // Filed on 2 March (Shanghai): from that day to 60 days ahead.
    expect(
      await call(callers.zhangsan, 'recordOriginalsSent', {
        id,
        originalsSent: { method: 'inPerson', date: '2026-05-01' },
      }),
    ).toMatchObject({ ok: true });
    expect(
      await call(callers.zhangsan, 'recordOriginalsSent', {
        id,
        originalsSent: { method: 'inPerson', date: '2026-03-03' },
      }),
    ).toMatchObject({ ok: true });
  });

  it('登记原件寄出 of what is recorded already writes nothing, and the record is changed at most 5 times (a probe: 500 calls, 503 events, a 118 KB claim)', async () => {
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const filed = await call(callers.zhangsan, 'submit', { form: { ...form, materials } }, 'originals-cap-1');
    if (!filed.ok) throw new Error(JSON.stringify(filed.error));
    const id = (filed.data as { id: string }).id;
    const eventsOf = async (): Promise<string[]> =>
      (await ports.store.collection<{ _id: string; events: Array<{ action: string }> }>('claims').get(id))!.events.map(
        (event) => event.action,
      );
    const mailed = (trackingNumber: string) => ({ id, originalsSent: { method: 'mail', trackingNumber } });
    // The form's tracking number (SF1234567890) sent again under fresh request ids: nothing new to record.
    for (const requestId of ['originals-same-1', 'originals-same-2'])
      expect(await call(callers.zhangsan, 'recordOriginalsSent', mailed('SF1234567890'), requestId)).toMatchObject({
        ok: true,
      });
    expect(await eventsOf()).toEqual(['submit']);
    for (const [index, number] of [
      'SF0000000001',
      'SF0000000002',
      'SF0000000003',
      'SF0000000004',
      'SF0000000005',
    ].entries())
      expect(
        await call(callers.zhangsan, 'recordOriginalsSent', mailed(number), `originals-change-${index}`),
      ).toMatchObject({
        ok: true,
      });
    expect(
      await call(callers.zhangsan, 'recordOriginalsSent', mailed('SF0000000006'), 'originals-change-9'),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'ORIGINALS_CHANGED_TOO_OFTEN',
        message: '原件寄出信息已经改过 5 次，不能再在这里修改。如需更正，请联系经办机构或拨打 12393。',
      },
    });
    expect((await eventsOf()).filter((action) => action === 'recordOriginalsSent')).toHaveLength(5);
  });

  it('a retry with the same request id answers as the first did, and records the step once', async () => {
    // The app retries after a lost answer. Before, the retry of 撤回 answered TRANSITION_NOT_ALLOWED (the app then told
    // the person it had failed), and the retry of 登记原件寄出 recorded it twice.
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const filed = await call(callers.zhangsan, 'submit', { form: { ...form, materials } }, 'retry-submit-1');
    if (!filed.ok) throw new Error(JSON.stringify(filed.error));
    const id = (filed.data as { id: string }).id;
    // The submit again: the same body answers as the first did; another form under its id is refused, not dropped
    // unseen behind the first one's answer (a probe sent ten forms under one id: ten answers of 200, one claim).
    expect(await call(callers.zhangsan, 'submit', { form: { ...form, materials } }, 'retry-submit-1')).toEqual(filed);
    const otherForm = { ...form, hospital: { ...form.hospital, name: '大连市中心医院' }, materials };
    expect(await call(callers.zhangsan, 'submit', { form: otherForm }, 'retry-submit-1')).toMatchObject({
      ok: false,
      error: { code: 'REQUEST_ID_REUSED' },
    });
    // Nor does 新建草稿 under a submit's id answer with the submitted claim (a probe got it back as its new draft).
    expect(await call(callers.zhangsan, 'createDraft', { title: '新草稿' }, 'retry-submit-1')).toMatchObject({
      ok: false,
      error: { code: 'REQUEST_ID_REUSED' },
    });
    const drafted = await call(callers.zhangsan, 'createDraft', { title: '新草稿' }, 'retry-draft-1');
    expect(await call(callers.zhangsan, 'createDraft', { title: '新草稿' }, 'retry-draft-1')).toEqual(drafted);
    const sent = { id, originalsSent: { method: 'inPerson', date: '2026-03-03' } };
    const first = await call(callers.zhangsan, 'recordOriginalsSent', sent, 'retry-sent-1');
    expect(await call(callers.zhangsan, 'recordOriginalsSent', sent, 'retry-sent-1')).toEqual(first);
    // The same request id with other content is no retry: refused, not answered as the first (a probe's second
    // tracking number was never saved, and the answer said nothing).
    expect(
      await call(
        callers.zhangsan,
        'recordOriginalsSent',
        { id, originalsSent: { method: 'inPerson', date: '2026-03-04' } },
        'retry-sent-1',
      ),
    ).toMatchObject({ ok: false, error: { code: 'REQUEST_ID_REUSED', message: expect.stringMatching(/请刷新页面/) } });
    const withdrawn = await call(callers.zhangsan, 'withdraw', { id }, 'retry-withdraw-1');
    expect(withdrawn).toMatchObject({ ok: true, data: { status: 'withdrawn' } });
    expect(await call(callers.zhangsan, 'withdraw', { id }, 'retry-withdraw-1')).toEqual(withdrawn);
    const events = (await ports.store.collection<{ _id: string; events: Array<{ action: string }> }>('claims').get(id))!
      .events;
    expect(events.map((event) => event.action)).toEqual(['submit', 'recordOriginalsSent', 'withdraw']);
    // A new request (another id, or none) is a new attempt, refused as before.
    expect(await call(callers.zhangsan, 'withdraw', { id }, 'retry-withdraw-2')).toMatchObject({
      ok: false,
      error: { code: 'TRANSITION_NOT_ALLOWED' },
    });
    // Another person's request id on this claim is not theirs to repeat.
    expect(await call(callers.lisi, 'withdraw', { id }, 'retry-withdraw-1')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('撤回 names the status the person saw: sent while it read 待初审, it does not land on a 补件 request made since (black-box probe)', async () => {
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const filed = await call(callers.zhangsan, 'submit', { form: { ...form, materials } }, 'seen-submit-1');
    if (!filed.ok) throw new Error(JSON.stringify(filed.error));
    const id = (filed.data as { id: string }).id;
    const claims = ports.store.collection<ClaimDoc>('claims');
    expect(
      await invoke(
        reviewFunction,
        {
          action: 'decide',
          payload: {
            id,
            expectedStatus: 'submitted',
            expectedVersion: await versionOf(ports.store, id),
            action: 'requestSupplement',
            reasonCode: 'invoiceUnclear',
            materials: ['invoice'],
          },
        },
        callers.reviewer,
        ports,
      ),
    ).toMatchObject({ ok: true });
    expect(await call(callers.zhangsan, 'withdraw', { id, expectedStatus: 'submitted' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect((await claims.get(id))!.status).toBe('supplementRequested');
    expect(await call(callers.zhangsan, 'withdraw', { id, expectedStatus: 'draft' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await call(callers.zhangsan, 'withdraw', { id, expectedStatus: 'supplementRequested' })).toMatchObject({
      ok: true,
      data: { status: 'withdrawn' },
    });
  });
});

describe('filing a withdrawn or rejected claim again (a walk: 撤回 said 需要时可以重新提交一份, and nothing on the page did)', () => {
  const ok = <T>(answer: Awaited<ReturnType<typeof call>>): T => {
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    return answer.data as T;
  };

  it('copies its form and photos into a new draft, which submits; the withdrawn claim stays as it was', async () => {
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const { id } = ok<{ id: string }>(
      await call(callers.zhangsan, 'submit', { form: { ...form, materials } }, 'refile-submit-1'),
    );
    // Not while it is in progress: withdraw it first.
    expect(await call(callers.zhangsan, 'refile', { id }, 'refile-1')).toMatchObject({
      ok: false,
      error: { code: 'TRANSITION_NOT_ALLOWED', message: expect.stringContaining('撤回') },
    });
    ok(await call(callers.zhangsan, 'withdraw', { id }));
    const before = await ports.store.collection<ClaimDoc>('claims').get(id);

    // Someone else's: as a made-up id.
    expect(await call(callers.lisi, 'refile', { id }, 'refile-2')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const draft = ok<{ id: string; status: string; title: string }>(
      await call(callers.zhangsan, 'refile', { id }, 'refile-3'),
    );
    expect(draft).toMatchObject({ status: 'draft', title: before!.title });
    expect(draft.id).not.toBe(id);
    // The same request again: the same draft.
    expect(ok<{ id: string }>(await call(callers.zhangsan, 'refile', { id }, 'refile-3')).id).toBe(draft.id);
    expect(await storedClaims()).toBe(2);

    const opened = ok<{ form: { hospital: { name: string }; lineItems: unknown[] }; materials: unknown }>(
      await call(callers.zhangsan, 'get', { id: draft.id }),
    );
    expect(opened.form.hospital.name).toBe(form.hospital.name);
    expect(opened.form.lineItems).toHaveLength(form.lineItems.length);
    expect(opened.materials).toEqual(materials);
    // The withdrawn claim is as it was, but that it names its copy (one copy, whatever the request id).
    expect(await ports.store.collection<ClaimDoc>('claims').get(id)).toEqual({ ...before, refiledAs: draft.id });
    // The withdrawn claim's page names its copy (a walk tapped 重新提交一份 again and made a second one).
    expect(ok<{ refiledAs: unknown }>(await call(callers.zhangsan, 'get', { id })).refiledAs).toEqual({
      id: draft.id,
      status: 'draft',
    });

    // The copy's form is a draft's: no photos inside it (they are beside it), the 承诺 not ticked for the person.
    const copiedForm = (await ports.store.collection<ClaimDoc>('claims').get(draft.id))!.form as Record<
      string,
      unknown
    >;
    expect(copiedForm).not.toHaveProperty('materials');
    expect(copiedForm).not.toHaveProperty('declarationAccepted');
    // A request id that made something else answers REQUEST_ID_REUSED, not that claim (a probe got the withdrawn one back).
    expect(await call(callers.zhangsan, 'refile', { id }, 'refile-submit-1')).toMatchObject({
      ok: false,
      error: { code: 'REQUEST_ID_REUSED' },
    });
    expect(await storedClaims()).toBe(2);

    // Its receipts were let go at 撤回: the copy submits with them.
    expect(
      ok<{ status: string }>(
        await call(callers.zhangsan, 'submit', { id: draft.id, form: { ...form, materials } }, 'refile-submit-2'),
      ),
    ).toMatchObject({ status: 'submitted' });
    // Its copy filed, the withdrawn claim makes no second one: the answer names the copy.
    expect(await call(callers.zhangsan, 'refile', { id }, 'refile-after-copy-filed')).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_REFILED', message: expect.stringContaining(claimNumberOf(draft.id)) },
    });
    expect(await storedClaims()).toBe(2);
  });

  it('makes one copy of a withdrawn claim however many times 重新提交 is tapped, on however many pages', async () => {
    // A probe: 8 taps at once with 8 request ids (two phones, two tabs) made 8 drafts of one withdrawn claim.
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const { id } = ok<{ id: string }>(
      await call(callers.zhangsan, 'submit', { form: { ...form, materials } }, 'many-submit-1'),
    );
    ok(await call(callers.zhangsan, 'withdraw', { id }));
    const copies = await Promise.all(
      Array.from({ length: 8 }, (_, tap) => call(callers.zhangsan, 'refile', { id }, `many-refile-${tap}`)),
    );
    const ids = new Set(copies.map((answer) => ok<{ id: string }>(answer).id));
    expect(ids.size).toBe(1);
    expect(await storedClaims()).toBe(2);
    // Later, from another page: the same draft again.
    expect(ok<{ id: string }>(await call(callers.zhangsan, 'refile', { id }, 'many-refile-later')).id).toBe(
      [...ids][0],
    );
    expect(await storedClaims()).toBe(2);
  });
});

describe('deleting a draft (a walk: empty drafts piled up in 我的报销, four alike, and nothing could remove them)', () => {
  const ok = <T>(answer: Awaited<ReturnType<typeof call>>): T => {
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    return answer.data as T;
  };

  it("removes the caller's own draft only; a filed claim is withdrawn, not deleted; a refiled copy deleted can be made again", async () => {
    const draft = ok<{ id: string }>(
      await call(callers.zhangsan, 'saveDraft', { form: {}, materials: {} }, 'delete-draft-0001'),
    );
    // Someone else's: as a made-up id, and nothing removed.
    expect(await call(callers.lisi, 'deleteDraft', { id: draft.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(ok<{ id: string }>(await call(callers.zhangsan, 'deleteDraft', { id: draft.id }))).toEqual({ id: draft.id });
    expect(await ports.store.collection<ClaimDoc>('claims').get(draft.id)).toBeNull();
    // Again: it is gone.
    expect(await call(callers.zhangsan, 'deleteDraft', { id: draft.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });

    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const { id } = ok<{ id: string }>(
      await call(callers.zhangsan, 'submit', { form: { ...form, materials } }, 'delete-draft-submit-1'),
    );
    expect(await call(callers.zhangsan, 'deleteDraft', { id })).toMatchObject({
      ok: false,
      error: { code: 'TRANSITION_NOT_ALLOWED', message: expect.stringContaining('撤回') },
    });
    ok(await call(callers.zhangsan, 'withdraw', { id }));
    const copy = ok<{ id: string }>(await call(callers.zhangsan, 'refile', { id }, 'delete-draft-refile-1'));
    ok(await call(callers.zhangsan, 'deleteDraft', { id: copy.id }));
    // The withdrawn claim no longer names the copy, and 重新提交一份 makes another.
    expect((await ports.store.collection<ClaimDoc>('claims').get(id))!.refiledAs).toBeUndefined();
    const again = ok<{ id: string }>(await call(callers.zhangsan, 'refile', { id }, 'delete-draft-refile-2'));
    expect(again.id).not.toBe(copy.id);
  });
});
