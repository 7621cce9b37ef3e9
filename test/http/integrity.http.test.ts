/**
 * Issue 9's write-path findings, probed as an integrator would: the server as its own process
 * (`npm run serve`), spoken to over HTTP only — dev login, photo upload, the functions' envelope —
 * with the concurrent requests the probe sent, checked by what the API answers afterwards.
 */
import { startChildServer, type ChildServer } from '../support/childServer';
import { tempDir } from '../support/ports';
import { jpegBytes, recentDate, validForm } from '../support/fixtures';
import { checklistOf } from '../../src/core/contracts/claim';

interface Answer {
  status: number;
  body: { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string } };
}

let server: ChildServer;
const tokens: Record<string, string> = {};
let photoSerial = 0;

beforeAll(async () => {
  server = await startChildServer(tempDir('yb-http-integrity-'));
  for (const user of ['zhangsan', 'lisi', 'reviewer', 'reviewer2']) {
    const response = await fetch(`${server.base}/api/dev/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    tokens[user] = ((await response.json()) as { data: { token: string } }).data.token;
  }
}, 60_000);

afterAll(async () => {
  await server.kill();
});

async function call(user: string, fn: string, action: string, payload: unknown, requestId?: string): Promise<Answer> {
  const response = await fetch(`${server.base}/api/fn/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[user]}` },
    body: JSON.stringify({ action, payload, ...(requestId ? { requestId } : {}) }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

async function upload(user: string): Promise<string> {
  photoSerial += 1;
  const bytes = await jpegBytes(`photo ${photoSerial} ${Date.now()}`);
  const response = await fetch(`${server.base}/api/files?name=photo${photoSerial}.jpg`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${tokens[user]}` },
    body: new Uint8Array(bytes),
  });
  const body = (await response.json()) as { ok: boolean; data: { fileID: string } };
  if (!body.ok) throw new Error(`upload refused: ${JSON.stringify(body)}`);
  return body.data.fileID;
}

/** A complete form of 张三's with fresh photos for every required material (visit within the filing deadline). */
async function freshForm(): Promise<Record<string, unknown>> {
  const form = validForm({ visit: { visitDate: recentDate(10) } });
  const materials: Record<string, string[]> = {};
  for (const item of checklistOf(form as never, true).filter((entry) => entry.required))
    materials[item.id] = [await upload('zhangsan')];
  return { ...form, materials };
}

const requestId = (label: string): string => `${label}-${Date.now().toString(36)}-${(photoSerial += 1)}`;

async function submitted(): Promise<string> {
  const answer = await call('zhangsan', 'claims', 'submit', { form: await freshForm() }, requestId('submit'));
  if (!answer.body.ok) throw new Error(JSON.stringify(answer.body));
  return String(answer.body.data!.id);
}

async function step(
  user: string,
  action: string,
  id: string,
  expectedStatus: string,
  extra: Record<string, unknown> = {},
): Promise<Answer> {
  // The version as the reviewer's page loaded it (a racing step may have moved it since: that is a 409, as the status).
  const loaded = await call(user, 'review', 'get', { id });
  const expectedVersion = Number(loaded.body.data?.version);
  // 结算 with the figure the page's 结算预估 showed.
  const preview = (loaded.body.data as { settlementPreview?: { totalPaid: number } | null } | undefined)
    ?.settlementPreview;
  const figure = action === 'settle' ? { expectedPaidFen: preview?.totalPaid ?? 0 } : {};
  return call(user, 'review', action, { id, expectedStatus, expectedVersion, ...figure, ...extra });
}

async function reviewPassed(): Promise<string> {
  const id = await submitted();
  for (const [action, status, extra] of [
    ['decide', 'submitted', { action: 'passPreliminary' }],
    ['decide', 'preliminaryPassed', { action: 'passReview' }],
    ['receiveOriginals', 'reviewPassed', {}],
  ] as const) {
    const answer = await step('reviewer', action, id, status, extra);
    if (!answer.body.ok) throw new Error(JSON.stringify(answer.body));
  }
  return id;
}

