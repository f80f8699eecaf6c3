/**
 * Issue 11 item 15: deeply nested JSON is a 400 naming its path at the edge (statements through
 * the fast lane and the router, documents, the form of the alternate syntax, every JSON body of
 * the app), never a 500 from a recursion overflowing the stack; nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { MAX_JSON_DEPTH } from '../../../src/http/json-depth';
import { createWorld, stmt, type World } from './fixture';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w.close();
});

/** `depth` arrays nested in each other, as JSON text (built as text: no recursion in the test either). */
const nestedArrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** `depth` objects nested through the key "a". */
const nestedObjects = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const EXT = 'http://example.com/ext/deep';

/** A statement whose result extension holds `inner` (raw JSON text), as the request body text. */
function statementWith(inner: string, id = randomUUID()): string {
  const s = stmt({ objectType: 'Agent', mbox: `mailto:${randomUUID()}@example.org` });
  return JSON.stringify({ ...s, id, result: { extensions: { [EXT]: '__INNER__' } } }).replace('"__INNER__"', inner);
}

const getOne = (id: string) =>
  request(w.app).get('/xapi/statements').query({ statementId: id }).set('Authorization', w.creds.site).set('X-Experience-API-Version', '2.0.0');

describe('statements', () => {
  it('answers a 3,000-deep array in an extension with 400 naming the path (fast lane, POST and PUT)', async () => {
    const id = randomUUID();
    const post = await request(w.app).post('/xapi/statements').set('Authorization', w.creds.site).set('X-Experience-API-Version', '2.0.0')
      .set('Content-Type', 'application/json').send(statementWith(nestedArrays(3000), id));
    expect(post.status).toBe(400);
    expect(post.body.error).toBe('bad_request');
    expect(post.body.message).toMatch(new RegExp(`^statement\\.result\\.extensions\\["http://example\\.com/ext/deep"\\](\\[0\\]){${MAX_JSON_DEPTH - 3}}: JSON nested deeper than ${MAX_JSON_DEPTH} levels`));
    const put = await request(w.app).put('/xapi/statements').query({ statementId: id }).set('Authorization', w.creds.site)
      .set('X-Experience-API-Version', '2.0.0').set('Content-Type', 'application/json').send(statementWith(nestedArrays(3000), id));
    expect(put.status).toBe(400);
    expect((await getOne(id)).status).toBe(404);
  });

  it('names the batch index in a POSTed array, and refuses through the router (multipart) and the alternate syntax too', async () => {
    const id = randomUUID();
    const batch = `[${statementWith('1')},${statementWith(nestedObjects(5000), id)}]`;
    const res = await request(w.app).post('/xapi/statements').set('Authorization', w.creds.site).set('X-Experience-API-Version', '2.0.0')
      .set('Content-Type', 'application/json').send(batch);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^statements\[1\]\.result\.extensions\["http:\/\/example\.com\/ext\/deep"\]\.a\.a/);

    const boundary = 'deep-boundary';
    const multipart = `--${boundary}\r\nContent-Type: application/json\r\n\r\n${statementWith(nestedArrays(3000), id)}\r\n--${boundary}--\r\n`;
    const viaRouter = await request(w.app).post('/xapi/statements').set('Authorization', w.creds.site).set('X-Experience-API-Version', '2.0.0')
      .set('Content-Type', `multipart/mixed; boundary=${boundary}`).send(multipart);
    expect(viaRouter.status).toBe(400);
    expect(viaRouter.body.message).toMatch(/nested deeper than/);

    const form = new URLSearchParams({ statementId: id, content: statementWith(nestedArrays(3000), id), Authorization: w.creds.site, 'X-Experience-API-Version': '1.0.3' });
    const alt = await request(w.app).post('/xapi/statements?method=PUT').set('Content-Type', 'application/x-www-form-urlencoded').send(form.toString());
    expect(alt.status).toBe(400);
    expect(alt.body.message).toMatch(/nested deeper than/);
    expect((await getOne(id)).status).toBe(404);
  });

  it('accepts real content: an extension nested to just inside the limit', async () => {
    // The statement itself adds three levels (statement, result, extensions).
    const res = await request(w.app).post('/xapi/statements').set('Authorization', w.creds.site).set('X-Experience-API-Version', '2.0.0')
      .set('Content-Type', 'application/json').send(statementWith(nestedArrays(MAX_JSON_DEPTH - 3)));
    expect(res.status).toBe(200);
    expect((await getOne((res.body as string[])[0]!)).status).toBe(200);
  });

  it('refuses a deep agent parameter with 400', async () => {
    // 1,000 levels: deep enough, and still inside the URL length a server accepts.
    const agent = `{"mbox":"mailto:x@example.org","name":${nestedArrays(1000)}}`;
    const res = await request(w.app).get('/xapi/agents').query({ agent }).set('Authorization', w.creds.site).set('X-Experience-API-Version', '2.0.0');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^agent\.name(\[0\])+: JSON nested deeper/);
  });
});

