/**
 * Access rules of the account pages: signed-out redirects, 403/404 pages for the wrong role or
 * organization, CSRF refusals, and HTML escaping of names people type.
 */
import request from 'supertest';
import type { Organization } from '../../../src/store/ports';
import { ADMIN_EMAIL, anonBrowser, createPagesApp, makeOrg, makePerson, signInAs, type PagesApp, type SignedInAgent } from './fixture';

let t: PagesApp;
let orgA: Organization;
let orgB: Organization;
let admin: SignedInAgent;
let adminA: SignedInAgent;
let learnerA: SignedInAgent;

beforeAll(async () => {
  t = await createPagesApp();
  orgA = await makeOrg(t, 'Alpha Library', 'member');
  orgB = await makeOrg(t, 'Beta Provider', 'provider');
  await makePerson(t, { email: 'admin-a@pages.test', name: 'Ann Admin', roles: [{ orgId: orgA.id, role: 'orgAdmin' }] });
  await makePerson(t, { email: 'learner-a@pages.test', name: 'Leo Learner', roles: [{ orgId: orgA.id, role: 'learner' }] });
  [admin, adminA, learnerA] = await Promise.all([signInAs(t, ADMIN_EMAIL), signInAs(t, 'admin-a@pages.test'), signInAs(t, 'learner-a@pages.test')]);
});
afterAll(() => t.close());

