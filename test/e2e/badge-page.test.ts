/**
 * The badge page in Debian's Chromium (issue 14): an author reaches it from the framework list,
 * defines a competency badge with an image file through the form (no script on the page), sees it
 * listed with its image; a learner of the organization is refused. Every page is checked with axe.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { importPackage } from '../../src/competency/frameworks';
import { casePackage } from '../fixtures/case-package';
import { makeOrg, makePerson, PASSWORD, type PagesApp } from '../http/pages/fixture';
import { axeViolations, describeBrowser, signInWithPassword, type Listening } from './browser';
import { usePagesBrowser } from './pages-browser';

jest.setTimeout(90_000);

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#0b5cad"/></svg>';

describeBrowser('badge page in Chromium', () => {
  let t: PagesApp;
  let server: Listening;
  const pages = usePagesBrowser();
  const ids = new Map<string, string>();
  const dir = mkdtempSync(join(tmpdir(), 'lhq-badge-e2e-'));
  let orgId = '';
  let fwId = '';

  beforeAll(async () => {
    ({ t, server } = pages);
    const org = await makeOrg(t, 'Badge Library');
    orgId = org.id;
    await makePerson(t, { email: 'author@badges.test', roles: [{ orgId: org.id, role: 'author' }] });
    await makePerson(t, { email: 'learner@badges.test', roles: [{ orgId: org.id, role: 'learner' }] });
    fwId = (await importPackage(t.services, org.id, casePackage({ ids, categories: 2, perCategory: 2 }))).framework.id;
    writeFileSync(join(dir, 'badge.svg'), SVG);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  const newPage = (): Promise<Page> => pages.newPage();

  it('lets an author define a competency badge with an image from the page', async () => {
    const base = server.url;
    const page = await newPage();
    await signInWithPassword(page, base, 'author@badges.test', PASSWORD);
    await page.goto(`${base}/competencies`);
    await page.getByRole('link', { name: 'Badges of Badge Library' }).click();
    await page.waitForURL(`${base}/admin/competency/${orgId}/badges`);
    expect(await page.getByText('No badge is defined yet.').count()).toBe(1);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Name').fill('Collections steward');
    await page.getByLabel('Description').fill('Looks after a collection');
    await page.getByLabel(/^Criteria/).fill('Reach Practising in C2.1');
    await page.getByLabel('Awarded for').selectOption({ label: 'Test framework for library work: Practising' });
    await page.getByLabel(/^Competency code or identifier/).fill('C2.1');
    await page.getByLabel(/^Image/).setInputFiles(join(dir, 'badge.svg'));
    await page.getByRole('button', { name: 'Define badge' }).click();
    await page.waitForURL(`${base}/admin/competency/${orgId}/badges`);

    const row = page.locator('table tbody tr');
    expect(await row.count()).toBe(1);
    const text = (await row.first().textContent())?.replace(/\s+/g, ' ') ?? '';
    expect(text).toContain('Collections steward');
    expect(text).toContain('C2.1');
    expect(text).toContain('at Practising');
    // The image is the uploaded file, served from the achievement.
    const src = await row.first().locator('img').getAttribute('src');
    const image = await page.request.get(`${base}${src}`);
    expect(image.headers()['content-type']).toContain('image/svg+xml');
    expect(await image.text()).toBe(SVG);
    expect(await axeViolations(page)).toEqual([]);
    const [badge] = await t.store.competency.findBadges({ orgIds: [orgId] });
    expect(badge).toMatchObject({ frameworkId: fwId, itemIdentifier: ids.get('C2.1'), level: 2 });
  });

  it('refuses a learner of the organization', async () => {
    const page = await newPage();
    await signInWithPassword(page, server.url, 'learner@badges.test', PASSWORD);
    const res = await page.goto(`${server.url}/admin/competency/${orgId}/badges`);
    expect(res?.status()).toBe(403);
    expect(await page.getByRole('button', { name: 'Define badge' }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});
