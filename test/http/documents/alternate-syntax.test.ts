import request from 'supertest';
import type { TestApp } from '../../helpers/test-app';
import { activityId, agent, documentsTestApp } from './helpers';

let t: TestApp;
beforeAll(async () => { t = await documentsTestApp(); });
afterAll(async () => { await t.close(); });

const form = (fields: Record<string, unknown>): string =>
  new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();

/** A POST in the alternate syntax; `headers` go in the real HTTP header, the rest in the form. */
function alt(path: string, method: string, fields: Record<string, unknown>, headers: Record<string, string> = {}): request.Test {
  return request(t.app)
    .post(`/xapi${path}?method=${method}`)
    .set('Content-Type', 'application/x-www-form-urlencoded')
    .set(headers)
    .send(form(fields));
}

describe('alternate request syntax (1.0.3)', () => {
  test('PUT, GET, POST, HEAD and DELETE of a state document, headers in the form', async () => {
    const params = { activityId: activityId(), agent: agent(), stateId: 'alt' };
    const hdr = { Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' };
    await alt('/activities/state', 'PUT', { ...params, ...hdr, 'Content-Type': 'application/json', content: '{"a":1}' }).expect(204);
    await alt('/activities/state', 'POST', { ...params, ...hdr, 'Content-Type': 'application/json', content: '{"b":"ü"}' }).expect(204);
    const get = await alt('/activities/state', 'GET', { ...params, ...hdr }).expect(200);
    expect(JSON.parse(get.text)).toEqual({ a: 1, b: 'ü' });
    expect(get.headers['etag']).toMatch(/^"[0-9a-f]{40}"$/);
    expect(get.headers['x-experience-api-version']).toBe('1.0.3');
    const head = await alt('/activities/state', 'HEAD', { ...params, ...hdr }).expect(200);
    expect(head.text).toBe('');
    expect(head.headers['etag']).toBe(get.headers['etag']);
    await alt('/activities/state', 'DELETE', { ...params, ...hdr }).expect(204);
    await alt('/activities/state', 'GET', { ...params, ...hdr }).expect(404);
  });

  test('If-Match in the form is honoured; real headers work too', async () => {
    const params = { activityId: activityId(), profileId: 'alt-profile' };
    const hdr = { Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' };
    await alt('/activities/profile', 'PUT', { ...params, content: '{"v":1}', 'If-None-Match': '*' }, hdr).expect(204);
    await alt('/activities/profile', 'PUT', { ...params, content: '{"v":2}' }, hdr).expect(409);
    await alt('/activities/profile', 'PUT', { ...params, content: '{"v":2}', 'If-Match': '"1234"' }, hdr).expect(412);
    const etag = (await alt('/activities/profile', 'GET', params, hdr)).headers['etag']!;
    await alt('/activities/profile', 'PUT', { ...params, content: '{"v":3}', 'If-Match': etag }, hdr).expect(204);
    expect(JSON.parse((await alt('/activities/profile', 'GET', params, hdr)).text)).toEqual({ v: 3 });
  });

  test('content without a Content-Type field is taken as JSON; other types are kept', async () => {
    const params = { activityId: activityId(), agent: agent(), stateId: 'typed' };
    const hdr = { Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' };
    await alt('/activities/state', 'PUT', { ...params, content: '{"x":1}' }, hdr).expect(204);
    expect((await alt('/activities/state', 'GET', params, hdr)).headers['content-type']).toMatch(/^application\/json/);
    await alt('/activities/state', 'PUT', { ...params, content: 'plain words', 'Content-Type': 'text/plain' }, hdr).expect(204);
    const got = await alt('/activities/state', 'GET', params, hdr);
    expect(got.headers['content-type']).toBe('text/plain');
    expect(got.text).toBe('plain words');
  });

  test('a form field wins over the real header of the same name (issue 11: the form parameters are the headers)', async () => {
    const params = { activityId: activityId(), agent: agent(), stateId: 'v' };
    const real = { Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' };
    // An unsupported form version is the request's version: 400, nothing stored.
    await alt('/activities/state', 'PUT', { ...params, 'X-Experience-API-Version': '0.8', content: '{}' }, real).expect(400);
    await alt('/activities/state', 'GET', params, real).expect(404);
    // Credentials in the form replace valid real ones.
    await alt('/activities/state', 'GET', { ...params, Authorization: 'Basic Zm9vOmJhcg==' }, real).expect(401);
    // If-Match in the form replaces the real one: a stale real tag does not block a right form tag.
    await alt('/activities/state', 'PUT', { ...params, content: '{"a":1}' }, real).expect(204);
    const etag = (await alt('/activities/state', 'GET', params, real)).headers['etag']!;
    await alt('/activities/state', 'PUT', { ...params, content: '{"a":2}', 'If-Match': etag }, { ...real, 'If-Match': '"0000000000000000000000000000000000000000"' }).expect(204);
    await alt('/activities/state', 'PUT', { ...params, content: '{"a":3}', 'If-Match': '"0000000000000000000000000000000000000000"' }, { ...real, 'If-Match': etag }).expect(412);
  });

  test.each([
    ['another query parameter beside method', (): request.Test => request(t.app).post('/xapi/activities/state?method=PUT&stateId=x').set('Content-Type', 'application/x-www-form-urlencoded').send(form({ content: '{}', Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' }))],
    ['a method that is not POST', (): request.Test => request(t.app).get('/xapi/activities/state?method=POST').set({ Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' })],
    ['an unknown method', (): request.Test => alt('/activities/state', 'PATCH', { Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' })],
    ['a PUT without content', (): request.Test => alt('/activities/state', 'PUT', { activityId: activityId(), agent: agent(), stateId: 's', Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' })],
    ['a body that is not a form', (): request.Test => request(t.app).post('/xapi/activities/state?method=PUT').set({ Authorization: t.auth, 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/x-www-form-urlencoded' }).send(JSON.stringify({ content: '{}' }))],
    ['a JSON body', (): request.Test => request(t.app).post('/xapi/activities/state?method=PUT').set({ Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' }).send({ content: '{}' })],
    ['an unknown resource parameter in the form', (): request.Test => alt('/activities/state', 'GET', { activityId: activityId(), agent: agent(), stateId: 's', happy: 'day', Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' })],
  ])('%s is 400', async (_n, make) => {
    const res = await make();
    expect(res.status).toBe(400);
  });

  test('credentials in the form are checked like a header', async () => {
    const params = { activityId: activityId(), agent: agent(), stateId: 's' };
    await alt('/activities/state', 'GET', { ...params, Authorization: 'Basic Zm9vOmJhcg==', 'X-Experience-API-Version': '1.0.3' }).expect(401);
  });

  test('a POST with a form content type but no method is an ordinary POST', async () => {
    const params = new URLSearchParams({ activityId: activityId(), agent: JSON.stringify(agent()), stateId: 'plain-post' });
    await request(t.app).post(`/xapi/activities/state?${params.toString()}`).set({ Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' }).send('1').expect(204);
  });
});

describe('alternate request syntax reaches the Statement resource too (1.0.3)', () => {
  const hdr = (): Record<string, string> => ({ Authorization: t.auth, 'X-Experience-API-Version': '1.0.3' });
  const statement = { actor: { mbox: 'mailto:alt@example.com' }, verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' }, object: { id: 'http://example.com/alt' } };

  test('PUT a statement with statementId and content in the form, then GET it back the same way', async () => {
    const id = '5d3c4b2a-1f0e-4d9c-8b7a-6a5b4c3d2e1f';
    await alt('/statements', 'PUT', { statementId: id, content: statement }, hdr()).expect(204);
    const res = await alt('/statements', 'GET', { statementId: id }, hdr()).expect(200);
    expect(JSON.parse(res.text).id).toBe(id);
  });

  test('GET with a limit in the form returns a StatementResult', async () => {
    const res = await alt('/statements', 'GET', { limit: '1' }, hdr()).expect(200);
    const body = JSON.parse(res.text) as { statements: unknown[]; more: string };
    expect(Array.isArray(body.statements)).toBe(true);
    expect(typeof body.more).toBe('string');
  });
});

describe('alternate request syntax under 2.0.0', () => {
  test('is refused with 400 whether the version comes in the header or the form', async () => {
    const params = { activityId: activityId(), agent: agent(), stateId: 's2' };
    const inHeader = await alt('/activities/state', 'PUT', { ...params, content: '{}' }, { Authorization: t.auth, 'X-Experience-API-Version': '2.0.0' });
    expect(inHeader.status).toBe(400);
    expect(inHeader.body.message).toMatch(/not part of xAPI 2.0/);
    expect(inHeader.headers['x-experience-api-version']).toBe('2.0.0');
    const inForm = await alt('/activities/state', 'GET', { ...params, Authorization: t.auth, 'X-Experience-API-Version': '2.0.0' });
    expect(inForm.status).toBe(400);
    // Nothing was written.
    const check = await request(t.app).get(`/xapi/activities/state?${new URLSearchParams({ ...params, agent: JSON.stringify(params.agent) }).toString()}`).set({ Authorization: t.auth, 'X-Experience-API-Version': '2.0.0' });
    expect(check.status).toBe(404);
  });

  test('statements too (method=GET)', async () => {
    const res = await request(t.app).post('/xapi/statements?method=GET').set({ Authorization: t.auth, 'X-Experience-API-Version': '2.0.0', 'Content-Type': 'application/x-www-form-urlencoded' }).send('limit=1');
    expect(res.status).toBe(400);
  });
});
