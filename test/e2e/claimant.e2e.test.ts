/**
 * The claimant's journey in the H5 build, as a new user (张三): an outpatient claim for 异地就医未结算
 * (临时外出，未备案) in 大连 职工 with two real receipt photos; the instant estimate; submission; the
 * claim in 我的报销. Along the way: a reload in the middle of the form keeps everything; an invalid
 * 身份证号 and a missing required material each show their message and block; large type is larger.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { idNumberCheckChar, luhnCheckDigit } from '../../src/core/identity';
import type { NotificationDoc } from '../../server/notifications/outbox';
import {
  artifactsDir,
  input,
  loginAs,
  pageSettled,
  pastRightEdge,
  screenshot as rawScreenshot,
  startHarness,
  textSmallerThan,
  type Harness,
} from './browser';
import { materialPhoto, receiptJpeg } from './claimant/photos';
import { answerGuide, choosePhotos, shanghaiDaysAgo, type, waitUploaded } from './claimant/steps';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

const id17 = '21020219800101123';
const validId = `${id17}${idNumberCheckChar(id17)}`;
const invalidId = `${id17}${idNumberCheckChar(id17) === '0' ? '1' : '0'}`;
const account = `622202020011223344${luhnCheckDigit('622202020011223344')}`;

interface StoredClaim {
  _id: string;
  status: string;
  amountFen: number;
  materials: Record<string, string[]>;
  form: Record<string, unknown>;
  title: string;
}

/** Screenshots after H5's page-slide animation has settled. */
async function screenshot(page: Page, name: string): Promise<void> {
  await pageSettled(page);
  await rawScreenshot(page, name);
}

async function fontSizeOf(page: Page, selector: string): Promise<number> {
  return page
    .locator(`${selector}:visible`)
    .first()
    .evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
}

