/**
 * Invitations over the JSON API with a real SMTP server: the link is mailed to the invited address
 * (read back from the server, as the addressee would) and never answered to the inviter.
 */
import request from 'supertest';
import { accountsApp, addOrg, addPerson, cookieHeader, PASSWORD, personSession, type AccountsApp, type Session } from './helpers';
import type { Organization } from '../../../src/store/ports';
import { startTestSmtp, type TestSmtp } from '../../helpers/smtp';

let t: AccountsApp;
let org: Organization;
let orgAdmin: Session;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp.close();
});
beforeEach(async () => {
  t = await accountsApp({ smtpUrl: smtp.url, mailFrom: 'LearnHQ Test <learning@learnhq.test>' });
  org = await addOrg(t, 'Riverside Library');
  orgAdmin = await personSession(t, { roles: [{ orgId: org.id, role: 'orgAdmin' }] });
});
afterEach(async () => {
  await t.close();
});

const invite = (s: Session, body: object, orgId = org.id): request.Test =>
  request(t.app).post(`/api/orgs/${orgId}/invitations`).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(body);
const tokenOf = (link: string): string => link.slice(link.lastIndexOf('/') + 1);
/** The token of the invitation link last mailed to `email`. */
const mailedToken = (email: string): string => tokenOf(smtp.linkTo(email));

