/**
 * The organizer's edit form of an opportunity (issue 18) in Chromium: an author opens a workshop,
 * follows "Edit or withdraw", changes the date, place, seats and CE credits, sees a wrong end date
 * refused with the message, then withdraws it; the registered learner is told by mail and the
 * page says it was withdrawn. The form passes axe (no serious or critical violation) and fits 390 px.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { makeOrg, makePerson, PASSWORD, type PagesApp } from '../http/pages/fixture';
import { describeBrowser, type Listening, seriousAxeViolations, signInWithPassword } from './browser';
import { usePagesBrowser } from './pages-browser';

jest.setTimeout(120_000);

describeBrowser('opportunity edit form in Chromium (issue 18)', () => {
  let t: PagesApp;
  let server: Listening;
  const pages = usePagesBrowser();
  let ctx: BrowserContext;
  const author = `author-${randomUUID().slice(0, 6)}@pages.test`;
  const learner = `learner-${randomUUID().slice(0, 6)}@pages.test`;
  const id = `workshop-${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    ({ t, server } = pages);
    const org = await makeOrg(t, 'Harbor Library');
    await makePerson(t, { email: author, name: 'Ari Author', roles: [{ orgId: org.id, role: 'author' }] });
    const learnerId = await makePerson(t, { email: learner, name: 'Lena Learner', roles: [{ orgId: org.id, role: 'learner' }] });
    const at = new Date().toISOString();
    await t.store.catalog.upsertCatalogEntry({
      id, kind: 'workshop', orgId: org.id, provider: 'Harbor Library', title: 'Bookbinding workshop', description: 'Hands on.',
      keywords: [], competencies: [], language: 'en', startsAt: '2099-03-01T09:00:00.000Z', endsAt: '2099-03-01T12:00:00.000Z', location: 'Room 1',
      capacity: 12, ceCredits: 2, state: 'published', visibility: 'org', visibleOrgIds: [], createdAt: at, updatedAt: at,
    });
    await t.store.learning.upsertOpportunityRegistration({ entryId: id, userId: learnerId, state: 'registered', registeredAt: at, updatedAt: at });
    ctx = await pages.newContext({ viewport: { width: 390, height: 844 } });
  });

  it('edits date, place, seats and credits, refuses a wrong end, withdraws; accessible at 390 px', async () => {
    const base = server.url;
    const page = await ctx.newPage();
    await signInWithPassword(page, base, author, PASSWORD);

    await page.goto(`${base}/opportunities/${id}`);
    await Promise.all([page.waitForURL(`${base}/opportunities/${id}/edit`), page.getByRole('link', { name: 'Edit or withdraw' }).click()]);
    expect(await page.getByLabel('Location').inputValue()).toBe('Room 1');
    const problems = await seriousAxeViolations(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) problems.push(`scrolls sideways: ${width} px wide at 390`);
    expect(problems).toEqual([]);

    // A wrong end date comes back with the message, the values typed kept.
    await page.getByLabel('Starts (UTC)').fill('2099-04-02T10:00');
    await page.getByLabel('Ends (UTC)').fill('2099-04-01T10:00');
    await page.getByLabel('Location').fill('Branch library, studio');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForSelector('#form-error');
    expect(await page.locator('#form-error').textContent()).toContain('endsAt: before startsAt');
    expect(await page.getByLabel('Location').inputValue()).toBe('Branch library, studio');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel('Ends (UTC)').fill('2099-04-02T13:30');
    await page.getByLabel('Places (empty: no limit)').fill('8');
    await page.getByLabel('CE credits').fill('3');
    await Promise.all([page.waitForURL(`${base}/opportunities/${id}`), page.getByRole('button', { name: 'Save changes' }).click()]);
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain('Branch library, studio');
    expect(facts).toMatch(/Places\s*8/);
    expect(facts).toMatch(/CE credits\s*3/);
    expect(await t.store.catalog.findCatalogEntry(id)).toMatchObject({ startsAt: '2099-04-02T10:00:00.000Z', endsAt: '2099-04-02T13:30:00.000Z', capacity: 8, ceCredits: 3 });

    // Withdraw with a message to the people registered.
    await page.goto(`${base}/opportunities/${id}/edit`);
    await page.getByLabel('Message to the people registered (optional)').fill('The binder is on leave.');
    await Promise.all([page.waitForURL(/withdrawn=1/), page.getByRole('button', { name: 'Withdraw this opportunity' }).click()]);
    expect(await page.locator('main').textContent()).toContain('This opportunity was withdrawn');
    expect(await page.locator('[role=status]').textContent()).toContain('1 registered person was told by mail');
    const mails = (await t.store.outbox.findOutboxMails({ limit: 100 })).filter((m) => m.to === learner);
    expect(mails.map((m) => m.subject)).toEqual(['Cancelled: Bookbinding workshop']);
    expect(mails[0]!.text).toContain('The binder is on leave.');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
