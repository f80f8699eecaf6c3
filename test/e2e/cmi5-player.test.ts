/**
 * A cmi5 AU built with the @xapi/cmi5 client library (bundled for the browser with esbuild) runs
 * in Chromium from the content origin: it fetches its token, reads LMS.LaunchData, initializes,
 * passes, completes, terminates and follows returnURL; afterwards the course is satisfied. The
 * statements and the LaunchData document that reached the LRS are checked.
 */
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { createPlayerHarness, lrsStatements, verbsOf, type PlayerHarness } from '../http/cmi5/harness';
import { cmi5Zip } from '../http/cmi5/packages';
import { describeBrowser, launchBrowser, twoOrigins, type Listening } from './browser';
import { cmi5Bundle } from './cmi5-au';

const AU_ID = 'http://example.com/cmi5/e2e-au';
const SESSION_EXT = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';

const AU_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AU</title><script src="cmi5.js"></script></head>
<body><h1>cmi5 AU</h1><p id="out">starting</p><script>
(async () => {
  const out = document.getElementById('out');
  try {
    const cmi5 = new window.Cmi5();
    await cmi5.initialize();
    out.textContent = 'initialized';
    await cmi5.pass(0.9);
    await cmi5.complete();
    await cmi5.terminate();
    const back = cmi5.getLaunchData().returnURL;
    out.textContent = 'done';
    if (back) window.location.href = back;
  } catch (err) {
    out.textContent = 'error: ' + (err && err.message ? err.message : String(err)) + (err && err.response ? ' ' + JSON.stringify(err.response.data) : '');
  }
})();
</script></body></html>`;

describeBrowser('cmi5 AU (@xapi/cmi5) in Chromium', () => {
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

  it('initializes, passes, completes and terminates, and the course is satisfied', async () => {
    // The AU page drives the library; cmi5.js is the esbuild bundle of @xapi/cmi5.
    const zip = cmi5Zip({
      courseId: 'http://example.com/cmi5/e2e-2',
      aus: [{ id: AU_ID, moveOn: 'CompletedAndPassed', masteryScore: 0.8, url: 'start.html' }],
      files: [{ name: 'cmi5.js', data: cmi5Bundle() }, { name: 'start.html', data: AU_PAGE }],
    });
    const course = await h.publish(zip);
    const l = await h.launch(course);
    // The learner's app session (the harness reads a test-user cookie), so returnURL shows the course page.
    const context = await browser.newContext();
    await context.addCookies([{ name: 'test-user', value: h.users.learner.userId, url: appServer.url }]);
    const page = await context.newPage();
    try {
      await page.goto(l.frameUrl);
      const returnUrl = `${appServer.url}/courses/${course}`;
      await page.waitForURL((u) => u.toString() === returnUrl || false, { timeout: 15_000 }).catch(async () => {
        throw new Error(`the AU did not return (at ${page.url()}): ${await page.locator('#out').textContent().catch(() => '?')}`);
      });
    } finally {
      await context.close();
    }

    const all = await lrsStatements(h, { registration: l.registration });
    const verbs = verbsOf(all).map((v) => v.split('/').pop());
    // satisfied follows the statement that met moveOn (completed), before the AU terminates.
    expect(verbs).toEqual(['launched', 'initialized', 'passed', 'completed', 'satisfied', 'terminated']);
    const sessionIds = new Set(all.map((s) => ((s['context'] as Record<string, Record<string, unknown>>)['extensions'] ?? {})[SESSION_EXT]));
    expect(sessionIds.size).toBe(1);
    const passed = all[2] ?? {};
    expect(passed).toMatchObject({ result: { success: true, score: { scaled: 0.9 } }, context: { extensions: { 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore': 0.8 } } });
    expect(all[4]).toMatchObject({ object: { id: `${appServer.url}/courses/${course}`, definition: { type: 'https://w3id.org/xapi/cmi5/activitytype/course' } } });

    const actor = all[0]?.['actor'];
    const activityId = String((all[0]?.['object'] as { id: string }).id);
    const doc = await request(h.app).get('/xapi/activities/state')
      .query({ activityId, agent: JSON.stringify(actor), registration: l.registration, stateId: 'LMS.LaunchData' })
      .set('Authorization', h.lrsAuth).set('X-Experience-API-Version', '1.0.3').expect(200);
    expect(JSON.parse(doc.text)).toMatchObject({ launchMode: 'Normal', moveOn: 'CompletedAndPassed', masteryScore: 0.8, returnURL: `${appServer.url}/courses/${course}/return` });

    const progress = await request(h.app).get('/api/progress').query({ course }).set(h.as('learner')).expect(200);
    expect((progress.body as { progress: Record<string, unknown>[] }).progress[0]).toMatchObject({ completion: 'completed', success: 'passed', satisfied: true, scoreScaled: 0.9 });
  }, 60_000);
});
