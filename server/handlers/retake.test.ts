/**
 * 要求补件 with photos sent back to be taken again (重拍): a wrong or unreadable photo leaves the claim's materials in
 * the request's own transaction, its receipt registry keys freed, kept apart for the record; the claimant sees which to
 * take again and cannot send the same picture back; the reviewer still sees it, marked. Before, a wrong photo stayed
 * on the claim for good, counted as the material, beside the one sent again.
 */
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { drainWith } from './notify';
import { RecordingNotifier } from '../notifications/notifier';
import { localTemplateIds } from '../notifications/templates';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { requiredMaterialIds, uploadMaterials, validForm } from '../../test/support/fixtures';
import { actionsOn } from '../../test/support/calls';
import { versionOf } from '../../test/support/review';
import { storedKey, type ReceiptKeyDoc } from '../receipts/registry';
import { sweepUnattachedUploads } from '../files/sweep';
import type { ClaimDoc } from '../repositories/claims';
import type { ReceiptReadingDoc } from '../receipts/readings';
import type { NotificationDoc } from '../notifications/outbox';
import type { ClaimDetail, ReviewClaimDetail } from '../../src/core/contracts/views';

type Ports = Awaited<ReturnType<typeof embeddedPorts>>;
let ports: Ports;
let clock: FixedClock;
const { ok, refused } = actionsOn(() => ports);

beforeEach(async () => {
  clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  ports = await embeddedPorts({ clock });
});

/** A claim at 待初审 with two invoice photos (two receipts) and the rest of its materials. */
async function claimWithTwoInvoices(): Promise<{ id: string; invoices: string[]; diagnosis: string }> {
  const form = validForm();
  const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
  const second = await uploadMaterials(ports.files, callers.zhangsan.openid, ['invoice']);
  const invoices = [materials.invoice![0]!, second.invoice![0]!];
  const submitted = await ok<{ id: string }>(
    claimsFunction,
    callers.zhangsan,
    'submit',
    { form: { ...form, materials: { ...materials, invoice: invoices } } },
    'retake-submit-1',
  );
  return { id: submitted.id, invoices, diagnosis: materials.diagnosis![0]! };
}

const photoKey = async (fileID: string): Promise<string> =>
  storedKey(`sha256:${(await ports.files.describe(fileID))!.sha256}`);
const claimDoc = async (id: string): Promise<ClaimDoc> => (await ports.store.collection<ClaimDoc>('claims').get(id))!;

