/**
 * The player in new-window mode, in Chromium. The player page (app origin) opens the content in
 * its own window on the learner's click; the content window talks to the player page through
 * window.opener (status, navigation), commits runtime data, and the player's Exit suspends the
 * course there, closes the window and returns to the course page; Resume reopens where it was.
 *
 * Which packages ask: a cmi5 AU with launchMethod="OwnWindow" (the server answers newWindow=true,
 * see test/http/cmi5/cmi5-launch.test.ts). SCORM 1.2 and 2004 manifests have no way to ask, so
 * the SCORM case switches the rendered player page to new-window mode (the data-new-window flag and
 * the open button the server renders for such launches): the page script and the launcher are the
 * same for every format, and SCORM is where runtime data and suspend live.
 */
import path from 'node:path';
import express from 'express';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import request from 'supertest';
import { scorm2004TwoScoPackage } from '../fixtures/scorm-packages';
import { createLaunchHarness, type LaunchHarness } from '../http/launch/harness';
import { createPlayerHarness, lrsStatements, verbsOf, type PlayerHarness } from '../http/cmi5/harness';
import { cmi5Zip } from '../http/cmi5/packages';
import { closePage, describeBrowser, launchBrowser, twoOrigins, type Listening } from './browser';
import { cmi5Bundle } from './cmi5-au';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Waits until `fn` returns `want` (10 s), then asserts it, so a failure shows the last value. */
async function poll<T>(fn: () => Promise<T>, want: T): Promise<void> {
  const deadline = Date.now() + 10_000;
  let got = await fn();
  while (got !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    got = await fn();
  }
  expect(got).toBe(want);
}

/** The SCO frame of a content window once its page has initialized. */
async function scoFrame(win: Page, sco: string): Promise<Frame> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const current = await win.evaluate(() => (window as unknown as { learnhqLauncher?: { current?: string } }).learnhqLauncher?.current).catch(() => undefined);
    const f = win.frames().find((x) => x.url().includes('/content/'));
    if (f && current === sco && await f.evaluate(() => document.title === 'ready').catch(() => false)) return f;
    await win.waitForTimeout(100);
  }
  throw new Error(`the SCO ${sco} did not start in the content window (${win.url()}): ${await win.textContent('#launcher-status').catch(() => '-')}`);
}

const initResult = async (f: Frame): Promise<Json> => JSON.parse((await f.textContent('#out')) ?? '{}') as Json;

