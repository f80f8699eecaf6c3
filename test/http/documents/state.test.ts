import type { RequestListener } from 'node:http';
import { createHash } from 'node:crypto';
import type { TestApp } from '../../helpers/test-app';
import { activityId, agent, binaryParser, call, documentsTestApp, V1 } from './helpers';

let t: TestApp;
beforeAll(async () => { t = await documentsTestApp(); });
afterAll(async () => { await t.close(); });

const PATH = '/activities/state';
const state = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ activityId: activityId(), agent: agent(), stateId: `s-${Math.random()}`, ...over });
const sha1 = (b: Buffer | string): string => createHash('sha1').update(b).digest('hex');

describe('State resource: single documents', () => {
  test('PUT stores any bytes; GET returns them with Content-Type, quoted SHA-1 ETag and Last-Modified', async () => {
    const p = state();
    const bytes = Buffer.from([0, 1, 2, 200, 255, 13, 10]);
    const put = await call(t.app, t.auth, 'put', PATH, p).set('Content-Type', 'application/octet-stream').send(bytes);
    expect(put.status).toBe(204);
    const get = await call(t.app, t.auth, 'get', PATH, p).buffer(true).parse(binaryParser);
    expect(get.status).toBe(200);
    expect(Buffer.compare(get.body as Buffer, bytes)).toBe(0);
    expect(get.headers['content-type']).toBe('application/octet-stream');
    expect(get.headers['etag']).toBe(`"${sha1(bytes)}"`);
    expect(Number.isNaN(Date.parse(get.headers['last-modified'] ?? ''))).toBe(false);
    expect(get.headers['x-experience-api-version']).toBe('2.0.0');
  });

  test('JSON documents come back equal, with their content type', async () => {
    const p = state();
    const doc = { name: 'x', location: { name: 'y' }, 'ü': '日本' };
    await call(t.app, t.auth, 'put', PATH, p).send(doc).expect(204);
    const get = await call(t.app, t.auth, 'get', PATH, p).expect(200);
    expect(get.body).toEqual(doc);
    expect(get.headers['content-type']).toMatch(/^application\/json/);
  });

  test('HEAD answers like GET without a body', async () => {
    const p = state();
    await call(t.app, t.auth, 'put', PATH, p).send({ a: 1 }).expect(204);
    const head = await call(t.app, t.auth, 'head', PATH, p);
    expect(head.status).toBe(200);
    expect(head.headers['etag']).toBe(`"${sha1('{"a":1}')}"`);
    expect(head.text ?? '').toBe('');
    const missing = await call(t.app, t.auth, 'head', PATH, state());
    expect(missing.status).toBe(404);
    const list = await call(t.app, t.auth, 'head', PATH, { ...p, stateId: undefined });
    expect(list.status).toBe(200);
  });

  test('GET of a missing document is 404', async () => {
    const res = await call(t.app, t.auth, 'get', PATH, state());
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/stateId/);
  });

  test('PUT replaces without preconditions (State is exempt from 409)', async () => {
    const p = state();
    await call(t.app, t.auth, 'put', PATH, p).send({ a: 1 }).expect(204);
    await call(t.app, t.auth, 'put', PATH, p).send({ b: 2 }).expect(204);
    expect((await call(t.app, t.auth, 'get', PATH, p)).body).toEqual({ b: 2 });
  });

  test('registration keeps documents apart', async () => {
    const p = state();
    const reg = 'AAAAAAAA-1111-4222-8333-444444444444';
    await call(t.app, t.auth, 'put', PATH, p).send({ none: true }).expect(204);
    await call(t.app, t.auth, 'put', PATH, { ...p, registration: reg }).send({ reg: true }).expect(204);
    expect((await call(t.app, t.auth, 'get', PATH, p)).body).toEqual({ none: true });
    // A registration matches whatever the case of its hex digits.
    expect((await call(t.app, t.auth, 'get', PATH, { ...p, registration: reg.toLowerCase() })).body).toEqual({ reg: true });
  });

  test('the same agent given with other JSON formatting addresses the same document', async () => {
    const p = state({ agent: { objectType: 'Agent', mbox: 'mailto:Someone@Example.com' } });
    await call(t.app, t.auth, 'put', PATH, p).send({ a: 1 }).expect(204);
    const other = { ...p, agent: { mbox: 'mailto:Someone@Example.com', objectType: 'Agent' } };
    expect((await call(t.app, t.auth, 'get', PATH, other)).body).toEqual({ a: 1 });
  });

  test('DELETE one document', async () => {
    const p = state();
    await call(t.app, t.auth, 'put', PATH, p).send({ a: 1 }).expect(204);
    await call(t.app, t.auth, 'delete', PATH, p).expect(204);
    await call(t.app, t.auth, 'get', PATH, p).expect(404);
    // Deleting what is not there is still 204.
    await call(t.app, t.auth, 'delete', PATH, p).expect(204);
  });
});

