/**
 * The full-screen photo preview in the H5 build and the browser's Back (or Android's back gesture): Back closes the
 * preview and leaves the person where they were, on the same page (not reloaded), as in the mini-program; closed with
 * its own 关闭 control, it leaves no history entry behind, so the next Back is an ordinary Back. For the claimant on
 * 上传材料 and for the reviewer on a claim. Screenshots in test-artifacts/preview-*.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { PersonView } from '../../src/core/contracts/persons';
import { bankAccount, idNumber } from '../support/fixtures';
import { artifactsDir, loginAs, screenshot, startHarness, textSmallerThan, type Harness } from './browser';
import { receiptJpeg } from './claimant/photos';
import { choosePhotos, shanghaiDaysAgo, type, waitUploaded } from './claimant/steps';
import { devToken, ok, submitClaim } from './review/api';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

const preview = '.preview-image';

/** Marks an element of the page so that a page mounted again (new elements) is told apart from the same one. */
async function mark(page: Page, selector: string): Promise<void> {
  await page.locator(selector).evaluate((element) => {
    (element as HTMLElement & { previewProbe?: boolean }).previewProbe = true;
  });
}

async function stillMarked(page: Page, selector: string): Promise<boolean> {
  return page
    .locator(selector)
    .evaluate((element) => (element as HTMLElement & { previewProbe?: boolean }).previewProbe === true);
}

async function openPreview(page: Page, photo: string): Promise<void> {
  await page.locator(photo).tap();
  await page.locator(`${preview} taro-swiper-core`).waitFor();
}

/** The preview's own 关闭 control: named for a screen reader, its word large enough to read. */
async function closeControl(page: Page) {
  const close = page.getByRole('button', { name: '关闭图片预览' });
  await close.waitFor();
  expect(await close.innerText()).toBe('关闭');
  expect(await textSmallerThan(page)).toEqual([]);
  return close;
}

