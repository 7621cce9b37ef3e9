/**
 * The working-day calendar as operator data: a due date that runs into a year with no arrangement is
 * named on the reviewer's screen, and firms up once an operator enters the year — no release.
 */
import { calendarFunction } from './calendar';
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { invoke } from './framework';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { uploadMaterials, validForm, requiredMaterialIds } from '../../test/support/fixtures';
import type { ReviewClaimDetail } from '../../src/core/contracts/views';
import type { Caller } from '../ports';
import { approveCalendarYear } from '../policies/calendar';
import { scheduleRedate } from '../claims/redate';
import { RecordingNotifier } from '../notifications/notifier';
import { drainWith } from './notify';

const operator: Caller = { openid: 'dev-openid-operator', roles: ['claimant', 'operator'] };
const secondOperator: Caller = { openid: 'dev-openid-operator-2', roles: ['claimant', 'operator'] };

/** 2027 as an operator would enter it (made up for the test: 元旦 Friday 1 January, no 调休). */
const arrangement2027 = {
  year: 2027,
  reference: '国办发明电〔2026〕测试号',
  holidays: { '2027-01-01': '元旦' },
  makeUpWorkdays: {},
};

/** 张三's claim of 10 December 2026 filed on `ports`' clock: its id. */
async function fileClaim(ports: Awaited<ReturnType<typeof embeddedPorts>>, requestId: string): Promise<string> {
  const form = validForm({ visit: { visitDate: '2026-12-10' } });
  const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
  const answer = await invoke(
    claimsFunction,
    { action: 'submit', payload: { form: { ...form, materials } }, requestId },
    callers.zhangsan,
    ports,
  );
  if (!answer.ok) throw new Error(JSON.stringify(answer.error));
  return (answer.data as { id: string }).id;
}

