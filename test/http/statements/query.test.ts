import type { RequestListener } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp, type TestApp } from '../../helpers/test-app';
import { client, makeStatement, V2, voiding } from './fixtures';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

const ids = (body: { statements: { id: string }[] }) => body.statements.map((s) => s.id);

describe('voiding (Data 2.3.2, Communication 2.1.4)', () => {
  test('a voided statement is 404 by statementId, 200 by voidedStatementId, absent from queries', async () => {
    const c = client(t.app, t.auth);
    const s = makeStatement();
    const [target] = (await c.post(s)).body as string[];
    const [voider] = (await c.post(voiding(target!))).body as string[];
    expect((await c.get({ statementId: target! })).status).toBe(404);
    const v = await c.get({ voidedStatementId: target! });
    expect(v.status).toBe(200);
    expect(v.body.id).toBe(target);
    expect((await c.get({ voidedStatementId: voider! })).status).toBe(404);
    const q = await c.get({ activity: (s['object'] as { id: string }).id });
    expect(ids(q.body)).toEqual([voider]);
  });

  test('voiding a voiding statement is refused; voiding an unknown statement is accepted', async () => {
    const c = client(t.app, t.auth);
    const [target] = (await c.post(makeStatement())).body as string[];
    const [voider] = (await c.post(voiding(target!))).body as string[];
    const res = await c.post(voiding(voider!));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/cannot be voided/);
    expect((await c.post(voiding(randomUUID()))).status).toBe(200);
  });
});

describe('GET /statements filters (Communication 2.1.3)', () => {
  const agent = { mbox: `mailto:q-${randomUUID()}@example.com` };
  const instructor = { mbox: `mailto:i-${randomUUID()}@example.com` };
  const verb = `http://example.com/verbs/${randomUUID()}`;
  const activity = `http://example.com/act/${randomUUID()}`;
  const parent = `http://example.com/parent/${randomUUID()}`;
  const registration = randomUUID();
  let direct: string;
  let related: string;
  let sub: string;
  let ref: string;

  beforeAll(async () => {
    const c = client(t.app, t.auth);
    [direct] = (await c.post(makeStatement({ actor: agent, verb: { id: verb }, object: { id: activity }, context: { registration } }))).body;
    [related] = (await c.post(makeStatement({ context: { instructor, contextActivities: { parent: { id: activity } } } }))).body;
    [sub] = (await c.post(makeStatement({
      object: { objectType: 'SubStatement', actor: instructor, verb: { id: verb }, object: { id: parent } },
    }))).body;
    [ref] = (await c.post(makeStatement({ object: { objectType: 'StatementRef', id: direct } }))).body;
  });

  test('agent, verb, activity, registration match direct use', async () => {
    const c = client(t.app, t.auth);
    expect(ids((await c.get({ agent: JSON.stringify(agent) })).body)).toEqual([ref, direct]);
    expect(ids((await c.get({ verb })).body)).toEqual([ref, direct]);
    expect(ids((await c.get({ activity })).body)).toEqual([ref, direct]);
    expect(ids((await c.get({ registration })).body)).toEqual([ref, direct]);
    expect(ids((await c.get({ agent: JSON.stringify(agent), verb, activity, registration })).body)).toEqual([ref, direct]);
  });

  test('related_activities and related_agents widen the match, SubStatements included', async () => {
    const c = client(t.app, t.auth);
    expect(ids((await c.get({ activity, related_activities: true })).body)).toEqual([ref, related, direct]);
    expect(ids((await c.get({ activity: parent })).body)).toEqual([]);
    expect(ids((await c.get({ activity: parent, related_activities: true })).body)).toEqual([sub]);
    expect(ids((await c.get({ agent: JSON.stringify(instructor) })).body)).toEqual([]);
    expect(ids((await c.get({ agent: JSON.stringify(instructor), related_agents: true })).body)).toEqual([sub, related]);
    expect((await c.get({ related_agents: true })).status).toBe(200);
  });

  test('ascending, limit and paging with more stay right while statements arrive', async () => {
    const c = client(t.app, t.auth);
    const v = `http://example.com/verbs/page-${randomUUID()}`;
    const made: string[] = [];
    for (let i = 0; i < 5; i += 1) made.push(...((await c.post(makeStatement({ verb: { id: v } }))).body as string[]));
    const first = await c.get({ verb: v, limit: 2, ascending: true });
    expect(ids(first.body)).toEqual(made.slice(0, 2));
    expect(first.body.more).toMatch(/^\/xapi\/statements\?more=/);
    await c.post(makeStatement({ verb: { id: v } })).then((r) => made.push(...(r.body as string[])));
    const second = await c.getUrl(first.body.more);
    expect(ids(second.body)).toEqual(made.slice(2, 4));
    const third = await c.getUrl(second.body.more);
    expect(ids(third.body)).toEqual(made.slice(4, 6));
    expect(third.body.more).toBe('');
    const desc = await c.get({ verb: v, limit: 4 });
    expect(ids(desc.body)).toEqual([...made].reverse().slice(0, 4));
  });

  test('limit=0 means the server maximum', async () => {
    const small = await createTestApp({ config: { maxQueryLimit: 2 } });
    try {
      const c = client(small.app, small.auth);
      await c.post([makeStatement(), makeStatement(), makeStatement()]);
      const r = await c.get({ limit: 0 });
      expect(r.body.statements).toHaveLength(2);
      expect(r.body.more).not.toBe('');
      expect((await c.get({ limit: 50 })).body.statements).toHaveLength(2);
    } finally {
      await small.close();
    }
  });

  test('since and until bound by stored time', async () => {
    let now = new Date('2030-01-01T00:00:00.000Z');
    const timed = await createTestApp({ now: () => now });
    try {
      const c = client(timed.app, timed.auth);
      const [a] = (await c.post(makeStatement())).body as string[];
      now = new Date('2030-01-02T00:00:00.000Z');
      const [b] = (await c.post(makeStatement())).body as string[];
      expect(ids((await c.get({ since: '2030-01-01T12:00:00Z' })).body)).toEqual([b]);
      expect(ids((await c.get({ until: '2030-01-01T12:00:00+00:00' })).body)).toEqual([a]);
      expect(ids((await c.get({ until: '2030-01-01T00:00:00.000Z' })).body)).toEqual([a]);
    } finally {
      await timed.close();
    }
  });

  test('a StatementRef whose target arrives later matches the target\'s filters', async () => {
    const c = client(t.app, t.auth);
    const id = randomUUID();
    const act = `http://example.com/late/${randomUUID()}`;
    const [pointer] = (await c.post(makeStatement({ object: { objectType: 'StatementRef', id } }))).body as string[];
    await c.post(makeStatement({ id, object: { id: act } }));
    expect(ids((await c.get({ activity: act })).body)).toEqual([id, pointer]);
  });
});

