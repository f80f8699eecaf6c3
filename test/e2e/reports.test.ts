import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describeBrowser, loadedImageWidth } from './browser';
import { useReportBrowser } from './report-browser';

/** Report pages in Chromium: charts drawn without script, table alternatives, CSV downloads that parse, axe clean. */
describeBrowser('report pages in Chromium', () => {
  jest.setTimeout(180_000);
  const r = useReportBrowser();

  it('draws the overview charts as images with their tables, and its CSV downloads parse', async () => {
    const page = await r.pageAs('analystP');
    await page.goto(`${r.url}/reports?from=2030-05-01&to=2030-05-31`);
    await page.getByRole('link', { name: 'Reports' }).first().waitFor();
    const images = page.locator('figure.chart img');
    expect(await images.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const img = images.nth(i);
      expect(await loadedImageWidth(img)).toBeGreaterThan(0);
      expect(await img.getAttribute('alt')).toMatch(/table below/);
    }
    expect(await page.locator('#table-overTime tbody tr').count()).toBe(31);
    expect(await page.locator('#table-byOrganization').textContent()).toContain('Fewer than 5 learners: not shown');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('figure.chart').first().getByRole('link', { name: 'Download CSV' }).click()]);
    const rows = parse(readFileSync((await download.path()) ?? ''), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(31);
    expect(Object.keys(rows[0] ?? {})).toEqual(['key', 'label', 'suppressed', 'learners', 'launches', 'completions', 'passes', 'failures', 'passRate', 'hours']);
    expect(await r.axe('analystP', page.url())).toEqual([]);
  });

  it('shows the course report and the statement explorer accessibly, and their downloads parse', async () => {
    const page = await r.pageAs('analystA');
    await page.goto(`${r.url}/reports/courses/${r.w.courses.intro}?from=2030-05-01&to=2030-05-31`);
    expect(await page.locator('#table-items').textContent()).toContain('Question 1');
    for (const img of await page.locator('figure.chart img').all()) expect(await loadedImageWidth(img)).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#items-h').locator('..').getByRole('link', { name: 'Download CSV' }).click()]);
    expect(parse(readFileSync((await download.path()) ?? ''), { columns: true })).toHaveLength(1);
    expect(await r.axe('analystA', page.url())).toEqual([]);

    await page.goto(`${r.url}/reports/statements?limit=5`);
    expect(await page.locator('ol.statements > li').count()).toBe(5);
    await page.getByRole('link', { name: 'More statements' }).click();
    await page.waitForLoadState();
    expect(await page.locator('ol.statements > li').count()).toBe(5);
    await page.locator('ol.statements details summary').first().click();
    expect(await page.locator('ol.statements details pre').first().textContent()).toContain('"verb"');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export all as CSV' }).click()]);
    expect(parse(readFileSync((await csv.path()) ?? ''), { columns: true })).toHaveLength(24);
    expect(await r.axe('analystA', page.url())).toEqual([]);
  });
});
