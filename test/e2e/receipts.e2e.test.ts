/**
 * Receipts that fill the form, in the H5 build with the real PaddleOCR behind the local cloud:
 * 1. 张三 photographs a generated 门诊 receipt on the 填写 page: "正在识别票据…", then the fields read;
 *    nothing reaches the form until he taps 填入表单; then hospital, visit date and the line items (in
 *    yuan on screen, fen in the claim, category 甲) are in the form, still editable; he files the claim.
 * 2. 李四 photographs a receipt whose 小写 disagrees with its 大写: flagged, the form stays closed
 *    until he corrects it; then the first receipt again: flagged at once as already in another
 *    person's claim (masked number), and refused at submission with that claim named.
 * 3. 张三 takes three receipt photos at once: they are read one after the other, with a progress line
 *    per photo above the cards (issue 13).
 * The OCR model loads on the first read here (10+ s on 2 cores; `npm start` loads it at start): the
 * waits are generous.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { idNumberCheckChar, luhnCheckDigit } from '../../src/core/identity';
import { fenToInputText, formatYuan } from '../../src/core/money';
import { generateReceipt, type GeneratedReceipt } from '../receipts/generator';
import {
  artifactsDir,
  input,
  loginAs,
  pageSettled,
  screenshot as rawScreenshot,
  startHarness,
  type Harness,
} from './browser';
import { materialPhoto } from './claimant/photos';
import { answerGuide, choosePhotos, shanghaiDaysAgo, type, waitUploaded } from './claimant/steps';
import { devToken, ok, uploadEach, uploadPhoto } from './review/api';
import { requiredMaterialIds, validForm } from '../support/fixtures';

jest.setTimeout(150_000);

const OCR_WAIT = 90_000;

let harness: Harness;
const photos = path.join(artifactsDir, 'receipts-photos');
let good: GeneratedReceipt;
let misprinted: GeneratedReceipt;
let goodFile: string;
let misprintedFile: string;

beforeAll(async () => {
  mkdirSync(photos, { recursive: true });
  [harness, good, misprinted] = await Promise.all([
    startHarness(),
    generateReceipt(102, { layout: 'outpatient', qr: false, issueDate: shanghaiDaysAgo(10) }),
    generateReceipt(201, { layout: 'outpatient', qr: false, misprintFigures: true, issueDate: shanghaiDaysAgo(6) }),
  ]);
  goodFile = path.join(photos, 'receipt-outpatient.jpg');
  misprintedFile = path.join(photos, 'receipt-wrong-figures.jpg');
  writeFileSync(goodFile, good.image);
  writeFileSync(misprintedFile, misprinted.image);
});
afterAll(async () => {
  await harness?.close();
});

interface StoredClaim {
  _id: string;
  _openid: string;
  status: string;
  amountFen: number;
  form: {
    hospital: { name: string };
    visit: { visitDate?: string };
    lineItems: Array<{ name: string; amountFen: number; category: string }>;
  };
}

async function screenshot(page: Page, name: string): Promise<void> {
  await pageSettled(page);
  await rawScreenshot(page, name);
}

const text = async (page: Page, selector: string): Promise<string> =>
  ((await page.locator(selector).textContent()) ?? '').trim();

function personalDetails(id17: string, account18: string) {
  return { id: `${id17}${idNumberCheckChar(id17)}`, account: `${account18}${luhnCheckDigit(account18)}` };
}

async function startOutpatientClaim(page: Page, user: 'zhangsan' | 'lisi'): Promise<void> {
  await loginAs(page, harness.base, user);
  await page.locator('#start-claim').tap();
  await answerGuide(page, [
    ['scenario', 'outOfRegion'],
    ['outOfRegionKind', 'temporaryTrip'],
    ['visitKind', 'outpatient'],
  ]);
  await page.locator('#guide-next').tap();
  await page.waitForURL(/claim-form/);
}

/** What a receipt cannot tell: the person, the policy, the hospital level, the account. */
async function fillTheRest(page: Page, name: string, details: { id: string; account: string }): Promise<void> {
  await type(page, 'insured-name', name);
  await type(page, 'insured-id', details.id);
  await page.locator('#region-210200').tap();
  await page.locator('#insurance-employee').tap();
  await page.locator('#level-3').tap();
  await type(page, 'bank-name', '中国工商银行大连分行');
  await type(page, 'account-number', details.account);
  await type(page, 'phone', '13812345678');
  await page.locator('#originals-inPerson').tap();
}

