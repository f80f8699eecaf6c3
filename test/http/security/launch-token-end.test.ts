/**
 * Issue 11 items 10 and 1: launch tokens end with the session that made them (sign-out, password
 * reset, role removal), on the LRS and on the SCORM runtime API; and an unproven mailbox is not
 * filed under the organizations of the person who merely claims it.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { issueLaunchToken } from '../../../src/accounts/launch-tokens';
import { endSession, startSession } from '../../../src/accounts/sessions';
import { agentOf, createWorld, PASSWORD, postStatements, queryIds, stmt, type World } from './fixture';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w.close();
});

/** A learner of A with a launch token granted now; the token's statements go to their registration. */
async function launched(): Promise<{ user: Awaited<ReturnType<World['person']>>; header: string; write: () => Promise<number> }> {
  const user = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
  const registration = randomUUID();
  const header = issueLaunchToken(w.services, { userId: user.id, actor: agentOf(user), registration, activityId: 'http://example.com/act/launched', orgId: w.orgA.id });
  const write = async (): Promise<number> =>
    (await request(w.app).post('/xapi/statements').set('Authorization', header).set('X-Experience-API-Version', '1.0.3').send(stmt(agentOf(user), { registration }))).status;
  return { user, header, write };
}

describe('launch tokens end with their person\'s session (item 10)', () => {
  it('work until the person signs out, then get 401 on the LRS', async () => {
    const { user, header, write } = await launched();
    const session = await startSession(w.services, user);
    w.advance(5);
    expect(await write()).toBe(200);
    await endSession(w.services, session.sessionId);
    expect(await write()).toBe(401);
    expect((await queryIds(w.app, header)).status).toBe(401);
  });

  it('end with a sign-out through the API twin, and a launch granted afterwards works', async () => {
    const { user, write } = await launched();
    const signIn = await request(w.app).post('/api/session').send({ email: user.email, password: PASSWORD });
    const cookie = ([] as string[]).concat(signIn.headers['set-cookie'] ?? [])[0]?.split(';')[0] ?? '';
    w.advance(5);
    expect((await request(w.app).delete('/api/session').set('Cookie', cookie).set('X-CSRF-Token', signIn.body.csrfToken)).status).toBe(204);
    expect(await write()).toBe(401);
    w.advance(5);
    const again = issueLaunchToken(w.services, { userId: user.id, actor: agentOf(user), registration: randomUUID(), activityId: 'http://example.com/act/again', orgId: w.orgA.id });
    expect((await queryIds(w.app, again)).status).toBe(200);
  });

  it('end with a password reset', async () => {
    const { user, write } = await launched();
    expect(await write()).toBe(200);
    w.advance(5);
    await request(w.app).post('/api/password-reset').send({ email: user.email });
    const mail = (await w.store.outbox.findOutboxMails({ limit: 5 })).find((m) => m.to === user.email);
    const token = /password-reset\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    expect((await request(w.app).post(`/api/password-reset/${token}`).send({ password: 'a brand new password' })).status).toBe(204);
    expect(await write()).toBe(401);
  });

  it('end when the person loses a role in the organization', async () => {
    const { user, write } = await launched();
    expect(await write()).toBe(200);
    w.advance(5);
    const admin = await w.session(w.people.orgAdminA);
    const res = await request(w.app).delete(`/api/orgs/${w.orgA.id}/people/${user.id}/roles/learner`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf);
    expect(res.status).toBe(204);
    expect(await write()).toBe(401);
  });

  it('end on the SCORM runtime API too', async () => {
    const { user, header } = await launched();
    const runtime = (): Promise<request.Response> => request(w.app).get(`/api/runtime/sessions/${randomUUID()}`).set('Authorization', header);
    // A live token reaches the session lookup (404: no such launch session); an ended one is 401.
    expect((await runtime()).status).toBe(404);
    const session = await startSession(w.services, user);
    w.advance(5);
    await endSession(w.services, session.sessionId);
    expect((await runtime()).status).toBe(401);
  });
});

describe('claiming an unproven mailbox (item 1)', () => {
  it('does not file later statements about the mailbox under the claimer\'s organization until it is proven', async () => {
    // Someone of organization A whose email nobody proved, sharing it in their identity.
    const claimer = await w.person([{ orgId: w.orgA.id, role: 'learner' }], { shareEmail: true });
    const activity = `http://example.com/act/${randomUUID()}`;
    const about = stmt({ objectType: 'Agent', mbox: `mailto:${claimer.email}` }, { activity });
    const [byB] = await postStatements(w.app, w.creds.orgB, [about]);
    expect((await queryIds(w.app, w.creds.orgA, { activity })).ids).toEqual([]);
    expect((await queryIds(w.app, w.creds.orgB, { activity })).ids).toEqual([byB]);

    // Proven through the mailed link (the outbox here): from then on the mailbox is theirs.
    const s = await w.session(claimer);
    expect((await request(w.app).post('/api/me/email-verification').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf)).status).toBe(202);
    const mail = (await w.store.outbox.findOutboxMails({ limit: 5 })).find((m) => m.to === claimer.email);
    const token = /verify-email\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    expect((await request(w.app).post(`/api/email-verification/${token}`)).status).toBe(204);
    // Now the mailbox names a person of A: B may no longer write about it (item 3), and what a site
    // credential writes about it is filed under A.
    const refused = await request(w.app).post('/xapi/statements').set('Authorization', w.creds.orgB).set('X-Experience-API-Version', '1.0.3')
      .send([stmt({ objectType: 'Agent', mbox: `mailto:${claimer.email}` }, { activity })]);
    expect(refused.status).toBe(403);
    const [later] = await postStatements(w.app, w.creds.site, [stmt({ objectType: 'Agent', mbox: `mailto:${claimer.email}` }, { activity })]);
    expect((await queryIds(w.app, w.creds.orgA, { activity })).ids).toEqual([later]);
  });

  it('keeps the outbox, which holds every mailed link, to the site administrator', async () => {
    const outsiders = [w.people.orgAdminA, w.people.learnerA, w.people.orgAdminB];
    for (const u of outsiders) {
      const s = await w.session(u);
      expect((await request(w.app).get('/api/admin/outbox').set('Cookie', s.cookie)).status).toBe(403);
      expect((await request(w.app).get('/admin/outbox').set('Cookie', s.cookie)).status).toBe(403);
    }
    expect((await request(w.app).get('/api/admin/outbox')).status).toBe(401);
    const admin = await w.session(w.people.siteAdmin);
    const res = await request(w.app).get('/api/admin/outbox').set('Cookie', admin.cookie);
    expect(res.status).toBe(200);
    expect(res.body.delivery).toBe('outbox');
    expect(res.body.mails.length).toBeGreaterThan(0);
    expect(res.headers['cache-control']).toBe('no-store');
    const page = await request(w.app).get('/admin/outbox').set('Cookie', admin.cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('This site has no mail server');
  });

  it('never answers the inviter the invitation link', async () => {
    const admin = await w.session(w.people.orgAdminA);
    const res = await request(w.app).post(`/api/orgs/${w.orgA.id}/invitations`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf)
      .send({ email: 'victim@library.example', roles: ['learner'] });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('link');
    const mail = (await w.store.outbox.findOutboxMails({ limit: 5 })).find((m) => m.to === 'victim@library.example');
    const token = /invitations\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? 'missing';
    expect(JSON.stringify(res.body)).not.toContain(token);
    const page = await request(w.app).get(`/admin/orgs/${w.orgA.id}`).set('Cookie', admin.cookie);
    expect(page.text).not.toContain(token);
  });
});
