import request from 'supertest';
import { createTestApp, type TestApp } from '../../helpers/test-app';
import { ensureSiteAdmin } from '../../../src/accounts/bootstrap-admin';
import { testConfig } from '../../../src/config';

describe('PATCH /api/me (share email in the xAPI identity)', () => {
  let t: TestApp;
  let cookie = '';
  let csrf = '';
  beforeAll(async () => {
    t = await createTestApp({ config: { adminEmail: 'root@example.org', adminPassword: 'a long admin password', demo: false } });
    const { createApp } = await import('../../../src/app');
    const { createLogger } = await import('../../../src/logger');
    const { services } = createApp({ config: testConfig({ adminEmail: 'root@example.org', adminPassword: 'a long admin password', demo: false }), store: t.store, logger: createLogger('silent') });
    await ensureSiteAdmin(services);
    const res = await request(t.app).post('/api/session').send({ email: 'root@example.org', password: 'a long admin password' });
    expect(res.status).toBe(201);
    cookie = String(res.headers['set-cookie']).split(';')[0]!;
    csrf = res.body.csrfToken as string;
  });
  afterAll(() => t.close());

  it('adds and removes the mbox of the identity, with the CSRF token only, once the email is proven', async () => {
    const unproven = await request(t.app).patch('/api/me').set('Cookie', cookie).set('X-CSRF-Token', csrf).send({ shareEmail: true });
    expect(unproven.body.xapi.mbox).toBeUndefined();
    // Prove the address through the API twin; without SMTP the link waits in the outbox.
    const ask = await request(t.app).post('/api/me/email-verification').set('Cookie', cookie).set('X-CSRF-Token', csrf);
    expect(ask.status).toBe(202);
    expect(ask.body).toMatchObject({ proven: false, delivery: 'outbox' });
    const [mail] = await t.store.outbox.findOutboxMails({ limit: 1 });
    expect(mail?.to).toBe('root@example.org');
    const token = /\/verify-email\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    expect((await request(t.app).post(`/api/email-verification/${token}`)).status).toBe(204);
    expect((await request(t.app).post(`/api/email-verification/${token}`)).status).toBe(404);
    expect((await request(t.app).post('/api/me/email-verification').set('Cookie', cookie).set('X-CSRF-Token', csrf)).body).toMatchObject({ proven: true });
    const noToken = await request(t.app).patch('/api/me').set('Cookie', cookie).send({ shareEmail: true });
    expect(noToken.status).toBe(403);
    const on = await request(t.app).patch('/api/me').set('Cookie', cookie).set('X-CSRF-Token', csrf).send({ shareEmail: true });
    expect(on.status).toBe(200);
    expect(on.body.shareEmail).toBe(true);
    expect(on.body.xapi.mbox).toBe('mailto:root@example.org');
    const off = await request(t.app).patch('/api/me').set('Cookie', cookie).set('X-CSRF-Token', csrf).send({ shareEmail: false });
    expect(off.body.shareEmail).toBe(false);
    expect(off.body.xapi.mbox).toBeUndefined();
  });

  it('refuses a value that is not a boolean', async () => {
    const res = await request(t.app).patch('/api/me').set('Cookie', cookie).set('X-CSRF-Token', csrf).send({ shareEmail: 'yes' });
    expect(res.status).toBe(400);
  });

  it('needs a session', async () => {
    expect((await request(t.app).patch('/api/me').send({ shareEmail: true })).status).toBe(401);
  });
});
