/**
 * The statement pipeline's pages in Debian's Chromium (issue 13): the site administrator's status
 * page, and an organization administrator reaching the forwarding page from the organization's
 * page (its tab) with a target, its status and a dead letter on it. Every page is checked with axe.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { sealSecret } from '../../src/forwarding/secrets';
import { ADMIN_EMAIL, makeOrg, makePerson, PASSWORD, type PagesApp } from '../http/pages/fixture';
import { axeViolations, describeBrowser, signInWithPassword, type Listening } from './browser';
import { usePagesBrowser } from './pages-browser';

jest.setTimeout(90_000);

const signIn = (page: Page, base: string, email: string): Promise<void> => signInWithPassword(page, base, email, PASSWORD);
const axe = axeViolations;

describeBrowser('statement pipeline pages in Chromium', () => {
  let t: PagesApp;
  let server: Listening;
  const pages = usePagesBrowser();
  let orgId = '';

  beforeAll(async () => {
    ({ t, server } = pages);
    const org = await makeOrg(t, 'Forwarding Library', 'both');
    orgId = org.id;
    await makePerson(t, { email: 'orgadmin@pipe.test', roles: [{ orgId, role: 'orgAdmin' }] });
    const at = new Date().toISOString();
    await t.store.forwarding.insertForwardTarget({
      id: 'e2e-target', orgId, kind: 'lrs', name: 'Warehouse LRS', url: 'https://lrs.invalid/xapi/', filter: { verbs: [], activityPrefixes: [] },
      events: [], secret: sealSecret(t.config, 'user:password'), createdAt: at,
    });
    await t.store.forwarding.insertDeadLetters([{ id: 'e2e-letter', targetId: 'e2e-target', orgId, seq: 1, statementId: '7f0b4bd2-6a3c-4f63-9a51-0d7c2d5e9a11', error: 'the target answered 503', attempts: 10, at }]);
    await t.store.pipeline.recordCursorError('progress', { message: 'the disk said no', at });
  });

  const newPage = (): Promise<Page> => pages.newPage();

  it('shows the pipeline status page to the site administrator', async () => {
    const page = await newPage();
    await signIn(page, server.url, ADMIN_EMAIL);
    await page.goto(`${server.url}/admin/pipeline`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Statement pipeline');
    expect(await page.getByRole('rowheader', { name: /progress/ }).count()).toBeGreaterThan(0);
    expect(await axe(page)).toEqual([]);
  });

  it('leads an organization administrator from the organization page to its forwarding page', async () => {
    const page = await newPage();
    await signIn(page, server.url, 'orgadmin@pipe.test');
    await page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}`);
    await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Forwarding' }).click();
    await page.waitForURL(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/forwarding`);
    expect(await page.getByRole('link', { name: 'Forwarding' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByRole('rowheader', { name: 'Warehouse LRS', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Resend the dead letters of Warehouse LRS' }).count()).toBe(1);
    expect(await axe(page)).toEqual([]);
  });
});
