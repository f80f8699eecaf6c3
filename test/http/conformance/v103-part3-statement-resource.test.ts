/**
 * Conformance, Statement Resource part 3: requirements from the ADL suite's v1_0_3
 * non_templating.js (second half) and H.Communication2.1-StatementResource.js that the other
 * conformance files leave out: 405 before authentication, statementId types on PUT, repeated ids,
 * parameter conflicts on a voided id, Consistent-Through on a bare 400 and against stored,
 * request Content-Type headers on GET, MIME-Version on multipart, and round-trips of extensions.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from '../../helpers/test-app';
import {
  attachmentPart, BASE, BOUNDARY, getStatements, headers, jsonPart, mbox, multipart, openApp, postStatements,
  putStatement, qs, statement, store, uuid, voiding, type Json,
} from './support';

let t: TestApp;
beforeAll(async () => { t = await openApp(); });
afterAll(async () => { await t.close(); });

const V = '1.0.3' as const;

describe('405 Method Not Allowed comes before authentication (Communication 2, implicit; suite sends no Authorization)', () => {
  const agent = encodeURIComponent(JSON.stringify({ objectType: 'Agent', mbox: 'mailto:m405@example.org' }));
  const rows: [string, string][] = [
    ['DELETE /statements?statementId', `${BASE}/statements?statementId=${uuid()}`],
    ['DELETE /activities?activityId', `${BASE}/activities?activityId=http://www.example.com/meetings/occurances/34534`],
    ['DELETE /agents?agent', `${BASE}/agents?agent=${agent}`],
  ];
  it.each(rows)('%s with only X-Experience-API-Version 1.0.1 (no credentials) is 405', async (_n, url) => {
    const res = await request(t.app).delete(url).set('X-Experience-API-Version', '1.0.1');
    expect(res.status).toBe(405);
  });
});

describe('PUT statementId must be a UUID string (Communication 2.1.1 table row 1)', () => {
  it('2.1.1: PUT ?statementId=true is 400', async () => {
    const res = await request(t.app).put(`${BASE}/statements?statementId=true`).set(headers(t, V)).send({ ...statement(), id: true });
    expect(res.status).toBe(400);
  });
  it('2.1.1: PUT ?statementId=[object Object] is 400', async () => {
    const res = await request(t.app).put(`${BASE}/statements?statementId=[object Object]`).set(headers(t, V)).send({ ...statement(), id: { key: 'should fail' } });
    expect(res.status).toBe(400);
  });
  it('2.1.1: PUT with a statementId that differs from the body id is 400', async () => {
    const res = await putStatement(t, uuid(), { ...statement(), id: uuid() }, V);
    expect(res.status).toBe(400);
  });
});

describe('A statement id already stored (Communication 2.1.1.s2.b2, 2.1.2)', () => {
  it('2.1.1: POST then PUT of the identical statement answers 204 or 409', async () => {
    const s: Json & { id: string } = { ...statement(), id: uuid() };
    expect((await postStatements(t, s, V)).status).toBe(200);
    const res = await putStatement(t, s.id, s, V);
    expect([204, 409]).toContain(res.status);
  });

  it('2.1.2: PUT then POST of the identical statement is accepted (200 with the id) or 409 (spec: POST success is 200)', async () => {
    const s: Json & { id: string } = { ...statement(), id: uuid() };
    expect((await putStatement(t, s.id, s, V)).status).toBe(204);
    const res = await postStatements(t, s, V);
    expect([200, 409]).toContain(res.status);
    if (res.status === 200) expect(res.body).toEqual([s.id]);
  });

  it('2.1.1: a PUT with the same id and different content does not change the stored statement and is 409', async () => {
    const s: Json & { id: string } = { ...statement(), id: uuid() };
    expect((await postStatements(t, s, V)).status).toBe(200);
    const changed = { ...s, verb: { id: 'http://example.org/verbs/different' } };
    const res = await putStatement(t, s.id, changed, V);
    expect(res.status).toBe(409);
    const got = await getStatements(t, qs({ statementId: s.id }), V);
    expect((got.body as { verb: { id: string } }).verb.id).toBe((s.verb as { id: string }).id);
  });

  it('2.1.2: a POST with the same id and different content does not change the stored statement', async () => {
    const s: Json & { id: string } = { ...statement(), id: uuid() };
    expect((await putStatement(t, s.id, s, V)).status).toBe(204);
    const res = await postStatements(t, { ...s, verb: { id: 'http://example.org/verbs/different' } }, V);
    expect(res.status).toBe(409);
    const got = await getStatements(t, qs({ statementId: s.id }), V);
    expect((got.body as { verb: { id: string } }).verb.id).toBe((s.verb as { id: string }).id);
  });
});

describe('Parameter conflicts on a voided statement id (Communication 2.1.3 table, 2.1.4)', () => {
  let voidedId = '';
  beforeAll(async () => {
    voidedId = uuid();
    await store(t, { ...statement(), id: voidedId }, V);
    await store(t, voiding(voidedId), V);
  });
  const others: [string, () => Record<string, unknown>][] = [
    ['agent', () => ({ agent: { objectType: 'Agent', mbox: mbox() } })],
    ['verb', () => ({ verb: 'http://adlnet.gov/expapi/non/existent' })],
    ['activity', () => ({ activity: 'http://www.example.com/meetings/occurances/12345' })],
    ['registration', () => ({ registration: uuid() })],
    ['related_activities', () => ({ related_activities: true })],
    ['related_agents', () => ({ related_agents: true })],
    ['since', () => ({ since: '2012-06-01T19:09:13.245Z' })],
    ['until', () => ({ until: '2012-06-01T19:09:13.245Z' })],
    ['limit', () => ({ limit: 1 })],
    ['ascending', () => ({ ascending: true })],
  ];
  it.each(others)('2.1.3: statementId of a VOIDED statement together with %s is 400 (not 404)', async (_n, extra) => {
    const res = await getStatements(t, qs({ statementId: voidedId, ...extra() }), V);
    expect(res.status).toBe(400);
  });
  it.each(others)('2.1.3: voidedStatementId together with %s is 400', async (_n, extra) => {
    const res = await getStatements(t, qs({ voidedStatementId: voidedId, ...extra() }), V);
    expect(res.status).toBe(400);
  });
  it('2.1.3: statementId and voidedStatementId together is 400', async () => {
    const res = await getStatements(t, qs({ statementId: uuid(), voidedStatementId: voidedId }), V);
    expect(res.status).toBe(400);
  });
});

describe('X-Experience-API-Consistent-Through (Communication 2.1.3.s2)', () => {
  it('2.1.3: a GET /statements with no headers at all (400) still carries Consistent-Through', async () => {
    const res = await request(t.app).get(`${BASE}/statements`);
    expect(res.status).toBe(400);
    expect(res.headers['x-experience-api-consistent-through']).toBeTruthy();
  });

  it('2.1.3: a GET /statements with a version but no credentials (401) still carries Consistent-Through ("regardless of the code returned")', async () => {
    const res = await request(t.app).get(`${BASE}/statements`).set('X-Experience-API-Version', V);
    expect(res.status).toBe(401);
    expect(res.headers['x-experience-api-consistent-through']).toBeTruthy();
  });

  it('2.1.3: Consistent-Through is not before the stored value of any returned statement', async () => {
    await store(t, statement(), V);
    const res = await getStatements(t, '', V);
    const through = Date.parse(String(res.headers['x-experience-api-consistent-through']));
    expect(Number.isNaN(through)).toBe(false);
    for (const s of (res.body as { statements: { stored: string }[] }).statements) {
      expect(Date.parse(s.stored)).toBeLessThanOrEqual(through);
    }
  });

  const filters: [string, () => string][] = [
    ['agent', () => qs({ agent: { objectType: 'Agent', mbox: mbox() } })],
    ['related_activities alone', () => qs({ related_activities: true })],
    ['related_agents alone', () => qs({ related_agents: true })],
    ['attachments=true', () => qs({ attachments: true })],
    ['format=ids', () => qs({ format: 'ids' })],
  ];
  it.each(filters)('2.1.3: GET with %s carries an ISO 8601 Consistent-Through', async (_n, q) => {
    const res = await getStatements(t, q(), V);
    expect(res.status).toBe(200);
    const v = String(res.headers['x-experience-api-consistent-through']);
    expect(v).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  });
});

describe('GET ignores a request Content-Type (suite 4.1.11.a, 7.2.3.d/e)', () => {
  it('2.1.3: GET ?statementId&attachments=true with request Content-Type application/json is 200', async () => {
    const id = await store(t, statement(), V);
    const res = await getStatements(t, qs({ statementId: id, attachments: true }), V, { 'Content-Type': `application/json; boundary=${BOUNDARY}` });
    expect(res.status).toBe(200);
  });
  it('2.1.3: GET ?attachments=false with request Content-Type multipart/mixed is 200', async () => {
    const res = await getStatements(t, qs({ attachments: false }), V, { 'Content-Type': `multipart/mixed; boundary=${BOUNDARY}` });
    expect(res.status).toBe(200);
  });
  it('2.1.3: GET ?attachments=true with request Content-Type application/json; boundary=… is 200', async () => {
    const res = await getStatements(t, qs({ attachments: true }), V, { 'Content-Type': `application/json; boundary=${BOUNDARY}` });
    expect(res.status).toBe(200);
  });
});

describe('Multipart details (Communication 1.5.2)', () => {
  const content = 'here is a simple attachment';
  const sha2 = createHash('sha256').update(content).digest('hex');
  const withRaw = (): Json => statement({
    attachments: [{
      usageType: 'http://example.com/attachment-usage/test', display: { 'en-US': 'A test attachment' },
      contentType: 'text/plain; charset=ascii', length: Buffer.byteLength(content), sha2,
    }],
  });

  it('1.5.2: a multipart/mixed POST carrying a non-numeric MIME-Version header is still accepted (suite expects 200)', async () => {
    const res = await request(t.app).post(`${BASE}/statements`).set(headers(t, V))
      .set('Content-Type', `multipart/mixed; boundary=${BOUNDARY}`).set('MIME-Version', 'test')
      .send(multipart([jsonPart(withRaw()), attachmentPart(content, sha2)]));
    expect(res.status).toBe(200);
  });

  it('2.1.3 (XAPI-00161): GET ?statementId of a statement with a raw attachment and no attachments parameter is exactly application/json', async () => {
    const res = await request(t.app).post(`${BASE}/statements`).set(headers(t, V))
      .set('Content-Type', `multipart/mixed; boundary=${BOUNDARY}`)
      .send(multipart([jsonPart(withRaw()), attachmentPart(content, sha2)]));
    const id = (res.body as string[])[0]!;
    const got = await getStatements(t, qs({ statementId: id }), V);
    expect(got.status).toBe(200);
    // The suite compares with equal('application/json'): a charset parameter fails it.
    expect(got.headers['content-type']).toBe('application/json');
  });
});

describe('Round-trips (Data 4.1, Communication 2.1.3)', () => {
  it('Data 4.1: an object-valued extension in a SubStatement context comes back intact', async () => {
    const s = statement({
      object: {
        objectType: 'SubStatement',
        actor: { objectType: 'Agent', mbox: mbox() },
        verb: { id: 'http://example.org/verbs/sub' },
        object: { objectType: 'Activity', id: `http://example.org/act/${uuid()}` },
        context: { registration: uuid(), extensions: { 'http://example.com/ex': { key: 'valid' } } },
      },
    });
    const id = await store(t, s, V);
    const got = await getStatements(t, qs({ statementId: id }), V);
    expect((got.body as { object: { context: { extensions: Json } } }).object.context.extensions).toEqual({ 'http://example.com/ex': { key: 'valid' } });
  });

  it('Data 2.4 (4.1.12.d): the statement comes back with the same top-level keys (plus only id/authority/timestamp/stored/version)', async () => {
    const s = statement();
    const id = await store(t, s, V);
    const got = (await getStatements(t, qs({ statementId: id }), V)).body as Json;
    for (const k of ['id', 'authority', 'timestamp', 'stored', 'version']) delete got[k];
    expect(Object.keys(got).sort()).toEqual(Object.keys(s).sort());
  });

  it('Data 2.4.1: the LRS generates an id when none is sent (newest statement has one)', async () => {
    await store(t, statement(), V);
    const res = await getStatements(t, qs({ limit: 1 }), V);
    expect((res.body as { statements: { id?: string }[] }).statements[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('POST /statements with a form body and no method parameter (suite, non_templating 7.2.2.e)', () => {
  // The older non_templating.js posts .form({limit: 1}) without ?method=GET and expects a
  // StatementResult; Communication 1.3 only defines the form syntax together with "method".
  it('1.3: POST form "limit=1" without ?method is 400 (not a statement batch, not an alternate request)', async () => {
    const res = await request(t.app).post(`${BASE}/statements`).set(headers(t, V)).type('form').send('limit=1');
    expect(res.status).toBe(400);
  });
});
