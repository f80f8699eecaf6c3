/**
 * Conformance, xAPI 1.0.3: HEAD requests (Communication 1.1), UTF-8 encoding (Communication 1.4)
 * and the miscellaneous well-formed-JSON requirement, as the ADL suite's v1_0_3 files send them.
 */
import request from 'supertest';
import type { TestApp } from '../../helpers/test-app';
import { BASE, getStatements, headers, mbox, openApp, qs, statement, store, uuid } from './support';

let t: TestApp;
beforeAll(async () => { t = await openApp(); });
afterAll(async () => { await t.close(); });

const V = '1.0.3' as const;
const agent = (): Record<string, string> => ({ objectType: 'Agent', mbox: mbox('head') });

/** GET and HEAD of the same URL: status, no body on HEAD, same content type. */
async function headLikeGet(path: string): Promise<void> {
  const get = await request(t.app).get(path).set(headers(t, V));
  const head = await request(t.app).head(path).set(headers(t, V));
  expect(get.status).toBe(200);
  expect(head.status).toBe(200);
  expect(head.text ?? '').toBe('');
  expect(Object.keys((head.body ?? {}) as object)).toHaveLength(0);
  expect(head.headers['content-type']).toBe(get.headers['content-type']);
  expect(head.headers['x-experience-api-version']).toBe('1.0.3');
}

describe('HEAD Request Implementation (Communication 1.1)', () => {
  it('1.1: HEAD /about answers 200 without a body', async () => {
    const res = await request(t.app).head(`${BASE}/about`);
    expect(res.status).toBe(200);
    expect(res.text ?? '').toBe('');
  });

  it('1.1: HEAD /statements answers like GET, without a body', async () => {
    await store(t, statement(), V);
    await headLikeGet(`${BASE}/statements`);
  });

  it('1.1: HEAD /statements?statementId answers like GET, without a body', async () => {
    const id = await store(t, statement(), V);
    await headLikeGet(`${BASE}/statements?statementId=${id}`);
  });

  it('1.1: HEAD /statements of an unknown statementId is 404 like GET', async () => {
    const res = await request(t.app).head(`${BASE}/statements?statementId=${uuid()}`).set(headers(t, V));
    expect(res.status).toBe(404);
  });

  it('1.1: HEAD /activities?activityId answers like GET, without a body', async () => {
    const s = statement();
    await store(t, s, V);
    await headLikeGet(`${BASE}/activities?${qs({ activityId: (s.object as { id: string }).id })}`);
  });

  it('1.1: HEAD /agents?agent answers like GET, without a body', async () => {
    await headLikeGet(`${BASE}/agents?${qs({ agent: agent() })}`);
  });

  it('1.1: HEAD /activities/state of a stored document answers like GET, without a body', async () => {
    const params = { activityId: `http://www.example.com/activityId/${uuid()}`, agent: agent(), stateId: uuid() };
    const put = await request(t.app).post(`${BASE}/activities/state?${qs(params)}`).set(headers(t, V)).send({ car: 'Honda' });
    expect(put.status).toBe(204);
    await headLikeGet(`${BASE}/activities/state?${qs(params)}`);
  });

  it('1.1: HEAD /activities/profile of a stored document answers like GET, without a body', async () => {
    const params = { activityId: `http://www.example.com/activityId/${uuid()}`, profileId: uuid() };
    const put = await request(t.app).post(`${BASE}/activities/profile?${qs(params)}`).set(headers(t, V)).send({ car: 'Honda' });
    expect(put.status).toBe(204);
    await headLikeGet(`${BASE}/activities/profile?${qs(params)}`);
  });

  it('1.1: HEAD /agents/profile of a stored document answers like GET, without a body', async () => {
    const params = { agent: agent(), profileId: uuid() };
    const put = await request(t.app).post(`${BASE}/agents/profile?${qs(params)}`).set(headers(t, V)).send({ car: 'Honda' });
    expect(put.status).toBe(204);
    await headLikeGet(`${BASE}/agents/profile?${qs(params)}`);
  });

  it('1.1: HEAD /statements carries X-Experience-API-Consistent-Through like GET', async () => {
    const res = await request(t.app).head(`${BASE}/statements`).set(headers(t, V));
    expect(res.status).toBe(200);
    expect(Number.isNaN(Date.parse(String(res.headers['x-experience-api-consistent-through'])))).toBe(false);
  });

  it('1.1: GET and HEAD without a Content-Length header are accepted', async () => {
    // supertest sends no Content-Length for a bodiless GET/HEAD; this is the suite's exact request.
    expect((await request(t.app).get(`${BASE}/statements`).set(headers(t, V))).status).toBe(200);
    expect((await request(t.app).head(`${BASE}/statements`).set(headers(t, V))).status).toBe(200);
  });
});

describe('Encoding (Communication 1.4)', () => {
  it('1.4: strings are UTF-8: a verb display in many scripts comes back unchanged from a verb query', async () => {
    const verbId = `http://adlnet.gov/expapi/test/unicode/target/${uuid()}`;
    const display = {
      'en-US': 'attended', 'ja-JP': '出席した', 'ko-KR': '참석', 'ru-RU': 'посетил', 'ar-EG': 'حضر', 'zh-Hans-CN': '参加了',
      'he-IL': 'השתתף', 'el-GR': 'παρακολούθησε', 'hi-IN': 'भाग लिया', 'es': 'asistió', 'de-DE': 'teilgenommen — “Zitat”',
      'und': '😀 emoji 𝄞 astral',
    };
    const s = statement({ verb: { id: verbId, display } });
    await store(t, s, V);
    const res = await getStatements(t, qs({ verb: verbId }), V);
    expect(res.status).toBe(200);
    expect((res.body as { statements: { verb: { display: unknown } }[] }).statements[0]?.verb.display).toEqual(display);
  });

  it('1.4: the JSON answer is labelled as UTF-8 or plain application/json', async () => {
    const res = await getStatements(t, 'limit=1', V);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json(;\s*charset=utf-8)?$/i);
  });
});

describe('Miscellaneous (Data 2.2, XAPI-00014)', () => {
  it('XAPI-00014: an actor objectType holding a JSON fragment (\'"objectType": "Agent"\') is 400', async () => {
    const s = statement();
    (s.actor as Record<string, unknown>).objectType = '"objectType": "Agent"';
    const res = await request(t.app).post(`${BASE}/statements`).set(headers(t, V)).send(s);
    expect(res.status).toBe(400);
  });

  it('Data 2.2: a body that is not well-formed JSON is 400', async () => {
    const res = await request(t.app).post(`${BASE}/statements`).set({ ...headers(t, V), 'Content-Type': 'application/json' }).send('{"actor": ');
    expect(res.status).toBe(400);
  });
});
