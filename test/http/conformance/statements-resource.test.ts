/**
 * Conformance: the Statement Resource (Communication 2.1) and statement lifecycle rules (Data 2.3,
 * 2.4.7 timestamp, 2.4.8 stored, 2.5 retrieval), as the ADL conformance suite exercises them.
 */
import { resolve as resolveUrl } from 'node:url';
import request from 'supertest';
import type { TestApp } from '../../helpers/test-app';
import {
  BASE, contextStatement, getStatements, headers, openApp, postStatements, putStatement, qs, statement, store, uuid, voiding,
  type Json,
} from './support';

let t: TestApp;
beforeAll(async () => { t = await openApp(); });
afterAll(async () => { await t.close(); });

const ids = (res: { body: { statements: { id: string }[] } }): string[] => res.body.statements.map((s) => s.id);

describe('PUT and POST /statements (Communication 2.1.1, 2.1.2)', () => {
  it('2.1.2: POST of one statement is 200 with a JSON array of ids', async () => {
    const res = await postStatements(t, statement());
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body).toHaveLength(1);
  });

  it('2.1.2: POST of a batch returns every id in order', async () => {
    const a = uuid();
    const b = uuid();
    const res = await postStatements(t, [statement({ id: a }), statement({ id: b })]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([a, b]);
  });

  it('2.1.1: PUT with statementId is 204', async () => {
    const id = uuid();
    expect((await putStatement(t, id, statement({ id }))).status).toBe(204);
  });

  it('2.1.1: PUT with statementId and a body without id stores it under that id', async () => {
    const id = uuid();
    expect((await putStatement(t, id, statement())).status).toBe(204);
    expect((await getStatements(t, `statementId=${id}`)).body.id).toBe(id);
  });

  it('2.1.1: PUT without statementId is 400', async () => {
    const res = await request(t.app).put(`${BASE}/statements`).set(headers(t)).send(statement({ id: uuid() }));
    expect(res.status).toBe(400);
  });

  it('2.1.1: PUT whose statementId differs from the body id is 400', async () => {
    expect((await putStatement(t, uuid(), statement({ id: uuid() }))).status).toBe(400);
  });

  it('2.1.1: a second PUT of an existing id with different content does not modify the statement', async () => {
    const id = uuid();
    const s = statement({ id });
    expect((await putStatement(t, id, s)).status).toBe(204);
    await putStatement(t, id, { ...s, verb: { id: 'http://example.com/different/verb/iri' } });
    const got = await getStatements(t, `statementId=${id}`);
    expect(got.body.verb.id).toBe((s['verb'] as Json)['id']);
  });

  it('2.1.1: a second PUT of an existing id with different content is 409 Conflict', async () => {
    const id = uuid();
    const s = statement({ id });
    await putStatement(t, id, s);
    expect((await putStatement(t, id, { ...s, verb: { id: 'http://example.com/different/verb/iri' } })).status).toBe(409);
  });

  it('2.1.1: re-sending an identical statement with an existing id is accepted (204)', async () => {
    const id = uuid();
    const s = statement({ id });
    await putStatement(t, id, s);
    expect((await putStatement(t, id, s)).status).toBe(204);
  });

  it('2.1.2: a POST reusing an existing id with different content does not modify the statement', async () => {
    const id = uuid();
    const s = statement({ id });
    expect((await postStatements(t, s)).status).toBe(200);
    await postStatements(t, { ...s, verb: { id: 'http://example.com/different/verb/iri' } });
    const got = await getStatements(t, `statementId=${id}`);
    expect(got.body.verb.id).toBe((s['verb'] as Json)['id']);
  });
});

