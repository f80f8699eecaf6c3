/**
 * Conformance: the alternate request syntax (xAPI 1.0.3 Communication 1.3), which xAPI 2.0
 * removed, as the ADL conformance suite exercises it for each version.
 */
import request from 'supertest';
import type { TestApp } from '../../helpers/test-app';
import { BASE, getStatements, headers, openApp, qs, statement, store, uuid } from './support';

let t: TestApp;
beforeAll(async () => {
  t = await openApp();
  await store(t, statement(), '1.0.3');
  await store(t, statement(), '1.0.3');
});
afterAll(async () => { await t.close(); });

const FORM = 'application/x-www-form-urlencoded';

describe('xAPI 1.0.3: the LRS supports the alternate request syntax (Communication 1.3)', () => {
  it('1.3: POST ?method=GET with a form (limit=1) is 200 with statements and more', async () => {
    const res = await request(t.app).post(`${BASE}/statements?method=GET`).set(headers(t, '1.0.3')).type('form').send('limit=1');
    expect(res.status).toBe(200);
    expect(res.body).toHaveProperty('statements');
    expect(res.body).toHaveProperty('more');
    expect(res.body.statements).toHaveLength(1);
  });

  it('1.3: the alternate syntax sent as GET (GET ?method=POST) is 400', async () => {
    const form = qs({ 'X-Experience-API-Version': '1.0.3', 'Content-Type': 'application/json', content: JSON.stringify(statement()) });
    const res = await request(t.app).get(`${BASE}/statements?method=POST`).set(headers(t, '1.0.3')).send(form);
    expect(res.status).toBe(400);
  });

  it('1.3: POST ?method=PUT with form statementId and content is 204 and stores the statement', async () => {
    const id = uuid();
    const res = await request(t.app).post(`${BASE}/statements?method=PUT`).set(headers(t, '1.0.3')).send(qs({ statementId: id, content: statement() }));
    expect(res.status).toBe(204);
    expect((await getStatements(t, `statementId=${id}`, '1.0.3')).status).toBe(200);
  });

  // ADL's v1_0_3 suite (Communication 1.3.s3.b7) sends a form version 0.8 beside a real 1.0.3
  // header and expects 400: the form parameters are the headers. (An earlier copy of that test
  // expected 204; the current one, and the ADL reference LRS, take the form's value.)
  it('1.3: a form X-Experience-API-Version (0.8) is the request\'s version, over the real header: 400, nothing stored', async () => {
    const id = uuid();
    const res = await request(t.app).post(`${BASE}/statements?method=PUT`).set(headers(t, '1.0.3'))
      .send(qs({ statementId: id, 'X-Experience-API-Version': '0.8', content: statement() }));
    expect(res.status).toBe(400);
    expect((await getStatements(t, `statementId=${id}`, '1.0.3')).status).toBe(404);
  });

  it('1.3: any query parameter besides method is 400 (statementId must travel in the form)', async () => {
    const id = uuid();
    const res = await request(t.app).post(`${BASE}/statements?method=PUT&statementId=${id}`).set(headers(t, '1.0.3'))
      .send(qs({ statementId: id, content: statement() }));
    expect(res.status).toBe(400);
  });

  it('1.3: Authorization and X-Experience-API-Version carried only in the form are used as headers (204)', async () => {
    const res = await request(t.app).post(`${BASE}/statements?method=PUT`).set('Content-Type', FORM)
      .send(new URLSearchParams({ statementId: uuid(), content: JSON.stringify(statement()), 'X-Experience-API-Version': '1.0.3', Authorization: t.auth }).toString());
    expect(res.status).toBe(204);
  });

  it('1.3: POST ?method=PUT without a body is 400', async () => {
    const res = await request(t.app).post(`${BASE}/statements?method=PUT`).set(headers(t, '1.0.3'));
    expect(res.status).toBe(400);
  });

  it('1.3: a form Content-Type with a JSON body (not url-encoded) is 400', async () => {
    const body = JSON.stringify({ statementId: uuid(), content: JSON.stringify(statement()), 'X-Experience-API-Version': '1.0.3', Authorization: t.auth });
    const res = await request(t.app).post(`${BASE}/statements?method=PUT`).set('Content-Type', FORM).send(body);
    expect(res.status).toBe(400);
  });

  it('1.3: an unknown method value is 400', async () => {
    const res = await request(t.app).post(`${BASE}/statements?method=PATCH`).set(headers(t, '1.0.3')).type('form').send('limit=1');
    expect(res.status).toBe(400);
  });

  it('1.3: the syntax also reaches the document resources (PUT then GET a state)', async () => {
    const agent = JSON.stringify({ mbox: `mailto:${uuid()}@example.org` });
    const stateId = uuid();
    const activityId = 'http://example.org/alt/activity';
    const put = await request(t.app).post(`${BASE}/activities/state?method=PUT`).set(headers(t, '1.0.3'))
      .send(new URLSearchParams({ activityId, agent, stateId, content: JSON.stringify({ a: 1 }), 'Content-Type': 'application/json' }).toString());
    expect(put.status).toBe(204);
    const get = await request(t.app).post(`${BASE}/activities/state?method=GET`).set(headers(t, '1.0.3'))
      .send(new URLSearchParams({ activityId, agent, stateId }).toString());
    expect(get.status).toBe(200);
    expect(get.body).toEqual({ a: 1 });
  });
});

describe('xAPI 2.0: the alternate request syntax is rejected (removed from the 2.0 specification)', () => {
  it('2.0: POST with a method query parameter (GET) is 4xx', async () => {
    const res = await request(t.app).post(`${BASE}/statements?method=GET`).set(headers(t, '2.0.0'));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('2.0: PUT with a method query parameter (POST) is 4xx', async () => {
    const res = await request(t.app).put(`${BASE}/statements?method=POST`).set(headers(t, '2.0.0'));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('2.0: POST ?method=PUT with a valid form is 4xx and stores nothing', async () => {
    const id = uuid();
    const res = await request(t.app).post(`${BASE}/statements?method=PUT`).set(headers(t, '2.0.0'))
      .send(qs({ statementId: id, content: statement() }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await getStatements(t, `statementId=${id}`)).status).toBe(404);
  });

  it('2.0: a form that names version 2.0.0 (no real headers) is 4xx', async () => {
    const res = await request(t.app).post(`${BASE}/statements?method=PUT`).set('Content-Type', FORM)
      .send(new URLSearchParams({ statementId: uuid(), content: JSON.stringify(statement()), 'X-Experience-API-Version': '2.0.0', Authorization: t.auth }).toString());
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('2.0: a form-encoded POST without a method parameter is not the alternate syntax (statement POST with a form type is 400)', async () => {
    const res = await request(t.app).post(`${BASE}/statements`).set(headers(t, '2.0.0')).send('abc');
    expect(res.status).toBe(400);
  });
});
