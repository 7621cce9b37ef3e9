/**
 * Payment batches: 复核-passed claims into a batch, the bank file read back (the .xlsx with the
 * library, the .csv parsed) matching the settled claims to the fen, and the batch paid together.
 */
import ExcelJS from 'exceljs';
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { PAYMENT_BATCH_PAGE, paymentsFunction, type PaymentBatchDoc, type PaymentBatchView } from './payments';
import {
  MAX_PAYMENT_BATCH,
  type PaymentBatchPage,
  type PaymentCandidates,
  type PaymentFile,
} from '../../src/core/contracts/payments';
import { maskBankAccount } from '../../src/core/identity';
import { invoke, type Envelope, type FunctionDefinition } from './framework';
import { callers, countingCalls, embeddedPorts, FixedClock, withMethods } from '../../test/support/ports';
import { bankAccount, idNumber, uploadMaterials, validForm, requiredMaterialIds } from '../../test/support/fixtures';
import { asSeen, versionOf } from '../../test/support/review';
import { actionsOn, payThroughBatch } from '../../test/support/calls';
import { fenToInputText } from '../../src/core/money';
import type { Caller, Collection, Store, StoredDoc } from '../ports';
import type { ClaimDoc } from '../repositories/claims';
import { CLAIM_FACTS, type ClaimFactsDoc } from '../claims/dashboardFacts';
import { drainWith } from './notify';
import { addGrants, type NotificationDoc } from '../notifications/outbox';
import { RecordingNotifier, type SentMessageDoc } from '../notifications/notifier';
import { localTemplateIds, subscribeTemplateKeys } from '../notifications/templates';

type Ports = Awaited<ReturnType<typeof embeddedPorts>>;

let submitted = 0;

/** `count` claims taken through 复核 (a 0 元 claim — `lineItems` of 丙类 only — is closed by it). */
async function verifiedClaims(
  ports: Ports,
  count: number,
  lineItems?: ReturnType<typeof validForm>['lineItems'],
): Promise<string[]> {
  const run = async (
    fn: FunctionDefinition,
    caller: Caller,
    action: string,
    payload: unknown,
    requestId?: string,
  ): Promise<{ id: string }> => {
    // As the pages send each step: the status and version seen, and 结算 with the figure its 结算预估 showed.
    return actionsOn(() => ports).ok<{ id: string }>(fn, caller, action, payload, requestId);
  };
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    // Each claim for a person of its own: one person's year reaches the outpatient 年度封顶 within a few claims, and
    // what follows is settled at 0 元 (closed by 复核, never in a batch).
    const form = validForm({
      lineItems: lineItems ?? [{ name: '西药费', amountFen: 200_000 + index * 12_345, category: 'A' }],
      insured: { ...validForm().insured, idNumber: idNumber('19800101', String(100 + (submitted % 900))) },
    });
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const { id } = await run(
      claimsFunction,
      callers.zhangsan,
      'submit',
      { form: { ...form, materials } },
      `pay-${(submitted += 1)}-0001`,
    );
    await run(reviewFunction, callers.reviewer, 'decide', { id, action: 'passPreliminary' });
    await run(reviewFunction, callers.reviewer, 'decide', { id, action: 'passReview' });
    await run(reviewFunction, callers.reviewer, 'receiveOriginals', { id });
    await run(reviewFunction, callers.reviewer, 'settle', { id });
    await run(reviewFunction, callers.reviewer2, 'verify', { id });
    ids.push(id);
  }
  return ids;
}

/** The claims chosen for a batch, each with its version as stored now where the test names none (as the page sends). */
async function chosenNow(store: Store, claims: Array<{ id: string; expectedVersion?: number }>): Promise<unknown[]> {
  return Promise.all(
    claims.map(async (claim) => ({ expectedVersion: await versionOf(store, claim.id).catch(() => 1), ...claim })),
  );
}

/** A payments action as the desk sends it: by 王经办, who makes the batches — except 确认已支付, 赵复核's (four eyes). */
const pay = async (
  ports: Ports,
  action: string,
  payload: unknown,
  caller: Caller = action === 'markPaid' ? callers.reviewer2 : callers.reviewer,
): Promise<Envelope<unknown>> =>
  invoke(
    paymentsFunction,
    {
      action,
      payload:
        action === 'createBatch'
          ? { claims: await chosenNow(ports.store, (payload as { claims: Array<{ id: string }> }).claims) }
          : payload,
    },
    caller,
    ports,
  );

function ok<T>(result: Envelope<unknown>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.data as T;
}

