import type { RequestListener } from 'node:http';
import type { TestApp } from '../../helpers/test-app';
import { activityId, agent, call, documentsTestApp } from './helpers';

let t: TestApp;
beforeAll(async () => { t = await documentsTestApp(); });
afterAll(async () => { await t.close(); });

const RESOURCES = [
  { name: 'Activity Profile', path: '/activities/profile', params: (): Record<string, unknown> => ({ activityId: activityId(), profileId: `p-${Math.random()}` }), owner: 'activityId', foreign: 'agent', scope: 'profile' },
  { name: 'Agent Profile', path: '/agents/profile', params: (): Record<string, unknown> => ({ agent: agent(), profileId: `p-${Math.random()}` }), owner: 'agent', foreign: 'activityId', scope: 'profile' },
] as const;

describe.each(RESOURCES)('$name resource', ({ path, params, owner, foreign }) => {
  test('PUT with If-None-Match: * creates; GET returns the document, ETag and Last-Modified', async () => {
    const p = params();
    await call(t.app, t.auth, 'put', path, p).set('If-None-Match', '*').send({ x: 1 }).expect(204);
    const get = await call(t.app, t.auth, 'get', path, p).expect(200);
    expect(get.body).toEqual({ x: 1 });
    expect(get.headers['etag']).toMatch(/^"[0-9a-f]{40}"$/);
    expect(get.headers['last-modified']).toBeDefined();
  });

  test('PUT without precondition creates when absent but is 409 when the document exists', async () => {
    const p = params();
    await call(t.app, t.auth, 'put', path, p).send({ v: 1 }).expect(204);
    const res = await call(t.app, t.auth, 'put', path, p).send({ v: 2 });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/If-Match/);
    expect((await call(t.app, t.auth, 'get', path, p)).body).toEqual({ v: 1 });
  });

  test('If-Match with the current ETag replaces; a stale or wrong one is 412 and changes nothing', async () => {
    const p = params();
    await call(t.app, t.auth, 'put', path, p).set('If-None-Match', '*').send({ v: 1 }).expect(204);
    const etag1 = (await call(t.app, t.auth, 'get', path, p)).headers['etag']!;
    await call(t.app, t.auth, 'put', path, p).set('If-Match', '"1111111111111111111111111111111111111111"').send({ v: 9 }).expect(412);
    await call(t.app, t.auth, 'put', path, p).set('If-Match', '1234').send({ v: 9 }).expect(412);
    await call(t.app, t.auth, 'put', path, p).set('If-Match', etag1).send({ v: 2 }).expect(204);
    await call(t.app, t.auth, 'put', path, p).set('If-Match', etag1).send({ v: 3 }).expect(412);
    expect((await call(t.app, t.auth, 'get', path, p)).body).toEqual({ v: 2 });
    // Weak form, upper-case hex and "*" also match.
    const etag2 = (await call(t.app, t.auth, 'get', path, p)).headers['etag']!;
    await call(t.app, t.auth, 'put', path, p).set('If-Match', `W/${etag2.toUpperCase()}`).send({ v: 4 }).expect(204);
    await call(t.app, t.auth, 'put', path, p).set('If-Match', '*').send({ v: 5 }).expect(204);
    expect((await call(t.app, t.auth, 'get', path, p)).body).toEqual({ v: 5 });
  });

  test('If-None-Match: * on an existing document and If-Match on a missing one are 412', async () => {
    const p = params();
    await call(t.app, t.auth, 'put', path, p).set('If-Match', '*').send({ v: 1 }).expect(412);
    await call(t.app, t.auth, 'get', path, p).expect(404);
    await call(t.app, t.auth, 'put', path, p).set('If-None-Match', '*').send({ v: 1 }).expect(204);
    await call(t.app, t.auth, 'put', path, p).set('If-None-Match', '*').send({ v: 2 }).expect(412);
    await call(t.app, t.auth, 'post', path, p).set('If-None-Match', '*').send({ v: 2 }).expect(412);
  });

  test('POST without preconditions merges JSON objects; with If-Match it is checked', async () => {
    const p = params();
    await call(t.app, t.auth, 'post', path, p).send({ car: 'Honda' }).expect(204);
    await call(t.app, t.auth, 'post', path, p).send({ type: 'Civic' }).expect(204);
    const get = await call(t.app, t.auth, 'get', path, p);
    expect(get.body).toEqual({ car: 'Honda', type: 'Civic' });
    await call(t.app, t.auth, 'post', path, p).set('If-Match', '"1234"').send({ car: 'Ford' }).expect(412);
    await call(t.app, t.auth, 'post', path, p).set('If-Match', get.headers['etag']!).send({ car: 'Ford' }).expect(204);
    expect((await call(t.app, t.auth, 'get', path, p)).body).toEqual({ car: 'Ford', type: 'Civic' });
    await call(t.app, t.auth, 'post', path, p).send('abc').expect(400);
  });

  test('DELETE honours If-Match', async () => {
    const p = params();
    await call(t.app, t.auth, 'put', path, p).set('If-None-Match', '*').send({ v: 1 }).expect(204);
    await call(t.app, t.auth, 'delete', path, p).set('If-Match', '"1234"').expect(412);
    const etag = (await call(t.app, t.auth, 'get', path, p).expect(200)).headers['etag']!;
    await call(t.app, t.auth, 'delete', path, p).set('If-Match', etag).expect(204);
    await call(t.app, t.auth, 'get', path, p).expect(404);
    await call(t.app, t.auth, 'delete', path, p).expect(204);
  });

  test('GET without profileId lists ids (since exclusive)', async () => {
    const p = params();
    const { profileId: _drop, ...scope } = p;
    await call(t.app, t.auth, 'put', path, { ...scope, profileId: 'b' }).send({}).expect(204);
    await call(t.app, t.auth, 'put', path, { ...scope, profileId: 'a' }).send({}).expect(204);
    expect((await call(t.app, t.auth, 'get', path, scope)).body).toEqual(['a', 'b']);
    expect((await call(t.app, t.auth, 'get', path, { ...scope, since: '2999-01-01T00:00:00Z' })).body).toEqual([]);
    await call(t.app, t.auth, 'get', path, { ...scope, since: 'not a timestamp' }).expect(400);
  });

  test('parameters: owner and profileId are required; others are refused', async () => {
    const p = params();
    for (const m of ['put', 'post', 'delete', 'get'] as const) {
      const res = await call(t.app, t.auth, m, path, { ...p, [owner]: undefined }).send({});
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(new RegExp(`${owner}: is required`));
    }
    for (const m of ['put', 'post', 'delete'] as const) {
      const res = await call(t.app, t.auth, m, path, { ...p, profileId: undefined }).send({});
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/profileId: is required/);
    }
    const bad = owner === 'agent' ? { agent: true } : { activityId: 'no scheme' };
    await call(t.app, t.auth, 'get', path, { ...p, ...bad }).expect(400);
    await call(t.app, t.auth, 'put', path, { ...p, [foreign]: foreign === 'agent' ? agent() : activityId() }).send({}).expect(400);
    await call(t.app, t.auth, 'put', path, { ...p, registration: '1b6e1a3c-5f0a-4a4e-9d7e-2b1b1b1b1b1b' }).send({}).expect(400);
  });

  test('the profile scope allows it; state does not', async () => {
    const p = params();
    const profile = await t.credential(['profile']);
    await call(t.app, profile, 'put', path, p).send({ a: 1 }).expect(204);
    const stateOnly = await t.credential(['state']);
    await call(t.app, stateOnly, 'get', path, p).expect(403);
  });
});

