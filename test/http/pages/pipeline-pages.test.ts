/**
 * The statement pipeline's status page and API, and the rebuild button (issue 13): the site
 * administrator only; every other role (and no session) is refused and changes nothing.
 */
import request from 'supertest';
import type { Organization } from '../../../src/store/ports';
import { ADMIN_EMAIL, createPagesApp, makeOrg, makePerson, signInAs, type PagesApp, type SignedInAgent } from './fixture';

let t: PagesApp;
let admin: SignedInAgent;
let org: Organization;
const others: Record<string, SignedInAgent> = {};

beforeAll(async () => {
  t = await createPagesApp();
  org = await makeOrg(t, 'Pipeline Library', 'both');
  const roles = ['learner', 'author', 'analyst', 'orgAdmin'] as const;
  for (const role of roles) await makePerson(t, { email: `${role.toLowerCase()}@pipeline.test`, roles: [{ orgId: org.id, role }] });
  admin = await signInAs(t, ADMIN_EMAIL);
  for (const role of roles) others[role] = await signInAs(t, `${role.toLowerCase()}@pipeline.test`);
});
afterAll(() => t.close());

describe('statement pipeline status', () => {
  it('shows every subscriber with its cursor, lag and last error, in the page and its JSON twin', async () => {
    const api = await admin.agent.get('/api/admin/pipeline');
    expect(api.status).toBe(200);
    const subs = (api.body as { subscribers: { name: string; cursor: number; lagStatements: number; lagSeconds: number; failures: number; registered: boolean }[] }).subscribers;
    expect(subs.map((x) => x.name)).toEqual(expect.arrayContaining(['progress', 'cmi5-move-on']));
    for (const x of subs) {
      expect(typeof x.cursor).toBe('number');
      expect(typeof x.lagStatements).toBe('number');
      expect(typeof x.lagSeconds).toBe('number');
    }
    // A failure shows up with its message.
    await t.store.pipeline.recordCursorError('progress', { message: 'the disk said no', at: new Date().toISOString() });
    const page = await admin.agent.get('/admin/pipeline');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Statement pipeline</h1>');
    expect(page.text).toContain('the disk said no');
    expect(page.text).toMatch(/<th scope="row">progress/);
    const again = await admin.agent.get('/api/admin/pipeline');
    expect((again.body as { subscribers: { name: string; lastError?: string }[] }).subscribers.find((x) => x.name === 'progress')?.lastError).toBe('the disk said no');
  });

  it('rebuilds from the button and from the API, and records who asked', async () => {
    const res = await admin.agent.post('/admin/pipeline/cmi5-move-on/rebuild').type('form').send({ _csrf: admin.csrf });
    expect(res.status).toBe(303);
    expect(res.headers['location']).toBe('/admin/pipeline');
    const api = await admin.agent.post('/api/admin/pipeline/progress/rebuild').set('X-CSRF-Token', admin.csrf).send({});
    expect(api.status).toBe(202);
    const audit = await t.store.accounts.findAudit({ limit: 20 });
    expect(audit.filter((e) => e.action === 'pipeline.rebuild').map((e) => e.target).sort()).toEqual(['cmi5-move-on', 'progress']);
    // Without the CSRF token: refused.
    expect((await admin.agent.post('/api/admin/pipeline/progress/rebuild').send({})).status).toBe(403);
    // An unknown name is refused.
    expect((await admin.agent.post('/api/admin/pipeline/nobody/rebuild').set('X-CSRF-Token', admin.csrf).send({})).status).toBe(400);
    // The running pipeline carries the rebuilds out (and clears the requests).
    const end = Date.now() + 20_000;
    while ((await t.store.pipeline.findCursors()).some((c) => c.rebuildRequestedAt !== undefined)) {
      if (Date.now() > end) throw new Error('the rebuilds were not carried out');
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('refuses every other role and anonymous callers, and changes nothing', async () => {
    const before = await t.store.pipeline.findCursors();
    for (const [role, who] of Object.entries(others)) {
      expect([role, (await who.agent.get('/admin/pipeline')).status]).toEqual([role, 403]);
      expect([role, (await who.agent.get('/api/admin/pipeline')).status]).toEqual([role, 403]);
      expect([role, (await who.agent.post('/admin/pipeline/progress/rebuild').type('form').send({ _csrf: who.csrf })).status]).toEqual([role, 403]);
      expect([role, (await who.agent.post('/api/admin/pipeline/progress/rebuild').set('X-CSRF-Token', who.csrf).send({})).status]).toEqual([role, 403]);
    }
    const anon = request(t.app);
    expect((await anon.get('/api/admin/pipeline')).status).toBe(401);
    expect((await anon.post('/api/admin/pipeline/progress/rebuild').send({})).status).toBe(401);
    const page = await anon.get('/admin/pipeline');
    expect(page.status).toBe(303);
    expect(page.headers['location']).toMatch(/^\/sign-in/);
    const after = await t.store.pipeline.findCursors();
    expect(after.map((c) => [c.name, c.rebuildRequestedAt])).toEqual(before.map((c) => [c.name, c.rebuildRequestedAt]));
  });
});
