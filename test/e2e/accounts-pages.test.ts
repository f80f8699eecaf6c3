import type { RequestListener } from 'node:http';
/**
 * The account pages in Debian's Chromium: a site admin signs in, creates an organization and
 * invites a person; the person accepts in a second browser context, signs out (the old cookie no
 * longer works) and in again; keyboard-only sign-in; an accessibility smoke check of each page
 * (lang, one h1, every control labelled, buttons named).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { ADMIN_EMAIL, PASSWORD, type PagesApp } from '../http/pages/fixture';
import { describeBrowser, signInWithPassword, type Listening } from './browser';
import { usePagesBrowser } from './pages-browser';

jest.setTimeout(60_000);

/** What the accessibility smoke check finds wrong on a page ([] when nothing). */
async function a11yProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const lang = document.documentElement.getAttribute('lang');
    if (!lang) problems.push('html has no lang');
    const h1s = document.querySelectorAll('h1').length;
    if (h1s !== 1) problems.push(`${h1s} h1 elements`);
    if (!document.title.trim()) problems.push('empty title');
    const controls = document.querySelectorAll<HTMLElement>('input:not([type=hidden]), select, textarea');
    controls.forEach((el) => {
      const id = el.getAttribute('id');
      const labelled =
        (id !== null && document.querySelector(`label[for="${CSS.escape(id)}"]`)?.textContent?.trim()) ||
        el.closest('label')?.textContent?.trim() ||
        el.getAttribute('aria-label') ||
        el.getAttribute('aria-labelledby');
      if (!labelled) problems.push(`unlabelled ${el.tagName.toLowerCase()} name=${el.getAttribute('name') ?? ''}`);
    });
    document.querySelectorAll('button, a[href]').forEach((el) => {
      const name = el.getAttribute('aria-label') || el.textContent?.trim();
      if (!name) problems.push(`${el.tagName.toLowerCase()} without an accessible name`);
    });
    const ids = Array.from(document.querySelectorAll('[id]')).map((e) => e.id);
    const dup = ids.filter((x, i) => ids.indexOf(x) !== i);
    if (dup.length) problems.push(`duplicate ids ${[...new Set(dup)].join(', ')}`);
    return problems;
  });
}

const signIn = signInWithPassword;