describe('the write path over HTTP (issue 9, items 1–5, 7, 12)', () => {
  it('1. two settlements of one claim at once: 200 and 409, and the year ledger keeps the settlement (5 rounds)', async () => {
    for (let round = 0; round < 5; round += 1) {
      const id = await reviewPassed();
      const answers = await Promise.all([
        step('reviewer', 'settle', id, 'reviewPassed'),
        step('reviewer2', 'settle', id, 'reviewPassed'),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      const detail = await call('zhangsan', 'claims', 'get', { id });
      expect(detail.body.data).toMatchObject({ status: 'settled' });
      const settlement = detail.body.data!.settlement as {
        deductibleTaken: number;
        fundPays: number;
        inPolicy: number;
      };
      const form = validForm();
      const ledger = await call('zhangsan', 'claims', 'myLedger', {
        idNumber: form.insured.idNumber,
        region: form.insured.region,
        insuranceType: form.insured.insuranceType,
        year: Number(recentDate(10).slice(0, 4)),
      });
      const year = ledger.body.data!.ledger as {
        deductibleUsed: Record<string, number>;
        benefitPaid: Record<string, number>;
        inPolicyCost: Record<string, number>;
      };
      expect(year.inPolicyCost.outpatient).toBeGreaterThanOrEqual(settlement.inPolicy);
      expect(year.deductibleUsed.outpatient).toBeGreaterThan(0);
      expect(year.benefitPaid.outpatient).toBeGreaterThanOrEqual(settlement.fundPays);
    }
  }, 120_000);

  it('2. the same submit 5× at once makes one claim; its photos cannot go through again (3 rounds)', async () => {
    for (let round = 0; round < 3; round += 1) {
      const form = await freshForm();
      const id = requestId('same');
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => call('zhangsan', 'claims', 'submit', { form }, id)),
      );
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      expect(new Set(answers.map((answer) => answer.body.data!.id)).size).toBe(1);
      const again = await call('zhangsan', 'claims', 'submit', { form }, requestId('again'));
      expect(again.status).toBe(422);
      expect(again.body.error?.code).toBe('DUPLICATE_RECEIPT');
    }
  }, 120_000);

  it('3. 初审通过 and 退回 at the same instant: one is taken, the other is 409, one decision in the history', async () => {
    const id = await submitted();
    const answers = await Promise.all([
      step('reviewer', 'decide', id, 'submitted', { action: 'passPreliminary' }),
      step('reviewer2', 'decide', id, 'submitted', { action: 'reject', reasonCode: 'notCovered' }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const detail = await call('zhangsan', 'claims', 'get', { id });
    expect((detail.body.data!.events as unknown[]).length).toBe(2);
  }, 60_000);

  it('4. whoever did 审核 cannot 复核', async () => {
    const id = await submitted();
    expect((await step('reviewer', 'decide', id, 'submitted', { action: 'passPreliminary' })).status).toBe(200);
    expect((await step('reviewer2', 'decide', id, 'preliminaryPassed', { action: 'passReview' })).status).toBe(200);
    expect((await step('reviewer', 'receiveOriginals', id, 'reviewPassed')).status).toBe(200);
    expect((await step('reviewer', 'settle', id, 'reviewPassed')).status).toBe(200);
    const verify = await step('reviewer2', 'verify', id, 'settled');
    expect(verify.status).toBe(403);
    expect(verify.body.error?.code).toBe('FOUR_EYES');
  }, 60_000);

  it.each(['toString', 'hasOwnProperty', 'constructor', '__proto__'])(
    '5. reason code %s is refused',
    async (reasonCode) => {
      const id = await submitted();
      const answer = await step('reviewer', 'decide', id, 'submitted', { action: 'reject', reasonCode });
      expect(answer.body.error?.code).toBe('REASON_UNKNOWN');
      expect(answer.status).toBe(422);
    },
    60_000,
  );

  it('7. a refused submission leaves no draft behind', async () => {
    const before = (await call('lisi', 'claims', 'listMine', {})).body.data!.total;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const answer = await call('lisi', 'claims', 'submit', {
        form: { ...validForm({ visit: { visitDate: recentDate(10) } }), materials: {} },
      });
      expect(answer.body.error?.code).toBe('MATERIALS_MISSING');
    }
    expect((await call('lisi', 'claims', 'listMine', {})).body.data!.total).toBe(before);
  }, 60_000);

  it("12. someone else's claim and a made-up id get the same answer", async () => {
    const id = await submitted();
    const theirs = await call('lisi', 'claims', 'get', { id });
    const madeUp = await call('lisi', 'claims', 'get', { id: 'f'.repeat(32) });
    expect(theirs).toEqual(madeUp);
    expect(theirs.status).toBe(404);
  }, 60_000);
});
