/**
 * Self-reporting learning with a certificate in Chromium (issue 18): a learner goes from My
 * learning to the form, fills it in, attaches a PDF with the file picker and sends it; the list
 * shows it waiting for approval with the file, which the organization's administrator downloads.
 * The page passes axe (no serious or critical violation) and fits 390 px.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import request from 'supertest';
import { makeOrg, makePerson, PASSWORD, signInAs, type PagesApp } from '../http/pages/fixture';
import { describeBrowser, type Listening, seriousAxeViolations, signInWithPassword } from './browser';
import { usePagesBrowser } from './pages-browser';

jest.setTimeout(120_000);

describeBrowser('self-report page in Chromium (issue 18)', () => {
  let t: PagesApp;
  let server: Listening;
  const pages = usePagesBrowser(() => ({ packagesDir: filesDir }));
  let ctx: BrowserContext;
  const learner = `learner-${randomUUID().slice(0, 6)}@pages.test`;
  const admin = `admin-${randomUUID().slice(0, 6)}@pages.test`;
  // The attached file goes to a temp folder, never into the repository's packages-store.
  const filesDir = path.join(os.tmpdir(), `learnhq-self-report-e2e-${randomUUID().slice(0, 8)}`);

  beforeAll(async () => {
    ({ t, server } = pages);
    const org = await makeOrg(t, 'Harbor Library');
    await makePerson(t, { email: learner, name: 'Lena Learner', roles: [{ orgId: org.id, role: 'learner' }] });
    await makePerson(t, { email: admin, name: 'Ada Admin', roles: [{ orgId: org.id, role: 'orgAdmin' }] });
    ctx = await pages.newContext({ viewport: { width: 390, height: 844 } });
  });
  afterAll(async () => {
    await fs.rm(filesDir, { recursive: true, force: true });
  });

  it('reports learning with a PDF; the administrator downloads it; accessible at 390 px', async () => {
    const base = server.url;
    const page = await ctx.newPage();
    await signInWithPassword(page, base, learner, PASSWORD);
    await page.waitForURL(`${base}/my-learning`);
    await Promise.all([page.waitForURL(`${base}/self-reports`), page.getByRole('link', { name: 'Report learning I took elsewhere' }).click()]);
    const problems = await seriousAxeViolations(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) problems.push(`scrolls sideways: ${width} px wide at 390`);
    expect(problems).toEqual([]);

    const doc = await PDFDocument.create();
    doc.addPage([300, 200]);
    const pdf = Buffer.from(await doc.save());
    await page.getByLabel('What you took').fill('Genealogy resources workshop');
    await page.getByLabel('Provider').fill('County Historical Society');
    await page.getByLabel('Type').selectOption('workshop');
    await page.getByLabel('Completed on').fill('2026-10-20');
    await page.getByLabel('Hours').fill('2.5');
    await page.getByLabel('Certificate (PDF or image, at most 10 MB; optional)').setInputFiles({ name: 'genealogy.pdf', mimeType: 'application/pdf', buffer: pdf });
    await Promise.all([page.waitForURL(`${base}/self-reports?sent=1`), page.getByRole('button', { name: 'Send for approval' }).click()]);
    const item = await page.locator('main li').first().textContent();
    expect(item).toContain('Genealogy resources workshop');
    expect(item).toContain('waiting for approval');
    const href = await page.getByRole('link', { name: 'genealogy.pdf' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/self-reports\/.+\/attachment$/);
    expect(await seriousAxeViolations(page)).toEqual([]);

    const a = await signInAs(t, admin);
    const got = await request(t.app).get(href!).set('Cookie', a.cookie).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(got.status).toBe(200);
    expect(Buffer.compare(got.body as Buffer, pdf)).toBe(0);
  });
});