describe('GET /statements single statements (Communication 2.1.3)', () => {
  it('2.1.3: GET ?statementId returns 200 and that statement', async () => {
    const id = await store(t, statement({ id: uuid() }));
    const res = await getStatements(t, `statementId=${id}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id);
  });

  it('2.1.3: GET ?statementId of an unknown id is 404', async () => {
    expect((await getStatements(t, `statementId=${uuid()}`)).status).toBe(404);
  });

  it('2.1.3: a single statement carries a Last-Modified header equal to its stored time (to the second)', async () => {
    const id = await store(t, statement());
    const res = await getStatements(t, `statementId=${id}`);
    const lm = Date.parse(String(res.headers['last-modified']));
    const stored = Date.parse(res.body.stored as string);
    expect(Number.isNaN(lm)).toBe(false);
    expect(lm - (lm % 1000)).toBe(stored - (stored % 1000));
  });

  it('2.1.3: GET without statementId, with no attachments parameter, answers application/json', async () => {
    const id = await store(t, statement());
    const res = await getStatements(t, `statementId=${id}`);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  const notWithId: [string, unknown][] = [
    ['agent', { objectType: 'Agent', mbox: 'mailto:someone@example.org' }],
    ['verb', 'http://adlnet.gov/expapi/non/existent'],
    ['activity', 'http://www.example.com/meetings/occurances/12345'],
    ['registration', uuid()],
    ['related_activities', true],
    ['related_agents', true],
    ['since', '2012-06-01T19:09:13.245Z'],
    ['until', '2012-06-01T19:09:13.245Z'],
    ['limit', 1],
    ['ascending', true],
  ];
  it.each(notWithId)('2.1.3: statementId together with %s is 400', async (name, value) => {
    const id = await store(t, statement());
    expect((await getStatements(t, qs({ statementId: id, [name]: value }))).status).toBe(400);
  });

  it.each(notWithId)('2.1.3: voidedStatementId together with %s is 400', async (name, value) => {
    expect((await getStatements(t, qs({ voidedStatementId: uuid(), [name]: value }))).status).toBe(400);
  });

  it('2.1.3: statementId with format and with attachments is 200', async () => {
    const id = await store(t, statement());
    expect((await getStatements(t, qs({ statementId: id, format: 'ids' }))).status).toBe(200);
    expect((await getStatements(t, qs({ statementId: id, attachments: true }))).status).toBe(200);
  });
});

describe('Voiding (Data 2.3.2, Communication 2.1.4)', () => {
  let voidedId: string;
  let voidingId: string;
  beforeAll(async () => {
    voidedId = await store(t, statement({ id: uuid() }));
    voidingId = await store(t, voiding(voidedId, { id: uuid() }));
  });

  it('2.1.4: GET ?voidedStatementId of a voided statement is 200 with that statement', async () => {
    const res = await getStatements(t, `voidedStatementId=${voidedId}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(voidedId);
  });

  it('2.1.4: GET ?statementId of a voided statement is 404', async () => {
    expect((await getStatements(t, `statementId=${voidedId}`)).status).toBe(404);
  });

  it('2.1.4: GET ?voidedStatementId of a statement that is not voided is 404', async () => {
    expect((await getStatements(t, `voidedStatementId=${voidingId}`)).status).toBe(404);
  });

  it('2.1.4: voidedStatementId with format and attachments is 200', async () => {
    expect((await getStatements(t, qs({ voidedStatementId: voidedId, format: 'ids' }))).status).toBe(200);
    expect((await getStatements(t, qs({ voidedStatementId: voidedId, attachments: true }))).status).toBe(200);
  });

  it('Data 2.3.2: a voided statement is not in query results, but the voiding statement is', async () => {
    const res = await getStatements(t, 'limit=0');
    expect(ids(res)).not.toContain(voidedId);
    expect(ids(res)).toContain(voidingId);
  });

  it('Data 2.3.2: voiding a voiding statement is refused with 400', async () => {
    expect((await postStatements(t, voiding(voidingId))).status).toBe(400);
  });

  describe('statements that target a voided statement (Communication 2.1.4.s1.b2)', () => {
    const verb = `http://adlnet.gov/expapi/test/voided/target/${uuid()}`;
    const target = uuid();
    const voider = uuid();
    const referrer = uuid();
    let since = '';
    let until = '';
    beforeAll(async () => {
      since = new Date(Date.now() - 4000).toISOString();
      await store(t, statement({ id: target, verb: { id: verb, display: { 'en-US': 'target' } } }));
      await store(t, voiding(target, { id: voider }));
      await store(t, statement({ id: referrer, verb: { id: verb, display: { 'en-US': 'refers' } }, object: { objectType: 'StatementRef', id: target } }));
      until = new Date(Date.now() + 4000).toISOString();
    });

    it('2.1.4: filtering by the voided statement verb returns [the StatementRef statement, the voiding statement], newest first', async () => {
      const res = await getStatements(t, qs({ verb }));
      expect(ids(res)).toEqual([referrer, voider]);
    });

    it('2.1.4: the same with since', async () => {
      const got = ids(await getStatements(t, qs({ verb, since })));
      expect(got).toContain(referrer);
      expect(got).toContain(voider);
      expect(got).not.toContain(target);
    });

    it('2.1.4: the same with until', async () => {
      const got = ids(await getStatements(t, qs({ verb, until })));
      expect(got).toContain(referrer);
      expect(got).toContain(voider);
      expect(got).not.toContain(target);
    });

    it('2.1.4: with limit=1 the newest (the StatementRef statement) comes back', async () => {
      expect(ids(await getStatements(t, qs({ verb, limit: 1 })))).toEqual([referrer]);
    });
  });
});

describe('GET /statements queries (Communication 2.1.3, Data 2.5)', () => {
  let s: Json;
  let subId: string;
  beforeAll(async () => {
    s = contextStatement({ id: uuid() });
    await store(t, s);
    const inner = contextStatement();
    delete inner['id'];
    subId = await store(t, statement({ object: { objectType: 'SubStatement', actor: inner['actor'], verb: inner['verb'], object: inner['object'], context: inner['context'] } }));
  });
  const ctx = (): Json => s['context'] as Json;
  const category = (): string => (((ctx()['contextActivities'] as Json)['category'] as Json[])[0]!)['id'] as string;

  it('2.1.3: GET without parameters returns a StatementResult with a statements array and a more property', async () => {
    const res = await getStatements(t, '');
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.statements)).toBe(true);
    expect(res.body).toHaveProperty('more');
  });

  it('2.1.3: a query with no match returns 200, statements [] and more ""', async () => {
    const res = await getStatements(t, qs({ verb: 'http://adlnet.gov/expapi/non/existent' }));
    expect(res.status).toBe(200);
    expect(res.body.statements).toEqual([]);
    expect(res.body.more).toBe('');
  });

  it('2.1.3: agent returns only statements whose actor is that agent', async () => {
    const res = await getStatements(t, qs({ agent: s['actor'] }));
    expect(ids(res)).toEqual([s['id']]);
  });

  it('2.1.3: verb returns only statements with that verb', async () => {
    const res = await getStatements(t, qs({ verb: (s['verb'] as Json)['id'] }));
    expect(ids(res)).toEqual([s['id']]);
  });

  it('2.1.3: activity returns only statements whose object is that activity', async () => {
    const res = await getStatements(t, qs({ activity: (s['object'] as Json)['id'] }));
    expect(ids(res)).toEqual([s['id']]);
  });

  it('2.1.3: registration returns only statements with that registration', async () => {
    const res = await getStatements(t, qs({ registration: ctx()['registration'] }));
    expect(ids(res)).toEqual([s['id']]);
  });

  it('2.1.3: related_activities=true matches a context category activity', async () => {
    const res = await getStatements(t, qs({ activity: category(), related_activities: true }));
    expect(ids(res)).toContain(s['id']);
  });

  it('2.1.3: without related_activities a context activity does not match', async () => {
    const res = await getStatements(t, qs({ activity: category() }));
    expect(ids(res)).not.toContain(s['id']);
  });

  it('2.1.3: related_agents=true matches the context instructor', async () => {
    const res = await getStatements(t, qs({ agent: ctx()['instructor'], related_agents: true }));
    expect(ids(res)).toContain(s['id']);
  });

  it('2.1.3: related_activities / related_agents alone (no activity / agent) are accepted', async () => {
    expect((await getStatements(t, qs({ related_activities: true }))).status).toBe(200);
    expect((await getStatements(t, qs({ related_agents: true }))).status).toBe(200);
  });

  it('2.1.3: related_agents / related_activities reach inside a SubStatement', async () => {
    const sub = (await getStatements(t, `statementId=${subId}`)).body as Json;
    const inner = sub['object'] as Json;
    const byAgent = await getStatements(t, qs({ agent: (inner['context'] as Json)['instructor'], related_agents: true }));
    expect(ids(byAgent)).toContain(subId);
    const byActivity = await getStatements(t, qs({ activity: (inner['object'] as Json)['id'], related_activities: true }));
    expect(ids(byActivity)).toContain(subId);
  });

  it('2.1.3: since returns only statements stored after it', async () => {
    const res = await getStatements(t, qs({ since: '2012-06-01T19:09:13.245Z' }));
    expect(res.status).toBe(200);
    for (const st of res.body.statements as Json[]) expect(Date.parse(st['stored'] as string)).toBeGreaterThan(Date.parse('2012-06-01T19:09:13.245Z'));
  });

  it('2.1.3: until in the past returns no newer statements', async () => {
    const res = await getStatements(t, qs({ until: '2012-06-01T19:09:13.245Z' }));
    expect(res.status).toBe(200);
    expect(res.body.statements).toEqual([]);
  });

  it('2.1.3: since accepts an offset time zone sent percent-encoded (+00:00)', async () => {
    const res = await getStatements(t, `since=${encodeURIComponent('2012-06-01T19:09:13.245+00:00')}`);
    expect(res.status).toBe(200);
  });

  it('2.1.3: since that is not a timestamp is 400', async () => {
    expect((await getStatements(t, 'since=yesterday')).status).toBe(400);
  });

  it('2.1.3: limit=1 returns exactly one statement', async () => {
    const res = await getStatements(t, 'limit=1');
    expect(res.body.statements).toHaveLength(1);
  });

  it('2.1.3: ascending=true orders by stored, oldest first', async () => {
    const res = await getStatements(t, 'ascending=true&limit=0');
    const stored = (res.body.statements as Json[]).map((x) => Date.parse(x['stored'] as string));
    for (let i = 1; i < stored.length; i += 1) expect(stored[i]!).toBeGreaterThanOrEqual(stored[i - 1]!);
  });

  it('2.1.3: the default order is by stored, newest first', async () => {
    const res = await getStatements(t, 'limit=0');
    const stored = (res.body.statements as Json[]).map((x) => Date.parse(x['stored'] as string));
    for (let i = 1; i < stored.length; i += 1) expect(stored[i]!).toBeLessThanOrEqual(stored[i - 1]!);
  });

  it('2.1.3: every filter combined (limit, agent, verb, activity, registration, related_activities, since, format, attachments=false) finds the statement', async () => {
    const res = await getStatements(t, qs({
      limit: 1,
      agent: s['actor'],
      verb: (s['verb'] as Json)['id'],
      activity: (s['object'] as Json)['id'],
      registration: ctx()['registration'],
      related_activities: true,
      since: '2012-06-01T19:09:13.245Z',
      format: 'ids',
      attachments: false,
    }));
    expect(res.status).toBe(200);
    expect(res.body.statements[0].id).toBe(s['id']);
  });

  it('2.1.3: an agent parameter that is not an Agent/Group JSON object is 400', async () => {
    expect((await getStatements(t, 'agent=not-json')).status).toBe(400);
  });

  it('2.1.3: a registration parameter that is not a UUID is 400', async () => {
    expect((await getStatements(t, 'registration=nope')).status).toBe(400);
  });

  it('2.1.3: HEAD /statements answers like GET without a body', async () => {
    const res = await request(t.app).head(`${BASE}/statements?limit=1`).set(headers(t));
    expect(res.status).toBe(200);
    expect(res.headers['x-experience-api-consistent-through']).toBeTruthy();
    expect(res.text ?? '').toBe('');
  });

  it('2.1.3: GET responses carry a Content-Type header', async () => {
    const res = await getStatements(t, 'ascending=true');
    expect(res.headers['content-type']).toBeTruthy();
  });
});