describeBrowser('account pages in Chromium', () => {
  let t: PagesApp;
  let server: Listening;
  const pages = usePagesBrowser();
  const newContext = (): Promise<BrowserContext> => pages.newContext();
  /** Pages visited while signed in, checked by the accessibility smoke test. */
  const visited: { url: string; context: BrowserContext }[] = [];

  beforeAll(async () => {
    ({ t, server } = pages);
  });

  it('admin creates an organization and invites; the invitee accepts, signs out for good, signs in again', async () => {
    const base = server.url;
    const adminCtx = await newContext();
    const admin = await adminCtx.newPage();
    await signIn(admin, base, ADMIN_EMAIL, PASSWORD);
    // The site administrator lands on the administration page.
    expect(new URL(admin.url()).pathname).toBe('/admin');
    expect(await admin.locator('h1').textContent()).toBe('Administration');
    await admin.goto(`${base}/`);
    expect(await admin.locator('h1').textContent()).toContain('Welcome');

    await admin.getByRole('link', { name: 'Administration' }).click();
    await admin.waitForURL(`${base}/admin`);
    await admin.getByLabel('Name', { exact: true }).fill('Browser Library <b>');
    await admin.getByLabel('Kind').selectOption('member');
    await admin.getByRole('button', { name: 'Create the organization' }).click();
    await admin.waitForURL(/\/admin\/orgs\/[^/]+$/);
    expect(await admin.locator('h1').textContent()).toBe('Browser Library <b>: people');
    const orgUrl = admin.url();
    visited.push({ url: orgUrl, context: adminCtx }, { url: `${orgUrl}/credentials`, context: adminCtx }, { url: `${orgUrl}/audit`, context: adminCtx });
    visited.push({ url: `${base}/admin`, context: adminCtx }, { url: `${base}/admin/audit`, context: adminCtx }, { url: `${base}/me`, context: adminCtx });

    await admin.getByLabel('Email').fill('browser.invitee@pages.test');
    await admin.getByLabel('Analyst').check();
    await admin.getByLabel('Trustee').check();
    await admin.getByRole('button', { name: 'Send the invitation' }).click();
    // The link is mailed to the invitee, never shown to the inviter; without a mail server it waits
    // in the outbox, which this site administrator reads.
    expect(await admin.locator('#invitation-sent').textContent()).toContain('outbox');
    expect(await admin.locator('main').textContent()).not.toMatch(/\/invitations\/[A-Za-z0-9_-]{20,}/);
    await admin.goto(`${base}/admin/outbox`);
    visited.push({ url: `${base}/admin/outbox`, context: adminCtx });
    const mailText = await admin.locator('pre.mail-text').first().textContent();
    const invitePath = new URL(/https?:\/\/\S+/.exec(mailText ?? '')?.[0] ?? 'http://x/none').pathname;
    expect(invitePath).toMatch(/^\/invitations\//);

    // The invitee, in a browser context of their own.
    const inviteeCtx = await newContext();
    const invitee = await inviteeCtx.newPage();
    await invitee.goto(`${base}${invitePath}`);
    expect(await a11yProblems(invitee)).toEqual([]);
    await invitee.getByLabel('Your name').fill('Ivy Invitee');
    await invitee.getByLabel('Password', { exact: true }).fill('ivy-password-1');
    await invitee.getByLabel('Confirm password').fill('not-the-same-1');
    await invitee.getByRole('button', { name: 'Accept the invitation' }).click();
    await expect(invitee.getByRole('alert').textContent()).resolves.toContain('not the same');
    // The name survives the error; the passwords are asked again.
    expect(await invitee.getByLabel('Your name').inputValue()).toBe('Ivy Invitee');
    await invitee.getByLabel('Password', { exact: true }).fill('ivy-password-1');
    await invitee.getByLabel('Confirm password').fill('ivy-password-1');
    await Promise.all([invitee.waitForURL(`${base}/`), invitee.getByRole('button', { name: 'Accept the invitation' }).click()]);
    const dashboard = await invitee.locator('main').textContent();
    expect(dashboard).toContain('Welcome, Ivy Invitee');
    expect(dashboard).toContain('Browser Library <b>');
    visited.push({ url: `${base}/`, context: inviteeCtx });

    // Sign out with the header button; the cookie from before must no longer open a session.
    const oldCookies = await inviteeCtx.cookies();
    expect(oldCookies.some((c) => c.name === 'lhq_session' && c.httpOnly)).toBe(true);
    await Promise.all([invitee.waitForURL(/\/sign-in$/), invitee.getByRole('button', { name: 'Sign out' }).click()]);
    const replayCtx = await newContext();
    await replayCtx.addCookies(oldCookies);
    const replay = await replayCtx.newPage();
    await replay.goto(`${base}/me`);
    expect(new URL(replay.url()).pathname).toBe('/sign-in');

    // And the invitee signs in with their new password.
    await signIn(invitee, base, 'browser.invitee@pages.test', 'ivy-password-1');
    // An analyst lands on Reports, where their work is.
    expect(new URL(invitee.url()).pathname).toBe('/reports');
    expect(await invitee.locator('h1').textContent()).toBe('Reports');
  });

  it('signs in with the keyboard only (Tab and Enter)', async () => {
    const page = await (await newContext()).newPage();
    await page.goto(`${server.url}/sign-in`);
    // The email field has focus on arrival; Tab goes to the password, Enter submits.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-email');
    await page.keyboard.type(ADMIN_EMAIL);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-password');
    await page.keyboard.type('wrong password!');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[role=alert]');
    expect(await page.getByRole('alert').textContent()).toContain('The email or password is wrong.');
    expect(await page.getByLabel('Email').inputValue()).toBe(ADMIN_EMAIL);
    await page.getByLabel('Password').focus();
    await page.keyboard.type(PASSWORD);
    await Promise.all([page.waitForURL(`${server.url}/admin`), page.keyboard.press('Enter')]);
    // The skip link is the first stop of the keyboard and shows when focused.
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { text: el?.textContent, left: el?.getBoundingClientRect().left ?? -1 };
    });
    expect(skip.text).toBe('Skip to content');
    expect(skip.left).toBeGreaterThanOrEqual(0);
  });

  it('passes the accessibility smoke check on every account page', async () => {
    const publicCtx = await newContext();
    const pages = [
      { url: `${server.url}/sign-in`, context: publicCtx },
      { url: `${server.url}/password-reset`, context: publicCtx },
      ...visited,
    ];
    expect(visited.length).toBeGreaterThanOrEqual(7);
    // The check itself must be able to fail: a page with an unlabelled input and two h1s.
    const bad = await publicCtx.newPage();
    await bad.setContent('<html><head><title>x</title></head><body><h1>a</h1><h1>b</h1><input name="q"><button></button></body></html>');
    expect(await a11yProblems(bad)).toEqual(['html has no lang', '2 h1 elements', 'unlabelled input name=q', 'button without an accessible name']);
    await bad.close();
    const found: Record<string, string[]> = {};
    for (const p of pages) {
      const page = await p.context.newPage();
      const res = await page.goto(p.url);
      expect(res?.status()).toBe(200);
      const problems = await a11yProblems(page);
      if (problems.length) found[p.url] = problems;
      await page.close();
    }
    expect(found).toEqual({});
  });
});
