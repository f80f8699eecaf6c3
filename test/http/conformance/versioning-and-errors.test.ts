/**
 * Conformance: About resource, versioning (Communication 3.3), authentication (Communication 4)
 * and error codes (Communication 3.2), as the ADL conformance suite exercises them.
 */
import request from 'supertest';
import type { TestApp } from '../../helpers/test-app';
import { BASE, getStatements, headers, openApp, postStatements, qs, statement, uuid } from './support';

let t: TestApp;
beforeAll(async () => { t = await openApp(); });
afterAll(async () => { await t.close(); });

describe('About resource (Communication 2.8)', () => {
  it('2.8: GET /about without a version header or credentials answers 200', async () => {
    const res = await request(t.app).get(`${BASE}/about`);
    expect(res.status).toBe(200);
  });

  it('2.8: about.version is an array of strings that lists 2.0.0 and 1.0.3', async () => {
    const res = await request(t.app).get(`${BASE}/about`);
    expect(Array.isArray(res.body.version)).toBe(true);
    expect(res.body.version).toEqual(expect.arrayContaining(['2.0.0', '1.0.3']));
  });

  it('2.8: about.version only holds 0.9, 0.95, 1.0.0-1.0.3 or 2.0.0', async () => {
    const res = await request(t.app).get(`${BASE}/about`);
    const valid = ['0.9', '0.95', '1.0.0', '1.0.1', '1.0.2', '1.0.3', '2.0.0'];
    for (const v of res.body.version as string[]) expect(valid).toContain(v);
  });

  it('2.8: about.extensions, when present, is an object', async () => {
    const res = await request(t.app).get(`${BASE}/about`);
    if (res.body.extensions !== undefined) expect(typeof res.body.extensions).toBe('object');
  });
});

describe('Versioning (Communication 3.3)', () => {
  const resources = ['/statements', '/activities', '/activities/profile', '/activities/state', '/agents', '/agents/profile'];

  it.each(resources)('3.3: GET %s without X-Experience-API-Version is 400 and names version 2.0.0', async (path) => {
    const res = await request(t.app).get(`${BASE}${path}`).set('Authorization', t.auth);
    expect(res.status).toBe(400);
    expect(res.headers['x-experience-api-version']).toBe('2.0.0');
  });

  it('3.3: POST /statements without X-Experience-API-Version is 400', async () => {
    const res = await request(t.app).post(`${BASE}/statements`).set('Authorization', t.auth).send(statement());
    expect(res.status).toBe(400);
    expect(res.headers['x-experience-api-version']).toMatch(/^2\.0\.0$/);
  });

  it('3.3: PUT /statements without X-Experience-API-Version is 400', async () => {
    const res = await request(t.app).put(`${BASE}/statements?statementId=${uuid()}`).set('Authorization', t.auth).send(statement());
    expect(res.status).toBe(400);
    expect(res.headers['x-experience-api-version']).toMatch(/^2\.0\.0$/);
  });

  it('3.3: a request with neither version header nor credentials is 400 (version is checked before auth)', async () => {
    const get = await request(t.app).get(`${BASE}/statements?statementId=${uuid()}`);
    expect(get.status).toBe(400);
    const post = await request(t.app).post(`${BASE}/statements`).send(statement());
    expect(post.status).toBe(400);
    const put = await request(t.app).put(`${BASE}/statements?statementId=${uuid()}`).send(statement());
    expect(put.status).toBe(400);
  });

  it('3.3: an unsupported version value (0.8) is 400', async () => {
    const res = await request(t.app).get(`${BASE}/statements`).set({ 'X-Experience-API-Version': '0.8', Authorization: t.auth });
    expect(res.status).toBe(400);
  });

  it('3.3: a 1.0.3 request is answered with X-Experience-API-Version: 1.0.3', async () => {
    const id = uuid();
    expect((await postStatements(t, statement({ id }), '1.0.3')).status).toBe(200);
    const res = await getStatements(t, `statementId=${id}`, '1.0.3');
    expect(res.status).toBe(200);
    expect(res.headers['x-experience-api-version']).toBe('1.0.3');
  });

  it('3.3: a 2.0.0 request is answered with X-Experience-API-Version: 2.0.0', async () => {
    const id = uuid();
    expect((await postStatements(t, statement({ id }))).status).toBe(200);
    const res = await getStatements(t, `statementId=${id}`);
    expect(res.headers['x-experience-api-version']).toBe('2.0.0');
  });

  it('3.3: an older 1.0.x patch (1.0.2) is accepted and answered as 1.0.3', async () => {
    const res = await request(t.app).get(`${BASE}/statements?limit=1`).set({ 'X-Experience-API-Version': '1.0.2', Authorization: t.auth });
    expect(res.status).toBe(200);
    expect(res.headers['x-experience-api-version']).toBe('1.0.3');
  });

  it('3.3: statements are returned unmodified (actor, verb, object deep-equal what was sent)', async () => {
    const s = statement({ id: uuid() });
    expect((await postStatements(t, s)).status).toBe(200);
    const res = await getStatements(t, `statementId=${s['id'] as string}`);
    expect(res.body.actor).toEqual(s['actor']);
    expect(res.body.verb).toEqual(s['verb']);
    expect(res.body.object).toEqual(s['object']);
  });
});