describe('State and profiles are separate', () => {
  test('a state and an activity profile with the same ids do not collide', async () => {
    const act = activityId();
    const ag = agent();
    await call(t.app, t.auth, 'put', '/activities/state', { activityId: act, agent: ag, stateId: 'same' }).send({ s: 1 }).expect(204);
    await call(t.app, t.auth, 'put', '/activities/profile', { activityId: act, profileId: 'same' }).send({ p: 1 }).expect(204);
    await call(t.app, t.auth, 'put', '/agents/profile', { agent: ag, profileId: 'same' }).send({ g: 1 }).expect(204);
    expect((await call(t.app, t.auth, 'get', '/activities/state', { activityId: act, agent: ag, stateId: 'same' })).body).toEqual({ s: 1 });
    expect((await call(t.app, t.auth, 'get', '/activities/profile', { activityId: act, profileId: 'same' })).body).toEqual({ p: 1 });
    expect((await call(t.app, t.auth, 'get', '/agents/profile', { agent: ag, profileId: 'same' })).body).toEqual({ g: 1 });
  });

  test('State honours preconditions when they are sent', async () => {
    const p = { activityId: activityId(), agent: agent(), stateId: 's' };
    await call(t.app, t.auth, 'post', '/activities/state', p).send({ a: 1 }).expect(204);
    await call(t.app, t.auth, 'put', '/activities/state', p).set('If-Match', '"1111111111111111111111111111111111111111"').send({ b: 1 }).expect(412);
    await call(t.app, t.auth, 'put', '/activities/state', p).set('If-None-Match', '*').send({ b: 1 }).expect(412);
    await call(t.app, t.auth, 'delete', '/activities/state', p).set('If-Match', '"1234"').expect(412);
    expect((await call(t.app, t.auth, 'get', '/activities/state', p)).body).toEqual({ a: 1 });
  });
});
