/**
 * Issue 11 items 2 and 5: voiding and statement ids across organizations. A credential of
 * organization A may void only statements it can read, and an id that B used answers exactly the
 * same whatever A sends with it, so neither tells A anything about B's records.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createWorld, postStatements, queryIds, stmt, type World } from './fixture';

const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';
let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w.close();
});

const V = '2.0.0';
const outsider = () => ({ objectType: 'Agent', mbox: `mailto:${randomUUID()}@elsewhere.example` });
const voiding = (target: string) => stmt(outsider(), { verb: VOIDED, object: { objectType: 'StatementRef', id: target } });
const post = (auth: string, body: unknown) =>
  request(w.app).post('/xapi/statements').set('Authorization', auth).set('X-Experience-API-Version', V).send(body as object);
const put = (auth: string, body: Record<string, unknown>) =>
  request(w.app).put('/xapi/statements').query({ statementId: String(body['id']) }).set('Authorization', auth).set('X-Experience-API-Version', V).send(body);
const getOne = (auth: string, id: string, voided = false) =>
  request(w.app).get('/xapi/statements').query(voided ? { voidedStatementId: id } : { statementId: id }).set('Authorization', auth).set('X-Experience-API-Version', V);
/** A 404 message with the statement id taken out, to compare answers about different ids. */
const shape = (res: request.Response, id: string) => ({ status: res.status, body: JSON.stringify(res.body).split(id).join('<id>') });

describe('voiding across organizations (item 2)', () => {
  it('refuses to void another organization\'s statement with 404, and leaves it unvoided', async () => {
    const [ofB] = await postStatements(w.app, w.creds.orgB, [stmt(outsider())]);
    const res = await post(w.creds.orgA, [voiding(ofB!)]);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'not_found' });
    expect((await getOne(w.creds.orgB, ofB!)).status).toBe(200);
    expect((await getOne(w.creds.orgB, ofB!, true)).status).toBe(404);
    expect((await getOne(w.creds.site, ofB!)).status).toBe(200);
  });

  it('answers an unknown target and another organization\'s target alike (no existence oracle)', async () => {
    const [ofB] = await postStatements(w.app, w.creds.orgB, [stmt(outsider())]);
    const unknown = randomUUID();
    const hidden = await post(w.creds.orgA, [voiding(ofB!)]);
    const missing = await post(w.creds.orgA, [voiding(unknown)]);
    expect(shape(hidden, ofB!)).toEqual(shape(missing, unknown));
  });

  it('refuses the whole batch: nothing of it is stored, the other statements included', async () => {
    const [ofB] = await postStatements(w.app, w.creds.orgB, [stmt(outsider())]);
    const fine = stmt(outsider());
    const res = await post(w.creds.orgA, [fine, voiding(ofB!)]);
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/^statements\[1\]\.object\.id/);
    expect((await getOne(w.creds.site, fine['id'] as string)).status).toBe(404);
    expect((await getOne(w.creds.site, ofB!)).status).toBe(200);
  });

  it('refuses a PUT of a voiding statement too, and a write-only credential of A as much as an `all` one', async () => {
    const [ofB] = await postStatements(w.app, w.creds.orgB, [stmt(outsider())]);
    const writeOnlyA = await w.credential(['statements/write'], w.orgA.id);
    expect((await put(w.creds.orgA, voiding(ofB!))).status).toBe(404);
    expect((await post(writeOnlyA, [voiding(ofB!)])).status).toBe(404);
    expect((await getOne(w.creds.site, ofB!)).status).toBe(200);
  });

  it('still voids what the credential can read: its own statements, one in the same batch, and site credentials void anything', async () => {
    const [ofA] = await postStatements(w.app, w.creds.orgA, [stmt(outsider())]);
    expect((await post(w.creds.orgA, [voiding(ofA!)])).status).toBe(200);
    expect((await getOne(w.creds.orgA, ofA!, true)).status).toBe(200);

    const inBatch = stmt(outsider());
    expect((await post(w.creds.orgA, [inBatch, voiding(inBatch['id'] as string)])).status).toBe(200);
    expect((await getOne(w.creds.orgA, inBatch['id'] as string, true)).status).toBe(200);

    const [ofB] = await postStatements(w.app, w.creds.orgB, [stmt(outsider())]);
    expect((await post(w.creds.site, [voiding(ofB!)])).status).toBe(200);
    expect((await getOne(w.creds.orgB, ofB!, true)).status).toBe(200);
    // Site credentials keep the spec's behaviour for a target that is not (yet) stored.
    expect((await post(w.creds.site, [voiding(randomUUID())])).status).toBe(200);
  });
});

describe('statement ids another organization used (item 5)', () => {
  it('answers a PUT of B\'s id with the same 409 whether the content is equal or not', async () => {
    const mine = stmt(outsider());
    await postStatements(w.app, w.creds.orgB, [mine]);
    const same = await put(w.creds.orgA, mine);
    const different = await put(w.creds.orgA, { ...mine, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } });
    expect(same.status).toBe(409);
    expect(different.status).toBe(409);
    expect(same.body).toEqual(different.body);
    expect(same.body.message).toMatch(/not available/);
    expect(same.body.message).not.toMatch(/different content/);
    // The owner keeps the spec's behaviour: equal content is a no-op, different content 409.
    expect((await put(w.creds.orgB, mine)).status).toBe(204);
    expect((await put(w.creds.orgB, { ...mine, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } })).body.message).toMatch(/different content/);
  });

  it('refuses a POST batch that reuses B\'s id, storing none of it; the statement of B is unchanged', async () => {
    const ofB = stmt(outsider());
    await postStatements(w.app, w.creds.orgB, [ofB]);
    const fresh = stmt(outsider());
    const res = await post(w.creds.orgA, [fresh, { ...ofB, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } }]);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/^statements\[1\]\.id: .*not available/);
    expect((await getOne(w.creds.site, fresh['id'] as string)).status).toBe(404);
    expect(((await getOne(w.creds.orgB, ofB['id'] as string)).body as { verb: { id: string } }).verb.id).toBe('http://adlnet.gov/expapi/verbs/experienced');
    // A's queries never show it.
    expect((await queryIds(w.app, w.creds.orgA, { verb: 'http://adlnet.gov/expapi/verbs/failed' })).ids).not.toContain(ofB['id']);
  });

  it('answers the same when the batch also voids (the path that reads ids before storing)', async () => {
    const ofB = stmt(outsider());
    await postStatements(w.app, w.creds.orgB, [ofB]);
    const [ofA] = await postStatements(w.app, w.creds.orgA, [stmt(outsider())]);
    const res = await post(w.creds.orgA, [voiding(ofA!), ofB]);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/^statements\[1\]\.id: .*not available/);
    expect((await getOne(w.creds.orgA, ofA!)).status).toBe(200);
  });
});
