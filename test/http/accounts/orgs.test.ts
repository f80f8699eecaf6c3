import request from 'supertest';
import { accountsApp, addOrg, addPerson, personSession, type AccountsApp, type Session } from './helpers';

let t: AccountsApp;
let admin: Session;
beforeEach(async () => {
  t = await accountsApp();
  admin = await personSession(t, { isSiteAdmin: true, name: 'Ada Admin' });
});
afterEach(async () => {
  await t.close();
});

const post = (path: string, s: Session, body: object): request.Test =>
  request(t.app).post(path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(body);
const put = (path: string, s: Session, body: object = {}): request.Test =>
  request(t.app).put(path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(body);
const del = (path: string, s: Session): request.Test => request(t.app).delete(path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
const get = (path: string, s: Session): request.Test => request(t.app).get(path).set('Cookie', s.cookie);

describe('organizations', () => {
  it('lets the site administrator create organizations of each kind (slug from the name) and audits it', async () => {
    const res = await post('/api/orgs', admin, { name: 'Riverside Library', kind: 'member' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Riverside Library', slug: 'riverside-library', kind: 'member' });
    expect((await post('/api/orgs', admin, { name: 'Northwind', kind: 'provider', slug: 'nw' })).body.slug).toBe('nw');
    expect((await post('/api/orgs', admin, { name: 'Harbor', kind: 'both' })).status).toBe(201);
    const audit = await get('/api/audit', admin);
    expect(audit.body.entries.filter((e: { action: string }) => e.action === 'organization.create')).toHaveLength(3);
    expect(audit.body.entries[0]).toMatchObject({ actorUserId: admin.userId, actorLabel: expect.stringContaining('Ada Admin') });
  });

  it('refuses bad input (400 naming the property) and duplicate slugs (409)', async () => {
    const badKind = await post('/api/orgs', admin, { name: 'X', kind: 'school' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.message).toMatch(/^kind/);
    const noName = await post('/api/orgs', admin, { kind: 'member' });
    expect(noName.status).toBe(400);
    expect(noName.body.message).toMatch(/^name/);
    expect((await post('/api/orgs', admin, { name: 'Same', kind: 'member' })).status).toBe(201);
    expect((await post('/api/orgs', admin, { name: 'same', kind: 'provider' })).status).toBe(409);
    expect((await post('/api/orgs', admin, { name: 'Y', kind: 'member', slug: 'Not A Slug' })).status).toBe(400);
  });

  it('refuses creation to anyone but the site administrator: 401 signed out, 403 an org admin, 403 without CSRF', async () => {
    const org = await addOrg(t);
    const orgAdmin = await personSession(t, { roles: [{ orgId: org.id, role: 'orgAdmin' }] });
    expect((await request(t.app).post('/api/orgs').send({ name: 'A', kind: 'member' })).status).toBe(401);
    expect((await post('/api/orgs', orgAdmin, { name: 'A', kind: 'member' })).status).toBe(403);
    const noCsrf = await request(t.app).post('/api/orgs').set('Cookie', admin.cookie).send({ name: 'A', kind: 'member' });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.message).toMatch(/CSRF/);
  });

  it('lists all organizations to the site admin and only their own to others; hides other organizations as 404', async () => {
    const a = await addOrg(t, 'Alpha');
    const b = await addOrg(t, 'Beta');
    const learner = await personSession(t, { roles: [{ orgId: a.id, role: 'learner' }] });
    const all = (await get('/api/orgs', admin)).body.organizations.map((o: { id: string }) => o.id);
    expect(all).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await get('/api/orgs', learner)).body.organizations.map((o: { id: string }) => o.id)).toEqual([a.id]);
    expect((await get(`/api/orgs/${a.id}`, learner)).body).toMatchObject({ id: a.id, name: 'Alpha' });
    const other = await get(`/api/orgs/${b.id}`, learner);
    const missing = await get('/api/orgs/does-not-exist', learner);
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((await get('/api/orgs/does-not-exist', admin)).status).toBe(404);
    expect((await request(t.app).get(`/api/orgs/${a.id}`)).status).toBe(401);
  });
});

describe('people and roles', () => {
  it('lists people with their roles to the org admin only (403 analyst, 404 other org admin)', async () => {
    const org = await addOrg(t);
    const other = await addOrg(t);
    const orgAdmin = await personSession(t, { name: 'Olga', roles: [{ orgId: org.id, role: 'orgAdmin' }] });
    const analyst = await personSession(t, { name: 'Anna', roles: [{ orgId: org.id, role: 'analyst' }, { orgId: org.id, role: 'learner', learnerType: 'trustee' }] });
    const otherAdmin = await personSession(t, { roles: [{ orgId: other.id, role: 'orgAdmin' }] });
    const res = await get(`/api/orgs/${org.id}/people`, orgAdmin);
    expect(res.status).toBe(200);
    expect(res.body.people).toEqual([
      { userId: analyst.userId, name: 'Anna', email: analyst.email, roles: ['analyst', 'learner'], learnerType: 'trustee' },
      { userId: orgAdmin.userId, name: 'Olga', email: orgAdmin.email, roles: ['orgAdmin'] },
    ]);
    expect((await get(`/api/orgs/${org.id}/people`, analyst)).status).toBe(403);
    expect((await get(`/api/orgs/${org.id}/people`, otherAdmin)).status).toBe(404);
    expect((await get(`/api/orgs/${org.id}/people`, admin)).status).toBe(200);
  });

  it('grants and revokes roles within the organization, idempotently, effective at once, audited', async () => {
    const org = await addOrg(t);
    const orgAdmin = await personSession(t, { roles: [{ orgId: org.id, role: 'orgAdmin' }] });
    const person = await personSession(t, { roles: [{ orgId: org.id, role: 'learner' }] });
    const path = `/api/orgs/${org.id}/people/${person.userId}/roles/analyst`;
    expect((await get(`/api/orgs/${org.id}/audit`, person)).status).toBe(403);
    expect((await put(path, orgAdmin)).status).toBe(201);
    expect((await put(path, orgAdmin)).status).toBe(200);
    // The new role works on the person's next request (same session).
    const me = await get('/api/me', person);
    expect(me.body.memberships.map((m: { role: string }) => m.role)).toEqual(['analyst', 'learner']);
    expect((await del(path, orgAdmin)).status).toBe(204);
    expect((await del(path, orgAdmin)).status).toBe(404);
    const audit = (await get(`/api/orgs/${org.id}/audit`, orgAdmin)).body.entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['role.revoke', 'role.grant']);
    expect(audit[1]).toMatchObject({ orgId: org.id, target: person.userId, actorUserId: orgAdmin.userId, details: { role: 'analyst' } });
  });

  it('sets the learner type (staff by default) and rejects unknown roles and types', async () => {
    const org = await addOrg(t);
    const p = await addPerson(t, { roles: [{ orgId: org.id, role: 'author' }] });
    const base = `/api/orgs/${org.id}/people/${p.id}/roles`;
    expect((await put(`${base}/learner`, admin, { learnerType: 'trustee' })).status).toBe(201);
    const people = (await get(`/api/orgs/${org.id}/people`, admin)).body.people;
    expect(people[0]).toMatchObject({ roles: ['author', 'learner'], learnerType: 'trustee' });
    expect((await put(`${base}/owner`, admin)).status).toBe(400);
    const badType = await put(`${base}/learner`, admin, { learnerType: 'volunteer' });
    expect(badType.status).toBe(400);
    expect(badType.body.message).toMatch(/learnerType/);
  });

  it('keeps an org admin inside their organization: no grants elsewhere, no people of other organizations', async () => {
    const org = await addOrg(t);
    const other = await addOrg(t);
    const orgAdmin = await personSession(t, { roles: [{ orgId: org.id, role: 'orgAdmin' }] });
    const outsider = await addPerson(t, { roles: [{ orgId: other.id, role: 'learner' }] });
    expect((await put(`/api/orgs/${other.id}/people/${outsider.id}/roles/orgAdmin`, orgAdmin)).status).toBe(404);
    // Someone of another organization cannot be pulled in by id: invite them instead.
    expect((await put(`/api/orgs/${org.id}/people/${outsider.id}/roles/learner`, orgAdmin)).status).toBe(404);
    expect((await del(`/api/orgs/${other.id}/people/${outsider.id}/roles/learner`, orgAdmin)).status).toBe(404);
    // The site admin may.
    expect((await put(`/api/orgs/${org.id}/people/${outsider.id}/roles/learner`, admin)).status).toBe(201);
    expect((await put(`/api/orgs/${org.id}/people/nobody/roles/learner`, admin)).status).toBe(404);
    // Without the CSRF token nothing changes.
    const noCsrf = await request(t.app).put(`/api/orgs/${org.id}/people/${outsider.id}/roles/author`).set('Cookie', orgAdmin.cookie);
    expect(noCsrf.status).toBe(403);
  });

  it('lets the site admin read the whole audit log; others get 403', async () => {
    const org = await addOrg(t);
    const orgAdmin = await personSession(t, { roles: [{ orgId: org.id, role: 'orgAdmin' }] });
    expect((await get('/api/audit', orgAdmin)).status).toBe(403);
    expect((await request(t.app).get('/api/audit')).status).toBe(401);
    expect((await get('/api/audit?limit=abc', admin)).status).toBe(400);
    expect((await get('/api/audit?limit=1', admin)).status).toBe(200);
  });
});
