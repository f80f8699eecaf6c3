/**
 * Approving a self-report in Chromium (issue 18): the organization's administrator opens the
 * approval queue from the navigation, sees the report with its note, approves it with the button;
 * the person then finds it counted under Completed in My learning and in the transcript. The queue
 * passes axe (no serious or critical violation) and fits 390 px.
 */
import type { BrowserContext } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { makeOrg, makePerson, PASSWORD, type PagesApp } from '../http/pages/fixture';
import { describeBrowser, seriousAxeViolations, signInWithPassword, type Listening } from './browser';
import { usePagesBrowser } from './pages-browser';

jest.setTimeout(120_000);

describeBrowser('self-report approval page in Chromium (issue 18)', () => {
  let t: PagesApp;
  let server: Listening;
  const pages = usePagesBrowser();
  const learner = `learner-${randomUUID().slice(0, 6)}@pages.test`;
  const admin = `admin-${randomUUID().slice(0, 6)}@pages.test`;
  const reportId = randomUUID();
  const title = `Genealogy resources workshop ${randomUUID().slice(0, 4)}`;

  beforeAll(async () => {
    ({ t, server } = pages);
    const org = await makeOrg(t, 'Harbor Library');
    const learnerId = await makePerson(t, { email: learner, name: 'Lena Learner', roles: [{ orgId: org.id, role: 'learner' }] });
    await makePerson(t, { email: admin, name: 'Ada Admin', roles: [{ orgId: org.id, role: 'orgAdmin' }] });
    await t.store.learning.insertSelfReport({
      id: reportId, userId: learnerId, orgId: org.id, title, provider: 'County Historical Society', kind: 'workshop', completedOn: '2026-10-20',
      hours: 2.5, note: 'Half a day at the county archive', state: 'pending', createdAt: new Date().toISOString(),
    });
  });

  const fits = async (page: import('playwright-core').Page): Promise<string[]> => {
    const problems = await seriousAxeViolations(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) problems.push(`scrolls sideways: ${width} px wide at 390`);
    return problems;
  };

  it('the administrator approves a report; the person sees it counted in My learning and the transcript', async () => {
    const base = server.url;
    const ctx = await pages.newContext({ viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await signInWithPassword(page, base, admin, PASSWORD);
    await page.goto(`${base}/`);
    await Promise.all([page.waitForURL(`${base}/self-reports/approvals`), page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click()]);
    const item = page.locator('main li', { hasText: title });
    await expect(item.textContent()).resolves.toContain('Half a day at the county archive');
    expect(await fits(page)).toEqual([]);
    await Promise.all([page.waitForURL(`${base}/self-reports/approvals?done=approved`), item.getByRole('button', { name: `Approve “${title}”` }).click()]);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Approved');
    expect(await page.locator('main').textContent()).not.toContain(title);
    expect(await fits(page)).toEqual([]);

    const lctx = await pages.newContext({ viewport: { width: 390, height: 844 } });
    const lp = await lctx.newPage();
    await signInWithPassword(lp, base, learner, PASSWORD);
    await lp.goto(`${base}/my-learning`);
    // My learning has no Approvals link for a learner.
    expect(await lp.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).count()).toBe(0);
    const completed = await lp.locator('section[aria-labelledby="h-done"]').textContent();
    expect(completed).toContain(title);
    await lp.goto(`${base}/transcript`);
    expect(await lp.locator('main').textContent()).toContain(title);
  });
});
