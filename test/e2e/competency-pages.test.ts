/**
 * The competency pages in Debian's Chromium (issue 14): the framework tree and its search, an
 * author aligning an outside activity on the competency page, a learner's profile with the
 * evidence a statement earned and a self-assessment made through the form, the badge list and
 * the public verification page. Every page is checked with axe.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { competencyEvidenceSubscriber } from '../../src/competency/evidence-subscriber';
import { importPackage } from '../../src/competency/frameworks';
import { storeStatements } from '../../src/xapi/statements/write-service';
import { casePackage } from '../fixtures/case-package';
import { makeOrg, makePerson, PASSWORD, type PagesApp } from '../http/pages/fixture';
import { axeViolations, describeBrowser, signInWithPassword, type Listening } from './browser';
import { usePagesBrowser } from './pages-browser';

jest.setTimeout(90_000);

const signIn = (page: Page, base: string, email: string): Promise<void> => signInWithPassword(page, base, email, PASSWORD);
const axe = axeViolations;

describeBrowser('competency pages in Chromium', () => {
  let t: PagesApp;
  let server: Listening;
  const pages = usePagesBrowser();
  let fwId = '';
  const ids = new Map<string, string>();
  const quiz = 'https://tool.example.org/quiz/e2e';

  beforeAll(async () => {
    ({ t, server } = pages);
    const org = await makeOrg(t, 'Browser Library');
    await makePerson(t, { email: 'author@comp.test', roles: [{ orgId: org.id, role: 'author' }] });
    const learner = await makePerson(t, { email: 'learner@comp.test', name: 'Lee Learner', roles: [{ orgId: org.id, role: 'learner' }] });
    const services = { ...t.services, config: { ...t.config, publicUrl: server.url } };
    fwId = (await importPackage(services, org.id, casePackage({ ids, categories: 3, perCategory: 3 }))).framework.id;
    // The learner's evidence: a badge, an alignment, and a passing statement projected by the subscriber.
    await t.store.competency.upsertBadge({ id: 'e2e-badge', orgId: org.id, name: 'Category one expert', description: 'd', criteria: 'Pass the quiz', frameworkId: fwId, itemIdentifier: ids.get('C1.1') as string, level: 1, createdAt: new Date().toISOString() });
    await t.store.competency.insertAlignment({
      id: 'e2e-alignment', orgId: org.id, frameworkId: fwId, itemIdentifier: ids.get('C1.1') as string, target: { kind: 'activity' }, activityId: quiz, activityIds: [quiz],
      level: 2, rule: { kind: 'passed' }, validDays: 30, createdBy: 'e2e', createdAt: new Date().toISOString(),
    });
    const stored = await storeStatements(t.services, {
      body: { json: [{ actor: { objectType: 'Agent', account: { homePage: t.config.publicUrl, name: learner } }, verb: { id: 'http://adlnet.gov/expapi/verbs/passed' }, object: { id: quiz }, result: { success: true } }], parts: new Map(), multipart: false },
      version: '1.0.3', auth: { credentialKey: 'e2e', name: 'e2e', scopes: new Set(['all']), authority: { objectType: 'Agent', mbox: 'mailto:tool@example.org' }, orgId: org.id },
    });
    const [st] = await t.store.statements.findStatementsByIds(stored);
    await competencyEvidenceSubscriber(t.services, { cacheMs: 0 }).handle([{ kind: 'stored', seq: st!.seq, statement: st!, orgIds: [org.id] }]);
  });

  const newPage = (): Promise<Page> => pages.newPage();

  it('shows the framework as a tree, searches it, and lets an author align an outside activity', async () => {
    const base = server.url;
    const page = await newPage();
    await signIn(page, base, 'author@comp.test');
    await page.getByRole('link', { name: 'Competencies' }).click();
    await page.waitForURL(`${base}/competencies`);
    expect(await axe(page)).toEqual([]);
    await page.getByRole('link', { name: 'Test framework for library work' }).click();
    await page.waitForURL(`${base}/competencies/${fwId}`);
    expect(await page.locator('main > ul.tree > li').count()).toBe(3);
    expect(await page.locator('main > ul.tree > li > ul.tree > li').count()).toBe(9);
    expect(await axe(page)).toEqual([]);
    await page.getByLabel('Search this framework').fill('C2.3');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\?q=C2\.3/);
    expect(await page.getByRole('heading', { name: '1 match' }).count()).toBe(1);
    await page.locator('main ul').first().getByRole('link').first().click();
    await page.waitForURL(`${base}/competencies/${fwId}/items/${ids.get('C2.3')}`);
    expect(await page.locator('h1').textContent()).toContain('C2.3');
    expect(await axe(page)).toEqual([]);
    await page.getByLabel('Activity IRI (learning from outside tools)').fill('https://tool.example.org/simulation/9');
    await page.getByLabel('Level it evidences').selectOption({ label: 'Leading' });
    await page.getByLabel('Earned when').selectOption('scaled');
    await page.getByLabel(/Minimum scaled score/).fill('0.75');
    await page.getByLabel(/Valid for/).fill('365');
    await page.getByRole('button', { name: 'Align' }).click();
    await page.waitForURL(`${base}/competencies/${fwId}/items/${ids.get('C2.3')}`);
    const row = page.locator('table tbody tr').first();
    expect((await row.textContent())?.replace(/\s+/g, '')).toContain('https://tool.example.org/simulation/9 Leading scaled score at least 0.75 365 days'.replace(/ /g, ''));
    expect(await axe(page)).toEqual([]);
  });

  it('shows the learner their profile, their self-assessment, their badge, and verifies it publicly', async () => {
    const base = server.url;
    const page = await newPage();
    await signIn(page, base, 'learner@comp.test');
    await page.goto(`${base}/me/competencies`);
    const levelOf = (code: string) => page.getByRole('link', { name: new RegExp(`^${code.replace('.', '\\.')} `) }).locator('xpath=following-sibling::span[1]');
    expect(await levelOf('C1.1').textContent()).toBe('Practising');
    expect(await page.getByRole('heading', { name: 'Lapses soon' }).count()).toBe(1);
    expect(await axe(page)).toEqual([]);

    await page.goto(`${base}/competencies/${fwId}/items/${ids.get('C3.2')}`);
    await page.getByLabel('My level').selectOption({ label: 'Practising' });
    await page.getByRole('button', { name: 'Save my self-assessment' }).click();
    await page.waitForURL(`${base}/competencies/${fwId}/items/${ids.get('C3.2')}`);
    expect(await page.locator('main').textContent()).toContain('Self-assessed: Practising');
    await page.goto(`${base}/me/competencies`);
    expect(await levelOf('C3.2').textContent()).toBe('not yet');
    expect(await page.getByRole('link', { name: /^C3\.2 / }).locator('xpath=following-sibling::span[2]').textContent()).toBe('self-assessed: level 2');

    await page.getByRole('link', { name: 'My badges' }).click();
    await page.waitForURL(`${base}/me/badges`);
    expect(await page.getByRole('heading', { name: 'Category one expert' }).count()).toBe(1);
    expect(await axe(page)).toEqual([]);
    const href = await page.locator('a[href$=".jwt"]').first().getAttribute('href');
    const token = await (await page.request.get(`${base}${href}`)).text();

    // Anyone may verify: a fresh browser without a session.
    const anon = await newPage();
    await anon.goto(`${base}/ob/verify`);
    expect(await axe(anon)).toEqual([]);
    await anon.getByLabel('Credential (VC-JWT)').fill(token);
    await anon.getByRole('button', { name: 'Verify' }).click();
    await anon.waitForLoadState();
    expect(await anon.getByRole('heading', { name: 'Valid', exact: true }).count()).toBe(1);
    expect(await axe(anon)).toEqual([]);
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await anon.getByLabel('Credential (VC-JWT)').fill(tampered);
    await anon.getByRole('button', { name: 'Verify' }).click();
    await anon.waitForLoadState();
    expect(await anon.getByRole('heading', { name: 'Not valid' }).count()).toBe(1);
  });
});
