/**
 * cmi5 AUs for the browser tests, built on the @xapi/cmi5 client library (bundled for the browser
 * with esbuild), and the cmi5 player set-up (the xAPI/cmi5 harness on two origins, with the
 * player's static files).
 */
import path from 'node:path';
import { buildSync } from 'esbuild';
import express from 'express';
import type { Frame, Page } from 'playwright-core';
import { createPlayerHarness, type PlayerHarness } from '../http/cmi5/harness';
import { twoOrigins, type Listening } from './browser';

/** The @xapi/cmi5 library as one browser script that sets window.Cmi5. */
export function cmi5Bundle(): string {
  const out = buildSync({
    stdin: { contents: "import Cmi5 from '@xapi/cmi5'; (window as unknown as { Cmi5: unknown }).Cmi5 = Cmi5;", resolveDir: process.cwd(), loader: 'ts' },
    bundle: true, format: 'iife', platform: 'browser', target: 'es2020', write: false, minify: true, logLevel: 'silent',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error('esbuild produced no bundle');
  return file.text;
}

/**
 * An AU as content vendors write them: it initializes on load (title "ready" then), the test
 * drives it through `window.au`, and when the page goes away before it terminated, it sends its
 * terminated statement with a request that outlives the page (fetch keepalive).
 */
export const DRIVEN_AU_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AU</title><script src="cmi5.js"></script></head>
<body><h1>AU</h1><p id="out">starting</p><script>
var cmi5 = new window.Cmi5();
var terminated = false;
var started = Date.now();
window.au = {
  complete: function () { return cmi5.complete().then(function () { return 'ok'; }); },
  pass: function (s) { return cmi5.pass(s).then(function () { return 'ok'; }); },
  terminate: function () { terminated = true; return cmi5.terminate().then(function () { return 'ok'; }); },
  back: function () { window.location.href = cmi5.getLaunchData().returnURL; },
  activityId: function () { return cmi5.getLaunchParameters().activityId; }
};
window.addEventListener('pagehide', function () {
  if (terminated || !cmi5.isAuthenticated) return;
  terminated = true;
  var lp = cmi5.getLaunchParameters();
  var context = JSON.parse(JSON.stringify(cmi5.getLaunchData().contextTemplate));
  context.registration = lp.registration;
  context.contextActivities = context.contextActivities || {};
  context.contextActivities.category = [{ id: 'https://w3id.org/xapi/cmi5/context/categories/cmi5' }];
  var statement = {
    id: crypto.randomUUID(), actor: lp.actor, timestamp: new Date().toISOString(),
    verb: { id: 'http://adlnet.gov/expapi/verbs/terminated', display: { 'en-US': 'terminated' } },
    object: { objectType: 'Activity', id: lp.activityId },
    result: { duration: 'PT' + Math.round((Date.now() - started) / 1000) + 'S' }, context: context
  };
  fetch(lp.endpoint.replace(/\\/$/, '') + '/statements', { method: 'POST', keepalive: true, body: JSON.stringify(statement),
    headers: { Authorization: 'Basic ' + cmi5.getAuthToken(), 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3' } });
});
cmi5.initialize().then(function () { document.getElementById('out').textContent = 'initialized'; document.title = 'ready'; })
  .catch(function (e) { document.getElementById('out').textContent = 'error ' + (e && e.message ? e.message : e); });
</script></body></html>`;

/** The AU frame (or window) of a player page once the AU initialized; `activityId` ends with the AU's id when given. */
export async function auFrame(page: Page, auId?: string): Promise<Frame> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      const ready = await f.evaluate(() => document.title === 'ready').catch(() => false);
      if (!ready) continue;
      const id = await f.evaluate(() => (window as unknown as { au: { activityId(): string } }).au.activityId()).catch(() => '');
      if (auId === undefined || id.endsWith(`/aus/${encodeURIComponent(auId)}`)) return f;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`the AU ${auId ?? ''} did not initialize: frames ${page.frames().map((f) => f.url()).join(' ')}`);
}

/** Runs `window.au[method](...args)` in an AU frame (awaiting its promise). */
export async function au(f: Frame, method: string, ...args: unknown[]): Promise<unknown> {
  return f.evaluate(([m, a]) => (window as unknown as { au: Record<string, (...x: unknown[]) => unknown> }).au[m as string]!(...(a as unknown[])), [method, args] as const);
}

/** The xAPI/cmi5 player on two origins, serving the player's static files. */
export async function startCmi5Player(): Promise<{ h: PlayerHarness; appServer: Listening; contentServer: Listening; close(): Promise<void> }> {
  const { harness: h, appServer, contentServer } = await twoOrigins((config) => createPlayerHarness({ config }), (x) => {
    // This harness serves no static files; the player page needs its script.
    const withStatic = express();
    withStatic.use('/static', express.static(path.join(__dirname, '..', '..', 'src', 'web', 'static'), { index: false }));
    withStatic.use(x.app);
    return { app: withStatic, content: x.content };
  });
  return {
    h, appServer, contentServer,
    async close() {
      await appServer.close();
      await contentServer.close();
      await h.close();
    },
  };
}
