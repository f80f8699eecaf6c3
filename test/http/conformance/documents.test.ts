/**
 * Conformance: the document resources — State, Activity Profile, Agent Profile (Communication
 * 2.2-2.7) — concurrency (Communication 3.1) and the Activities / Agents resources, as the ADL
 * conformance suite exercises them.
 */
import request from 'supertest';
import type { TestApp } from '../../helpers/test-app';
import { BASE, headers, openApp, qs, uuid, type Json, type Version } from './support';

let t: TestApp;
beforeAll(async () => { t = await openApp(); });
afterAll(async () => { await t.close(); });

const ACTIVITY = 'http://www.example.com/activityId/hashset';
const AGENT = { objectType: 'Agent', account: { homePage: 'http://www.example.com/agentId/1', name: 'Conformance Agent' } };

const stateParams = (): Json => ({ activityId: ACTIVITY, agent: AGENT, stateId: uuid() });
const activityProfileParams = (): Json => ({ activityId: ACTIVITY, profileId: uuid() });
const agentProfileParams = (): Json => ({ agent: AGENT, profileId: uuid() });
const doc = (): Json => ({ name: uuid(), location: { name: uuid() }, [uuid()]: uuid() });

type Method = 'get' | 'put' | 'post' | 'delete';
function send(method: Method, path: string, params: Json, body?: unknown, extra: Record<string, string> = {}, version: Version = '2.0.0') {
  const r = request(t.app)[method](`${BASE}${path}?${qs(params)}`).set({ ...headers(t, version), ...extra });
  return body === undefined ? r : r.send(body as object);
}

const RESOURCES: [string, string, () => Json][] = [
  ['State', '/activities/state', stateParams],
  ['Activity Profile', '/activities/profile', activityProfileParams],
  ['Agent Profile', '/agents/profile', agentProfileParams],
];

describe.each(RESOURCES)('%s resource basics (Communication 2.2)', (_name, path, params) => {
  it('2.2: POST of a new document is 204 and GET returns it (POST with nothing there acts as PUT)', async () => {
    const p = params();
    const d = doc();
    expect((await send('post', path, p, d)).status).toBe(204);
    const res = await send('get', path, p);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(d);
  });

  it('2.2: PUT of a new document is 204', async () => {
    expect((await send('put', path, params(), doc())).status).toBe(204);
  });

  it('2.2: DELETE of a document is 204 and a later GET is 404', async () => {
    const p = params();
    await send('post', path, p, doc());
    expect((await send('delete', path, p)).status).toBe(204);
    expect((await send('get', path, p)).status).toBe(404);
  });

  it('2.2: POST merges two JSON documents ({car} + {type} → both)', async () => {
    const p = params();
    await send('post', path, p, { car: 'Honda' });
    expect((await send('post', path, p, { type: 'Civic' })).status).toBe(204);
    expect((await send('get', path, p)).body).toEqual({ car: 'Honda', type: 'Civic' });
  });

  it('2.2: a merge overwrites top-level keys and replaces nested objects whole', async () => {
    const p = params();
    await send('post', path, p, { car: { make: 'Ford', model: 'Escape' }, driver: 'Dale', series: { nascar: { series: 'sprint' } } });
    await send('post', path, p, { car: { make: 'Dodge', model: 'Ram' }, driver: 'Jeff', series: { nascar: { series: 'nextel' } } });
    expect((await send('get', path, p)).body).toEqual({ car: { make: 'Dodge', model: 'Ram' }, driver: 'Jeff', series: { nascar: { series: 'nextel' } } });
  });

  it.each(['1', 'true'])('2.2: POST of the form-typed string "%s" with no existing document is 204', async (body) => {
    expect((await send('post', path, params(), body)).status).toBe(204);
  });

  it('2.2: POST of {} with no existing document is 204', async () => {
    expect((await send('post', path, params(), {})).status).toBe(204);
  });

  it('2.2: POST of a non-JSON document over an existing JSON one is 400 and leaves it unchanged', async () => {
    const p = params();
    const d = doc();
    await send('post', path, p, d);
    expect((await send('post', path, p, 'abc')).status).toBe(400);
    expect((await send('post', path, p, 'abcdefg', { 'Content-Type': 'not/json' })).status).toBe(400);
    expect((await send('get', path, p)).body).toEqual(d);
  });

  it('2.2: POST of JSON over an existing non-JSON document is 400 and the bytes stay as they were', async () => {
    const p = params();
    const bytes = '/ asdf / undefined';
    const put = await send('put', path, p, bytes, { 'Content-Type': 'application/octet-stream' });
    expect(put.status).toBe(204);
    expect((await send('post', path, p, doc())).status).toBe(400);
    const res = await send('get', path, p).buffer(true).parse((r, cb) => {
      let data = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => { data += c; });
      r.on('end', () => cb(null, data));
    });
    expect(res.body).toBe(bytes);
    expect(String(res.headers['content-type'])).toMatch(/^application\/octet-stream/);
  });

  it('2.2: POST with Content-Type application/json that does not parse is 400 and leaves the document unchanged', async () => {
    const p = params();
    const d = doc();
    await send('post', path, p, d);
    const bad = await request(t.app).post(`${BASE}${path}?${qs(p)}`).set({ ...headers(t), 'Content-Type': 'application/json' }).send(`${JSON.stringify(d)}{`);
    expect(bad.status).toBe(400);
    expect((await send('get', path, p)).body).toEqual(d);
  });

  it('2.2: a JSON document is returned with Content-Type application/json', async () => {
    const p = params();
    await send('post', path, p, doc());
    expect(String((await send('get', path, p)).headers['content-type'])).toMatch(/^application\/json/);
  });

  it('2.2: GET of a document carries a Last-Modified header', async () => {
    const p = params();
    await send('post', path, p, doc());
    expect(Number.isNaN(Date.parse(String((await send('get', path, p)).headers['last-modified'])))).toBe(false);
  });

  it('2.2: GET without the id returns 200 and a JSON array of ids; with since it lists documents stored after it', async () => {
    const p = params();
    const idName = 'stateId' in p ? 'stateId' : 'profileId';
    await send('post', path, p, doc());
    const list: Json = { ...p, since: new Date(Date.now() - 60_000).toISOString() };
    delete list[idName];
    const res = await send('get', path, list);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.arrayContaining([p[idName]]));
  });

  it('2.2: GET of the id list with a since that is not a timestamp is 400', async () => {
    const p = params();
    delete p['stateId'];
    delete p['profileId'];
    expect((await send('get', path, { ...p, since: 'not a timestamp' })).status).toBe(400);
  });

  it('2.2: an unknown query parameter is 400', async () => {
    expect((await send('get', path, { ...params(), foo: 'bar' })).status).toBe(400);
  });
});

