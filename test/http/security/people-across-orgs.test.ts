/**
 * Issue 11 items 3, 4 and 5 (documents): records about another organization's people. A LearnHQ
 * person is named by their account on our home page, or by their email as mbox or mbox_sha1sum.
 * Statements about them come only from their own organizations' credentials, site credentials and
 * launch tokens; their documents are 404 to any other organization's credential, whatever
 * identifier form addresses them.
 */
import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import { forgetPerson } from '../../../src/xapi/org-scope';
import { agentOf, createWorld, postStatements, queryIds, stmt, type World } from './fixture';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w.close();
});

const V = '2.0.0';
const sha1 = (email: string) => createHash('sha1').update(`mailto:${email}`).digest('hex');
const post = (auth: string, body: unknown) =>
  request(w.app).post('/xapi/statements').set('Authorization', auth).set('X-Experience-API-Version', V).send(body as object);
const getOne = (auth: string, id: string) =>
  request(w.app).get('/xapi/statements').query({ statementId: id }).set('Authorization', auth).set('X-Experience-API-Version', V);

describe('statements about another organization\'s people (item 3)', () => {
  it('refuses B\'s credential a statement whose actor is A\'s person, by account, with 403 naming the rule; nothing is stored', async () => {
    const s = stmt(agentOf(w.people.learnerA));
    const res = await post(w.creds.orgB, [s]);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'forbidden' });
    expect(res.body.message).toMatch(/^statements\[0\]\.actor: .*may only write statements about its own organization's people/);
    expect(res.body.message).not.toContain(w.orgA.id);
    expect((await getOne(w.creds.site, s['id'] as string)).status).toBe(404);
  });

  it('refuses the same through the fast lane (PUT) and the router (POST with a multipart body)', async () => {
    const s = stmt(agentOf(w.people.learnerA));
    const viaPut = await request(w.app).put('/xapi/statements').query({ statementId: s['id'] as string })
      .set('Authorization', w.creds.orgB).set('X-Experience-API-Version', V).send(s);
    expect(viaPut.status).toBe(403);
    const boundary = 'b0undary';
    const body = `--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify([s])}\r\n--${boundary}--\r\n`;
    const viaRouter = await request(w.app).post('/xapi/statements').set('Authorization', w.creds.orgB).set('X-Experience-API-Version', V)
      .set('Content-Type', `multipart/mixed; boundary=${boundary}`).send(body);
    expect(viaRouter.status).toBe(403);
  });

  it('looks at Group members too, and refuses the whole batch', async () => {
    const team = { objectType: 'Group', name: 'Team', member: [{ mbox: `mailto:${randomUUID()}@elsewhere.example` }, agentOf(w.people.learnerA)] };
    const fine = stmt({ objectType: 'Agent', mbox: `mailto:${randomUUID()}@elsewhere.example` });
    const res = await post(w.creds.orgB, [fine, stmt(team)]);
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/^statements\[1\]\.actor\.member\[1\]: /);
    expect((await getOne(w.creds.site, fine['id'] as string)).status).toBe(404);
  });

  it('recognises a person who shares their email by mbox and by mbox_sha1sum; an email they do not share names nobody', async () => {
    const sharing = await w.person([{ orgId: w.orgA.id, role: 'learner' }], { shareEmail: true, emailProven: true });
    const private_ = await w.person([{ orgId: w.orgA.id, role: 'learner' }], { emailProven: true });
    expect((await post(w.creds.orgB, [stmt({ objectType: 'Agent', mbox: `mailto:${sharing.email}` })])).status).toBe(403);
    expect((await post(w.creds.orgB, [stmt({ objectType: 'Agent', mbox: `MAILTO:${sharing.email.toUpperCase()}` })])).status).toBe(403);
    expect((await post(w.creds.orgB, [stmt({ objectType: 'Agent', mbox_sha1sum: sha1(sharing.email) })])).status).toBe(403);
    expect((await post(w.creds.orgB, [stmt({ objectType: 'Agent', mbox: `mailto:${private_.email}` })])).status).toBe(200);
  });

  it('accepts the person\'s own organizations, site credentials and their launch token', async () => {
    const both = await w.person([{ orgId: w.orgA.id, role: 'learner' }, { orgId: w.orgB.id, role: 'learner' }], { emailProven: true });
    expect((await post(w.creds.orgA, [stmt(agentOf(both))])).status).toBe(200);
    expect((await post(w.creds.orgB, [stmt(agentOf(both))])).status).toBe(200);
    expect((await post(w.creds.orgA, [stmt(agentOf(w.people.learnerA))])).status).toBe(200);
    expect((await post(w.creds.site, [stmt(agentOf(w.people.learnerA))])).status).toBe(200);
    expect((await post(w.launch.header, [stmt(agentOf(w.people.learnerA), { registration: w.launch.registration })])).status).toBe(200);
    // Statements about people who are not LearnHQ people stay open to every credential.
    expect((await post(w.creds.orgB, [stmt({ objectType: 'Agent', account: { homePage: 'http://elsewhere.example', name: w.people.learnerA.id } })])).status).toBe(200);
  });

  it('follows a new membership once the person cache is told (as a role grant does)', async () => {
    const person = await w.person([{ orgId: w.orgA.id, role: 'learner' }], { emailProven: true });
    expect((await post(w.creds.orgB, [stmt(agentOf(person))])).status).toBe(403);
    await w.store.accounts.insertMembership({ userId: person.id, orgId: w.orgB.id, role: 'learner', createdAt: new Date().toISOString() });
    forgetPerson(w.store, person.id);
    const activity = `http://example.com/act/${randomUUID()}`;
    const [id] = await postStatements(w.app, w.creds.orgB, [stmt(agentOf(person), { activity })]);
    // Filed under both of the person's organizations.
    expect((await queryIds(w.app, w.creds.orgA, { activity })).ids).toEqual([id]);
  });
});