describe('invitations', () => {
  it('mails a one-time /invitations/<token> link valid 7 days to the invited address only, stored hashed, audited', async () => {
    const res = await invite(orgAdmin, { email: 'New.Person@Example.org', roles: ['learner', 'analyst'], learnerType: 'trustee' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ delivery: 'smtp', email: 'new.person@example.org', roles: ['learner', 'analyst'], learnerType: 'trustee', expiresAt: expect.any(String) });
    expect(Date.parse(res.body.expiresAt) - t.clock.ms).toBe(7 * 24 * 3600_000);
    const mail = smtp.lastTo('new.person@example.org');
    expect(mail.to).toEqual(['new.person@example.org']);
    expect(mail.from).toBe('learning@learnhq.test');
    expect(mail.subject).toBe('Your invitation to Riverside Library on LearnHQ');
    const link = smtp.linkTo('new.person@example.org');
    expect(link).toMatch(/^http:\/\/learnhq\.test\/invitations\/[A-Za-z0-9_-]{40,}$/);
    const token = tokenOf(link);
    // The inviter learns nothing of the link: not in the answer, not in the log.
    expect(JSON.stringify(res.body)).not.toContain(token);
    expect(JSON.stringify(t.logs)).not.toContain(token);
    const stored = await t.store.accounts.findInvitations(org.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toContain(token);
    expect(await t.store.accounts.findInvitation(token)).toBeUndefined();
    const audit = await t.store.accounts.findAudit({ orgId: org.id, limit: 5 });
    expect(audit[0]).toMatchObject({ action: 'invitation.create', target: 'new.person@example.org', actorUserId: orgAdmin.userId });
  });

  it('shows the invitation, then accepting creates the account, signs in and grants the roles, once', async () => {
    await invite(orgAdmin, { email: 'pat@example.org', roles: ['learner'] });
    const token = mailedToken('pat@example.org');
    const view = await request(t.app).get(`/api/invitations/${token}`);
    expect(view.status).toBe(200);
    expect(view.body).toEqual({
      email: 'pat@example.org',
      roles: ['learner'],
      learnerType: 'staff',
      organization: { id: org.id, name: 'Riverside Library', kind: 'member' },
      expiresAt: expect.any(String),
      existingAccount: false,
    });
    const short = await request(t.app).post(`/api/invitations/${token}`).send({ name: 'Pat', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.message).toMatch(/password/);
    const accept = await request(t.app).post(`/api/invitations/${token}`).send({ name: 'Pat Doe', password: 'a long enough password' });
    expect(accept.status).toBe(201);
    const cookie = cookieHeader(accept.headers['set-cookie']).split(';')[0]!;
    const me = await request(t.app).get('/api/me').set('Cookie', cookie);
    expect(me.body).toMatchObject({ name: 'Pat Doe', email: 'pat@example.org', memberships: [{ orgId: org.id, role: 'learner', learnerType: 'staff' }] });
    // Single use.
    expect((await request(t.app).post(`/api/invitations/${token}`).send({ name: 'Eve', password: 'another long password' })).status).toBe(404);
    expect((await request(t.app).get(`/api/invitations/${token}`)).status).toBe(404);
    expect((await request(t.app).post('/api/session').send({ email: 'pat@example.org', password: 'a long enough password' })).status).toBe(201);
  });

  it('adds roles to an existing account only with that account\'s password', async () => {
    const other = await addOrg(t, 'Other');
    const existing = await addPerson(t, { email: 'kim@example.org', roles: [{ orgId: other.id, role: 'author' }] });
    await invite(orgAdmin, { email: 'KIM@example.org', roles: ['analyst'] });
    const token = mailedToken('kim@example.org');
    expect((await request(t.app).get(`/api/invitations/${token}`)).body.existingAccount).toBe(true);
    const wrong = await request(t.app).post(`/api/invitations/${token}`).send({ password: 'not kims password' });
    expect(wrong.status).toBe(401);
    const ok = await request(t.app).post(`/api/invitations/${token}`).send({ password: PASSWORD });
    expect(ok.status).toBe(201);
    expect(ok.body.user.id).toBe(existing.id);
    const roles = await t.store.accounts.findMemberships({ userId: existing.id });
    expect(roles.map((m) => `${m.orgId === org.id ? 'org' : 'other'}:${m.role}`).sort()).toEqual(['org:analyst', 'other:author']);
  });

  it('expires after 7 days', async () => {
    await invite(orgAdmin, { email: 'late@example.org', roles: ['learner'] });
    const token = mailedToken('late@example.org');
    t.clock.advance(7 * 24 * 3600_000 + 1000);
    expect((await request(t.app).get(`/api/invitations/${token}`)).status).toBe(404);
    expect((await request(t.app).post(`/api/invitations/${token}`).send({ name: 'Late', password: 'a long enough password' })).status).toBe(404);
    expect((await request(t.app).get('/api/invitations/made-up-token')).status).toBe(404);
  });

  it('lets only the org admin (or site admin) invite, and validates email and roles', async () => {
    const analyst = await personSession(t, { roles: [{ orgId: org.id, role: 'analyst' }] });
    const otherOrg = await addOrg(t);
    const otherAdmin = await personSession(t, { roles: [{ orgId: otherOrg.id, role: 'orgAdmin' }] });
    const siteAdmin = await personSession(t, { isSiteAdmin: true });
    const body = { email: 'x@example.org', roles: ['learner'] };
    expect((await invite(analyst, body)).status).toBe(403);
    expect((await invite(otherAdmin, body)).status).toBe(404);
    expect((await invite(siteAdmin, body)).status).toBe(201);
    expect((await request(t.app).post(`/api/orgs/${org.id}/invitations`).send(body)).status).toBe(401);
    expect((await request(t.app).post(`/api/orgs/${org.id}/invitations`).set('Cookie', orgAdmin.cookie).send(body)).status).toBe(403);
    const badEmail = await invite(orgAdmin, { email: 'not-an-email', roles: ['learner'] });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.message).toMatch(/^email/);
    const badRole = await invite(orgAdmin, { email: 'x@example.org', roles: ['learner', 'king'] });
    expect(badRole.status).toBe(400);
    expect(badRole.body.message).toMatch(/roles\[1\]/);
    expect((await invite(orgAdmin, { email: 'x@example.org', roles: [] })).status).toBe(400);
  });

  it('lets exactly one of two racing acceptances win', async () => {
    await invite(orgAdmin, { email: 'race@example.org', roles: ['learner'] });
    const token = mailedToken('race@example.org');
    const results = await Promise.all([1, 2, 3].map((i) => request(t.app).post(`/api/invitations/${token}`).send({ name: `Racer ${i}`, password: 'a long enough password' })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 404, 404]);
  });

  it('lists the organization\'s invitations to its admin, newest first, without tokens', async () => {
    await invite(orgAdmin, { email: 'one@example.org', roles: ['learner'] });
    t.clock.advance(1000);
    await invite(orgAdmin, { email: 'two@example.org', roles: ['author'] });
    const list = await request(t.app).get(`/api/orgs/${org.id}/invitations`).set('Cookie', orgAdmin.cookie);
    expect(list.status).toBe(200);
    expect(list.body.invitations.map((i: { email: string }) => i.email)).toEqual(['two@example.org', 'one@example.org']);
    expect(JSON.stringify(list.body)).not.toContain(mailedToken('two@example.org'));
    expect(JSON.stringify(list.body)).not.toMatch(/tokenHash/);
    const analyst = await personSession(t, { roles: [{ orgId: org.id, role: 'analyst' }] });
    expect((await request(t.app).get(`/api/orgs/${org.id}/invitations`).set('Cookie', analyst.cookie)).status).toBe(403);
  });

  it('limits wrong passwords given when accepting for an existing account, like sign-in', async () => {
    await addPerson(t, { email: 'lee@example.org' });
    await invite(orgAdmin, { email: 'lee@example.org', roles: ['learner'] });
    const token = mailedToken('lee@example.org');
    for (let i = 0; i < 10; i++) expect((await request(t.app).post(`/api/invitations/${token}`).send({ password: 'wrong password' })).status).toBe(401);
    const refused = await request(t.app).post(`/api/invitations/${token}`).send({ password: PASSWORD });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The same account's sign-in is limited too: the two doors share the count.
    expect((await request(t.app).post('/api/session').send({ email: 'lee@example.org', password: PASSWORD })).status).toBe(429);
  });
});
