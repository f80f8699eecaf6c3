/**
 * What a learner sees after playing, in Chromium (issue 17 items 9, 10 and 17): the course page
 * shows the same status, score, time and attempts as the API, for a TinCan game that reports its
 * rounds' durations, for a TinCan course that reports no time at all (the time the player page
 * measured, labelled as such), and for a SCORM 1.2 course.
 */
import path from 'node:path';
import express from 'express';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { scorm12Package } from '../fixtures/scorm-packages';
import { createPlayerHarness, type PlayerHarness } from '../http/cmi5/harness';
import { tincanPlayerZip } from '../http/cmi5/packages';
import { closePage, describeBrowser, launchBrowser, twoOrigins, type Listening } from './browser';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A TinCan page: reads its launch parameters, sends `rounds` statements a second apart (each PT1S when `durations`), then passes. */
function gamePage(rounds: number, durations: boolean): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Game</title></head>
<body><p id="out">starting</p><script>
(async () => {
  const q = new URLSearchParams(location.search);
  const send = (verb, result) => fetch(q.get('endpoint') + 'statements', {
    method: 'POST',
    headers: { Authorization: q.get('auth'), 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
    body: JSON.stringify({ actor: JSON.parse(q.get('actor')), verb: { id: 'http://adlnet.gov/expapi/verbs/' + verb },
      object: { id: q.get('activity_id') }, context: { registration: q.get('registration') }, timestamp: new Date().toISOString(),
      ...(result ? { result } : {}) }),
  });
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  await send('initialized');
  for (let i = 1; i <= ${rounds}; i++) {
    await sleep(1000);
    await send('played', { score: { raw: i * 10, min: 0, max: 100 }${durations ? ", duration: 'PT1S'" : ''} });
  }
  await send('passed', { success: true, completion: true, score: { scaled: 0.8 } });
  document.getElementById('out').textContent = 'done';
})().catch((e) => { document.getElementById('out').textContent = 'error ' + e; });
</script></body></html>`;
}

describeBrowser('the learner record on the course page, in Chromium', () => {
  let h: PlayerHarness;
  let appServer: Listening;
  let contentServer: Listening;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    const statics = express.static(path.join(__dirname, '..', '..', 'src', 'web', 'static'), { index: false });
    ({ harness: h, appServer, contentServer } = await twoOrigins((config) => createPlayerHarness({ config }), (x) => ({
      app: express().use('/static', statics).use(x.app),
      content: x.content,
    })));
    browser = await launchBrowser();
    context = await browser.newContext();
    await context.addCookies([{ name: 'test-user', value: h.users.learner.userId, url: appServer.url }]);
    jest.spyOn(console, 'debug').mockImplementation(() => undefined);
  }, 60_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await context?.close();
    await browser?.close();
    await appServer?.close();
    await contentServer?.close();
    await h?.close();
  });

  const api = async (p: string): Promise<Json> => (await context.request.get(`${appServer.url}${p}`)).json() as Promise<Json>;

  /** The course page's figures and the API's, once the API has stopped moving (a last time report may land after leaving). */
  async function figures(page: Page, courseId: string): Promise<{ shown: Record<string, string>; row: string[]; me: Json; own: Json }> {
    for (let i = 0; i < 20; i++) {
      const before = JSON.stringify(await api(`/api/courses/${courseId}/me`));
      await page.goto(`${appServer.url}/courses/${courseId}`);
      const field = async (f: string): Promise<string> => ((await page.locator(`[data-field="${f}"]`).textContent()) ?? '').replace(/\s+/g, ' ').trim();
      const shown = { status: await field('status'), score: await field('score'), time: await field('time'), attempts: await field('attempts') };
      const row = (await page.locator('tbody tr').first().locator('td').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
      const me = await api(`/api/courses/${courseId}/me`);
      if (JSON.stringify(me) === before) {
        const own = ((await api(`/api/progress?course=${courseId}`))['progress'] as Json[])[0] as Json;
        return { shown, row, me, own };
      }
      await page.waitForTimeout(250);
    }
    throw new Error('the learner record kept changing');
  }

  /** Asserts the page shows what the API says, as the page words it. */
  function sameAsApi(f: { shown: Record<string, string>; row: string[]; me: Json; own: Json }, expected: { status: string; score: string }): void {
    const p = f.me['progress'] as Json;
    const secs = Math.round(p['totalSeconds'] as number);
    const time = `${secs} s${p['timeSource'] === 'player' ? ' (measured by LearnHQ)' : ''}`;
    expect(f.shown).toEqual({ ...expected, time, attempts: String(p['attempts']) });
    const a = (f.me['attempts'] as Json[])[0] as Json;
    expect(f.row.slice(0, 4)).toEqual(['1', expected.status, expected.score, `${Math.round(a['totalSeconds'] as number)} s${a['timeSource'] === 'player' ? ' (measured by LearnHQ)' : ''}`]);
    expect(f.own).toMatchObject({ completion: p['completion'], success: p['success'], scoreScaled: p['scoreScaled'], timeSeconds: p['totalSeconds'], timeSource: p['timeSource'], attempts: p['attempts'] });
  }

  async function playTinCan(courseId: string, waitAfterDoneMs: number): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${appServer.url}/courses/${courseId}`);
    await page.getByRole('button', { name: /^Launch$/ }).click();
    await page.waitForURL(/\/play\//);
    const frame = await waitForFrame(page, '/content/');
    await frame.waitForFunction(() => document.getElementById('out')?.textContent !== 'starting', undefined, { timeout: 20_000 });
    expect(await frame.textContent('#out')).toBe('done');
    await page.waitForTimeout(waitAfterDoneMs);
    await page.getByRole('button', { name: 'Exit' }).click();
    await page.waitForURL(new RegExp(`/courses/${courseId}$`), { timeout: 15_000 });
    return page;
  }

  async function waitForFrame(page: Page, part: string): Promise<Frame> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const f = page.frames().find((x) => x.url().includes(part));
      if (f) return f;
      await page.waitForTimeout(100);
    }
    throw new Error(`no frame ${part}`);
  }

  it('a TinCan game that reports each round\'s duration: the time is the rounds\' (3 s), and the attempt row says what the summary says', async () => {
    const courseId = await h.publish(tincanPlayerZip('http://example.com/e2e/game', gamePage(3, true)));
    const page = await playTinCan(courseId, 0);
    const f = await figures(page, courseId);
    sameAsApi(f, { status: 'Passed', score: '80 %' });
    expect(f.me['progress']).toMatchObject({ totalSeconds: 3, timeSource: 'content' });
    await closePage(page);
  }, 60_000);

  it('a TinCan course that reports no time: the time the player measured, labelled "measured by LearnHQ"', async () => {
    const courseId = await h.publish(tincanPlayerZip('http://example.com/e2e/silent', gamePage(1, false)));
    const page = await playTinCan(courseId, 1500);
    const f = await figures(page, courseId);
    sameAsApi(f, { status: 'Passed', score: '80 %' });
    expect(f.me['progress']['timeSource']).toBe('player');
    // The player page was open at least through the round and the wait after it.
    expect(f.me['progress']['totalSeconds']).toBeGreaterThanOrEqual(2);
    await closePage(page);
  }, 60_000);

  it('SCORM 1.2: after passing with 90 and leaving, the course page and the API agree', async () => {
    const courseId = await h.publish(scorm12Package('Record in the browser'));
    const page = await context.newPage();
    await page.goto(`${appServer.url}/courses/${courseId}`);
    await page.getByRole('button', { name: /^Launch$/ }).click();
    await page.waitForURL(/\/play\//);
    const deadline = Date.now() + 20_000;
    let sco: Frame | undefined;
    while (!sco && Date.now() < deadline) {
      const f = page.frames().find((x) => x.url().includes('/content/'));
      if (f && (await f.evaluate(() => document.title === 'ready').catch(() => false))) sco = f;
      else await page.waitForTimeout(100);
    }
    if (!sco) throw new Error('the SCO did not start');
    await sco.evaluate(() => {
      const s = (window as unknown as { sco: { finish(st: string, score: number): string; terminate(): string } }).sco;
      s.finish('passed', 90);
      s.terminate();
    });
    // A SCO that ends itself: the player goes on as sequencing says, here back to the course page (issue 17 item 2).
    await page.waitForURL(new RegExp(`/courses/${courseId}$`), { timeout: 15_000 });
    const f = await figures(page, courseId);
    sameAsApi(f, { status: 'Passed', score: '90 %' });
    await closePage(page);
  }, 60_000);
});
