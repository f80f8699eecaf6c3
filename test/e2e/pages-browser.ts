/**
 * The set-up the page suites share: a pages app (test/http/pages/fixture.ts) listening on an
 * ephemeral port, Debian's Chromium, and the browser contexts a suite opens, all closed after the
 * suite. Call usePagesBrowser() at the top of a describeBrowser body: its beforeAll runs before the
 * suite's own, which finds the app, the server and the browser ready.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { Config } from '../../src/config';
import { createPagesApp, type PagesApp } from '../http/pages/fixture';
import { launchBrowser, listen, type Listening } from './browser';

export interface PagesBrowser {
  readonly t: PagesApp;
  readonly server: Listening;
  readonly browser: Browser;
  /** A new browser context, closed after the suite. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a new browser context (closed after the suite). */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/** `config`: the app's configuration beside the pages fixture's own, read when the suite starts. */
export function usePagesBrowser(config: () => Partial<Config> = () => ({})): PagesBrowser {
  let t: PagesApp | undefined;
  let server: Listening | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    t = await createPagesApp(config());
    server = await listen(t.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await t?.close();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`usePagesBrowser: ${what} is made in the suite's first beforeAll; use it in a later hook or a test`);
    return value;
  };
  const newContext = async (options?: BrowserContextOptions): Promise<BrowserContext> => {
    const c = await ready(browser, 'the browser').newContext(options);
    contexts.push(c);
    return c;
  };
  return {
    get t() {
      return ready(t, 'the app');
    },
    get server() {
      return ready(server, 'the server');
    },
    get browser() {
      return ready(browser, 'the browser');
    },
    newContext,
    newPage: async (options) => (await newContext(options)).newPage(),
  };
}