describe('要求补件 with a photo sent back to be taken again (重拍)', () => {
  it('takes the photo out of the claim in the request, frees its registry key, and keeps it for the record', async () => {
    const { id, invoices } = await claimWithTwoInvoices();
    const [unclear, clear] = invoices as [string, string];
    const registry = ports.store.collection<ReceiptKeyDoc>('receiptKeys');
    expect(await registry.get(await photoKey(unclear))).toMatchObject({ claimId: id, fileID: unclear });

    await ok(reviewFunction, callers.reviewer, 'decide', {
      id,
      action: 'requestSupplement',
      reasonCode: 'invoiceUnclear',
      materials: ['invoice'],
      retakePhotos: [unclear],
    });
    const doc = await claimDoc(id);
    expect(doc.materials.invoice).toEqual([clear]);
    expect(doc.receiptFileIds).toEqual([clear]);
    expect(doc.retakenPhotos).toEqual([{ fileID: unclear, materialId: 'invoice', at: clock.now().toISOString() }]);
    expect(doc.events.at(-1)).toMatchObject({ action: 'requestSupplement', retakePhotos: [unclear] });
    // Its key is free (the same receipt may come back clearer); the photo that stays keeps its own.
    expect(await registry.get(await photoKey(unclear))).toBeNull();
    expect(doc.heldReceiptKeys).not.toContain(await photoKey(unclear));
    expect(await registry.get(await photoKey(clear))).toMatchObject({ claimId: id, fileID: clear });
    expect(doc.heldReceiptKeys).toContain(await photoKey(clear));

    // The claimant sees which photo to take again; the card says one was sent back.
    const seen = await ok<ClaimDetail>(claimsFunction, callers.zhangsan, 'get', { id });
    expect(seen.photosToRetake).toEqual([{ fileID: unclear, materialId: 'invoice' }]);
    expect(seen.materials.invoice).toEqual([clear]);
    await drainWith(ports, { notifier: new RecordingNotifier(ports.store), templateIds: localTemplateIds });
    const cards = await ports.store
      .collection<NotificationDoc>('notifications')
      .find({ claimId: id, status: 'supplementRequested' }, { limit: 5 });
    expect(cards.map((card) => card.body)).toEqual([expect.stringContaining('有 1 张照片被退回，需要重新拍。')]);
    // The reviewer still sees it, apart from the claim's photos.
    const detail = await ok<ReviewClaimDetail>(reviewFunction, callers.reviewer, 'get', { id });
    expect(detail.photos.map((photo) => photo.fileID)).not.toContain(unclear);
    expect(detail.retakenPhotos).toEqual([
      { fileID: unclear, materialId: 'invoice', at: clock.now().toISOString(), url: expect.any(String) },
    ]);

    // The same picture sent back as the answer is refused, by content too.
    const copy = await ports.files.put(
      callers.zhangsan.openid,
      'again.jpg',
      'image/jpeg',
      await ports.files.bytes(unclear),
    );
    for (const sent of [unclear, copy.fileID])
      expect(
        await refused(claimsFunction, callers.zhangsan, 'answerSupplement', { id, materials: { invoice: [sent] } }),
      ).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: '这张照片经办人员已退回，请重新拍一张清楚的再提交',
        issues: [{ path: 'materials.invoice' }],
      });
    const retaken = await uploadMaterials(ports.files, callers.zhangsan.openid, ['invoice']);
    await ok(claimsFunction, callers.zhangsan, 'answerSupplement', { id, materials: retaken });
    const answered = await ok<ClaimDetail>(claimsFunction, callers.zhangsan, 'get', { id });
    expect(answered.materials.invoice).toEqual([clear, retaken.invoice![0]]);
    expect(answered.photosToRetake).toEqual([]);

    // The photo sent back is kept with the claim's record: the upload sweep leaves it.
    clock.advance(31 * 86_400_000);
    await sweepUnattachedUploads({ store: ports.store, files: ports.files, now: clock.now() });
    expect(await ports.files.describe(unclear)).not.toBeNull();
  });

  it('refuses a photo the claim does not hold, or one of a material not asked for, and changes nothing', async () => {
    const { id, diagnosis } = await claimWithTwoInvoices();
    const before = await claimDoc(id);
    const elsewhere = await uploadMaterials(ports.files, callers.zhangsan.openid, ['invoice']);
    const ask = { id, action: 'requestSupplement', reasonCode: 'invoiceUnclear', materials: ['invoice'] };
    expect(
      await refused(reviewFunction, callers.reviewer, 'decide', { ...ask, retakePhotos: [elsewhere.invoice![0]] }),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: 'retakePhotos.0', message: '这张照片不在这份申请的材料里，请刷新后重新选择' }],
    });
    expect(
      await refused(reviewFunction, callers.reviewer, 'decide', { ...ask, retakePhotos: [diagnosis] }),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: 'retakePhotos.0', message: '要重拍的照片是「诊断证明」，请把它也选进要补充的材料' }],
    });
    const after = await claimDoc(id);
    expect(after.version).toBe(before.version);
    expect(after.materials).toEqual(before.materials);
    expect(await ports.store.collection('receiptKeys').count({ claimId: id })).toBe(before.heldReceiptKeys.length);
    // Sent with any other step, photos to retake are refused by the contract.
    expect(
      await refused(reviewFunction, callers.reviewer, 'decide', {
        id,
        action: 'reject',
        reasonCode: 'other',
        reasonText: '材料不符',
        retakePhotos: [diagnosis],
      }),
    ).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'retakePhotos' }] });
    expect(await versionOf(ports.store, id)).toBe(before.version);
  });
});

/** The photo read as a receipt with this identity (the reading the app's 识别 leaves), without running the OCR. */
async function readAs(fileID: string, key: string, basis: 'code-number' | 'hospital-date-total' = 'code-number') {
  await ports.store.collection<ReceiptReadingDoc>('receiptReadings').insert({
    _id: storedKey(fileID),
    _openid: callers.zhangsan.openid,
    fileID,
    identity: { key, basis },
    reading: { extracted: { fields: {} }, crossCheck: { suggested: {}, checks: [] } } as never,
    readAt: clock.now().toISOString(),
  });
}

/** 要求补件 of the invoice (票据照片不清晰), no photo sent back. */
async function askForInvoiceAgain(id: string): Promise<void> {
  await ok(reviewFunction, callers.reviewer, 'decide', {
    id,
    action: 'requestSupplement',
    reasonCode: 'invoiceUnclear',
    materials: ['invoice'],
  });
}

