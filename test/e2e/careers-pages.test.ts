/**
 * The careers pages (issue 15) in Debian's Chromium: axe finds no WCAG 2 A/AA violation on the
 * units, team, person, role profile and goal pages; a manager moves through the team page by
 * keyboard; the goal trend is an image with a text alternative beside a table of the same numbers,
 * and the page runs no script.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { User } from '../../src/store/ports';
import { api, learn, publishedCourse } from '../http/careers/careers-world';
import { createWorld, type World } from '../http/security/fixture';
import { describeBrowser, launchBrowser, listen, loadedImageWidth, pageWithCookie, type Listening } from './browser';

jest.setTimeout(90_000);

describeBrowser('careers pages in Chromium', () => {
  let w: World;
  let server: Listening;
  let browser: Browser;
  let manager: User;
  let member: User;
  const paths: Record<string, string> = {};
  const contexts: BrowserContext[] = [];

  /** A browser page signed in as `user` (the session cookie of a fresh session). */
  const as = async (user: User): Promise<Page> => pageWithCookie(browser, server.url, (await w.session(user)).cookie, contexts);

  beforeAll(async () => {
    w = await createWorld();
    server = await listen(w.app);
    browser = await launchBrowser();
    const admin = await w.session(w.people.orgAdminA);
    const A = `/api/orgs/${w.orgA.id}`;
    const main = (await api(w, admin, 'post', `${A}/units`, { name: 'Main Library' }).expect(201)).body.id as string;
    const kids = (await api(w, admin, 'post', `${A}/units`, { name: "Children's Services", parentId: main }).expect(201)).body.id as string;
    manager = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    member = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    await api(w, admin, 'put', `${A}/units/${kids}/members/${member.id}`).expect(201);
    await api(w, admin, 'put', `${A}/units/${main}/managers/${manager.id}`).expect(201);
    const course = await publishedCourse(w, w.orgA.id, 'Early literacy');
    await learn(w, member, w.orgA.id, course, true, w.creds.orgA);
    const profile = (await api(w, admin, 'post', `${A}/role-profiles`, {
      name: "Children's Services Librarian", description: 'Story times and families', shared: true,
      competencies: [{ competencyId: 'https://example.org/competencies/early-literacy', targetLevel: 3 }],
    }).expect(201)).body.id as string;
    const goal = (await api(w, admin, 'post', `${A}/goals`, { title: 'Early literacy for Main', courseId: course.course.id, dueDate: '2099-06-30', unitId: main }).expect(201)).body.id as string;
    Object.assign(paths, {
      units: `/admin/orgs/${w.orgA.id}/units?unit=${kids}`,
      team: `/team/${w.orgA.id}`,
      person: `/team/${w.orgA.id}/people/${member.id}`,
      profiles: `/orgs/${w.orgA.id}/role-profiles`,
      profile: `/orgs/${w.orgA.id}/role-profiles/${profile}`,
      goals: `/orgs/${w.orgA.id}/goals`,
      goal: `/orgs/${w.orgA.id}/goals/${goal}`,
    });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await w?.close();
  });

  it('has no axe violations (WCAG 2 A and AA) on any careers page, for the administrator and the manager', async () => {
    const admin = await as(w.people.orgAdminA);
    const mgr = await as(manager);
    const found: string[] = [];
    for (const [page, key] of [[admin, 'units'], [admin, 'profiles'], [admin, 'profile'], [admin, 'goals'], [admin, 'goal'], [mgr, 'team'], [mgr, 'person'], [mgr, 'goal']] as const) {
      const res = await page.goto(`${server.url}${paths[key]}`);
      expect(res?.status()).toBe(200);
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      for (const v of result.violations) found.push(`${key}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ') ?? ''}`);
    }
    expect(found).toEqual([]);
  });

  it('a manager reaches a person of their team by keyboard and sees their course', async () => {
    const page = await as(manager);
    await page.goto(`${server.url}${paths['team']}`);
    const link = page.getByRole('link', { name: member.name });
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await link.evaluate((el) => el === document.activeElement)) break;
    }
    expect(await link.evaluate((el) => el === document.activeElement)).toBe(true);
    await Promise.all([page.waitForURL(`${server.url}${paths['person']}`), page.keyboard.press('Enter')]);
    await expect(page.getByRole('table', { name: `Courses of ${member.name}` }).getByText('Early literacy').count()).resolves.toBe(1);
  });

  it('shows the goal trend as an image with a text alternative and the same numbers as a table, with no script', async () => {
    const page = await as(w.people.orgAdminA);
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${server.url}${paths['goal']}`);
    const img = page.getByRole('img', { name: /Trend of Early literacy for Main/ });
    await expect(img.count()).resolves.toBe(1);
    // The SVG decodes and draws (a CSP refusal or a broken image has no natural width).
    expect(await loadedImageWidth(img)).toBeGreaterThan(0);
    const rows = page.getByRole('table', { name: /Trend of Early literacy for Main/ }).locator('tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().locator('td').nth(2).textContent()).resolves.toBe('100');
    await expect(page.locator('script').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});
