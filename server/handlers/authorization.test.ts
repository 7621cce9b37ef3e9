/**
 * The authorization matrix: every action of every function × {owner, other claimant, reviewer,
 * second reviewer, operator, anonymous}. Allowed callers succeed (or, where the world cannot make the
 * step succeed, get past authorization to a named domain refusal); everyone else is refused with a
 * stable code and a Chinese message, and nothing leaks through a list. A last case checks that no
 * action of server/functions.ts is missing here (the policies function has its own matrix).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { calendarFunction } from './calendar';
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { notificationsFunction } from './notifications';
import { filesFunction } from './files';
import { meFunction } from './me';
import { notifyFunction } from './notify';
import { paymentsFunction } from './payments';
import { receiptsFunction } from './receipts';
import { buildFunctions } from '../functions';
import { invoke, type FunctionDefinition } from './framework';
import { RecordingNotifier } from '../notifications/notifier';
import { localTemplateIds } from '../notifications/templates';
import type { NotificationDoc } from '../notifications/outbox';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { idNumber, uploadMaterials, validForm, requiredMaterialIds } from '../../test/support/fixtures';
import { versionOf } from '../../test/support/review';
import { withConfirmedFigure } from '../../test/support/calls';
import type { Caller } from '../ports';
import type { ClaimDoc } from '../repositories/claims';

type Ports = Awaited<ReturnType<typeof embeddedPorts>>;
type Who = 'owner' | 'otherClaimant' | 'reviewer' | 'secondReviewer' | 'operator' | 'anonymous';
const everyone: Who[] = ['owner', 'otherClaimant', 'reviewer', 'secondReviewer', 'operator', 'anonymous'];
const callerOf: Record<Who, Caller | null> = {
  owner: callers.zhangsan,
  otherClaimant: callers.lisi,
  reviewer: callers.reviewer,
  secondReviewer: callers.reviewer2,
  operator: { openid: 'dev-openid-operator', roles: ['claimant', 'operator'] },
  anonymous: null,
};
/** Everyone signed in (every WeChat user is a claimant); the claims staff; staff and operators. */
const signedIn: Who[] = ['owner', 'otherClaimant', 'reviewer', 'secondReviewer', 'operator'];
const staff: Who[] = ['reviewer', 'secondReviewer'];
const staffAndOperators: Who[] = [...staff, 'operator'];
// Someone else's claim answers NOT_FOUND, as a made-up id does: which ids exist is not revealed.
const refusalCodes = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'ROLE_FORBIDDEN',
  'NOT_OWNER',
  'NOT_FOUND',
  'SELF_REVIEW',
  'FILE_FORBIDDEN',
]);

interface World {
  ports: Ports;
  claimId: string;
  status: string;
  fileID: string;
  /** The claim's receipt photo (its 医疗费用票据), never read. */
  invoiceFileID: string;
  /** A photo of the owner's that no claim holds yet: what a 补件 answer sends. */
  newFileID: string;
  cardId: string;
  /** 张三's mother, one of his family members. */
  personId: string;
  /** The payment batch the claim is in ('batched' only). */
  batchNo: string;
  /** The claim's version as stored once the world is made (what a reviewer who loaded it sends). */
  version: number;
  /** What its 结算预估 shows at 审核通过 (0 at any other status): the figure 结算 is sent with. */
  settlementFen: number;
}

const mother = {
  relation: 'parent',
  name: '王秀英',
  idNumber: idNumber('19550302', '224'),
  insuranceType: 'employee',
  region: '210200',
};

/**
 * A claim of 张三 in the given status ('batched': verified and put in a payment batch by the reviewer),
 * with one of his photos, one notification card and one family member.
 */