describe('documents', () => {
  const state = (stateId: string) => ({ activityId: 'http://example.com/act/deep', agent: JSON.stringify({ mbox: 'mailto:deep@example.org' }), stateId });
  const send = (method: 'put' | 'post', stateId: string, body: string) =>
    request(w.app)[method]('/xapi/activities/state').query(state(stateId)).set('Authorization', w.creds.site)
      .set('X-Experience-API-Version', '2.0.0').set('Content-Type', 'application/json').send(body);
  const read = (stateId: string) =>
    request(w.app).get('/xapi/activities/state').query(state(stateId)).set('Authorization', w.creds.site).set('X-Experience-API-Version', '2.0.0');

  it('answers a State POST merge of 50,000 nested objects with 400, leaving the stored document as it was', async () => {
    expect((await send('put', 'merge', '{"kept":1}')).status).toBe(204);
    const res = await send('post', 'merge', `{"deep":${nestedObjects(50_000)}}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^content\.deep(\.a)+: JSON nested deeper than/);
    expect((await read('merge')).body).toEqual({ kept: 1 });
    expect((await send('put', 'fresh', nestedArrays(3000))).status).toBe(400);
    expect((await read('fresh')).status).toBe(404);
  });

  it('refuses to merge into a too-deep document stored before the bound existed (400, not 500)', async () => {
    const key = { kind: 'state' as const, activityId: 'http://example.com/act/deep', agentKey: 'mbox:mailto:deep@example.org', registration: '', docId: 'legacy' };
    const content = Buffer.from(`{"old":${nestedObjects(20_000)}}`);
    await w.store.documents.upsertDocument({ key, content, contentType: 'application/json', etag: '"legacy"', updated: new Date().toISOString() }, undefined);
    const res = await send('post', 'legacy', '{"b":2}');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/stored document nests deeper than .* replace it with PUT/);
  });

  it('keeps a deep body under a non-JSON content type as opaque bytes (it is never parsed)', async () => {
    const res = await request(w.app).put('/xapi/activities/state').query(state('opaque')).set('Authorization', w.creds.site)
      .set('X-Experience-API-Version', '2.0.0').set('Content-Type', 'application/octet-stream').send(Buffer.from(nestedArrays(3000)));
    expect(res.status).toBe(204);
  });
});

describe('every other JSON body of the app', () => {
  it('answers 400 naming the path on the accounts API, the courses API and the runtime API, before anything else runs', async () => {
    const deep = `{"email":"x@example.org","password":${nestedArrays(3000)}}`;
    const signIn = await request(w.app).post('/api/session').set('Content-Type', 'application/json').send(deep);
    expect(signIn.status).toBe(400);
    expect(signIn.body.message).toMatch(/^body\.password(\[0\])+: JSON nested deeper than/);
    const s = await w.session(w.people.authorA);
    const patch = await request(w.app).patch(`/api/courses/${randomUUID()}`).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf)
      .set('Content-Type', 'application/json').send(`{"title":${nestedObjects(3000)}}`);
    expect(patch.status).toBe(400);
    const commit = await request(w.app).post(`/api/runtime/sessions/${randomUUID()}/commits`).set('Content-Type', 'application/json')
      .send(`{"scoId":"s","seq":1,"cmi":${nestedObjects(3000)}}`);
    expect(commit.status).toBe(400);
    expect(commit.body.message).toMatch(/^body\.cmi(\.a)+: JSON nested deeper than/);
  });
});
