/**
 * The usual attacks (issue 4): forged, expired and unsigned session JWTs, tampered cookies, CSRF
 * without the token, brute force, scope escalation, and cross-organization reads by guessing ids
 * through the pages, the API and the LRS.
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { SESSION_COOKIE } from '../../../src/accounts/session-cookie';
import { agentOf, createWorld, PASSWORD, postStatements, queryIds, stmt, type World } from './fixture';

const V = '1.0.3';
let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w.close();
});

const me = (cookie: string) => request(w.app).get('/api/me').set('Cookie', cookie);
const cookieOf = (token: string) => `${SESSION_COOKIE}=${encodeURIComponent(token)}`;
const tokenOf = (cookie: string) => decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1));

describe('session tokens', () => {
  it('accepts a genuine session (the control case)', async () => {
    const s = await w.session(w.people.learnerA);
    const res = await me(s.cookie);
    expect(res.status).toBe(200);
  });

  it('refuses a JWT signed with another key, and clears the cookie', async () => {
    const s = await w.session(w.people.siteAdmin);
    const claims = jwt.decode(tokenOf(s.cookie)) as Record<string, unknown>;
    const forged = jwt.sign(claims, 'a guessed key that is long enough to look real', { algorithm: 'HS256' });
    const res = await me(cookieOf(forged));
    expect(res.status).toBe(401);
    expect(String(res.headers['set-cookie'] ?? '')).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
  });

  it('refuses an expired JWT signed with the right key', async () => {
    const s = await w.session(w.people.learnerA);
    const claims = jwt.decode(tokenOf(s.cookie)) as Record<string, unknown>;
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = jwt.sign({ ...claims, iat: past - 60, exp: past }, w.config.sessionSecret!, { algorithm: 'HS256' });
    expect((await me(cookieOf(expired))).status).toBe(401);
    // The genuine token itself expires with the clock too.
    w.advance(9 * 3600_000);
    try {
      expect((await me(s.cookie)).status).toBe(401);
    } finally {
      w.advance(-9 * 3600_000);
    }
  });

  it('refuses alg=none', async () => {
    const s = await w.session(w.people.learnerA);
    const claims = jwt.decode(tokenOf(s.cookie)) as Record<string, unknown>;
    const none = jwt.sign(claims, '', { algorithm: 'none' });
    expect((await me(cookieOf(none))).status).toBe(401);
    // Also with the signature of the genuine token left in place.
    const [, payload] = none.split('.');
    const [, , sig] = tokenOf(s.cookie).split('.');
    expect((await me(cookieOf(`${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.${sig}`))).status).toBe(401);
  });

  it('refuses a tampered cookie: another user id under the original signature', async () => {
    const s = await w.session(w.people.learnerA);
    const [h, p, sig] = tokenOf(s.cookie).split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const swapped = Buffer.from(JSON.stringify({ ...claims, sub: w.people.siteAdmin.id })).toString('base64url');
    expect((await me(cookieOf(`${h}.${swapped}.${sig}`))).status).toBe(401);
    expect((await me(cookieOf(`${h}.${p}.${sig!.slice(0, -2)}AA`))).status).toBe(401);
    expect((await me(`${SESSION_COOKIE}=garbage`)).status).toBe(401);
  });

  it('refuses a session after sign-out, even with the unexpired JWT', async () => {
    const s = await w.session(w.people.learnerA);
    expect((await request(w.app).delete('/api/session').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf)).status).toBe(204);
    expect((await me(s.cookie)).status).toBe(401);
  });
});

describe('CSRF', () => {
  const invite = (cookie: string, csrf?: string) => {
    const r = request(w.app).post(`/api/orgs/${w.orgA.id}/invitations`).set('Cookie', cookie);
    if (csrf !== undefined) r.set('X-CSRF-Token', csrf);
    return r.send({ email: `${randomUUID()}@example.org`, roles: ['learner'] });
  };

  it('refuses a state-changing request without the token, or with another session\'s token', async () => {
    const s = await w.session(w.people.orgAdminA);
    const other = await w.session(w.people.orgAdminA);
    expect((await invite(s.cookie)).status).toBe(403);
    expect((await invite(s.cookie, other.csrf)).status).toBe(403);
    expect((await invite(s.cookie, '')).status).toBe(403);
    const ok = await invite(s.cookie, s.csrf);
    expect([200, 201]).toContain(ok.status);
  });

  it('refuses a form post to a page without the _csrf field', async () => {
    const s = await w.session(w.people.orgAdminA);
    const res = await request(w.app).post(`/admin/orgs/${w.orgA.id}/invitations`).set('Cookie', s.cookie).type('form').send({ email: `${randomUUID()}@example.org`, roles: 'learner' });
    expect(res.status).toBe(403);
  });
});

describe('brute force', () => {
  it('slows and then locks sign-in, even for the right password', async () => {
    const victim = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const attempt = (password: string) => request(w.app).post('/api/session').send({ email: victim.email, password });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await attempt(`wrong-${i}-password`)).status);
      w.advance(2 * 60_000); // wait out any short pause, never the long lock
    }
    w.advance(-24 * 60_000);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
    const right = await attempt(PASSWORD);
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('scope escalation', () => {
  it('statements/read cannot write; a statements scope cannot reach documents', async () => {
    const res = await request(w.app).post('/xapi/statements').set('Authorization', w.creds.readOnly).set('X-Experience-API-Version', V)
      .send([stmt({ objectType: 'Agent', mbox: 'mailto:x@example.com' })]);
    expect(res.status).toBe(403);
    const state = await request(w.app).get('/xapi/activities/state')
      .query({ activityId: 'http://example.com/a', agent: '{"mbox":"mailto:x@example.com"}', stateId: 's' })
      .set('Authorization', w.creds.readOnly).set('X-Experience-API-Version', V);
    expect(state.status).toBe(403);
  });

  it('a launch token cannot read another registration or another learner', async () => {
    const [otherReg] = await postStatements(w.app, w.creds.site, [stmt(agentOf(w.people.learnerA), { registration: randomUUID() })]);
    const [otherLearner] = await postStatements(w.app, w.creds.site, [stmt(agentOf(w.people.learnerB), { registration: w.launch.registration })]);
    const byReg = await queryIds(w.app, w.launch.header, { registration: randomUUID() });
    expect(byReg).toEqual({ status: 200, ids: [] });
    for (const id of [otherReg!, otherLearner!]) {
      const res = await request(w.app).get('/xapi/statements').query({ statementId: id }).set('Authorization', w.launch.header).set('X-Experience-API-Version', V);
      expect(res.status).toBe(404);
    }
  });

  it('an organization credential cannot read another organization\'s statements by guessing ids', async () => {
    const [secret] = await postStatements(w.app, w.creds.orgA, [stmt(agentOf(w.people.learnerA))]);
    for (const q of [{ statementId: secret! }, { statementId: randomUUID() }]) {
      const res = await request(w.app).get('/xapi/statements').query(q).set('Authorization', w.creds.orgB).set('X-Experience-API-Version', V);
      expect(res.status).toBe(404);
    }
    // Voided reads are held to the same rule.
    const res = await request(w.app).get('/xapi/statements').query({ voidedStatementId: secret! }).set('Authorization', w.creds.orgB).set('X-Experience-API-Version', V);
    expect(res.status).toBe(404);
  });

  it('a learner cannot reach administration through the API', async () => {
    const s = await w.session(w.people.learnerA);
    const cred = await request(w.app).post(`/api/orgs/${w.orgA.id}/credentials`).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send({ name: 'x', scopes: ['all'] });
    expect(cred.status).toBe(403);
    const role = await request(w.app).put(`/api/orgs/${w.orgA.id}/people/${w.people.learnerA.id}/roles/orgAdmin`).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
    expect(role.status).toBe(403);
    expect((await w.store.accounts.findMemberships({ userId: w.people.learnerA.id })).map((m) => m.role)).toEqual(['learner']);
  });
});

describe('cross-organization reads', () => {
  it('through the API: an administrator or analyst of B gets 404 for A', async () => {
    for (const user of [w.people.orgAdminB, w.people.learnerB]) {
      const s = await w.session(user);
      for (const path of [`/api/orgs/${w.orgA.id}`, `/api/orgs/${w.orgA.id}/people`, `/api/orgs/${w.orgA.id}/credentials`, `/api/orgs/${w.orgA.id}/audit`]) {
        const res = await request(w.app).get(path).set('Cookie', s.cookie);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
      }
    }
  });

  it('through the pages: B\'s administrator gets no page of A', async () => {
    const s = await w.session(w.people.orgAdminB);
    for (const path of [`/admin/orgs/${w.orgA.id}`, `/admin/orgs/${w.orgA.id}/credentials`, `/admin/orgs/${w.orgA.id}/audit`]) {
      const res = await request(w.app).get(path).set('Cookie', s.cookie);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.text).not.toContain(w.people.orgAdminA.email);
    }
  });

  it('through the LRS: B\'s credential sees none of A\'s learners\' records', async () => {
    const activity = `http://example.com/act/${randomUUID()}`;
    await postStatements(w.app, w.creds.site, [stmt(agentOf(w.people.learnerA), { activity })]);
    expect((await queryIds(w.app, w.creds.orgB, { activity })).ids).toEqual([]);
    expect((await queryIds(w.app, w.creds.orgB, { agent: JSON.stringify(agentOf(w.people.learnerA)) })).ids).toEqual([]);
  });
});
