/**
 * The reviewer's side in the H5 build: 张三 submits claims through the local cloud's API; 王经办 takes
 * one from the queue through 初审, a 补件 round trip (张三 answers via the API), a line-item correction,
 * 审核, 登记原件 and 结算; the settler is refused 复核 (four eyes); 赵复核 does the 复核 and confirms
 * payment (another confirms it paid than who made the batch). The claimant sees each step as a card and in the claim's
 * timeline. A 门诊慢特病 claim's 病种 is corrected at the desk.
 */
import type { Page } from 'playwright-core';
import { onScreen, screenshot, startHarness, textSmallerThan, type Harness } from './browser';
import { type } from './claimant/steps';
import {
  callFn,
  cardsOf,
  devToken,
  loadedClaim,
  loadedForSettle,
  ok,
  submitClaim,
  uploadEach,
  uploadJpeg,
  type ClaimantView,
} from './review/api';
import { shanghaiDate } from '../../src/core/deadline';
import { requiredMaterialIds, validForm } from '../support/fixtures';
import { claimStatusLabel } from '../../src/core/statusLabels';
import type { ClaimStatus } from '../../src/core/contracts/claimDraft';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

/** Dev login through the page; staff land on the review queue. */
async function loginStaff(page: Page, base: string, user: 'reviewer' | 'reviewer2'): Promise<void> {
  await page.goto(`${base}/#/pages/dev-login/index`);
  await page.locator(`#login-${user}`).tap();
  await page.waitForURL(/reviewer\/pages\/queue\/index/);
}

async function status(page: Page, value: ClaimStatus): Promise<void> {
  await page.locator('#claim-status', { hasText: claimStatusLabel[value] }).waitFor();
}

const confirmedSteps = new Set(['passPreliminary', 'passReview', 'receiveOriginals', 'verify', 'settle']);

async function act(page: Page, action: string, done: string): Promise<void> {
  await page.locator(`#action-${action}`).tap();
  // Every step that cannot be taken back asks again (结算 and 确认已支付 restating the amount and the payee): a
  // second, deliberate tap; nothing has happened before it.
  if (confirmedSteps.has(action)) {
    await page.locator(`#confirm-${action}`).waitFor();
    expect(await page.locator('#action-result', { hasText: done }).count()).toBe(0);
    await page.locator(`#confirm-${action}-ok`).tap();
  }
  await page.locator('#action-result', { hasText: done }).waitFor();
}

