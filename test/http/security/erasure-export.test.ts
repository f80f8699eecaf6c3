/** A learner's records download and the site administrator's erasure (issue 4). */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { issueLaunchToken } from '../../../src/accounts/launch-tokens';
import { agentOf, createWorld, PASSWORD, postStatements, queryIds, stmt, type World } from './fixture';

const V = '1.0.3';
let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w.close();
});

interface Export {
  account: Record<string, unknown>;
  memberships: { orgId: string; role: string }[];
  documents: { kind: string; id: string; content?: unknown }[];
  statements: { id: string }[];
}

/**
 * A learner of organization A with statements (as actor, as instructor, by email from their own
 * organization's credential and from another's), State and an Agent Profile.
 */
async function learnerWithRecords(opts: { emailProven?: boolean } = {}) {
  const user = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
  if (opts.emailProven) await w.store.accounts.updateUser(user.id, { emailVerifiedAt: new Date().toISOString() });
  const me = agentOf(user);
  const other = agentOf(w.people.learnerB);
  const reg = randomUUID();
  const [asActor] = await postStatements(w.app, w.creds.site, [stmt(me, { registration: reg })]);
  const instructed = { ...stmt(other), context: { instructor: me } };
  const [asInstructor] = await postStatements(w.app, w.creds.site, [instructed]);
  const [byEmail] = await postStatements(w.app, w.creds.orgA, [stmt({ objectType: 'Agent', mbox: `mailto:${user.email}` })]);
  const [byEmailElsewhere] = await postStatements(w.app, w.creds.orgB, [stmt({ objectType: 'Agent', mbox: `mailto:${user.email}` })]);
  const [referencing] = await postStatements(w.app, w.creds.site, [stmt(other, { object: { objectType: 'StatementRef', id: asActor } })]);
  const [unrelated] = await postStatements(w.app, w.creds.site, [stmt(other)]);
  const state = await request(w.app).put('/xapi/activities/state')
    .query({ activityId: 'http://example.com/act/x', agent: JSON.stringify(me), stateId: 'bookmark', registration: reg })
    .set('Authorization', w.creds.site).set('X-Experience-API-Version', V).set('Content-Type', 'application/json').send('{"page":7}');
  expect(state.status).toBe(204);
  const profile = await request(w.app).put('/xapi/agents/profile')
    .query({ agent: JSON.stringify(me), profileId: 'prefs' })
    .set('Authorization', w.creds.site).set('X-Experience-API-Version', V).set('If-None-Match', '*').set('Content-Type', 'text/plain').send('dark mode');
  expect(profile.status).toBe(204);
  return { user, me, reg, ids: { asActor: asActor!, asInstructor: asInstructor!, byEmail: byEmail!, byEmailElsewhere: byEmailElsewhere!, referencing: referencing!, unrelated: unrelated! } };
}

describe('GET /api/me/records', () => {
  it('downloads the signed-in person\'s account, statements and documents; by mailbox only what their own organization wrote', async () => {
    const { user, ids } = await learnerWithRecords();
    const s = await w.session(user);
    const res = await request(w.app).get('/api/me/records').set('Cookie', s.cookie).buffer(true).parse((r, cb) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString('utf8')));
      r.on('end', () => cb(null, text));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="learnhq-records-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(res.body as string) as Export;
    expect(body.account).toMatchObject({ id: user.id, email: user.email });
    expect(JSON.stringify(body)).not.toMatch(/passwordHash|scrypt/);
    expect(body.memberships).toEqual([expect.objectContaining({ orgId: w.orgA.id, role: 'learner' })]);
    // Issue 11: another organization's statement naming the same mailbox is not theirs to take.
    expect(body.statements.map((x) => x.id).sort()).toEqual([ids.asActor, ids.asInstructor, ids.byEmail, ids.referencing].sort());
    expect(body.statements.map((x) => x.id)).not.toContain(ids.byEmailElsewhere);
    expect(body.documents.map((d) => [d.kind, d.id])).toEqual([['agentProfile', 'prefs'], ['state', 'bookmark']]);
    expect(body.documents.find((d) => d.kind === 'state')?.content).toEqual({ page: 7 });
  });

  it('needs a session', async () => {
    expect((await request(w.app).get('/api/me/records')).status).toBe(401);
  });
});

