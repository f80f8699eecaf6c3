import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { PDFDocument } from 'pdf-lib';
import { addCompetencyEvidence } from '../http/reports/harness';
import { describeBrowser, loadedImageWidth } from './browser';
import { useReportBrowser } from './report-browser';

/** The people, competencies and saved reports in Chromium: filters, a transcript that prints plainly, a chart with its table, PDF and CSV downloads, axe clean. */
describeBrowser('people, competencies and saved report pages in Chromium', () => {
  jest.setTimeout(180_000);
  const r = useReportBrowser(addCompetencyEvidence);

  it('lets an analyst filter the staff table, download it, and open a transcript as a page and a PDF', async () => {
    const page = await r.pageAs('analystA');
    await page.goto(`${r.url}/reports`);
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'People' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#table-people tbody tr').count()).toBeGreaterThanOrEqual(6);
    await page.getByLabel('Unit').selectOption({ label: 'Riverside / South' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForLoadState();
    const names = await page.locator('#table-people tbody th').allTextContents();
    expect(names.map((n) => n.trim()).sort()).toEqual(r.w.names.A.slice(3).sort());
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    expect((parse(readFileSync((await download.path()) ?? ''), { columns: true }) as unknown[]).length).toBe(3);
    expect(await r.axe('analystA', page.url())).toEqual([]);

    await page.getByRole('link', { name: 'Dana Scully' }).click();
    await page.getByRole('heading', { name: 'Transcript: Dana Scully' }).waitFor();
    expect(await page.locator('#table-transcript').textContent()).toContain('The Reference Interview');
    // Printed, the navigation and links go; the table stays.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header').first().isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'Download PDF' }).isVisible()).toBe(false);
    expect(await page.locator('#table-transcript').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF' }).click()]);
    const doc = await PDFDocument.load(readFileSync((await pdf.path()) ?? ''));
    expect(doc.getTitle()).toBe('Transcript of Dana Scully');
    expect(await r.axe('analystA', page.url())).toEqual([]);
  });

  it("shows a manager only their unit's people", async () => {
    const page = await r.pageAs('managerNorth');
    await page.goto(`${r.url}/reports/people?org=${r.w.orgs.A}`);
    const names = await page.locator('#table-people tbody th').allTextContents();
    expect(names.map((n) => n.trim()).sort()).toEqual(r.w.names.A.slice(0, 3).sort());
    const res = await page.goto(`${r.url}/reports/people/${r.w.people.A[4]}?org=${r.w.orgs.A}`);
    expect(res?.status()).toBe(404);
  });

  it('draws the competencies chart as an image with its table, links the heat map, and its CSV parses', async () => {
    const page = await r.pageAs('analystA');
    await page.goto(`${r.url}/reports/people?org=${r.w.orgs.A}`);
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Competencies' }).click();
    await page.getByLabel('From month').fill('2030-03');
    await page.getByLabel('To month').fill('2030-05');
    await page.getByRole('button', { name: 'Show' }).click();
    const img = page.locator('figure.chart img');
    expect(await loadedImageWidth(img)).toBeGreaterThan(0);
    expect(await img.getAttribute('alt')).toMatch(/table below/);
    await page.getByText("Table of the chart's figures").click();
    const row = page.locator('#table-attainment tbody tr', { hasText: 'Reference conversations' });
    expect((await row.locator('td').allTextContents()).map((t) => t.trim())).toEqual(['1 (+1)', '2 (+1)', '3 (+1)']);
    expect(await page.getByRole('link', { name: 'gap heat map' }).getAttribute('href')).toBe(`/orgs/${r.w.orgs.A}/heat-map`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const rows = parse(readFileSync((await download.path()) ?? ''), { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r['competency'] === 'Reference conversations').map((r) => r['people_attained'])).toEqual(['1', '2', '3']);
    expect(await r.axe('analystA', page.url())).toEqual([]);
  });

  it('saves the filters of a report, opens them from the saved reports page, and deletes them, without script', async () => {
    const page = await r.pageAs('analystA');
    await page.goto(`${r.url}/reports/people?org=${r.w.orgs.A}&unit=${r.w.units.north}`);
    await page.getByLabel('Name', { exact: true }).fill('North team');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: /^Saved reports of/ }).waitFor();
    expect(await r.axe('analystA', page.url())).toEqual([]);
    await page.getByRole('link', { name: 'North team' }).click();
    await page.getByRole('heading', { name: /^People of/ }).waitFor();
    expect(await page.getByLabel('Unit').inputValue()).toBe(r.w.units.north);
    expect((await page.locator('#table-people tbody th').allTextContents()).map((n) => n.trim()).sort()).toEqual(r.w.names.A.slice(0, 3).sort());
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Saved reports' }).click();
    await page.getByRole('button', { name: 'Delete North team' }).click();
    await page.getByText('No saved reports yet.').waitFor();
  });
});
