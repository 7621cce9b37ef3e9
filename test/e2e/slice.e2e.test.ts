import { input, loginAs, screenshot, startHarness, type Harness } from './browser';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('the vertical slice in the H5 build', () => {
  it('home renders in Chinese; 张三 starts a claim typed in yuan, stored in fen; 李四 cannot see it', async () => {
    const { context, page } = await harness.newPhone();
    await page.goto(`${harness.base}/`);
    await page.getByText('医保手工报销，一步步带您办').waitFor();
    await screenshot(page, 'slice-01-home');

    await loginAs(page, harness.base, 'zhangsan');
    await page.getByText('当前测试账号：张三').waitFor();
    await page.locator('#start-claim').tap();
    for (const [question, value] of [
      ['scenario', 'systemFailure'],
      ['visitKind', 'outpatient'],
    ])
      await page.locator(`#guide-${question}-${value}`).tap();
    await page.locator('#guide-next').tap();
    await input(page, 'hospital-name').fill('北京协和医院');

    await input(page, 'item-amount-0').fill('12.345');
    await page.getByText('金额最多保留两位小数（到分）').waitFor();

    await input(page, 'item-amount-0').fill('1280.50');
    await screenshot(page, 'slice-02-new-claim');
    await page.locator('#draft-sync:visible').getByText('已保存，下次打开可继续').waitFor({ timeout: 15_000 });

    const stored = await harness.cloud.store
      .collection<{
        _id: string;
        form: { lineItems: Array<{ amountFen: number }> };
        _openid: string;
        status: string;
      }>('claims')
      .find({});
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'draft', _openid: 'dev-openid-zhangsan' });
    expect(stored[0]!.form.lineItems[0]).toMatchObject({ amountFen: 128050 });

    await page.goto(`${harness.base}/#/pages/claims/index`);
    await page.getByText('北京协和医院 普通门诊').waitFor();
    await screenshot(page, 'slice-03-my-claims');

    await loginAs(page, harness.base, 'lisi');
    await page.locator('#my-claims').tap();
    await page.locator('#claims-empty').waitFor();
    await page.goto(`${harness.base}/#/claimant/pages/claim-detail/index?id=${stored[0]!._id}`);
    // Someone else's claim reads as one that does not exist (ids are not revealed).
    await page.getByText('没有找到这份报销申请').waitFor();
    await screenshot(page, 'slice-04-other-claimant-refused');
    await context.close();
  });
});
