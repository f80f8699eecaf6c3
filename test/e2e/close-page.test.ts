/**
 * closePage (test/e2e/browser.ts) closes a page that navigates by itself at the moment it is
 * closed, the way the player leaves for the course page when the content ends. A plain
 * page.close() never returned for about 1 such page in 12 on this machine.
 */
import express from 'express';
import type { Browser } from 'playwright-core';
import { closePage, describeBrowser, launchBrowser, listen, type Listening } from './browser';

describeBrowser('closePage', () => {
  let browser: Browser;
  let site: Listening;

  beforeAll(async () => {
    const app = express();
    app.get('/content', (_req, res) => { res.type('html').send('<!doctype html><title>content</title>'); });
    app.get('/course', (_req, res) => { res.type('html').send('<!doctype html><title>course</title>'); });
    site = await listen(app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('closes every page whose own navigation meets the close', async () => {
    const context = await browser.newContext();
    for (let i = 0; i < 30; i++) {
      const page = await context.newPage();
      await page.goto(`${site.url}/content`);
      // The page leaves by itself 0–9 ms from now; the close comes 0–5 ms from now.
      await page.evaluate((delay) => { setTimeout(() => { location.href = '/course'; }, delay); }, i % 10);
      await new Promise((resolve) => setTimeout(resolve, i % 6));
      await closePage(page, i % 2 === 0 ? {} : { runBeforeUnload: true });
      expect(page.isClosed()).toBe(true);
    }
    expect(context.pages()).toHaveLength(0);
    await context.close();
  }, 120_000);
});
