/**
 * Conformance, xAPI 1.0.3: requirements from the ADL suite's non-templated v1_0_3 tests that the
 * other conformance files do not cover: 405 for methods the spec does not define (Communication 2,
 * "implicit"), StatementResult shape for every filter, and a context activity sent as a single
 * object (not an array) being found by related_activities.
 */
import request from 'supertest';
import type { TestApp } from '../../helpers/test-app';
import { BASE, getStatements, headers, mbox, openApp, qs, statement, store, uuid } from './support';

let t: TestApp;
beforeAll(async () => { t = await openApp(); });
afterAll(async () => { await t.close(); });

const V = '1.0.3' as const;
const agentParam = (): Record<string, string> => ({ objectType: 'Agent', mbox: mbox('m405') });
const activityId = 'http://www.example.com/meetings/occurances/34534';

describe('Methods the specification does not define are 405 Method Not Allowed (Communication 2, implicit)', () => {
  const rows: [string, 'delete' | 'post' | 'put', () => string][] = [
    ['DELETE /statements?statementId', 'delete', () => `${BASE}/statements?${qs({ statementId: uuid() })}`],
    ['DELETE /activities?activityId', 'delete', () => `${BASE}/activities?${qs({ activityId })}`],
    ['POST /activities?activityId', 'post', () => `${BASE}/activities?${qs({ activityId })}`],
    ['PUT /activities?activityId', 'put', () => `${BASE}/activities?${qs({ activityId })}`],
    ['DELETE /agents?agent', 'delete', () => `${BASE}/agents?${qs({ agent: agentParam() })}`],
    ['POST /agents?agent', 'post', () => `${BASE}/agents?${qs({ agent: agentParam() })}`],
    ['PUT /agents?agent', 'put', () => `${BASE}/agents?${qs({ agent: agentParam() })}`],
  ];
  it.each(rows)('%s is 405', async (_name, method, url) => {
    const res = await request(t.app)[method](url()).set(headers(t, V));
    expect(res.status).toBe(405);
  });
});

describe('StatementResult for every filter (Data 2.5, Communication 2.1.3)', () => {
  const category = `http://www.example.com/test/array/statements/${uuid()}`;
  const instructor = { objectType: 'Agent', name: 'xAPI mbox', mbox: mbox('pri') };
  let s: Record<string, unknown>;

  beforeAll(async () => {
    // The suite's contexts.category template carries category as ONE Activity object, not an array.
    s = statement({
      context: { registration: uuid(), instructor, contextActivities: { category: { objectType: 'Activity', id: category } } },
    });
    await store(t, s, V);
  });

  it('2.1.3: a single-object contextActivities.category is accepted and returned as an array of one', async () => {
    const res = await getStatements(t, qs({ activity: category, related_activities: true }), V);
    expect(res.status).toBe(200);
    const got = (res.body as { statements: { context: { contextActivities: { category: unknown } } }[] }).statements;
    expect(got).toHaveLength(1);
    expect(got[0]?.context.contextActivities.category).toEqual([{ objectType: 'Activity', id: category }]);
  });

  it('2.1.3: related_agents finds the context instructor', async () => {
    const res = await getStatements(t, qs({ agent: instructor, related_agents: true }), V);
    expect(res.status).toBe(200);
    expect((res.body as { statements: unknown[] }).statements).toHaveLength(1);
  });

  const queries: [string, () => string][] = [
    ['no parameters', (): string => ''],
    ['verb', () => qs({ verb: (s.verb as { id: string }).id })],
    ['activity', () => qs({ activity: (s.object as { id: string }).id })],
    ['registration', () => qs({ registration: (s.context as { registration: string }).registration })],
    ['since', () => qs({ since: '2012-06-01T19:09:13.245Z' })],
    ['until', () => qs({ until: '2012-06-01T19:09:13.245Z' })],
    ['limit', () => qs({ limit: 1 })],
    ['ascending', () => qs({ ascending: true })],
    ['format=ids', () => qs({ format: 'ids' })],
  ];
  it.each(queries)('2.1.3: GET with %s answers a StatementResult whose statements is an array', async (_n, query) => {
    const res = await getStatements(t, query(), V);
    expect(res.status).toBe(200);
    expect(Array.isArray((res.body as { statements: unknown }).statements)).toBe(true);
    expect(typeof (res.body as { more: unknown }).more).toBe('string');
  });

  it('Data 2.5: more is "" when a query returns everything', async () => {
    const res = await getStatements(t, qs({ verb: `http://adlnet.gov/expapi/non/existent/${uuid()}` }), V);
    expect(res.status).toBe(200);
    expect((res.body as { more: unknown }).more).toBe('');
  });
});
