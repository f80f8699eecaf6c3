/**
 * Issue 18 in Chromium: a learner signs in and lands on My learning (assigned work with the
 * overdue item first, Resume on what is in progress, credits against the target), searches the
 * catalog with a facet, and every page of the learner's side passes axe-core with no serious or
 * critical violation and does not scroll sideways at 390 px.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { makeOrg, makePerson, PASSWORD, type PagesApp } from '../http/pages/fixture';
import { courseFixture } from '../http/security/fixture';
import type { Course } from '../../src/store/ports';
import { describeBrowser, type Listening, seriousAxeViolations, signInWithPassword } from './browser';
import { usePagesBrowser } from './pages-browser';

jest.setTimeout(120_000);

/** Serious and critical axe violations of the page, as "rule: target" lines ([] when none). */
describeBrowser('learner site in Chromium (issue 18)', () => {
  let t: PagesApp;
  let server: Listening;
  const pages = usePagesBrowser();
  let ctx: BrowserContext;
  const email = `learner-${randomUUID().slice(0, 6)}@pages.test`;

  beforeAll(async () => {
    ({ t, server } = pages);
    const org = await makeOrg(t, 'Harbor Library');
    const userId = await makePerson(t, { email, name: 'Lena Learner', roles: [{ orgId: org.id, role: 'learner' }] });
    const course = async (title: string, extra: Partial<Course> = {}): Promise<Course> => {
      const { course: c, version } = courseFixture(org.id, 'published');
      const full = { ...c, title, provider: 'Harbor Library', ...extra };
      await t.store.courses.insertCourse(full, version);
      return full;
    };
    const started = await course('Reference interview basics', { estimatedMinutes: 45 });
    await course('Metadata for beginners', { provider: 'State Association', ceCredits: 2 });
    const soon = await course('Privacy in the library');
    const overdue = await course('Emergency procedures');
    const registration = randomUUID();
    const at = new Date().toISOString();
    await t.store.progress.insertProgressTrack({
      registration, courseId: started.id, versionId: started.currentVersionId ?? '', userId, agentKey: `k|${userId}`, orgId: org.id,
      courseActivityIds: [], unitActivityIds: [], createdAt: at,
    });
    await t.store.progress.applyProgress([{ registration, activityId: '', statements: 2, attempts: 1, timeMs: 600_000, lastActivityAt: at, completion: 'incomplete', updatedAt: at }]);
    await t.store.learning.upsertLearningTarget({ orgId: org.id, ceCredits: 12, hours: 30, updatedAt: at, updatedBy: 'admin' });
    const assign = (entryId: string, dueAt: string) => t.store.learning.insertAssignment({
      id: randomUUID(), orgId: org.id, entryId, target: { kind: 'role', role: 'learner' }, dueAt, required: true, createdBy: 'admin', createdAt: at,
    });
    await assign(soon.id, '2099-01-31T23:59:59.000Z');
    await assign(overdue.id, '2020-01-31T23:59:59.000Z');
    await t.store.catalog.upsertCatalogEntry({
      id: 'webinar-e2e', kind: 'webinar', orgId: org.id, provider: 'Harbor Library', title: 'Library privacy webinar', description: 'An hour on patron privacy.',
      keywords: [], competencies: [], language: 'en', startsAt: '2099-02-01T15:00:00.000Z', location: 'Online', joinUrl: 'https://meet.example.org/privacy',
      capacity: 30, state: 'published', visibility: 'org', visibleOrgIds: [], createdAt: at, updatedAt: at,
    });
    ctx = await pages.newContext({ viewport: { width: 390, height: 844 } });
  });

  it('lands on My learning, finds a course by search and a facet; the pages pass axe and fit 390 px', async () => {
    const base = server.url;
    const page = await ctx.newPage();
    await signInWithPassword(page, base, email, PASSWORD);
    await page.waitForURL(`${base}/my-learning`);
    expect(await page.locator('h1').textContent()).toBe('My learning');
    const rows = await page.locator('#h-assigned ~ div table tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Emergency procedures');
    expect(rows[0]).toContain('Overdue');
    expect(rows[1]).toContain('Privacy in the library');
    expect(await page.locator('main').textContent()).toContain('0 of 12 credits');
    const resume = page.getByRole('link', { name: 'Resume Reference interview basics' });
    expect(await resume.getAttribute('href')).toMatch(/^\/courses\//);

    const problems: Record<string, string[]> = {};
    const check = async (path: string): Promise<void> => {
      if (new URL(page.url()).pathname + new URL(page.url()).search !== path) await page.goto(`${base}${path}`);
      const found = await seriousAxeViolations(page);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) found.push(`scrolls sideways: ${width} px wide at 390`);
      if (found.length) problems[path] = found;
    };
    await check('/my-learning');

    await page.getByRole('link', { name: 'Catalog' }).click();
    await page.waitForURL(`${base}/catalog`);
    await page.getByLabel('Search').fill('metad');
    await Promise.all([page.waitForURL(/\/catalog\?/), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await page.locator('#result-count').textContent()).toBe('1 result');
    expect(await page.locator('ul.catalog h2').allTextContents()).toEqual(['Metadata for beginners']);
    // Facets count within the words searched: from the whole catalog, choose a provider.
    await page.goto(`${base}/catalog`);
    await page.getByLabel('Provider').selectOption('Harbor Library');
    await Promise.all([page.waitForURL(/provider=Harbor/), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await page.locator('#result-count').textContent()).toBe('4 results'); // three courses and the webinar
    await check('/catalog?provider=Harbor+Library&sort=title');
    await check('/catalog');
    await check('/me');
    await check('/transcript');
    // Register for a webinar with the button; it shows in My learning.
    await page.goto(`${base}/opportunities/webinar-e2e`);
    await Promise.all([page.waitForURL(`${base}/opportunities/webinar-e2e`), page.getByRole('button', { name: 'Register' }).click()]);
    expect(await page.locator('main').textContent()).toContain('You are registered.');
    await check('/opportunities/webinar-e2e');
    await page.goto(`${base}/my-learning`);
    expect(await page.locator('#h-registered + ul').textContent()).toContain('Library privacy webinar');
    await check('/sign-in');
    expect(problems).toEqual({});
  });
});
