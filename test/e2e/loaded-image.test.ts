/**
 * loadedImageWidth (test/e2e/browser.ts) waits for an image that is still loading on a page with
 * script off, as the report pages are checked. The earlier wait (an `onload` handler set from an
 * evaluate) never ran there, so a chart image slower than the test's look hung the test until its
 * timeout.
 */
import express from 'express';
import type { Browser, BrowserContext } from 'playwright-core';
import { describeBrowser, launchBrowser, listen, loadedImageWidth, type Listening } from './browser';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="12" height="8"><rect width="12" height="8"/></svg>';

describeBrowser('loadedImageWidth', () => {
  let browser: Browser;
  let site: Listening;
  let context: BrowserContext;
  let release: () => void = () => undefined;

  beforeAll(async () => {
    const app = express();
    // The image answers only when the test lets it: it is certainly still loading when first looked at.
    app.get('/slow.svg', (_req, res) => { release = () => res.type('image/svg+xml').send(SVG); });
    app.get('/broken.svg', (_req, res) => { res.type('image/svg+xml').send('not an image'); });
    app.get('/page', (req, res) => { res.type('html').send(`<!doctype html><title>chart</title><img src="/${String(req.query['img'])}.svg" alt="chart">`); });
    site = await listen(app);
    browser = await launchBrowser();
    context = await browser.newContext({ javaScriptEnabled: false });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await site?.close();
  });

  it('returns the width of an image that loads while it waits, with script off', async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}/page?img=slow`, { waitUntil: 'commit' });
    const img = page.locator('img');
    await img.waitFor({ state: 'attached' });
    expect(await img.evaluate((el: HTMLImageElement) => el.complete)).toBe(false);
    const width = loadedImageWidth(img, 10_000);
    setTimeout(() => release(), 300);
    await expect(width).resolves.toBe(12);
  });

  it('returns 0 for an image that fails to decode, and fails on one that never loads', async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}/page?img=broken`);
    expect(await loadedImageWidth(page.locator('img'))).toBe(0);
    await page.goto(`${site.url}/page?img=slow`, { waitUntil: 'commit' });
    await page.locator('img').waitFor({ state: 'attached' });
    await expect(loadedImageWidth(page.locator('img'), 500)).rejects.toThrow(/still loading after 500 ms/);
    release();
  });
});
