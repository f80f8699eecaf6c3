/**
 * Helpers of the player's browser tests: a SCORM player set-up (launch harness on two origins,
 * Chromium with the learner signed in), waiting for a SCO, opening a course, polling.
 */
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import request from 'supertest';
import { createLaunchHarness, type LaunchHarness } from '../http/launch/harness';
import { launchBrowser, twoOrigins, type Listening } from './browser';

/** Waits until `fn` returns `want` (10 s), then asserts it, so a failure shows the last value. */
export async function poll<T>(fn: () => Promise<T>, want: T, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  let got = await fn();
  while (got !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    got = await fn();
  }
  expect(got).toBe(want);
}

/** The launcher frame of a player page. */
export function launcherFrame(page: Page): Frame | undefined {
  return page.frames().find((f) => f.url().includes('/launch/'));
}

/** The SCO frame once its page has initialized (title "ready"); `sco` waits for the launcher's current SCO. */
export async function scoFrame(page: Page, sco?: string): Promise<Frame> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const launcher = launcherFrame(page);
    const current = launcher ? await launcher.evaluate(() => (window as unknown as { learnhqLauncher?: { current?: string } }).learnhqLauncher?.current).catch(() => undefined) : undefined;
    const f = page.frames().find((x) => x.url().includes('/content/'));
    if (f && (sco === undefined || current === sco)) {
      const ready = await f.evaluate(() => document.title === 'ready').catch(() => false);
      if (ready) return f;
    }
    await page.waitForTimeout(100);
  }
  const status = await launcherFrame(page)?.textContent('#launcher-status').catch(() => undefined);
  throw new Error(`the SCO ${sco ?? ''} did not start: frames ${page.frames().map((f) => f.url()).join(' ')}; launcher says ${status ?? '-'}`);
}

/** Runs `window.sco[method](...args)` in a SCO frame. */
export async function sco(f: Frame, method: string, ...args: unknown[]): Promise<unknown> {
  return f.evaluate(([m, a]) => {
    const s = (window as unknown as { sco: Record<string, (...x: unknown[]) => unknown> }).sco;
    return s[m as string]!(...(a as unknown[]));
  }, [method, args] as const);
}

/** A SCORM player under test. */
export interface ScormPlayer {
  readonly h: LaunchHarness;
  readonly appServer: Listening;
  readonly contentServer: Listening;
  readonly browser: Browser;
  readonly context: BrowserContext;
  /** Opens the course page and presses `button` (Launch, Resume…); resolves on the player page. */
  openCourse(courseId: string, button: RegExp): Promise<Page>;
  /** The learner's GET /api/courses/:id/me. */
  standing(courseId: string): Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

/** A SCORM player started before a suite's tests and closed after them; call inside a describe. */
export function useScormPlayer(): { readonly p: ScormPlayer } {
  const holder: { p?: ScormPlayer } = {};
  beforeAll(async () => {
    holder.p = await startScormPlayer();
  }, 60_000);
  afterAll(async () => {
    await holder.p?.close();
  });
  return {
    get p(): ScormPlayer {
      if (!holder.p) throw new Error('the SCORM player has not started');
      return holder.p;
    },
  };
}

/** Starts the launch harness on two origins and Chromium with the learner signed in. */
export async function startScormPlayer(): Promise<ScormPlayer> {
  const { harness: h, appServer, contentServer } = await twoOrigins((config) => createLaunchHarness({ config }), (x) => ({ app: x.app, content: x.content }));
  const browser = await launchBrowser();
  const context = await browser.newContext();
  await context.addCookies([{ name: 'test-user', value: h.users.learner.userId, url: appServer.url }]);
  return {
    h, appServer, contentServer, browser, context,
    async openCourse(courseId, button) {
      const page = await context.newPage();
      page.on('console', (m) => { if (process.env['E2E_DEBUG']) console.log('console:', m.text()); });
      await page.goto(`${appServer.url}/courses/${courseId}`);
      await page.getByRole('button', { name: button }).click();
      await page.waitForURL(/\/play\//);
      return page;
    },
    async standing(courseId) {
      return (await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200)).body as Record<string, unknown>;
    },
    async close() {
      await context.close();
      await browser.close();
      await appServer.close();
      await contentServer.close();
      await h.close();
    },
  };
}
