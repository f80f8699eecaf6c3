/**
 * Issue 11 item 21: classes a lenient validator accepts, checked against the spec text. An IRI's
 * scheme is case-insensitive (RFC 3986 3.1), so "MAILTO:" is a mailto IRI and upper-case schemes
 * and hosts are valid IRIs; empty contextActivities and (in 2.0.0) empty Language Maps break no
 * requirement. What the spec forbids stays refused: spaces in an IRI.
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

const VERSIONS = ['1.0.3', '2.0.0'] as const;
const base = () => ({
  id: randomUUID(),
  actor: { objectType: 'Agent', mbox: `mailto:${randomUUID()}@example.org` },
  verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-US': 'attended' } },
  object: { objectType: 'Activity', id: `http://example.com/act/${randomUUID()}` },
});
const post = (version: string, body: unknown) =>
  request(t.app).post('/xapi/statements').set('Authorization', t.auth).set('X-Experience-API-Version', version).send(body as object);

describe.each(VERSIONS)('xAPI %s', (version) => {
  it('accepts IRIs with an upper-case scheme or host, the mbox scheme included, and keys the agent case-insensitively', async () => {
    const email = `${randomUUID()}@Example.ORG`;
    const s = {
      ...base(),
      actor: { objectType: 'Agent', mbox: `MAILTO:${email}` },
      verb: { id: 'HTTP://ADLNET.GOV/expapi/verbs/attended' },
      object: { objectType: 'Activity', id: `HTTPS://EXAMPLE.COM/act/${randomUUID()}`, definition: { type: 'Http://Example.com/Type' } },
      result: { extensions: { 'HTTP://EXAMPLE.COM/ext': 1 } },
    };
    const res = await post(version, s);
    expect(res.status).toBe(200);
    const found = await request(t.app).get('/xapi/statements').query({ agent: JSON.stringify({ mbox: `mailto:${email.toLowerCase()}` }) })
      .set('Authorization', t.auth).set('X-Experience-API-Version', version);
    expect((found.body as { statements: { id: string }[] }).statements.map((x) => x.id)).toEqual([s.id]);
    // The agent parameter of the document resources takes it too.
    const doc = await request(t.app).put('/xapi/activities/state')
      .query({ activityId: 'http://example.com/act/x', agent: JSON.stringify({ mbox: `MAILTO:${email}` }), stateId: 's' })
      .set('Authorization', t.auth).set('X-Experience-API-Version', version).set('Content-Type', 'application/json').send('{}');
    expect(doc.status).toBe(204);
  });

  it('accepts an empty contextActivities object and empty context activity arrays (Data 2.4.6.2 requires no key)', async () => {
    expect((await post(version, { ...base(), context: { contextActivities: {} } })).status).toBe(200);
    expect((await post(version, { ...base(), context: { contextActivities: { parent: [], other: [] } } })).status).toBe(200);
  });

  it('keeps refusing what the spec forbids: spaces in IRIs, a mailto without an address, an unknown context type', async () => {
    expect((await post(version, { ...base(), object: { id: 'http://example.com/act ' } })).status).toBe(400);
    expect((await post(version, { ...base(), verb: { id: ' http://adlnet.gov/expapi/verbs/attended' } })).status).toBe(400);
    expect((await post(version, { ...base(), actor: { mbox: 'MAILTO:no-address' } })).status).toBe(400);
    expect((await post(version, { ...base(), actor: { mbox: 'mailto:a@example.org ' } })).status).toBe(400);
    expect((await post(version, { ...base(), context: { contextActivities: { parents: [] } } })).status).toBe(400);
  });
});

it('accepts an empty Language Map in 2.0.0 only: the spec sets no minimum, ADL\'s 1.0.3 suite asks for one entry', async () => {
  const s = () => ({ ...base(), verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display: {} } });
  expect((await post('2.0.0', s())).status).toBe(200);
  expect((await post('1.0.3', s())).status).toBe(400);
});
