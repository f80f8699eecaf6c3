/**
 * What a newcomer does after `npm start`: sign in as the demo learner, find the demo course in the
 * catalog, launch it, answer its check, and see the result recorded — through the real createApp
 * and content origin, with real sign-in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../src/accounts/bootstrap-admin';
import { createApp } from '../../src/app';
import { testConfig } from '../../src/config';
import { seedDemoCourse } from '../../src/demo/seed-demo-course';
import { createLogger } from '../../src/logger';
import { createContentApp } from '../../src/packages/content-app';
import { openStore } from '../../src/store';
import { createFolderFileStore } from '../../src/store/files/folder';
import type { Store } from '../../src/store/ports';
import { deferred, describeBrowser, launchBrowser, listen, type Listening } from './browser';

describeBrowser('the demo course, as a newcomer meets it', () => {
  let appServer: Listening;
  let contentServer: Listening;
  let browser: Browser;
  let store: Store;
  let courseId: string | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-demo-'));
    const a = deferred();
    const c = deferred();
    appServer = await listen(a.app);
    contentServer = await listen(c.app);
    const config = testConfig({ publicUrl: appServer.url, contentUrl: contentServer.url.replace('127.0.0.1', 'localhost'), demo: true, dataDir: dir, packagesDir: path.join(dir, 'files') });
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    const files = createFolderFileStore(path.join(dir, 'files'));
    const logger = createLogger('silent');
    const { listener: app, services } = createApp({ config, store, logger, files });
    await seedDemoAccounts(services);
    courseId = await seedDemoCourse(services);
    a.set(app);
    c.set(createContentApp({ config, logger, store }, files));
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await appServer?.close();
    await contentServer?.close();
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function scoFrame(page: Page): Promise<Frame> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const f = page.frames().find((x) => x.url().includes('/content/') && x.url().endsWith('index.html'));
      if (f && (await f.locator('#quiz').count()) > 0) return f;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the demo SCO did not load: ${page.frames().map((f) => f.url()).join(' ')}`);
  }

  it('is published once, and only once', async () => {
    expect(courseId).toBeDefined();
    const course = await store.courses.findCourse(courseId!);
    expect(course?.state).toBe('published');
    const { services } = createApp({ config: testConfig({ demo: true }), store, logger: createLogger('silent'), files: createFolderFileStore(path.join(dir, 'files')) });
    expect(await seedDemoCourse(services)).toBeUndefined();
    expect(await store.courses.findCourses({})).toHaveLength(1);
  });

  it('signs in, launches from the catalog, passes the check and the LRS has the result', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${appServer.url}/sign-in`);
    await page.getByLabel('Email').fill('staff@riverside.demo.learnhq.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));

    await page.goto(`${appServer.url}/catalog`);
    await page.getByRole('link', { name: 'The Reference Interview: a first look' }).first().click();
    await page.waitForURL((u) => u.pathname === `/courses/${courseId}`);
    await page.getByRole('button', { name: 'Launch' }).click();

    const sco = await scoFrame(page);
    await sco.locator('input[name=q1][value=b]').check();
    await sco.locator('input[name=q2][value=b]').check();
    await sco.locator('input[name=q3][value=a]').check();
    await sco.getByRole('button', { name: 'Check my answers' }).click();
    await sco.getByText('You scored 100%').waitFor();

    const deadline = Date.now() + 10_000;
    let verbs: string[] = [];
    while (Date.now() < deadline) {
      const page1 = await store.statements.findStatements({ allRefs: [], ascending: true, limit: 100 });
      verbs = page1.statements.map((s) => String((s.statement['verb'] as { id: string }).id).split('/').pop()!);
      if (verbs.includes('passed')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(verbs).toEqual(expect.arrayContaining(['initialized', 'passed', 'scored', 'responded']));
    await context.close();
  }, 60_000);
});