describe('one receipt, two photos, in one claim (black-box probe: filed twice in one claim, and paid twice)', () => {
  it('submit refuses two photos of one invoice (票据代码 + 号码), and writes nothing', async () => {
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const second = await uploadMaterials(ports.files, callers.zhangsan.openid, ['invoice']);
    const invoices = [materials.invoice![0]!, second.invoice![0]!];
    for (const fileID of invoices) await readAs(fileID, 'cn:32060189:0693002772');
    expect(
      await refused(claimsFunction, callers.zhangsan, 'submit', {
        form: { ...form, materials: { ...materials, invoice: invoices } },
      }),
    ).toMatchObject({
      code: 'DUPLICATE_RECEIPT',
      message: '同一张票据在这份申请里交了两张照片，同一张票据只能报销一次。请删掉其中一张后再提交。',
    });
    expect(await ports.store.collection('claims').count({})).toBe(0);
    expect(await ports.store.collection('receiptKeys').count({})).toBe(0);
  });

  it('two receipts alike only by hospital, day and total (two 挂号 of one day) may be filed together', async () => {
    const form = validForm();
    const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
    const second = await uploadMaterials(ports.files, callers.zhangsan.openid, ['invoice']);
    const invoices = [materials.invoice![0]!, second.invoice![0]!];
    for (const fileID of invoices) await readAs(fileID, 'hdt:协和:2026-02-20:5000', 'hospital-date-total');
    await ok(claimsFunction, callers.zhangsan, 'submit', {
      form: { ...form, materials: { ...materials, invoice: invoices } },
    });
  });

  it('the earlier photo known only to the registry (its QR read at filing, no reading kept) is replaced too (a walk)', async () => {
    const { id, invoices } = await claimWithTwoInvoices();
    const [first, other] = invoices as [string, string];
    // As the server records a photo read by its QR at submit: a registry key of the invoice, held for that photo.
    const key = storedKey('cn:67060162:4430613248');
    await ports.store.transaction(async (tx) => {
      await tx.set<ReceiptKeyDoc>('receiptKeys', {
        _id: key,
        claimId: id,
        _openid: callers.zhangsan.openid,
        claimTitle: 't',
        fileID: first,
        basis: 'code-number',
        at: clock.now().toISOString(),
      });
      const doc = (await tx.get<ClaimDoc>('claims', id))!;
      await tx.set('claims', { ...doc, heldReceiptKeys: [...doc.heldReceiptKeys, key] });
    });
    await askForInvoiceAgain(id);
    const reshot = await uploadMaterials(ports.files, callers.zhangsan.openid, ['invoice']);
    await readAs(reshot.invoice![0]!, 'cn:67060162:4430613248');
    await ok(claimsFunction, callers.zhangsan, 'answerSupplement', { id, materials: reshot });
    const doc = await claimDoc(id);
    expect(doc.materials.invoice).toEqual([other, reshot.invoice![0]]);
    expect(doc.receiptFileIds).toEqual([other, reshot.invoice![0]]);
    expect(doc.retakenPhotos).toEqual([expect.objectContaining({ fileID: first, replacedBy: reshot.invoice![0] })]);
    expect(await ports.store.collection<ReceiptKeyDoc>('receiptKeys').get(key)).toMatchObject({
      claimId: id,
      fileID: reshot.invoice![0],
    });
  });

  it('a 补件 photo of an invoice the claim holds replaces the earlier photo of it (a clearer re-shot), never a second copy', async () => {
    const { id, invoices } = await claimWithTwoInvoices();
    const [first, other] = invoices as [string, string];
    // Read after filing, as the reviewer's page does; the registry holds the photos by their bytes.
    await readAs(first, 'cn:32060189:0693002772');
    await readAs(other, 'cn:32060189:0693009999');
    await askForInvoiceAgain(id);
    const reshot = await uploadMaterials(ports.files, callers.zhangsan.openid, ['invoice']);
    await readAs(reshot.invoice![0]!, 'cn:32060189:0693002772');
    await ok(claimsFunction, callers.zhangsan, 'answerSupplement', { id, materials: reshot });
    const doc = await claimDoc(id);
    expect(doc.materials.invoice).toEqual([other, reshot.invoice![0]]);
    expect(doc.receiptFileIds).toEqual([other, reshot.invoice![0]]);
    expect(doc.retakenPhotos).toEqual([
      { fileID: first, materialId: 'invoice', at: clock.now().toISOString(), replacedBy: reshot.invoice![0] },
    ]);
    // The invoice's key stays held by the claim, now for the photo that stays.
    const registry = ports.store.collection<ReceiptKeyDoc>('receiptKeys');
    expect(await registry.get(storedKey('cn:32060189:0693002772'))).toMatchObject({
      claimId: id,
      fileID: reshot.invoice![0],
    });
    expect(doc.heldReceiptKeys).toContain(storedKey('cn:32060189:0693002772'));
    // Two photos of one invoice in one answer are refused.
    await askForInvoiceAgain(id);
    const twice = await uploadMaterials(ports.files, callers.zhangsan.openid, ['invoice']);
    const twiceMore = await uploadMaterials(ports.files, callers.zhangsan.openid, ['invoice']);
    for (const photo of [twice, twiceMore]) await readAs(photo.invoice![0]!, 'cn:1:2');
    expect(
      await refused(claimsFunction, callers.zhangsan, 'answerSupplement', {
        id,
        materials: { invoice: [twice.invoice![0]!, twiceMore.invoice![0]!] },
      }),
    ).toMatchObject({ code: 'DUPLICATE_RECEIPT' });
  });
});
