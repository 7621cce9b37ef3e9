/**
 * Issue 10's proof in the H5 build, as a new user would go: 张三 files a 住院 claim (异地已备案) for
 * his mother, picked from his family members — the ledger shown is hers; files with 邮寄, adds the
 * tracking number afterwards on the claim page; a reviewer finds the claim by its 邮寄编号 and
 * registers the originals; 张三 answers a 补件 request in the page and the claim goes back to review;
 * withdraws it; resumes a draft on a second device (fresh browser profile) without retyping personal
 * data; goes from the success page to 首页 in one tap; reminders appear as cards with the clock moved
 * forward, once each; removes a family member from 我的 → 家庭成员 after a confirmation naming them,
 * and is told why his mother (named by claims in progress) stays. No screen of these tests shows
 * 错误码. Screenshots in test-artifacts/family-*.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { checklistOf } from '../../src/core/contracts/claim';
import type { PersonView } from '../../src/core/contracts/persons';
import type { NotificationDoc } from '../../server/notifications/outbox';
import type { Clock } from '../../server/ports';
import { createLocalCloud, type LocalCloud } from '../../server/local/server';
import { bankAccount, idNumber, validForm, requiredMaterialIds } from '../support/fixtures';
import { tempDir } from '../support/ports';
import { childStoreEnv } from '../support/testStore';
import { artifactsDir, input, loginAs, onScreen, pageSettled, pastRightEdge, watchPageErrors } from './browser';
import { materialPhoto, receiptJpeg } from './claimant/photos';
import { answerGuide, choosePhotos, shanghaiDaysAgo, type, waitUploaded } from './claimant/steps';
import { callFn, devToken, loadedClaim, loadedForSettle, ok, uploadEach } from './review/api';

/** The server's clock: the real time, moved forward on demand (reminders). */
class MovableClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advanceDays(days: number): void {
    this.offsetMs += days * 86_400_000;
  }
}

const clock = new MovableClock();
let cloud: LocalCloud;
let browser: Browser;
let base: string;
let pageErrors: { check(): void } | undefined;