/** 材料 (the receipt is there already: it was taken on the 填写 page), 预估, 确认, 提交. */
async function materialsAndSubmit(page: Page, invoices: number): Promise<void> {
  await page.locator('#form-next').tap();
  await page.waitForURL(/claim-materials/);
  await waitUploaded(page, 'invoice', invoices);
  for (const material of ['itemizedList', 'diagnosis', 'prescription', 'identity', 'bankAccount']) {
    await choosePhotos(page, `${material}-album`, [await materialPhoto(photos, material)]);
    await waitUploaded(page, material, 1);
  }
  await page.locator('#materials-next').tap();
  await page.waitForURL(/claim-estimate/);
  await page.locator('#estimate-fund').waitFor();
  // The lines came from the receipts: nothing to say of their totals.
  await page.waitForTimeout(300);
  expect(await page.locator('#estimate-receipt-totals').count()).toBe(0);
  await page.locator('#estimate-next').tap();
  await page.waitForURL(/claim-confirm/);
  await page.locator('#declaration').tap();
  await page.locator('#submit-claim').tap();
}

const card = (index: number): string => `#form-receipt-invoice-${index}`;

describe('receipts that fill the form (H5, real OCR)', () => {
  let firstClaim: StoredClaim;

  it('张三: the photo of a 门诊 receipt is read, confirmed, and fills hospital, date and line items', async () => {
    const truth = good.truth;
    const { context, page } = await harness.newPhone();
    await startOutpatientClaim(page, 'zhangsan');

    await choosePhotos(page, 'form-receipt-album', [goodFile]);
    await page
      .locator(`${card(0)}-reading`)
      .getByText('正在识别票据…')
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'receipts-01-reading');
    await page.locator(`${card(0)}-apply`).waitFor({ timeout: OCR_WAIT });

    // The fields read, each with its value
    expect(await text(page, `${card(0)}-row-code-value`)).toBe(truth.code);
    expect(await text(page, `${card(0)}-row-number-value`)).toBe(truth.number);
    expect(await text(page, `${card(0)}-row-checkCode-value`)).toBe(truth.checkCode);
    expect(await text(page, `${card(0)}-row-issueDate-value`)).toBe(truth.issueDate);
    expect(await text(page, `${card(0)}-row-hospital-value`)).toBe(truth.hospital);
    expect(await text(page, `${card(0)}-row-payer-value`)).toBe(truth.payer);
    expect(await text(page, `${card(0)}-row-totalFigures-value`)).toBe(formatYuan(truth.totalFen));
    expect(await text(page, `${card(0)}-row-totalWords-value`)).toBe(formatYuan(truth.totalFen));
    const readItems = await page.locator(`${card(0)}-items .receipt-row-value`).allTextContents();
    expect(readItems).toHaveLength(truth.items.length * 2);
    for (const item of truth.items) {
      expect(readItems).toContain(item.name);
      expect(readItems).toContain(formatYuan(item.fen));
    }
    const seconds = Number(/识别用时 ([\d.]+) 秒/.exec(await text(page, `${card(0)}-timing`))?.[1]);
    console.log(`receipt read in the app: ${seconds} s (first read, model load included)`);
    await screenshot(page, 'receipts-02-card');

    // Nothing is filled silently
    expect(await input(page, 'hospital-name').inputValue()).toBe('');
    expect(await input(page, 'visit-date').inputValue()).toBe('');

    await page.locator(`${card(0)}-apply`).tap();
    await page.locator(`${card(0)}-applied`).waitFor();
    expect(await input(page, 'hospital-name').inputValue()).toBe(truth.hospital);
    expect(await input(page, 'visit-date').inputValue()).toBe(truth.issueDate);
    // The name was empty: 交款人 filled it, and the note after the tap still says so.
    expect(await input(page, 'insured-name').inputValue()).toBe(truth.payer);
    expect(await text(page, `${card(0)}-applied`)).toContain(`姓名「${truth.payer}」`);
    const lines = await Promise.all(
      truth.items.map(async (_, index) => [
        await input(page, `item-name-${index}`).inputValue(),
        await input(page, `item-amount-${index}`).inputValue(),
        await page.locator(`#item-category-${index}-A`).getAttribute('aria-checked'),
      ]),
    );
    expect(lines.sort()).toEqual(truth.items.map((item) => [item.name, fenToInputText(item.fen), 'true']).sort());
    expect(await page.locator('[id^="line-item-"]').count()).toBe(truth.items.length);
    expect(await text(page, '#items-total')).toBe(formatYuan(truth.totalFen));

    // Still editable: the person changes a category
    await page.locator('#item-category-0-B').tap();
    expect(await page.locator('#item-category-0-B').getAttribute('aria-checked')).toBe('true');
    await fillTheRest(page, '张三', personalDetails('21020219800101123', '622202020011223344'));
    await page.locator('#lineItems-anchor').scrollIntoViewIfNeeded();
    await screenshot(page, 'receipts-03-form-filled');

    await materialsAndSubmit(page, 1);
    await page.waitForURL(/claim-detail/, { timeout: 30_000 });
    await page.locator('#detail-status').getByText('已提交，待初审').waitFor();
    const [claim] = await harness.cloud.store.collection<StoredClaim>('claims').find({ status: 'submitted' });
    expect(claim).toBeDefined();
    firstClaim = claim!;
    expect(firstClaim.amountFen).toBe(truth.totalFen);
    expect(firstClaim.form.hospital.name).toBe(truth.hospital);
    expect(firstClaim.form.visit.visitDate).toBe(truth.issueDate);
    expect(firstClaim.form.lineItems.map((line) => line.amountFen).sort((a, b) => a - b)).toEqual(
      truth.items.map((item) => item.fen).sort((a, b) => a - b),
    );
    await context.close();
  });

  it('李四: a wrong 小写 is flagged until corrected; the same receipt again is named as in another claim, at read and at submit', async () => {
    expect(firstClaim).toBeDefined();
    const truth = misprinted.truth;
    const { context, page } = await harness.newPhone();
    await startOutpatientClaim(page, 'lisi');

    await choosePhotos(page, 'form-receipt-album', [misprintedFile]);
    await page.locator(`${card(0)}-apply`).waitFor({ timeout: OCR_WAIT });
    const checks = page.locator(`${card(0)}-checks`);
    await checks
      .getByText(
        `大写金额（${formatYuan(truth.totalFen)}）与小写金额（${formatYuan(truth.totalFiguresFen)}）不一致，请按票据核对`,
      )
      .waitFor();
    expect(await page.locator(`${card(0)}-row-totalFigures`).getAttribute('data-flagged')).toBe('true');
    expect(await page.locator(`${card(0)}-row-totalWords`).getAttribute('data-flagged')).toBe('true');
    await page
      .locator(`${card(0)}-row-totalFigures`)
      .getByText('请核对：大写与小写金额不一致')
      .waitFor();
    console.log(
      `second receipt read in the app: ${/识别用时 ([\d.]+) 秒/.exec(await text(page, `${card(0)}-timing`))?.[1]} s`,
    );
    await page
      .locator(`${card(0)}-pending`)
      .getByText('还需确认或修改：合计（小写）、合计（大写）、收费项目')
      .waitFor();
    await page.locator(`${card(0)}-apply`).tap();
    expect(await input(page, 'hospital-name').inputValue()).toBe('');
    await checks.scrollIntoViewIfNeeded();
    await screenshot(page, 'receipts-04-wrong-figures-flagged');

    // He checks the paper: the 大写 is right. He corrects the 小写 and confirms the 大写.
    await page.locator(`${card(0)}-edit-totalFigures`).tap();
    await page.locator(`${card(0)}-input-totalFigures input`).fill(fenToInputText(truth.totalFen));
    await page.locator(`${card(0)}-save-totalFigures`).tap();
    await page
      .locator(`${card(0)}-row-totalFigures`)
      .getByText('已修改')
      .waitFor();
    await page.locator(`${card(0)}-confirm-totalWords`).tap();
    await page.locator(`${card(0)}-pending`).waitFor({ state: 'detached' });
    await page.locator(`${card(0)}-apply`).tap();
    await page.locator(`${card(0)}-applied`).waitFor();
    expect(await input(page, 'hospital-name').inputValue()).toBe(truth.hospital);
    expect(await text(page, '#items-total')).toBe(formatYuan(truth.totalFen));
    await page.locator(`${card(0)}-row-totalFigures`).scrollIntoViewIfNeeded();
    await screenshot(page, 'receipts-05-wrong-figures-corrected');

    // The receipt 张三 already filed: named at once, masked, and not offered for the form
    const masked = `他人的申请（编号 ****${firstClaim._id.slice(-4).toUpperCase()}）`;
    await choosePhotos(page, 'form-receipt-album', [goodFile]);
    const duplicate = page.locator(`${card(1)}-duplicate`).first();
    await duplicate.waitFor({ timeout: OCR_WAIT });
    expect(await duplicate.textContent()).toContain(`已在${masked}中提交过，不能重复报销`);
    expect(await page.locator(`${card(1)}-apply`).count()).toBe(0);
    await duplicate.scrollIntoViewIfNeeded();
    await screenshot(page, 'receipts-06-duplicate-at-read');

    // Submitted anyway: refused, the earlier claim named on the confirm page
    await fillTheRest(page, '李四', personalDetails('21020219850202234', '622202020055667788'));
    await materialsAndSubmit(page, 2);
    const problem = page.locator('#submit-problem');
    await problem.getByText(masked, { exact: false }).waitFor({ timeout: 30_000 });
    expect(await problem.textContent()).toContain('不能重复报销');
    // The code is for support, under 详情 only.
    expect(await problem.textContent()).not.toContain('DUPLICATE_RECEIPT');
    await problem.locator('.error-detail-toggle').tap();
    expect(await problem.textContent()).toContain('DUPLICATE_RECEIPT');
    await page.locator('#submit-problem-materials').waitFor();
    expect(page.url()).toMatch(/claim-confirm/);
    await problem.scrollIntoViewIfNeeded();
    await screenshot(page, 'receipts-07-duplicate-at-submit');
    const lisiClaims = await harness.cloud.store.collection<StoredClaim>('claims').find({ status: 'submitted' });
    expect(lisiClaims.map((claim) => claim._id)).toEqual([firstClaim._id]);
    await context.close();
  });

  it('张三 takes three receipt photos at once: read one after the other, a progress line per photo (issue 13)', async () => {
    const receipts = await Promise.all(
      [103, 104, 105].map((seed) =>
        generateReceipt(seed, { layout: 'outpatient', qr: false, issueDate: shanghaiDaysAgo(12) }),
      ),
    );
    const files = receipts.map((receipt, i) => {
      const file = path.join(photos, `queue-${i + 1}.jpg`);
      writeFileSync(file, receipt.image);
      return file;
    });
    const { context, page } = await harness.newPhone();
    await startOutpatientClaim(page, 'zhangsan');
    await choosePhotos(page, 'form-receipt-album', files);
    const progress = '#form-receipt-invoice-progress';
    await page.locator(`${progress}-0`).waitFor({ timeout: 30_000 });
    await page.locator(`${progress} [data-stage="reading"]`).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'receipts-08-queue-reading');
    // One queue: never two photos read at once, and all three read in the end.
    const most = await page.waitForFunction(
      (selector) => {
        const w = window as unknown as { mostReading?: number };
        const stages = [...document.querySelectorAll(`${selector} [data-stage]`)].map((line) =>
          line.getAttribute('data-stage'),
        );
        w.mostReading = Math.max(w.mostReading ?? 0, stages.filter((stage) => stage === 'reading').length);
        return stages.length === 3 && stages.every((stage) => stage === 'read') ? w.mostReading : false;
      },
      progress,
      { timeout: 3 * OCR_WAIT, polling: 100 },
    );
    expect(await most.jsonValue()).toBe(1);
    expect(await text(page, `${progress} .receipt-queue-summary`)).toBe('3 张票据都已识别。');
    const numbers: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      expect(await text(page, `${progress}-${i}`)).toMatch(
        new RegExp(`^第 ${i + 1} 张票据：已识别，用时 \\d+\\.\\d 秒，请在下面核对。$`),
      );
      numbers.push(await text(page, `${card(i)}-row-number-value`));
    }
    // Each photo has its own card (in the order the uploads were queued, not necessarily the chooser's).
    expect(numbers.sort()).toEqual(receipts.map((receipt) => receipt.truth.number).sort());
    await page.locator(progress).scrollIntoViewIfNeeded();
    await screenshot(page, 'receipts-09-queue-read');
    await context.close();
  });

  it('李四 photographs one receipt twice: the second card names the first and fills nothing; deleting a photo takes its lines out of the form (a walk: the estimate stood at twice the bill)', async () => {
    const receipt = await generateReceipt(106, { layout: 'outpatient', qr: false, issueDate: shanghaiDaysAgo(9) });
    const first = path.join(photos, 'twice-1.jpg');
    const second = path.join(photos, 'twice-2.jpg');
    writeFileSync(first, receipt.image);
    // Taken again: other bytes, the same receipt.
    writeFileSync(second, await sharp(receipt.image).modulate({ brightness: 1.05 }).jpeg({ quality: 85 }).toBuffer());
    const { context, page } = await harness.newPhone();
    await startOutpatientClaim(page, 'lisi');
    await choosePhotos(page, 'form-receipt-album', [first]);
    await page.locator(`${card(0)}-apply`).waitFor({ timeout: OCR_WAIT });
    await page.locator(`${card(0)}-apply`).tap();
    await page.locator(`${card(0)}-applied`).waitFor();
    expect(await text(page, '#items-total')).toBe(formatYuan(receipt.truth.totalFen));

    await choosePhotos(page, 'form-receipt-album', [second]);
    await page.locator(`${card(1)}-duplicate`).waitFor({ timeout: OCR_WAIT });
    expect(await text(page, `${card(1)}-duplicate`)).toContain('这张票据和第 1 张是同一张');
    expect(await page.locator(`${card(1)}-apply`).count()).toBe(0);
    expect(await text(page, '#items-total')).toBe(formatYuan(receipt.truth.totalFen));
    await page.locator(`${card(1)}-duplicate`).scrollIntoViewIfNeeded();
    await screenshot(page, 'receipts-10-same-receipt-twice');

    // On 上传材料: the first photo deleted, after a confirmation naming its lines; they leave the form with it.
    // Straight to 上传材料 (the form's 下一步 wants the rest filled in, and 李四's own details are saved by now).
    await page.goto(`${harness.base}/#/claimant/pages/claim-materials/index`);
    await page.waitForURL(/claim-materials/);
    await waitUploaded(page, 'invoice', 2);
    await page.locator('#photo-remove-invoice-0').tap();
    await page
      .locator('.taro-modal__content:visible')
      .getByText(`这张票据填入的 ${receipt.truth.items.length} 项费用也会从「费用明细」里删掉`)
      .waitFor();
    await page.locator('.taro-model__confirm:visible').tap();
    await waitUploaded(page, 'invoice', 1);
    await page.goBack();
    await page.waitForURL(/claim-form/);
    expect(await page.locator('[id^="line-item-"]').count()).toBe(1);
    expect(await input(page, 'item-amount-0').inputValue()).toBe('');
    // The photo left is the only one of its receipt now: it can fill the form.
    await page.locator(`${card(0)}-apply`).waitFor({ timeout: OCR_WAIT });
    await context.close();
  });

  it('审核员 has a receipt photo nobody read read on the claim page: its fields appear and the 预审 judges it (a walk: a photo never read could not be read at all)', async () => {
    const { base } = harness;
    const visitDate = shanghaiDaysAgo(8);
    const receipt = await generateReceipt(303, { layout: 'outpatient', qr: false, issueDate: visitDate });
    const zhang = await devToken(base, 'zhangsan');
    const form = validForm({
      visit: { visitDate },
      // The first line typed 198.00 元 over its receipt (a walk: 检查费 907.17 filed, 709.17 printed).
      lineItems: receipt.truth.items.map((item, index) => ({
        name: item.name,
        amountFen: item.fen + (index === 0 ? 19_800 : 0),
        category: 'A',
      })),
    });
    // Filed through the API as a client that never asked for the photo to be read.
    const materials = await uploadEach(base, zhang, requiredMaterialIds(form), 'unread-receipt');
    materials.invoice = [await uploadPhoto(base, zhang, 'receipt-never-read.jpg', receipt.image)];
    const { id } = await ok<{ id: string }>(
      base,
      zhang,
      'claims',
      'submit',
      { form: { ...form, materials } },
      'unread-receipt-0001',
    );

    const { context, page } = await harness.newPhone();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/#/pages/dev-login/index`);
    await page.locator('#login-reviewer').tap();
    await page.waitForURL(/reviewer\/pages\/queue\/index/);
    await page.locator('#queue-total').waitFor();
    // A new address in the same document: loaded afresh, as the review suite does (the router may still be settling).
    await page.goto(`${base}/#/reviewer/pages/claim/index?id=${id}`);
    await page.reload();
    await page.locator('#receipt-0-unread').waitFor();
    expect(await text(page, '#receipt-0-unread')).toContain('这张票据没有识别过');
    expect(await page.locator('#precheck-open-receiptsRead').count()).toBe(1);
    // No error in the page while it reads (a desk walk: React's insertBefore failed on every read — the button's
    // words changed while Taro's loading icon was put in beside them).
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /insertBefore|NotFoundError/.test(message.text()))
        pageErrors.push(message.text());
    });
    await page.locator('#receipt-0-read').tap();
    // The reading in place of the offer: the total as printed, the 预审's 票据均已识别 passed.
    await page.locator('#receipt-0').waitFor({ timeout: OCR_WAIT });
    expect(await text(page, '#receipt-0')).toContain(formatYuan(receipt.truth.totalFen));
    expect(await page.locator('#receipt-0-read').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    // The items as read, the line filed with another amount marked with what was filed.
    await page.locator('#receipt-0-items').waitFor();
    expect(await page.locator('#receipt-0-items .receipt-item-read').count()).toBe(receipt.truth.items.length);
    expect(await text(page, '#receipt-0-items .differs')).toContain(
      `申请填写 ${formatYuan(receipt.truth.items[0]!.fen + 19_800)}`,
    );
    expect(await page.locator('#precheck-open-receiptsRead').count()).toBe(0);
    expect(await text(page, '#action-result')).toContain('票据已识别');
    // The claim's own hospital and insured person beside fields read otherwise (a walk: the claimant's correction of
    // 收款单位 was nowhere on the reviewer's page).
    expect(receipt.truth.hospital).not.toBe('北京协和医院');
    expect(await text(page, '#receipt-0-hospital-filed')).toBe('申请填写 北京协和医院');
    expect(await text(page, '#receipt-0-payer-filed')).toBe('参保人 张三');
    // The photo shown whole at its own shape, so that each numbered box lies on the words it read (at a desk the
    // photo was squeezed into Taro's default 240 px of height: the boxes sat a third of the way up from their words).
    const shown = await page.locator('#receipt-0 .receipt-photo').evaluate((element) => {
      const frame = element.getBoundingClientRect();
      const image = element.querySelector('img')!.getBoundingClientRect();
      return { ratio: frame.height / frame.width, imageHeight: image.height, frameHeight: frame.height };
    });
    expect(shown.ratio).toBeCloseTo(receipt.height / receipt.width, 2);
    expect(Math.abs(shown.imageHeight - shown.frameHeight)).toBeLessThan(2);
    await page.locator('#receipt-0').scrollIntoViewIfNeeded();
    await screenshot(page, 'receipts-11-reviewer-reads-a-receipt');
    // The step is in the claim's history, and a decision can follow on the claim as re-read (its version moved).
    const audit = await ok<{ events: Array<{ title: string }> }>(
      base,
      await devToken(base, 'reviewer'),
      'review',
      'audit',
      {
        id,
      },
    );
    expect(audit.events.map((event) => event.title)).toContain('识别票据');
    await context.close();
  });
});