describe('signed out', () => {
  it('sends / to /sign-in', async () => {
    const res = await request(t.app).get('/');
    expect(res.status).toBe(303);
    expect(res.headers['location']).toBe('/sign-in');
  });

  it.each(['/me', '/admin', '/admin/audit', '/admin/orgs/ORG', '/admin/orgs/ORG/credentials', '/admin/orgs/ORG/audit'])('redirects %s to /sign-in with next', async (path) => {
    const url = path.replace('ORG', orgA.id);
    const res = await request(t.app).get(url);
    expect(res.status).toBe(303);
    expect(res.headers['location']).toBe(`/sign-in?next=${encodeURIComponent(url)}`);
  });

  it('redirects form posts to /sign-in and changes nothing', async () => {
    const before = (await t.store.accounts.findOrganizations()).length;
    const res = await request(t.app).post('/admin/orgs').type('form').send({ name: 'Sneaky', kind: 'both' });
    expect(res.status).toBe(303);
    expect(res.headers['location']).toMatch(/^\/sign-in\?next=/);
    expect((await t.store.accounts.findOrganizations()).length).toBe(before);
  });

  it('serves the public pages', async () => {
    for (const path of ['/sign-in', '/password-reset']) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('the wrong role', () => {
  it('gives a learner a 403 page at /admin', async () => {
    const res = await learnerA.agent.get('/admin');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('role="alert"');
    expect(res.text).toContain('You do not have access');
  });

  it('gives a learner of the organization a 403 page at its administration', async () => {
    for (const path of ['', '/credentials', '/audit']) {
      const res = await learnerA.agent.get(`/admin/orgs/${orgA.id}${path}`);
      expect(res.status).toBe(403);
    }
  });

  it('does not reveal another organization: 404 for an org admin of another one', async () => {
    for (const path of ['', '/credentials', '/audit']) {
      const res = await adminA.agent.get(`/admin/orgs/${orgB.id}${path}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('Beta Provider');
    }
  });

  it('keeps the site audit and organization creation for the site admin', async () => {
    expect((await adminA.agent.get('/admin/audit')).status).toBe(403);
    const res = await adminA.agent.post('/admin/orgs').type('form').send({ _csrf: adminA.csrf, name: 'Not mine', kind: 'both' });
    expect(res.status).toBe(403);
    expect((await t.store.accounts.findOrganizations()).some((o) => o.name === 'Not mine')).toBe(false);
  });

  it('lets an org admin see only their organizations at /admin', async () => {
    const res = await adminA.agent.get('/admin');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Alpha Library');
    expect(res.text).not.toContain('Beta Provider');
    expect(res.text).not.toContain('action="/admin/orgs"');
  });

  it('lets the site admin see every organization and the site audit', async () => {
    const res = await admin.agent.get('/admin');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Alpha Library');
    expect(res.text).toContain('Beta Provider');
    expect((await admin.agent.get('/admin/audit')).status).toBe(200);
    expect((await admin.agent.get(`/admin/orgs/${orgB.id}`)).status).toBe(200);
  });

  it('refuses an org admin role changes in another organization', async () => {
    const other = await makePerson(t, { email: 'b-person@pages.test', roles: [{ orgId: orgB.id, role: 'learner' }] });
    const res = await adminA.agent.post(`/admin/orgs/${orgB.id}/people/${other}/roles`).type('form').send({ _csrf: adminA.csrf, role: 'orgAdmin' });
    expect(res.status).toBe(404);
    expect((await t.store.accounts.findMemberships({ userId: other })).map((m) => m.role)).toEqual(['learner']);
  });
});

describe('CSRF', () => {
  it('refuses a form post without the token and creates nothing', async () => {
    const res = await admin.agent.post('/admin/orgs').type('form').send({ name: 'No Token Org', kind: 'both' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('CSRF');
    expect((await t.store.accounts.findOrganizations()).some((o) => o.name === 'No Token Org')).toBe(false);
  });

  it('refuses another session\'s token', async () => {
    const res = await admin.agent.post('/admin/orgs').type('form').send({ _csrf: adminA.csrf, name: 'Wrong Token Org', kind: 'both' });
    expect(res.status).toBe(403);
    expect((await t.store.accounts.findOrganizations()).some((o) => o.name === 'Wrong Token Org')).toBe(false);
  });

  it('refuses sign-out without the token: the session goes on', async () => {
    const res = await learnerA.agent.post('/sign-out').type('form').send({});
    expect(res.status).toBe(403);
    expect((await learnerA.agent.get('/me')).status).toBe(200);
  });

  it('refuses credential creation and invitation without the token', async () => {
    const c = await adminA.agent.post(`/admin/orgs/${orgA.id}/credentials`).type('form').send({ name: 'x', scopes: 'all' });
    expect(c.status).toBe(403);
    const i = await adminA.agent.post(`/admin/orgs/${orgA.id}/invitations`).type('form').send({ email: 'x@pages.test', roles: 'learner' });
    expect(i.status).toBe(403);
    expect(await t.store.credentials.findCredentials({ orgId: orgA.id })).toEqual([]);
    expect(await t.store.accounts.findInvitations(orgA.id)).toEqual([]);
  });
});

describe('HTML escaping', () => {
  const evil = '<script>alert("x")</script> & \'Co\'';

  it('escapes organization names typed by the site admin', async () => {
    const res = await admin.agent.post('/admin/orgs').type('form').send({ _csrf: admin.csrf, name: evil, slug: 'evil-org', kind: 'both' });
    expect(res.status).toBe(303);
    const list = await admin.agent.get('/admin');
    expect(list.text).not.toContain('<script>alert');
    expect(list.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;');
    const orgPage = await admin.agent.get(res.headers['location'] as string);
    expect(orgPage.status).toBe(200);
    expect(orgPage.text).not.toContain('<script>alert');
  });

  it('escapes people\'s names in the people list, the header and the dashboard', async () => {
    const name = '<img src=x onerror="alert(1)">Mallory';
    await makePerson(t, { email: 'mallory@pages.test', name, roles: [{ orgId: orgA.id, role: 'learner' }] });
    const people = await adminA.agent.get(`/admin/orgs/${orgA.id}`);
    expect(people.text).not.toContain('<img src=x');
    expect(people.text).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Mallory');
    const mallory = await signInAs(t, 'mallory@pages.test');
    const home = await mallory.agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).not.toContain('<img src=x');
    expect(home.text).toContain('Welcome, &lt;img');
  });

  it('escapes the email typed in a failed sign-in form when it shows it again', async () => {
    const b = await anonBrowser(t);
    const res = await b.agent.post('/sign-in').type('form').send({ _csrf: b.csrf, email: '"><script>x()</script>', password: 'nope-nope-nope' });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('<script>x()');
    expect(res.text).toContain('value="&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"');
  });
});