describe('Paging with more (Data 2.5)', () => {
  beforeAll(async () => {
    await postStatements(t, [statement(), statement(), statement()]);
  });

  it('Data 2.5: with limit=1 and more results, more is a non-empty IRL', async () => {
    const res = await getStatements(t, 'limit=1');
    expect(typeof res.body.more).toBe('string');
    expect(res.body.more.length).toBeGreaterThan(0);
    expect(() => new URL(res.body.more as string, 'http://lrs.example')).not.toThrow();
  });

  it('Data 2.5: following more (resolved against the request URL) returns the next page with statements and more', async () => {
    const first = await getStatements(t, 'limit=1');
    const next = resolveUrl(`http://lrs.example${BASE}/statements?limit=1`, first.body.more as string);
    const url = new URL(next);
    expect(url.pathname).toBe(`${BASE}/statements`);
    const second = await request(t.app).get(url.pathname + url.search).set(headers(t));
    expect(second.status).toBe(200);
    expect(Array.isArray(second.body.statements)).toBe(true);
    expect(second.body).toHaveProperty('more');
    expect(second.body.statements[0].id).not.toBe(first.body.statements[0].id);
  });

  it('Data 2.5: paging with limit=1 visits every statement once, in order', async () => {
    const all = ids(await getStatements(t, 'limit=0'));
    const seen: string[] = [];
    let res = await getStatements(t, 'limit=1');
    for (let i = 0; i < all.length + 2; i += 1) {
      seen.push(...ids(res));
      const more = res.body.more as string;
      if (!more) break;
      const u = new URL(resolveUrl(`http://lrs.example${BASE}/statements`, more));
      res = await request(t.app).get(u.pathname + u.search).set(headers(t));
    }
    expect(seen).toEqual(all);
  });

  it('Data 2.5: statements stored after the first page do not shift the next page', async () => {
    const first = await getStatements(t, 'limit=1');
    await store(t, statement());
    const u = new URL(resolveUrl(`http://lrs.example${BASE}/statements`, first.body.more as string));
    const second = await request(t.app).get(u.pathname + u.search).set(headers(t));
    const all = ids(await getStatements(t, 'limit=0'));
    expect(second.body.statements[0].id).toBe(all[all.indexOf(first.body.statements[0].id as string) + 1]);
  });
});

