/**
 * The receipts function with a recorded OCR line set standing in for the model (the real PaddleOCR
 * runs in test/receipts/ocr.test.ts): fields read, reading stored, and duplicates caught — the same
 * receipt in a second claim, the same photo twice — blocked at submit with the earlier claim named,
 * freed when the earlier claim is withdrawn.
 */
import { readingTurns } from '../receipts/readReceipt';
import { claimsFunction } from './claims';
import { receiptsFunction } from './receipts';
import { reviewFunction } from './review';
import { invoke, type FunctionDefinition } from './framework';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { jpegBytes, uploadMaterials, validForm } from '../../test/support/fixtures';
import { checklistOf } from '../../src/core/contracts/claim';
import type { OcrLine } from '../../src/core/receipt';
import type { Caller } from '../ports';
import type { ClaimDoc } from '../repositories/claims';
import type { NotificationDoc } from '../notifications/outbox';
import { drainWith } from './notify';
import { RecordingNotifier } from '../notifications/notifier';
import { localTemplateIds } from '../notifications/templates';

const INPATIENT_MERGED: OcrLine[] = [
  { text: '医疗住院收费票据', confidence: 0.99 },
  { text: '票据代码:44010221 票据号码:0000098765 校验码:Qx7k2P', confidence: 0.97 },
  { text: '交款人:张三 住院号:ZY000123 开票日期:2026-02-20', confidence: 0.96 },
  { text: '项目名称 金额 项目名称 金额', confidence: 0.99 },
  { text: '床位费 400.00 护理费 216.00', confidence: 0.95 },
  { text: '西药费 1,234.56 手术费 2000.00', confidence: 0.95 },
  { text: '合计(大写)叁仟捌佰伍拾元伍角陆分 (小写) 3850.56', confidence: 0.93 },
  { text: '收款单位:北京协和医院', confidence: 0.97 },
];

type Ports = Awaited<ReturnType<typeof embeddedPorts>>;
let ports: Ports;
let ocrCalls = 0;
const receipts = receiptsFunction({
  ocr: () => ({
    recognise: async () => {
      ocrCalls += 1;
      return INPATIENT_MERGED;
    },
  }),
  decodeQr: async () => null,
});

beforeEach(async () => {
  ocrCalls = 0;
  ports = await embeddedPorts({ clock: new FixedClock(new Date('2026-03-02T02:00:00Z')), readQr: true });
});

const call = (fn: FunctionDefinition, caller: Caller, action: string, payload: unknown, requestId?: string) =>
  invoke(fn, { action, payload, ...(requestId ? { requestId } : {}) }, caller, ports);

/** Submits a valid claim of `name` with one invoice photo (`invoiceFileID`) and the other required materials. */
async function submitClaim(caller: Caller, name: string, invoiceFileID: string, requestId: string) {
  const form = validForm({
    insured: { ...validForm().insured, name },
    payout: { ...validForm().payout, holderName: name },
  });
  const others = checklistOf(form as never, true)
    .filter((item) => item.required && item.id !== 'invoice')
    .map((item) => item.id);
  const materials = await uploadMaterials(ports.files, caller.openid, others);
  const payload = { form: { ...form, materials: { ...materials, invoice: [invoiceFileID] } } };
  return call(claimsFunction, caller, 'submit', payload, requestId);
}

/** Uploads an invoice photo, reads it as the app does, then submits a claim with it. */
async function submitWithInvoice(caller: Caller, name: string, invoiceBytes: Buffer, requestId: string) {
  const invoice = await ports.files.put(caller.openid, 'invoice.jpg', 'image/jpeg', invoiceBytes);
  const read = await call(receipts, caller, 'read', { fileID: invoice.fileID });
  return { read, submitted: await submitClaim(caller, name, invoice.fileID, requestId) };
}

/** 张三's claim filed with an invoice photo nobody read: its 预审 has 票据均已识别 open. */
async function filedWithUnreadInvoice(scene: string, requestId: string) {
  const invoice = await ports.files.put(callers.zhangsan.openid, 'invoice.jpg', 'image/jpeg', await jpegBytes(scene));
  const submitted = await submitClaim(callers.zhangsan, '张三', invoice.fileID, requestId);
  const id = submitted.ok ? (submitted.data as { id: string }).id : '';
  const claims = ports.store.collection<ClaimDoc>('claims');
  const outcome = async (check: string) =>
    (await claims.get(id))!.precheck!.outcomes.find((each) => each.id === check)!.passed;
  expect(await outcome('receiptsRead')).toBe(false);
  return { invoice, id, claims, outcome, before: (await claims.get(id))! };
}