describe('State resource: POST merge', () => {
  test('POST creates when absent, then merges top-level properties', async () => {
    const p = state();
    await call(t.app, t.auth, 'post', PATH, p).send({ car: { make: 'Ford' }, driver: 'Dale' }).expect(204);
    await call(t.app, t.auth, 'post', PATH, p).send({ car: { model: 'Ram' }, series: 'x' }).expect(204);
    expect((await call(t.app, t.auth, 'get', PATH, p)).body).toEqual({ car: { model: 'Ram' }, driver: 'Dale', series: 'x' });
  });

  test('POST of a non-JSON document creates it when absent (any content accepted)', async () => {
    for (const body of ['1', 'true']) {
      const p = state();
      await call(t.app, t.auth, 'post', PATH, p).send(body).expect(204);
      const get = await call(t.app, t.auth, 'get', PATH, p);
      expect(get.text).toBe(body);
    }
  });

  test('POST is 400 and changes nothing when either side is not a JSON object', async () => {
    const p = state();
    await call(t.app, t.auth, 'post', PATH, p).send({ a: 1 }).expect(204);
    const r1 = await call(t.app, t.auth, 'post', PATH, p).send('abc');
    expect(r1.status).toBe(400);
    await call(t.app, t.auth, 'post', PATH, p).set('Content-Type', 'application/json').send('[1,2]').expect(400);
    expect((await call(t.app, t.auth, 'get', PATH, p)).body).toEqual({ a: 1 });

    const q = state();
    await call(t.app, t.auth, 'put', PATH, q).set('Content-Type', 'text/plain').send('plain').expect(204);
    const r2 = await call(t.app, t.auth, 'post', PATH, q).send({ a: 1 });
    expect(r2.status).toBe(400);
    expect(r2.body.message).toMatch(/stored document/);
    expect((await call(t.app, t.auth, 'get', PATH, q)).text).toBe('plain');
  });

  test('a body declared application/json must be JSON', async () => {
    await call(t.app, t.auth, 'put', PATH, state()).set('Content-Type', 'application/json').send('{not json').expect(400);
  });
});

describe('State resource: lists and bulk delete', () => {
  test('GET without stateId lists ids of every registration, filtered by registration and since', async () => {
    const base = { activityId: activityId(), agent: agent() };
    const reg = '0b6e1a3c-5f0a-4a4e-9d7e-2b1b1b1b1b1b';
    const at = async (stateId: string, extra: Record<string, unknown> = {}): Promise<void> => {
      await call(t.app, t.auth, 'put', PATH, { ...base, stateId, ...extra }).send({ id: stateId }).expect(204);
    };
    await at('b');
    await at('a');
    await at('c', { registration: reg });

    expect((await call(t.app, t.auth, 'get', PATH, base)).body).toEqual(['a', 'b', 'c']);
    expect((await call(t.app, t.auth, 'get', PATH, { ...base, registration: reg })).body).toEqual(['c']);
    const since = await call(t.app, t.auth, 'get', PATH, { ...base, since: '2000-01-01T00:00:00Z' });
    expect(since.body).toEqual(['a', 'b', 'c']);
    const future = await call(t.app, t.auth, 'get', PATH, { ...base, since: '2999-01-01T00:00:00Z' });
    expect(future.body).toEqual([]);
  });

  test('a list carries Last-Modified of its newest document, and none when it is empty', async () => {
    const base = { activityId: activityId(), agent: agent() };
    await call(t.app, t.auth, 'put', PATH, { ...base, stateId: 'first' }).send({}).expect(204);
    await new Promise((r) => setTimeout(r, 1100));
    await call(t.app, t.auth, 'put', PATH, { ...base, stateId: 'second' }).send({}).expect(204);
    const newest = (await call(t.app, t.auth, 'get', PATH, { ...base, stateId: 'second' })).headers['last-modified'];
    const oldest = (await call(t.app, t.auth, 'get', PATH, { ...base, stateId: 'first' })).headers['last-modified'];
    expect(newest).toBeDefined();
    expect(newest).not.toBe(oldest);
    const list = await call(t.app, t.auth, 'get', PATH, base);
    expect(list.body).toEqual(['first', 'second']);
    expect(list.headers['last-modified']).toBe(newest);
    const empty = await call(t.app, t.auth, 'get', PATH, { ...base, since: '2999-01-01T00:00:00Z' });
    expect(empty.body).toEqual([]);
    expect(empty.headers['last-modified']).toBeUndefined();
  });

  test('since is exclusive and compares instants, not strings', async () => {
    const base = { activityId: activityId(), agent: agent() };
    await call(t.app, t.auth, 'put', PATH, { ...base, stateId: 'one' }).send({}).expect(204);
    const get = await call(t.app, t.auth, 'get', PATH, { ...base, stateId: 'one' });
    const updated = Date.parse(get.headers['last-modified'] ?? '');
    // Last-Modified has whole seconds; one second earlier written with an offset is still before.
    const before = new Date(updated - 1000).toISOString().replace('Z', '+00:00');
    expect((await call(t.app, t.auth, 'get', PATH, { ...base, since: before })).body).toEqual(['one']);
  });

  test('DELETE without stateId deletes the whole context, or one registration', async () => {
    const base = { activityId: activityId(), agent: agent() };
    const reg = '1b6e1a3c-5f0a-4a4e-9d7e-2b1b1b1b1b1b';
    await call(t.app, t.auth, 'put', PATH, { ...base, stateId: 'x' }).send({}).expect(204);
    await call(t.app, t.auth, 'put', PATH, { ...base, stateId: 'y', registration: reg }).send({}).expect(204);
    await call(t.app, t.auth, 'put', PATH, { ...base, stateId: 'z', registration: reg }).send({}).expect(204);
    const other = { activityId: base.activityId, agent: agent() };
    await call(t.app, t.auth, 'put', PATH, { ...other, stateId: 'keep' }).send({}).expect(204);

    await call(t.app, t.auth, 'delete', PATH, { ...base, registration: reg }).expect(204);
    expect((await call(t.app, t.auth, 'get', PATH, base)).body).toEqual(['x']);
    await call(t.app, t.auth, 'delete', PATH, base).expect(204);
    expect((await call(t.app, t.auth, 'get', PATH, base)).body).toEqual([]);
    expect((await call(t.app, t.auth, 'get', PATH, other)).body).toEqual(['keep']);
  });
});