describe('X-Experience-API-Consistent-Through (Communication 2.1.3)', () => {
  const queries = ['', qs({ agent: { mbox: 'mailto:x@example.org' } }), 'verb=http://adlnet.gov/expapi/non/existent',
    'activity=http://www.example.com/meetings/occurances/12345', `registration=${uuid()}`, 'related_activities=true',
    'related_agents=true', 'since=2012-06-01T19:09:13.245Z', 'until=2012-06-01T19:09:13.245Z', 'limit=1', 'ascending=true',
    'format=ids', 'attachments=true'];
  it.each(queries)('2.1.3: GET /statements?%s has an ISO 8601 X-Experience-API-Consistent-Through', async (q) => {
    const res = await getStatements(t, q);
    expect(res.status).toBe(200);
    const v = String(res.headers['x-experience-api-consistent-through']);
    expect(v).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    expect(Number.isNaN(Date.parse(v))).toBe(false);
  });

  it('2.1.3: Consistent-Through is not before the stored time of a statement just written', async () => {
    const id = await store(t, statement());
    const res = await getStatements(t, `statementId=${id}`);
    expect(Date.parse(String(res.headers['x-experience-api-consistent-through']))).toBeGreaterThanOrEqual(Date.parse(res.body.stored as string));
  });

  it('2.1.3: GET /statements carries a Date header (the suite computes clock skew from it)', async () => {
    const res = await getStatements(t, 'limit=1');
    expect(Number.isNaN(Date.parse(String(res.headers['date'])))).toBe(false);
  });
});