describe('GET /statements parameters and headers', () => {
  test('unknown, repeated or malformed parameters are 400, with Consistent-Through', async () => {
    const c = client(t.app, t.auth);
    for (const q of [{ LIMIT: 1 }, { limit: -1 }, { limit: 'x' }, { ascending: 'yes' }, { format: 'full' }, { since: '2020-01-01' },
      { registration: 'nope' }, { agent: '{"name":"x"}' }, { agent: 'not json' }, { statementId: randomUUID(), verb: 'http://x.y/z' },
      { voidedStatementId: randomUUID(), limit: 1 }, { more: 'forged.token' }]) {
      const res = await c.get(q as unknown as Record<string, string | number>);
      expect([res.status, q]).toEqual([400, q]);
      expect(res.headers['x-experience-api-consistent-through']).toBeDefined();
    }
    const twice = await request(t.app).get('/xapi/statements?verb=http://a.b/c&verb=http://a.b/d').set(V2).set('Authorization', t.auth);
    expect(twice.status).toBe(400);
  });

  test('statementId with format and attachments is allowed; unknown id is 404', async () => {
    const c = client(t.app, t.auth);
    const [id] = (await c.post(makeStatement())).body as string[];
    expect((await c.get({ statementId: id!, format: 'ids', attachments: false })).status).toBe(200);
    expect((await c.get({ statementId: randomUUID() })).status).toBe(404);
  });

  test('Consistent-Through, Last-Modified and JSON Content-Type; HEAD has the same headers and no body', async () => {
    const c = client(t.app, t.auth);
    const [id] = (await c.post(makeStatement())).body as string[];
    const get = await c.get({ statementId: id! });
    expect(get.headers['content-type']).toBe('application/json');
    expect(Number.isNaN(Date.parse(get.headers['x-experience-api-consistent-through']!))).toBe(false);
    expect(new Date(get.headers['last-modified']!).getTime()).toBe(Math.floor(Date.parse(get.body.stored) / 1000) * 1000);
    const head = await request(t.app).head(`/xapi/statements?statementId=${id}`).set(V2).set('Authorization', t.auth);
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['last-modified']).toBe(get.headers['last-modified']);
    expect(head.headers['x-experience-api-consistent-through']).toBeDefined();
    expect(head.text ?? '').toBe('');
    const q = await c.get({});
    expect(q.headers['last-modified']).toBeDefined();
  });

  test('a more token from another credential is refused', async () => {
    const c = client(t.app, t.auth);
    await c.post([makeStatement(), makeStatement()]);
    const more = (await c.get({ limit: 1 })).body.more as string;
    const other = await t.credential(['all']);
    expect((await client(t.app, other).getUrl(more)).status).toBe(400);
    const tampered = more.replace(/more=(.)/, (_m, ch: string) => `more=${ch === 'A' ? 'B' : 'A'}`);
    expect((await c.getUrl(tampered)).status).toBe(400);
  });
});

