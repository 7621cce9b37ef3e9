/**
 * A claim's whole life through the handlers on the embedded store: draft → submit (server estimate,
 * due date, sealed personal data) → 初审 → 补件 round trip → 审核 → originals → 结算 (ledger) → 复核
 * (four eyes) → 已支付, with the notification cards the claimant sees.
 */
import { claimsFunction } from './claims';
import { reviewFunction } from './review';
import { notificationsFunction } from './notifications';
import { invoke } from './framework';
import { drainWith } from './notify';
import { RecordingNotifier } from '../notifications/notifier';
import { localTemplateIds } from '../notifications/templates';
import { callers, embeddedPorts, FixedClock } from '../../test/support/ports';
import { requiredMaterialIds, uploadMaterials, validForm } from '../../test/support/fixtures';
import { actionsOn, payThroughBatch } from '../../test/support/calls';
import { formatYuan } from '../../src/core/money';
import { checklistOf } from '../../src/core/contracts/claim';
import { toSummary, type ClaimDoc } from '../repositories/claims';
import type { ReviewClaimDetail } from '../../src/core/contracts/views';
import { describeClaimEvent, type NotifiableClaim } from '../notifications/describe';
import type { NotificationDoc } from '../notifications/outbox';
import type { Collection, FindOptions, Store, StoredDoc } from '../ports';

type Ports = Awaited<ReturnType<typeof embeddedPorts>>;

/** The store, recording the options of every find of claims awaiting notification. */
function watchingPendingReads(inner: Store, reads: Array<FindOptions | undefined>): Store {
  return {
    collection<T extends StoredDoc>(name: string): Collection<T> {
      const collection = inner.collection<T>(name);
      return {
        insert: (doc) => collection.insert(doc),
        get: (id) => collection.get(id),
        find: (filter, options) => {
          if (name === 'claims' && 'notifyPending' in filter) reads.push(options);
          return collection.find(filter, options);
        },
        count: (filter) => collection.count(filter),
        groupCount: (filter, by, sum) => collection.groupCount(filter, by, sum),
        update: (id, patch, options) => collection.update(id, patch, options),
        updateWhere: (filter, patch) => collection.updateWhere(filter, patch),
        remove: (id) => collection.remove(id),
      };
    },
    transaction: (work) => inner.transaction(work),
  };
}
let ports: Ports;
let clock: FixedClock;

beforeEach(async () => {
  clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  ports = await embeddedPorts({ clock });
});

const { ok, call: refused } = actionsOn(() => ports);

async function submittedClaim(tag = '001'): Promise<string> {
  const form = validForm();
  const checklist = checklistOf(form as never, true).filter((item) => item.required);
  const materials = await uploadMaterials(
    ports.files,
    callers.zhangsan.openid,
    checklist.map((item) => item.id),
  );
  const draft = await ok<{ id: string }>(
    claimsFunction,
    callers.zhangsan,
    'saveDraft',
    { form: { hospital: { name: '北京协和医院' } }, materials: {} },
    `draft-req-${tag}`,
  );
  const submitted = await ok<{ id: string; status: string; dueDate: string }>(
    claimsFunction,
    callers.zhangsan,
    'submit',
    { id: draft.id, form: { ...form, materials } },
    `submit-req-${tag}`,
  );
  expect(submitted).toMatchObject({ id: draft.id, status: 'submitted' });
  return draft.id;
}

