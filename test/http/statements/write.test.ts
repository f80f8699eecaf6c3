import type { RequestListener } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp, type TestApp } from '../../helpers/test-app';
import { client, makeStatement, V1, V2 } from './fixtures';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('PUT /statements (Communication 2.1.1)', () => {
  test('stores with 204 and the statement is retrievable with LRS-filled properties', async () => {
    const id = randomUUID();
    const res = await client(t.app, t.auth).put(id, { ...makeStatement(), id });
    expect(res.status).toBe(204);
    expect(res.headers['x-experience-api-version']).toBe('2.0.0');
    const got = await client(t.app, t.auth).get({ statementId: id });
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(id);
    expect(typeof got.body.stored).toBe('string');
    expect(typeof got.body.timestamp).toBe('string');
    expect(got.body.version).toBe('2.0.0');
    expect(got.body.authority.account.homePage).toBe('http://learnhq.test');
  });

  test('takes the id from statementId when the body has none', async () => {
    const id = randomUUID();
    expect((await client(t.app, t.auth).put(id, makeStatement())).status).toBe(204);
    expect((await client(t.app, t.auth).get({ statementId: id })).body.id).toBe(id);
  });

  test('400 without statementId, with a bad one, or when the body id differs', async () => {
    const c = client(t.app, t.auth);
    const noId = await request(t.app).put('/xapi/statements').set(V2).set('Authorization', t.auth).send(makeStatement());
    expect(noId.status).toBe(400);
    expect(noId.body.message).toMatch(/statementId/);
    expect((await c.put('not-a-uuid', makeStatement())).status).toBe(400);
    const mismatch = await c.put(randomUUID(), { ...makeStatement(), id: randomUUID() });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.message).toMatch(/does not match/);
  });

  test('same id and same content again: 204, one copy; different content: 409, the original kept', async () => {
    const c = client(t.app, t.auth);
    const id = randomUUID();
    const s = { ...makeStatement(), id };
    expect((await c.put(id, s)).status).toBe(204);
    expect((await c.put(id, s)).status).toBe(204);
    const changed = { ...s, verb: { id: 'http://example.com/verbs/other' } };
    const conflict = await c.put(id, changed);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toBe('conflict');
    const got = await c.get({ statementId: id });
    expect(got.body.verb.id).toBe('http://adlnet.gov/expapi/verbs/experienced');
  });
});

