/**
 * Browser-test harness: the local cloud (same code as `npm start`) on a random port with a fresh
 * data directory (and a fresh PostgreSQL schema with TEST_STORE=postgres), serving dist-h5; Debian's Chromium driven by playwright-core with a phone profile.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createLocalCloud, type LocalCloud } from '../../server/local/server';
import { tempDir } from '../support/ports';
import { childStoreEnv } from '../support/testStore';

export const artifactsDir = path.resolve(__dirname, '..', '..', 'test-artifacts');

export interface Harness {
  cloud: LocalCloud;
  base: string;
  browser: Browser;
  newPhone(): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium not found: run `bash scripts/ensure-system-deps.sh` (npm run test:e2e does)');
  }
}

/** What React logs when it could not update the DOM as it meant to (the page then shows something else, or nothing). */
const REACT_DOM_FAILURE = /insertBefore|removeChild|NotFoundError|Minified React error/;

/**
 * Watches every page of every context `browser` opens from now on for errors a person would meet as a broken page: an
 * uncaught exception, or React failing to update the DOM (a desk walk met `insertBefore` on every receipt read, and no
 * test saw it). `check()`, at the end of a file, throws naming them.
 */
export function watchPageErrors(browser: Browser): { check(): void } {
  const seen: string[] = [];
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.on('page', (page) => {
      page.on('pageerror', (error) => seen.push(`${page.url()}: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && REACT_DOM_FAILURE.test(message.text()))
          seen.push(`${page.url()}: ${message.text().slice(0, 300)}`);
      });
    });
    return context;
  };
  browser.newPage = async (options) => (await browser.newContext(options)).newPage();
  return {
    check() {
      if (seen.length > 0) throw new Error(`errors in the pages:\n${seen.join('\n')}`);
    },
  };
}

export async function startHarness(): Promise<Harness> {
  const staticDir = path.resolve(__dirname, '..', '..', process.env.STATIC_DIR ?? 'dist-h5');
  if (!existsSync(path.join(staticDir, 'index.html'))) throw new Error('dist-h5 missing: run `npm run build:h5` first');
  mkdirSync(artifactsDir, { recursive: true });
  const cloud = await createLocalCloud({
    dataDir: tempDir('yb-e2e-'),
    // SQLite under dataDir, or with TEST_STORE=postgres a schema of the run's throw-away cluster (`npm run test:e2e:pg`).
    storeEnv: await childStoreEnv(),
    staticDir,
    devLogin: true,
    log: (line) => console.error(line),
  });
  await new Promise<void>((resolve) => cloud.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(cloud.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const pageErrors = watchPageErrors(browser);
  return {
    cloud,
    base,
    browser,
    async newPhone() {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      return { context, page: await context.newPage() };
    },
    async close() {
      await browser.close();
      cloud.server.closeAllConnections();
      // The server, its notification loop and OCR processes, then the store (PostgreSQL's pool would keep jest waiting).
      await cloud.close();
      pageErrors.check();
    },
  };
}

/**
 * Waits until one page alone is shown and has finished sliding in: Taro's H5 router marks a page `taro_page_stationed`
 * when its transition is over, a page under it `taro_page_shade` (hidden) once the new one is in, and takes a page
 * sliding out away when its transition is over (@tarojs/router, router/page.js). Then two animation frames, so what a
 * check measures is laid out. Was a fixed 600 ms a page.
 */
export async function pageSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const shown = Array.from(document.querySelectorAll<HTMLElement>('.taro_router > .taro_page')).filter(
        (element) => getComputedStyle(element).display !== 'none' && !element.classList.contains('taro_page_shade'),
      );
      return shown.length === 1 && shown[0]!.classList.contains('taro_page_stationed');
    },
    undefined,
    { timeout: 5000 },
  );
  await laidOut(page);
}

/** Two animation frames: what was changed (a viewport size, a class) is laid out and painted. */
export async function laidOut(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true });
}

/** Taro renders <Input id='x'> as <taro-input-core id='x'><input/></taro-input-core>. */
export function input(page: Page, id: string) {
  return page.locator(`#${id} input`);
}

/**
 * Signs a claimant in on the dev-login page and waits until 首页 is really shown: the reLaunch changes the
 * URL before the page is mounted, and a `goto` in between lost the race (the later page then hidden).
 */
export async function loginAs(page: Page, base: string, user: 'zhangsan' | 'lisi'): Promise<void> {
  await page.goto(`${base}/#/pages/dev-login/index`);
  await page.locator(`#login-${user}`).tap();
  await page.waitForURL(/pages\/index\/index/);
  await page.locator('#start-claim').waitFor();
}

/** Whether the element is wholly on screen (a message shown where the person is looking, not far above). */
export async function onScreen(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
  });
}

/** Visible text set smaller than `minPx` (CSS px), as 'font-size text' lines: for real people, nothing under 16 px. */
export async function textSmallerThan(page: Page, minPx = 16): Promise<string[]> {
  return page.evaluate((min) => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const element = node.parentElement;
      if (!text || !element) continue;
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
      const size = parseFloat(style.fontSize);
      if (size < min - 0.01) found.push(`${size}px ${text.slice(0, 30)}`);
    }
    // What a person types is text too: a textarea kept the browser's 13.33 px while the words around it were 17.
    for (const field of Array.from(
      document.body.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea'),
    )) {
      if (['hidden', 'checkbox', 'radio', 'file'].includes(field.type)) continue;
      const box = field.getBoundingClientRect();
      const style = getComputedStyle(field);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
      const size = parseFloat(style.fontSize);
      if (size < min - 0.01) found.push(`${size}px <${field.tagName.toLowerCase()}> ${field.value.slice(0, 30)}`);
    }
    return found;
  }, minPx);
}

