/**
 * Policies as operator data, in the H5 build against one running local cloud (no rebuild, no
 * restart): 运维甲 writes a new version of the 大连 职工 sample policy with a raised 门诊 ratio and a
 * faulty field, sees the fault by its path, fixes it, runs its cases, sees the diff and sends it for
 * review; he may not publish it himself; 运维乙 publishes it after a confirmation. A claim filed
 * afterwards is estimated with the new version — by the server and by the app's instant estimate —
 * while the claim filed before keeps the version it was estimated with.
 */
import type { Page } from 'playwright-core';
import { emptyDraft, type ClaimDraftState } from '../../src/core/claimFormDraft';
import { claimSchema, estimate } from '../../src/core/engine';
import { formatYuan } from '../../src/core/money';
import { parsePolicy, samplePolicyById } from '../../src/core/policy';
import { idNumber } from '../support/fixtures';
import { raisedOutpatientVersion, SAMPLE_POLICY, samplePolicyText } from '../support/policyVersions';
import { screenshot, startHarness, type Harness } from './browser';
import { devToken, ok, submitClaim } from './review/api';
import { shanghaiDaysAgo } from './claimant/steps';

const SAMPLE = SAMPLE_POLICY;
const NEW_ID = `${SAMPLE}@2025.2`;

/** The new version as 运维甲 writes it (门诊 三级 60 % → 70 %, one case of its own); `level2` as given. */
function newVersion(level2: unknown): Record<string, unknown> {
  return raisedOutpatientVersion({
    notes: '示例政策：门诊统筹三级医院比例由 60% 调整为 70%（浏览器测试）。',
    outpatient: { ...(samplePolicyText.outpatient as object), ratio: { level1: 8000, level2, level3: 7000 } },
  });
}

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

async function loginOperator(page: Page, base: string, user: 'operator' | 'operator2'): Promise<void> {
  await page.goto(`${base}/#/pages/dev-login/index`);
  await page.locator(`#login-${user}`).tap();
  await page.waitForURL(/pages\/index\/index/);
  await page.locator('#start-claim:visible').waitFor(); // the home page has finished opening
  await page.goto(`${base}/#/pages/me/index`);
  await page.locator('#policies-entry').tap();
  await page.waitForURL(/reviewer\/pages\/policies\/index/);
}

const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);

/** 张三's claim as the app holds it while typing: the same visit as the API's claims (异地临时外出, 门诊, 三级). */
function draftOf(visitDate: string): ClaimDraftState {
  const draft = emptyDraft('policy-e2e-local', 'policy-e2e-submit', Date.now());
  return {
    ...draft,
    step: 'estimate',
    guide: { scenario: 'outOfRegion', outOfRegionKind: 'temporaryTrip', visitKind: 'outpatient' },
    insured: {
      relation: 'self',
      name: '张三',
      idNumber: idNumber(),
      insuranceType: 'employee',
      retired: false,
      region: '210200',
    },
    hospital: { name: '北京协和医院', level: 3 },
    visit: { ...draft.visit, visitDate },
    lineItems: [
      { key: 'a', name: '西药费', yuan: '860', category: 'A' },
      { key: 'b', name: '检查费', yuan: '420.50', category: 'B' },
      { key: 'c', name: '自费材料', yuan: '50', category: 'C' },
    ],
  };
}

/** 张三 starts the app on a new phone with a draft on the device and opens its estimate page: what does it show? */
async function instantEstimate(
  base: string,
  draft: ClaimDraftState,
  shot?: string,
): Promise<{ policy: string; fund: string }> {
  const { context, page } = await harness.newPhone();
  await page.goto(`${base}/#/pages/dev-login/index`);
  await page.locator('#login-zhangsan').tap();
  await page.waitForURL(/pages\/index\/index/);
  await page.locator('#start-claim:visible').waitFor();
  await page.evaluate(
    (value) => localStorage.setItem('claim.draft.current.zhangsan', JSON.stringify({ data: JSON.stringify(value) })),
    draft,
  );
  await page.goto(`${base}/#/claimant/pages/claim-estimate/index`);
  await page.reload(); // a fresh start of the app: the draft module reads the device's storage again
  await page.locator('#estimate-fund').waitFor();
  const shown = {
    policy: (await page.locator('#estimate-policy').innerText()).trim(),
    fund: (await page.locator('#estimate-fund').innerText()).trim(),
  };
  if (shot) await screenshot(page, shot);
  await context.close();
  return shown;
}