describe('stored and timestamp (Data 2.4.7, 2.4.8)', () => {
  it('Data 2.4.8: the LRS sets stored itself, ignoring a stored sent by the client (POST and PUT)', async () => {
    const clientStored = new Date('July 15, 2011').toISOString();
    const id = await store(t, statement({ stored: clientStored }));
    expect((await getStatements(t, `statementId=${id}`)).body.stored).not.toBe(clientStored);
    const pid = uuid();
    expect((await putStatement(t, pid, statement({ stored: clientStored }))).status).toBe(204);
    expect((await getStatements(t, `statementId=${pid}`)).body.stored).not.toBe(clientStored);
  });

  it('Data 2.4.8: stored is an ISO 8601 timestamp with millisecond precision', async () => {
    const id = await store(t, statement());
    const stored = (await getStatements(t, `statementId=${id}`)).body.stored as string;
    expect(stored).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\d*(Z|[+-]\d{2}:\d{2})$/);
  });

  it('Data 2.4.7: without a timestamp, the returned timestamp equals stored', async () => {
    const s = statement({ id: uuid() });
    await store(t, s);
    const got = (await getStatements(t, `statementId=${s['id'] as string}`)).body as Json;
    expect(got['timestamp']).toBe(got['stored']);
  });

  it('Data 2.4.7: a timestamp of null is treated as absent and comes back equal to stored', async () => {
    const id = uuid();
    const res = await postStatements(t, statement({ id, timestamp: null }));
    expect([200, 400]).toContain(res.status);
    if (res.status === 200) {
      const got = (await getStatements(t, `statementId=${id}`)).body as Json;
      expect(got['timestamp']).toBe(got['stored']);
    }
  });

  it('Data 2.4.7: a timestamp five minutes in the future is accepted', async () => {
    const ts = new Date(Date.now() + 5 * 60 * 1000).toISOString();
    expect((await postStatements(t, statement({ timestamp: ts }))).status).toBe(200);
  });

  it('Data 2.4.7: a timestamp sent is returned as sent (same instant)', async () => {
    const ts = '2013-05-18T05:32:34.804+00:00';
    const id = await store(t, statement({ timestamp: ts }));
    const got = (await getStatements(t, `statementId=${id}`)).body as Json;
    expect(Date.parse(got['timestamp'] as string)).toBe(Date.parse(ts));
  });

  it('Data 2.4.9: the LRS sets authority to the credential when none is sent', async () => {
    const id = await store(t, statement());
    const got = (await getStatements(t, `statementId=${id}`)).body as Json;
    expect(got['authority']).toBeDefined();
  });

  it('Data 2.4.10: version is set by the LRS (2.0.0 request gets 2.0.0)', async () => {
    const id = await store(t, statement());
    expect((await getStatements(t, `statementId=${id}`)).body.version).toBe('2.0.0');
  });

  it('Data 2.4.10: a 1.0.3 request stores version 1.0.0 when none is given', async () => {
    const id = await store(t, statement(), '1.0.3');
    expect((await getStatements(t, `statementId=${id}`, '1.0.3')).body.version).toBe('1.0.0');
  });
});