async function world(
  status:
    | 'draft'
    | 'submitted'
    | 'supplementRequested'
    | 'preliminaryPassed'
    | 'reviewPassed'
    | 'settled'
    | 'verified'
    | 'batched'
    | 'withdrawn',
): Promise<World> {
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  const ports = await embeddedPorts({ clock });
  const run = async (
    fn: FunctionDefinition,
    caller: Caller,
    action: string,
    payload: unknown,
    requestId?: string,
  ): Promise<unknown> => {
    const result = await invoke(fn, { action, payload, ...(requestId ? { requestId } : {}) }, caller, ports);
    if (!result.ok) throw new Error(`${action}: ${JSON.stringify(result.error)}`);
    return result.data;
  };
  const form = validForm();
  const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
  const fileID = Object.values(materials)[0]![0]!;
  const newFileID = (await uploadMaterials(ports.files, callers.zhangsan.openid, ['invoice'])).invoice![0]!;
  const draft = (await run(
    claimsFunction,
    callers.zhangsan,
    'saveDraft',
    { form: {}, materials: {} },
    'world-draft-1',
  )) as { id: string };
  if (status !== 'draft') {
    await run(
      claimsFunction,
      callers.zhangsan,
      'submit',
      { id: draft.id, form: { ...form, materials } },
      'world-submit-1',
    );
    const steps: Array<[Caller, string, Record<string, unknown>]> = [];
    if (status === 'supplementRequested')
      steps.push([
        callers.reviewer,
        'decide',
        { action: 'requestSupplement', reasonCode: 'invoiceUnclear', materials: ['invoice'] },
      ]);
    if (['preliminaryPassed', 'reviewPassed', 'settled', 'verified', 'batched'].includes(status))
      steps.push([callers.reviewer, 'decide', { action: 'passPreliminary' }]);
    if (['reviewPassed', 'settled', 'verified', 'batched'].includes(status))
      steps.push([callers.reviewer, 'decide', { action: 'passReview' }], [callers.reviewer, 'receiveOriginals', {}]);
    if (['settled', 'verified', 'batched'].includes(status)) steps.push([callers.reviewer, 'settle', {}]);
    if (status === 'verified' || status === 'batched') steps.push([callers.reviewer2, 'verify', {}]);
    if (status === 'withdrawn') await run(claimsFunction, callers.zhangsan, 'withdraw', { id: draft.id });
    for (const [caller, action, payload] of steps) {
      const seen = await ports.store.collection<ClaimDoc>('claims').get(draft.id);
      const figure =
        action === 'settle' ? await withConfirmedFigure(reviewFunction, caller, ports, { id: draft.id }) : {};
      await run(reviewFunction, caller, action, {
        ...(figure as object),
        id: draft.id,
        expectedStatus: seen?.status,
        expectedVersion: seen?.version,
        ...payload,
      });
    }
  }
  const batchNo =
    status === 'batched'
      ? (
          (await run(paymentsFunction, callers.reviewer, 'createBatch', {
            claims: [
              {
                id: draft.id,
                expectedVersion: (await ports.store.collection<ClaimDoc>('claims').get(draft.id))!.version,
              },
            ],
          })) as {
            batchNo: string;
          }
        ).batchNo
      : '';
  // Its bank file exported, as a batch is before anyone may confirm it paid.
  if (batchNo) await run(paymentsFunction, callers.reviewer, 'export', { batchNo, format: 'csv' });
  await ports.store.collection<NotificationDoc>('notifications').insert({
    _id: 'card-1',
    _openid: callers.zhangsan.openid,
    claimId: draft.id,
    seq: 1,
    status: 'submitted',
    title: 't',
    body: 'b',
    amountFen: null,
    createdAt: '2026-03-02T02:00:00Z',
    read: false,
  });
  const person = (await run(claimsFunction, callers.zhangsan, 'savePerson', mother)) as { id: string };
  return {
    ports,
    claimId: draft.id,
    status: status === 'batched' ? 'verified' : status,
    fileID,
    invoiceFileID: materials.invoice![0]!,
    newFileID,
    cardId: 'card-1',
    personId: person.id,
    batchNo,
    version: (await ports.store.collection<ClaimDoc>('claims').get(draft.id))!.version,
    settlementFen: (
      (await withConfirmedFigure(reviewFunction, callers.reviewer, ports, { id: draft.id })) as {
        expectedPaidFen: number;
      }
    ).expectedPaidFen,
  };
}

interface Case {
  fn: FunctionDefinition;
  name: string;
  action: string;
  status: Parameters<typeof world>[0];
  payload: (w: World) => unknown;
  allowed: Who[];
  /**
   * Where the world cannot make the step succeed: the domain refusal allowed callers get once past authorization (or
   * the callers it concerns, by who they are).
   */
  reaches?: string | Partial<Record<Who, string>>;
}

const notify = notifyFunction({ notifier: { send: async () => ({ ok: true }) }, templateIds: localTemplateIds });
const receipts = receiptsFunction({ ocr: () => ({ recognise: async () => [] }) });
const ledgerYear = { region: '210200', insuranceType: 'employee', year: 2026 };
const arrangement2027 = {
  year: 2027,
  reference: '国办发明电〔2026〕测试号',
  holidays: { '2027-01-01': '元旦' },
  makeUpWorkdays: {},
};
const form = (w: World): unknown => ({ id: w.claimId, form: { ...validForm(), materials: {} } });

