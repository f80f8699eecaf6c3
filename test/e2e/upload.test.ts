/**
 * The author console's upload in Debian's Chromium: /static/upload.js sends the zip with
 * XMLHttpRequest, the progress bar fills, and the validation report (warnings of an import, or
 * the errors of a refusal) is shown in the page.
 */
import path from 'node:path';
import express from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createHarness, type Harness } from '../http/packages/harness';
import { scorm12Zip, tincanZip } from '../http/packages/packages';
import { describeBrowser, launchBrowser, listen, type Listening } from './browser';

jest.setTimeout(60_000);

describeBrowser('package upload in Chromium', () => {
  let h: Harness;
  let server: Listening;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    h = await createHarness();
    const app = express();
    app.use('/static', express.static(path.join(__dirname, '..', '..', 'src', 'web', 'static')));
    app.use(h.app);
    server = await listen(app);
    browser = await launchBrowser();
    // The harness's stand-in for a session: every request of this context acts as authorA.
    context = await browser.newContext({ extraHTTPHeaders: { 'X-Test-User': h.users.authorA.userId } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await h?.close();
  });

  it('uploads a package with progress and links to the new course', async () => {
    await page.goto(`${server.url}/author`);
    const form = page.locator(`form[data-endpoint="/api/orgs/${h.orgA}/courses"]`);
    await form.waitFor({ state: 'visible' });
    await form.getByLabel('Package zip for Provider A').setInputFiles({ name: 'fire.zip', mimeType: 'application/zip', buffer: tincanZip({ title: 'Browser Course' }) });
    await form.getByRole('button', { name: 'Upload course' }).click();
    const status = form.locator('.upload-status');
    await status.getByText('Imported “Browser Course” as version 1.').waitFor();
    expect(await form.locator('progress').evaluate((p) => (p as HTMLProgressElement).value)).toBe(100);
    const href = await status.getByRole('link', { name: 'Open the course' }).getAttribute('href');
    expect(href).toMatch(/^\/author\/courses\/[0-9a-f-]{36}$/);
    const courses = await h.store.courses.findCourses({ orgIds: [h.orgA] });
    expect(courses.map((c) => c.title)).toContain('Browser Course');
  });

  it('shows the errors of a refused package', async () => {
    await page.goto(`${server.url}/author`);
    const form = page.locator(`form[data-endpoint="/api/orgs/${h.orgA}/courses"]`);
    await form.getByLabel('Package zip for Provider A').setInputFiles({ name: 'broken.zip', mimeType: 'application/zip', buffer: scorm12Zip({ missingLaunch: true }) });
    await form.getByRole('button', { name: 'Upload course' }).click();
    await form.locator('.upload-status.error').waitFor();
    expect(await form.locator('.upload-status').textContent()).toMatch(/package refused/);
    const errors = form.locator('.upload-report ul.issues li');
    expect(await errors.count()).toBeGreaterThan(0);
    expect(await form.locator('.upload-report').textContent()).toMatch(/sco\/index\.html/);
  });

  it('asks before a new version changes the format, and adds it only once the author confirms (issue 17 item 15)', async () => {
    const created = await h.store.courses.findCourses({ orgIds: [h.orgA] });
    await page.goto(`${server.url}/author`);
    const first = page.locator(`form[data-endpoint="/api/orgs/${h.orgA}/courses"]`);
    await first.getByLabel('Package zip for Provider A').setInputFiles({ name: 'scorm.zip', mimeType: 'application/zip', buffer: scorm12Zip() });
    await first.getByRole('button', { name: 'Upload course' }).click();
    await first.locator('.upload-status').getByText('as version 1.').waitFor();
    const course = (await h.store.courses.findCourses({ orgIds: [h.orgA] })).find((c) => !created.some((x) => x.id === c.id))!;

    await page.goto(`${server.url}/author/courses/${course.id}`);
    const form = page.locator('form#upload-version');
    await form.getByLabel('Package zip of the new version').setInputFiles({ name: 'tincan.zip', mimeType: 'application/zip', buffer: tincanZip() });
    await form.getByRole('button', { name: 'Upload new version' }).click();
    const confirm = form.getByRole('button', { name: 'Add it as a new version anyway' });
    await confirm.waitFor();
    expect(await form.locator('.upload-status').textContent()).toMatch(/xAPI \(tincan\.xml\), but the course is SCORM 1\.2/);
    expect(await h.store.courses.findVersions(course.id)).toHaveLength(1);
    await confirm.click();
    await form.locator('.upload-status').getByText('as version 2.').waitFor();
    expect((await h.store.courses.findVersions(course.id)).map((v) => v.format)).toEqual(['tincan', 'scorm12']);
  });
});