describe('POST /statements (Communication 2.1.2)', () => {
  test('one statement: 200 with an array of one id', async () => {
    const res = await client(t.app, t.auth).post(makeStatement());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('a batch: ids in order, given ids kept (lower-cased)', async () => {
    const given = randomUUID().toUpperCase();
    const res = await client(t.app, t.auth).post([makeStatement(), { ...makeStatement(), id: given }, makeStatement()]);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(3);
    expect(res.body[1]).toBe(given.toLowerCase());
  });

  test('an invalid statement rejects the whole batch with a message naming the property', async () => {
    const before = await t.store.statements.countStatements();
    const bad = { ...makeStatement(), verb: { display: { 'en-US': 'x' } } };
    const res = await client(t.app, t.auth).post([makeStatement(), bad]);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/statements\[1\]\.verb/);
    expect(await t.store.statements.countStatements()).toBe(before);
  });

  test('a batch repeating a stored id with different content is refused whole (409)', async () => {
    const id = randomUUID();
    await client(t.app, t.auth).post({ ...makeStatement(), id });
    const before = await t.store.statements.countStatements();
    const res = await client(t.app, t.auth).post([makeStatement(), { ...makeStatement(), id }]);
    expect(res.status).toBe(409);
    expect(await t.store.statements.countStatements()).toBe(before);
  });

  test('resending a stored statement in a batch is accepted without a second copy', async () => {
    const s = { ...makeStatement(), id: randomUUID() };
    await client(t.app, t.auth).post(s);
    const before = await t.store.statements.countStatements();
    const res = await client(t.app, t.auth).post([s, makeStatement()]);
    expect(res.status).toBe(200);
    expect(res.body[0]).toBe(s.id);
    expect(await t.store.statements.countStatements()).toBe(before + 1);
  });

  test('malformed JSON, a non-object body, wrong or missing Content-Type', async () => {
    const base = () => request(t.app).post('/xapi/statements').set(V2).set('Authorization', t.auth);
    const bad = await base().set('Content-Type', 'application/json').send('{"actor":');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/not valid JSON/);
    expect((await base().set('Content-Type', 'application/json').send('42')).status).toBe(400);
    expect((await base().set('Content-Type', 'text/plain').send(JSON.stringify(makeStatement()))).status).toBe(400);
  });

  test('query parameters are refused on POST', async () => {
    const res = await request(t.app).post('/xapi/statements?verb=x').set(V2).set('Authorization', t.auth).send(makeStatement());
    expect(res.status).toBe(400);
  });

  test('2.0.0 converts timestamps to UTC and truncates durations; a 1.0.3 caller gets version 1.0.0 by default', async () => {
    const s = makeStatement({ timestamp: '2024-05-01T12:00:00.123+02:00', result: { duration: 'PT1.23456S' } });
    const [id] = (await client(t.app, t.auth).post(s)).body as string[];
    const got = (await client(t.app, t.auth).get({ statementId: id! })).body;
    expect(got.timestamp).toBe('2024-05-01T10:00:00.123Z');
    expect(got.result.duration).toBe('PT1.23S');
    const [id1] = (await client(t.app, t.auth, V1).post(makeStatement())).body as string[];
    expect((await client(t.app, t.auth, V1).get({ statementId: id1! })).body.version).toBe('1.0.0');
  });

  test('a too large body gives 413', async () => {
    const small = await createTestApp({ config: { maxStatementBytes: 1024 } });
    try {
      const s = makeStatement({ result: { response: 'x'.repeat(2000) } });
      expect((await client(small.app, small.auth).post(s)).status).toBe(413);
    } finally {
      await small.close();
    }
  });
});

describe('headers, authentication, scopes (Communication 3, 4)', () => {
  test('the version header is required and echoed on errors too', async () => {
    const res = await request(t.app).post('/xapi/statements').set('Authorization', t.auth).send(makeStatement());
    expect(res.status).toBe(400);
    expect(res.headers['x-experience-api-version']).toBeDefined();
    const bad = await client(t.app, t.auth).post({ nope: true });
    expect(bad.status).toBe(400);
    expect(bad.headers['x-experience-api-version']).toBe('2.0.0');
  });

  test('401 with WWW-Authenticate without or with wrong credentials', async () => {
    const none = await request(t.app).get('/xapi/statements').set(V2);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    const wrong = await request(t.app).get('/xapi/statements').set(V2).set('Authorization', `Basic ${Buffer.from('x:y').toString('base64')}`);
    expect(wrong.status).toBe(401);
  });

  test('statements/write cannot read; statements/read cannot write (403)', async () => {
    const writer = await t.credential(['statements/write']);
    const reader = await t.credential(['statements/read']);
    expect((await client(t.app, writer).post(makeStatement())).status).toBe(200);
    expect((await client(t.app, writer).get()).status).toBe(403);
    expect((await client(t.app, reader).post(makeStatement())).status).toBe(403);
    expect((await client(t.app, reader).get()).status).toBe(200);
  });

  test('CORS preflight is answered without auth or version', async () => {
    const res = await request(t.app).options('/xapi/statements').set('Origin', 'http://content.example').set('Access-Control-Request-Method', 'POST');
    expect(res.status).toBe(204);
    // Any origin, never with credentials (issue 11): xAPI clients send Authorization themselves.
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  test('other methods get 405', async () => {
    const res = await request(t.app).delete('/xapi/statements').set(V2).set('Authorization', t.auth);
    expect(res.status).toBe(405);
  });
});
