/**
 * bench/launch-time: "the time from pressing Launch to the content's first call of the runtime API".
 *
 * The launch harness serves the app and the content origin on real ports (SQLite file store);
 * Debian's Chromium (playwright-core, the flags of test/e2e/browser.ts) opens the course page of a
 * generated SCORM 1.2 course as a fresh learner in a fresh browser context (empty cache), clicks
 * Launch, and the clock stops when the launcher POSTs its first commit with event "initialize"
 * (the SCO's LMSInitialize), seen by page.on('request'). Milestones on the way show where the time
 * goes: the form POST of the Launch button, the player page's document request, its DOMContentLoaded and load events, the launcher
 * document, the launcher's seed GET and the SCO document. Timestamps are taken in this process
 * from playwright's events (each carries a little protocol delay, the same for every milestone).
 * The launcher's JavaScript (its entry and the SCORM runtime chunk it loads) is summed per run.
 *
 * Run: node -r ./scripts/register-ts.js bench/launch-time.ts  (npm run bench:launch-time)
 * Env: BENCH_RUNS (10), BENCH_DIR.
 */
import type { Browser, Request } from 'playwright-core';
import { scorm12Package } from '../test/fixtures/scorm-packages';
import { launchBrowser } from '../test/e2e/browser';
import { startLaunchBench, type LaunchBench } from './lib/launch-bench';
import { fmt, percentile } from './lib/stats';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 10);

const MILESTONES = ['launch POST', 'play document', 'player DOMContentLoaded', 'launcher document', 'player load', 'seed GET', 'SCO document', 'initialize commit'] as const;
type Milestone = (typeof MILESTONES)[number];

/** Which milestone a request is, if any. */
function milestoneOf(req: Request, bench: LaunchBench): Milestone | 'commit' | undefined {
  const url = req.url();
  if (url.startsWith(bench.appUrl) && req.resourceType() === 'document' && req.method() === 'POST') return 'launch POST';
  if (url.startsWith(`${bench.appUrl}/play/`) && req.resourceType() === 'document') return 'play document';
  if (url.startsWith(`${bench.contentUrl}/launch/`) && req.resourceType() === 'document') return 'launcher document';
  if (url.startsWith(`${bench.contentUrl}/content/`) && req.resourceType() === 'document') return 'SCO document';
  if (/\/api\/runtime\/sessions\/[^/]+$/.test(url) && req.method() === 'GET') return 'seed GET';
  if (/\/api\/runtime\/sessions\/[^/]+\/commits$/.test(url) && req.method() === 'POST') return 'commit';
  return undefined;
}

interface Run {
  readonly at: Map<Milestone, number>;
  /** Bytes of JavaScript the launcher page loaded from /launch-assets/. */
  readonly launcherJsBytes: number;
}

async function oneRun(browser: Browser, bench: LaunchBench, courseId: string, learner: string): Promise<Run> {
  const context = await browser.newContext();
  try {
    await context.addCookies([{ name: 'test-user', value: learner, url: bench.appUrl }]);
    const page = await context.newPage();
    await page.goto(`${bench.appUrl}/courses/${courseId}`);
    const button = page.getByRole('button', { name: /^Launch$/ });
    await button.waitFor();

    const at = new Map<Milestone, number>();
    const mark = (m: Milestone): void => { if (!at.has(m)) at.set(m, performance.now()); };
    let resolveInit: () => void = () => undefined;
    const initialized = new Promise<void>((r) => { resolveInit = r; });
    // Every frame's requests reach page.on('request'), the launcher's and the SCO's included.
    page.on('request', (req) => {
      const m = milestoneOf(req, bench);
      if (m === undefined) return;
      if (m !== 'commit') { mark(m); return; }
      const body = req.postData();
      if (body && (JSON.parse(body) as { event?: string }).event === 'initialize') {
        mark('initialize commit');
        resolveInit();
      }
    });
    const jsBodies: Promise<number>[] = [];
    page.on('response', (res) => {
      if (res.url().startsWith(`${bench.contentUrl}/launch-assets/`) && res.url().endsWith('.js')) jsBodies.push(res.body().then((b) => b.length, () => 0));
    });
    page.on('domcontentloaded', () => { if (page.url().includes('/play/')) mark('player DOMContentLoaded'); });
    page.on('load', () => { if (page.url().includes('/play/')) mark('player load'); });

    const t0 = performance.now();
    await button.click();
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no initialize commit within 30 s; saw ${[...at.keys()].join(', ')}`)), 30_000).unref());
    await Promise.race([initialized, timeout]);
    // The load event may come after the first commit; give it a moment so the table is complete.
    await page.waitForLoadState('load', { timeout: 10_000 }).catch(() => undefined);
    const launcherJsBytes = (await Promise.all(jsBodies)).reduce((a, b) => a + b, 0);
    return { at: new Map([...at].map(([k, v]) => [k, v - t0])), launcherJsBytes };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const bench = await startLaunchBench();
  let browser: Browser | undefined;
  try {
    const courseId = await bench.h.publish(scorm12Package('Launch time bench'));
    const learners = await bench.addLearners(RUNS + 1);
    browser = await launchBrowser();
    console.log(`launch-time: SCORM 1.2, ${RUNS} runs, each a fresh learner (Launch) in a fresh browser context; Chromium ${browser.version()}`);
    // A warm-up run (not counted): first use of the code paths in this process and of the browser.
    await oneRun(browser, bench, courseId, learners[RUNS]!);

    const runs: Map<Milestone, number>[] = [];
    let jsBytes = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const one = await oneRun(browser, bench, courseId, learners[i]!);
      const r = one.at;
      jsBytes = Math.max(jsBytes, one.launcherJsBytes);
      runs.push(r);
      const cells = MILESTONES.map((m) => `${m} ${fmt(r.get(m) ?? NaN, 0)}`).join(' | ');
      console.log(`run ${String(i + 1).padStart(2)}: ${cells} (ms after click)`);
    }
    console.log('');
    console.log('milestone (ms after clicking Launch)   median      p95      min      max');
    for (const m of MILESTONES) {
      const v = runs.map((r) => r.get(m)).filter((x): x is number => x !== undefined);
      console.log(`${m.padEnd(36)} ${fmt(percentile(v, 50), 0).padStart(8)} ${fmt(percentile(v, 95), 0).padStart(8)} ${fmt(Math.min(...v), 0).padStart(8)} ${fmt(Math.max(...v), 0).padStart(8)}  (n=${v.length})`);
    }
    const init = runs.map((r) => r.get('initialize commit')).filter((x): x is number => x !== undefined);
    console.log('');
    console.log(`launcher JavaScript loaded per launch: ${fmt(jsBytes / 1024, 0)} KB (uncompressed)`);
    console.log(`Launch → first runtime call (initialize commit): median ${fmt(percentile(init, 50), 0)} ms, p95 ${fmt(percentile(init, 95), 0)} ms`);
  } finally {
    await browser?.close();
    await bench.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