describeBrowser('the player in new-window mode (Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  describe('SCORM 2004', () => {
    let h: LaunchHarness;
    let appServer: Listening;
    let contentServer: Listening;
    let context: BrowserContext;

    beforeAll(async () => {
      ({ harness: h, appServer, contentServer } = await twoOrigins((config) => createLaunchHarness({ config }), (x) => ({ app: x.app, content: x.content })));
      context = await browser.newContext();
      await context.addCookies([{ name: 'test-user', value: h.users.learner.userId, url: appServer.url }]);
      // The player page as the server renders it for a launch that asks for its own window.
      await context.route((url) => url.origin === appServer.url && url.pathname.startsWith('/play/'), async (route) => {
        const response = await route.fetch();
        const body = (await response.text())
          .replace('data-new-window="false"', 'data-new-window="true"')
          .replace(/<iframe id="player-frame"[^>]*><\/iframe>/, '<p>This course opens in its own window. <button type="button" id="open-window">Open the course</button></p>');
        await route.fulfill({ response, body });
      });
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      await appServer?.close();
      await contentServer?.close();
      await h?.close();
    });

    /**
     * Launches through the API and opens the player page once, with the route in place. (Pressing
     * the course page's button and then loading the player page again raced: the first, unrouted
     * player page framed the launcher, which could start the SCO and commit its Initialize —
     * exit cleared, as in every new sitting — before the reload, so Resume then found no suspend
     * and started the SCO ab-initio.)
     */
    async function openContent(courseId: string): Promise<{ page: Page; win: Page }> {
      const page = await context.newPage();
      const launch = await context.request.post(`${appServer.url}/api/courses/${courseId}/launch`, {
        headers: { 'X-CSRF-Token': h.users.learner.csrfToken }, data: { mode: 'normal' },
      });
      expect(launch.status()).toBe(201);
      await page.goto(String((await launch.json() as { launchUrl: string }).launchUrl));
      expect(await page.locator('iframe').count()).toBe(0);
      const [win] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the course' }).click()]);
      await win.waitForLoadState();
      expect(new URL(win.url()).origin).toBe(new URL(h.config.contentUrl).origin);
      expect(await page.textContent('#player-status')).toBe('The course is open in its own window.');
      return { page, win };
    }

    it('runs the SCO in its own window, relays sequencing to the player page, and Exit suspends there and returns', async () => {
      const courseId = await h.publish(scorm2004TwoScoPackage('New window course'));
      const { page, win } = await openContent(courseId);
      const sco1 = await scoFrame(win, 'sco1');
      expect(await initResult(sco1)).toMatchObject({ entry: 'ab-initio', location: '' });
      // The content cannot reach the player page through the content window's opener.
      expect(await sco1.evaluate(() => window.top?.opener ?? null)).toBeNull();
      // Status messages from the content window reach the player page: the second SCO is disabled.
      const part2 = page.getByRole('button', { name: 'Part two' });
      await poll(() => part2.isDisabled(), true);

      await sco1.evaluate(() => (window as unknown as { sco: { progress(l: string, d: string): string } }).sco.progress('slide-4', 'state-4'));
      const me = await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200);
      const attemptId = me.body.attempts[0].id as string;
      const stored = async (): Promise<string> => String(((await h.store.launch.findRuntime(attemptId, 'sco1'))[0]?.cmi as Json | undefined)?.cmi?.location ?? '');
      await poll(stored, 'slide-4');

      // Exit on the player page: the content window suspends the SCO, closes, and the player returns.
      const closed = win.waitForEvent('close');
      await page.getByRole('button', { name: 'Exit' }).click();
      await closed;
      await page.waitForURL(new RegExp(`/courses/${courseId}$`));
      const after = (await h.store.launch.findRuntime(attemptId, 'sco1'))[0]?.cmi as Json;
      expect(after.cmi).toMatchObject({ exit: 'suspend', location: 'slide-4', suspend_data: 'state-4' });
      expect((await h.store.launch.findAttempt(attemptId))?.suspended).toBe(true);

      // Resume opens a new content window where the learner left off.
      await closePage(page);
      const again = await openContent(courseId);
      const resumed = await scoFrame(again.win, 'sco1');
      expect(await initResult(resumed)).toMatchObject({ entry: 'resume', location: 'slide-4', suspendData: 'state-4' });

      // Closing the content window ends the session too: the player page goes back to the course.
      await again.win.close({ runBeforeUnload: true });
      await again.page.waitForURL(new RegExp(`/courses/${courseId}$`));
      await again.page.close();
    }, 90_000);
  });

  describe('cmi5 launchMethod="OwnWindow"', () => {
    let h: PlayerHarness;
    let appServer: Listening;
    let contentServer: Listening;

    beforeAll(async () => {
      ({ harness: h, appServer, contentServer } = await twoOrigins((config) => createPlayerHarness({ config }), (x) => {
        // This harness serves no static files; the player page needs its script.
        const withStatic = express();
        withStatic.use('/static', express.static(path.join(__dirname, '..', '..', 'src', 'web', 'static'), { index: false }));
        withStatic.use(x.app);
        return { app: withStatic, content: x.content };
      }));
    }, 60_000);

    afterAll(async () => {
      await appServer?.close();
      await contentServer?.close();
      await h?.close();
    });

    // The AU runs the @xapi/cmi5 client library (bundled here): initialize, complete, terminate, returnURL.
    const AU_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AU</title><script src="cmi5.js"></script></head>
<body><p id="out">starting</p><script>
(async () => {
  const cmi5 = new window.Cmi5();
  await cmi5.initialize();
  await cmi5.complete();
  await cmi5.terminate();
  document.getElementById('out').textContent = 'done';
  window.location.href = cmi5.getLaunchData().returnURL;
})().catch((e) => { document.getElementById('out').textContent = 'error ' + (e && e.message ? e.message : e); });
</script></body></html>`;

    it('opens the AU in its own window; its statements land; following returnURL closes it and the player shows the course', async () => {
      const course = await h.publish(cmi5Zip({
        courseId: 'http://example.com/cmi5/own-window-e2e',
        aus: [{ id: 'http://example.com/cmi5/own-window-e2e/au', moveOn: 'Completed', launchMethod: 'OwnWindow', url: 'start.html' }],
        files: [{ name: 'cmi5.js', data: cmi5Bundle() }, { name: 'start.html', data: AU_PAGE }],
      }));
      const context = await browser.newContext();
      try {
        await context.addCookies([{ name: 'test-user', value: h.users.learner.userId, url: appServer.url }]);
        const page = await context.newPage();
        await page.goto(`${appServer.url}/courses/${encodeURIComponent(course)}`);
        await page.getByRole('button', { name: /^Launch$/ }).click();
        await page.waitForURL(/\/play\//);
        expect(await page.locator('iframe').count()).toBe(0);
        const [win] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the course' }).click()]);
        // The AU follows returnURL (the course page, app origin) in its window: the player closes it and returns.
        if (!win.isClosed()) await win.waitForEvent('close', { timeout: 15_000 });
        await page.waitForURL(new RegExp(`/courses/${encodeURIComponent(course)}$`), { timeout: 15_000 });
        await poll(async () => (await page.reload(), await page.textContent('[data-field="status"]')), 'Completed');
        const me = await request(h.app).get(`/api/courses/${encodeURIComponent(course)}/me`).set(h.as('learner')).expect(200);
        const registration = me.body.registration.id as string;
        const verbs = verbsOf(await lrsStatements(h, { registration })).map((v) => v.split('/').pop());
        expect(verbs).toEqual(expect.arrayContaining(['launched', 'initialized', 'completed', 'terminated']));
        expect(win.isClosed()).toBe(true);
      } finally {
        await context.close();
      }
    }, 90_000);
  });
});