const cases: Case[] = [
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'createDraft',
    status: 'draft',
    payload: () => ({ title: '门诊' }),
    allowed: signedIn,
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'saveDraft',
    status: 'draft',
    payload: (w) => ({ id: w.claimId, form: { hospital: { name: 'x' } } }),
    allowed: ['owner'],
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'submit',
    status: 'draft',
    payload: form,
    allowed: ['owner'],
    reaches: 'MATERIALS_MISSING',
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'listMine',
    status: 'submitted',
    payload: () => ({}),
    allowed: signedIn,
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'get',
    status: 'submitted',
    payload: (w) => ({ id: w.claimId }),
    allowed: ['owner'],
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'deleteDraft',
    status: 'draft',
    payload: (w) => ({ id: w.claimId }),
    allowed: ['owner'],
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'withdraw',
    status: 'submitted',
    payload: (w) => ({ id: w.claimId }),
    allowed: ['owner'],
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'refile',
    status: 'withdrawn',
    payload: (w) => ({ id: w.claimId }),
    allowed: ['owner'],
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'answerSupplement',
    status: 'supplementRequested',
    payload: (w) => ({ id: w.claimId, materials: { invoice: [w.newFileID] } }),
    allowed: ['owner'],
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'recordOriginalsSent',
    status: 'submitted',
    payload: (w) => ({ id: w.claimId, originalsSent: { method: 'mail', trackingNumber: 'SF1234567890' } }),
    allowed: ['owner'],
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'listPersons',
    status: 'draft',
    payload: () => ({}),
    allowed: signedIn,
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'savePerson',
    status: 'draft',
    payload: () => mother,
    allowed: signedIn /* each their own */,
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'savePerson',
    status: 'draft',
    payload: (w) => ({ ...mother, id: w.personId, idNumber: '210***********0000' }),
    allowed: ['owner'],
    reaches: 'VALIDATION_FAILED' /* 张三's member by id */,
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'removePerson',
    status: 'draft',
    payload: (w) => ({ id: w.personId }),
    allowed: ['owner'],
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'personLedger',
    status: 'submitted',
    payload: (w) => ({ personId: w.personId, ...ledgerYear }),
    allowed: ['owner'],
  },
  {
    fn: claimsFunction,
    name: 'claims',
    action: 'myLedger',
    status: 'submitted',
    payload: () => ({ idNumber: idNumber(), ...ledgerYear }),
    allowed: signedIn,
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'queue',
    status: 'submitted',
    payload: () => ({}),
    allowed: ['reviewer', 'secondReviewer'],
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'get',
    status: 'submitted',
    payload: (w) => ({ id: w.claimId }),
    allowed: ['reviewer', 'secondReviewer'],
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'editLineItems',
    status: 'submitted',
    payload: (w) => ({
      id: w.claimId,
      expectedStatus: w.status,
      expectedVersion: w.version,
      lineItems: [{ name: '西药费', amountFen: 80000, category: 'A' }],
      reason: '按清单核减',
    }),
    allowed: ['reviewer', 'secondReviewer'],
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'decide',
    status: 'submitted',
    payload: (w) => ({
      id: w.claimId,
      expectedStatus: w.status,
      expectedVersion: w.version,
      action: 'passPreliminary',
    }),
    allowed: ['reviewer', 'secondReviewer'],
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'receiveOriginals',
    status: 'submitted',
    payload: (w) => ({ id: w.claimId, expectedStatus: w.status, expectedVersion: w.version }),
    allowed: ['reviewer', 'secondReviewer'],
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'settle',
    status: 'reviewPassed',
    payload: (w) => ({
      id: w.claimId,
      expectedStatus: w.status,
      expectedVersion: w.version,
      expectedPaidFen: w.settlementFen,
    }),
    allowed: ['reviewer', 'secondReviewer'],
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'verify',
    status: 'settled',
    payload: (w) => ({ id: w.claimId, expectedStatus: w.status, expectedVersion: w.version }),
    allowed: ['secondReviewer'] /* reviewer settled it: four eyes */,
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'closeWithoutPayment',
    status: 'verified',
    payload: (w) => ({ id: w.claimId, expectedStatus: w.status, expectedVersion: w.version }),
    allowed: ['reviewer', 'secondReviewer'],
    reaches: 'PAYMENT_DUE' /* staff get past the door; the world's claim has money to pay */,
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'fastPass',
    status: 'submitted',
    payload: (w) => ({ id: w.claimId, expectedStatus: w.status, expectedVersion: w.version }),
    allowed: staff,
    reaches: 'NOT_CLEAN' /* no receipt was read */,
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'fastPassMany',
    status: 'submitted',
    payload: (w) => ({ claims: [{ id: w.claimId, expectedStatus: w.status, expectedVersion: w.version }] }),
    allowed: staff,
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'dashboard',
    status: 'submitted',
    payload: () => ({}),
    allowed: staffAndOperators,
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'dashboardCsv',
    status: 'submitted',
    payload: () => ({}),
    allowed: staffAndOperators,
  },
  {
    fn: reviewFunction,
    name: 'review',
    action: 'audit',
    status: 'submitted',
    payload: (w) => ({ id: w.claimId }),
    allowed: staffAndOperators,
  },
  {
    fn: paymentsFunction,
    name: 'payments',
    action: 'candidates',
    status: 'verified',
    payload: () => ({}),
    allowed: staff,
  },
  {
    fn: paymentsFunction,
    name: 'payments',
    action: 'createBatch',
    status: 'verified',
    payload: (w) => ({ claims: [{ id: w.claimId, expectedVersion: w.version }] }),
    allowed: staff,
  },
  { fn: paymentsFunction, name: 'payments', action: 'list', status: 'batched', payload: () => ({}), allowed: staff },
  {
    fn: paymentsFunction,
    name: 'payments',
    action: 'get',
    status: 'batched',
    payload: (w) => ({ batchNo: w.batchNo }),
    allowed: staff,
  },
  {
    fn: paymentsFunction,
    name: 'payments',
    action: 'export',
    status: 'batched',
    payload: (w) => ({ batchNo: w.batchNo, format: 'csv' }),
    allowed: staff,
  },
  {
    fn: paymentsFunction,
    name: 'payments',
    action: 'markPaid',
    status: 'batched',
    payload: (w) => ({ batchNo: w.batchNo, expectedStatus: 'open' }),
    allowed: staff,
    reaches: { reviewer: 'FOUR_EYES' /* the world's batch is the reviewer's: another confirms it paid */ },
  },
  {
    fn: calendarFunction,
    name: 'calendar',
    action: 'years',
    status: 'draft',
    payload: () => ({}),
    allowed: staffAndOperators,
  },
  {
    fn: calendarFunction,
    name: 'calendar',
    action: 'proposeYear',
    status: 'draft',
    payload: () => ({ arrangement: arrangement2027 }),
    allowed: ['operator'],
  },
  {
    fn: calendarFunction,
    name: 'calendar',
    action: 'approveYear',
    status: 'draft',
    payload: () => ({ year: 2027, expectedRevision: 1 }),
    allowed: ['operator'],
    reaches: 'CALENDAR_NOT_PROPOSED',
  },
  {
    fn: calendarFunction,
    name: 'calendar',
    action: 'withdrawYear',
    status: 'draft',
    payload: () => ({ year: 2027, expectedRevision: 1 }),
    allowed: ['operator'],
    reaches: 'CALENDAR_NOT_PROPOSED',
  },
  { fn: meFunction, name: 'me', action: 'whoami', status: 'draft', payload: () => ({}), allowed: signedIn },
  {
    fn: receipts,
    name: 'receipts',
    action: 'read',
    status: 'submitted',
    payload: (w) => ({ fileID: w.fileID, claimId: w.claimId }),
    allowed: ['owner'],
  },
  {
    fn: receipts,
    name: 'receipts',
    action: 'readForReview',
    status: 'submitted',
    payload: (w) => ({ id: w.claimId, fileID: w.invoiceFileID }),
    allowed: ['reviewer', 'secondReviewer'],
  },
  {
    fn: notificationsFunction,
    name: 'notifications',
    action: 'list',
    status: 'submitted',
    payload: () => ({}),
    allowed: signedIn,
  },
  {
    fn: notificationsFunction,
    name: 'notifications',
    action: 'unreadCount',
    status: 'submitted',
    payload: () => ({}),
    allowed: signedIn,
  },
  {
    fn: notificationsFunction,
    name: 'notifications',
    action: 'markRead',
    status: 'submitted',
    payload: (w) => ({ ids: [w.cardId] }),
    allowed: ['owner'],
  },
  {
    fn: notificationsFunction,
    name: 'notifications',
    action: 'markAllRead',
    status: 'submitted',
    payload: () => ({}),
    allowed: signedIn,
  },
  {
    fn: notificationsFunction,
    name: 'notifications',
    action: 'recordSubscriptions',
    status: 'submitted',
    payload: () => ({ results: { accepted: 'accept' } }),
    allowed: signedIn,
  },
  {
    fn: filesFunction,
    name: 'files',
    action: 'register',
    status: 'submitted',
    payload: (w) => ({ fileID: w.fileID, name: 'x.jpg' }),
    allowed: ['owner'],
  },
  { fn: notify, name: 'notify', action: 'drain', status: 'submitted', payload: () => ({}), allowed: ['operator'] },
];

