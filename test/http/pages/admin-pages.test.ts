/**
 * Administration pages over HTTP: organizations, people and roles, invitations with their link
 * shown once, LRS credentials with the secret shown once, audit, and /me.
 */
import request from 'supertest';
import type { Organization } from '../../../src/store/ports';
import { ADMIN_EMAIL, anonBrowser, createPagesApp, mailedLinkPath, makeOrg, makePerson, signInAs, type PagesApp, type SignedInAgent } from './fixture';

let t: PagesApp;
let admin: SignedInAgent;
let org: Organization;
let orgAdmin: SignedInAgent;

beforeAll(async () => {
  t = await createPagesApp();
  org = await makeOrg(t, 'Delta Library', 'member');
  await makePerson(t, { email: 'delta-admin@pages.test', name: 'Dee Admin', roles: [{ orgId: org.id, role: 'orgAdmin' }] });
  [admin, orgAdmin] = await Promise.all([signInAs(t, ADMIN_EMAIL), signInAs(t, 'delta-admin@pages.test')]);
});
afterAll(() => t.close());

describe('organizations', () => {
  it('creates an organization and lands on its page', async () => {
    const res = await admin.agent.post('/admin/orgs').type('form').send({ _csrf: admin.csrf, name: 'Epsilon Works', slug: '', kind: 'provider' });
    expect(res.status).toBe(303);
    const created = (await t.store.accounts.findOrganizations()).find((o) => o.name === 'Epsilon Works');
    expect(created?.kind).toBe('provider');
    expect(res.headers['location']).toBe(`/admin/orgs/${created?.id}`);
    const page = await admin.agent.get(res.headers['location'] as string);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<h1>Epsilon Works: people<\/h1>/);
  });

  it('shows the error in the page and keeps the values when the name is empty or the slug taken', async () => {
    const empty = await admin.agent.post('/admin/orgs').type('form').send({ _csrf: admin.csrf, name: '  ', slug: 'fine-slug', kind: 'member' });
    expect(empty.status).toBe(400);
    expect(empty.text).toMatch(/role="alert"[^>]*>Name must not be empty\./);
    expect(empty.text).toContain('value="fine-slug"');
    expect(empty.text).toMatch(/<option value="member" selected>/);
    const taken = await admin.agent.post('/admin/orgs').type('form').send({ _csrf: admin.csrf, name: 'Again', slug: org.slug, kind: 'member' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('value="Again"');
  });
});

describe('people, roles and invitations', () => {
  it('invites a person: the link is mailed to them (here: the outbox), never shown to the inviter', async () => {
    const res = await orgAdmin.agent
      .post(`/admin/orgs/${org.id}/invitations`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(orgAdmin.csrf)}&email=Invitee%40pages.test&roles=learner&roles=author&learnerType=trustee`);
    expect(res.status).toBe(201);
    expect(res.text).toContain('the invitation waits in the site administrator&#39;s outbox');
    const path = await mailedLinkPath(t, 'invitee@pages.test');
    expect(path).toMatch(/^\/invitations\/[A-Za-z0-9_-]{20,}$/);
    expect(res.text).not.toContain(path);
    expect(res.text).not.toMatch(/\/invitations\/[A-Za-z0-9_-]{20,}/);
    const stored = await t.store.accounts.findInvitations(org.id);
    expect(stored.map((i) => [i.email, [...i.roles].sort(), i.learnerType])).toEqual([['invitee@pages.test', ['author', 'learner'], 'trustee']]);
    const page = await orgAdmin.agent.get(`/admin/orgs/${org.id}`);
    expect(page.text).toContain('invitee@pages.test');
    expect(page.text).toContain('pending');
    expect(page.text).not.toContain(path);
  });

  it('keeps the invite form values and explains a bad email or no role', async () => {
    const bad = await orgAdmin.agent.post(`/admin/orgs/${org.id}/invitations`).type('form').send({ _csrf: orgAdmin.csrf, email: 'not-an-email', roles: 'analyst' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/role="alert"[^>]*>Email must be an email address/);
    expect(bad.text).toContain('value="not-an-email"');
    expect(bad.text).toMatch(/value="analyst" checked/);
    const none = await orgAdmin.agent.post(`/admin/orgs/${org.id}/invitations`).type('form').send({ _csrf: orgAdmin.csrf, email: 'someone@pages.test' });
    expect(none.status).toBe(400);
    expect(none.text).toContain('choose at least one role');
  });

  it('grants and revokes roles', async () => {
    const id = await makePerson(t, { email: 'roley@pages.test', name: 'Ro Ley', roles: [{ orgId: org.id, role: 'learner' }] });
    const grant = await orgAdmin.agent.post(`/admin/orgs/${org.id}/people/${id}/roles`).type('form').send({ _csrf: orgAdmin.csrf, role: 'analyst' });
    expect(grant.status).toBe(303);
    expect((await t.store.accounts.findMemberships({ userId: id })).map((m) => m.role).sort()).toEqual(['analyst', 'learner']);
    const revoke = await orgAdmin.agent.post(`/admin/orgs/${org.id}/people/${id}/roles/revoke`).type('form').send({ _csrf: orgAdmin.csrf, role: 'learner' });
    expect(revoke.status).toBe(303);
    expect((await t.store.accounts.findMemberships({ userId: id })).map((m) => m.role)).toEqual(['analyst']);
    const page = await orgAdmin.agent.get(`/admin/orgs/${org.id}`);
    expect(page.text).toContain('aria-label="Revoke Analyst from Ro Ley"');
    const bogus = await orgAdmin.agent.post(`/admin/orgs/${org.id}/people/${id}/roles`).type('form').send({ _csrf: orgAdmin.csrf, role: 'emperor' });
    expect(bogus.status).toBe(400);
    expect(bogus.text).toMatch(/role="alert"[^>]*>Role must be one of/);
  });
});

describe('LRS credentials', () => {
  it('creates a credential, shows the secret once, and the secret works on the LRS', async () => {
    const res = await orgAdmin.agent
      .post(`/admin/orgs/${org.id}/credentials`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(orgAdmin.csrf)}&name=Authoring+tool&scopes=statements%2Fwrite&scopes=statements%2Fread%2Fmine`);
    expect(res.status).toBe(201);
    const key = /id="credential-key">([^<]+)</.exec(res.text)?.[1];
    const secret = /id="credential-secret">([^<]+)</.exec(res.text)?.[1];
    expect(key).toBeTruthy();
    expect(secret).toBeTruthy();
    const basic = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
    const lrs = await request(t.app).get('/xapi/statements').set('Authorization', basic).set('X-Experience-API-Version', '1.0.3');
    expect(lrs.status).toBe(200);

    const list = await orgAdmin.agent.get(`/admin/orgs/${org.id}/credentials`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(key as string);
    expect(list.text).not.toContain(secret as string);
    expect(list.text).toContain('statements/write, statements/read/mine');

    const revoke = await orgAdmin.agent.post(`/admin/orgs/${org.id}/credentials/${key}/revoke`).type('form').send({ _csrf: orgAdmin.csrf });
    expect(revoke.status).toBe(303);
    expect((await orgAdmin.agent.get(`/admin/orgs/${org.id}/credentials`)).text).toMatch(/revoked <time/);
    const after = await request(t.app).get('/xapi/statements').set('Authorization', basic).set('X-Experience-API-Version', '1.0.3');
    expect(after.status).toBe(401);
  });

  it('keeps the name and explains when no scope is chosen', async () => {
    const res = await orgAdmin.agent.post(`/admin/orgs/${org.id}/credentials`).type('form').send({ _csrf: orgAdmin.csrf, name: 'Scopeless' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Choose at least one scope.');
    expect(res.text).toContain('value="Scopeless"');
  });

  it('answers 404 for revoking a credential of another organization', async () => {
    const other = await makeOrg(t, 'Zeta Other');
    const adminCreated = await admin.agent.post(`/admin/orgs/${other.id}/credentials`).type('form').send({ _csrf: admin.csrf, name: 'Theirs', scopes: 'all' });
    const key = /id="credential-key">([^<]+)</.exec(adminCreated.text)?.[1] ?? '';
    const res = await orgAdmin.agent.post(`/admin/orgs/${org.id}/credentials/${key}/revoke`).type('form').send({ _csrf: orgAdmin.csrf });
    expect(res.status).toBe(404);
    expect((await t.store.credentials.findCredential(key))?.revokedAt).toBeUndefined();
  });
});

describe('audit', () => {
  it('lists the organization\'s administrative actions with who did them', async () => {
    const res = await orgAdmin.agent.get(`/admin/orgs/${org.id}/audit`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('credential.create');
    expect(res.text).toContain('Dee Admin &lt;delta-admin@pages.test&gt;');
    expect(res.text.match(/<h1[\s>]/g)).toHaveLength(1);
    const site = await admin.agent.get('/admin/audit');
    expect(site.status).toBe(200);
    expect(site.text).toContain('organization.create');
  });
});

describe('/me', () => {
  it('shows identity, xAPI identity and the records download link; toggles email sharing, which counts once the email is confirmed', async () => {
    const me = await orgAdmin.agent.get('/me');
    expect(me.status).toBe(200);
    expect(me.text).toContain('delta-admin@pages.test');
    expect(me.text).toContain('&quot;homePage&quot;');
    expect(me.text).not.toContain('mailto:delta-admin@pages.test');
    expect(me.text).toContain('href="/api/me/records"');
    expect(me.text).toContain('Delta Library: Organization administrator');
    expect(me.text).toContain('not confirmed');

    const save = await orgAdmin.agent.post('/me/share-email').type('form').send({ _csrf: orgAdmin.csrf, shareEmail: 'on' });
    expect(save.status).toBe(303);
    const after = await orgAdmin.agent.get('/me?saved=1');
    expect(after.text).toContain('role="status"');
    // Shared but not proven: the address is not part of the identity yet.
    expect(after.text).not.toContain('mailto:delta-admin@pages.test');

    const ask = await orgAdmin.agent.post('/me/verify-email').type('form').send({ _csrf: orgAdmin.csrf });
    expect(ask.status).toBe(303);
    expect(ask.headers['location']).toBe('/me?sent=outbox');
    expect((await orgAdmin.agent.get('/me?sent=outbox')).text).toContain("the confirmation link is in the site administrator's outbox");
    const path = await mailedLinkPath(t, 'delta-admin@pages.test');
    expect(path).toMatch(/^\/verify-email\//);
    const b = await anonBrowser(t, path);
    expect((await b.agent.post(path).type('form').send({ _csrf: b.csrf })).status).toBe(200);
    expect((await b.agent.post(path).type('form').send({ _csrf: b.csrf })).status).toBe(404);
    const proven = await orgAdmin.agent.get('/me');
    expect(proven.text).toContain('mailto:delta-admin@pages.test');
    expect(proven.text).toContain('(confirmed)');

    await orgAdmin.agent.post('/me/share-email').type('form').send({ _csrf: orgAdmin.csrf });
    expect((await orgAdmin.agent.get('/me')).text).not.toContain('mailto:delta-admin@pages.test');
  });
});