describe('the claimant journey in the H5 build', () => {
  it('张三 files an out-of-region outpatient claim with photos, sees the estimate, submits and finds it', async () => {
    const photos = path.join(artifactsDir, 'claimant-photos');
    const receiptA = await receiptJpeg(photos, 'receipt-a.jpg', [
      '北京协和医院 门诊收费票据',
      '西药费 1280.50',
      '合计 1280.50 元',
    ]);
    const receiptB = await receiptJpeg(photos, 'receipt-b.jpg', [
      '北京协和医院 门诊收费票据',
      '检查费 300.00',
      '合计 300.00 元',
    ]);
    const visitDate = shanghaiDaysAgo(12);
    const claims = harness.cloud.store.collection<StoredClaim>('claims');

    const { context, page } = await harness.newPhone();
    await loginAs(page, harness.base, 'zhangsan');
    await screenshot(page, 'claimant-01-home');

    // 场景向导
    await page.locator('#start-claim').tap();
    await page.locator('#guide-question-scenario').waitFor();
    await screenshot(page, 'claimant-02-guide-question');
    await answerGuide(page, [
      ['scenario', 'outOfRegion'],
      ['outOfRegionKind', 'temporaryTrip'],
      ['visitKind', 'outpatient'],
    ]);
    await page.getByText('临时外出未备案的报销比例通常会降低').waitFor();
    await screenshot(page, 'claimant-03-guide-outcome');
    await page.locator('#guide-next').tap();

    // 填写: an invalid 身份证号 shows its message as it is typed and blocks going on
    await page.waitForURL(/claim-form/);
    await type(page, 'insured-name', '张三');
    await type(page, 'insured-id', invalidId);
    await page.locator('#insured-id-error').getByText('身份证号校验位不对').waitFor();
    await page.locator('#form-next').tap();
    await page.locator('#form-errors').waitFor();
    expect(page.url()).toMatch(/claim-form/);
    await screenshot(page, 'claimant-04-form-invalid-id');
    await type(page, 'insured-id', validId);
    await page.locator('#insured-id-error').waitFor({ state: 'detached' });

    await page.locator('#region-210200').tap();
    await page.locator('#insurance-employee').tap();
    await type(page, 'hospital-name', '北京协和医院');
    await page.locator('#level-3').tap();
    await type(page, 'visit-date', visitDate);
    await type(page, 'item-name-0', '西药费');
    await type(page, 'item-amount-0', '1280.50');
    await page.locator('#item-add').tap();
    await type(page, 'item-name-1', '检查费');
    // Zeros typed twice: asked to check under the amount, and the form still goes on (a walk: 35,000,000 元 unasked).
    await type(page, 'item-amount-1', '30000000');
    await page.locator('#item-amount-1-warning').getByText('金额很大：请对照票据核对').waitFor();
    await type(page, 'item-amount-1', '300');
    await page.locator('#item-amount-1-warning').waitFor({ state: 'detached' });
    await page.locator('#item-category-1-B').tap();
    await page.getByText('1,580.50 元').waitFor();
    await page.locator('#deadline-note').getByText('就诊后 90 天内提交，还剩').waitFor();
    // A visit past the filing deadline is said under the date too, not only at the top of the page.
    expect(await page.locator('#visit-deadline-warning').count()).toBe(0);
    await type(page, 'visit-date', shanghaiDaysAgo(120));
    await page.locator('#visit-deadline-warning').getByText('已超过申报期限').waitFor();
    await type(page, 'visit-date', visitDate);
    await page.locator('#visit-deadline-warning').waitFor({ state: 'detached' });

    // Reload in the middle of the form: everything typed is still there
    await page.reload();
    await page.waitForURL(/claim-form/);
    await input(page, 'hospital-name').waitFor();
    expect(await input(page, 'insured-name').inputValue()).toBe('张三');
    expect(await input(page, 'insured-id').inputValue()).toBe(validId);
    expect(await input(page, 'hospital-name').inputValue()).toBe('北京协和医院');
    expect(await input(page, 'visit-date').inputValue()).toBe(visitDate);
    expect(await input(page, 'item-amount-0').inputValue()).toBe('1280.50');
    expect(await input(page, 'item-name-1').inputValue()).toBe('检查费');
    expect(await page.locator('#region-210200').getAttribute('aria-checked')).toBe('true');
    expect(await page.locator('#level-3').getAttribute('aria-checked')).toBe('true');
    expect(await page.locator('#item-category-1-B').getAttribute('aria-checked')).toBe('true');

    await type(page, 'bank-name', '中国工商银行大连分行');
    await type(page, 'account-number', account);
    await type(page, 'phone', '13812345678');
    await page.locator('#originals-inPerson').tap();
    await page.locator('#payout-holder-name').getByText('张三').waitFor();
    await page.locator('#form-estimate-fund').waitFor();
    await screenshot(page, 'claimant-05-form');

    // The server draft follows (saveDraft), personal fields sealed
    await page.locator('#draft-sync:visible').getByText('已保存，下次打开可继续').waitFor({ timeout: 15_000 });
    const [draft] = await claims.find({ status: 'draft' });
    expect(draft?.form).toMatchObject({
      hospital: { name: '北京协和医院', level: 3 },
      lineItems: [{ amountFen: 128050 }, { amountFen: 30000, category: 'B' }],
    });
    expect(JSON.stringify(draft?.form)).not.toContain(validId);

    // 材料清单 + 拍照/上传
    await page.locator('#form-next').tap();
    await page.waitForURL(/claim-materials/);
    await page.locator('#material-invoice').getByText('必需').waitFor();
    await page.locator('#material-tripProof').getByText('可选').waitFor();
    await choosePhotos(page, 'invoice-album', [receiptA, receiptB]);
    await waitUploaded(page, 'invoice', 2);

    // A missing required material is named and blocks going on
    await page.locator('#materials-next').tap();
    const missing = page.locator('#materials-missing');
    await missing.getByText('还缺少：费用明细清单、诊断证明、处方、参保人身份证件、收款银行卡').waitFor();
    await page.locator('#material-diagnosis').getByText('请上传诊断证明').waitFor();
    expect(page.url()).toMatch(/claim-materials/);
    await screenshot(page, 'claimant-06-materials-missing');
    // The estimate can be seen before every photo is in (one past the day's upload limit could not be); back again.
    await page.locator('#materials-estimate-first').tap();
    await page.waitForURL(/claim-estimate/);
    await page.goBack();
    await page.waitForURL(/claim-materials/);

    // Photos survive a reload too
    await page.reload();
    await waitUploaded(page, 'invoice', 2);

    for (const material of ['itemizedList', 'diagnosis', 'prescription', 'identity', 'bankAccount']) {
      await choosePhotos(page, `${material}-album`, [await materialPhoto(photos, material)]);
      await waitUploaded(page, material, 1);
    }
    await screenshot(page, 'claimant-07-materials-complete');

    // 预估
    await page.locator('#materials-next').tap();
    await page.waitForURL(/claim-estimate/);
    await page.locator('#estimate-fund').waitFor();
    expect(await page.locator('#estimate-total').textContent()).toBe('1,580.50 元');
    await page.locator('#policy-sample-badge').waitFor();
    await page.locator('#estimate-policy').getByText('大连市 职工医保').waitFor();
    expect(await page.locator('#estimate-trace .trace-step').count()).toBeGreaterThan(2);
    await page.locator('#estimate-ledger').getByText('起付线和年度限额都从头算').waitFor();
    const fundText = (await page.locator('#estimate-fund').textContent()) ?? '';
    await screenshot(page, 'claimant-08-estimate');
    // The H5 navigation bar shows the page's whole title (Taro's own style cut it at four characters: 「预估报…」)
    const title = page.locator('.taro-navigation-bar-title:visible');
    expect(await title.textContent()).toBe('预估报销金额');
    expect(await title.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);

    // 确认提交: the declaration is required
    await page.locator('#estimate-next').tap();
    await page.waitForURL(/claim-confirm/);
    await page.locator('#submit-claim').tap();
    await page.locator('#submit-problem').getByText('请阅读并勾选承诺后再提交').waitFor();
    expect(await claims.count({ status: 'submitted' })).toBe(0);
    await page.locator('#declaration').tap();
    expect(await page.locator('#confirm-estimate').textContent()).toBe(fundText);
    await screenshot(page, 'claimant-09-confirm');
    await page.locator('#submit-claim').tap();

    await page.waitForURL(/claim-detail/);
    await page.locator('#submitted-notice').waitFor();
    await page.locator('#detail-status').getByText('已提交，待初审').waitFor();
    await page.locator('#figure-estimate').waitFor();
    // Whose claim and which visit: a family filing for several people tells its claims apart by these.
    await page.locator('#claim-head').getByText('参保人').waitFor();
    expect(await page.locator('#claim-head').innerText()).toContain(visitDate);
    await screenshot(page, 'claimant-10-detail');

    const submitted = await claims.find({ status: 'submitted' });
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toMatchObject({ amountFen: 158050 });
    expect(submitted[0]!.materials.invoice).toHaveLength(2);
    expect(await claims.count({})).toBe(1); // the draft became the claim: no second record

    // 我的报销
    await page.goto(`${harness.base}/#/pages/claims/index`);
    const card = page.locator(`#claim-${submitted[0]!._id}`);
    await card.getByText('已提交，待初审').waitFor();
    await card.getByText('北京协和医院').waitFor();
    await screenshot(page, 'claimant-11-my-claims');

    // A subscription message sent before the claim pages moved to the subpackage links the old path: it opens the claim
    await page.goto(`${harness.base}/#/pages/claim-detail/index?id=${submitted[0]!._id}`);
    await page.waitForURL(/#\/claimant\/pages\/claim-detail\/index\?id=/);
    await page.locator('#detail-status').getByText('已提交，待初审').waitFor();
    // and a link to a page that never existed opens 首页
    await page.goto(`${harness.base}/#/pages/no-such-page/index`);
    await page.locator('#start-claim:visible').getByText('我要报销').waitFor();

    // 消息 and 帮助 render
    await page.goto(`${harness.base}/#/pages/messages/index`);
    await page.locator('#messages-empty, [id^="message-"]').first().waitFor();
    await screenshot(page, 'claimant-12-messages');
    await page.goto(`${harness.base}/#/claimant/pages/help/index`);
    await page.locator('#help-materials').getByText('医院书面说明（盖章）').waitFor();
    await screenshot(page, 'claimant-13-help');

    // The home page no longer offers a draft to continue
    await page.goto(`${harness.base}/#/pages/index/index`);
    await page.locator('#start-claim').getByText('我要报销').waitFor();
    expect(await page.locator('#draft-in-progress').count()).toBe(0);
    await context.close();
  });

  it("no text under 16 px on the claimant's pages, tab bar and its badge included", async () => {
    // An unread card, so 首页 puts the badge on 消息.
    await harness.cloud.store.collection<NotificationDoc>('notifications').insert({
      _id: 'e2e-font-card',
      _openid: 'dev-openid-lisi',
      claimId: 'e2e-none',
      seq: 1,
      status: 'submitted',
      title: '已受理',
      body: '已受理',
      amountFen: null,
      createdAt: new Date().toISOString(),
      read: false,
    });
    const { context, page } = await harness.newPhone();
    await loginAs(page, harness.base, 'lisi');
    await page.locator('#start-claim:visible').waitFor();
    await page.locator('.taro-tabbar-badge').waitFor();
    await rawScreenshot(page, 'claimant-16-tab-bar-16px');
    const pages = [
      '/pages/index/index',
      '/pages/claims/index',
      '/pages/messages/index',
      '/pages/me/index',
      '/claimant/pages/claim-new/index',
      '/claimant/pages/help/index',
    ];
    const small: string[] = [];
    for (const url of pages) {
      await page.goto(`${harness.base}/#${url}`);
      await page.locator('.page:visible').first().waitFor();
      await page.waitForTimeout(700);
      small.push(...(await textSmallerThan(page)).map((line) => `${url}: ${line}`));
    }
    expect(small).toEqual([]);

    // A 320 px phone: nothing past the edge, and the five steps' labels never break mid-word.
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`${harness.base}/#/claimant/pages/claim-new/index`);
    await page.locator('.steps-item-current').first().waitFor();
    await page.waitForTimeout(700);
    expect(await pastRightEdge(page)).toEqual([]);
    const stepHeights = await page
      .locator('.steps:visible .steps-item')
      .evaluateAll((items) => items.map((item) => item.getBoundingClientRect().height));
    const lineHeight = await page
      .locator('.steps:visible .steps-item-current')
      .evaluate(
        (item) => parseFloat(getComputedStyle(item).lineHeight) || parseFloat(getComputedStyle(item).fontSize) * 1.6,
      );
    for (const height of stepHeights) expect(height).toBeLessThan(lineHeight * 1.9);
    expect(await textSmallerThan(page)).toEqual([]);
    await rawScreenshot(page, 'claimant-17-steps-320px');
    await context.close();
  });

  it('large-type mode (我的 → 大字模式) makes the text of every page larger', async () => {
    const { context, page } = await harness.newPhone();
    await loginAs(page, harness.base, 'lisi');
    await page.locator('#start-claim:visible').getByText('我要报销').waitFor();
    const normal = await fontSizeOf(page, '.page');
    const normalButton = await fontSizeOf(page, '#start-claim');

    await page.goto(`${harness.base}/#/pages/me/index`);
    await page.locator('#large-type-switch').tap();
    await page.waitForFunction(() => document.querySelector('.page.large-type') !== null);
    await screenshot(page, 'claimant-14-me-large-type');

    await page.goto(`${harness.base}/#/pages/index/index`);
    await page.locator('.page.large-type:visible').waitFor();
    expect(await fontSizeOf(page, '.page')).toBeGreaterThan(normal);
    expect(await fontSizeOf(page, '#start-claim')).toBeGreaterThan(normalButton);
    await page.locator('#start-claim').tap();
    await page.locator('.page.large-type #guide-question-scenario').waitFor();
    await screenshot(page, 'claimant-15-guide-large-type');
    await context.close();
  });
});