/** A minimal CSV reader for the file we write (quoted fields, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean)) {
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let index = 0; index < line.length; index += 1) {
      const char = line[index]!;
      if (quoted && char === '"' && line[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') {
        quoted = !quoted;
      } else if (char === ',' && !quoted) {
        fields.push(field);
        field = '';
      } else {
        field += char;
      }
    }
    fields.push(field);
    rows.push(fields);
  }
  return rows;
}

describe('payment batches', () => {
  let ports: Ports;
  beforeEach(async () => {
    ports = await embeddedPorts({
      clock: new FixedClock(new Date('2026-03-02T02:00:00Z')),
      // A full batch is hundreds of claims of one account, each with its photos: past a day's upload limit.
      uploadLimits: { filesPerDay: 100_000, bytesPerDay: 100_000 * 1024 * 1024 },
    });
  });

  it('exports the bank file — xlsx read back and csv parsed match the settled claims to the fen — and pays the batch together', async () => {
    const ids = await verifiedClaims(ports, 3);
    const candidates = ok<PaymentCandidates>(await pay(ports, 'candidates', {}));
    expect(candidates.total).toBe(3);
    expect(candidates.items.map((line) => line.claimId).sort()).toEqual([...ids].sort());
    expect(JSON.stringify(candidates)).not.toContain(bankAccount);

    const batch = ok<PaymentBatchView>(await pay(ports, 'createBatch', { claims: ids.map((id) => ({ id })) }));
    const claims = await Promise.all(ids.map((id) => ports.store.collection<ClaimDoc>('claims').get(id)));
    const paidFen = claims.map((claim) => claim!.paidFen!);
    expect(batch).toMatchObject({ status: 'open', count: 3, totalFen: paidFen.reduce((sum, fen) => sum + fen, 0) });
    expect(
      claims.every(
        (claim) => claim!.paymentBatchId === batch.batchNo && claim!.events.at(-1)?.action === 'batchForPayment',
      ),
    ).toBe(true);

    const csv = ok<{ base64: string }>(await pay(ports, 'export', { batchNo: batch.batchNo, format: 'csv' }));
    const rows = parseCsv(Buffer.from(csv.base64, 'base64').toString('utf8'));
    expect(rows[0]).toEqual(['序号', '收款人姓名', '收款账号', '开户银行', '金额（元）', '用途']);
    // One line per payment and nothing else: no 合计 line a bank import would take for one more payment.
    expect(rows.slice(1).map((row) => [row[1], row[2], row[4]])).toEqual(
      paidFen.map((fen) => ['张三', bankAccount, fenToInputText(fen)]),
    );

    // The batch's claims in one read, not one round trip each (each is 10–30 ms in the WeChat cloud).
    const calls: Record<string, number> = {};
    ok(
      await pay({ ...ports, store: countingCalls(ports.store, calls) }, 'export', {
        batchNo: batch.batchNo,
        format: 'csv',
      }),
    );
    expect(calls['claims.get'] ?? 0).toBe(0);
    expect(calls['claims.find']).toBe(1);

    const xlsx = ok<{ base64: string }>(await pay(ports, 'export', { batchNo: batch.batchNo, format: 'xlsx' }));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx.base64, 'base64') as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const cells = (row: number): unknown[] => (sheet.getRow(row).values as unknown[]).slice(1);
    expect(sheet.rowCount).toBe(4);
    for (let index = 0; index < 3; index += 1) {
      const [number, payee, account, , amount, purpose] = cells(index + 2);
      expect([number, payee, account]).toEqual([index + 1, '张三', bankAccount]);
      expect(Math.round((amount as number) * 100)).toBe(paidFen[index]);
      expect(purpose).toMatch(/^医保零星报销 YB[0-9A-F]{10}$/);
    }
    const summary = workbook.getWorksheet('汇总')!;
    expect((summary.getRow(2).values as unknown[]).slice(1)).toEqual(['笔数', 3]);
    expect(Math.round(((summary.getRow(3).values as unknown[])[2] as number) * 100)).toBe(batch.totalFen);

    // A claim is paid through its batch, never on its own: the review function has no 确认已支付.
    expect(
      await invoke(
        reviewFunction,
        {
          action: 'markPaid',
          payload: { id: ids[0], expectedStatus: 'verified', expectedVersion: await versionOf(ports.store, ids[0]!) },
        },
        callers.reviewer,
        ports,
      ),
    ).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
    // The batch's status as the page read it, missing or wrong, is said as such: an open batch was called paid (a probe).
    for (const [payload, message] of [
      [{ batchNo: batch.batchNo }, '缺少批次的当前状态，请刷新「支付批次」后再确认'],
      [{ batchNo: batch.batchNo, expectedStatus: 'closed' }, '批次的当前状态不正确，请刷新「支付批次」后再确认'],
      [{ batchNo: batch.batchNo, expectedStatus: 'paid' }, '这个批次已确认支付过'],
    ] as const)
      expect(await pay(ports, 'markPaid', payload)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', issues: [{ path: 'expectedStatus', message }] },
      });
    const paid = ok<PaymentBatchView>(await pay(ports, 'markPaid', { batchNo: batch.batchNo, expectedStatus: 'open' }));
    expect(paid.status).toBe('paid');
    for (const id of ids) {
      const claim = await ports.store.collection<ClaimDoc>('claims').get(id);
      expect(claim?.status).toBe('paid');
      expect(claim?.events.at(-1)).toMatchObject({ action: 'markPaid', reference: batch.batchNo });
    }
    expect(await pay(ports, 'markPaid', { batchNo: batch.batchNo, expectedStatus: 'open' })).toMatchObject({
      ok: false,
      error: { code: 'BATCH_ALREADY_PAID', message: '这个批次已经确认支付过了，不用再确认' },
    });
    // Paid, its file is a record only: accounts masked, not one a bank could be given again.
    const record = ok<PaymentFile>(await pay(ports, 'export', { batchNo: batch.batchNo, format: 'csv' }));
    expect(record).toMatchObject({ fileName: `${batch.batchNo}-留档.csv`, recordOnly: true, count: ids.length });
    const recorded = Buffer.from(record.base64, 'base64').toString('utf8');
    expect(recorded).not.toContain(bankAccount);
    expect(recorded.split(maskBankAccount(bankAccount))).toHaveLength(ids.length + 1);
  });

  it('who made the batch does not confirm it paid: 确认已支付 is another staff member’s, and each view says whose batch it is (a probe: one login made, exported and confirmed a batch)', async () => {
    const ids = await verifiedClaims(ports, 1);
    const batch = ok<PaymentBatchView>(await pay(ports, 'createBatch', { claims: ids.map((id) => ({ id })) }));
    expect(batch).toMatchObject({ createdBy: callers.reviewer.openid, createdByYou: true });
    ok(await pay(ports, 'export', { batchNo: batch.batchNo, format: 'csv' }));
    const own = await pay(ports, 'markPaid', { batchNo: batch.batchNo, expectedStatus: 'open' }, callers.reviewer);
    expect(own).toMatchObject({ ok: false, error: { code: 'FOUR_EYES' } });
    expect(!own.ok && own.error.message).toContain('请另一位工作人员核对银行的代发回单');
    expect((await ports.store.collection<ClaimDoc>('claims').get(ids[0]!))?.status).toBe('verified');
    // The list and the batch say to each whose it is: the page offers 确认已支付 to the other one only.
    const listedFor = async (caller: Caller) =>
      ok<PaymentBatchPage>(await pay(ports, 'list', { status: 'open' }, caller)).items.find(
        (item) => item.batchNo === batch.batchNo,
      );
    expect(await listedFor(callers.reviewer)).toMatchObject({ createdByYou: true });
    expect(await listedFor(callers.reviewer2)).toMatchObject({ createdByYou: false });
    expect(ok<PaymentBatchView>(await pay(ports, 'get', { batchNo: batch.batchNo }, callers.reviewer2))).toMatchObject({
      createdByYou: false,
    });
    const paid = ok<PaymentBatchView>(
      await pay(ports, 'markPaid', { batchNo: batch.batchNo, expectedStatus: 'open' }, callers.reviewer2),
    );
    expect(paid).toMatchObject({ status: 'paid', paidBy: callers.reviewer2.openid, createdByYou: false });
  });

  it('exports racing 确认已支付 never stamp a paid batch (a probe: exported 23:50:47.271, paid 23:50:47.088)', async () => {
    const ids = await verifiedClaims(ports, 2);
    const batch = ok<PaymentBatchView>(await pay(ports, 'createBatch', { claims: ids.map((id) => ({ id })) }));
    ok(await pay(ports, 'export', { batchNo: batch.batchNo, format: 'csv' }));
    // Every write of an export time to a batch, with the batch's status as stored at that moment.
    const stampedWhen: string[] = [];
    const batches = (): Collection<PaymentBatchDoc> => ports.store.collection<PaymentBatchDoc>('paymentBatches');
    const watched: Store = {
      collection: <T extends StoredDoc>(name: string) =>
        name === 'paymentBatches'
          ? (withMethods(batches(), {
              update: async (id, patch, options) => {
                if ('exportedAt' in patch) stampedWhen.push((await batches().get(id))!.status);
                return batches().update(id, patch, options);
              },
            }) as unknown as Collection<T>)
          : ports.store.collection<T>(name),
      transaction: (work) =>
        ports.store.transaction((tx) =>
          work({
            ...tx,
            get: (collection, id) => tx.get(collection, id),
            set: async (collection, doc) => {
              if (collection === 'paymentBatches' && 'exportedAt' in doc)
                stampedWhen.push((await tx.get<PaymentBatchDoc>(collection, doc._id))?.status ?? 'none');
              return tx.set(collection, doc);
            },
            remove: (collection, id) => tx.remove(collection, id),
          }),
        ),
    };
    const racing = { ...ports, store: watched };
    const exports = (format: 'xlsx' | 'csv') =>
      Array.from({ length: 8 }, () => pay(racing, 'export', { batchNo: batch.batchNo, format }));
    const answers = await Promise.all([
      ...exports('xlsx'),
      pay(ports, 'markPaid', { batchNo: batch.batchNo, expectedStatus: 'open' }),
      ...exports('xlsx'),
    ]);
    for (const answer of answers) expect(answer.ok).toBe(true);
    expect((await batches().get(batch.batchNo))!.status).toBe('paid');
    expect(stampedWhen.length).toBeGreaterThan(0);
    expect(stampedWhen.filter((status) => status !== 'open')).toEqual([]);
    const record = ok<PaymentFile>(await pay(racing, 'export', { batchNo: batch.batchNo, format: 'xlsx' }));
    expect(record.recordOnly).toBe(true);
    expect(stampedWhen.filter((status) => status !== 'open')).toEqual([]);
  });

  it('a batch whose bank file was never exported cannot be confirmed paid: no transfer file, no payment (a probe marked one paid at once)', async () => {
    const ids = await verifiedClaims(ports, 1);
    const batch = ok<PaymentBatchView>(await pay(ports, 'createBatch', { claims: ids.map((id) => ({ id })) }));
    expect(await pay(ports, 'markPaid', { batchNo: batch.batchNo, expectedStatus: 'open' })).toMatchObject({
      ok: false,
      error: {
        code: 'BATCH_NOT_EXPORTED',
        message: '这个批次还没有导出银行代发文件：请先下载文件交银行发放，银行发放成功后再确认已支付。',
      },
    });
    const claim = await ports.store.collection<ClaimDoc>('claims').get(ids[0]!);
    expect(claim?.status).toBe('verified');
    expect(ok<PaymentBatchView>(await pay(ports, 'get', { batchNo: batch.batchNo }))).toMatchObject({
      status: 'open',
      exportedAt: null,
    });
    ok(await pay(ports, 'export', { batchNo: batch.batchNo, format: 'csv' }));
    expect(
      ok<PaymentBatchView>(await pay(ports, 'markPaid', { batchNo: batch.batchNo, expectedStatus: 'open' })),
    ).toMatchObject({
      status: 'paid',
    });
  });

  it('a payment line opens the account alone and reads only what the line needs of each claim', async () => {
    const ids = await verifiedClaims(ports, 3);
    let opened = 0;
    const sealer = { ...ports.sealer, open: (sealed: string) => ((opened += 1), ports.sealer.open(sealed)) };
    const claimReads: Array<readonly string[] | undefined> = [];
    const store: Store = {
      transaction: (work) => ports.store.transaction(work),
      collection<T extends StoredDoc>(name: string): Collection<T> {
        const inner = ports.store.collection<T>(name);
        if (name !== 'claims') return inner;
        return withMethods(inner, {
          find: (filter, options) => (claimReads.push(options?.fields), inner.find(filter, options)),
        });
      },
    };
    const watched = { ...ports, store, sealer };

    const candidates = ok<PaymentCandidates>(await pay(watched, 'candidates', {}));
    expect(candidates.items.map((line) => line.accountMasked)).toEqual(ids.map(() => expect.stringMatching(/\*/)));
    // Before: every personal field of each claim (身份证号, 账号, 电话), and the whole form opened twice.
    expect(opened).toBe(3);
    const batch = ok<PaymentBatchView>(await pay(ports, 'createBatch', { claims: ids.map((id) => ({ id })) }));
    opened = 0;
    const csv = ok<{ base64: string }>(await pay(watched, 'export', { batchNo: batch.batchNo, format: 'csv' }));
    expect(Buffer.from(csv.base64, 'base64').toString('utf8').split(bankAccount)).toHaveLength(4);
    expect(opened).toBe(3);
    // Each read names its fields: no claim's history, estimate or receipts travel for a bank line (the candidates'
    // second read, of 0 元 claims to close, their titles alone).
    expect(claimReads).toEqual([expect.any(Array), ['title'], expect.any(Array)]);
    for (const fields of [claimReads[0], claimReads[2]])
      expect(fields).toEqual(expect.arrayContaining(['form.payout', 'paidFen']));
    for (const fields of claimReads) expect(fields).not.toContain('events');
  });

  it('batches made in the same second each get a number of their own (they collided 1 time in 16 and were refused)', async () => {
    const ids = await verifiedClaims(ports, 20);
    const numbers: string[] = [];
    for (const id of ids) {
      const batch = ok<PaymentBatchView>(await pay(ports, 'createBatch', { claims: [{ id }] }));
      expect(batch.lines.map((line) => line.claimId)).toEqual([id]);
      numbers.push(batch.batchNo);
    }
    expect(new Set(numbers).size).toBe(20);
    for (const batchNo of numbers) expect(batchNo).toMatch(/^PB20260302-100000-[0-9A-F]{2}$/);
  });

  it('two batches racing for the same claim: one takes it, the other writes nothing', async () => {
    const [first, second] = await verifiedClaims(ports, 2);
    const results = await Promise.all([
      pay(ports, 'createBatch', { claims: [{ id: first }, { id: second }] }),
      // A second reviewer a second later (batch numbers carry the time).
      invoke(
        paymentsFunction,
        { action: 'createBatch', payload: { claims: await chosenNow(ports.store, [{ id: second! }]) } },
        callers.reviewer2,
        { ...ports, clock: new FixedClock(new Date('2026-03-02T02:00:01Z')) },
      ),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const batches = await ports.store.collection('paymentBatches').count({});
    expect(batches).toBe(1);
    const claims = await Promise.all([first, second].map((id) => ports.store.collection<ClaimDoc>('claims').get(id!)));
    const winner = results.find((result) => result.ok) as { ok: true; data: PaymentBatchView };
    for (const claim of claims) {
      if (winner.data.lines.some((line) => line.claimId === claim!._id))
        expect(claim!.paymentBatchId).toBe(winner.data.batchNo);
      else expect(claim!.paymentBatchId).toBeNull();
    }
  });

  it('refuses claims that are not 复核通过, and a claimant altogether', async () => {
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const submitted = ok<{ id: string }>(
      await invoke(
        claimsFunction,
        { action: 'submit', payload: { form: { ...form, materials } }, requestId: 'not-verified-01' },
        callers.zhangsan,
        ports,
      ),
    );
    expect(await pay(ports, 'createBatch', { claims: [{ id: submitted.id }] })).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: '有申请已不在「待支付」状态（可能刚被编入别的批次、已支付或被退回），请刷新列表后重新选择',
        details: { claimId: submitted.id },
      },
    });
    expect(await pay(ports, 'candidates', {}, callers.zhangsan)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await ports.store.collection('paymentBatches').count({})).toBe(0);
  });

  it('lists batches newest first a page at a time, open and paid apart, every batch once: an open one behind many paid is reachable', async () => {
    // 3 open batches, the oldest first, then 45 paid ones (as months of payments leave them), straight into the store.
    const at = (minute: number): Date => new Date(Date.UTC(2026, 0, 5, 1, minute));
    const stamp = (date: Date): string =>
      new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    const batch = (minute: number, status: 'open' | 'paid'): PaymentBatchDoc => ({
      _id: `PB${stamp(at(minute))}-0A`,
      status,
      lines: [],
      count: 1,
      totalFen: 10_000 + minute,
      createdBy: callers.reviewer.openid,
      createdAt: at(minute).toISOString(),
      exportedAt: null,
      paidBy: status === 'paid' ? callers.reviewer.openid : null,
      paidAt: status === 'paid' ? at(minute + 1).toISOString() : null,
      version: 1,
    });
    const stored = [
      ...[0, 1, 2].map((minute) => batch(minute, 'open')),
      ...Array.from({ length: 45 }, (_, index) => batch(10 + index, 'paid')),
    ];
    await ports.store.transaction(async (tx) => {
      for (const doc of stored) await tx.set('paymentBatches', doc);
    });
    const pages = async (status?: 'open' | 'paid'): Promise<PaymentBatchPage[]> => {
      const read: PaymentBatchPage[] = [];
      for (let before: string | null | undefined; before !== null; ) {
        const page = ok<PaymentBatchPage>(
          await pay(ports, 'list', { ...(status ? { status } : {}), ...(before ? { before } : {}) }),
        );
        read.push(page);
        before = page.next;
      }
      return read;
    };
    const all = await pages();
    expect(all.map((page) => page.items.length)).toEqual([PAYMENT_BATCH_PAGE, PAYMENT_BATCH_PAGE, 8]);
    const listed = all.flatMap((page) => page.items.map((item) => item.batchNo));
    expect(listed).toEqual(stored.map((doc) => doc._id).reverse());
    // A page shows no lines (up to 50 a batch): the bank file and `get` read them.
    expect(all[0]!.items[0]).not.toHaveProperty('lines');
    expect(all[0]!.items[0]).toMatchObject({ status: 'paid', count: 1, totalFen: 10_054, version: 1 });
    const open = await pages('open');
    expect(open.flatMap((page) => page.items.map((item) => item.batchNo))).toEqual(
      stored
        .slice(0, 3)
        .map((doc) => doc._id)
        .reverse(),
    );
    expect(open).toHaveLength(1);
    expect(await pay(ports, 'list', { before: 'not-a-batch' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('offers one batch of candidates, the longest waiting first, and says how many wait: all of them make a batch', async () => {
    const ids = await verifiedClaims(ports, MAX_PAYMENT_BATCH + 2);
    const candidates = ok<PaymentCandidates>(await pay(ports, 'candidates', {}));
    expect(candidates.total).toBe(MAX_PAYMENT_BATCH + 2);
    // 全选 once made 100 a batch, which createBatch refuses (at most 50).
    expect(candidates.items).toHaveLength(MAX_PAYMENT_BATCH);
    const batch = ok<PaymentBatchView>(
      await pay(ports, 'createBatch', { claims: candidates.items.map((line) => ({ id: line.claimId })) }),
    );
    expect(batch.count).toBe(MAX_PAYMENT_BATCH);
    const rest = ok<PaymentCandidates>(await pay(ports, 'candidates', {}));
    expect(rest.total).toBe(2);
    expect([...candidates.items, ...rest.items].map((line) => line.claimId).sort()).toEqual([...ids].sort());
  });

  it('a claim settled at 0 元 is closed by 复核 without a transfer, never offered for a batch; one left at 复核通过 is refused a batch and 确认已支付, and closed by 办结', async () => {
    const [nothing] = await verifiedClaims(ports, 1, [{ name: '自费材料', amountFen: 50_000, category: 'C' }]);
    const [something] = await verifiedClaims(ports, 1);
    const claims = ports.store.collection<ClaimDoc>('claims');
    const closed = (await claims.get(nothing!))!;
    expect(closed.paidFen).toBe(0);
    expect(closed.status).toBe('paid');
    expect(closed.events.slice(-2).map((event) => [event.action, event.from, event.to, event.actor])).toEqual([
      ['verify', 'settled', 'verified', callers.reviewer2.openid],
      ['closeWithoutPayment', 'verified', 'paid', callers.reviewer2.openid],
    ]);
    // 办结 for the figures: the week it closed and the working days it took, as a payment's.
    expect(await ports.store.collection<ClaimFactsDoc>(CLAIM_FACTS).get(nothing!)).toMatchObject({
      status: 'paid',
      paidWeek: expect.stringMatching(/^2026-W/),
      workingDays: 0,
    });
    const candidates = ok<PaymentCandidates>(await pay(ports, 'candidates', {}));
    expect(candidates.items.map((line) => line.claimId)).toEqual([something]);
    expect(candidates.total).toBe(1);

    // A 0 元 claim 复核-passed before 复核 closed such claims: still 复核通过, its close not taken.
    await ports.store.transaction(async (tx) => {
      const doc = (await tx.get<ClaimDoc>('claims', nothing!))!;
      await tx.set('claims', { ...doc, status: 'verified', events: doc.events.slice(0, -1), version: doc.version + 1 });
    });
    // Its claimant's timeline ends in 办结 to come, not ○ 已支付.
    const seen = await invoke(claimsFunction, { action: 'get', payload: { id: nothing } }, callers.zhangsan, ports);
    expect(seen).toMatchObject({ ok: true });
    const timeline = (seen as { data: { timeline: { steps: Array<{ label: string; state: string }> } } }).data.timeline;
    expect(timeline.steps.at(-1)).toEqual({ key: 'paid', label: '办结（无报销款）', state: 'current' });
    const offered = ok<PaymentCandidates>(await pay(ports, 'candidates', {}));
    expect(offered.items.map((line) => line.claimId)).toEqual([something]);
    // Named apart, to be closed on their pages (after an upgrade they vanished from 待编入 without a word).
    expect(offered.nothingToPay).toEqual([{ claimId: nothing, claimNumber: expect.any(String), title: closed.title }]);
    const refused = await pay(ports, 'createBatch', { claims: [{ id: something! }, { id: nothing! }] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOTHING_TO_PAY', details: { claimId: nothing } } });
    expect(!refused.ok && refused.error.message).toContain('办结（无需支付）');
    expect(await ports.store.collection('paymentBatches').count({})).toBe(0);
    expect((await claims.get(something!))!.paymentBatchId).toBeNull();
    const review = async (action: string, id: string): Promise<Envelope<unknown>> =>
      invoke(reviewFunction, { action, payload: await asSeen(ports.store, action, { id }) }, callers.reviewer, ports);
    expect(await review('closeWithoutPayment', something!)).toMatchObject({
      ok: false,
      error: { code: 'PAYMENT_DUE' },
    });
    expect(await review('closeWithoutPayment', nothing!)).toMatchObject({ ok: true, data: { status: 'paid' } });
    expect(ok<PaymentCandidates>(await pay(ports, 'candidates', {})).nothingToPay).toEqual([]);
    const after = (await claims.get(nothing!))!;
    expect(after.events.at(-1)).toMatchObject({ action: 'closeWithoutPayment', actor: callers.reviewer.openid });
    expect(after.paymentBatchId).toBeNull();

    // The queue finds 0 元 办结 apart from payments (under 已支付 they were mixed with the claims paid).
    await payThroughBatch(ports, callers.reviewer, [something!]);
    const queued = async (payload: Record<string, unknown>): Promise<string[]> => {
      const page = await invoke(reviewFunction, { action: 'queue', payload }, callers.reviewer, ports);
      if (!page.ok) throw new Error(JSON.stringify(page.error));
      return (page.data as { items: Array<{ id: string }> }).items.map((item) => item.id);
    };
    expect(await queued({ status: 'paid', settledAtZero: true })).toEqual([nothing]);
    expect(await queued({ status: 'paid', settledAtZero: false })).toEqual([something]);
    // 已支付 is what was paid; 已办结（无报销款） is asked for by itself (a probe: it alone answered nothing, and 已支付
    // listed the 0 元 closures among the payments).
    expect(await queued({ status: 'paid' })).toEqual([something]);
    expect(await queued({ settledAtZero: true })).toEqual([nothing]);
    // Its record says what happened to it, not 已支付 (a probe read the audit of a claim no money went to).
    const audit = await invoke(reviewFunction, { action: 'audit', payload: { id: nothing } }, callers.reviewer, ports);
    expect(audit).toMatchObject({ ok: true, data: { claim: { statusLabel: '已办结（无报销款）', paidFen: 0 } } });
  });

  it('a claim closed at 0 元 says so in its last subscribe message, the 支付 template with ¥0.00 (the 审核结果 grant was spent at 审核通过)', async () => {
    for (const key of subscribeTemplateKeys) await addGrants(ports.store, callers.zhangsan.openid, key, 1);
    const [nothing] = await verifiedClaims(ports, 1, [{ name: '自费材料', amountFen: 50_000, category: 'C' }]);
    await drainWith(ports, { notifier: new RecordingNotifier(ports.store), templateIds: localTemplateIds });
    const sent = await ports.store.collection<SentMessageDoc>('sentMessages').find({}, { limit: 10 });
    expect(sent.map((message) => message.templateId).sort()).toEqual([
      localTemplateIds.accepted,
      localTemplateIds.paid,
      localTemplateIds.result,
    ]);
    const result = sent.find((message) => message.templateId === localTemplateIds.result)!;
    // Drained after 结算 here, it names the settled 0.00 元; drained before, 待结算，金额以结算结果为准 (the unit test).
    expect(result.data).toMatchObject({ phrase2: { value: '审核通过' } });
    expect(result.data.thing3?.value).not.toMatch(/等待结算后支付/);
    const closing = sent.find((message) => message.templateId === localTemplateIds.paid)!;
    expect(closing.data).toMatchObject({ amount2: { value: '¥0.00' } });
    expect(closing.page).toContain(nothing);
    // Nothing left unsent for want of a grant.
    expect(await ports.store.collection('messages').count({ state: 'noGrant' })).toBe(0);
    // In the app, 复核 and 办结 of a 0 元 claim are one step to the claimant: one card says it closed, not a
    // 复核通过：本次医保支付 0 元 card and an 已办结 card in the same minute (a walk).
    const cards = await ports.store
      .collection<NotificationDoc>('notifications')
      .find({ claimId: nothing! }, { limit: 20 });
    const titles = cards.sort((a, b) => a.seq - b.seq).map((card) => card.title);
    expect(titles.filter((title) => /复核/.test(title))).toEqual([]);
    expect(titles.slice(-2)).toEqual(['已结算：本次医保支付 0 元', '已办结：本次没有报销款']);
  });

  it('createBatch sent again with its request id answers with the batch it made: no second batch, no second bank file (black-box probe)', async () => {
    const ids = await verifiedClaims(ports, 2);
    // The very same request each time (a retry sends the body it sent), a second later each time.
    const claims = await chosenNow(
      ports.store,
      ids.map((id) => ({ id })),
    );
    let second = 0;
    const send = async (): Promise<Envelope<unknown>> =>
      invoke(
        paymentsFunction,
        { action: 'createBatch', payload: { claims }, requestId: 'batch-retry-0001' },
        callers.reviewer,
        { ...ports, clock: new FixedClock(new Date(Date.UTC(2026, 2, 2, 2, 0, (second += 1)))) },
      );
    const first = ok<PaymentBatchView>(await send());
    const again = ok<PaymentBatchView>(await send());
    expect(again.batchNo).toBe(first.batchNo);
    expect(await ports.store.collection('paymentBatches').count({})).toBe(1);
    ok(await pay(ports, 'export', { batchNo: first.batchNo, format: 'csv' }));
    ok(await pay(ports, 'markPaid', { batchNo: first.batchNo, expectedStatus: 'open' }));
    const afterPaid = ok<PaymentBatchView>(await send());
    expect(afterPaid).toMatchObject({ batchNo: first.batchNo, status: 'paid' });
    expect(await ports.store.collection('paymentBatches').count({})).toBe(1);
    // The same request id with other claims is not taken for a retry.
    const [other] = await verifiedClaims(ports, 1);
    const reused = await invoke(
      paymentsFunction,
      {
        action: 'createBatch',
        payload: { claims: [...claims, ...(await chosenNow(ports.store, [{ id: other! }]))] },
        requestId: 'batch-retry-0001',
      },
      callers.reviewer,
      ports,
    );
    expect(reused).toMatchObject({ ok: false, error: { code: 'REQUEST_ID_REUSED' } });
    expect(await ports.store.collection('paymentBatches').count({})).toBe(1);
    expect((await ports.store.collection<ClaimDoc>('claims').get(other!))!.paymentBatchId).toBeNull();
    // Nor with claims none of which is in its batch (a probe: a second batch was made under the used id).
    const disjoint = await invoke(
      paymentsFunction,
      {
        action: 'createBatch',
        payload: { claims: await chosenNow(ports.store, [{ id: other! }]) },
        requestId: 'batch-retry-0001',
      },
      callers.reviewer,
      ports,
    );
    expect(disjoint).toMatchObject({ ok: false, error: { code: 'REQUEST_ID_REUSED' } });
    expect(await ports.store.collection('paymentBatches').count({})).toBe(1);
    expect((await ports.store.collection<ClaimDoc>('claims').get(other!))!.paymentBatchId).toBeNull();
  });

  it('markPaid sent again with its request id (ten at once, then a retry) answers as the first did: the batch paid, each claim paid once (a probe: nine copies answered BATCH_ALREADY_PAID)', async () => {
    const batch = ok<PaymentBatchView>(
      await pay(ports, 'createBatch', { claims: (await verifiedClaims(ports, 2)).map((id) => ({ id })) }),
    );
    ok(await pay(ports, 'export', { batchNo: batch.batchNo, format: 'csv' }));
    const send = (requestId: string, payload: unknown = { batchNo: batch.batchNo, expectedStatus: 'open' }) =>
      invoke(paymentsFunction, { action: 'markPaid', payload, requestId }, callers.reviewer2, ports);
    const copies = await Promise.all(Array.from({ length: 10 }, () => send('paid-0001-retry')));
    for (const answer of copies)
      expect(answer).toMatchObject({ ok: true, data: { batchNo: batch.batchNo, status: 'paid' } });
    expect(await send('paid-0001-retry')).toMatchObject({ ok: true, data: { status: 'paid' } });
    for (const line of batch.lines) {
      const claim = await ports.store.collection<ClaimDoc>('claims').get(line.claimId);
      expect(claim!.events.filter((event) => event.action === 'markPaid')).toHaveLength(1);
    }
    // Another request (its own id) is told the batch was paid; the used id with another body is refused.
    expect(await send('paid-0002-other')).toMatchObject({ ok: false, error: { code: 'BATCH_ALREADY_PAID' } });
    const another = ok<PaymentBatchView>(
      await pay(ports, 'createBatch', { claims: (await verifiedClaims(ports, 1)).map((id) => ({ id })) }),
    );
    ok(await pay(ports, 'export', { batchNo: another.batchNo, format: 'csv' }));
    expect(await send('paid-0001-retry', { batchNo: another.batchNo, expectedStatus: 'open' })).toMatchObject({
      ok: false,
      error: { code: 'REQUEST_ID_REUSED' },
    });
    // Naming a batch that does not exist, too (a probe: NOT_FOUND).
    expect(await send('paid-0001-retry', { batchNo: 'PB20260302-101530-3F', expectedStatus: 'open' })).toMatchObject({
      ok: false,
      error: { code: 'REQUEST_ID_REUSED' },
    });
    expect((await ports.store.collection<PaymentBatchDoc>('paymentBatches').get(another.batchNo))!.status).toBe('open');
  });

  it('a copy of markPaid that read the batch before the first copy committed, and its request record after, still answers paid (CI on the cloud emulator: one of ten copies answered status open)', async () => {
    const batch = ok<PaymentBatchView>(
      await pay(ports, 'createBatch', { claims: (await verifiedClaims(ports, 1)).map((id) => ({ id })) }),
    );
    ok(await pay(ports, 'export', { batchNo: batch.batchNo, format: 'csv' }));
    const before = await ports.store.collection<PaymentBatchDoc>('paymentBatches').get(batch.batchNo);
    const command = {
      action: 'markPaid',
      payload: { batchNo: batch.batchNo, expectedStatus: 'open' },
      requestId: 'paid-late-read',
    };
    expect(await invoke(paymentsFunction, command, callers.reviewer2, ports)).toMatchObject({
      ok: true,
      data: { status: 'paid' },
    });
    // The copy's store reads committed documents as they are when read (the WeChat cloud's transactions, and the
    // emulator's, take no lock on a read): a batch read before the first copy's request record was read is the batch
    // as it was before that copy committed.
    const lateCopy: Store = {
      collection: (name) => ports.store.collection(name),
      transaction: (work) =>
        ports.store.transaction((tx) => {
          let recordRead = false;
          return work({
            get: async <T extends StoredDoc>(collection: string, id: string): Promise<T | null> => {
              if (collection === 'paymentRequests') recordRead = true;
              if (collection === 'paymentBatches' && id === batch.batchNo && !recordRead) return before as T | null;
              return tx.get<T>(collection, id);
            },
            set: (collection, doc) => tx.set(collection, doc),
            remove: (collection, id) => tx.remove(collection, id),
          });
        }),
    };
    expect(await invoke(paymentsFunction, command, callers.reviewer2, { ...ports, store: lateCopy })).toMatchObject({
      ok: true,
      data: { batchNo: batch.batchNo, status: 'paid' },
    });
  });
});