describe('a claim from draft to payment', () => {
  it('goes through every step with its audit trail, ledger and cards', async () => {
    const id = await submittedClaim();
    const stored = await ports.store
      .collection<{
        _id: string;
        sealed: Record<string, string>;
        form: { insured: { idNumber: string }; phone: string };
        dueDate: string;
        estimate: { totalPaid: number; total: number };
      }>('claims')
      .get(id);
    expect(stored?.form.insured.idNumber).toMatch(/^\d{3}\*+\d{4}$/);
    expect(stored?.form.phone).toBe('138****8000');
    expect(JSON.stringify(stored)).not.toContain('13800138000');
    expect(stored?.sealed.idNumber).toMatch(/^v1:/);
    // 20 working days from Mon 2 March 2026 (no holiday in between) → Mon 30 March, end of day in Shanghai.
    expect(stored?.dueDate).toBe('2026-03-30T15:59:59.999Z');
    expect(stored?.estimate.total).toBe(133050);

    // The claimant cannot review; the reviewer can.
    expect((await refused(reviewFunction, callers.zhangsan, 'queue', {})).ok).toBe(false);
    const queue = await ok<{ items: Array<Record<string, unknown>> }>(reviewFunction, callers.reviewer, 'queue', {});
    expect(queue.items.map((item) => item.id)).toEqual([id]);
    // The row reads only the fields it shows (FindOptions.fields), and shows each of them
    const whole = (await ports.store.collection<ClaimDoc>('claims').get(id))!;
    expect(queue.items[0]).toEqual({
      ...toSummary(whole),
      region: whole.region,
      overdue: false,
      ownerMasked: '张*',
      precheck: whole.precheck,
      version: whole.version,
      waitingFor: null,
    });
    expect(whole.precheck).not.toBeNull();
    const detail = await ok<{ form: { insured: { idNumber: string } }; photos: unknown[] }>(
      reviewFunction,
      callers.reviewer,
      'get',
      { id },
    );
    expect(detail.form.insured.idNumber).toMatch(/^\d{17}[\dX]$/);
    expect(detail.photos.length).toBeGreaterThan(3);

    await ok(reviewFunction, callers.reviewer, 'decide', { id, action: 'passPreliminary' });
    await ok(reviewFunction, callers.reviewer, 'decide', {
      id,
      action: 'requestSupplement',
      reasonCode: 'invoiceUnclear',
      materials: ['invoice'],
    });
    const asked = await ok<{ status: string; requestedMaterials: string[]; supplementReason: string }>(
      claimsFunction,
      callers.zhangsan,
      'get',
      { id },
    );
    expect(asked).toMatchObject({ status: 'supplementRequested', requestedMaterials: ['invoice'] });
    expect(asked.supplementReason).toContain('票据照片不清晰');
    const unasked = await uploadMaterials(ports.files, callers.zhangsan.openid, ['diagnosis']);
    expect(
      await refused(claimsFunction, callers.zhangsan, 'answerSupplement', { id, materials: unasked }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const again = await uploadMaterials(ports.files, callers.zhangsan.openid, ['invoice']);
    // The photo the claim already holds, or the same photo twice, answers nothing and is refused.
    const held = (await ok<{ materials: { invoice: string[] } }>(claimsFunction, callers.zhangsan, 'get', { id }))
      .materials.invoice;
    // Said with the material and where the photo already is (a walk: 这张照片已经交过了, naming neither).
    expect(
      await refused(claimsFunction, callers.zhangsan, 'answerSupplement', { id, materials: { invoice: [held[0]!] } }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message:
          '「医院发票 / 收费票据」里的照片申请时已经交过（在「医院发票 / 收费票据」里），经办人员看得到它，要的是另一张：请拍摄要补充的材料后再提交；不清楚要哪一张，可以拨打 12393 询问',
        issues: [
          {
            path: 'materials.invoice',
            message: '这张照片申请时已经交过（在「医院发票 / 收费票据」里），请换成新拍的医院发票 / 收费票据',
          },
        ],
      },
    });
    expect(
      await refused(claimsFunction, callers.zhangsan, 'answerSupplement', {
        id,
        materials: { invoice: [again.invoice![0]!, again.invoice![0]!] },
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: '「医院发票 / 收费票据」里有一张照片交了两次：请删掉重复的那张后再提交',
        issues: [{ path: 'materials.invoice', message: '这张照片交了两次，请删掉重复的那张' }],
      },
    });
    // A `__proto__` key beside the answer is refused, not dropped (a record schema accepted the rest).
    const withProto = JSON.parse(
      `{"__proto__":${JSON.stringify(again.invoice)},"invoice":${JSON.stringify(again.invoice)}}`,
    ) as Record<string, string[]>;
    expect(
      await refused(claimsFunction, callers.zhangsan, 'answerSupplement', { id, materials: withProto }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    // The same picture uploaded again (a new file of the same bytes) answers nothing either (a probe sent a copy of the
    // 身份证 photo as the 诊断证明 asked for).
    const heldCopy = await ports.files.put(
      callers.zhangsan.openid,
      'copy.jpg',
      'image/jpeg',
      await ports.files.bytes(held[0]!),
    );
    expect(
      await refused(claimsFunction, callers.zhangsan, 'answerSupplement', {
        id,
        materials: { invoice: [heldCopy.fileID] },
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', issues: [{ path: 'materials.invoice' }] } });
    await ok(claimsFunction, callers.zhangsan, 'answerSupplement', { id, materials: again });
    // The reviewer sees which photos came with the 补件 (a walk: 费用明细清单（3 张）, the new one not told apart).
    const photos = (
      await ok<{ photos: Array<{ fileID: string; materialId: string; fromSupplement?: boolean }> }>(
        reviewFunction,
        callers.reviewer,
        'get',
        { id },
      )
    ).photos;
    expect(photos.filter((photo) => photo.fromSupplement).map((photo) => photo.fileID)).toEqual(again.invoice);
    expect(photos.filter((photo) => !photo.fromSupplement)).toHaveLength(photos.length - 1);

    await ok(reviewFunction, callers.reviewer, 'decide', { id, action: 'passPreliminary' });
    const corrected = await ok<{ reviewEstimate: { total: number } }>(
      reviewFunction,
      callers.reviewer,
      'editLineItems',
      {
        id,
        lineItems: [
          { name: '西药费', amountFen: 86000, category: 'A' },
          { name: '检查费', amountFen: 40000, category: 'B' },
        ],
        reason: '检查费按明细清单核减，自费材料不予报销',
      },
    );
    expect(corrected.reviewEstimate.total).toBe(126000);
    await ok(reviewFunction, callers.reviewer, 'decide', { id, action: 'passReview' });
    // The claimant's list and the queue show the reviewed figure, as the claim's page does (a probe: the list kept
    // the estimate of the form as filed after 审核 had cut it).
    const reviewedFen = (corrected as unknown as { reviewEstimate: { totalPaid: number } }).reviewEstimate.totalPaid;
    const mine = await ok<{ items: Array<{ id: string; estimateFundFen: number | null }> }>(
      claimsFunction,
      callers.zhangsan,
      'listMine',
      {},
    );
    // With the bill's total as 审核 left it, said as such (a walk: the card kept the filed 2,931.58 元 beside 已支付).
    expect(mine.items.find((item) => item.id === id)).toMatchObject({
      estimateFundFen: reviewedFen,
      estimateReviewed: true,
      reviewedAmountFen: 126000,
    });
    const queued = await ok<{ items: Array<{ id: string; estimateFundFen: number | null }> }>(
      reviewFunction,
      callers.reviewer,
      'queue',
      {},
    );
    expect(queued.items.find((item) => item.id === id)?.estimateFundFen).toBe(reviewedFen);
    expect(await refused(reviewFunction, callers.reviewer, 'settle', { id })).toMatchObject({
      ok: false,
      error: { code: 'ORIGINALS_NOT_RECEIVED' },
    });
    await ok(reviewFunction, callers.reviewer, 'receiveOriginals', { id });
    await ok(reviewFunction, callers.reviewer, 'settle', { id });

    // Four eyes: the settler cannot 复核; the second reviewer can.
    expect(await refused(reviewFunction, callers.reviewer, 'verify', { id })).toMatchObject({ ok: false });
    expect(await refused(reviewFunction, callers.reviewer2, 'verify', { id })).toMatchObject({ ok: true });
    // Not on its own: through a payment batch (a walk: its settler marked it paid with no bank file behind it).
    expect(await refused(reviewFunction, callers.reviewer, 'markPaid', { id })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ACTION' },
    });
    await payThroughBatch(ports, callers.reviewer2, [id]);

    const final = await ok<{
      status: string;
      settlement: { totalPaid: number };
      paidFen: number;
      timeline: { steps: Array<{ key: string; state: string }> };
      events: Array<{ action: string; actor: string }>;
    }>(claimsFunction, callers.zhangsan, 'get', { id });
    expect(final.status).toBe('paid');
    expect(final.paidFen).toBe(final.settlement.totalPaid);
    expect(final.events.map((event) => event.action)).toEqual([
      'submit',
      'passPreliminary',
      'requestSupplement',
      'answerSupplement',
      'passPreliminary',
      'correctLineItems',
      'passReview',
      'receiveOriginals',
      'settle',
      'verify',
      'batchForPayment',
      'markPaid',
    ]);

    const ledger = await ok<{ known: boolean; ledger: { fundPaidByCap: Record<string, number> } }>(
      claimsFunction,
      callers.zhangsan,
      'myLedger',
      { idNumber: validForm().insured.idNumber, region: '210200', insuranceType: 'employee', year: 2026 },
    );
    expect(ledger.known).toBe(true);
    const someoneElse = await ok<{ known: boolean }>(claimsFunction, callers.lisi, 'myLedger', {
      idNumber: validForm().insured.idNumber,
      region: '210200',
      insuranceType: 'employee',
      year: 2026,
    });
    expect(someoneElse.known).toBe(false);

    // The drain reads only what a card needs (not whole 5–7 KB claims, issue 12), and writes the
    // cards the whole claim gives.
    const beforeDrain = await ports.store.collection<ClaimDoc>('claims').find({ notifyPending: true });
    const pendingReads: Array<FindOptions | undefined> = [];
    await drainWith(
      { ...ports, store: watchingPendingReads(ports.store, pendingReads) },
      { notifier: new RecordingNotifier(ports.store), templateIds: localTemplateIds },
    );
    expect(pendingReads.length).toBeGreaterThan(0);
    for (const options of pendingReads) {
      expect(options?.fields).toBeDefined();
      expect(options?.fields).not.toContain('form');
    }
    const written = await ports.store.collection<NotificationDoc>('notifications').find({}, { limit: 100 });
    expect(written.length).toBeGreaterThanOrEqual(8);
    for (const card of written) {
      const claim = beforeDrain.find((doc) => doc._id === card.claimId)!;
      const event = claim.events.find((candidate) => candidate.seq === card.seq)!;
      const text = describeClaimEvent(claim as unknown as NotifiableClaim, event)!;
      expect({ title: card.title, body: card.body, amountFen: card.amountFen }).toEqual({
        title: text.title,
        body: text.body,
        amountFen: text.amountFen ?? null,
      });
    }
    const cards = await ok<{ items: Array<{ title: string }>; unread: number }>(
      notificationsFunction,
      callers.zhangsan,
      'list',
      {},
    );
    // News is what the agency did: the cards of 张三's own steps (提交, 补件 answered) come read.
    const ownSteps = written.filter((card) => {
      const claim = beforeDrain.find((doc) => doc._id === card.claimId)!;
      return claim.events.find((candidate) => candidate.seq === card.seq)!.actor === claim._openid;
    });
    expect(ownSteps.length).toBeGreaterThan(0);
    expect(cards.unread).toBe(cards.items.length - ownSteps.length);
    expect(cards.items.length).toBeGreaterThanOrEqual(8);
    expect((await ok<{ items: unknown[] }>(notificationsFunction, callers.lisi, 'list', {})).items).toEqual([]);

    // Anyone may type someone's 身份证号 into a claim: that alone does not open their year, whose 起付线 used tells of
    // their stays in hospital. A claim counts once staff passed its 初审, having checked the identity documents.
    const paidEstimate = (await ports.store.collection<ClaimDoc>('claims').get(id))?.estimate?.totalPaid ?? 0;
    const probing = await uploadMaterials(ports.files, callers.lisi.openid, requiredMaterialIds(validForm()));
    const probe = await ok<{ id: string }>(
      claimsFunction,
      callers.lisi,
      'submit',
      { form: { ...validForm(), materials: probing } },
      'ledger-probe-1',
    );
    const probed = await ok<{ estimate: { totalPaid: number } }>(claimsFunction, callers.lisi, 'get', { id: probe.id });
    expect(probed.estimate.totalPaid).toBe(paidEstimate); // an empty year, as 张三's first claim had
    await ok(claimsFunction, callers.lisi, 'withdraw', { id: probe.id });
    expect(
      await ok<{ known: boolean }>(claimsFunction, callers.lisi, 'myLedger', {
        idNumber: validForm().insured.idNumber,
        region: '210200',
        insuranceType: 'employee',
        year: 2026,
      }),
    ).toMatchObject({ known: false, ledger: { deductibleUsed: {} } });
    // 张三, whose claim staff passed, sees the year: the same claim again pays more, its 起付线 already met.
    const secondPhotos = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(validForm()));
    const second = await ok<{ id: string }>(
      claimsFunction,
      callers.zhangsan,
      'submit',
      { form: { ...validForm(), materials: secondPhotos } },
      'ledger-known-1',
    );
    const seen = await ok<{ estimate: { totalPaid: number } }>(claimsFunction, callers.zhangsan, 'get', {
      id: second.id,
    });
    expect(seen.estimate.totalPaid).toBeGreaterThan(paidEstimate);
    await ok(claimsFunction, callers.zhangsan, 'withdraw', { id: second.id });
  });

  it("a correction after 审核通过 sends the claim back to be 审核'd on the corrected figures: 结算 never pays lines nobody approved (a money probe: 审核 900.00, 结算 600.00)", async () => {
    const id = await submittedClaim();
    await ok(reviewFunction, callers.reviewer, 'decide', { id, action: 'passPreliminary' });
    await ok(reviewFunction, callers.reviewer, 'decide', { id, action: 'passReview' });
    const approved = (await ports.store.collection<ClaimDoc>('claims').get(id))!;
    const approvedFigure = approved.events.at(-1)!.figures!.totalPaid!;
    const corrected = await ok<{ reviewEstimate: { totalPaid: number } }>(
      reviewFunction,
      callers.reviewer,
      'editLineItems',
      { id, lineItems: [{ name: '西药费', amountFen: 50_000, category: 'A' }], reason: '原件金额与照片不符' },
    );
    expect(corrected.reviewEstimate.totalPaid).toBeLessThan(approvedFigure);
    const back = (await ports.store.collection<ClaimDoc>('claims').get(id))!;
    expect(back.status).toBe('preliminaryPassed');
    expect(back.events.at(-1)).toMatchObject({
      action: 'correctLineItems',
      from: 'reviewPassed',
      to: 'preliminaryPassed',
    });
    expect(await refused(reviewFunction, callers.reviewer, 'settle', { id })).toMatchObject({
      ok: false,
      error: { code: 'TRANSITION_NOT_ALLOWED' },
    });
    await ok(reviewFunction, callers.reviewer, 'decide', { id, action: 'passReview' });
    const reapproved = (await ports.store.collection<ClaimDoc>('claims').get(id))!;
    expect(reapproved.events.at(-1)!.figures).toEqual({ totalPaid: corrected.reviewEstimate.totalPaid });
    if (reapproved.paperOriginalsRequired) await ok(reviewFunction, callers.reviewer, 'receiveOriginals', { id });
    await ok(reviewFunction, callers.reviewer, 'settle', { id });
    expect((await ports.store.collection<ClaimDoc>('claims').get(id))!.paidFen).toBe(
      corrected.reviewEstimate.totalPaid,
    );
  });

  it("the reviewer sees before 结算 what it will settle: on the person's year as it stands, another claim settled since counted (a walk: 结算 said 295.38 元 and wrote 495.38)", async () => {
    const first = await submittedClaim('101');
    const second = await submittedClaim('102');
    for (const id of [first, second]) {
      await ok(reviewFunction, callers.reviewer, 'decide', { id, action: 'passPreliminary' });
      await ok(reviewFunction, callers.reviewer, 'decide', { id, action: 'passReview' });
    }
    const settleAll = async (id: string) => {
      const claim = (await ports.store.collection<ClaimDoc>('claims').get(id))!;
      if (claim.paperOriginalsRequired) await ok(reviewFunction, callers.reviewer, 'receiveOriginals', { id });
      await ok(reviewFunction, callers.reviewer, 'settle', { id });
    };
    // Both filed on an empty year: the same estimate, the 起付线 in each.
    const before = await ok<ReviewClaimDetail>(reviewFunction, callers.reviewer, 'get', { id: second });
    expect(before.settlementPreview?.totalPaid).toBe(before.estimate!.totalPaid);
    await settleAll(first);
    const after = await ok<ReviewClaimDetail>(reviewFunction, callers.reviewer, 'get', { id: second });
    // The first took the 起付线: the second settles higher than its estimate, and the preview says so.
    expect(after.settlementPreview!.totalPaid).toBeGreaterThan(after.estimate!.totalPaid);
    await settleAll(second);
    expect((await ports.store.collection<ClaimDoc>('claims').get(second))!.paidFen).toBe(
      after.settlementPreview!.totalPaid,
    );
    // Before 审核通过 and after 结算 there is nothing to preview.
    expect(
      (await ok<ReviewClaimDetail>(reviewFunction, callers.reviewer, 'get', { id: second })).settlementPreview,
    ).toBeNull();
  });

  it('结算 sent with the figure the reviewer confirmed is refused when the year moved since, and writes nothing (a probe: 191.38 元 seen, 391.38 written)', async () => {
    const first = await submittedClaim('201');
    const second = await submittedClaim('202');
    for (const id of [first, second]) {
      await ok(reviewFunction, callers.reviewer, 'decide', { id, action: 'passPreliminary' });
      await ok(reviewFunction, callers.reviewer, 'decide', { id, action: 'passReview' });
      const claim = (await ports.store.collection<ClaimDoc>('claims').get(id))!;
      if (claim.paperOriginalsRequired) await ok(reviewFunction, callers.reviewer, 'receiveOriginals', { id });
    }
    const seen = await ok<ReviewClaimDetail>(reviewFunction, callers.reviewer, 'get', { id: second });
    const confirmed = seen.settlementPreview!.totalPaid;
    await ok(reviewFunction, callers.reviewer, 'settle', { id: first });
    const answer = await refused(reviewFunction, callers.reviewer, 'settle', {
      id: second,
      expectedPaidFen: confirmed,
    });
    const now = (await ok<ReviewClaimDetail>(reviewFunction, callers.reviewer, 'get', { id: second }))
      .settlementPreview!;
    expect(now.totalPaid).not.toBe(confirmed);
    expect(answer).toMatchObject({ ok: false, error: { code: 'SETTLEMENT_CHANGED' } });
    expect(!answer.ok && answer.error.message).toContain(formatYuan(now.totalPaid));
    const untouched = (await ports.store.collection<ClaimDoc>('claims').get(second))!;
    expect(untouched.status).toBe('reviewPassed');
    expect(untouched.paidFen).toBeNull();
    // Sent with the figure as it stands now: settled at it.
    await ok(reviewFunction, callers.reviewer, 'settle', { id: second, expectedPaidFen: now.totalPaid });
    expect((await ports.store.collection<ClaimDoc>('claims').get(second))!.paidFen).toBe(now.totalPaid);
  });

  it('submission is idempotent: ten retries and two concurrent calls make one submitted claim', async () => {
    const form = validForm();
    const checklist = checklistOf(form as never, true).filter((item) => item.required);
    const materials = await uploadMaterials(
      ports.files,
      callers.zhangsan.openid,
      checklist.map((item) => item.id),
    );
    const payload = { form: { ...form, materials } };
    const ids = new Set<string>();
    for (let attempt = 0; attempt < 10; attempt += 1)
      ids.add((await ok<{ id: string }>(claimsFunction, callers.zhangsan, 'submit', payload, 'submit-once-01')).id);
    const otherPhotos = await uploadMaterials(
      ports.files,
      callers.zhangsan.openid,
      checklist.map((item) => item.id),
    );
    const secondPayload = { form: { ...form, materials: otherPhotos } };
    const both = await Promise.all([
      invoke(
        claimsFunction,
        { action: 'submit', payload: secondPayload, requestId: 'submit-once-02' },
        callers.zhangsan,
        ports,
      ),
      invoke(
        claimsFunction,
        { action: 'submit', payload: secondPayload, requestId: 'submit-once-02' },
        callers.zhangsan,
        ports,
      ),
    ]);
    for (const result of both) if (result.ok) ids.add((result.data as { id: string }).id);
    expect(ids.size).toBe(2);
    expect(await ports.store.collection('claims').count({ status: 'submitted' })).toBe(2);
  });

  it('blocks submission while a required material has no photo, naming it', async () => {
    const result = await refused(claimsFunction, callers.zhangsan, 'submit', { form: validForm() });
    expect(result).toMatchObject({ ok: false, error: { code: 'MATERIALS_MISSING' } });
    if (!result.ok) expect(result.error.message).toContain('医院');
    expect(await ports.store.collection('claims').count({ status: 'submitted' })).toBe(0);
  });

  it("refuses another person's photo and an expired filing deadline", async () => {
    const form = validForm();
    const checklist = checklistOf(form as never, true).filter((item) => item.required);
    const lisiFiles = await uploadMaterials(
      ports.files,
      callers.lisi.openid,
      checklist.map((item) => item.id),
    );
    expect(
      await refused(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials: lisiFiles } }),
    ).toMatchObject({ ok: false, error: { code: 'FILE_FORBIDDEN' } });
    const mine = await uploadMaterials(
      ports.files,
      callers.zhangsan.openid,
      checklist.map((item) => item.id),
    );
    clock.advance(200 * 86_400_000);
    expect(
      await refused(claimsFunction, callers.zhangsan, 'submit', { form: { ...form, materials: mine } }),
    ).toMatchObject({ ok: false, error: { code: 'FILING_EXPIRED' } });
  });
});