describe('the calendar as operator data', () => {
  it('names the missing year on the reviewer screen, then counts with the year an operator entered', async () => {
    const clock = new FixedClock(new Date('2026-12-21T02:00:00Z')); // Monday 21 December 2026
    const ports = await embeddedPorts({ clock });
    const form = validForm({ visit: { visitDate: '2026-12-10' } });
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const submitted = await invoke(
      claimsFunction,
      { action: 'submit', payload: { form: { ...form, materials } }, requestId: 'calendar-0001' },
      callers.zhangsan,
      ports,
    );
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.error));
    const id = (submitted.data as { id: string }).id;

    const before = (await invoke(reviewFunction, { action: 'get', payload: { id } }, callers.reviewer, ports)) as {
      ok: true;
      data: ReviewClaimDetail;
    };
    expect(before.data.calendarNotice).toMatch(/2027 年的节假日安排尚未录入/);
    expect(await invoke(calendarFunction, { action: 'years', payload: {} }, callers.reviewer, ports)).toMatchObject({
      ok: true,
      data: { missingNextYear: 2027 },
    });

    expect(
      await invoke(
        calendarFunction,
        { action: 'proposeYear', payload: { arrangement: arrangement2027 } },
        callers.reviewer,
        ports,
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const faulty = await invoke(
      calendarFunction,
      {
        action: 'proposeYear',
        payload: { arrangement: { ...arrangement2027, makeUpWorkdays: { '2027-01-06': '元旦' } } },
      },
      operator,
      ports,
    );
    expect(faulty).toMatchObject({ ok: false, error: { code: 'CALENDAR_INVALID' } });
    expect(!faulty.ok && faulty.error.issues?.[0]).toMatchObject({
      path: 'makeUpWorkdays.2027-01-06',
      message: expect.stringMatching(/不是周六或周日/),
    });
    // A holiday name a reader would not see whole (a direction mark) is refused.
    const hidden = await invoke(
      calendarFunction,
      {
        action: 'proposeYear',
        payload: {
          arrangement: { ...arrangement2027, holidays: { ...arrangement2027.holidays, '2027-01-01': '元\u202e旦' } },
        },
      },
      operator,
      ports,
    );
    expect(hidden).toMatchObject({ ok: false, error: { code: 'CALENDAR_INVALID' } });
    // A raw "__proto__" key is refused as any key that is not a date (zod's record left it out without a word).
    const withProto = JSON.parse(
      JSON.stringify({ arrangement: arrangement2027 }).replace('"holidays":{', '"holidays":{"__proto__":"x",'),
    ) as { arrangement: unknown };
    expect(
      await invoke(calendarFunction, { action: 'proposeYear', payload: withProto }, operator, ports),
    ).toMatchObject({ ok: false, error: { code: 'CALENDAR_INVALID' } });
    expect(await ports.store.collection('calendars').get('2027')).toBeNull();
    // Four eyes: one operator enters the year, another checks it against the notice and puts it in force (one alone
    // changed every due day of every claim, even over an official year the functions ship with).
    const proposed = await invoke(
      calendarFunction,
      { action: 'proposeYear', payload: { arrangement: arrangement2027 } },
      operator,
      ports,
    );
    expect(proposed).toMatchObject({ ok: true, data: { year: 2027, proposedBy: operator.openid, revision: 1 } });
    expect(await ports.store.collection('calendars').get('2027')).toBeNull();
    const listed = await invoke(calendarFunction, { action: 'years', payload: {} }, callers.reviewer, ports);
    expect(listed).toMatchObject({
      ok: true,
      data: {
        missingNextYear: 2027,
        proposals: [{ year: 2027, holidays: 1, proposedBy: operator.openid, revision: 1 }],
      },
    });
    const approve = (by: Caller, revision: number) =>
      invoke(
        calendarFunction,
        { action: 'approveYear', payload: { year: 2027, expectedRevision: revision } },
        by,
        ports,
      );
    const own = await approve(operator, 1);
    expect(own).toMatchObject({ ok: false, error: { code: 'FOUR_EYES' } });
    expect(!own.ok && own.error.message).toMatch(/另一位运维人员/);
    expect(await approve(callers.reviewer, 1)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Entered again meanwhile (a correction): the second operator confirms what they read, not an earlier text.
    await invoke(
      calendarFunction,
      { action: 'proposeYear', payload: { arrangement: arrangement2027 } },
      operator,
      ports,
    );
    expect(await approve(secondOperator, 1)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await ports.store.collection('calendars').get('2027')).toBeNull();
    expect(await approve(secondOperator, 2)).toMatchObject({ ok: true, data: { year: 2027 } });
    expect(await ports.store.collection('calendars').get('2027')).toMatchObject({
      publishedBy: operator.openid,
      approvedBy: secondOperator.openid,
    });
    expect(await approve(secondOperator, 2)).toMatchObject({ ok: false, error: { code: 'CALENDAR_NOT_PROPOSED' } });

    const after = (await invoke(reviewFunction, { action: 'get', payload: { id } }, callers.reviewer, ports)) as {
      ok: true;
      data: ReviewClaimDetail;
    };
    expect(after.data.calendarNotice).toBeNull();
    // 20 working days from 21 December 2026: with 元旦 a holiday the due day is one working day later.
    expect(new Date(after.data.dueDate!).getTime() - new Date(before.data.dueDate!).getTime()).toBe(86_400_000);
    expect(await invoke(calendarFunction, { action: 'years', payload: {} }, callers.reviewer, ports)).toMatchObject({
      ok: true,
      data: { missingNextYear: null, proposals: [] },
    });
    // A claim filed now is given its due day by the same calendar (a probe: submit counted with the built-in years only,
    // the reviewer's page with the operator's, a day apart).
    const again = await invoke(
      claimsFunction,
      {
        action: 'submit',
        payload: {
          form: {
            ...form,
            materials: await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form)),
          },
        },
        requestId: 'calendar-0002',
      },
      callers.zhangsan,
      ports,
    );
    if (!again.ok) throw new Error(JSON.stringify(again.error));
    expect((again.data as { dueDate: string }).dueDate).toBe(after.data.dueDate);
  });

  it('the stored due days of open claims move when a year is put in force: lists say the day the claim page says; a withdrawn claim keeps its own; nothing the reviewer decided changes', async () => {
    const clock = new FixedClock(new Date('2026-12-21T02:00:00Z')); // Monday 21 December 2026
    const ports = await embeddedPorts({ clock });
    const open = await fileClaim(ports, 'redate-0001');
    const withdrawn = await fileClaim(ports, 'redate-0002');
    const taken = await invoke(
      claimsFunction,
      { action: 'withdraw', payload: { id: withdrawn, expectedStatus: 'submitted' } },
      callers.zhangsan,
      ports,
    );
    expect(taken).toMatchObject({ ok: true });
    const claims = ports.store.collection<{ _id: string; dueDate: string; version: number }>('claims');
    const stored = async (id: string) => (await claims.get(id))!;
    const before = await stored(open);
    const withdrawnBefore = await stored(withdrawn);

    for (const [action, by, payload] of [
      ['proposeYear', operator, { arrangement: arrangement2027 }],
      ['approveYear', secondOperator, { year: 2027, expectedRevision: 1 }],
    ] as const)
      expect(await invoke(calendarFunction, { action, payload }, by, ports)).toMatchObject({ ok: true });

    // 元旦 2027 a holiday: the 20th working day from 21 December is one day later, in the store as on the claim page.
    const after = await stored(open);
    expect(new Date(after.dueDate).getTime() - new Date(before.dueDate).getTime()).toBe(86_400_000);
    expect(after.version).toBe(before.version);
    const page = await invoke(reviewFunction, { action: 'get', payload: { id: open } }, callers.reviewer, ports);
    expect(page).toMatchObject({ ok: true, data: { dueDate: after.dueDate, calendarNotice: null } });
    const mine = await invoke(claimsFunction, { action: 'listMine', payload: {} }, callers.zhangsan, ports);
    expect(mine.ok && (mine.data as { items: Array<{ id: string; dueDate: string }> }).items).toContainEqual(
      expect.objectContaining({ id: open, dueDate: after.dueDate }),
    );
    expect(await ports.store.collection('claimFacts').get(open)).toMatchObject({ dueDate: after.dueDate });
    expect((await stored(withdrawn)).dueDate).toBe(withdrawnBefore.dueDate);
    // On its page too (a probe: review.get counted a closed claim's day again, while every list kept it).
    const closedPage = await invoke(
      reviewFunction,
      { action: 'get', payload: { id: withdrawn } },
      callers.reviewer,
      ports,
    );
    expect(closedPage).toMatchObject({ ok: true, data: { dueDate: withdrawnBefore.dueDate, calendarNotice: null } });
    // Done: nothing left for the notify runs.
    expect(await ports.store.collection('jobs').get('redateDueDays')).toMatchObject({ from: null, after: null });
  });

  it('due days left to count again (the approval cut short) are counted by the notify runs, a page at a time', async () => {
    const clock = new FixedClock(new Date('2026-12-21T02:00:00Z'));
    const ports = await embeddedPorts({ clock });
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) ids.push(await fileClaim(ports, `redate-drain-${index}`));
    const claims = ports.store.collection<{ _id: string; dueDate: string }>('claims');
    const before = await Promise.all(ids.map(async (id) => (await claims.get(id))!.dueDate));
    // The year put in force and the job recorded, as by an approval whose own pass never ran (a crash after commit).
    await invoke(
      calendarFunction,
      { action: 'proposeYear', payload: { arrangement: arrangement2027 } },
      operator,
      ports,
    );
    await approveCalendarYear(ports.store, clock, secondOperator.openid, 2027, 1, (tx) =>
      scheduleRedate(tx, 2027, clock.now()),
    );
    expect(await Promise.all(ids.map(async (id) => (await claims.get(id))!.dueDate))).toEqual(before);
    const report = await drainWith(ports, { notifier: new RecordingNotifier(ports.store), templateIds: {} });
    expect(report.dueDaysMoved).toBe(3);
    const after = await Promise.all(ids.map(async (id) => (await claims.get(id))!.dueDate));
    after.forEach((due, index) =>
      expect(new Date(due).getTime() - new Date(before[index]!).getTime()).toBe(86_400_000),
    );
    expect(
      (await drainWith(ports, { notifier: new RecordingNotifier(ports.store), templateIds: {} })).dueDaysMoved,
    ).toBe(0);
  });

  it('an entered year not yet in force is withdrawn by either operator, and changes nothing', async () => {
    const ports = await embeddedPorts({ clock: new FixedClock(new Date('2026-12-21T02:00:00Z')) });
    const call = (action: string, payload: Record<string, unknown>, by: Caller) =>
      invoke(calendarFunction, { action, payload }, by, ports);
    expect(await call('proposeYear', { arrangement: arrangement2027 }, operator)).toMatchObject({ ok: true });
    expect(await call('withdrawYear', { year: 2027, expectedRevision: 1 }, secondOperator)).toMatchObject({
      ok: true,
      data: { year: 2027 },
    });
    expect(await call('withdrawYear', { year: 2027, expectedRevision: 1 }, operator)).toMatchObject({
      ok: false,
      error: { code: 'CALENDAR_NOT_PROPOSED' },
    });
    expect(await call('approveYear', { year: 2027, expectedRevision: 1 }, secondOperator)).toMatchObject({
      ok: false,
      error: { code: 'CALENDAR_NOT_PROPOSED' },
    });
    expect(await ports.store.collection('calendars').count({})).toBe(0);
    expect(await call('years', {}, operator)).toMatchObject({ ok: true, data: { proposals: [] } });
  });
});
