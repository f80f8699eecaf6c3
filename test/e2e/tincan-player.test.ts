/**
 * An xAPI (TinCan) package in Chromium: its page reads the TinCan launch parameters from its URL
 * and sends a statement to the endpoint with the launch credential; the statement reaches the LRS
 * and the progress projection. A write outside the credential's registration is refused.
 */
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { createPlayerHarness, lrsStatements, type PlayerHarness } from '../http/cmi5/harness';
import { tincanPlayerZip } from '../http/cmi5/packages';
import { closePage, describeBrowser, launchBrowser, twoOrigins, type Listening } from './browser';

const ACTIVITY = 'http://example.com/tincan/e2e';

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TinCan</title></head>
<body><p id="out">starting</p><script>
(async () => {
  const q = new URLSearchParams(location.search);
  const endpoint = q.get('endpoint');
  const send = (registration) => fetch(endpoint + 'statements', {
    method: 'POST',
    headers: { Authorization: q.get('auth'), 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json' },
    body: JSON.stringify({
      actor: JSON.parse(q.get('actor')),
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
      object: { id: q.get('activity_id'), objectType: 'Activity' },
      result: { completion: true, score: { scaled: 0.6 } },
      context: { registration },
    }),
  });
  const ok = await send(q.get('registration'));
  const other = await send('00000000-0000-4000-8000-000000000000');
  document.getElementById('out').textContent = 'sent ' + ok.status + ' ' + other.status;
})().catch((e) => { document.getElementById('out').textContent = 'error ' + e; });
</script></body></html>`;

describeBrowser('TinCan package in Chromium', () => {
  let h: PlayerHarness;
  let appServer: Listening;
  let contentServer: Listening;
  let browser: Browser;

  beforeAll(async () => {
    ({ harness: h, appServer, contentServer } = await twoOrigins((config) => createPlayerHarness({ config }), (x) => ({ app: x.app, content: x.content })));
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await appServer?.close();
    await contentServer?.close();
    await h?.close();
  });

  it('sends a statement with its launch credential, and nothing outside its registration', async () => {
    const course = await h.publish(tincanPlayerZip(ACTIVITY, PAGE));
    const l = await h.launch(course);
    const page = await browser.newPage();
    try {
      await page.goto(l.frameUrl);
      await page.waitForFunction(() => document.getElementById('out')?.textContent !== 'starting', undefined, { timeout: 15_000 });
      expect(await page.locator('#out').textContent()).toBe('sent 200 403');
    } finally {
      await closePage(page);
    }
    const stored = await lrsStatements(h, { registration: l.registration, activity: ACTIVITY });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      actor: { account: { homePage: appServer.url, name: h.users.learner.userId } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
      authority: { account: { name: 'learnhq-player' } },
    });
    const progress = await request(h.app).get('/api/progress').query({ course }).set(h.as('learner')).expect(200);
    expect((progress.body as { progress: Record<string, unknown>[] }).progress[0]).toMatchObject({ registration: l.registration, completion: 'completed', scoreScaled: 0.6 });
  }, 60_000);
});
