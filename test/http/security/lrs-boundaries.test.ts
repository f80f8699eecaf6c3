/**
 * Data boundaries of the LRS (issue 4): organization scoping, statements/read/mine, launch
 * tokens, and organization checks on documents.
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { issueLaunchToken } from '../../../src/accounts/launch-tokens';
import { forgetPerson } from '../../../src/xapi/org-scope';
import { agentOf, createWorld, postStatements, queryIds, stmt, type World } from './fixture';

const V = '1.0.3';
let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w.close();
});

const getStatement = (auth: string, id: string) =>
  request(w.app).get('/xapi/statements').query({ statementId: id }).set('Authorization', auth).set('X-Experience-API-Version', V);

describe('organization scoping', () => {
  it('gives an organization credential only its own organization\'s statements; site credentials see all', async () => {
    const activity = `http://example.com/act/${randomUUID()}`;
    const outsider = { objectType: 'Agent', mbox: `mailto:${randomUUID()}@elsewhere.example` };
    const [a] = await postStatements(w.app, w.creds.orgA, [stmt(outsider, { activity })]);
    const [b] = await postStatements(w.app, w.creds.orgB, [stmt(outsider, { activity })]);

    expect((await queryIds(w.app, w.creds.orgA, { activity })).ids).toEqual([a]);
    expect((await queryIds(w.app, w.creds.orgB, { activity })).ids).toEqual([b]);
    expect((await queryIds(w.app, w.creds.site, { activity })).ids.sort()).toEqual([a, b].sort());
    expect((await getStatement(w.creds.orgA, a!)).status).toBe(200);
    // Guessing another organization's statement id is a plain 404.
    const guessed = await getStatement(w.creds.orgB, a!);
    expect(guessed.status).toBe(404);
    expect(guessed.body).toMatchObject({ error: 'not_found' });
  });

  it('files a LearnHQ person\'s statements under every organization they belong to, whoever may write them', async () => {
    const activity = `http://example.com/act/${randomUUID()}`;
    const both = await w.person([{ orgId: w.orgA.id, role: 'learner' }, { orgId: w.orgB.id, role: 'learner' }]);
    const [byB] = await postStatements(w.app, w.creds.orgB, [stmt(agentOf(both), { activity })]);
    const [bySite] = await postStatements(w.app, w.creds.site, [stmt(agentOf(w.people.learnerA), { activity })]);
    // A reads both: B wrote one about a person of A and B, the site one about A's learner.
    expect((await queryIds(w.app, w.creds.orgA, { activity })).ids.sort()).toEqual([byB, bySite].sort());
    expect((await queryIds(w.app, w.creds.orgB, { activity })).ids).toEqual([byB]);
    expect((await getStatement(w.creds.orgB, bySite!)).status).toBe(404);
  });

  it('finds a person by a shared, proven email too, and picks up a new membership once the cache is told', async () => {
    const shared = await w.person([{ orgId: w.orgB.id, role: 'learner' }], { shareEmail: true, emailProven: true });
    const activity = `http://example.com/act/${randomUUID()}`;
    const [first] = await postStatements(w.app, w.creds.site, [stmt({ objectType: 'Agent', mbox: `mailto:${shared.email}` }, { activity })]);
    expect((await queryIds(w.app, w.creds.orgB, { activity })).ids).toEqual([first]);
    expect((await queryIds(w.app, w.creds.orgA, { activity })).ids).toEqual([]);

    await w.store.accounts.insertMembership({ userId: shared.id, orgId: w.orgA.id, role: 'learner', createdAt: new Date().toISOString() });
    forgetPerson(w.store, shared.id);
    const [second] = await postStatements(w.app, w.creds.site, [stmt({ objectType: 'Agent', mbox: `mailto:${shared.email}` }, { activity })]);
    // Records keep the organizations they were filed under when written.
    expect((await queryIds(w.app, w.creds.orgA, { activity })).ids).toEqual([second]);
  });

  it('does not file an email under a person who does not share it', async () => {
    const private_ = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const activity = `http://example.com/act/${randomUUID()}`;
    await postStatements(w.app, w.creds.site, [stmt({ objectType: 'Agent', mbox: `mailto:${private_.email}` }, { activity })]);
    expect((await queryIds(w.app, w.creds.orgA, { activity })).ids).toEqual([]);
  });

  it('never lets a StatementRef carry another organization\'s statement into a query', async () => {
    const activity = `http://example.com/act/${randomUUID()}`;
    const outsider = { objectType: 'Agent', mbox: `mailto:${randomUUID()}@elsewhere.example` };
    const [a] = await postStatements(w.app, w.creds.orgA, [stmt(outsider, { activity })]);
    const [refByB] = await postStatements(w.app, w.creds.orgB, [stmt(outsider, { object: { objectType: 'StatementRef', id: a } })]);
    // B's statement matches A's activity through the reference, but B still cannot see A's target.
    expect((await queryIds(w.app, w.creds.orgB, { activity })).ids).toEqual([refByB]);
    expect((await queryIds(w.app, w.creds.orgA, { activity })).ids).toEqual([a]);
  });

  it('keeps more-cursors inside the organization', async () => {
    const activity = `http://example.com/act/${randomUUID()}`;
    const outsider = { objectType: 'Agent', mbox: `mailto:${randomUUID()}@elsewhere.example` };
    const mineA = await postStatements(w.app, w.creds.orgA, [stmt(outsider, { activity }), stmt(outsider, { activity }), stmt(outsider, { activity })]);
    await postStatements(w.app, w.creds.orgB, [stmt(outsider, { activity }), stmt(outsider, { activity })]);
    const seen: string[] = [];
    let url = `/xapi/statements?activity=${encodeURIComponent(activity)}&limit=1`;
    for (let i = 0; i < 10 && url !== ''; i++) {
      const res = await request(w.app).get(url).set('Authorization', w.creds.orgA).set('X-Experience-API-Version', V);
      expect(res.status).toBe(200);
      seen.push(...(res.body as { statements: { id: string }[] }).statements.map((s) => s.id));
      url = (res.body as { more: string }).more;
    }
    expect(seen.sort()).toEqual([...mineA].sort());
  });
});

describe('statements/read/mine', () => {
  it('returns only what the credential wrote, also around StatementRefs', async () => {
    const activity = `http://example.com/act/${randomUUID()}`;
    const agent = { objectType: 'Agent', mbox: `mailto:${randomUUID()}@example.com` };
    const [byOther] = await postStatements(w.app, w.creds.site, [stmt(agent, { activity })]);
    const [mineRef] = await postStatements(w.app, w.creds.mine, [stmt(agent, { object: { objectType: 'StatementRef', id: byOther } })]);
    const [mine] = await postStatements(w.app, w.creds.mine, [stmt(agent, { activity })]);
    const [otherRef] = await postStatements(w.app, w.creds.site, [stmt(agent, { object: { objectType: 'StatementRef', id: mine } })]);

    expect((await queryIds(w.app, w.creds.mine, { activity })).ids.sort()).toEqual([mine, mineRef].sort());
    expect((await queryIds(w.app, w.creds.site, { activity })).ids.sort()).toEqual([byOther, mineRef, mine, otherRef].sort());
    expect((await getStatement(w.creds.mine, mine!)).status).toBe(200);
    expect((await getStatement(w.creds.mine, byOther!)).status).toBe(404);
    expect((await getStatement(w.creds.mine, otherRef!)).status).toBe(404);
  });
});

describe('launch tokens', () => {
  const learner = () => agentOf(w.people.learnerA);
  const post = (auth: string, body: unknown) =>
    request(w.app).post('/xapi/statements').set('Authorization', auth).set('X-Experience-API-Version', V).send(body as object);

  it('write only statements of their learner in their registration', async () => {
    expect((await post(w.launch.header, [stmt(learner(), { registration: w.launch.registration })])).status).toBe(200);
    const other = await post(w.launch.header, [stmt(agentOf(w.people.learnerB), { registration: w.launch.registration })]);
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/actor/);
    const otherReg = await post(w.launch.header, [stmt(learner(), { registration: randomUUID() })]);
    expect(otherReg.status).toBe(403);
    expect(otherReg.body.message).toMatch(/context\.registration/);
    expect((await post(w.launch.header, [stmt(learner())])).status).toBe(403);
    // One bad statement refuses the batch: nothing of it is stored.
    const good = stmt(learner(), { registration: w.launch.registration });
    expect((await post(w.launch.header, [good, stmt(learner())])).status).toBe(403);
    expect((await getStatement(w.creds.site, good['id'] as string)).status).toBe(404);
  });

  it('cannot void, even their own statements', async () => {
    const [own] = await postStatements(w.app, w.launch.header, [stmt(learner(), { registration: w.launch.registration })]);
    const voiding = stmt(learner(), { registration: w.launch.registration, verb: 'http://adlnet.gov/expapi/verbs/voided', object: { objectType: 'StatementRef', id: own } });
    expect((await post(w.launch.header, [voiding])).status).toBe(403);
  });

  it('read only their learner\'s statements in their registration, whatever the query asks', async () => {
    const reg = w.launch.registration;
    const [inside] = await postStatements(w.app, w.creds.site, [stmt(learner(), { registration: reg })]);
    const [sameLearnerOtherReg] = await postStatements(w.app, w.creds.site, [stmt(learner(), { registration: randomUUID() })]);
    const [otherLearnerSameReg] = await postStatements(w.app, w.creds.site, [stmt(agentOf(w.people.learnerB), { registration: reg })]);

    const all = await queryIds(w.app, w.launch.header);
    expect(all.status).toBe(200);
    expect(all.ids).toContain(inside);
    expect(all.ids).not.toContain(sameLearnerOtherReg);
    expect(all.ids).not.toContain(otherLearnerSameReg);
    const asked = await queryIds(w.app, w.launch.header, { agent: JSON.stringify(agentOf(w.people.learnerB)) });
    expect(asked.ids).toEqual([]);
    expect((await getStatement(w.launch.header, inside!)).status).toBe(200);
    expect((await getStatement(w.launch.header, sameLearnerOtherReg!)).status).toBe(404);
    expect((await getStatement(w.launch.header, otherLearnerSameReg!)).status).toBe(404);
  });

  it('keep State to their learner and registration, and read profiles only', async () => {
    const reg = w.launch.registration;
    const state = (agent: Record<string, unknown>, registration?: string) => ({
      activityId: w.launch.activityId, agent: JSON.stringify(agent), stateId: 'bookmark', ...(registration !== undefined ? { registration } : {}),
    });
    const put = (q: Record<string, string>) =>
      request(w.app).put('/xapi/activities/state').query(q).set('Authorization', w.launch.header).set('X-Experience-API-Version', V).set('Content-Type', 'application/json').send('{"page":3}');
    const get = (path: string, q: Record<string, string>) =>
      request(w.app).get(path).query(q).set('Authorization', w.launch.header).set('X-Experience-API-Version', V);

    expect((await put(state(learner(), reg))).status).toBe(204);
    expect((await get('/xapi/activities/state', state(learner(), reg))).body).toEqual({ page: 3 });
    expect((await put(state(learner(), randomUUID()))).status).toBe(403);
    expect((await put(state(learner()))).status).toBe(403);
    expect((await put(state(agentOf(w.people.learnerB), reg))).status).toBe(403);
    // Listing without the registration would list every registration's ids: refused.
    expect((await get('/xapi/activities/state', { activityId: w.launch.activityId, agent: JSON.stringify(learner()) })).status).toBe(403);

    expect((await get('/xapi/agents/profile', { agent: JSON.stringify(learner()), profileId: 'prefs' })).status).toBe(404);
    expect((await get('/xapi/agents/profile', { agent: JSON.stringify(agentOf(w.people.learnerB)), profileId: 'prefs' })).status).toBe(403);
    const putProfile = await request(w.app).put('/xapi/agents/profile').query({ agent: JSON.stringify(learner()), profileId: 'prefs' })
      .set('Authorization', w.launch.header).set('X-Experience-API-Version', V).set('Content-Type', 'application/json').send('{}');
    expect(putProfile.status).toBe(403);
    expect((await get('/xapi/activities/profile', { activityId: w.launch.activityId, profileId: 'p' })).status).toBe(404);
    const putActivityProfile = await request(w.app).put('/xapi/activities/profile').query({ activityId: w.launch.activityId, profileId: 'p' })
      .set('Authorization', w.launch.header).set('X-Experience-API-Version', V).set('Content-Type', 'application/json').send('{}');
    expect(putActivityProfile.status).toBe(403);

    expect((await get('/xapi/agents', { agent: JSON.stringify(learner()) })).status).toBe(200);
    expect((await get('/xapi/agents', { agent: JSON.stringify(agentOf(w.people.learnerB)) })).status).toBe(403);
    expect((await get('/xapi/activities', { activityId: w.launch.activityId })).status).toBe(403);
  });

  it('are refused when expired, forged, unsigned, or a session token', async () => {
    const basic = (token: string) => `Basic ${Buffer.from(`launch:${token}`).toString('base64')}`;
    const expired = issueLaunchToken({ config: w.config, now: () => new Date(Date.now() - 5 * 3600_000) }, {
      userId: w.people.learnerA.id, actor: learner(), registration: w.launch.registration, activityId: w.launch.activityId,
    });
    expect((await queryIds(w.app, expired)).status).toBe(401);

    const claims = { sub: w.people.learnerA.id, agent: learner(), reg: w.launch.registration, act: w.launch.activityId, jti: randomUUID(), aud: 'learnhq:launch' };
    const forged = jwt.sign(claims, 'not the key', { algorithm: 'HS256', expiresIn: 3600 });
    expect((await queryIds(w.app, basic(forged))).status).toBe(401);
    const none = jwt.sign(claims, '', { algorithm: 'none', expiresIn: 3600 });
    expect((await queryIds(w.app, basic(none))).status).toBe(401);
    // The token's signature over other claims (another registration) no longer holds.
    const real = Buffer.from(w.launch.header.slice(6), 'base64').toString().slice('launch:'.length);
    const [h, p, s] = real.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, reg: randomUUID() })).toString('base64url')}.${s}`;
    expect((await queryIds(w.app, basic(tampered))).status).toBe(401);
    const session = await w.session(w.people.learnerA);
    expect((await queryIds(w.app, basic(decodeURIComponent(session.cookie.split('=')[1]!)))).status).toBe(401);
    expect((await queryIds(w.app, w.launch.header)).status).toBe(200);
  });

  it('stop working once their learner is disabled', async () => {
    const person = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const header = issueLaunchToken(w.services, { userId: person.id, actor: agentOf(person), registration: randomUUID(), activityId: w.launch.activityId });
    expect((await queryIds(w.app, header)).status).toBe(200);
    await w.store.accounts.updateUser(person.id, { disabledAt: new Date().toISOString() });
    forgetPerson(w.store, person.id);
    expect((await queryIds(w.app, header)).status).toBe(401);
  });
});

describe('documents of people across organizations', () => {
  const q = (agent: Record<string, unknown>) => ({ activityId: 'http://example.com/act/doc', agent: JSON.stringify(agent), stateId: 's' });
  const put = (auth: string, agent: Record<string, unknown>) =>
    request(w.app).put('/xapi/activities/state').query(q(agent)).set('Authorization', auth).set('X-Experience-API-Version', V).set('Content-Type', 'application/json').send('{"x":1}');
  const get = (auth: string, agent: Record<string, unknown>) =>
    request(w.app).get('/xapi/activities/state').query(q(agent)).set('Authorization', auth).set('X-Experience-API-Version', V);

  it('lets an organization credential use the documents of its own people only', async () => {
    const a = agentOf(w.people.learnerA);
    expect((await put(w.creds.orgA, a)).status).toBe(204);
    expect((await get(w.creds.orgA, a)).status).toBe(200);
    // Issue 11: outside the organization it is 404, as for a document that does not exist.
    expect((await get(w.creds.orgB, a)).status).toBe(404);
    expect((await put(w.creds.orgB, a)).status).toBe(404);
    expect((await get(w.creds.site, a)).status).toBe(200);
    const agentProfile = await request(w.app).get('/xapi/agents/profile').query({ agent: JSON.stringify(a), profileId: 'x' })
      .set('Authorization', w.creds.orgB).set('X-Experience-API-Version', V);
    expect(agentProfile.status).toBe(404);
  });

  it('leaves agents that are not LearnHQ people to any credential', async () => {
    const outsider = { objectType: 'Agent', mbox: `mailto:${randomUUID()}@elsewhere.example` };
    expect((await put(w.creds.orgB, outsider)).status).toBe(204);
    expect((await get(w.creds.orgA, outsider)).status).toBe(200);
  });
});
