import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { DEMO_PASSWORD, ensureSiteAdmin, seedDemoAccounts } from '../../src/accounts/bootstrap-admin';
import { createApp } from '../../src/app';
import { testConfig } from '../../src/config';
import type { AppServices } from '../../src/deps';
import { DEMO_LEARNERS, seedDemoContent } from '../../src/demo/seed-demo';
import { seedDemoCareers } from '../../src/demo/seed-demo-careers';
import { seedDemoCourse } from '../../src/demo/seed-demo-course';
import { createLogger } from '../../src/logger';
import { openStore } from '../../src/store';
import { createFolderFileStore } from '../../src/store/files/folder';
import { openDemoStore } from './demo-seed-store';
import type { Store } from '../../src/store/ports';
import { eventually } from '../helpers/eventually';

jest.setTimeout(60_000);

/** The demo site as main.ts seeds it: its analysts see their own organization's learning, and only that. */
describe('demo learning records belong to the demo organizations', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lhq-demo-seed-'));
  let store: Store;
  let app: RequestListener;
  let services: AppServices;
  let stored = 0;
  beforeAll(async () => {
    store = await openDemoStore();
    const config = testConfig({ demo: true, dataDir: dir, packagesDir: path.join(dir, 'files') });
    const handle = createApp({ config, store, logger: createLogger('silent'), files: createFolderFileStore(path.join(dir, 'files')) });
    app = handle.listener;
    services = handle.services;
    await ensureSiteAdmin(services);
    await seedDemoAccounts(services);
    await seedDemoCourse(services);
    await seedDemoCareers(services);
    stored = await seedDemoContent(services);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(email: string): Promise<string> {
    const res = await request(app).post('/api/session').send({ email, password: DEMO_PASSWORD });
    expect(res.status).toBe(201);
    return String([res.headers['set-cookie']].flat().find((c) => String(c).startsWith('lhq_session='))).split(';')[0] ?? '';
  }
  const get = (cookie: string, p: string) => request(app).get(p).set('Cookie', cookie);
  /** Waits until the app's pipeline has projected the demo statements into the overview. */
  async function overview(cookie: string): Promise<{ totals: { figures: { learners: number; launches: number; completions: number; passes: number } } }> {
    const res = await eventually(() => get(cookie, '/api/reports/overview'), (r) => r.status !== 200 || (r.body?.totals.figures.learners ?? 0) > 0);
    expect(res.status).toBe(200);
    return res.body;
  }
  const orgId = async (slug: string): Promise<string> => (await store.accounts.findOrganizationBySlug(slug))!.id;
  const userIds = async (org: string): Promise<Set<string>> => {
    const out = new Set<string>();
    for (const l of DEMO_LEARNERS.filter((x) => x.org === org)) out.add((await store.accounts.findUserByEmail(l.email))!.id);
    return out;
  };

  it('stores the statements once, about the demo learners, filed under their organizations', async () => {
    expect(stored).toBeGreaterThan(30);
    expect(await seedDemoContent(services)).toBe(0);
    expect(await store.statements.countStatements()).toBe(stored);
  });

  it("shows the Riverside analyst Riverside's learners in the overview, the course report and the statement explorer, and none of Harbor's", async () => {
    const analyst = await signIn('analyst@riverside.demo.learnhq.test');
    const o = await overview(analyst);
    const riverside = DEMO_LEARNERS.filter((l) => l.org === 'riverside-library');
    expect(o.totals.figures.learners).toBe(riverside.length);
    expect(o.totals.figures.launches).toBeGreaterThanOrEqual(riverside.length);
    expect(o.totals.figures.passes).toBeGreaterThan(0);

    const [course] = await store.courses.findCourses({ limit: 1 });
    const cr = await get(analyst, `/api/reports/courses/${course!.id}`);
    expect(cr.status).toBe(200);
    expect(cr.body.funnel.find((f: { step: string }) => f.step === 'launched').learners).toBe(riverside.length);
    expect(cr.body.byOrganization.map((r: { orgId: string }) => r.orgId)).toEqual([await orgId('riverside-library')]);

    const ex = await get(analyst, '/api/reports/statements?limit=100');
    expect(ex.status).toBe(200);
    const ours = await userIds('riverside-library');
    const theirs = await userIds('harbor-cooperative');
    const actors = new Set(ex.body.statements.map((r: { statement: { actor: { account: { name: string } } } }) => r.statement.actor.account.name));
    expect(actors.size).toBe(ours.size);
    for (const a of actors) expect(ours.has(a as string)).toBe(true);
    for (const a of theirs) expect(actors.has(a)).toBe(false);
  });

  it("shows Harbor's analyst Harbor's learners only; Riverside's organization stays closed to them", async () => {
    const analyst = await signIn('multi@demo.learnhq.test');
    const o = await overview(analyst);
    expect(o.totals.figures.learners).toBe(DEMO_LEARNERS.filter((l) => l.org === 'harbor-cooperative').length);
    const ex = await get(analyst, '/api/reports/statements?limit=100');
    const ours = await userIds('harbor-cooperative');
    for (const r of ex.body.statements as { statement: { actor: { account: { name: string } } } }[]) expect(ours.has(r.statement.actor.account.name)).toBe(true);
    expect((await get(analyst, `/api/reports/overview?org=${await orgId('riverside-library')}`)).status).toBe(404);
  });

  it('shows the demo learner their course in progress on My learning', async () => {
    const staff = await signIn('staff@riverside.demo.learnhq.test');
    const res = await eventually(() => get(staff, '/api/my-learning'), (r) => r.status !== 200 || r.body.inProgress.length > 0);
    expect(res.status).toBe(200);
    const body = res.body as { inProgress: { title: string }[] };
    const [course] = await store.courses.findCourses({ limit: 1 });
    expect(body.inProgress.map((i) => i.title)).toEqual([course!.title]);
  });

  it("gives the organizers' pages something to show: Riverside's webinar, and the demo course assigned to the demo staff member's unit", async () => {
    const admin = await signIn('orgadmin@riverside.demo.learnhq.test');
    const riverside = await orgId('riverside-library');
    const opp = await get(admin, `/api/orgs/${riverside}/opportunities`);
    expect(opp.status).toBe(200);
    expect(opp.body.opportunities.map((o: { entry: { title: string } }) => o.entry.title)).toEqual(['Story time online: what works']);
    const list = await get(admin, `/api/orgs/${riverside}/assignments`);
    expect(list.body.assignments).toHaveLength(1);
    expect(list.body.assignments[0].status).toMatchObject({ people: 1, done: 0, overdue: 0 });
    const staff = await signIn('staff@riverside.demo.learnhq.test');
    const [course] = await store.courses.findCourses({ limit: 1 });
    expect((await get(staff, '/api/my-learning')).body.assigned.map((a: { title: string }) => a.title)).toEqual([course!.title]);
    // Harbor's analyst sees the webinar in the catalog (published to every organization).
    const multi = await signIn('multi@demo.learnhq.test');
    expect((await get(multi, '/api/catalog?q=story')).text).toContain('Story time online');
  });

  it('loads nothing when LEARNHQ_DEMO is off', async () => {
    const plain = await openStore({ kind: 'sqlite', path: ':memory:' });
    try {
      const off = createApp({ config: testConfig({ demo: false }), store: plain, logger: createLogger('silent') });
      expect(await seedDemoContent(off.services)).toBe(0);
      expect(await plain.statements.countStatements()).toBe(0);
    } finally {
      await plain.close();
    }
  });
});
