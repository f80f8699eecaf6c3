import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createReportWorld, type ReportWorld, type Viewer } from '../http/reports/harness';
import { describeBrowser, launchBrowser, listen, type Listening } from './browser';

/** Report pages in Chromium: charts drawn without script, table alternatives, CSV downloads that parse, axe clean. */
describeBrowser('report pages in Chromium', () => {
  let w: ReportWorld;
  let server: Listening;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  jest.setTimeout(180_000);

  beforeAll(async () => {
    w = await createReportWorld();
    server = await listen(w.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await w?.close();
  });

  // Pages are checked with script off (they must work without it); axe itself is a script, so it
  // runs on a second, script-enabled page at the same address (with script off it never returns).
  async function pageAs(viewer: Viewer, javaScriptEnabled = false): Promise<Page> {
    const c = await browser.newContext({ acceptDownloads: true, javaScriptEnabled });
    contexts.push(c);
    const [name, value] = w.cookies[viewer].split('=') as [string, string];
    await c.addCookies([{ name, value, url: server.url }]);
    const p = await c.newPage();
    p.setDefaultTimeout(20_000);
    return p;
  }

  async function axe(viewer: Viewer, url: string): Promise<string[]> {
    const page = await pageAs(viewer, true);
    await page.goto(url);
    const r = await new AxeBuilder({ page }).analyze();
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  it('draws the overview charts as images with their tables, and its CSV downloads parse', async () => {
    const page = await pageAs('analystP');
    await page.goto(`${server.url}/reports?from=2030-05-01&to=2030-05-31`);
    await page.getByRole('link', { name: 'Reports' }).first().waitFor();
    const images = page.locator('figure.chart img');
    expect(await images.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const img = images.nth(i);
      await img.evaluate((el: HTMLImageElement) => (el.complete ? null : new Promise((r) => { el.onload = r; el.onerror = r; })));
      expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);
      expect(await img.getAttribute('alt')).toMatch(/table below/);
    }
    expect(await page.locator('#table-overTime tbody tr').count()).toBe(31);
    expect(await page.locator('#table-byOrganization').textContent()).toContain('Fewer than 5 learners: not shown');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('figure.chart').first().getByRole('link', { name: 'Download CSV' }).click()]);
    const rows = parse(readFileSync((await download.path()) ?? ''), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(31);
    expect(Object.keys(rows[0] ?? {})).toEqual(['key', 'label', 'suppressed', 'learners', 'launches', 'completions', 'passes', 'failures', 'passRate', 'hours']);
    expect(await axe('analystP', page.url())).toEqual([]);
  });

  it('shows the course report and the statement explorer accessibly, and their downloads parse', async () => {
    const page = await pageAs('analystA');
    await page.goto(`${server.url}/reports/courses/${w.courses.intro}?from=2030-05-01&to=2030-05-31`);
    expect(await page.locator('#table-items').textContent()).toContain('Question 1');
    for (const img of await page.locator('figure.chart img').all()) expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#items-h').locator('..').getByRole('link', { name: 'Download CSV' }).click()]);
    expect(parse(readFileSync((await download.path()) ?? ''), { columns: true })).toHaveLength(1);
    expect(await axe('analystA', page.url())).toEqual([]);

    await page.goto(`${server.url}/reports/statements?limit=5`);
    expect(await page.locator('ol.statements > li').count()).toBe(5);
    await page.getByRole('link', { name: 'More statements' }).click();
    expect(await page.locator('ol.statements > li').count()).toBe(5);
    await page.locator('ol.statements details summary').first().click();
    expect(await page.locator('ol.statements details pre').first().textContent()).toContain('"verb"');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export all as CSV' }).click()]);
    expect(parse(readFileSync((await csv.path()) ?? ''), { columns: true })).toHaveLength(24);
    expect(await axe('analystA', page.url())).toEqual([]);
  });
});
