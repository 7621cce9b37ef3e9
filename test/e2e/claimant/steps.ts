/** Steps of the claimant's journey shared by the browser tests. */
import type { Page } from 'playwright-core';
import { input } from '../browser';

/** A date `days` before today in Asia/Shanghai, 'YYYY-MM-DD'. */
export function shanghaiDaysAgo(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 - days * 86_400_000).toISOString().slice(0, 10);
}

/** Types into a Taro input and lets React see it. */
export async function type(page: Page, id: string, value: string): Promise<void> {
  const field = input(page, id);
  await field.fill(value);
}

/** Picks files through the page's <input type=file> that Taro.chooseMedia opens in H5. */
export async function choosePhotos(page: Page, buttonId: string, files: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.locator(`#${buttonId}`).tap();
  await (await chooser).setFiles(files);
}

/** Waits until `count` photos of a material show 已上传. */
export async function waitUploaded(page: Page, materialId: string, count: number): Promise<void> {
  await page.waitForFunction(
    ([id, n]) => document.querySelectorAll(`#material-${id} [data-state="done"]`).length >= (n as number),
    [materialId, count] as const,
    { timeout: 30_000 },
  );
}

export async function answerGuide(page: Page, answers: Array<[string, string]>): Promise<void> {
  for (const [question, value] of answers) await page.locator(`#guide-${question}-${value}`).tap();
  await page.locator('#guide-outcome').waitFor();
}