/** A photo of a receipt whose QR code holds `qrText`; `scene` makes each photo's bytes differ. */
async function qrPhoto(qrText: string, scene: string): Promise<Buffer> {
  const qr = await QRCode.toBuffer(qrText, { width: 300, margin: 2 });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="700"><rect width="100%" height="100%" fill="#fffef8"/><text x="40" y="640" font-size="28" font-family="WenQuanYi Micro Hei">${scene}</text></svg>`;
  return sharp(Buffer.from(svg))
    .composite([{ input: qr, left: 80, top: 80 }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

describe('receipts', () => {
  it('reads the fields, keeps the reading, and answers the same photo without a second OCR', async () => {
    const invoice = await ports.files.put(
      callers.zhangsan.openid,
      'invoice.jpg',
      'image/jpeg',
      await jpegBytes('住院票据'),
    );
    const first = await call(receipts, callers.zhangsan, 'read', { fileID: invoice.fileID });
    expect(first.ok).toBe(true);
    const data = first.ok
      ? (first.data as {
          extracted: { fields: Record<string, { value: unknown; confidence: number }> };
          identity: { basis: string };
          duplicates: unknown[];
        })
      : null;
    expect(data?.extracted.fields.code?.value).toBe('44010221');
    expect(data?.extracted.fields.number?.value).toBe('0000098765');
    expect(data?.extracted.fields.totalFigures?.value).toBe(385056);
    expect(data?.identity.basis).toBe('code-number');
    expect(data?.duplicates).toEqual([]);
    await call(receipts, callers.zhangsan, 'read', { fileID: invoice.fileID });
    expect(ocrCalls).toBe(1);
    expect(await call(receipts, callers.lisi, 'read', { fileID: invoice.fileID })).toMatchObject({
      ok: false,
      error: { code: 'FILE_FORBIDDEN' },
    });
  });

  it("blocks the same receipt in another person's claim, naming it masked; the reviewer sees the hit", async () => {
    const first = await submitWithInvoice(callers.zhangsan, '张三', await jpegBytes('第一张照片'), 'dup-receipt-1');
    expect(first.submitted.ok).toBe(true);
    const second = await submitWithInvoice(callers.lisi, '李四', await jpegBytes('另一张照片'), 'dup-receipt-2');
    const hits = second.read.ok
      ? (second.read.data as { duplicates: Array<{ mine: boolean; claimLabel: string; claimId: string | null }> })
          .duplicates
      : [];
    expect(hits).toHaveLength(1);
    expect(hits[0]?.mine).toBe(false);
    expect(hits[0]?.claimLabel).toMatch(/^他人的申请（编号 \*\*\*\*[0-9A-F]{4}）$/);
    // Someone else's claim is named masked, and its id is not given (submit's refusal gives none either).
    expect(hits[0]?.claimId).toBeNull();
    expect(second.submitted).toMatchObject({ ok: false, error: { code: 'DUPLICATE_RECEIPT' } });
    if (!second.submitted.ok) expect(second.submitted.error.message).toContain('他人的申请');
    expect(await ports.store.collection('claims').count({ _openid: callers.lisi.openid, status: 'submitted' })).toBe(0);

    // Withdrawing the first claim frees its receipt.
    const firstId = first.submitted.ok ? (first.submitted.data as { id: string }).id : '';
    await call(claimsFunction, callers.zhangsan, 'withdraw', { id: firstId });
    const third = await submitWithInvoice(callers.lisi, '李四', await jpegBytes('第三张照片'), 'dup-receipt-3');
    expect(third.submitted.ok).toBe(true);
    const thirdId = third.submitted.ok ? (third.submitted.data as { id: string }).id : '';
    const review = await call(reviewFunction, callers.reviewer, 'get', { id: thirdId });
    const receiptsSeen = review.ok
      ? (review.data as { receipts: Array<{ reading: { extracted: unknown } | null; duplicates: unknown[] }> }).receipts
      : [];
    expect(receiptsSeen).toHaveLength(1);
    expect(receiptsSeen[0]?.reading?.extracted).toBeDefined();
  });

  it('catches the same photo file uploaded twice (content hash), naming my own earlier claim', async () => {
    const bytes = await jpegBytes('同一张照片');
    const first = await submitWithInvoice(callers.zhangsan, '张三', bytes, 'same-photo-1');
    expect(first.submitted.ok).toBe(true);
    const again = await submitWithInvoice(callers.zhangsan, '张三', bytes, 'same-photo-2');
    expect(again.submitted).toMatchObject({ ok: false, error: { code: 'DUPLICATE_RECEIPT' } });
    if (!again.submitted.ok) expect(again.submitted.error.message).toMatch(/您的申请「北京协和医院/);
  });

  it('checks a receipt photo nobody asked to read by its QR code at submit (a client that skips receipts.read)', async () => {
    // One e-invoice photographed three times: the first photo read as the app reads it (QR, no text here), the other
    // two never read — a client may call submit alone. Before: the second was paid a second time.
    const qrText = '01,10,044031900111,12345678,3850.56,20260220,72615430981276354821,';
    const readsQr = receiptsFunction({ ocr: () => ({ recognise: async () => [] }) });
    const photo = (scene: string, owner: Caller) =>
      qrPhoto(qrText, scene).then((bytes) => ports.files.put(owner.openid, 'invoice.jpg', 'image/jpeg', bytes));

    const first = await photo('第一次拍', callers.zhangsan);
    // Read in the reader's own line of the receipt reads (server/ocr/fairQueue.ts).
    const turns = jest.spyOn(readingTurns, 'run');
    const read = await call(readsQr, callers.zhangsan, 'read', { fileID: first.fileID });
    expect(turns.mock.calls.map(([requester]) => requester)).toEqual([callers.zhangsan.openid]);
    turns.mockRestore();
    expect(read).toMatchObject({ ok: true, data: { identity: { basis: 'code-number' } } });
    expect((await submitClaim(callers.zhangsan, '张三', first.fileID, 'qr-unread-1')).ok).toBe(true);

    const unread = await photo('第二次拍，换了角度', callers.lisi);
    // Read in the submitter's own line of the QR reader (server/ocr/fairQueue.ts).
    const readQr = jest.spyOn(ports, 'readQr');
    const submitted = await submitClaim(callers.lisi, '李四', unread.fileID, 'qr-unread-2');
    expect(readQr.mock.calls.map(([, requester]) => requester)).toEqual([callers.lisi.openid]);
    readQr.mockRestore();
    expect(submitted).toMatchObject({ ok: false, error: { code: 'DUPLICATE_RECEIPT', details: { claimId: null } } });
    if (!submitted.ok)
      expect(submitted.error.message).toMatch(/^这张票据已在他人的申请（编号 \*\*\*\*[0-9A-F]{4}）中提交过/);
    expect(await ports.store.collection('claims').count({ _openid: callers.lisi.openid, status: 'submitted' })).toBe(0);

    // Neither photo read: the first one submitted holds the receipt all the same.
    await call(claimsFunction, callers.zhangsan, 'withdraw', {
      id: (await ports.store.collection<{ _id: string }>('claims').find({ _openid: callers.zhangsan.openid }))[0]!._id,
    });
    expect((await submitClaim(callers.lisi, '李四', unread.fileID, 'qr-unread-3')).ok).toBe(true);
    const third = await photo('第三次拍', callers.zhangsan);
    expect(await submitClaim(callers.zhangsan, '张三', third.fileID, 'qr-unread-4')).toMatchObject({
      ok: false,
      error: { code: 'DUPLICATE_RECEIPT' },
    });
  });

  it("the app's reading that lands just after 提交 judges the filed claim's receipt checks again (a walk: 预审 said 没有识别结果 beside a full reading)", async () => {
    const { invoice, id, claims, outcome, before } = await filedWithUnreadInvoice('晚到', 'late-reading-1');
    // The app's read, started while drafting, answers after the claim was filed.
    expect(await call(receipts, callers.zhangsan, 'read', { fileID: invoice.fileID, claimId: id })).toMatchObject({
      ok: true,
    });
    expect(await outcome('receiptsRead')).toBe(true);
    const after = (await claims.get(id))!;
    // No step of anyone's in the history, and a reviewer's open page is not told someone changed the claim.
    expect(after.events).toEqual(before.events);
    expect(after.version).toBe(before.version);
    // Another's claim, or a photo the claim does not hold, is not touched.
    const other = await ports.files.put(callers.lisi.openid, 'x.jpg', 'image/jpeg', await jpegBytes('李四的'));
    expect(await call(receipts, callers.lisi, 'read', { fileID: other.fileID, claimId: id })).toMatchObject({
      ok: true,
    });
    expect((await claims.get(id))!.precheck).toEqual(after.precheck);
  });

  it('识别票据: a reviewer has a receipt photo nobody read read — the reading stored, the 预审 judged again, one step in the history, no card — and a second tap reads nothing', async () => {
    const { invoice, id, claims, outcome, before } = await filedWithUnreadInvoice('没识别', 'read-for-review-1');

    // Refused before any OCR: the claimant, a photo that is not the claim's receipt, an unknown claim.
    const stranger = await ports.files.put(callers.zhangsan.openid, 'other.jpg', 'image/jpeg', await jpegBytes('别的'));
    expect(await call(receipts, callers.zhangsan, 'readForReview', { id, fileID: invoice.fileID })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await call(receipts, callers.reviewer, 'readForReview', { id, fileID: stranger.fileID })).toMatchObject({
      ok: false,
      error: { code: 'FILE_NOT_FOUND', message: '这张照片不是这份申请的票据，请刷新页面后再试' },
    });
    expect(
      await call(receipts, callers.reviewer, 'readForReview', { id: 'c'.repeat(32), fileID: invoice.fileID }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(ocrCalls).toBe(0);

    const read = await call(
      receipts,
      callers.reviewer,
      'readForReview',
      { id, fileID: invoice.fileID },
      'read-review-0001',
    );
    expect(read).toMatchObject({ ok: true, data: { fileID: invoice.fileID, version: before.version + 1 } });
    expect(read.ok && (read.data as { fieldsRead: number }).fieldsRead).toBeGreaterThan(5);
    expect(ocrCalls).toBe(1);
    const after = (await claims.get(id))!;
    expect(after.status).toBe('submitted');
    expect(after.events.at(-1)).toMatchObject({
      action: 'readReceipt',
      actor: callers.reviewer.openid,
      from: 'submitted',
      to: 'submitted',
      receiptPhoto: invoice.fileID,
    });
    expect(await outcome('receiptsRead')).toBe(true);
    // The checks of what was filed are kept as they were judged at filing.
    for (const kept of ['materialsComplete', 'withinDeadline'])
      expect(after.precheck!.outcomes.find((each) => each.id === kept)).toEqual(
        before.precheck!.outcomes.find((each) => each.id === kept),
      );
    // The reviewer's page shows the reading (kept as the claimant's own photo's).
    const detail = await call(reviewFunction, callers.reviewer, 'get', { id });
    expect(
      detail.ok &&
        (detail.data as { receipts: Array<{ reading: { extracted: { fields: Record<string, unknown> } } | null }> })
          .receipts[0]!.reading?.extracted.fields.totalFigures,
    ).toMatchObject({ value: 385056 });
    // Nothing for the claimant: the 提交 card only.
    await drainWith(ports, { notifier: new RecordingNotifier(ports.store), templateIds: localTemplateIds });
    const cards = await ports.store.collection<NotificationDoc>('notifications').find({ claimId: id });
    expect(cards.map((card) => card.seq)).toEqual([1]);

    // Again (a second tap, another reviewer): no OCR, no second step.
    for (const caller of [callers.reviewer, callers.reviewer2])
      expect(await call(receipts, caller, 'readForReview', { id, fileID: invoice.fileID })).toMatchObject({
        ok: true,
        data: { version: after.version },
      });
    expect(ocrCalls).toBe(1);
    expect((await claims.get(id))!.events).toHaveLength(after.events.length);

    // Past 审核 (here: 退回) the step is refused.
    expect(
      await call(reviewFunction, callers.reviewer, 'decide', {
        id,
        action: 'reject',
        reasonCode: 'other',
        reasonText: '测试退回',
        expectedStatus: 'submitted',
        expectedVersion: after.version,
      }),
    ).toMatchObject({ ok: true, data: { status: 'rejected' } });
    expect(await call(receipts, callers.reviewer, 'readForReview', { id, fileID: invoice.fileID })).toMatchObject({
      ok: false,
      error: { code: 'TRANSITION_NOT_ALLOWED' },
    });
  });

  it('识别票据 of a photo with nothing of a receipt on it leaves 票据均已识别 open (a probe: a plain picture passed it)', async () => {
    const blank = receiptsFunction({ ocr: () => ({ recognise: async () => [] }), decodeQr: async () => null });
    const photo = await ports.files.put(callers.zhangsan.openid, 'x.jpg', 'image/jpeg', await jpegBytes('风景照'));
    const submitted = await submitClaim(callers.zhangsan, '张三', photo.fileID, 'read-blank-0001');
    const id = submitted.ok ? (submitted.data as { id: string }).id : '';
    expect(await call(blank, callers.reviewer, 'readForReview', { id, fileID: photo.fileID })).toMatchObject({
      ok: true,
      data: { fieldsRead: 0 },
    });
    const claim = (await ports.store.collection<ClaimDoc>('claims').get(id))!;
    expect(claim.events.at(-1)).toMatchObject({ action: 'readReceipt' });
    expect(claim.precheck!.outcomes.find((outcome) => outcome.id === 'receiptsRead')).toMatchObject({ passed: false });
  });
});