describe('经办审核 in the H5 build', () => {
  it('takes a claim from the queue to 已支付, with 补件, a correction, originals and four eyes', async () => {
    const { base, cloud } = harness;
    const zhang = await devToken(base, 'zhangsan');
    await ok(base, zhang, 'notifications', 'recordSubscriptions', {
      results: { accepted: 'accept', result: 'accept', paid: 'accept' },
    });
    const id = await submitClaim(base, zhang, '北京协和医院', 'review-e2e-a');
    const late = await submitClaim(base, zhang, '大连市中心医院', 'review-e2e-b');
    // The second claim is past its due date (the store is the harness's own; the clock is real).
    await cloud.store
      .collection<{ _id: string; dueDate: string }>('claims')
      .update(late, { dueDate: '2026-01-05T15:59:59.999Z' });

    // ---- 王经办: the queue ----
    const reviewerToken = await devToken(base, 'reviewer');
    const { context, page } = await harness.newPhone();
    await loginStaff(page, base, 'reviewer');
    await page.locator('#queue-total', { hasText: '共 2 件' }).waitFor();
    const rows = page.locator('.queue-row');
    expect(await rows.count()).toBe(2);
    // Overdue floats up and is marked; the claimant's name is masked.
    await expect(rows.nth(0).getAttribute('id')).resolves.toBe(`queue-row-${late}`);
    await rows.nth(0).getByText('已超期').waitFor();
    await rows.nth(1).getByText('参保人 张*').waitFor();
    await rows.nth(1).locator('.queue-row-amount', { hasText: '1,330.50 元' }).waitFor();
    await screenshot(page, 'review-01-queue');
    expect(await textSmallerThan(page)).toEqual([]);
    // On an agency's desk screen the page is not drawn at twice a phone's size (root font capped at 24 px; it was 40).
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.waitForFunction(() => getComputedStyle(document.documentElement).fontSize === '24px');
    await screenshot(page, 'review-01-queue-desk');
    expect(await textSmallerThan(page)).toEqual([]);
    // The filters fold under one line, so the first claim shows on a desk's first screen (it began at 955 px at 1280 × 800).
    await page.locator('#queue-filters-summary', { hasText: '筛选：状态：全部在办 · 统筹区：全部地区' }).waitFor();
    const firstRowTop = await rows.nth(0).evaluate((row) => row.getBoundingClientRect().top);
    expect(firstRowTop).toBeLessThan(768 - 150);
    // A row's 预审 beside its facts, not under them: rows were 367–431 px tall at a desk, two claims a screen (a desk walk).
    // Four checks open, the longest a row gets here: 434 px before, 365 now at 1,024 (each check unread names the claim's
    // own figure beside it: 307 without them); under 320 at 1,280 (the walk: 367–431).
    const rowHeights = await rows.evaluateAll((all) => all.map((row) => row.getBoundingClientRect().height));
    for (const height of rowHeights) expect(height).toBeLessThan(380);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForFunction(() => document.querySelector('.queue-row')!.getBoundingClientRect().height < 320);
    await page.setViewportSize({ width: 1024, height: 768 });
    // A refused search keeps the field its width: the refusal beside it squeezed it to a third (a desk walk).
    await type(page, 'queue-search', '210202198001011230');
    await page.locator('#queue-search-go').tap();
    await page.locator('#queue-search-problem').waitFor();
    const widths = await page.evaluate(() => ({
      field: document.querySelector('#queue-search-field')!.clientWidth,
      card: document.querySelector('#queue-search-card')!.clientWidth,
    }));
    expect(widths.field).toBeGreaterThan(widths.card * 0.6);
    await type(page, 'queue-search', '');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => parseFloat(getComputedStyle(document.documentElement).fontSize) < 24);
    await page.locator('#queue-filters-toggle').tap();
    await page.locator('#filter-overdue-yes').tap();
    await page.locator('#queue-total', { hasText: '共 1 件' }).waitFor();
    await page
      .locator('#queue-filters-summary', { hasText: '已筛选：状态：全部在办 · 统筹区：全部地区 · 只看已超期' })
      .waitFor();
    expect(await page.locator(`#queue-row-${id}`).count()).toBe(0);
    await page.locator('#filter-overdue-yes').tap();
    await page.locator('#filter-region-110000').tap();
    await page.locator('#queue-empty').waitFor();
    await page.locator('#filter-region-210200').tap();
    await page.locator('#filter-status-submitted').tap();
    await page.locator('#queue-total', { hasText: '共 2 件' }).waitFor();

    // ---- the claim: full personal data, photos, figures ----
    await page.locator(`#queue-row-${id}`).tap();
    await page.waitForURL(/reviewer\/pages\/claim\/index/);
    await status(page, 'submitted');
    // 返回待办列表 goes back to the queue as it was left: its filters still chosen (a walk: 全部在办 from the top).
    await page.locator('#back-to-queue').tap();
    await page.waitForURL(/reviewer\/pages\/queue\/index/);
    await page
      .locator('#queue-filters-summary', { hasText: '已筛选：状态：已提交，待初审 · 统筹区：大连市' })
      .waitFor();
    await page.locator('#queue-total', { hasText: '共 2 件' }).waitFor();
    // 下一份 opens the claim after this one in the list, in its place: the last row offers none.
    const nextTitle = await page.locator(`#queue-row-${id} .queue-row-title`).innerText();
    await page.locator(`#queue-row-${late}`).tap();
    await page.waitForURL(new RegExp(`claim/index\\?id=${late}`));
    await page.locator('#next-claim', { hasText: `下一份：${nextTitle}` }).tap();
    await page.waitForURL(new RegExp(`claim/index\\?id=${id}`));
    await status(page, 'submitted');
    expect(await page.locator('#next-claim').count()).toBe(0);
    await page.locator('#insured-id-number', { hasText: /^\d{17}[\dX]$/ }).waitFor();
    await page.locator('#insured-phone', { hasText: '13800138000' }).waitFor();
    await page.locator('#payout-account', { hasText: '6222020200112233445' }).waitFor();
    await page.locator('#figure-estimate-total', { hasText: '1,330.50 元' }).waitFor();
    // The 预审 is on the claim's page, as on its queue row (a walk: the page said nothing of the checks left open).
    await page.locator('#precheck .precheck-summary').waitFor();
    const photo = page.locator('#photo-invoice-0');
    await photo.waitFor();
    await photo.tap();
    const viewer = page.locator('taro-swiper-core');
    await viewer.waitFor();
    await screenshot(page, 'review-02-photo-preview');
    await viewer.click();
    await viewer.waitFor({ state: 'detached' });
    await page.locator('#trace-estimate').tap();
    await page.locator('.trace-steps .list-row').first().waitFor();
    await screenshot(page, 'review-03-claim');
    expect(await textSmallerThan(page)).toEqual([]);

    // ---- 初审 (taken meanwhile from another desk), then 补件 ----
    // Changed by someone else after the page read it: said where the buttons were, and no button until it is seen (a
    // walk: the refusal off screen, 审核通过 under the pointer that had pressed 初审通过).
    await ok(base, reviewerToken, 'review', 'decide', {
      ...(await loadedClaim(base, reviewerToken, id)),
      expectedStatus: 'submitted',
      action: 'passPreliminary',
    });
    await page.locator('#action-passPreliminary').tap();
    await page.locator('#confirm-passPreliminary-ok').tap();
    await page.locator('#action-conflict').getByText('这份申请刚被其他人办理过').waitFor();
    expect(await onScreen(page, '#action-conflict')).toBe(true);
    expect(await page.locator('#action-passReview').count()).toBe(0);
    await page.locator('#action-conflict-seen').tap();
    await status(page, 'preliminaryPassed');
    await page.locator('#action-requestSupplement').tap();
    await page.locator('#form-submit').tap();
    // What is missing is said beside the button, on screen, not only at the top of the page.
    await page.locator('#form-error').getByText('请从列表中选择原因').waitFor();
    expect(await onScreen(page, '#form-error')).toBe(true);
    await page.locator('#reason-invoiceUnclear').tap();
    // Said of the form as it was: a reason chosen, it leaves (a walk: it stayed above 确认要求补件).
    await page.locator('#form-error').waitFor({ state: 'detached' });
    await page.locator('#form-submit').tap();
    await page.locator('#form-error').getByText('请选择需要补充的材料').waitFor();
    expect(await onScreen(page, '#form-error')).toBe(true);
    await page.locator('#supplement-material-invoice').tap();
    await page.locator('#form-error').waitFor({ state: 'detached' });
    // The unreadable invoice photo goes back to be taken again (before, it stayed on the claim beside the new one).
    await page.locator('#retake-invoice-0').tap();
    await page.locator('#retake-invoice-0', { hasText: '✓ 退回重拍' }).waitFor();
    await page.locator('#reason-text textarea').fill('发票右下角金额被手指挡住');
    await screenshot(page, 'review-04-supplement-form');
    expect(await textSmallerThan(page)).toEqual([]);
    await page.locator('#form-submit').tap();
    await page.locator('#action-result', { hasText: '已要求补件' }).waitFor();
    await status(page, 'supplementRequested');

    // 张三 answers the 补件 request through the API; the claim is back in the queue.
    const asked = await ok<{
      requestedMaterials: string[];
      supplementReason: string;
      photosToRetake: Array<{ materialId: string }>;
      materials: { invoice?: string[] };
    }>(base, zhang, 'claims', 'get', { id });
    expect(asked.requestedMaterials).toEqual(['invoice']);
    expect(asked.photosToRetake).toEqual([expect.objectContaining({ materialId: 'invoice' })]);
    expect(asked.materials.invoice ?? []).toEqual([]);
    expect(asked.supplementReason).toContain('发票右下角金额被手指挡住');
    await ok(base, zhang, 'claims', 'answerSupplement', {
      id,
      materials: { invoice: [await uploadJpeg(base, zhang, 'invoice again review-e2e-a')] },
    });
    await page.reload();
    await status(page, 'submitted');
    expect(await page.locator('[id^="photo-invoice-"]').count()).toBe(1);
    // The photo the 补件 brought is marked (a walk: 费用明细清单（3 张）, the new one not told apart); the one sent back
    // is kept apart, marked.
    await page.locator('#supplement-tag-invoice-0').waitFor();
    await page.getByText('（1 张，其中补件 1 张）').waitFor();
    await page.locator('#retaken-photos').getByText('已退回重拍').waitFor();
    // 确认 pressed twice at once (a walk: the second press was answered 这份申请刚被其他人办理过 and the buttons hidden):
    // one step, and no word of anyone else.
    await page.locator('#action-passPreliminary').tap();
    await page.locator('#confirm-passPreliminary').waitFor();
    await page.locator('#confirm-passPreliminary-ok').evaluate((button: HTMLElement) => {
      button.click();
      button.click();
    });
    await page.locator('#action-result', { hasText: '已初审通过' }).waitFor();
    await page.waitForTimeout(700);
    expect(await page.locator('#action-conflict').count()).toBe(0);

    // ---- a correction of the line items, with the re-estimate ----
    await page.locator('#line-edit-start').tap();
    await page.locator('#line-1-amount input').fill('400.005');
    await page.locator('#line-2-remove').tap();
    await page.locator('#line-save').tap();
    await page.getByText('金额最多保留两位小数（到分）').waitFor();
    await page.locator('#line-1-amount input').fill('400');
    await page.locator('#line-1-category-A').tap();
    await page.locator('#line-save').tap();
    // Said beside the button, on screen (a walk found it 6,476 px above, at the top of the page).
    await page.locator('#line-error').getByText('请写明修改原因').waitFor();
    expect(await onScreen(page, '#line-error')).toBe(true);
    // Meanwhile the claim is corrected elsewhere (the same reviewer in another tab): the save is refused, the editor
    // closes on the lines as they are now, and says so beside them. A second tap on the stale editor saved it over
    // the other correction (a walk).
    const elsewhere = await loadedClaim(base, reviewerToken, id);
    const filedLines = (
      await ok<{ form: { lineItems: Array<{ name: string; amountFen: number; category: string }> } }>(
        base,
        reviewerToken,
        'review',
        'get',
        { id },
      )
    ).form.lineItems;
    await ok(base, reviewerToken, 'review', 'editLineItems', {
      ...elsewhere,
      lineItems: filedLines.slice(0, 2),
      reason: '自费材料不予报销',
    });
    await page.locator('#edit-reason textarea').fill('检查费按明细清单核减为甲类，自费材料不予报销');
    await page.locator('#line-save').tap();
    await page.locator('#line-error').getByText('您的修改没有保存').waitFor();
    expect(await onScreen(page, '#line-error')).toBe(true);
    expect(await page.locator('#line-edit').count()).toBe(0);
    await page.locator('#line-edit-start').tap();
    expect(await page.locator('#line-2-remove').count()).toBe(0);
    await page.locator('#line-1-amount input').fill('400');
    await page.locator('#line-1-category-A').tap();
    await page.locator('#edit-reason textarea').fill('检查费按明细清单核减为甲类，自费材料不予报销');
    await page.locator('#line-save').tap();
    await page.locator('#action-result', { hasText: '已按修改后的明细重新估算' }).waitFor();
    await page.locator('#figure-reviewEstimate-total', { hasText: '1,260.00 元' }).waitFor();
    await page.locator('#corrections').getByText('检查费按明细清单核减为甲类').first().waitFor();
    await screenshot(page, 'review-05-corrected');
    expect(await textSmallerThan(page)).toEqual([]);
    // A line added (a receipt the 补件 brought, a walk found no way to count it); the total now above the filed one is
    // said, and saved on a second tap only (a walk typed 99,999.00 for 1,280.50 and nothing asked).
    await page.locator('#line-edit-start').tap();
    await page.locator('#line-add').tap();
    await page.locator('#line-2-amount input').fill('100');
    await page.locator('#edit-reason textarea').fill('补件票据：门诊挂号及诊查费');
    await page.locator('#line-save').tap();
    await page.getByText('请填写费用名称（按票据或明细清单）').waitFor();
    await page.locator('#line-2-name input').fill('诊查费');
    await page.locator('#line-save').tap();
    await page.locator('#line-increase', { hasText: '比申请时的 1,330.50 元 多 29.50 元' }).waitFor();
    // Nothing saved on the first tap: the figure is the one before.
    await page.locator('#figure-reviewEstimate-total', { hasText: '1,260.00 元' }).waitFor();
    await page.locator('#line-save', { hasText: '确认保存' }).tap();
    await page.locator('#figure-reviewEstimate-total', { hasText: '1,360.00 元' }).waitFor();

    // ---- 审核; settlement waits for the paper originals ----
    await act(page, 'passReview', '已审核通过');
    await status(page, 'reviewPassed');
    await page.getByText('本地政策要求纸质原件，收到原件并登记后才能结算').waitFor();
    expect(await page.locator('#action-settle').count()).toBe(0);
    expect(
      (
        await callFn(base, await devToken(base, 'reviewer'), 'review', 'settle', {
          ...(await loadedForSettle(base, await devToken(base, 'reviewer'), id)),
          expectedStatus: 'reviewPassed',
        })
      ).error?.code,
    ).toBe('ORIGINALS_NOT_RECEIVED');
    await act(page, 'receiveOriginals', '已登记纸质原件');
    await page.locator('#originals-received', { hasText: '已收到并登记' }).waitFor();
    await act(page, 'settle', '已结算');
    await status(page, 'settled');
    await page.locator('#figure-settlement-totalPaid').waitFor();

    // Four eyes: the settler gets no 复核 buttons, and is told why.
    await page.getByText('结算和复核不能由同一人完成').waitFor();
    expect(await page.locator('#action-verify').count()).toBe(0);
    expect(await page.locator('#action-returnFromVerification').count()).toBe(0);
    await screenshot(page, 'review-06-settled-four-eyes');
    // A claim opened by its link: the bar's ⌂ and the page's foot lead back to 待办, not to the claimant's 首页 (a walk).
    await page.goto(`${base}/#/reviewer/pages/claim/index?id=${id}`);
    await status(page, 'settled');
    await page.locator('.taro-navigation-bar-home').tap();
    await page.waitForURL(/reviewer\/pages\/queue\/index/);
    await page.goto(`${base}/#/reviewer/pages/claim/index?id=${id}`);
    await page.reload();
    await status(page, 'settled');
    await page.locator('#back-to-queue').tap();
    await page.waitForURL(/reviewer\/pages\/queue\/index/);
    // Its row says whose turn it is now (下一份 passes it over for this reviewer).
    await page.locator(`#waiting-${id}`, { hasText: '等待复核人员办理「复核通过」' }).waitFor();
    await context.close();

    // ---- 赵复核: 复核 and payment ----
    const second = await harness.newPhone();
    await loginStaff(second.page, base, 'reviewer2');
    await second.page.locator('#queue-filters-toggle').tap();
    await second.page.locator('#filter-status-settled').tap();
    await second.page.locator('#queue-total', { hasText: '共 1 件' }).waitFor();
    await second.page.locator(`#queue-row-${id}`).tap();
    await status(second.page, 'settled');
    await second.page.locator('#action-returnFromVerification').waitFor();
    await act(second.page, 'verify', '已复核通过');
    await status(second.page, 'verified');
    // 编入支付批次 on the claim's page opens 支付批次 with this claim already chosen.
    await second.page.locator('#action-batchForPayment').tap();
    await second.page.waitForURL(/reviewer\/pages\/payments\/index/);
    await second.page.locator(`#candidate-${id}[aria-checked="true"]`).waitFor();
    await second.page.locator('#create-batch', { hasText: '1 笔' }).waitFor();
    await second.page.waitForTimeout(600); // the page's slide-in
    await screenshot(second.page, 'review-06b-batch-from-claim');
    await second.page.locator('#create-batch').tap();
    await second.page.locator('#create-batch-confirm-ok').tap();
    await second.page.locator('#payments-notice', { hasText: '已生成支付批次' }).waitFor();
    // The claim's page names its batch and offers no 确认已支付 of its own (a walk: its settler marked one paid, with no
    // bank file behind it); 确认已支付 is the batch's.
    await second.page.goBack();
    await status(second.page, 'verified');
    await second.page.locator('#in-payment-batch', { hasText: '已编入支付批次 PB' }).waitFor();
    expect(await second.page.locator('#action-markPaid').count()).toBe(0);
    await second.page.locator('#open-payment-batch').tap();
    await second.page.waitForURL(/reviewer\/pages\/payments\/index/);
    // No 确认已支付 before the bank file exists (a probe confirmed a batch whose file was never made): download it first.
    await second.page.locator('[id^="export-first-PB"]', { hasText: '下载银行代发文件' }).waitFor();
    expect(await second.page.locator('[id^="mark-paid-PB"]').count()).toBe(0);
    await Promise.all([
      second.page.waitForEvent('download'),
      second.page.locator('[id^="download-csv-PB"]').first().tap(),
    ]);
    // 赵复核 made the batch: who says the bank paid it is another (two people release money).
    await second.page.locator('[id^="mark-paid-other-PB"]', { hasText: '请另一位工作人员' }).waitFor();
    expect(await second.page.locator('[id^="export-first-PB"]').count()).toBe(0);
    expect(await second.page.locator('[id^="mark-paid-PB"]').count()).toBe(0);
    const wang = await harness.newPhone();
    await loginStaff(wang.page, base, 'reviewer');
    await wang.page.goto(`${base}/#/reviewer/pages/payments/index`);
    await wang.page.reload();
    await wang.page.locator('[id^="mark-paid-PB"]').first().tap();
    await wang.page.locator('#mark-paid-confirm-ok').tap();
    await wang.page.locator('#payments-notice', { hasText: '已确认支付' }).waitFor();
    await wang.context.close();
    await second.page.goBack();
    await status(second.page, 'paid');
    await second.page.locator('#history').getByText('复核人员').first().waitFor();
    await screenshot(second.page, 'review-07-paid');
    expect(await textSmallerThan(second.page)).toEqual([]);

    // A second reviewer who settled a claim is refused its 复核 by the server too (FOUR_EYES).
    const zhao = await devToken(base, 'reviewer2');
    await ok(base, zhao, 'review', 'decide', {
      ...(await loadedClaim(base, zhao, late)),
      expectedStatus: 'submitted',
      action: 'passPreliminary',
    });
    await ok(base, zhao, 'review', 'decide', {
      ...(await loadedClaim(base, zhao, late)),
      expectedStatus: 'preliminaryPassed',
      action: 'passReview',
    });
    await ok(base, zhao, 'review', 'receiveOriginals', {
      ...(await loadedClaim(base, zhao, late)),
      expectedStatus: 'reviewPassed',
    });
    await ok(base, zhao, 'review', 'settle', {
      ...(await loadedForSettle(base, zhao, late)),
      expectedStatus: 'reviewPassed',
    });
    expect(
      (
        await callFn(base, zhao, 'review', 'verify', {
          ...(await loadedClaim(base, zhao, late)),
          expectedStatus: 'settled',
        })
      ).error?.code,
    ).toBe('FOUR_EYES');
    await second.page.goto(`${base}/#/reviewer/pages/claim/index?id=${late}`);
    await status(second.page, 'settled');
    await second.page.getByText('结算和复核不能由同一人完成').waitFor();
    expect(await second.page.locator('#action-verify').count()).toBe(0);

    // The subscribe messages the recorder "sent", on the dev page.
    await cloud.drainNotifications();
    await second.page.goto(`${base}/#/pages/dev-messages/index`);
    await second.page.locator('.dev-message').first().waitFor();
    await screenshot(second.page, 'review-08-dev-messages');
    await second.context.close();

    // ---- 张三 sees every step: cards and the timeline ----
    const cards = (await cardsOf(base, zhang)).filter((card) => card.claimId === id);
    const cardStatuses = new Set(cards.map((card) => card.status));
    for (const expected of [
      'submitted',
      'preliminaryPassed',
      'supplementRequested',
      'reviewPassed',
      'settled',
      'verified',
      'paid',
    ])
      expect(cardStatuses).toContain(expected);
    expect(cards.find((card) => card.status === 'supplementRequested')?.body).toContain('发票右下角金额被手指挡住');
    const final = await ok<ClaimantView>(base, zhang, 'claims', 'get', { id });
    expect(final.status).toBe('paid');
    expect(final.timeline.steps.every((step) => step.state === 'done')).toBe(true);
    expect(final.events.map((event) => event.action)).toEqual([
      'submit',
      'passPreliminary',
      'requestSupplement',
      'answerSupplement',
      'passPreliminary',
      // The correction made in the other tab, the one saved after the conflict, and the line added.
      'correctLineItems',
      'correctLineItems',
      'correctLineItems',
      'passReview',
      'receiveOriginals',
      'settle',
      'verify',
      'batchForPayment',
      'markPaid',
    ]);
    expect(final.events.find((event) => event.action === 'verify')?.role).toBe('secondReviewer');
  });

  it('退回 confirmed after another desk took the claim on: one sentence says so, where the buttons were; the reason typed is kept for after (a desk walk read the conflict twice)', async () => {
    const { base } = harness;
    const id = await submitClaim(base, await devToken(base, 'zhangsan'), '大连市中心医院', 'review-e2e-conflict');
    const { page, context } = await harness.newPhone();
    await loginStaff(page, base, 'reviewer');
    // A claim page by an address that names no claim, or not one: said so, with where to go (a walk read 填写的内容有误，
    // 请按提示修改 on 办理记录 with nothing to correct).
    for (const address of ['reviewer/pages/audit/index', 'reviewer/pages/claim/index']) {
      await page.goto(`${base}/#/${address}`);
      await page.reload();
      await page.getByText('这个地址没有指明是哪一份申请。请回到待办列表，点开要办理的申请。').waitFor();
      expect(await page.getByText('填写的内容有误').count()).toBe(0);
    }
    await page.goto(`${base}/#/reviewer/pages/claim/index?id=${id}`);
    await status(page, 'submitted');
    await page.locator('#action-reject').tap();
    await page.locator('#reason-notCovered').tap();
    await page.locator('#reason-text textarea').fill('美容项目不在医保支付范围');
    await page.locator('#form-submit').tap();
    await page.locator('#confirm-reject').waitFor();
    // Meanwhile at another desk: 初审通过.
    const other = await devToken(base, 'reviewer2');
    await ok(base, other, 'review', 'decide', {
      ...(await loadedClaim(base, other, id)),
      expectedStatus: 'submitted',
      action: 'passPreliminary',
    });
    await page.locator('#confirm-reject-ok').tap();
    await page.locator('#action-conflict').getByText('这份申请刚被其他人办理过').waitFor();
    await status(page, 'preliminaryPassed');
    expect(await page.getByText(/刚被其他人|刚刚被其他人/).count()).toBe(1);
    expect(await page.locator('#form-error').count()).toBe(0);
    expect(await page.locator('#confirm-reject').count()).toBe(0);
    // Seen: the form is back with what was typed, to be confirmed on the claim as it is now.
    await page.locator('#action-conflict-seen').tap();
    expect(await page.locator('#reason-text textarea').inputValue()).toBe('美容项目不在医保支付范围');
    await page.locator('#form-submit').tap();
    await page.locator('#confirm-reject-ok').tap();
    await page.locator('#action-result', { hasText: '已退回' }).waitFor();
    await status(page, 'rejected');
    await context.close();
  });

  it('病种 corrected at the desk: a 门诊慢特病 claim filed as 糖尿病 is figured, named and recorded as the 认定证明 says', async () => {
    const { base } = harness;
    const token = await devToken(base, 'zhangsan');
    const form = validForm({
      guide: { scenario: 'outOfRegion', outOfRegionKind: 'temporaryTrip', visitKind: 'chronic' },
      hospital: { name: '大连医科大学附属第一医院', level: 3 },
      visit: { visitDate: shanghaiDate(new Date(Date.now() - 10 * 86_400_000)), disease: 'diabetes' },
    });
    const materials = await uploadEach(base, token, requiredMaterialIds(form), 'review-e2e-disease');
    const { id } = await ok<{ id: string }>(
      base,
      token,
      'claims',
      'submit',
      { form: { ...form, materials } },
      'review-e2e-disease',
    );
    const { page, context } = await harness.newPhone();
    await loginStaff(page, base, 'reviewer');
    await page.goto(`${base}/#/reviewer/pages/claim/index?id=${id}`);
    await page.reload();
    await status(page, 'submitted');
    await page.locator('#visit-disease', { hasText: '糖尿病（慢特病）' }).waitFor();
    await page.locator('#line-edit-start').tap();
    await page.locator('#line-disease-tumor').tap();
    await page.locator('#edit-reason textarea').fill('按门诊慢特病认定证明，病种为恶性肿瘤门诊放化疗');
    await page.locator('#line-save').tap();
    await page.locator('#action-result', { hasText: '已按修改后的明细重新估算' }).waitFor();
    await page.locator('#visit-disease', { hasText: '恶性肿瘤门诊放化疗' }).waitFor();
    await page.locator('#corrections').getByText('病种 （按申请） → 恶性肿瘤门诊放化疗').first().waitFor();
    await screenshot(page, 'review-10-disease-corrected');
    expect(await textSmallerThan(page)).toEqual([]);
    await context.close();
  });
});
