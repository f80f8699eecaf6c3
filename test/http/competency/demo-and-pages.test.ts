import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { ensureSiteAdmin, seedDemoAccounts } from '../../../src/accounts/bootstrap-admin';
import { createApp } from '../../../src/app';
import { testConfig } from '../../../src/config';
import { seedDemoContent } from '../../../src/demo/seed-demo';
import { seedDemoCourse } from '../../../src/demo/seed-demo-course';
import { seedDemoCompetencies } from '../../../src/demo/seed-demo-competencies';
import { createLogger } from '../../../src/logger';
import { openStore } from '../../../src/store';
import { createFolderFileStore } from '../../../src/store/files/folder';
import type { Store } from '../../../src/store/ports';
import type { AppServices } from '../../../src/deps';
import type { RequestListener } from 'node:http';
import { eventually } from '../../helpers/eventually';

/** The demo site as main.ts seeds it, and its pages as the demo people see them. */
describe('demo competencies and the competency pages', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lhq-comp-demo-'));
  let store: Store;
  let app: RequestListener;
  let services: AppServices;
  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    const config = testConfig({ demo: true, dataDir: dir, packagesDir: path.join(dir, 'files'), adminEmail: 'admin@demo.learnhq.test', adminPassword: 'demo-password-1' });
    const handle = createApp({ config, store, logger: createLogger('silent'), files: createFolderFileStore(path.join(dir, 'files')) });
    app = handle.listener;
    services = handle.services;
    await ensureSiteAdmin(services);
    await seedDemoAccounts(services);
    await seedDemoCourse(services);
    await seedDemoContent(services);
    expect(await seedDemoCompetencies(services)).toBe(true);
    expect(await seedDemoCompetencies(services)).toBe(false);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(email: string): Promise<{ cookie: string; csrf: string }> {
    const res = await request(app).post('/api/session').send({ email, password: 'demo-password-1' });
    if (res.status !== 201) {
      // Demo people get the demo password of the README; read it from the seed.
      throw new Error(`sign-in ${email}: ${res.status}`);
    }
    const cookie = String([res.headers['set-cookie']].flat().find((c) => String(c).startsWith('lhq_session='))).split(';')[0] ?? '';
    return { cookie, csrf: res.body.csrfToken as string };
  }

  it('publishes about thirty competencies in six categories, with alignments and the demo learner\'s evidence', async () => {
    const [fw] = await store.competency.findFrameworks({});
    expect(fw?.title).toContain('Library staff and trustee competencies');
    const items = await store.competency.findItems({ frameworkId: fw!.id });
    expect(items.filter((i) => i.itemType === 'Category')).toHaveLength(6);
    expect(items.filter((i) => i.itemType === 'Competency')).toHaveLength(30);
    expect(fw?.scale.map((l) => l.name)).toEqual(['Aware', 'Practising', 'Leading']);
    expect((await store.competency.findAlignments({})).length).toBe(4);
    const staff = await store.accounts.findUserByEmail('staff@riverside.demo.learnhq.test');
    // The app's pipeline projects the demo statements in the background.
    const evidence = await eventually(() => store.competency.findEvidence({ userId: staff!.id }), (e) => e.length >= 3);
    // PS.1 and PS.5 by completing the course, TE.2 by the quiz; CE.4 needs a pass, which the demo learner has not.
    expect(evidence.map((e) => e.level).sort()).toEqual([1, 2, 2]);
    expect(evidence.some((e) => e.expiresAt !== undefined)).toBe(true);
  });

  it('renders the framework list, tree with search, competency page and profile for a signed-in person, and sends others to sign in', async () => {
    const admin = await signIn('admin@demo.learnhq.test');
    const [fw] = await store.competency.findFrameworks({});
    const get = (p: string) => request(app).get(p).set('Cookie', admin.cookie);
    const list = await get('/competencies');
    expect(list.status).toBe(200);
    expect(list.text).toContain(fw!.title);
    const tree = await get(`/competencies/${fw!.id}?q=privacy`);
    expect(tree.status).toBe(200);
    expect(tree.text).toContain('Privacy and security');
    expect(tree.text).toContain('Trustee governance');
    const item = (await store.competency.findItems({ frameworkId: fw!.id })).find((i) => i.humanCodingScheme === 'PS.1')!;
    const page = await get(`/competencies/${fw!.id}/items/${item.identifier}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Reference conversations');
    expect(page.text).toContain('Practising');
    expect((await get('/me/competencies')).status).toBe(200);
    // The catalog shows a course's competencies and filters by one.
    const key = `${fw!.id}|${item.identifier}`;
    const catalog = await get('/catalog');
    expect(catalog.text).toContain('PS.1 Reference conversations');
    expect((await get(`/catalog?competency=${encodeURIComponent(key)}`)).text).toContain('Courses aligned to <strong>PS.1 Reference conversations</strong>');
    const api = await get(`/api/catalog?competency=${encodeURIComponent(key)}`);
    expect(api.body.courses).toHaveLength(1);
    expect((await get(`/api/catalog?competency=${encodeURIComponent(`${fw!.id}|nope`)}`)).body.courses).toEqual([]);
    expect((await request(app).get('/competencies')).status).toBe(303);
    expect((await get(`/competencies/nope`)).status).toBe(404);
  });
});
