/**
 * Issue 11 item 20: with xAPI 1.0.3, a PUT to the Agent Profile or Activity Profile resource without
 * If-Match or If-None-Match is 400 even when the document does not exist yet (ADL's position that
 * the LRS enforces the client's MUST of Communication 3.1); 2.0.0 keeps creating it. An existing
 * document still answers 409, and State is not concerned.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp, type TestApp } from '../../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const agent = () => JSON.stringify({ objectType: 'Agent', mbox: `mailto:${randomUUID()}@example.org` });
const resources: [string, string, () => Record<string, string>][] = [
  ['Agent Profile', '/xapi/agents/profile', () => ({ agent: agent(), profileId: randomUUID() })],
  ['Activity Profile', '/xapi/activities/profile', () => ({ activityId: `http://example.com/act/${randomUUID()}`, profileId: randomUUID() })],
];
const put = (path: string, q: Record<string, string>, version: string, headers: Record<string, string> = {}) =>
  request(t.app).put(path).query(q).set('Authorization', t.auth).set('X-Experience-API-Version', version).set(headers).set('Content-Type', 'application/json').send('{"v":1}');
const get = (path: string, q: Record<string, string>) =>
  request(t.app).get(path).query(q).set('Authorization', t.auth).set('X-Experience-API-Version', '1.0.3');

describe.each(resources)('%s', (_name, path, params) => {
  it('1.0.3: a PUT without If-Match or If-None-Match of an absent document is 400 and creates nothing', async () => {
    const q = params();
    const res = await put(path, q, '1.0.3');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/If-Match or If-None-Match/);
    expect((await get(path, q)).status).toBe(404);
  });

  it('1.0.3: If-None-Match: * creates it; then a PUT without a header is 409 and If-Match replaces it', async () => {
    const q = params();
    expect((await put(path, q, '1.0.3', { 'If-None-Match': '*' })).status).toBe(204);
    expect((await put(path, q, '1.0.3')).status).toBe(409);
    const etag = (await get(path, q)).headers['etag'] as string;
    expect((await put(path, q, '1.0.3', { 'If-Match': etag })).status).toBe(204);
  });

  it('2.0.0: a PUT without a precondition still creates an absent document (today\'s behaviour)', async () => {
    const q = params();
    expect((await put(path, q, '2.0.0')).status).toBe(204);
    expect((await get(path, q)).status).toBe(200);
    expect((await put(path, q, '2.0.0')).status).toBe(409);
  });
});

it('1.0.3: State is not concerned (ADR 0002: State needs no precondition)', async () => {
  const q = { activityId: 'http://example.com/act/state', agent: agent(), stateId: 's' };
  const res = await request(t.app).put('/xapi/activities/state').query(q).set('Authorization', t.auth).set('X-Experience-API-Version', '1.0.3')
    .set('Content-Type', 'application/json').send('{}');
  expect(res.status).toBe(204);
});

it('1.0.3: a POST to a profile (a merge) needs no precondition', async () => {
  const q = { agent: agent(), profileId: randomUUID() };
  const res = await request(t.app).post('/xapi/agents/profile').query(q).set('Authorization', t.auth).set('X-Experience-API-Version', '1.0.3')
    .set('Content-Type', 'application/json').send('{"a":1}');
  expect(res.status).toBe(204);
});