describe('Authentication (Communication 4)', () => {
  it('4: unknown Basic credentials are 401', async () => {
    const res = await request(t.app).put(`${BASE}/statements?statementId=${uuid()}`)
      .set({ 'X-Experience-API-Version': '1.0.3', Authorization: `Basic ${Buffer.from('RobCIsNot:AUserOnThisLRS').toString('base64')}` })
      .send(statement());
    expect(res.status).toBe(401);
  });

  it('4: a malformed Authorization header ("Basic:<b64>") is 401', async () => {
    const res = await request(t.app).put(`${BASE}/statements?statementId=${uuid()}`)
      .set({ 'X-Experience-API-Version': '1.0.3', Authorization: `Basic:${Buffer.from('a:b').toString('base64')}` })
      .send(statement());
    expect(res.status).toBe(401);
  });

  it('4: a request with a version header but no credentials is 401', async () => {
    const res = await request(t.app).get(`${BASE}/statements`).set('X-Experience-API-Version', '2.0.0');
    expect(res.status).toBe(401);
  });

  it('4: HTTP Basic with valid credentials works (PUT is 204)', async () => {
    const res = await request(t.app).put(`${BASE}/statements?statementId=${uuid()}`).set(headers(t, '1.0.3')).send(statement());
    expect(res.status).toBe(204);
  });
});

describe('Error codes (Communication 3.2)', () => {
  it('3.2: an unrecognised query parameter (foo=bar) is 400', async () => {
    expect((await getStatements(t, 'foo=bar')).status).toBe(400);
  });

  it('3.2 / 2.1.3: a 400 on GET /statements (LIMIT=1) still carries X-Experience-API-Consistent-Through', async () => {
    const res = await getStatements(t, 'LIMIT=1');
    expect(res.status).toBe(400);
    expect(res.headers['x-experience-api-consistent-through']).toBeTruthy();
  });

  const wrongCase: [string, unknown][] = [
    ['StatementId', uuid()],
    ['VoidedStatementId', uuid()],
    ['Agent', { objectType: 'Agent', mbox: 'mailto:someone@example.org' }],
    ['Verb', 'http://adlnet.gov/expapi/verbs/attended'],
    ['Activity', 'http://www.example.com/meetings/occurances/34534'],
    ['Registration', 'ec531277-b57b-4c15-8d91-d292c5b2b8f7'],
    ['Related_Activities', true],
    ['Related_Agents', true],
    ['Since', '2012-06-01T19:09:13.245Z'],
    ['Until', '2012-06-01T19:09:13.245Z'],
    ['Limit', 10],
    ['Format', 'ids'],
    ['Attachments', true],
    ['Ascending', true],
  ];
  it.each(wrongCase)('3.2: parameter names are case-sensitive: GET /statements?%s=… is 400', async (name, value) => {
    expect((await getStatements(t, qs({ [name]: value }))).status).toBe(400);
  });

  it('3.2: PUT /statements?StatementId=… (wrong case) is 400', async () => {
    const id = uuid();
    const res = await request(t.app).put(`${BASE}/statements?StatementId=${id}`).set(headers(t)).send(statement({ id }));
    expect(res.status).toBe(400);
  });

  it('3.2: a batch with one invalid statement is refused with 400 and nothing of it is stored', async () => {
    const good = statement({ id: uuid() });
    const bad = statement({ id: uuid(), verb: { id: 'should fail' } });
    expect((await postStatements(t, [good, bad])).status).toBe(400);
    expect((await getStatements(t, `statementId=${good['id'] as string}`)).status).toBe(404);
  });

  it('2.1.2: a batch that uses one statement id twice is 400', async () => {
    const id = uuid();
    const s = statement({ id });
    expect((await postStatements(t, [s, { ...s }])).status).toBe(400);
  });

  it('Data 2.2: a statement with a property the spec does not define is 400', async () => {
    expect((await postStatements(t, statement({ dummy: 'dummy' }))).status).toBe(400);
  });

  it('3.2: an unknown path under the LRS is 404, not 500', async () => {
    const res = await request(t.app).get(`${BASE}/nothing-here`).set(headers(t));
    expect(res.status).toBe(404);
  });
});