describe('POST /api/admin/people/:userId/erase', () => {
  it('is for the site administrator only, with the CSRF token', async () => {
    const victim = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const url = `/api/admin/people/${victim.id}/erase`;
    expect((await request(w.app).post(url)).status).toBe(401);
    const orgAdmin = await w.session(w.people.orgAdminA);
    expect((await request(w.app).post(url).set('Cookie', orgAdmin.cookie).set('X-CSRF-Token', orgAdmin.csrf)).status).toBe(403);
    const admin = await w.session(w.people.siteAdmin);
    expect((await request(w.app).post(url).set('Cookie', admin.cookie)).status).toBe(403);
    expect((await request(w.app).post(url).set('Cookie', admin.cookie).set('X-CSRF-Token', 'x'.repeat(43))).status).toBe(403);
    expect((await w.store.accounts.findUser(victim.id))?.disabledAt).toBeUndefined();
    expect((await request(w.app).post('/api/admin/people/nobody/erase').set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf)).status).toBe(404);
  });

  it('erases statements, documents, sessions and launch tokens, disables the account and audits it', async () => {
    const { user, me, reg, ids } = await learnerWithRecords({ emailProven: true });
    const victimSession = await w.session(user);
    const launch = issueLaunchToken(w.services, { userId: user.id, actor: me, registration: reg, activityId: 'http://example.com/act/x' });
    // A statement referencing theirs matches the same filters (xAPI query semantics), so the launch sees it too.
    expect((await queryIds(w.app, launch)).ids.sort()).toEqual([ids.asActor, ids.referencing].sort());

    const admin = await w.session(w.people.siteAdmin);
    const res = await request(w.app).post(`/api/admin/people/${user.id}/erase`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: user.id, statements: 5, documents: 2, sessions: 1, audit: { action: 'person.erase' } });

    const left = await w.store.statements.findStatementsByIds(Object.values(ids));
    expect(left.map((s) => s.id)).toEqual([ids.unrelated]);
    expect((await queryIds(w.app, w.creds.site, { agent: JSON.stringify(me), related_agents: 'true' })).ids).toEqual([]);
    const state = await request(w.app).get('/xapi/activities/state')
      .query({ activityId: 'http://example.com/act/x', agent: JSON.stringify(me), stateId: 'bookmark', registration: reg })
      .set('Authorization', w.creds.site).set('X-Experience-API-Version', V);
    expect(state.status).toBe(404);

    expect((await w.store.accounts.findUser(user.id))?.disabledAt).toBeDefined();
    expect((await request(w.app).get('/api/me').set('Cookie', victimSession.cookie)).status).toBe(401);
    expect((await queryIds(w.app, launch)).status).toBe(401);
    const signIn = await request(w.app).post('/api/session').send({ email: user.email, password: PASSWORD });
    expect(signIn.status).not.toBe(201);

    const [entry] = await w.store.accounts.findAudit({ limit: 1 });
    expect(entry).toMatchObject({ action: 'person.erase', actorUserId: w.people.siteAdmin.id, target: user.id, details: { statements: 5, documents: 2 } });
    expect(Date.parse(entry!.at)).toBeGreaterThan(Date.now() - 60_000);

    // Erasing again finds nothing more.
    const again = await request(w.app).post(`/api/admin/people/${user.id}/erase`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf);
    expect(again.body).toMatchObject({ statements: 0, documents: 0 });
  });

  it('keeps statements naming a mailbox the person never proved: erasure takes only what is theirs (issue 11)', async () => {
    const { user, ids } = await learnerWithRecords();
    const admin = await w.session(w.people.siteAdmin);
    const res = await request(w.app).post(`/api/admin/people/${user.id}/erase`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf);
    expect(res.status).toBe(200);
    expect(res.body.statements).toBe(3);
    const left = (await w.store.statements.findStatementsByIds(Object.values(ids))).map((s) => s.id).sort();
    expect(left).toEqual([ids.byEmail, ids.byEmailElsewhere, ids.unrelated].sort());
  });

  it('refuses to erase the administrator themselves', async () => {
    const admin = await w.session(w.people.siteAdmin);
    const res = await request(w.app).post(`/api/admin/people/${w.people.siteAdmin.id}/erase`).set('Cookie', admin.cookie).set('X-CSRF-Token', admin.csrf);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/userId/);
  });
});