describe('Document Last-Modified updates (Communication 2.2, xAPI 2.0)', () => {
  it('2.2: Last-Modified moves forward when the document is updated', async () => {
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    const { createTestApp } = await import('../../helpers/test-app');
    const app = await createTestApp({ now: () => new Date(now) });
    try {
      const p = stateParams();
      const h = { 'X-Experience-API-Version': '2.0.0', Authorization: app.auth };
      await request(app.app).post(`${BASE}/activities/state?${qs(p)}`).set(h).send(doc());
      const before = await request(app.app).get(`${BASE}/activities/state?${qs(p)}`).set(h);
      now += 1500;
      expect((await request(app.app).post(`${BASE}/activities/state?${qs(p)}`).set(h).send({ name: 'updated' })).status).toBe(204);
      const after = await request(app.app).get(`${BASE}/activities/state?${qs(p)}`).set(h);
      expect(Date.parse(String(after.headers['last-modified']))).toBeGreaterThan(Date.parse(String(before.headers['last-modified'])));
    } finally {
      await app.close();
    }
  });
});

describe('State resource parameters (Communication 2.3)', () => {
  const path = '/activities/state';
  const without = (name: string): Json => { const p = stateParams(); delete p[name]; return p; };

  it.each(['put', 'post'] as const)('2.3: %s without activityId is 400', async (m) => {
    expect((await send(m, path, without('activityId'), doc())).status).toBe(400);
  });
  it.each(['get', 'delete'] as const)('2.3: %s without activityId is 400', async (m) => {
    expect((await send(m, path, without('activityId'))).status).toBe(400);
  });
  it.each(['put', 'post'] as const)('2.3: %s without agent is 400', async (m) => {
    expect((await send(m, path, without('agent'), doc())).status).toBe(400);
  });
  it.each(['get', 'delete'] as const)('2.3: %s without agent is 400', async (m) => {
    expect((await send(m, path, without('agent'))).status).toBe(400);
  });
  it.each(['put', 'post'] as const)('2.3: %s without stateId is 400', async (m) => {
    expect((await send(m, path, without('stateId'), doc())).status).toBe(400);
  });

  it('2.3: agent that is not JSON ("not JSON") is 400', async () => {
    expect((await send('put', path, { ...stateParams(), agent: 'not JSON' }, doc())).status).toBe(400);
  });

  it.each(['get', 'post', 'delete'] as const)('2.3: %s with agent=true (not an Agent object) is 400', async (m) => {
    expect((await send(m, path, { ...stateParams(), agent: true }, m === 'post' ? doc() : undefined)).status).toBe(400);
  });

  it('2.3: an agent parameter whose JSON encoding is broken is 400', async () => {
    const p = { activityId: ACTIVITY, stateId: uuid(), registration: uuid() };
    const agent = encodeURIComponent(JSON.stringify(AGENT)).replace('%3A', '%22');
    const res = await request(t.app).post(`${BASE}${path}?${qs(p)}&agent=${agent}`).set({ ...headers(t), 'Content-Type': 'application/json' }).send(JSON.stringify(doc()));
    expect(res.status).toBe(400);
  });

  it.each(['get', 'put', 'post', 'delete'] as const)('2.3: %s with a registration that is not a UUID is 400', async (m) => {
    expect((await send(m, path, { ...stateParams(), registration: true }, m === 'put' || m === 'post' ? doc() : undefined)).status).toBe(400);
  });

  it('2.3: registration is part of the key: PUT, GET and DELETE with a registration', async () => {
    const p = { ...stateParams(), registration: uuid() };
    const d = doc();
    expect((await send('put', path, p, d)).status).toBe(204);
    expect((await send('get', path, p)).body).toEqual(d);
    const other: Json = { ...p };
    delete other['registration'];
    expect((await send('get', path, other)).status).toBe(404);
    expect((await send('delete', path, p)).status).toBe(204);
  });

  it('2.3: GET with since lists both documents stored in the last minute', async () => {
    const agent = { objectType: 'Agent', mbox: `mailto:${uuid()}@example.org` };
    const a = { activityId: ACTIVITY, agent, stateId: uuid() };
    const b = { activityId: ACTIVITY, agent, stateId: uuid() };
    await send('post', path, a, doc());
    await send('post', path, b, doc());
    const res = await send('get', path, { activityId: ACTIVITY, agent, since: new Date(Date.now() - 60_000).toISOString() });
    expect(res.body).toEqual(expect.arrayContaining([a.stateId, b.stateId]));
  });

  it('2.3: DELETE without stateId removes every state of that activity and agent; the id list is then []', async () => {
    const agent = { objectType: 'Agent', mbox: `mailto:${uuid()}@example.org` };
    const activityId = `${ACTIVITY}${uuid()}`;
    await send('post', path, { activityId, agent, stateId: uuid() }, doc());
    await send('post', path, { activityId, agent, stateId: uuid() }, doc());
    expect((await send('delete', path, { activityId, agent })).status).toBe(204);
    const res = await send('get', path, { activityId, agent });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it('2.3 (1.0.3): a PUT over an existing State document without If-Match is allowed (204)', async () => {
    const p = stateParams();
    await send('put', path, p, doc(), {}, '1.0.3');
    const d = doc();
    expect((await send('put', path, p, d, {}, '1.0.3')).status).toBe(204);
    expect((await send('get', path, p, undefined, {}, '1.0.3')).body).toEqual(d);
  });
});

describe('Profile resource parameters (Communication 2.6, 2.7)', () => {
  it('2.7: activity profile PUT/POST without profileId is 400; GET without activityId is 400', async () => {
    expect((await send('put', '/activities/profile', { activityId: ACTIVITY }, doc())).status).toBe(400);
    expect((await send('post', '/activities/profile', { activityId: ACTIVITY }, doc())).status).toBe(400);
    expect((await send('get', '/activities/profile', { profileId: uuid() })).status).toBe(400);
  });

  it('2.6: agent profile PUT/POST without profileId is 400; GET without agent is 400', async () => {
    expect((await send('put', '/agents/profile', { agent: AGENT }, doc())).status).toBe(400);
    expect((await send('post', '/agents/profile', { agent: AGENT }, doc())).status).toBe(400);
    expect((await send('get', '/agents/profile', { profileId: uuid() })).status).toBe(400);
  });

  it('2.6: an agent profile can be addressed by an identified Group', async () => {
    const p = { agent: { objectType: 'Group', mbox: `mailto:${uuid()}@example.org` }, profileId: uuid() };
    expect((await send('put', '/agents/profile', p, doc())).status).toBe(204);
  });
});

describe('Concurrency (Communication 3.1)', () => {
  it.each(RESOURCES)('3.1: GET of a %s document has a quoted 40-hex SHA-1 ETag', async (_n, path, params) => {
    const p = params();
    await send('post', path, p, doc());
    const etag = String((await send('get', path, p)).headers['etag']);
    const strong = etag.startsWith('W/') ? etag.substring(2) : etag;
    expect(strong).toMatch(/^"[0-9a-fA-F]{40}"$/);
    expect(strong[41]).toBe('"');
  });

  it.each(RESOURCES)('3.1: %s PUT with the current ETag in If-Match is 204 and replaces the document', async (_n, path, params) => {
    const p = params();
    await send('post', path, p, doc());
    const etag = String((await send('get', path, p)).headers['etag']);
    const d = doc();
    expect((await send('put', path, p, d, { 'If-Match': etag })).status).toBe(204);
    expect((await send('get', path, p)).body).toEqual(d);
  });

  it.each(RESOURCES)('3.1: %s PUT with a wrong If-Match (unquoted "1234") is 412 and changes nothing', async (_n, path, params) => {
    const p = params();
    const d = doc();
    await send('post', path, p, d);
    expect((await send('put', path, p, doc(), { 'If-Match': '1234' })).status).toBe(412);
    expect((await send('get', path, p)).body).toEqual(d);
  });

  it.each(RESOURCES)('3.1: %s PUT with a wrong quoted If-Match is 412', async (_n, path, params) => {
    const p = params();
    await send('post', path, p, doc());
    expect((await send('put', path, p, doc(), { 'If-Match': '"1111111111111111111111111111111111111111"' })).status).toBe(412);
  });

  it.each(RESOURCES)('3.1: %s POST with a wrong If-Match is 412; with the right one it merges (204)', async (_n, path, params) => {
    const p = params();
    const d = doc();
    await send('post', path, p, d);
    expect((await send('post', path, p, { name: 'x' }, { 'If-Match': '1234' })).status).toBe(412);
    const etag = String((await send('get', path, p)).headers['etag']);
    expect((await send('post', path, p, { name: 'updated' }, { 'If-Match': etag })).status).toBe(204);
    expect((await send('get', path, p)).body).toEqual({ ...d, name: 'updated' });
  });

  it.each(RESOURCES)('3.1: %s DELETE with a wrong If-Match is 412; with the right one 204', async (_n, path, params) => {
    const p = params();
    await send('post', path, p, doc());
    expect((await send('delete', path, p, undefined, { 'If-Match': '"1234"' })).status).toBe(412);
    const etag = String((await send('get', path, p)).headers['etag']);
    expect((await send('delete', path, p, undefined, { 'If-Match': etag })).status).toBe(204);
  });

  it.each(RESOURCES)('3.1: %s PUT with If-None-Match: * on a new document is 204, on an existing one 412', async (_n, path, params) => {
    const p = params();
    expect((await send('put', path, p, doc(), { 'If-None-Match': '*' })).status).toBe(204);
    expect((await send('put', path, p, doc(), { 'If-None-Match': '*' })).status).toBe(412);
  });

  it.each(RESOURCES.slice(1))('3.1: %s PUT without If-Match/If-None-Match over an existing document is 409 with an explanation, unchanged', async (_n, path, params) => {
    const p = params();
    const d = doc();
    await send('post', path, p, d);
    const res = await send('put', path, p, doc());
    expect(res.status).toBe(409);
    expect(res.text.length).toBeGreaterThan(0);
    expect((await send('get', path, p)).body).toEqual(d);
  });

  it('3.1: the State resource permits a PUT without If-Match/If-None-Match over an existing document (State exemption, ADR 0002)', async () => {
    const p = stateParams();
    await send('post', path20(), p, doc());
    const replacement = doc();
    const res = await send('put', path20(), p, replacement);
    expect(res.status).toBe(204);
    expect((await send('get', path20(), p)).body).toEqual(replacement);
  });
  function path20(): string { return '/activities/state'; }
});

describe('Activities and Agents resources (Communication 2.4, 2.5)', () => {
  it('2.5: GET /activities?activityId returns 200 and an Activity with that id', async () => {
    const id = `http://example.org/activities/${uuid()}`;
    await request(t.app).post(`${BASE}/statements`).set(headers(t)).send({
      actor: { mbox: `mailto:${uuid()}@example.org` }, verb: { id: 'http://example.org/verbs/did' },
      object: { id, definition: { name: { 'en-US': 'A' } } },
    });
    const res = await request(t.app).get(`${BASE}/activities?activityId=${id}`).set(headers(t));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id);
    expect(res.body.objectType).toBe('Activity');
  });

  it('2.5: GET /activities without activityId is 400', async () => {
    expect((await request(t.app).get(`${BASE}/activities`).set(headers(t))).status).toBe(400);
  });

  it('2.4: GET /agents?agent returns 200 and a Person object with array properties', async () => {
    const res = await request(t.app).get(`${BASE}/agents?${qs({ agent: { objectType: 'Agent', mbox: 'mailto:person@example.org', name: 'P' } })}`).set(headers(t));
    expect(res.status).toBe(200);
    expect(res.body.objectType).toBe('Person');
    expect(res.body.mbox).toEqual(['mailto:person@example.org']);
  });

  it('2.4: GET /agents with an invalid agent is 400', async () => {
    expect((await request(t.app).get(`${BASE}/agents?agent=notjson`).set(headers(t))).status).toBe(400);
  });
});