/** Visible elements that reach past the right edge of the screen (the page would scroll sideways or cut them). */
export async function pastRightEdge(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(element).visibility === 'hidden') continue;
      const text = (element.innerText ?? '').trim().replace(/\s+/g, ' ');
      if (box.right > width + 0.5 && text)
        found.push(`${element.id ? `#${element.id}` : element.className || element.tagName} ${text.slice(0, 30)}`);
    }
    if (document.documentElement.scrollWidth > width)
      found.unshift(`page ${document.documentElement.scrollWidth}px wide`);
    return found;
  });
}

/**
 * Buttons whose words sit off the middle of the button by more than `tolerancePx` (a button stretched to the height of
 * a neighbour whose words wrap showed its own words at the top), as '#id words: offset' lines.
 */
export async function wordsOffCentre(page: Page, tolerancePx = 2): Promise<string[]> {
  return page.evaluate((tolerance) => {
    const found: string[] = [];
    for (const button of Array.from(document.querySelectorAll<HTMLElement>('taro-button-core, button'))) {
      const box = button.getBoundingClientRect();
      const text = (button.innerText ?? '').trim().replace(/\s+/g, ' ');
      if (!text || box.width === 0 || box.height === 0 || getComputedStyle(button).visibility === 'hidden') continue;
      const range = document.createRange();
      range.selectNodeContents(button);
      const words = range.getBoundingClientRect(); // the glyphs' boxes, not the line-height
      if (words.height === 0) continue;
      const offset = (words.top + words.bottom) / 2 - (box.top + box.bottom) / 2;
      if (Math.abs(offset) > tolerance)
        found.push(`${button.id ? `#${button.id}` : button.className} ${text.slice(0, 20)}: ${offset.toFixed(1)} px`);
    }
    return found;
  }, tolerancePx);
}

/** Dates (2027-01-01, 2026年12月8日) broken over two lines (Chrome breaks after a hyphen, or inside a Chinese date). */
export async function datesBrokenOverLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (const match of text.matchAll(/\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set(
          Array.from(range.getClientRects())
            .filter((rect) => rect.width > 0)
            .map((rect) => Math.round(rect.top)),
        );
        if (tops.size > 1) found.push(`${match[0]} in ${text.trim().slice(0, 40)}`);
      }
    }
    return found;
  });
}
