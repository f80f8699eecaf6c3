import request from 'supertest';
import { accountsApp, addOrg, personSession, type AccountsApp, type Session } from './helpers';
import type { Organization } from '../../../src/store/ports';

let t: AccountsApp;
let org: Organization;
let orgAdmin: Session;
beforeEach(async () => {
  t = await accountsApp();
  org = await addOrg(t, 'Riverside Library');
  orgAdmin = await personSession(t, { roles: [{ orgId: org.id, role: 'orgAdmin' }] });
});
afterEach(async () => {
  await t.close();
});

const create = (s: Session, body: object, orgId = org.id): request.Test =>
  request(t.app).post(`/api/orgs/${orgId}/credentials`).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(body);
const basic = (key: string, secret: string): string => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
const xapiGet = (auth: string): request.Test =>
  request(t.app).get('/xapi/statements').set('Authorization', auth).set('X-Experience-API-Version', '1.0.3');

describe('organization LRS credentials', () => {
  it('creates a credential with chosen scopes; the secret is shown once and works on the LRS', async () => {
    const res = await create(orgAdmin, { name: 'Quiz tool', scopes: ['statements/write', 'statements/read/mine'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Quiz tool', scopes: ['statements/write', 'statements/read/mine'], orgId: org.id, endpoint: 'http://learnhq.test/xapi/' });
    const { key, secret } = res.body as { key: string; secret: string };
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const stored = await t.store.credentials.findCredential(key);
    expect(stored?.secretHash).toMatch(/^scrypt\$/);
    expect(stored?.secretHash).not.toContain(secret);
    expect((await xapiGet(basic(key, secret))).status).toBe(200);
    expect((await xapiGet(basic(key, 'wrong'))).status).toBe(401);
    const list = await request(t.app).get(`/api/orgs/${org.id}/credentials`).set('Cookie', orgAdmin.cookie);
    expect(list.body.credentials).toEqual([{ key, name: 'Quiz tool', scopes: ['statements/write', 'statements/read/mine'], orgId: org.id, createdAt: expect.any(String) }]);
    expect(JSON.stringify(list.body)).not.toMatch(/secret|scrypt/);
  });

  it('revokes at once (the verifier cache is cleared), audits create and revoke', async () => {
    const { key, secret } = (await create(orgAdmin, { name: 'Tool', scopes: ['all'] })).body as { key: string; secret: string };
    expect((await xapiGet(basic(key, secret))).status).toBe(200); // now cached
    const revoke = await request(t.app).delete(`/api/orgs/${org.id}/credentials/${key}`).set('Cookie', orgAdmin.cookie).set('X-CSRF-Token', orgAdmin.csrf);
    expect(revoke.status).toBe(204);
    expect((await xapiGet(basic(key, secret))).status).toBe(401);
    const list = (await request(t.app).get(`/api/orgs/${org.id}/credentials`).set('Cookie', orgAdmin.cookie)).body.credentials;
    expect(list[0].revokedAt).toBeDefined();
    const audit = (await request(t.app).get(`/api/orgs/${org.id}/audit`).set('Cookie', orgAdmin.cookie)).body.entries;
    expect(audit.map((e: { action: string; target: string }) => `${e.action}:${e.target}`)).toEqual([`credential.revoke:${key}`, `credential.create:${key}`]);
  });

  it('validates name and scopes (400 naming the property)', async () => {
    const badScope = await create(orgAdmin, { name: 'X', scopes: ['statements/write', 'root'] });
    expect(badScope.status).toBe(400);
    expect(badScope.body.message).toMatch(/^scopes\[1\]/);
    expect((await create(orgAdmin, { name: 'X', scopes: [] })).status).toBe(400);
    expect((await create(orgAdmin, { name: '', scopes: ['all'] })).body.message).toMatch(/^name/);
  });

  it('keeps credentials inside their organization: other org admins get 404, analysts 403, and keys of another organization are not found', async () => {
    const other = await addOrg(t);
    const otherAdmin = await personSession(t, { roles: [{ orgId: other.id, role: 'orgAdmin' }] });
    const analyst = await personSession(t, { roles: [{ orgId: org.id, role: 'analyst' }] });
    const mine = (await create(orgAdmin, { name: 'Mine', scopes: ['all'] })).body as { key: string; secret: string };
    expect((await create(otherAdmin, { name: 'X', scopes: ['all'] })).status).toBe(404);
    expect((await create(analyst, { name: 'X', scopes: ['all'] })).status).toBe(403);
    expect((await request(t.app).get(`/api/orgs/${org.id}/credentials`).set('Cookie', otherAdmin.cookie)).status).toBe(404);
    expect((await request(t.app).get(`/api/orgs/${org.id}/credentials`).set('Cookie', analyst.cookie)).status).toBe(403);
    // Revoking my key through the other organization's path: not found there.
    const cross = await request(t.app).delete(`/api/orgs/${other.id}/credentials/${mine.key}`).set('Cookie', otherAdmin.cookie).set('X-CSRF-Token', otherAdmin.csrf);
    expect(cross.status).toBe(404);
    expect((await xapiGet(basic(mine.key, mine.secret))).status).toBe(200);
    const noCsrf = await request(t.app).delete(`/api/orgs/${org.id}/credentials/${mine.key}`).set('Cookie', orgAdmin.cookie);
    expect(noCsrf.status).toBe(403);
    expect((await request(t.app).delete(`/api/orgs/${org.id}/credentials/unknown-key`).set('Cookie', orgAdmin.cookie).set('X-CSRF-Token', orgAdmin.csrf)).status).toBe(404);
  });
});
