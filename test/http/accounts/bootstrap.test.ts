import request from 'supertest';
import { DEMO_PASSWORD, DEMO_PEOPLE, ensureSiteAdmin, GENERATED_ADMIN_EMAIL, seedDemoAccounts } from '../../../src/accounts/bootstrap-admin';
import { accountsApp, addPerson, PASSWORD, type AccountsApp } from './helpers';

let t: AccountsApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('ensureSiteAdmin', () => {
  it('creates the LEARNHQ_ADMIN_EMAIL account as site administrator once, who can then sign in', async () => {
    t = await accountsApp({ adminEmail: 'boss@example.org', adminPassword: 'boss password 1' });
    expect(await ensureSiteAdmin(t.services)).toEqual({ configured: true });
    expect(await ensureSiteAdmin(t.services)).toEqual({});
    const res = await request(t.app).post('/api/session').send({ email: 'boss@example.org', password: 'boss password 1' });
    expect(res.status).toBe(201);
    expect(res.body.user.isSiteAdmin).toBe(true);
    expect((await t.store.accounts.findAudit({ limit: 5 }))[0]).toMatchObject({ action: 'siteAdmin.grant', actorLabel: 'system' });
  });

  it('promotes an existing account without replacing its password', async () => {
    t = await accountsApp({ adminEmail: 'kim@example.org', adminPassword: 'some other password' });
    const p = await addPerson(t, { email: 'kim@example.org' });
    expect(await ensureSiteAdmin(t.services)).toEqual({ configured: true });
    expect((await t.store.accounts.findUser(p.id))?.isSiteAdmin).toBe(true);
    expect((await request(t.app).post('/api/session').send({ email: 'kim@example.org', password: PASSWORD })).status).toBe(201);
  });

  it('generates an administrator on a first start without configuration or demo, shown once', async () => {
    t = await accountsApp({ demo: false });
    const first = await ensureSiteAdmin(t.services);
    expect(first.generated?.email).toBe(GENERATED_ADMIN_EMAIL);
    expect(await ensureSiteAdmin(t.services)).toEqual({});
    const res = await request(t.app).post('/api/session').send({ email: GENERATED_ADMIN_EMAIL, password: first.generated?.password });
    expect(res.status).toBe(201);
  });
});

describe('seedDemoAccounts', () => {
  it('creates demo organizations and people only with the demo on and no organization yet', async () => {
    t = await accountsApp({ demo: true });
    expect(await ensureSiteAdmin(t.services)).toEqual({});
    const created = await seedDemoAccounts(t.services);
    expect(created).toEqual(DEMO_PEOPLE.map((p) => p.email));
    expect(await seedDemoAccounts(t.services)).toEqual([]);
    expect((await t.store.accounts.findOrganizations()).map((o) => o.kind).sort()).toEqual(['both', 'member', 'provider']);
    const multi = await request(t.app).post('/api/session').send({ email: 'multi@demo.learnhq.test', password: DEMO_PASSWORD });
    expect(multi.status).toBe(201);
    const me = await request(t.app).get('/api/me').set('Cookie', String(multi.headers['set-cookie']?.[0]).split(';')[0]!);
    expect(me.body.memberships).toHaveLength(3);
  });

  it('does nothing with the demo off', async () => {
    t = await accountsApp({ demo: false });
    expect(await seedDemoAccounts(t.services)).toEqual([]);
  });
});
