/**
 * 预审 at submission and 快速办理: a clean claim is listed under 可快速办理 and passes 初审 and 审核 in
 * one step (two audited events recording the checks); a claim with something to look at is not.
 */
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { invoke, type Envelope } from './framework';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { asSeen, versionOf } from '../../test/support/review';
import { uploadMaterials, validForm, requiredMaterialIds } from '../../test/support/fixtures';
import type { ReviewQueueItem } from '../../src/core/contracts/views';
import type { FastPassOutcome } from '../../src/core/contracts/review';
import type { Page } from '../../src/core/contracts/claimDraft';
import type { ReceiptReadingDoc } from '../receipts/readings';
import { storedKey } from '../receipts/registry';
import type { ClaimDoc } from '../repositories/claims';

type Ports = Awaited<ReturnType<typeof embeddedPorts>>;

const form = validForm();
const totalFen = form.lineItems.reduce((sum, item) => sum + item.amountFen, 0);

/** A stored reading of the receipt photo as the receipts function leaves it. */
async function readReceipt(
  ports: Ports,
  fileID: string,
  reading: { payer?: string; issueDate?: string; totalFen?: number; disagree?: boolean },
): Promise<void> {
  const field = <T>(value: T) => ({ value, confidence: 0.95, raw: String(value), corrected: false, sources: [] });
  await ports.store.collection('receiptReadings').insert({
    _id: storedKey(fileID),
    _openid: callers.zhangsan.openid,
    fileID,
    identity: null,
    reading: {
      extracted: {
        kind: 'outpatient',
        fields: {
          ...(reading.payer ? { payer: field(reading.payer) } : {}),
          ...(reading.issueDate ? { issueDate: field(reading.issueDate) } : {}),
          ...(reading.totalFen !== undefined ? { totalFigures: field(reading.totalFen) } : {}),
        },
        items: [],
      },
      crossCheck: {
        checks: reading.disagree ? [{ id: 'wordsVsFigures', status: 'disagree', message: '大写与小写金额不一致' }] : [],
        needsConfirmation: [],
        suggested: {},
      },
    },
    readAt: '2026-03-02T02:00:00.000Z',
  } as unknown as ReceiptReadingDoc);
}

async function submitWith(
  ports: Ports,
  requestId: string,
  reading: Parameters<typeof readReceipt>[2],
): Promise<string> {
  const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
  await readReceipt(ports, materials.invoice![0]!, reading);
  const result = await invoke(
    claimsFunction,
    { action: 'submit', payload: { form: { ...form, materials } }, requestId },
    callers.zhangsan,
    ports,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return (result.data as { id: string }).id;
}

/** A reviewer's step with the version of the claim as stored now (what the page would send). */
const review = async (ports: Ports, action: string, payload: unknown): Promise<Envelope<unknown>> =>
  invoke(reviewFunction, { action, payload: await asSeen(ports.store, action, payload) }, callers.reviewer, ports);

describe('预审 and 快速办理', () => {
  let ports: Ports;
  beforeEach(async () => {
    ports = await embeddedPorts({ clock: new FixedClock(new Date('2026-03-02T02:00:00Z')) });
  });

  it('a clean claim is listed under 可快速办理 and passes 初审 and 审核 in one step, both events recording the checks', async () => {
    const clean = await submitWith(ports, 'clean-00001', { payer: '张三', issueDate: form.visit.visitDate!, totalFen });
    const disagreeing = await submitWith(ports, 'dirty-00001', {
      payer: '张三',
      issueDate: form.visit.visitDate!,
      totalFen,
      disagree: true,
    });

    const quick = await review(ports, 'queue', { clean: true });
    expect(quick.ok && (quick.data as Page<ReviewQueueItem>).items.map((item) => item.id)).toEqual([clean]);
    const all = (await review(ports, 'queue', {})) as { ok: true; data: Page<ReviewQueueItem> };
    const other = all.data.items.find((item) => item.id === disagreeing)!;
    expect(other.precheck?.clean).toBe(false);
    expect(other.precheck?.outcomes.filter((outcome) => !outcome.passed).map((outcome) => outcome.id)).toEqual([
      'receiptsAgree',
    ]);

    expect(await review(ports, 'fastPass', { id: clean, expectedStatus: 'submitted' })).toMatchObject({
      ok: true,
      data: { status: 'reviewPassed' },
    });
    const stored = await ports.store.collection<ClaimDoc>('claims').get(clean);
    expect(stored?.events.map((event) => event.action)).toEqual(['submit', 'passPreliminary', 'passReview']);
    for (const event of stored!.events.slice(1))
      expect(event.checks).toEqual(stored!.precheck!.outcomes.map((outcome) => outcome.id));

    expect(await review(ports, 'fastPass', { id: disagreeing, expectedStatus: 'submitted' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_CLEAN' },
    });
    expect((await ports.store.collection<ClaimDoc>('claims').get(disagreeing))?.status).toBe('submitted');
  });

  it('passes many clean claims together, each on its own; one refusal does not stop the others', async () => {
    const ids = [
      await submitWith(ports, 'many-000001', { payer: '张三', issueDate: form.visit.visitDate!, totalFen }),
      await submitWith(ports, 'many-000002', { payer: '李四', issueDate: form.visit.visitDate!, totalFen }),
      await submitWith(ports, 'many-000003', { payer: '张三', issueDate: form.visit.visitDate!, totalFen }),
    ];
    const fourth = await submitWith(ports, 'many-000004', {
      payer: '张三',
      issueDate: form.visit.visitDate!,
      totalFen,
    });
    // The queue as the reviewer read it: each claim with its version.
    const listed = await Promise.all(
      [...ids, fourth].map(async (id) => ({
        id,
        expectedStatus: 'submitted',
        expectedVersion: await versionOf(ports.store, id),
      })),
    );
    // The fourth is corrected by another reviewer after the queue was read (its status stays 待初审).
    const lineItems = form.lineItems.map((item, index) =>
      index === 0 ? { ...item, amountFen: item.amountFen - 100 } : item,
    );
    expect(
      await review(ports, 'editLineItems', {
        id: fourth,
        expectedStatus: 'submitted',
        lineItems,
        reason: '按清单核减',
      }),
    ).toMatchObject({ ok: true });
    const result = (await review(ports, 'fastPassMany', { claims: listed })) as { ok: true; data: FastPassOutcome[] };
    expect(result.data.map((outcome) => [outcome.ok, outcome.code ?? null])).toEqual([
      [true, null],
      [false, 'NOT_CLEAN'],
      [true, null],
      // Passed on figures the reviewer had not seen, before versions were required of the queue's 批量.
      [false, 'CONFLICT'],
    ]);
    expect((await ports.store.collection<ClaimDoc>('claims').get(fourth))?.status).toBe('submitted');
  });

  it('a line correction judges the totals again', async () => {
    const id = await submitWith(ports, 'totals-0001', { payer: '张三', issueDate: form.visit.visitDate!, totalFen });
    const lineItems = form.lineItems.map((item, index) =>
      index === 0 ? { ...item, amountFen: item.amountFen - 100 } : item,
    );
    expect(
      await review(ports, 'editLineItems', { id, expectedStatus: 'submitted', lineItems, reason: '按清单核减' }),
    ).toMatchObject({ ok: true });
    const stored = await ports.store.collection<ClaimDoc>('claims').get(id);
    expect(stored?.precheckClean).toBe(false);
    expect(stored?.precheck?.outcomes.find((outcome) => outcome.id === 'totalsMatch')).toMatchObject({ passed: false });
  });
});