describe.each(cases)('$name → $action', ({ fn, action, status, payload, allowed, reaches }) => {
  it.each(everyone)('%s', async (who) => {
    const w = await world(status);
    const result = await invoke(fn, { action, payload: payload(w) }, callerOf[who], w.ports);
    if (allowed.includes(who)) {
      expect(result.ok ? 'ok' : result.error.code).toBe(
        (typeof reaches === 'string' ? reaches : reaches?.[who]) ?? 'ok',
      );
      return;
    }
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(refusalCodes.has(result.error.code)).toBe(true);
      expect(result.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('the matrix covers every action', () => {
  it('names each action of server/functions.ts (the policies function: its own matrix in policies.test.ts)', () => {
    const functions = buildFunctions(
      { notifier: { send: async () => ({ ok: true }) }, templateIds: {} },
      { ocr: () => ({ recognise: async () => [] }) },
    );
    const policiesMatrix = readFileSync(path.join(__dirname, 'policies.test.ts'), 'utf8');
    const missing = Object.entries(functions).flatMap(([name, definition]) =>
      Object.keys(definition)
        .filter((action) =>
          name === 'policies'
            ? !policiesMatrix.includes(`['${action}', `)
            : !cases.some((one) => one.name === name && one.action === action),
        )
        .map((action) => `${name}.${action}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('no leak through lists', () => {
  it("another claimant's list, notifications and ledger show nothing of 张三's", async () => {
    const w = await world('submitted');
    const run = async (fn: FunctionDefinition, caller: Caller, action: string, payload: unknown) =>
      invoke(fn, { action, payload }, caller, w.ports);
    for (const caller of [callers.lisi, callers.reviewer, callers.reviewer2]) {
      expect(await run(claimsFunction, caller, 'listMine', {})).toMatchObject({
        ok: true,
        data: { total: 0, items: [] },
      });
      expect(await run(notificationsFunction, caller, 'list', {})).toMatchObject({
        ok: true,
        data: { total: 0, items: [] },
      });
      expect(
        await run(claimsFunction, caller, 'myLedger', {
          idNumber: idNumber(),
          region: '210200',
          insuranceType: 'employee',
          year: 2026,
        }),
      ).toMatchObject({ ok: true, data: { known: false } });
    }
    const drained = await (async () => {
      const { drainWith } = await import('./notify');
      return drainWith(w.ports, { notifier: new RecordingNotifier(w.ports.store), templateIds: localTemplateIds });
    })();
    expect(drained.cards).toBeGreaterThan(0);
    expect(await run(notificationsFunction, callers.lisi, 'list', {})).toMatchObject({ ok: true, data: { total: 0 } });
    const queue = await run(reviewFunction, callers.reviewer, 'queue', {});
    expect(JSON.stringify(queue)).not.toMatch(/13800138000|6222020200112233445|\d{17}[\dX]/);
  });

  it('a reviewer cannot review a claim they filed themselves', async () => {
    const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
    const ports = await embeddedPorts({ clock });
    const form = validForm({
      insured: { ...validForm().insured, name: '王经办' },
      payout: { ...validForm().payout, holderName: '王经办' },
    });
    const materials = await uploadMaterials(ports.files, callers.reviewer.openid, requiredMaterialIds(form));
    const submitted = await invoke(
      claimsFunction,
      { action: 'submit', payload: { form: { ...form, materials } }, requestId: 'self-review-1' },
      callers.reviewer,
      ports,
    );
    expect(submitted.ok).toBe(true);
    const id = submitted.ok ? (submitted.data as { id: string }).id : '';
    const expectedVersion = await versionOf(ports.store, id);
    expect(
      await invoke(
        reviewFunction,
        {
          action: 'decide',
          payload: { id, expectedStatus: 'submitted', expectedVersion, action: 'passPreliminary' },
        },
        callers.reviewer,
        ports,
      ),
    ).toMatchObject({ ok: false, error: { code: 'SELF_REVIEW' } });
    expect(
      await invoke(
        reviewFunction,
        {
          action: 'decide',
          payload: { id, expectedStatus: 'submitted', expectedVersion, action: 'passPreliminary' },
        },
        callers.reviewer2,
        ports,
      ),
    ).toMatchObject({ ok: true });
  });
});