describe('photo preview and the browser Back in the H5 build', () => {
  it('张三 on 上传材料: Back closes the preview and stays on the page; after 关闭, Back goes back as usual', async () => {
    const { base } = harness;
    const token = await devToken(base, 'zhangsan');
    const person = await ok<PersonView>(base, token, 'claims', 'savePerson', {
      relation: 'self',
      name: '张三',
      idNumber: idNumber(),
      insuranceType: 'employee',
      retired: false,
      region: '210200',
      payout: { bankName: '中国工商银行大连分行', accountNumber: bankAccount },
      phone: '13812345678',
    });
    const receipt = await receiptJpeg(path.join(artifactsDir, 'preview-photos'), 'receipt.jpg', [
      '北京协和医院 门诊收费票据',
      '合计 1280.50 元',
    ]);

    const { context, page } = await harness.newPhone();
    await loginAs(page, base, 'zhangsan');
    await page.locator('#large-type-no').tap();
    await page.locator('#start-claim').tap();
    for (const [question, value] of [
      ['scenario', 'systemFailure'],
      ['visitKind', 'outpatient'],
    ])
      await page.locator(`#guide-${question}-${value}`).tap();
    await page.locator('#guide-next').tap();
    await page.waitForURL(/claim-form/);
    await page.locator(`#person-${person.id}`).tap();
    await type(page, 'hospital-name', '北京协和医院');
    await page.locator('#level-3').tap();
    await type(page, 'visit-date', shanghaiDaysAgo(12));
    await type(page, 'item-name-0', '西药费');
    await type(page, 'item-amount-0', '1280.50');
    await page.locator('#originals-inPerson').tap();
    await page.locator('#form-next').tap();
    await page.waitForURL(/claim-materials/);
    await choosePhotos(page, 'invoice-album', [receipt]);
    await waitUploaded(page, 'invoice', 1);
    const materialsUrl = page.url();
    await mark(page, '#materials-next');

    // Back with the preview open: the preview closes, the person is still on 上传材料, the same page (not mounted
    // again), and their photo is still there.
    await openPreview(page, '#photo-invoice-0 img');
    await screenshot(page, 'preview-01-claimant-open');
    await page.goBack();
    await page.locator(preview).waitFor({ state: 'detached' });
    await page.waitForTimeout(500); // a route change the Back might have started would have happened by now
    expect(page.url()).toBe(materialsUrl);
    await page.locator('#materials-next').waitFor({ state: 'visible' });
    expect(await stillMarked(page, '#materials-next')).toBe(true);
    expect(await page.locator('#material-invoice [data-state="done"]').count()).toBe(1);

    // Closed with its own control: no entry is left behind, so Back goes to 填写 as it would have without the preview.
    await openPreview(page, '#photo-invoice-0 img');
    await (await closeControl(page)).tap();
    await page.locator(preview).waitFor({ state: 'detached' });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(materialsUrl);
    expect(await stillMarked(page, '#materials-next')).toBe(true);
    await page.goBack();
    await page.waitForURL(/claim-form/);
    await page.locator('#hospital-name input:visible').waitFor();
    expect(await page.locator('#hospital-name input:visible').inputValue()).toBe('北京协和医院');
    await context.close();
  });

  it('王经办 on a claim: Back closes the preview and stays on the claim; tapping the photo still closes it too', async () => {
    const { base } = harness;
    const id = await submitClaim(base, await devToken(base, 'zhangsan'), '北京协和医院', 'preview-e2e-review');
    const { context, page } = await harness.newPhone();
    await page.goto(`${base}/#/pages/dev-login/index`);
    await page.locator('#login-reviewer').tap();
    await page.waitForURL(/reviewer\/pages\/queue\/index/);
    await page.locator(`#queue-row-${id}`).tap();
    await page.waitForURL(/reviewer\/pages\/claim\/index/);
    await page.locator('#claim-status').waitFor();
    const claimUrl = page.url();
    await mark(page, '#claim-status');

    await openPreview(page, '#photo-invoice-0');
    await screenshot(page, 'preview-02-reviewer-open');
    await page.goBack();
    await page.locator(preview).waitFor({ state: 'detached' });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(claimUrl);
    await page.locator('#claim-status').waitFor({ state: 'visible' });
    expect(await stillMarked(page, '#claim-status')).toBe(true);

    // Closed by a tap on the photo (as before): the next Back goes to the queue.
    await openPreview(page, '#photo-invoice-0');
    await page.locator(`${preview} taro-swiper-core`).click();
    await page.locator(preview).waitFor({ state: 'detached' });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(claimUrl);
    await page.goBack();
    await page.waitForURL(/reviewer\/pages\/queue\/index/);
    await page.locator(`#queue-row-${id}`).waitFor();
    await context.close();
  });

  it('王经办 at a desk (mouse, 1280 × 800): a click magnifies the receipt where clicked instead of closing it, the wheel zooms, Esc closes (an agency walk could not read the small print)', async () => {
    const { base } = harness;
    const id = await submitClaim(base, await devToken(base, 'zhangsan'), '北京协和医院', 'preview-e2e-desk');
    const context = await harness.browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await page.goto(`${base}/#/pages/dev-login/index`);
    await page.locator('#login-reviewer').click();
    await page.waitForURL(/reviewer\/pages\/queue\/index/);
    await page.locator('#queue-total').waitFor();
    // A new address in the same document: loaded afresh, as the receipts suite does (the router may still be settling:
    // once in CI the claim page stayed hidden behind the queue).
    await page.goto(`${base}/#/reviewer/pages/claim/index?id=${id}`);
    await page.reload();
    await page.locator('#claim-status').waitFor();
    await page.locator('#photo-invoice-0 img').waitFor();
    // The photos in a column of their own beside the claim, on the first screen, and still in view when the reviewer has
    // scrolled to the lines they back (one column was 5,324 px tall at this width, the photos three screens down).
    const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
    const [actions, photos] = [await box('#actions'), await box('#photos')];
    expect(photos.x).toBeGreaterThanOrEqual(actions.x + actions.width);
    expect(photos.y).toBeLessThan(200);
    await page.locator('#line-items').scrollIntoViewIfNeeded();
    const [lines, photosThen] = [await box('#line-items'), await box('#photos')];
    expect(lines.y).toBeLessThan(800);
    expect(photosThen.y).toBeLessThan(200);
    expect(photosThen.y + 200).toBeLessThan(800);
    await screenshot(page, 'preview-03a-desk-two-columns');
    await page.locator('#photo-invoice-0').click();
    const image = page.locator(`${preview} img`).first();
    await image.waitFor();
    await image.click({ position: { x: 40, y: 40 } });
    await page.waitForTimeout(300);
    expect(await page.locator(preview).count()).toBe(1);
    expect(await image.getAttribute('data-zoom')).toBe('2.5');
    await screenshot(page, 'preview-03-desk-zoomed');
    await image.hover({ position: { x: 60, y: 60 } });
    await page.mouse.wheel(0, -200);
    await page.waitForTimeout(200);
    expect(Number(await image.getAttribute('data-zoom'))).toBeGreaterThan(2.5);
    await image.click();
    expect(await image.getAttribute('data-zoom')).toBe('1');
    await page.keyboard.press('Escape');
    await page.locator(preview).waitFor({ state: 'detached' });
    await context.close();
  });
});