describe('documents of another organization\'s people, by any identifier (items 4 and 5)', () => {
  const stateQ = (agent: Record<string, unknown>, stateId = 'kept') => ({ activityId: 'http://example.com/act/doc', agent: JSON.stringify(agent), stateId });
  const profileQ = (agent: Record<string, unknown>, profileId = 'prefs') => ({ agent: JSON.stringify(agent), profileId });
  const send = (method: 'get' | 'put' | 'post' | 'delete', path: string, auth: string, query: Record<string, string>) => {
    const r = request(w.app)[method](path).query(query).set('Authorization', auth).set('X-Experience-API-Version', V);
    return method === 'put' || method === 'post' ? r.set('If-None-Match', '*').set('Content-Type', 'application/json').send('{"k":1}') : r;
  };

  let forms: Record<string, Record<string, unknown>>;
  beforeAll(async () => {
    const person = await w.person([{ orgId: w.orgA.id, role: 'learner' }], { emailProven: true });
    const sharing = await w.person([{ orgId: w.orgA.id, role: 'learner' }], { shareEmail: true, emailProven: true });
    const grouped = await w.person([{ orgId: w.orgA.id, role: 'learner' }], { emailProven: true });
    forms = {
      account: agentOf(person),
      'mbox (email not shared)': { objectType: 'Agent', mbox: `mailto:${person.email}` },
      'mbox_sha1sum (email not shared)': { objectType: 'Agent', mbox_sha1sum: sha1(person.email) },
      'mbox (shared)': { objectType: 'Agent', mbox: `mailto:${sharing.email}` },
      'mbox_sha1sum (shared, upper-case hex)': { objectType: 'Agent', mbox_sha1sum: sha1(sharing.email).toUpperCase() },
      'identified Group with the mbox': { objectType: 'Group', mbox: `mailto:${grouped.email}` },
    };
    for (const agent of Object.values(forms)) {
      expect((await send('put', '/xapi/activities/state', w.creds.orgA, stateQ(agent))).status).toBe(204);
      expect((await send('put', '/xapi/agents/profile', w.creds.orgA, profileQ(agent))).status).toBe(204);
    }
  });

  it.each(['account', 'mbox (email not shared)', 'mbox_sha1sum (email not shared)', 'mbox (shared)', 'mbox_sha1sum (shared, upper-case hex)', 'identified Group with the mbox'])(
    '%s: B\'s credential gets 404 on every method, and the documents stay',
    async (form) => {
      const agent = forms[form]!;
      for (const method of ['get', 'put', 'post', 'delete'] as const) {
        expect([method, (await send(method, '/xapi/activities/state', w.creds.orgB, stateQ(agent))).status]).toEqual([method, 404]);
        expect([method, (await send(method, '/xapi/agents/profile', w.creds.orgB, profileQ(agent))).status]).toEqual([method, 404]);
      }
      expect((await send('get', '/xapi/activities/state', w.creds.orgB, { activityId: 'http://example.com/act/doc', agent: JSON.stringify(agent) })).status).toBe(404);
      const kept = await send('get', '/xapi/activities/state', w.creds.orgA, stateQ(agent));
      expect(kept.status).toBe(200);
      expect(kept.body).toEqual({ k: 1 });
      expect((await send('get', '/xapi/agents/profile', w.creds.site, profileQ(agent))).status).toBe(200);
    },
  );

  it('answers a read of A\'s document exactly as a read of a document that does not exist', async () => {
    const hidden = await send('get', '/xapi/activities/state', w.creds.orgB, stateQ(forms['account']!));
    const missing = await send('get', '/xapi/activities/state', w.creds.orgB, stateQ({ objectType: 'Agent', mbox: `mailto:${randomUUID()}@elsewhere.example` }));
    expect(hidden.status).toBe(404);
    expect({ status: hidden.status, body: hidden.body }).toEqual({ status: missing.status, body: missing.body });
    const hiddenProfile = await send('get', '/xapi/agents/profile', w.creds.orgB, profileQ(forms['mbox_sha1sum (email not shared)']!));
    const missingProfile = await send('get', '/xapi/agents/profile', w.creds.orgB, profileQ({ objectType: 'Agent', openid: `http://openid.example/${randomUUID()}` }));
    expect(hiddenProfile.body).toEqual(missingProfile.body);
  });

  it('leaves agents that name no LearnHQ person (openid, other home pages) to every credential', async () => {
    const openid = { objectType: 'Agent', openid: `http://openid.example/${randomUUID()}` };
    expect((await send('put', '/xapi/activities/state', w.creds.orgB, stateQ(openid))).status).toBe(204);
    expect((await send('get', '/xapi/activities/state', w.creds.orgA, stateQ(openid))).status).toBe(200);
  });
});