beforeAll(async () => {
  const staticDir = path.resolve(__dirname, '..', '..', process.env.STATIC_DIR ?? 'dist-h5');
  if (!existsSync(path.join(staticDir, 'index.html'))) throw new Error('dist-h5 missing: run `npm run build:h5` first');
  mkdirSync(artifactsDir, { recursive: true });
  cloud = await createLocalCloud({
    dataDir: tempDir('yb-e2e-family-'),
    storeEnv: await childStoreEnv(),
    staticDir,
    devLogin: true,
    clock,
    notifyIntervalMs: 0,
    log: (line) => console.error(line),
  });
  await new Promise<void>((resolve) => cloud.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(cloud.server.address() as AddressInfo).port}`;
  const executablePath = process.env.CHROMIUM_PATH ?? execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  pageErrors = watchPageErrors(browser);
});

afterAll(async () => {
  await browser?.close();
  cloud?.server.closeAllConnections();
  // The server, the outbox loop and the store (it left the store open, and jest waited on it after the last test).
  await cloud?.close();
  pageErrors?.check();
});

/** A fresh phone: its own browser profile (storage), as a second device is. */
async function phone(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return context.newPage();
}

/** A screenshot after the page has settled; no screen may show an error code. */
async function shot(page: Page, name: string): Promise<void> {
  await pageSettled(page);
  await page.screenshot({ path: path.join(artifactsDir, `family-${name}.png`), fullPage: true });
  expect(await page.locator('body').innerText()).not.toContain('错误码');
}

/** What it takes a person: taps, typed fields and photos (counted on the 住院 异地已备案 path). */
const effort = { taps: 0, typed: 0, photos: 0 };
async function tap(page: Page, selector: string): Promise<void> {
  await page.locator(selector).tap();
  effort.taps += 1;
}
async function typeIn(page: Page, id: string, value: string): Promise<void> {
  await type(page, id, value);
  effort.typed += 1;
}
async function photo(page: Page, material: string, file: string): Promise<void> {
  await choosePhotos(page, `${material}-album`, [file]);
  effort.taps += 1;
  effort.photos += 1;
  await waitUploaded(page, material, 1);
}

const motherId = idNumber('19550302', '224');
const mother = {
  relation: 'parent' as const,
  name: '王秀英',
  idNumber: motherId,
  insuranceType: 'employee' as const,
  retired: true,
  region: '210200',
  payout: { bankName: '中国银行大连分行', accountNumber: bankAccount },
  phone: '13911112222',
};

async function settleEarlierClaimOf(token: string, reviewer: string, person: PersonView): Promise<void> {
  const form = validForm({
    personId: person.id,
    insured: {
      relation: 'relative',
      name: person.name,
      idNumber: person.idNumber,
      insuranceType: 'employee',
      retired: true,
      region: '210200',
    },
    payout: { bankName: person.payout!.bankName, accountNumber: person.payout!.accountNumber, holderName: person.name },
    phone: person.phone!,
    // An earlier stay: its 起付线 (per year in 大连 职工) is used, so her next stay's figure depends on her ledger.
    guide: { scenario: 'outOfRegion', outOfRegionKind: 'filed', visitKind: 'inpatient' },
    visit: { admissionDate: shanghaiDaysAgo(30), dischargeDate: shanghaiDaysAgo(25) },
    originals: { method: 'inPerson' },
  });
  const required = requiredMaterialIds(form);
  const { id } = await ok<{ id: string }>(
    base,
    token,
    'claims',
    'submit',
    { form: { ...form, materials: await uploadEach(base, token, required, 'earlier') } },
    'request-earlier-claim',
  );
  const step = async (action: string, payload: Record<string, unknown>, expectedStatus: string) =>
    ok(base, reviewer, 'review', action, {
      ...(await (action === 'settle' ? loadedForSettle : loadedClaim)(base, reviewer, id)),
      expectedStatus,
      ...payload,
    });
  await step('decide', { action: 'passPreliminary' }, 'submitted');
  await step('decide', { action: 'passReview' }, 'preliminaryPassed');
  await step('receiveOriginals', {}, 'reviewPassed');
  await step('settle', {}, 'reviewPassed');
}

describe('family members, originals after filing, no dead ends, reminders', () => {
  let claimId = '';
  let mailCode = '';
  let zhangsan = '';
  let reviewerToken = '';

  it('张三 files a 住院 claim for his mother picked from his family: her ledger, 邮寄, tracking number afterwards, 邮寄编号 found by the reviewer, home in one tap', async () => {
    zhangsan = await devToken(base, 'zhangsan');
    reviewerToken = await devToken(base, 'reviewer');
    const saved = await ok<PersonView>(base, zhangsan, 'claims', 'savePerson', mother);
    await settleEarlierClaimOf(zhangsan, reviewerToken, saved);

    const photos = path.join(artifactsDir, 'family-photos');
    const receipt = await receiptJpeg(photos, 'inpatient-receipt.jpg', [
      '北京协和医院 住院收费票据',
      '床位费 2400.00',
      '合计 12000.00 元',
    ]);

    const page = await phone();
    await loginAs(page, base, 'zhangsan');
    await page.locator('#large-type-offer').waitFor();
    await shot(page, '01-home-large-type-offer');
    await page.locator('#large-type-no').tap();

    // ---- counted: the 住院 异地已备案 path, from 我要报销 to 提交
    await tap(page, '#start-claim');
    await page.locator('#guide-question-scenario').waitFor();
    for (const [question, value] of [
      ['scenario', 'outOfRegion'],
      ['outOfRegionKind', 'filed'],
      ['visitKind', 'inpatient'],
    ] as const)
      await tap(page, `#guide-${question}-${value}`);
    await page.locator('#guide-outcome').waitFor();
    await tap(page, '#guide-next');
    await page.waitForURL(/claim-form/);
    await page.locator('.taro-navigation-bar-title', { hasText: '填写报销信息' }).first().waitFor(); // H5 shows the page title
    await tap(page, `#person-${saved.id}`);
    await page.locator('#insured-id').getByText(saved.idNumber).waitFor();
    expect(await input(page, 'insured-name').inputValue()).toBe('王秀英');
    await page.locator('#account-number').getByText('6222 **** **** 3445').waitFor();
    await typeIn(page, 'hospital-name', '北京协和医院');
    await tap(page, '#level-3');
    await typeIn(page, 'admission-date', shanghaiDaysAgo(15));
    await typeIn(page, 'discharge-date', shanghaiDaysAgo(8));
    await typeIn(page, 'item-name-0', '住院费用');
    await typeIn(page, 'item-amount-0', '12000');
    await tap(page, '#originals-mail');
    await page.locator('#form-estimate-fund').waitFor();
    // One figure on 填写, 预估 and 确认提交, each with her year so far (a walk: 填写 and 确认提交 left the year out and said
    // 0.00 元 where 预估 and the filed claim said 120.00 元).
    const yuanIn = async (selector: string): Promise<string> => {
      await page.waitForFunction((css) => /\d+\.\d{2}/.test(document.querySelector(css)?.textContent ?? ''), selector);
      return /[\d,]+\.\d{2}/.exec((await page.locator(selector).textContent()) ?? '')![0];
    };
    const formFund = await yuanIn('#form-estimate-fund');
    await shot(page, '02-form-family-member');
    await tap(page, '#form-next');

    await page.waitForURL(/claim-materials/);
    const guide = {
      scenario: 'outOfRegion' as const,
      outOfRegionKind: 'filed' as const,
      visitKind: 'inpatient' as const,
    };
    const required = checklistOf({ guide, insured: { relation: 'relative' } as never, electronicInvoice: false }, true)
      .filter((item) => item.required)
      .map((item) => item.id);
    expect(required).toContain('agentAuthorization'); // 代办: asked for because the filer is not the insured
    for (const material of required)
      await photo(page, material, material === 'invoice' ? receipt : await materialPhoto(photos, material));
    await shot(page, '03-materials');
    await tap(page, '#materials-next');

    await page.waitForURL(/claim-estimate/);
    const ledger = page.locator('#estimate-ledger');
    // The ledger of the stay's year: 今年, or (in the first days of January) the year before by its number.
    const stayYear = shanghaiDaysAgo(8).slice(0, 4);
    const yearWords = stayYear === shanghaiDaysAgo(0).slice(0, 4) ? '今年' : `${stayYear} 年`;
    await ledger.getByText(`王秀英${yearWords}已经报过的`).waitFor();
    await ledger.getByText(`${yearWords}已用起付线`).waitFor();
    expect(await yuanIn('#estimate-fund')).toBe(formFund);
    // What the fund paid for her earlier stay (it showed 0.00 元: the page summed the capped benefits only).
    expect(await yuanIn('#estimate-ledger-paid')).not.toBe('0.00');
    await shot(page, '04-estimate-mother-ledger');
    await tap(page, '#estimate-next');

    await page.waitForURL(/claim-confirm/);
    expect(await yuanIn('#confirm-estimate')).toBe(formFund);
    await tap(page, '#declaration');
    await shot(page, '05-confirm');
    await tap(page, '#submit-claim');
    // ---- end of the counted path
    await page.waitForURL(/claim-detail/);
    await page.locator('#submitted-notice').waitFor();
    console.log(
      `住院 异地已备案, family member picked: ${effort.taps} taps, ${effort.typed} typed fields, ${effort.photos} photos`,
    );
    expect(effort).toEqual({ taps: 13 + required.length, typed: 5, photos: required.length });

    await page.locator('#detail-originals-tag').getByText('待交纸质原件').waitFor();
    mailCode = (await page.locator('#mail-code').innerText()).trim();
    expect(mailCode).toMatch(/^YB[2-9A-HJ-NP-Z]{6}$/);
    claimId = new URL(page.url().replace('#/', '')).searchParams.get('id') ?? '';
    // The 申请编号 she reads out when she calls the agency.
    const claimNumber = (await page.locator('#detail-claim-number').innerText()).trim();
    expect(claimNumber).toMatch(/^YB[0-9A-Z]{10}$/);
    await shot(page, '06-submitted-mail-code');
    // On a 320 px phone (iPhone SE 1st gen, many older Androids) nothing is cut and nothing scrolls sideways.
    await page.setViewportSize({ width: 320, height: 640 });
    await page.waitForTimeout(300);
    expect(await pastRightEdge(page)).toEqual([]);
    await shot(page, '06b-mail-code-320px');
    await page.setViewportSize({ width: 390, height: 844 });

    await type(page, 'tracking-number', 'SF1234567890');
    await page.locator('#originals-save').tap();
    await page.locator('#originals-sent').getByText('快递单号 SF1234567890').waitFor();
    expect(await page.locator('#detail-originals-tag').count()).toBe(0);
    await shot(page, '07-tracking-number-added');

    // From the success page to 首页: one tap.
    await page.locator('#home-bar-home').tap();
    await page.waitForURL(/pages\/index\/index/);
    await page.locator('#start-claim').waitFor();
    await shot(page, '08-home-in-one-tap');

    // The reviewer holds the envelope: finds the claim by its 邮寄编号 and registers the originals.
    const desk = await phone();
    await desk.goto(`${base}/#/pages/dev-login/index`);
    await desk.locator('#login-reviewer').tap();
    await desk.waitForURL(/reviewer\/pages\/queue/);
    await type(desk, 'queue-search', mailCode.toLowerCase());
    await desk.locator('#queue-search-go').tap();
    await desk.waitForURL(/reviewer\/pages\/claim/);
    await desk.locator('#action-receiveOriginals').tap();
    await desk.locator('#confirm-receiveOriginals-ok').tap();
    await desk.locator('#action-receiveOriginals').waitFor({ state: 'detached' });
    await shot(desk, '09-reviewer-originals-registered');
    const history = await desk.locator('body').innerText();
    expect(history).not.toContain('dev-openid');
    expect(history).toMatch(/\d{4}-\d{2}-\d{2} 起施行/);

    // She calls: the desk finds the claim by the 申请编号 she reads out, and by her mother's name; a typo is said.
    await desk.locator('#back-to-queue').tap();
    await desk.waitForURL(/reviewer\/pages\/queue/);
    await type(desk, 'queue-search', ` ${claimNumber.slice(0, 6).toLowerCase()} ${claimNumber.slice(6)} `);
    await desk.locator('#queue-search-go').tap();
    await desk.locator(`#queue-row-${claimId}`).waitFor();
    await desk
      .locator('#queue-total')
      .getByText(`查找「${claimNumber.slice(0, 6).toLowerCase()}`)
      .waitFor();
    expect(await desk.locator('#queue-total').innerText()).toContain('找到 1 件');
    // Enter searches as 查找 does (a desk walk pressed Enter and nothing happened).
    await type(desk, 'queue-search', '王秀英');
    await input(desk, 'queue-search').press('Enter');
    await desk.locator('#queue-total').getByText('查找「王秀英」').waitFor();
    await desk.locator(`#queue-row-${claimId}`).waitFor();
    await shot(desk, '09b-reviewer-found-by-name');
    await type(desk, 'queue-search', '21020219550302224');
    await desk.locator('#queue-search-go').tap();
    await desk.locator('#queue-search-problem').getByText('身份证号应为 18 位，现在是 17 位').waitFor();
    await desk.locator('#queue-search-clear').tap();
    await desk.locator('#queue-tab-clean').waitFor();
    expect(await desk.locator('#queue-search-clear').count()).toBe(0);

    await page.goto(`${base}/#/claimant/pages/claim-detail/index?id=${claimId}`);
    await page.locator('#originals-received').waitFor();
  });

  it('张三 answers a 补件 request in the page (the claim goes back to review), then withdraws the claim after a confirmation', async () => {
    // The invoice photo is sent back to be taken again (退回重拍): the page shows it.
    const sentBack = (
      await ok<{ photos: Array<{ fileID: string; materialId: string }> }>(base, reviewerToken, 'review', 'get', {
        id: claimId,
      })
    ).photos.find((photo) => photo.materialId === 'invoice')!.fileID;
    await ok(base, reviewerToken, 'review', 'decide', {
      ...(await loadedClaim(base, reviewerToken, claimId)),
      expectedStatus: 'submitted',
      action: 'requestSupplement',
      reasonCode: 'diagnosisMissing',
      materials: ['diagnosis', 'invoice'],
      retakePhotos: [sentBack],
    });
    const photos = path.join(artifactsDir, 'family-photos');
    mkdirSync(photos, { recursive: true });
    const page = await phone();
    await loginAs(page, base, 'zhangsan');
    await page.locator('#large-type-no').tap();
    await page.goto(`${base}/#/claimant/pages/claim-detail/index?id=${claimId}`);
    await page.locator('#detail-status').getByText('待补件').waitFor();
    await page.locator('#retake-notice').getByText('经办人员退回了 1 张照片').waitFor();
    await page.locator('#retake-photo-0 img').waitFor();
    // Sent with nothing chosen: the sentence appears where the person is looking, next to the button.
    await page.locator('#answer-supplement').tap();
    await page.locator('#supplement-error').getByText('还缺少：诊断证明').waitFor();
    expect(await onScreen(page, '#supplement-error')).toBe(true);
    await shot(page, '10-supplement-missing');
    // A PDF (an 电子票据 as downloaded) is not silently ignored: the page says what to do instead.
    const pdf = path.join(photos, 'e-invoice.pdf');
    writeFileSync(pdf, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    await choosePhotos(page, 'diagnosis-album', [pdf]);
    await page.locator('#material-diagnosis').getByText('有 1 个文件不是照片（例如 PDF），没有添加').waitFor();
    expect(await page.locator('#material-diagnosis [data-state]').count()).toBe(0);
    await choosePhotos(page, 'diagnosis-album', [
      await receiptJpeg(photos, 'diagnosis-2.jpg', ['诊断证明', '（补件）']),
    ]);
    await waitUploaded(page, 'diagnosis', 1);
    const reshot = await receiptJpeg(photos, 'invoice-reshot.jpg', ['门诊收费票据', '合计 1,330.50', '（重拍）']);
    await choosePhotos(page, 'invoice-album', [reshot]);
    await waitUploaded(page, 'invoice', 1);
    await shot(page, '10-supplement');
    // Photos sent cannot be taken back: the page asks first, naming what goes.
    await page.locator('#answer-supplement').tap();
    await page
      .locator('.taro-modal__content:visible')
      .getByText(/将提交：诊断证明、.*，共 2 张照片/)
      .waitFor();
    await page.locator('.taro-model__cancel:visible').tap();
    expect(await page.locator('#detail-status').getByText('待补件').count()).toBe(1);
    await page.locator('#answer-supplement').tap();
    await page.locator('.taro-model__confirm:visible').tap();
    await page.locator('#detail-status').getByText('已提交，待初审').waitFor();
    // The progress says the materials came in, not only 初审 正在办理 again (a walk).
    await page.locator('#detail-timeline').getByText('已补交材料').waitFor();
    await shot(page, '11-supplement-answered');
    // The new receipt was read before it went (a walk: 补件 receipts reached the reviewer unread).
    const answered = await ok<{
      receipts: Array<{ fileID: string; reading: unknown }>;
      photos: Array<{ fileID: string; materialId: string }>;
    }>(base, reviewerToken, 'review', 'get', { id: claimId });
    const newInvoice = answered.photos.find((photo) => photo.materialId === 'invoice')!.fileID;
    expect(newInvoice).not.toBe(sentBack);
    expect(answered.receipts.find((receipt) => receipt.fileID === newInvoice)?.reading).not.toBeNull();

    await page.locator('#withdraw-claim').tap();
    await page.locator('.taro-model__confirm').tap();
    await page.locator('#detail-status').getByText('已撤回').waitFor();
    await shot(page, '12-withdrawn');
    // The page opened right after 提交 (its address says so) and withdrawn there: no 提交成功 above 已撤回 (a walk).
    await page.goto(`${base}/#/claimant/pages/claim-detail/index?id=${claimId}&submitted=1`);
    await page.reload();
    await page.locator('#detail-status').getByText('已撤回').waitFor();
    expect(await page.locator('#submitted-notice').count()).toBe(0);

    // 重新提交一份: the withdrawn claim's form and photos in a new draft, at 填写 (a walk chose every photo again).
    const withdrawn = await ok<{ form: { hospital: { name: string } }; materials: Record<string, string[]> }>(
      base,
      zhangsan,
      'claims',
      'get',
      { id: claimId },
    );
    await page.locator('#refile-claim').tap();
    await page.waitForURL(/claim-form/);
    expect(await input(page, 'hospital-name').inputValue()).toBe(withdrawn.form.hospital.name);
    await page.locator('#form-next').tap();
    await page.waitForURL(/claim-materials/);
    for (const [material, files] of Object.entries(withdrawn.materials))
      await waitUploaded(page, material, files.length);
    await shot(page, '12b-refiled-materials');
    expect((await ok<{ status: string }>(base, zhangsan, 'claims', 'get', { id: claimId })).status).toBe('withdrawn');
    // Back on the withdrawn claim: it names its copy instead of offering a second one.
    await page.goto(`${base}/#/claimant/pages/claim-detail/index?id=${claimId}`);
    await page.locator('#refiled-card').getByText('已经用这份申请新建了一份草稿').waitFor();
    expect(await page.locator('#refile-claim').count()).toBe(0);
    await page.locator('#open-refiled').tap();
    await page.waitForURL(/claim-materials|claim-form/);
  });

  /** On a fresh phone, 张三 starts a filed out-of-region 住院 claim for his saved person and fills the form up to 上传材料. */
  async function inpatientDraftToMaterials(
    hospitalName: string,
    admittedDaysAgo: number,
    dischargedDaysAgo: number,
    amountYuan: string,
  ): Promise<{ page: Page; saved: PersonView }> {
    const page = await phone();
    await loginAs(page, base, 'zhangsan');
    await page.locator('#large-type-no').tap();
    await page.locator('#start-claim').tap();
    await answerGuide(page, [
      ['scenario', 'outOfRegion'],
      ['outOfRegionKind', 'filed'],
      ['visitKind', 'inpatient'],
    ]);
    await page.locator('#guide-next').tap();
    await page.waitForURL(/claim-form/);
    const [saved] = (await ok<{ items: PersonView[] }>(base, zhangsan, 'claims', 'listPersons', {})).items;
    await page.locator(`#person-${saved!.id}`).tap();
    await type(page, 'hospital-name', hospitalName);
    await page.locator('#level-3').tap();
    await type(page, 'admission-date', shanghaiDaysAgo(admittedDaysAgo));
    await type(page, 'discharge-date', shanghaiDaysAgo(dischargedDaysAgo));
    await type(page, 'item-name-0', '住院费用');
    await type(page, 'item-amount-0', amountYuan);
    await page.locator('#originals-inPerson').tap();
    await page.locator('#form-next').tap();
    await page.waitForURL(/claim-materials/);
    return { page, saved: saved! };
  }

  it('a draft begun on one phone is resumed on another (fresh profile) without retyping personal data, its photos with it', async () => {
    const invoicePhoto = await receiptJpeg(path.join(artifactsDir, 'family-photos'), 'resumed-invoice.jpg', [
      '大连医科大学附属第一医院 住院收费票据',
      '合计 8000.00 元',
    ]);
    const { page: first, saved } = await inpatientDraftToMaterials('大连医科大学附属第一医院', 12, 5, '8000');
    await choosePhotos(first, 'invoice-album', [invoicePhoto]);
    await waitUploaded(first, 'invoice', 1);
    await first.locator('#draft-sync:visible').getByText('已保存，下次打开可继续').waitFor({ timeout: 15_000 });
    const token = await devToken(base, 'zhangsan');
    const mine = await ok<{ items: Array<{ id: string; status: string }> }>(base, token, 'claims', 'listMine', {});
    const draftId = mine.items.find((claim) => claim.status === 'draft')!.id;
    const savedMaterials = async () =>
      (await ok<{ materials: Record<string, string[]> }>(base, token, 'claims', 'get', { id: draftId })).materials;
    const uploadedFirst = await savedMaterials();
    expect(uploadedFirst.invoice).toHaveLength(1);

    const second = await phone();
    await loginAs(second, base, 'zhangsan');
    await second.locator('#large-type-no').tap();
    // 首页 offers the draft saved on the server before 我要报销 (a walk: only 我要报销 was there on a new phone).
    await second.locator('#home-server-drafts', { hasText: '没填完的申请已保存' }).waitFor();
    await second.locator('#home-server-drafts-open').tap();
    await second.waitForURL(/pages\/claims\/index/);
    await second.locator('.claim-card').getByText('大连医科大学附属第一医院').tap();
    // It opens where the first phone left it, the photo taken there shown from the cloud.
    await second.waitForURL(/claim-materials/);
    await waitUploaded(second, 'invoice', 1);
    await second.locator('#material-invoice img').first().waitFor();
    await shot(second, '13-second-device-resumed-photos');
    // A step done opens again from the steps (a walk: a resumed draft had no way back to 选择情况 but 重新开始), its
    // answers kept; 下一步 goes on from there.
    await second.locator('#steps-guide:visible').tap();
    await second.waitForURL(/claim-new/);
    await second.locator('#guide-outcome').waitFor();
    await second.locator('#guide-next').tap();
    await second.waitForURL(/claim-form/);
    await second.goto(`${base}/#/claimant/pages/claim-form/index`);
    // The page the address opens replaces the one 下一步 opened: for a moment both are in the document.
    await second.waitForFunction(() => document.querySelectorAll('#insured-id').length === 1);
    await second.locator('#insured-id').getByText(saved.idNumber).waitFor();
    await second.locator('#account-number').getByText('6222 **** **** 3445').waitFor();
    expect(await input(second, 'hospital-name').inputValue()).toBe('大连医科大学附属第一医院');
    await shot(second, '13-second-device-resumed');
    // Offline, a change stays on the phone; back online, it is saved at once, not at the next retry 15 s later (a
    // walk: 网络不太好 stayed on screen while the server answered again).
    await second.context().setOffline(true);
    await type(second, 'hospital-name', '大连医科大学附属第一医院（离线时改的）');
    await second.locator('#draft-sync:visible').getByText('网络不太好').waitFor({ timeout: 10_000 });
    await second.context().setOffline(false);
    await second.locator('#draft-sync:visible').getByText('已保存，下次打开可继续').waitFor({ timeout: 5_000 });
    // A change made here is saved with the photo still named (the server copy is not emptied).
    await type(second, 'hospital-name', '大连医科大学附属第一医院（中山路院区）');
    await second.locator('#form-next').tap();
    await second.waitForURL(/claim-materials/);
    expect(await second.locator('#form-errors').count()).toBe(0);
    await waitUploaded(second, 'invoice', 1);
    await second.locator('#draft-sync:visible').getByText('已保存，下次打开可继续').waitFor({ timeout: 15_000 });
    expect(
      (await ok<{ form: { hospital: { name: string } } }>(base, token, 'claims', 'get', { id: draftId })).form.hospital
        .name,
    ).toBe('大连医科大学附属第一医院（中山路院区）');
    expect(await savedMaterials()).toEqual(uploadedFirst);

    // 重新开始一份报销 asks first; cancelled, the draft is still there; confirmed, it waits in 我的报销.
    await second.goto(`${base}/#/pages/index/index`);
    await second.locator('#draft-in-progress').waitFor();
    await second.locator('#start-claim').tap();
    await second.locator('.taro-modal__content').getByText('中山路院区').waitFor();
    await shot(second, '13c-start-again-asks');
    await second.locator('.taro-model__cancel').tap();
    await second.locator('#draft-in-progress').waitFor();
    expect(second.url()).toMatch(/pages\/index/);
    await second.locator('#start-claim').tap();
    await second.locator('.taro-model__confirm').tap();
    await second.waitForURL(/claim-new/);
    await second.goto(`${base}/#/pages/claims/index`);
    await second.locator('.claim-card').getByText('中山路院区').waitFor();
    expect(await savedMaterials()).toEqual(uploadedFirst);
  });

  it('a draft whose photo is still on its way is not put aside: 重新开始 and opening another draft say to wait, and the photo reaches the server', async () => {
    const heldPhoto = await receiptJpeg(path.join(artifactsDir, 'family-photos'), 'held-invoice.jpg', [
      '大连市中心医院 住院收费票据',
      '合计 3000.00 元',
    ]);
    const token = await devToken(base, 'zhangsan');
    const other = await ok<{ id: string }>(
      base,
      token,
      'claims',
      'saveDraft',
      {
        form: {
          guide: { scenario: 'outOfRegion', outOfRegionKind: 'filed', visitKind: 'inpatient' },
          hospital: { name: '大连市第三人民医院' },
        },
      },
      'request-other-draft-to-open',
    );
    const { page } = await inpatientDraftToMaterials('大连市中心医院', 9, 4, '3000');
    await page.locator('#draft-sync:visible').getByText('已保存，下次打开可继续').waitFor({ timeout: 15_000 });
    const mine = await ok<{ items: Array<{ id: string; status: string; title: string }> }>(
      base,
      token,
      'claims',
      'listMine',
      {},
    );
    const draftId = mine.items.find((claim) => claim.status === 'draft' && claim.title.includes('大连市中心医院'))!.id;

    // The photo's upload is held (a slow network): it stays on its way until released.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) => url.pathname === '/api/files' && url.searchParams.has('name'),
      async (route) => {
        await released;
        await route.continue();
      },
    );
    await choosePhotos(page, 'invoice-album', [heldPhoto]);
    await page
      .locator('#material-invoice')
      .getByText(/上传中|等待上传/)
      .first()
      .waitFor();

    // 重新开始 from 首页 (reached in the app: a reload would drop the photo not yet uploaded) says to wait.
    await page.locator('#home-bar-home:visible').tap();
    await page.locator('#draft-in-progress').waitFor();
    await page.locator('#start-claim').tap();
    const dialog = page.locator('.taro-modal__content:visible');
    await dialog.getByText('还有 1 张照片没有传上去').waitFor();
    await shot(page, '13d-start-again-waits-for-photo');
    await page.locator('.taro-model__confirm:visible').tap();
    expect(page.url()).toMatch(/pages\/index/);
    await page.locator('#draft-in-progress').getByText('大连市中心医院').waitFor();

    // So does opening another draft from 我的报销.
    await page.locator('.weui-tabbar__label', { hasText: '我的报销' }).tap();
    await page.locator('.claim-card').getByText('大连市第三人民医院').tap();
    await dialog.getByText('还有 1 张照片没有传上去').waitFor();
    await shot(page, '13e-open-other-waits-for-photo');
    await page.locator('.taro-model__confirm:visible').tap();
    expect(page.url()).toMatch(/pages\/claims/);

    // Once the photo is through, the draft is saved with it and the other one opens.
    release();
    await page.locator('.weui-tabbar__label', { hasText: '首页' }).tap();
    await page.locator('#draft-in-progress').waitFor();
    await page.locator('#continue-claim').tap();
    await page.waitForURL(/claim-materials/);
    await waitUploaded(page, 'invoice', 1);
    await page.locator('#draft-sync:visible').getByText('已保存，下次打开可继续').waitFor({ timeout: 15_000 });
    await page.locator('#home-bar-claims:visible').tap();
    await page.locator('.claim-card').getByText('大连市第三人民医院').tap();
    await page.waitForURL(/claim-(new|form)/);
    const kept = await ok<{ materials: Record<string, string[]> }>(base, token, 'claims', 'get', { id: draftId });
    expect(kept.materials.invoice).toHaveLength(1);
    expect(other.id).not.toBe(draftId);
  });

  it('家庭成员 in 我的: a member is removed only after a confirmation that names them; his mother, named by claims in progress, stays and the page says why', async () => {
    const brother = await ok<PersonView>(base, zhangsan, 'claims', 'savePerson', {
      relation: 'other',
      name: '张四',
      idNumber: idNumber('19850505', '113'),
      region: '210200',
      insuranceType: 'employee',
    });
    const [parent] = (await ok<{ items: PersonView[] }>(base, zhangsan, 'claims', 'listPersons', {})).items.filter(
      (person) => person.name === mother.name,
    );
    const page = await phone();
    await loginAs(page, base, 'zhangsan');
    await page.locator('#large-type-no').tap();
    await page.goto(`${base}/#/pages/me/index`);
    await page.locator('#family-entry').tap();
    await page.waitForURL(/claimant\/pages\/family/);
    const confirmation = page.locator('.taro-modal__text:visible');

    await page.locator(`#family-remove-${brother.id}`).tap();
    await confirmation.getByText(`其他家人 张四（身份证号 ${brother.idNumber}）`).waitFor();
    await shot(page, '16-family-remove-asks');
    await page.locator('.taro-model__cancel:visible').tap();
    await page.locator(`#family-${brother.id}`).waitFor();
    await page.locator(`#family-remove-${brother.id}`).tap();
    await page.locator('.taro-model__confirm:visible').tap();
    await page.locator('#family-notice').getByText('已删除其他家人 张四').waitFor();
    await page.locator(`#family-${brother.id}`).waitFor({ state: 'detached' });

    await page.locator(`#family-remove-${parent!.id}`).tap();
    await confirmation.getByText(`王秀英（身份证号 ${parent!.idNumber}）`).waitFor();
    await page.locator('.taro-model__confirm:visible').tap();
    await page
      .locator('[role="alert"]')
      .getByText(/王秀英还有 \d 份报销申请（含草稿）没有办完，办完或撤回后才能删除/)
      .waitFor();
    await page.locator(`#family-${parent!.id}`).waitFor();
    await shot(page, '17-family-in-use');
    // The page says how a member is added, and starts a claim for one.
    await page.locator('#family-add').getByText('＋ 新增家庭成员').waitFor();
    await page.locator('#family-add-claim').tap();
    await page.waitForURL(/claim-new/);
  });

  it('reminders appear as cards when the clock moves forward — once each, however often the timer runs', async () => {
    // A draft discharged 70 days ago (90-day window: 20 days left), a claim whose originals are not sent, a 补件 waiting.
    await ok(
      base,
      zhangsan,
      'claims',
      'saveDraft',
      {
        form: {
          guide: { scenario: 'outOfRegion', outOfRegionKind: 'filed', visitKind: 'inpatient' },
          insured: { region: '210200', insuranceType: 'employee' },
          hospital: { name: '中国医科大学附属盛京医院' },
          visit: { admissionDate: shanghaiDaysAgo(76), dischargeDate: shanghaiDaysAgo(70) },
        },
      },
      'request-reminder-draft',
    );
    const lisi = await devToken(base, 'lisi');
    const form = validForm({
      insured: {
        relation: 'self',
        name: '李四',
        idNumber: idNumber('19700505', '331'),
        insuranceType: 'employee',
        retired: false,
        region: '210200',
      },
      payout: { bankName: '中国银行', accountNumber: bankAccount, holderName: '李四' },
      visit: { visitDate: shanghaiDaysAgo(9) },
      originals: { method: 'mail' },
    });
    const required = requiredMaterialIds(form);
    const { id: notSent } = await ok<{ id: string }>(
      base,
      lisi,
      'claims',
      'submit',
      { form: { ...form, materials: await uploadEach(base, lisi, required, 'reminder') } },
      'request-reminder-claim',
    );
    await ok(base, reviewerToken, 'review', 'decide', {
      ...(await loadedClaim(base, reviewerToken, notSent)),
      expectedStatus: 'submitted',
      action: 'requestSupplement',
      reasonCode: 'invoiceUnclear',
      materials: ['invoice'],
    });

    await cloud.drainNotifications();
    clock.advanceDays(15);
    await cloud.drainNotifications();
    await cloud.drainNotifications();

    const page = await phone();
    await loginAs(page, base, 'zhangsan');
    await page.goto(`${base}/#/pages/messages/index`);
    const card = (on: Page, title: string) => on.locator('[id^="message-"]', { hasText: title }).first();
    await card(page, '申报期限只剩 5 天').waitFor();
    await shot(page, '14-reminder-draft-deadline');
    const other = await phone();
    await loginAs(other, base, 'lisi');
    await other.goto(`${base}/#/pages/messages/index`);
    await card(other, '补充材料还在等您').waitFor();
    await card(other, '纸质原件还没寄出').waitFor();
    await shot(other, '15-reminders-supplement-originals');

    const cards = async (token: string) =>
      (
        await callFn<{ items: Array<{ title: string }> }>(base, token, 'notifications', 'list', { pageSize: 50 })
      ).data?.items.map((card) => card.title) ?? [];
    const once = (titles: string[], title: string) => titles.filter((candidate) => candidate === title).length;
    const zhangsanCards = await cards(await devToken(base, 'zhangsan'));
    const lisiCards = await cards(await devToken(base, 'lisi'));
    expect(once(zhangsanCards, '申报期限只剩 5 天') + once(zhangsanCards, '报销申请还没提交')).toBe(2);
    expect(once(lisiCards, '补充材料还在等您')).toBe(1);
    expect(once(lisiCards, '纸质原件还没寄出')).toBe(1);
  });

  it('消息: every card is reachable past the first page, and 全部标为已读 marks them all, those not yet shown too', async () => {
    const cards = cloud.store.collection<NotificationDoc>('notifications');
    const start = Date.parse('2026-01-05T02:00:00Z');
    for (let index = 0; index < 45; index += 1)
      await cards.insert({
        _id: `e2e-card-${String(index).padStart(2, '0')}`,
        _openid: 'dev-openid-lisi',
        claimId: 'e2e-none',
        seq: index + 1,
        status: 'submitted',
        title: `旧消息 ${index + 1}`,
        body: '已受理',
        amountFen: null,
        createdAt: new Date(start + index * 60_000).toISOString(),
        read: false,
      });
    const page = await phone();
    await loginAs(page, base, 'lisi');
    await page.goto(`${base}/#/pages/messages/index`);
    const more = page.locator('#messages-more');
    await more.waitFor();
    expect(await more.textContent()).toMatch(/显示更早的消息（还有 \d+ 条）/);
    while (await more.isVisible()) {
      await more.click();
      await page.waitForTimeout(300);
    }
    // The oldest card, two pages down, is on the page.
    await page.locator('#message-e2e-card-00').waitFor();
    const shown = await page.locator('[id^="message-"]').count();
    const total = (await callFn<{ total: number }>(base, await devToken(base, 'lisi'), 'notifications', 'list', {}))
      .data?.total;
    expect(shown).toBe(total);
    await shot(page, '16-messages-all-pages');

    // The page shows every card read at once and asks the server meanwhile: its answer is awaited before the reload (on
    // PostgreSQL the reload came first and found a card still unread).
    const markedAll = page.waitForResponse(
      (response) =>
        response.url().endsWith('/api/fn/notifications') && /"markAllRead"/.test(response.request().postData() ?? ''),
    );
    await page.locator('#mark-all-read').click();
    await page.locator('#mark-all-read').waitFor({ state: 'detached' });
    expect((await (await markedAll).json()) as unknown).toMatchObject({ ok: true });
    // The server marked every card, not just those the page had shown; a fresh load says so.
    await page.reload();
    await page.locator('[id^="message-"]').first().waitFor();
    expect(await page.locator('#mark-all-read').count()).toBe(0);
    expect(await page.locator('[id^="message-"][data-read="false"]').count()).toBe(0);
    expect(
      (await callFn<{ unread: number }>(base, await devToken(base, 'lisi'), 'notifications', 'unreadCount', {})).data,
    ).toEqual({ unread: 0 });
  });

  it('李四 files for her daughter, 8, into her own account: 母亲的账户 chosen, 监护关系证明 asked for, the desk reads whose account it is', async () => {
    const token = await devToken(base, 'lisi');
    const daughter = await ok<PersonView>(base, token, 'claims', 'savePerson', {
      relation: 'child',
      name: '李小雨',
      idNumber: idNumber('20180115', '422'),
      insuranceType: 'resident',
      region: '210200',
    });
    const photos = path.join(artifactsDir, 'family-photos');
    const page = await phone();
    await loginAs(page, base, 'lisi');
    await page.locator('#large-type-no').tap();
    await page.locator('#start-claim').tap();
    await answerGuide(page, [
      ['scenario', 'cardProblem'],
      ['visitKind', 'outpatient'],
    ]);
    await page.locator('#guide-next').tap();
    await page.waitForURL(/claim-form/);
    await page.locator(`#person-${daughter.id}`).tap();
    // A child has no bank card of her own: her mother's, named as such (户名 was fixed to the child's name).
    await page.locator('#payout-holder-kind-mother').tap();
    await type(page, 'payout-holder-input', '李四');
    await type(page, 'bank-name', '中国工商银行大连分行');
    await type(page, 'account-number', bankAccount);
    // Back to her own account: the mother's card goes with the choice (a walk: it stayed under the child's name).
    await page.locator('#payout-holder-kind-own').tap();
    await page.locator('#payout-holder-name').getByText('李小雨').waitFor();
    expect(await input(page, 'account-number').inputValue()).toBe('');
    await page.locator('#payout-holder-kind-mother').tap();
    await type(page, 'payout-holder-input', '李四');
    await type(page, 'bank-name', '中国工商银行大连分行');
    await type(page, 'account-number', bankAccount);
    await type(page, 'phone', '13800138000');
    await type(page, 'hospital-name', '大连市儿童医院');
    await page.locator('#level-3').tap();
    await type(page, 'visit-date', shanghaiDaysAgo(5));
    await type(page, 'item-name-0', '门诊费用');
    await type(page, 'item-amount-0', '860');
    await page.locator('#originals-inPerson').tap();
    await page.locator('#payout-holder-kind-field').scrollIntoViewIfNeeded();
    await shot(page, '20-guardian-account');
    await page.locator('#form-next').tap();

    await page.waitForURL(/claim-materials/);
    const required = checklistOf(
      {
        guide: { scenario: 'cardProblem', visitKind: 'outpatient' },
        insured: { relation: 'relative' } as never,
        electronicInvoice: false,
        payout: { guardianRelation: 'mother' },
      },
      true,
    )
      .filter((item) => item.required)
      .map((item) => item.id);
    expect(required).toContain('guardianProof');
    await page.locator('body').getByText('监护关系证明').first().waitFor();
    const receipt = await receiptJpeg(photos, 'child-receipt.jpg', ['大连市儿童医院 门诊收费票据', '合计 860.00 元']);
    // The 身份证 photo given again as the 监护关系证明: refused at 提交, with the way back to delete it.
    const identityPhoto = await materialPhoto(photos, 'identity');
    for (const material of required)
      await choosePhotos(page, `${material}-album`, [
        material === 'invoice'
          ? receipt
          : material === 'guardianProof'
            ? identityPhoto
            : await materialPhoto(photos, material),
      ]);
    for (const material of required) await waitUploaded(page, material, 1);
    const toConfirm = async (): Promise<void> => {
      await page.locator('#materials-next').tap();
      await page.waitForURL(/claim-estimate/);
      await page.locator('#estimate-next').tap();
      await page.waitForURL(/claim-confirm/);
    };
    await toConfirm();
    expect(await page.locator('#confirm-payout').innerText()).toContain('（母亲 李四 的账户）');
    await page.locator('#declaration').tap();
    await shot(page, '21-guardian-confirm');
    await page.locator('#submit-claim').tap();
    await page.locator('#submit-problem').getByText('是同一张照片').first().waitFor();
    // A way back to the photos (a walk found none for this refusal).
    await page.locator('#submit-problem-materials', { hasText: '删掉重复的照片' }).tap();
    await page.waitForURL(/claim-materials/);
    await page.locator('#photo-remove-guardianProof-0').tap();
    await page.locator('.taro-model__confirm:visible').tap();
    await choosePhotos(page, 'guardianProof-album', [await materialPhoto(photos, 'guardianProof')]);
    await waitUploaded(page, 'guardianProof', 1);
    await toConfirm();
    if (!(await page.locator('#declaration[aria-checked="true"]').count())) await page.locator('#declaration').tap();
    await page.locator('#submit-claim').tap();
    await page.waitForURL(/claim-detail/);
    await page.locator('#submitted-notice').waitFor();
    const claimId = new URL(page.url().replace('#/', '')).searchParams.get('id') ?? '';
    // Where the money goes, from filing on (a walk: said only once paid).
    await page.locator('#detail-payout').getByText('尾号 3445（母亲 李四 的账户）').waitFor();

    const desk = await phone();
    await desk.goto(`${base}/#/pages/dev-login/index`);
    await desk.locator('#login-reviewer').tap();
    await desk.waitForURL(/reviewer\/pages\/queue/);
    await desk.goto(`${base}/#/reviewer/pages/claim/index?id=${claimId}`);
    await desk.reload();
    await desk.locator('#payout-guardian').getByText('参保人的母亲').waitFor();
    await desk.locator('#insured-relation').getByText('子女（代办）').waitFor();
    await shot(desk, '22-guardian-desk');
  });

  it('我的报销: a draft is deleted only after a confirmation, and is gone (a walk: empty drafts piled up, nothing removed them)', async () => {
    const token = await devToken(base, 'lisi');
    const draft = await ok<{ id: string }>(
      base,
      token,
      'claims',
      'saveDraft',
      { form: {}, materials: {} },
      'lisi-empty-draft-1',
    );
    const page = await phone();
    await loginAs(page, base, 'lisi');
    await page.locator('#large-type-no').tap();
    await page.goto(`${base}/#/pages/claims/index`);
    await page.reload();
    const card = page.locator(`#claim-${draft.id}`);
    await card.waitFor();
    await page.locator(`#claim-${draft.id}-delete`).tap();
    await page.locator('.taro-modal__text:visible').getByText('删除后不能恢复').waitFor();
    // The question at 16 px at least, as every page's text (a walk measured 15 px in these dialogs).
    const questionPx = await page
      .locator('.taro-modal__text:visible')
      .evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
    console.log(`confirmation dialog text: ${questionPx} px`);
    expect(questionPx).toBeGreaterThanOrEqual(16);
    await page.locator('.taro-model__cancel:visible').tap();
    // Kept, and the tap on its button did not open it.
    await card.waitFor();
    expect(page.url()).toMatch(/pages\/claims\/index/);
    await page.locator(`#claim-${draft.id}-delete`).tap();
    await page.locator('.taro-model__confirm:visible').tap();
    await page.locator('#claims-notice').getByText('已删除草稿').waitFor();
    await card.waitFor({ state: 'detached' });
    expect((await callFn(base, token, 'claims', 'get', { id: draft.id })).ok).toBe(false);
  });
});
