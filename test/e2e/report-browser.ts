/**
 * The report pages' browser set-up: a report world served over HTTP and Chromium, with pages
 * signed in as one of the world's viewers. Pages are checked with script off (they must work
 * without it); axe itself is a script, so it runs on a second, script-enabled page at the same
 * address (with script off it never returns).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createReportWorld, type ReportWorld, type Viewer } from '../http/reports/harness';
import { axeViolations, launchBrowser, listen, type Listening } from './browser';

export interface ReportBrowser {
  readonly w: ReportWorld;
  /** The world's address (http://127.0.0.1:port). */
  readonly url: string;
  /** A new page of `viewer` (downloads accepted, script off unless asked). */
  pageAs(viewer: Viewer, javaScriptEnabled?: boolean): Promise<Page>;
  /** The axe violations of `url` as `viewer` sees it. */
  axe(viewer: Viewer, url: string): Promise<string[]>;
}

/** Starts the world and the browser before the suite's tests (after `prepare`), closes them after; call inside a describe. */
export function useReportBrowser(prepare: (w: ReportWorld) => Promise<unknown> = async () => undefined): ReportBrowser {
  let w: ReportWorld | undefined;
  let server: Listening | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    w = await createReportWorld();
    await prepare(w);
    server = await listen(w.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await w?.close();
  });
  const started = (): { w: ReportWorld; server: Listening; browser: Browser } => {
    if (!w || !server || !browser) throw new Error('the report browser has not started');
    return { w, server, browser };
  };
  const pageAs = async (viewer: Viewer, javaScriptEnabled = false): Promise<Page> => {
    const s = started();
    const c = await s.browser.newContext({ acceptDownloads: true, javaScriptEnabled });
    contexts.push(c);
    const [name, value] = s.w.cookies[viewer].split('=') as [string, string];
    await c.addCookies([{ name, value, url: s.server.url }]);
    const p = await c.newPage();
    p.setDefaultTimeout(20_000);
    return p;
  };
  return {
    get w() { return started().w; },
    get url() { return started().server.url; },
    pageAs,
    async axe(viewer, url) {
      const page = await pageAs(viewer, true);
      await page.goto(url);
      return axeViolations(page);
    },
  };
}
