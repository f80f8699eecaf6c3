/**
 * The organizers' pages (issue 18) in Chromium: an organization administrator goes from the
 * header's Organize link to the organization's opportunities, publishes a webinar from the form,
 * and finds it in the list; the manager of a unit follows "Assign this" on the webinar's page and
 * assigns it to their unit with a due date; a member of the unit sees it first on My learning.
 * Every page passes axe (no serious or critical violation) and fits 390 px.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { makeOrg, makePerson, PASSWORD, type PagesApp } from '../http/pages/fixture';
import { describeBrowser, type Listening, seriousAxeViolations, signInWithPassword } from './browser';
import { usePagesBrowser } from './pages-browser';

jest.setTimeout(180_000);

describeBrowser('organizer pages in Chromium (issue 18)', () => {
  let t: PagesApp;
  let server: Listening;
  const pages = usePagesBrowser();
  const tag = randomUUID().slice(0, 6);
  const admin = `admin-${tag}@pages.test`;
  const manager = `manager-${tag}@pages.test`;
  const learner = `learner-${tag}@pages.test`;
  let orgId = '';

  async function check(page: Page, problems: string[]): Promise<void> {
    const found = await seriousAxeViolations(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) {
      const wide = await page.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > 392 && !e.closest('.table-wrap')).slice(0, 5).map((e) => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`).join(', '));
      found.push(`scrolls sideways: ${width} px wide at 390 (${wide})`);
    }
    problems.push(...found.map((f) => `${new URL(page.url()).pathname}: ${f}`));
  }
  async function as(email: string): Promise<Page> {
    const ctx = await pages.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await signInWithPassword(page, server.url, email, PASSWORD);
    return page;
  }

  beforeAll(async () => {
    ({ t, server } = pages);
    const org = await makeOrg(t, 'Lakeside Library');
    orgId = org.id;
    await makePerson(t, { email: admin, name: 'Olga Admin', roles: [{ orgId, role: 'orgAdmin' }] });
    const managerId = await makePerson(t, { email: manager, name: 'Mona Manager', roles: [{ orgId, role: 'learner' }, { orgId, role: 'manager' }] });
    const learnerId = await makePerson(t, { email: learner, name: 'Lou Learner', roles: [{ orgId, role: 'learner' }] });
    const at = new Date().toISOString();
    await t.store.careers.insertUnit({ id: `unit-main-${tag}`, orgId, name: 'Main Branch', createdAt: at });
    await t.store.careers.insertUnit({ id: `unit-teens-${tag}`, orgId, name: 'Teen Services', parentId: `unit-main-${tag}`, createdAt: at });
    await t.store.careers.insertUnitPerson({ orgId, unitId: `unit-main-${tag}`, userId: managerId, kind: 'manager', createdAt: at });
    await t.store.careers.insertUnitPerson({ orgId, unitId: `unit-teens-${tag}`, userId: learnerId, kind: 'member', createdAt: at });
  });

  it('publishes a webinar from the form, assigns it to a unit, and the unit member sees it on My learning; accessible at 390 px', async () => {
    const base = server.url;
    const problems: string[] = [];

    // The administrator publishes.
    const a = await as(admin);
    await Promise.all([a.waitForURL(`${base}/organize`), a.getByRole('link', { name: 'Organize' }).click()]);
    await check(a, problems);
    await Promise.all([a.waitForURL(`${base}/orgs/${orgId}/opportunities`), a.getByRole('link', { name: 'Opportunities' }).click()]);
    expect(await a.locator('main').textContent()).toContain('published no opportunity yet');
    await check(a, problems);
    await Promise.all([a.waitForURL(`${base}/orgs/${orgId}/opportunities/new`), a.getByRole('link', { name: 'Publish an opportunity' }).click()]);
    await check(a, problems);
    await a.getByLabel('Type').selectOption('webinar');
    await a.getByLabel('Title').fill('Serving teens online');
    await a.getByLabel('Description').fill('Safe and welcoming online programmes for teens.');
    await a.getByLabel('Starts (UTC)').fill('2099-05-04T16:00');
    await a.getByLabel('Ends (UTC)').fill('2099-05-04T17:00');
    await a.getByLabel('Join link').fill('https://meet.example.org/teens');
    await a.getByLabel('Places (empty: no limit)').fill('40');
    await a.getByLabel('CE credits').fill('1');
    await a.getByLabel('Lakeside Library only').check();
    await Promise.all([a.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/), a.getByRole('button', { name: 'Publish' }).click()]);
    const entryId = a.url().split('/').pop()!;
    expect(await a.locator('h1').textContent()).toBe('Serving teens online');
    expect(await a.locator('dl.facts').textContent()).toMatch(/Places\s*40/);
    await check(a, problems);
    await Promise.all([a.waitForURL(`${base}/orgs/${orgId}/opportunities`), a.getByRole('link', { name: 'All our opportunities' }).click()]);
    expect(await a.locator('table').textContent()).toContain('Serving teens online');
    expect(await t.store.catalog.findCatalogEntry(entryId)).toMatchObject({ kind: 'webinar', startsAt: '2099-05-04T16:00:00.000Z', capacity: 40, ceCredits: 1, visibility: 'org' });

    // The manager assigns it to their unit below theirs.
    const m = await as(manager);
    await m.goto(`${base}/opportunities/${entryId}`);
    await Promise.all([m.waitForURL(/\/assignments\?entry=/), m.getByRole('link', { name: /Assign this/ }).click()]);
    await check(m, problems);
    expect(await m.getByLabel('Learning', { exact: true }).inputValue()).toBe(entryId);
    await m.getByLabel('A unit (its members and those of the units below)').check();
    await m.getByLabel('Unit', { exact: true }).selectOption({ label: 'Teen Services' });
    await m.getByLabel('Due date (optional)').fill('2099-04-30');
    await Promise.all([m.waitForURL(/created=1/), m.getByRole('button', { name: 'Assign' }).click()]);
    const row = await m.locator('#assignments tbody tr').first().textContent();
    expect(row).toContain('Serving teens online');
    expect(row).toContain('Teen Services');
    expect(row).toContain('0 of 1');
    await check(m, problems);

    // The unit member sees it first.
    const l = await as(learner);
    await l.goto(`${base}/my-learning`);
    const assigned = await l.locator('section[aria-labelledby=h-assigned]').textContent();
    expect(assigned).toContain('Serving teens online');
    expect(assigned).toContain('2099-04-30');
    await check(l, problems);
    expect(problems).toEqual([]);
  });
});
