/**
 * Career plan, competency goal and gap heat map pages (issue 15 part 2) in Debian's Chromium: axe
 * finds no WCAG 2 A/AA violation; the heat map is a table reached and read by keyboard (every
 * cell a link naming its row, competency and counts); a learner adds plan items by keyboard.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { caseUriBase, importPackage } from '../../src/competency/frameworks';
import { demoCompetencyId, demoCompetencyPackage } from '../../src/demo/demo-competencies';
import type { User } from '../../src/store/ports';
import { api, publishedCourse } from '../http/careers/careers-world';
import { createWorld, type World } from '../http/security/fixture';
import { describeBrowser, launchBrowser, listen, pageWithCookie, type Listening } from './browser';

jest.setTimeout(120_000);

describeBrowser('career plan, goal and heat map pages in Chromium', () => {
  let w: World;
  let server: Listening;
  let browser: Browser;
  let learner: User;
  let manager: User;
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
    learner = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    manager = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    await api(w, admin, 'put', `${A}/units/${main}/members/${learner.id}`).expect(201);
    await api(w, admin, 'put', `${A}/units/${main}/managers/${manager.id}`).expect(201);
    const { framework } = await importPackage(w.services, w.orgA.id, demoCompetencyPackage(caseUriBase(w.services), new Date().toISOString()));
    const uri = (code: string): string => `${caseUriBase(w.services)}${demoCompetencyId(code)}`;
    const course = await publishedCourse(w, w.orgA.id, 'Reference interviews in practice');
    await w.store.competency.insertAlignment({ id: 'al-e2e', orgId: w.orgA.id, frameworkId: framework.id, itemIdentifier: demoCompetencyId('PS.1'), target: { kind: 'course', courseId: course.course.id }, activityId: course.activity, activityIds: [course.activity], level: 2, rule: { kind: 'completed' }, createdBy: 'x', createdAt: new Date().toISOString() });
    const profile = (await api(w, admin, 'post', `${A}/role-profiles`, {
      name: 'Reference Librarian', description: 'Answers questions', competencies: [{ competencyId: uri('PS.1'), targetLevel: 2 }, { competencyId: uri('PS.3'), targetLevel: 3 }],
    }).expect(201)).body.id as string;
    await w.store.careers.insertPersonRoleProfile({ orgId: w.orgA.id, userId: learner.id, profileId: profile, since: new Date().toISOString() });
    const goal = (await api(w, admin, 'post', `${A}/goals`, { kind: 'competency-level', title: 'Reference for all', profileId: profile, competencyId: uri('PS.1'), level: 2, targetPercent: 80, dueDate: '2099-06-30' }).expect(201)).body.id as string;
    Object.assign(paths, {
      plan: `/orgs/${w.orgA.id}/career-plan`,
      compare: `/orgs/${w.orgA.id}/career-plan/compare?a=me&b=${profile}`,
      goal: `/orgs/${w.orgA.id}/goals/${goal}`,
      heat: `/orgs/${w.orgA.id}/heat-map?by=people`,
      heatRoles: `/orgs/${w.orgA.id}/heat-map?by=roles`,
      cell: `/orgs/${w.orgA.id}/heat-map/cell?competencyId=${encodeURIComponent(uri('PS.1'))}`,
      gaps: `/orgs/${w.orgB.id}/member-gaps`,
    });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await w?.close();
  });

  it('a learner picks a role and adds learning to the plan by keyboard; the pages pass axe', async () => {
    const page = await as(learner);
    await page.goto(`${server.url}${paths['plan']}`);
    await page.focus('#plan-role');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/career-plan$/);
    expect(await page.textContent('h2#gaps')).toContain('Reference Librarian');
    const add = page.getByRole('button', { name: /Add to my plan.*Reference interviews in practice/ });
    await add.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/career-plan$/);
    expect(await page.locator('table', { hasText: 'Learning in the plan' }).textContent()).toContain('Reference interviews in practice');
    const found: string[] = [];
    for (const key of ['plan', 'compare']) {
      await page.goto(`${server.url}${paths[key]}`);
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      for (const v of result.violations) found.push(`${key}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ') ?? ''}`);
    }
    expect(found).toEqual([]);
  });

  it('the goal, heat map, cell and provider pages pass axe; the heat map is read cell by cell by keyboard', async () => {
    const admin = await as(w.people.orgAdminA);
    const mgr = await as(manager);
    const provider = await as(w.people.orgAdminB);
    const found: string[] = [];
    for (const [page, key] of [[admin, 'goal'], [admin, 'heat'], [admin, 'heatRoles'], [admin, 'cell'], [mgr, 'heat'], [provider, 'gaps']] as const) {
      const res = await page.goto(`${server.url}${paths[key]}`);
      expect(res?.status()).toBe(200);
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      for (const v of result.violations) found.push(`${key}: ${v.id} (${v.nodes.length}) ${v.nodes[0]?.target.join(' ') ?? ''}`);
    }
    expect(found).toEqual([]);
    await mgr.goto(`${server.url}${paths['heat']}`);
    await mgr.focus('.heat-wrap');
    await mgr.keyboard.press('Tab');
    const name = await mgr.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    expect(name).toMatch(/^.+, Reference conversations: 0 of 2$/);
    await mgr.keyboard.press('Enter');
    await mgr.waitForURL(/heat-map\/cell/);
    expect(await mgr.textContent('h1')).toBe('Reference conversations');
  });
});