describe('formats (Communication 2.1.3 format)', () => {
  test('exact returns what was sent; ids keeps identifiers only; canonical picks one language', async () => {
    const c = client(t.app, t.auth);
    const s = makeStatement({
      context: { contextActivities: { category: [{ id: `http://example.com/cat/${randomUUID()}`, definition: { name: { 'en-US': 'Cat', 'en-GB': 'Cat GB' } } }] } },
    });
    const [id] = (await c.post(s)).body as string[];
    const exact = (await c.get({ statementId: id! })).body;
    expect(exact.actor).toEqual(s['actor']);
    expect(exact.object).toEqual(s['object']);
    const idsFmt = (await c.get({ statementId: id!, format: 'ids' })).body;
    expect(idsFmt.actor).toEqual({ objectType: 'Agent', mbox: (s['actor'] as { mbox: string }).mbox });
    expect(idsFmt.object).toEqual({ id: (s['object'] as { id: string }).id });
    expect(idsFmt.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/experienced' });
    const canon = (await c.get({ statementId: id!, format: 'canonical' }).set('Accept-Language', 'en-GB')).body;
    expect(canon.verb.display).toEqual({ 'en-GB': 'experienced (GB)' });
    expect(canon.object.definition.name).toEqual({ 'en-GB': 'Course GB' });
    expect(canon.context.contextActivities.category[0].definition.name).toEqual({ 'en-GB': 'Cat GB' });
    const noLang = (await c.get({ statementId: id! }).set('Accept-Language', 'en-GB')).body;
    expect(Object.keys(noLang.verb.display).sort()).toEqual(['en-GB', 'en-US']);
  });

  test('canonical uses the merged canonical definition the LRS keeps', async () => {
    const c = client(t.app, t.auth);
    const act = `http://example.com/canon/${randomUUID()}`;
    await c.post(makeStatement({ object: { id: act, definition: { name: { 'en-US': 'Old' } } } }));
    const [id] = (await c.post(makeStatement({ object: { id: act, definition: { name: { fr: 'Nouveau' } } } }))).body as string[];
    const rec = await t.store.activities.findActivity(act);
    expect(rec?.definition['name']).toEqual({ 'en-US': 'Old', fr: 'Nouveau' });
    const canon = (await c.get({ statementId: id!, format: 'canonical' }).set('Accept-Language', 'en-US')).body;
    expect(canon.object.definition.name).toEqual({ 'en-US': 'Old' });
  });
});

describe('scope statements/read/mine', () => {
  test('sees only statements its credential wrote', async () => {
    const mine = await t.credential(['statements/write', 'statements/read/mine']);
    const v = `http://example.com/verbs/mine-${randomUUID()}`;
    const [own] = (await client(t.app, mine).post(makeStatement({ verb: { id: v } }))).body as string[];
    const [other] = (await client(t.app, t.auth).post(makeStatement({ verb: { id: v } }))).body as string[];
    expect(ids((await client(t.app, mine).get({ verb: v })).body)).toEqual([own]);
    expect(ids((await client(t.app, t.auth).get({ verb: v })).body)).toEqual([other, own]);
    expect((await client(t.app, mine).get({ statementId: own! })).status).toBe(200);
    expect((await client(t.app, mine).get({ statementId: other! })).status).toBe(404);
  });
});
