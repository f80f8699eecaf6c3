import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { addProviderEvidence } from '../http/reports/harness';
import { describeBrowser, loadedImageWidth } from './browser';
import { useReportBrowser } from './report-browser';

/**
 * Issue 16, second round in Chromium: a manager reaches their reports from the header, the
 * competencies report lists people one by one within reach, and a provider sees attainment
 * through its courses across organizations with no names; pages work without script, axe clean.
 */
describeBrowser('competency rows per person, the provider view and the manager reports landing in Chromium', () => {
  jest.setTimeout(180_000);
  const r = useReportBrowser(addProviderEvidence);

  it("takes a manager from the header's Reports link to their people and competencies", async () => {
    const page = await r.pageAs('managerNorth');
    await page.goto(`${r.url}/me`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports', exact: true }).waitFor();
    expect(await r.axe('managerNorth', page.url())).toEqual([]);
    await page.getByRole('link', { name: 'Competencies' }).last().click();
    await page.getByRole('heading', { name: /^Competencies of/ }).waitFor();
    const names = [...new Set((await page.locator('#table-people-attainment tbody th').allTextContents()).map((n) => n.trim()))].sort();
    expect(names).toEqual(r.w.names.A.slice(0, 3).sort());
    expect(await r.axe('managerNorth', page.url())).toEqual([]);
  });

  it('lists per person what an analyst may see, filters by role, and its CSV parses', async () => {
    const page = await r.pageAs('analystA');
    await page.goto(`${r.url}/reports/competencies?org=${r.w.orgs.A}&from=2030-01&to=2030-05`);
    const rows = page.locator('#table-people-attainment tbody tr');
    // PS.1 and PS.4 for all six, PS.2 for five.
    expect(await rows.count()).toBe(17);
    expect(await page.locator('#table-people-attainment tbody tr', { hasText: 'Amara Okafor' }).first().textContent()).toContain('2030-04-02');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download these rows as CSV' }).click()]);
    const csv = parse(readFileSync((await download.path()) ?? ''), { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(17);
    expect(new Set(csv.map((x) => x['name']))).toEqual(new Set(r.w.names.A));
    expect(await r.axe('analystA', page.url())).toEqual([]);
    await page.getByLabel('Role').selectOption({ label: 'Analyst' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('Nobody in your reach attained a competency in this period.').waitFor();
  });

  it('shows a provider attainment across organizations as a chart with its table, withheld groups marked, no names', async () => {
    const page = await r.pageAs('analystP');
    await page.goto(`${r.url}/reports/competencies?org=${r.w.orgs.P}`);
    await page.getByRole('link', { name: /competencies attained through/ }).click();
    await page.getByLabel('From month').fill('2030-01');
    await page.getByLabel('To month').fill('2030-05');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('heading', { name: /^Competencies through/ }).waitFor();
    const img = page.locator('figure.chart img');
    expect(await loadedImageWidth(img)).toBeGreaterThan(0);
    await page.getByText("Table of the chart's figures").click();
    const overall = page.locator('#table-provider-overall tbody tr', { hasText: 'Welcoming spaces' });
    expect((await overall.locator('td').last().textContent())?.trim()).toBe('5');
    const orgs = await page.locator('#table-provider-orgs tbody').textContent();
    expect(orgs).toContain('fewer than 5: not shown');
    const text = await page.locator('main').textContent();
    for (const name of [...r.w.names.A, ...r.w.names.B]) expect(text).not.toContain(name);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download this table as CSV' }).click()]);
    const csv = parse(readFileSync((await download.path()) ?? ''), { columns: true }) as Record<string, string>[];
    expect(csv.find((x) => x['code'] === 'PS.2' && x['organization'] === 'All organizations')?.['people']).toBe('5');
    expect(await r.axe('analystP', page.url())).toEqual([]);
  });
});