describe('policies as operator data in the H5 build', () => {
  it('a new version is written, checked, published by a second operator and used at once; older claims keep theirs', async () => {
    const { base } = harness;
    const zhang = await devToken(base, 'zhangsan');
    const visitDate = shanghaiDaysAgo(10);
    const claim = claimSchema.parse({
      insured: { region: '210200', insuranceType: 'employee' },
      visit: { kind: 'outpatient', hospitalLevel: 3, outOfRegion: true, visitDate },
      lineItems: [
        { name: '西药费', amountFen: 86000, category: 'A' },
        { name: '检查费', amountFen: 42050, category: 'B' },
        { name: '自费材料', amountFen: 5000, category: 'C' },
      ],
    });
    const oldFigure = estimate(claim, samplePolicyById(SAMPLE)!).result;
    const newFigure = estimate(claim, parsePolicy(newVersion(7000))).result;
    expect(newFigure.totalPaid).toBeGreaterThan(oldFigure.totalPaid);

    // Before: a claim filed with the sample (2025.1), and the app estimating with it.
    const before = await submitClaim(base, zhang, '北京协和医院', 'policy-e2e-before');
    const beforeClaim = await ok<{ policy: { version: string }; estimate: { totalPaid: number } }>(
      base,
      zhang,
      'claims',
      'get',
      { id: before },
    );
    expect(beforeClaim).toMatchObject({ policy: { version: '2025.1' }, estimate: { totalPaid: oldFigure.totalPaid } });
    expect(await instantEstimate(base, draftOf(visitDate))).toEqual({
      policy: expect.stringContaining('政策版本 2025.1'),
      fund: formatYuan(oldFigure.totalPaid),
    });

    // ---- 运维甲: a new version from the published one, with a fault ----
    const first = await harness.newPhone();
    const page = first.page;
    await loginOperator(page, base, 'operator');
    await byId(page, `policy-version-${SAMPLE}@2025.1`).getByText('已发布').waitFor();
    await screenshot(page, 'policies-01-list');
    await page.locator(`#policy-copy-${SAMPLE}`).tap();
    await page.waitForURL(/reviewer\/pages\/policy\/index/);
    const editor = page.locator('#policy-json textarea');
    await page.waitForFunction(() =>
      (document.querySelector('#policy-json textarea') as HTMLTextAreaElement | null)?.value.includes(
        '"version": "2025.1"',
      ),
    );
    // The JSON is typed at 16 px at least (an operator walk: the browser's 13.33 px reached the <textarea>).
    expect(await editor.evaluate((element) => parseFloat(getComputedStyle(element).fontSize))).toBeGreaterThanOrEqual(
      16,
    );
    // A full-width colon is named by line and column, beside 保存草稿 (it said 文件末尾, at the page's top).
    const typed = JSON.stringify(newVersion('七成'), null, 2);
    await editor.fill(typed.replace('"version": ', '"version"： '));
    await page.locator('#save-draft').tap();
    const line = typed.split('\n').findIndex((row) => row.includes('"version": ')) + 1;
    await page
      .locator('#failure-save', { hasText: `第 ${line} 行第 12 列，这里是全角的“：”，应是半角的“:”` })
      .waitFor();
    expect(await page.locator('#failure-page').count()).toBe(0);
    await editor.fill(typed);
    await page.locator('#save-draft').tap();
    await page.locator('#action-result', { hasText: '草稿已保存，但还有 1 处需要修改' }).waitFor();
    // The saved copy's own address (it named the source version: a reload showed that instead).
    expect(page.url()).toContain(`id=${encodeURIComponent(NEW_ID)}`);
    await page.reload();
    await page.locator('#policy-status', { hasText: '草稿' }).waitFor();
    await page.waitForFunction(() =>
      (document.querySelector('#policy-json textarea') as HTMLTextAreaElement | null)?.value.includes('"七成"'),
    );
    const fault = page.locator('#fault-0');
    await fault.locator('.fault-path', { hasText: 'outpatient.ratio.level2' }).waitFor();
    await fault.getByText('比例应为万分比整数（10000 = 100%，65% 写 6500）').waitFor();
    await page.locator('#policy-status', { hasText: '草稿' }).waitFor();
    expect(await page.locator('#action-submitForReview').count()).toBe(0);
    await screenshot(page, 'policies-02-fault-by-path');

    // Fixed, saved over the same draft; its cases run; the diff against 2025.1.
    await editor.fill(JSON.stringify(newVersion(7000), null, 2));
    await page.locator('#save-draft').tap();
    await page.locator('#action-result', { hasText: '草稿已保存，没有发现格式错误' }).waitFor();
    expect(await page.locator('#policy-faults').count()).toBe(0);
    await page.locator('#run-cases').tap();
    await page.locator('#cases-summary', { hasText: '1 个案例全部通过' }).waitFor();
    await page.locator('#case-0', { hasText: '✓ 通过：三级医院门诊 2,000 元' }).waitFor();
    await page.locator('#case-0', { hasText: '统筹基金支付：应为 1,050.00 元，算得 1,050.00 元' }).waitFor();
    await page.locator('#show-diff').tap();
    await page.locator('#diff-against', { hasText: `${SAMPLE}@2025.1` }).waitFor();
    const ratioRow = page.locator('.diff-row', { hasText: '修改：outpatient.ratio.level3' });
    await ratioRow.getByText('6000（60%） → 7000（70%）').waitFor();
    await page
      .locator('.diff-row', { hasText: '案例：三级医院门诊 2,000 元' })
      .getByText('报销增加 150.00 元')
      .waitFor();
    // Unsaved edits are not lost on one tap (an operator walk: 返回政策列表 left at once, the edits gone).
    await editor.fill(JSON.stringify(newVersion(7100), null, 2));
    await page.locator('#back-list').tap();
    await page.locator('#leave-panel').waitFor();
    await page.locator('#leave-cancel').tap();
    expect(await page.locator('#leave-panel').count()).toBe(0);
    expect(await editor.inputValue()).toContain('7100');
    await editor.fill(JSON.stringify(newVersion(7000), null, 2));
    await screenshot(page, 'policies-03-cases-and-diff');

    // Sent for review; the author is not offered the publication, and is told why.
    await page.locator('#action-submitForReview').tap();
    await page.locator('#policy-status', { hasText: '待复核' }).waitFor();
    await page.getByText('发布需要另一位运维人员复核').waitFor();
    expect(await page.locator('#action-approve').count()).toBe(0);
    await first.context.close();

    // ---- 运维乙: publishes after a confirmation ----
    const second = await harness.newPhone();
    await loginOperator(second.page, base, 'operator2');
    await byId(second.page, `policy-version-${NEW_ID}`).getByText('待复核').waitFor();
    await byId(second.page, `policy-version-${NEW_ID}`).tap();
    await second.page.waitForURL(/reviewer\/pages\/policy\/index/);
    await second.page.locator('#policy-status', { hasText: '待复核' }).waitFor();
    await second.page.locator('#action-approve').tap();
    await second.page.locator('#confirm-panel', { hasText: '确定发布吗' }).waitFor();
    // By dates, not 同时停用 (an operator walk: the confirm said the replaced version was 停用 while it kept its days).
    expect(await second.page.locator('#confirm-panel').innerText()).not.toContain('同时停用');
    await screenshot(second.page, 'policies-04-confirm-publish');
    expect(
      (
        await ok<{ sources: Array<{ id: string; version: string }> }>(base, zhang, 'policies', 'published', {})
      ).sources.find((source) => source.id === SAMPLE)?.version,
    ).toBe('2025.1');
    await second.page.locator('#confirm-approve').tap();
    await second.page.locator('#action-result', { hasText: '已发布' }).waitFor();
    await second.page.locator('#policy-status', { hasText: '已发布' }).waitFor();
    // 停用 takes two operators: asked, it stays in force and offers this operator only the withdrawal (an operator walk:
    // one tap by one operator left the days with no policy).
    await second.page.locator('#action-requestRetire').tap();
    await second.page.locator('#action-result', { hasText: '已申请停用' }).waitFor();
    await second.page.getByText('需要另一位运维人员确认后才停用').waitFor();
    expect(await second.page.locator('#action-retire').count()).toBe(0);
    await second.page.locator('#action-cancelRetire').tap();
    await second.page.locator('#action-result', { hasText: '已撤销停用申请' }).waitFor();
    await second.page.locator('#action-requestRetire').waitFor();
    await second.page.locator('#back-list').tap();
    await byId(second.page, `policy-version-${SAMPLE}@2025.1`).getByText('已停用').waitFor();
    // Back to the list it came from, read again — not a second list on top of it (an operator walk).
    expect(
      await second.page.evaluate(
        () => document.querySelectorAll('.taro_page[id^="/reviewer/pages/policies/index"]').length,
      ),
    ).toBe(1);
    await byId(second.page, `policy-version-${NEW_ID}`).getByText('已发布').waitFor();
    await screenshot(second.page, 'policies-05-published');
    await second.context.close();

    // ---- afterwards: the new claim is estimated with 2025.2, the older one keeps 2025.1 ----
    const after = await submitClaim(base, zhang, '北京协和医院', 'policy-e2e-after');
    const afterClaim = await ok<{
      policy: { version: string };
      estimate: { totalPaid: number; policy: { version: string } };
    }>(base, zhang, 'claims', 'get', { id: after });
    expect(afterClaim).toMatchObject({
      policy: { version: '2025.2' },
      estimate: { totalPaid: newFigure.totalPaid, policy: { version: '2025.2' } },
    });
    expect(await ok(base, zhang, 'claims', 'get', { id: before })).toMatchObject({
      policy: { version: '2025.1' },
      estimate: { totalPaid: oldFigure.totalPaid },
    });
    // The reviewer's figures for the older claim are still computed with its own version.
    const reviewer = await devToken(base, 'reviewer');
    const reviewed = await ok<{ policy: { version: string } | null; estimate: { policy: { version: string } } }>(
      base,
      reviewer,
      'review',
      'get',
      { id: before },
    );
    expect(reviewed.estimate.policy.version).toBe('2025.1');

    // The app's instant estimate uses the published version (a fresh start of the app).
    expect(await instantEstimate(base, draftOf(visitDate), 'policies-06-instant-estimate')).toEqual({
      policy: expect.stringContaining('政策版本 2025.2'),
      fund: formatYuan(newFigure.totalPaid),
    });
  });
});
