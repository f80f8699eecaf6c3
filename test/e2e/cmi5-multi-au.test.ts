/**
 * Issue 17, cmi5 in the player (Chromium, AUs built on the @xapi/cmi5 library):
 * 3. a course of several AUs: the learner chooses any AU, sees each AU's status, revisits a
 *    finished AU, and Next/Previous move between AUs;
 * 4. an AU that follows its returnURL inside the frame brings the learner to the course page (top
 *    level) with the result;
 * 5. an AU at an absolute URL of another origin plays in the frame: the player page's frame-src
 *    allows exactly the origins of the course's own AU URLs; an AU that asks opens in a new window;
 * 13. Exit leaves as soon as the AU is unloaded (its terminated statement on its way), not when a
 *    fallback timer fires: the test makes every timer of the player page of a second or more never
 *    fire;
 * 16. Resume opens the AU the learner left (the one launched last), not the first unfinished one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import type { PlayerHarness } from '../http/cmi5/harness';
import { lrsStatements, verbsOf } from '../http/cmi5/harness';
import { cmi5Zip, tincanPlayerZip } from '../http/cmi5/packages';
import { closePage, describeBrowser, launchBrowser, type Listening } from './browser';
import { au, auFrame, cmi5Bundle, DRIVEN_AU_PAGE, startCmi5Player } from './cmi5-au';
import { poll } from './player-helpers';

const BUNDLE = cmi5Bundle();
let seq = 0;
const iri = (name: string): string => `http://example.com/cmi5/player-${process.pid}-${++seq}/${name}`;

describeBrowser('cmi5 courses in the player (issue 17)', () => {
  let h: PlayerHarness;
  let appServer: Listening;
  let stop: () => Promise<void>;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    const started = await startCmi5Player();
    ({ h, appServer } = started);
    stop = started.close;
    browser = await launchBrowser();
    context = await browser.newContext();
    await context.addCookies([{ name: 'test-user', value: h.users.learner.userId, url: appServer.url }]);
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stop?.();
  });

  const files = [{ name: 'cmi5.js', data: BUNDLE }, { name: 'lesson.html', data: DRIVEN_AU_PAGE }];
  /** Welcome, then the block "Unit one" with Practice and Quiz. */
  async function threeAuCourse(): Promise<{ courseId: string; ids: { welcome: string; practice: string; quiz: string } }> {
    const ids = { welcome: iri('welcome'), practice: iri('practice'), quiz: iri('quiz') };
    const courseId = await h.publish(cmi5Zip({
      courseId: iri('course'),
      aus: [{ id: ids.welcome, title: 'Welcome', moveOn: 'Completed', url: 'lesson.html' }],
      blocks: [{ id: iri('unit'), title: 'Unit one', aus: [{ id: ids.practice, title: 'Practice', moveOn: 'Completed', url: 'lesson.html' }, { id: ids.quiz, title: 'Quiz', moveOn: 'Completed', url: 'lesson.html' }] }],
      files,
    }));
    return { courseId: encodeURIComponent(courseId), ids };
  }

  async function openCourse(courseId: string, button: RegExp): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${appServer.url}/courses/${courseId}`);
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL(/\/play\//);
    return page;
  }
  /** Timers of a second or more on the player page never fire: a fallback cannot be what leaves. */
  const neverFireLongTimers = async (page: Page): Promise<void> => void await page.addInitScript(() => {
    if (!location.pathname.startsWith('/play/')) return;
    const real = window.setTimeout.bind(window);
    (window as unknown as { setTimeout: unknown }).setTimeout = (fn: () => void, ms?: number, ...rest: unknown[]) => ((ms ?? 0) >= 1000 ? 0 : real(fn, ms, ...rest));
  });
  const unit = (page: Page, title: string) => page.getByRole('button', { name: title, exact: true });
  const statusOf = (page: Page, title: string): Promise<string> =>
    unit(page, title).evaluate((b) => b.parentElement?.querySelector('.unit-status')?.textContent?.trim() ?? '');
  const current = (page: Page): Promise<string | null> => page.locator('.player-toc [aria-current="step"]').textContent();

  it('item 3: any AU can be chosen, each shows its status, a finished AU can be revisited, Next/Previous move between AUs', async () => {
    const { courseId, ids } = await threeAuCourse();
    let page = await openCourse(courseId, /^Launch$/);
    let f = await auFrame(page, ids.welcome);
    expect(await current(page)).toBe('Welcome');
    for (const t of ['Welcome', 'Practice', 'Quiz']) expect(await statusOf(page, t)).toBe('Not started');
    expect(await page.locator('.player-toc .toc-section-title').textContent()).toBe('Unit one');
    expect(await page.locator('#nav-previous').isDisabled()).toBe(true);
    expect(await page.locator('#nav-continue').isDisabled()).toBe(false);
    await au(f, 'complete');
    await au(f, 'terminate');

    // Choose the last AU from the list.
    await unit(page, 'Quiz').click();
    await page.waitForURL(/\/play\//);
    f = await auFrame(page, ids.quiz);
    expect(await current(page)).toBe('Quiz');
    expect(await statusOf(page, 'Welcome')).toBe('Completed');
    expect(await page.locator('#nav-continue').isDisabled()).toBe(true);

    // Previous: the AU before it.
    await page.locator('#nav-previous').click();
    f = await auFrame(page, ids.practice);
    expect(await current(page)).toBe('Practice');
    // Next: back to the quiz.
    await page.locator('#nav-continue').click();
    f = await auFrame(page, ids.quiz);

    // The finished AU opens again.
    await unit(page, 'Welcome').click();
    f = await auFrame(page, ids.welcome);
    expect(await current(page)).toBe('Welcome');
    page = page as Page;
    const registration = (await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200)).body.registration.id as string;
    const launched = (await lrsStatements(h, { registration, verb: 'http://adlnet.gov/expapi/verbs/launched' })).map((s) => String((s['object'] as { id: string }).id).split('/aus/').pop());
    expect(launched).toEqual([ids.welcome, ids.quiz, ids.practice, ids.quiz, ids.welcome].map(encodeURIComponent));
    await closePage(page);
  }, 120_000);

  it('item 4: an AU following its returnURL inside the frame brings the learner to the course page with the result', async () => {
    const id = iri('only');
    const courseId = encodeURIComponent(await h.publish(cmi5Zip({ courseId: iri('course'), aus: [{ id, moveOn: 'Completed', url: 'lesson.html' }], files })));
    const page = await openCourse(courseId, /^Launch$/);
    const f = await auFrame(page, id);
    await au(f, 'complete');
    await au(f, 'terminate');
    await f.evaluate(() => (window as unknown as { au: { back(): void } }).au.back());
    await page.waitForURL(new RegExp(`/courses/${courseId}$`), { timeout: 15_000 });
    expect(page.frames()).toHaveLength(1);
    await poll(async () => page.textContent('[data-field="status"]'), 'Completed');
    await closePage(page);
  }, 60_000);

  describe('item 5: AUs at absolute URLs of another origin', () => {
    let external: http.Server;
    let externalOrigin: string;
    beforeAll(async () => {
      external = http.createServer((req, res) => {
        const name = (req.url ?? '').split('?')[0] ?? '';
        const body = name === '/cmi5.js' ? BUNDLE : name === '/au.html' ? DRIVEN_AU_PAGE : undefined;
        if (body === undefined) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': name.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(body);
      });
      await new Promise<void>((r) => external.listen(0, '127.0.0.1', () => r()));
      externalOrigin = `http://127.0.0.1:${(external.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      external.closeAllConnections();
      await new Promise((r) => external.close(r));
    });

    /** Launches a course from its page; the player page and the CSP it came with. */
    async function launchWithCsp(courseId: string): Promise<{ page: Page; csp: string }> {
      const page = await context.newPage();
      const csp = new Promise<string>((resolve) => page.on('response', (r) => {
        if (r.url().includes('/play/') && r.request().resourceType() === 'document') resolve(r.headers()['content-security-policy'] ?? '');
      }));
      await page.goto(`${appServer.url}/courses/${courseId}`);
      await page.getByRole('button', { name: /^Launch$/ }).click();
      return { page, csp: await csp };
    }
    const frameSrc = (csp: string): string[] => (/(?:^|;\s*)frame-src ([^;]*)/.exec(csp)?.[1] ?? '').trim().split(/\s+/).sort();

    it('the player page frames exactly the course\'s own origins, and the external AU plays in the frame', async () => {
      const id = iri('external');
      const courseId = encodeURIComponent(await h.publish(cmi5Zip({ courseId: iri('course'), aus: [{ id, moveOn: 'Completed', url: `${externalOrigin}/au.html` }], files: [] })));
      const { page, csp } = await launchWithCsp(courseId);
      expect(frameSrc(csp)).toEqual(["'self'", new URL(h.config.contentUrl).origin, externalOrigin].sort());
      const f = await auFrame(page, id);
      expect(new URL(f.url()).origin).toBe(externalOrigin);
      await au(f, 'complete');
      await au(f, 'terminate');
      await closePage(page);

      // Another course does not get that origin.
      const other = encodeURIComponent(await h.publish(cmi5Zip({ courseId: iri('course'), aus: [{ id: iri('packaged'), url: 'lesson.html' }], files })));
      const { page: page2, csp: csp2 } = await launchWithCsp(other);
      expect(frameSrc(csp2)).toEqual(["'self'", new URL(h.config.contentUrl).origin].sort());
      await closePage(page2);
    }, 60_000);

    it('an external AU that asks for its own window opens in one', async () => {
      const id = iri('external-window');
      const courseId = encodeURIComponent(await h.publish(cmi5Zip({ courseId: iri('course'), aus: [{ id, moveOn: 'Completed', launchMethod: 'OwnWindow', url: `${externalOrigin}/au.html` }], files: [] })));
      const page = await openCourse(courseId, /^Launch$/);
      expect(await page.locator('iframe').count()).toBe(0);
      const [win] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the course' }).click()]);
      await win.waitForLoadState();
      expect(new URL(win.url()).origin).toBe(externalOrigin);
      await poll(() => win.evaluate(() => document.title).catch(() => ''), 'ready');
      await closePage(win);
      await page.waitForURL(new RegExp(`/courses/${courseId}$`));
      await closePage(page);
    }, 60_000);
  });

  it('item 13: Exit leaves once the AU is unloaded, without waiting for a fallback timer; the AU\'s terminated statement lands', async () => {
    const id = iri('exit');
    const courseId = encodeURIComponent(await h.publish(cmi5Zip({ courseId: iri('course'), aus: [{ id, moveOn: 'Completed', url: 'lesson.html' }], files })));
    const page = await context.newPage();
    await neverFireLongTimers(page);
    await page.goto(`${appServer.url}/courses/${courseId}`);
    await page.getByRole('button', { name: /^Launch$/ }).click();
    await page.waitForURL(/\/play\//);
    await auFrame(page, id);
    await page.getByRole('button', { name: 'Exit' }).click();
    await page.waitForURL(new RegExp(`/courses/${courseId}$`), { timeout: 15_000 });
    const registration = (await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200)).body.registration.id as string;
    await poll(async () => verbsOf(await lrsStatements(h, { registration })).map((v) => v.split('/').pop()).includes('terminated'), true);
    await closePage(page);
  }, 60_000);

  it('item 13: the same for an xAPI (TinCan) course: its statement sent on pagehide lands', async () => {
    const activity = iri('tincan');
    const pageHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TinCan</title></head><body><p>TinCan</p><script>
var q = new URLSearchParams(location.search);
window.addEventListener('pagehide', function () {
  fetch(q.get('endpoint') + 'statements', { method: 'POST', keepalive: true,
    headers: { Authorization: q.get('auth'), 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
    body: JSON.stringify({ actor: JSON.parse(q.get('actor')), verb: { id: 'http://adlnet.gov/expapi/verbs/suspended', display: { 'en-US': 'suspended' } },
      object: { id: q.get('activity_id'), objectType: 'Activity' }, result: { duration: 'PT12S' }, context: { registration: q.get('registration') } }) });
});
document.title = 'ready';
</script></body></html>`;
    const courseId = encodeURIComponent(await h.publish(tincanPlayerZip(activity, pageHtml)));
    const page = await context.newPage();
    await neverFireLongTimers(page);
    await page.goto(`${appServer.url}/courses/${courseId}`);
    await page.getByRole('button', { name: /^Launch$/ }).click();
    await page.waitForURL(/\/play\//);
    await poll(async () => page.frames().some((f) => f.url().includes('/content/')) && (await page.frames().find((f) => f.url().includes('/content/'))?.title()) === 'ready', true);
    await page.getByRole('button', { name: 'Exit' }).click();
    await page.waitForURL(new RegExp(`/courses/${courseId}$`), { timeout: 15_000 });
    const registration = (await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200)).body.registration.id as string;
    await poll(async () => verbsOf(await lrsStatements(h, { registration })).map((v) => v.split('/').pop()).includes('suspended'), true);
    await closePage(page);
  }, 60_000);

  it('item 16: Resume opens the AU launched last, not the first unfinished one', async () => {
    const { courseId, ids } = await threeAuCourse();
    const page = await openCourse(courseId, /^Launch$/);
    await auFrame(page, ids.welcome);
    await unit(page, 'Practice').click();
    await auFrame(page, ids.practice);
    await page.getByRole('button', { name: 'Exit' }).click();
    await page.waitForURL(new RegExp(`/courses/${courseId}$`));
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForURL(/\/play\//);
    await auFrame(page, ids.practice);
    expect(await current(page)).toBe('Practice');
    await closePage(page);
  }, 60_000);
});