describe('State resource: parameters', () => {
  const doc = { a: 1 };
  test.each([
    ['missing activityId', { activityId: undefined }, /activityId: is required/],
    ['activityId not an IRI', { activityId: 'not an iri' }, /activityId: must be an absolute IRI/],
    ['activityId a number', { activityId: 1 }, /activityId/],
    ['missing agent', { agent: undefined }, /agent: is required/],
    ['agent not JSON', { agent: 'not JSON' }, /agent/],
    ['agent true', { agent: true }, /agent/],
    ['agent with two IFIs', { agent: { mbox: 'mailto:a@b.c', openid: 'http://x.y/z' } }, /agent/],
    ['registration not a UUID', { registration: 'not UUID' }, /registration: must be a UUID/],
    ['missing stateId', { stateId: undefined }, /stateId: is required/],
    ['unknown parameter', { foo: 'bar' }, /foo: is not a parameter/],
    ['parameter in the wrong case', { activityid: 'http://x.y/z' }, /case-sensitive/],
  ])('PUT and POST with %s are 400', async (_name, over, message) => {
    for (const m of ['put', 'post'] as const) {
      const res = await call(t.app, t.auth, m, '/activities/state', state(over)).send(doc);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    }
  });

  test.each([
    ['missing activityId', { activityId: undefined }],
    ['missing agent', { agent: undefined }],
    ['registration not a UUID', { registration: true }],
    ['since not a timestamp', { since: 'not a timestamp', stateId: undefined }],
    ['since with stateId still checked', { since: 'yesterday' }],
    ['a parameter given twice', {}],
  ])('GET with %s is 400', async (name, over) => {
    const req = call(t.app, t.auth, 'get', PATH, state(over));
    const res = name.includes('twice') ? await req.query('stateId=again') : await req;
    expect(res.status).toBe(400);
  });

  test('since is not a DELETE parameter', async () => {
    await call(t.app, t.auth, 'delete', PATH, state({ since: '2020-01-01T00:00:00Z' })).expect(400);
  });

  test('GET accepts since together with stateId (it is ignored there)', async () => {
    const p = state();
    await call(t.app, t.auth, 'put', PATH, p).send(doc).expect(204);
    await call(t.app, t.auth, 'get', PATH, { ...p, since: '2000-01-01T00:00:00Z' }).expect(200);
  });

  test('1.0.3 clients use the same resource', async () => {
    const p = state();
    await call(t.app, t.auth, 'put', PATH, p, V1).send(doc).expect(204);
    const res = await call(t.app, t.auth, 'get', PATH, p, V1).expect(200);
    expect(res.headers['x-experience-api-version']).toBe('1.0.3');
  });

  test('documents larger than the limit are 413', async () => {
    const big = Buffer.alloc(t.config.maxDocumentBytes + 1, 97);
    const res = await call(t.app, t.auth, 'put', PATH, state()).set('Content-Type', 'text/plain').send(big);
    expect(res.status).toBe(413);
  });
});

describe('State resource: scopes and auth', () => {
  test('the state scope allows it; statements/write does not', async () => {
    const stateCred = await t.credential(['state']);
    const p = state();
    await call(t.app, stateCred, 'put', PATH, p).send({ a: 1 }).expect(204);
    await call(t.app, stateCred, 'get', PATH, p).expect(200);
    const writer = await t.credential(['statements/write']);
    await call(t.app, writer, 'get', PATH, p).expect(403);
    await call(t.app, writer, 'put', PATH, p).send({ a: 2 }).expect(403);
    const reader = await t.credential(['all/read']);
    await call(t.app, reader, 'get', PATH, p).expect(200);
    await call(t.app, reader, 'delete', PATH, p).expect(403);
  });

  test('no credentials is 401', async () => {
    const res = await call(t.app, 'Basic Zm9vOmJhcg==', 'get', PATH, state());
    expect(res.status).toBe(401);
  });
});
