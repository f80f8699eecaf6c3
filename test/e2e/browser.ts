import type { RequestListener } from 'node:http';
/**
 * Shared helper for browser tests: Debian's Chromium (never a downloaded browser) driven by
 * playwright-core, against an Express app listening on an ephemeral port.
 *
 * Outside CI a machine without /usr/bin/chromium skips the browser suites with a warning; in CI
 * (CI=true) a missing browser must fail the run, so the suites run and fail at launch.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type RequestHandler } from 'express';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { eventually } from '../helpers/eventually';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags agreed for every browser test: headless, no sandbox (containers), no network chatter. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const inCi = process.env['CI'] === 'true';

/** True when the browser is installed (or in CI, where a missing browser must fail, not skip). */
export function browserTestsEnabled(): boolean {
  return inCi || fs.existsSync(CHROMIUM_PATH);
}

/**
 * `describe` for a browser suite: runs when Chromium is present (or in CI); otherwise skips the
 * suite with a console warning that says how to install the browser.
 */
export function describeBrowser(name: string, fn: () => void): void {
  if (browserTestsEnabled()) {
    describe(name, fn);
    return;
  }
  console.warn(`${name}: skipped — ${CHROMIUM_PATH} is missing (install it with "apt-get install -y chromium"; in CI this fails)`);
  describe.skip(name, fn);
}

/** Launches Debian's Chromium; fails with a clear message when it is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`browser tests need ${CHROMIUM_PATH} (apt-get install -y chromium)${inCi ? '; CI=true, so this is a failure, not a skip' : ''}`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS], headless: true, timeout: 30_000 });
}

/**
 * Closes a page and waits until it is closed. Chromium drops a close request that meets a
 * navigation commit of the same page (the player returning to the course page by itself when the
 * content ends): page.close() then waits for a close that never comes, and playwright sends the
 * request once per page, so asking it again does not help. Measured: 5 pages in 60 that navigated
 * within 10 ms of page.close() never closed; the sequencing case of the SCORM player suite hung
 * for its whole 60 s that way in about 1 full run in 5. So a page still open a few seconds after
 * the request is closed again by its target id, over a browser-level DevTools session.
 */
export async function closePage(page: Page, options: { runBeforeUnload?: boolean } = {}): Promise<void> {
  if (page.isClosed()) return;
  const session = await page.context().newCDPSession(page);
  const { targetInfo } = await session.send('Target.getTargetInfo');
  await session.detach();
  const closed = (): Promise<boolean> => page.waitForEvent('close', { timeout: 5_000 }).then(() => true, () => page.isClosed());
  const first = closed();
  // Not awaited: a dropped request never settles (and with runBeforeUnload it settles before the close).
  page.close(options).catch(() => undefined);
  if (await first) return;
  const browser = await page.context().browser()!.newBrowserCDPSession();
  const second = closed();
  await browser.send('Target.closeTarget', { targetId: targetInfo.targetId }).catch(() => undefined);
  await browser.detach().catch(() => undefined);
  if (!(await second)) throw new Error(`page ${page.url()} still open after two close requests`);
}

/** An app listening on 127.0.0.1 at an ephemeral port. */
export interface Listening {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts `app` on an ephemeral port of 127.0.0.1. */
export function listen(app: RequestListener): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections();
            server.close((err) => (err ? fail(err) : done()));
          }),
      });
    });
  });
}

/**
 * An app whose handler is set after it listens: the config needs both origins' URLs (app and
 * content) before the apps can be built.
 */
export function deferred(): { app: Express; set(h: RequestHandler): void } {
  let inner: RequestHandler = (_req, res) => res.status(503).end();
  const app = express();
  app.use((req, res, next) => inner(req, res, next));
  return { app, set: (h) => { inner = h; } };
}

/** The app and content servers of a browser test, on two origins of one machine. */
export interface TwoOrigins<H> {
  readonly harness: H;
  readonly appServer: Listening;
  readonly contentServer: Listening;
}

/**
 * Starts an app server and a content server (same host name family, other port and host name:
 * two origins, as in the default configuration), builds the harness from their URLs and lets the
 * servers serve its app and content handlers.
 */
export async function twoOrigins<H>(
  build: (urls: { publicUrl: string; contentUrl: string }) => Promise<H>,
  handlers: (harness: H) => { app: RequestHandler; content: RequestHandler },
): Promise<TwoOrigins<H>> {
  const a = deferred();
  const c = deferred();
  const appServer = await listen(a.app);
  const contentServer = await listen(c.app);
  const harness = await build({ publicUrl: appServer.url, contentUrl: contentServer.url.replace('127.0.0.1', 'localhost') });
  const h = handlers(harness);
  a.set(h.app);
  c.set(h.content);
  return { harness, appServer, contentServer };
}

/** Signs in through the sign-in form; resolves once the role's landing page (not /sign-in) is shown. */
export async function signInWithPassword(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  // Each role lands where its work is (issue 18), never back on the sign-in page.
  await Promise.all([page.waitForURL((u) => u.pathname !== '/sign-in'), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** Every axe violation of the page, as "rule: target, target" lines ([] when none). */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The serious and critical axe violations of the page, one "rule: target" line per node ([] when none). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** A new page in a new context (pushed to `contexts` for closing) carrying the session cookie `name=value`. */
export async function pageWithCookie(browser: Browser, url: string, cookie: string, contexts: BrowserContext[]): Promise<Page> {
  const [name, value] = cookie.split('=') as [string, string];
  const ctx = await browser.newContext();
  contexts.push(ctx);
  await ctx.addCookies([{ name, value, url }]);
  return ctx.newPage();
}

/**
 * The natural width of an image once it has loaded (0 when it failed), polled from the test
 * rather than awaited in the page: the report pages are checked with script off, and there an
 * `onload` handler set from an evaluate never runs, so a chart image still loading when the test
 * looked hung the test for its whole timeout (stop 27's CI failure). Fails after `timeoutMs`.
 */
export async function loadedImageWidth(img: Locator, timeoutMs = 20_000): Promise<number> {
  const state = await eventually(() => img.evaluate((el: HTMLImageElement) => ({ complete: el.complete, width: el.naturalWidth })), (s) => s.complete, timeoutMs);
  if (!state.complete) throw new Error(`image ${await img.getAttribute('src')} still loading after ${timeoutMs} ms`);
  return state.width;
}
