/**
 * xAPI (TinCan) launch: the launch URL carries the TinCan launch parameters; the launch credential
 * writes and reads only the learner's statements and State in the registration; what it writes
 * moves the progress projection.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createPlayerHarness, lrsStatements, type PlayerHarness } from '../cmi5/harness';
import { tincanPlayerZip } from '../cmi5/packages';

const ACTIVITY = 'http://example.com/tincan/course-1';
const V = { 'X-Experience-API-Version': '1.0.3' };
let h: PlayerHarness;
let courseId: string;

beforeAll(async () => {
  h = await createPlayerHarness();
  courseId = await h.publish(tincanPlayerZip(ACTIVITY, '<!doctype html><title>x</title>'));
});
afterAll(async () => h.close());

interface Launch { url: URL; auth: string; actor: Record<string, unknown>; registration: string }

async function launch(): Promise<Launch> {
  const l = await h.launch(courseId);
  const url = new URL(l.frameUrl);
  return {
    url,
    auth: url.searchParams.get('auth') ?? '',
    actor: JSON.parse(url.searchParams.get('actor') ?? '{}') as Record<string, unknown>,
    registration: url.searchParams.get('registration') ?? '',
  };
}

function statement(l: Launch, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    actor: l.actor,
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: { id: ACTIVITY, objectType: 'Activity' },
    result: { completion: true, success: true, score: { scaled: 0.75 }, duration: 'PT1M' },
    context: { registration: l.registration },
    timestamp: new Date().toISOString(),
    ...over,
  };
}

it('launches the package file on the content origin with endpoint, auth, actor, registration and activity_id', async () => {
  const l = await launch();
  expect(l.url.origin).toBe('http://content.learnhq.test');
  expect(l.url.pathname).toMatch(/^\/content\/[^/]+\/index\.html$/);
  expect(l.url.searchParams.get('endpoint')).toBe('http://learnhq.test/xapi/');
  expect(l.auth).toMatch(/^Basic [A-Za-z0-9+/=]+$/);
  expect(l.actor).toEqual({ objectType: 'Agent', name: h.users.learner.name, account: { homePage: 'http://learnhq.test', name: h.users.learner.userId } });
  expect(l.registration).toMatch(/^[0-9a-f-]{36}$/);
  expect(l.url.searchParams.get('activity_id')).toBe(ACTIVITY);
  // The same registration on a second launch (one registration per learner and course version).
  expect((await launch()).registration).toBe(l.registration);
});

it('stores what the content sends with its credential and moves the progress projection', async () => {
  const l = await launch();
  const init = statement(l, { verb: { id: 'http://adlnet.gov/expapi/verbs/initialized' }, result: undefined });
  const done = statement(l);
  const end = statement(l, { verb: { id: 'http://adlnet.gov/expapi/verbs/terminated' }, result: { duration: 'PT2M30S' } });
  await request(h.app).post('/xapi/statements').set(V).set('Authorization', l.auth).send([init, done, end]).expect(200);

  const stored = await lrsStatements(h, { registration: l.registration, verb: 'http://adlnet.gov/expapi/verbs/completed' });
  expect(stored.map((s) => s['id'])).toContain(done['id']);

  const res = await request(h.app).get('/api/progress').query({ course: courseId }).set(h.as('learner')).expect(200);
  const [row] = (res.body as { progress: Record<string, unknown>[] }).progress;
  expect(row).toMatchObject({
    registration: l.registration, completion: 'completed', success: 'passed', scoreScaled: 0.75, timeSeconds: 150, attempts: 1,
  });
  expect(row?.['statements']).toBeGreaterThanOrEqual(3);
  expect(row?.['units']).toEqual([expect.objectContaining({ activityId: ACTIVITY, completion: 'completed', success: 'passed' })]);
  // The course page reads the projection.
  const me = await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200);
  expect((me.body as { progress: Record<string, unknown> }).progress).toMatchObject({ completion: 'completed', success: 'passed', scoreScaled: 0.75, totalSeconds: 150 });
});

it('refuses statements of another actor, another registration, and voiding', async () => {
  const l = await launch();
  const other = { objectType: 'Agent', account: { homePage: 'http://learnhq.test', name: h.users.other.userId } };
  await request(h.app).post('/xapi/statements').set(V).set('Authorization', l.auth).send(statement(l, { actor: other })).expect(403);
  await request(h.app).post('/xapi/statements').set(V).set('Authorization', l.auth).send(statement(l, { context: { registration: randomUUID() } })).expect(403);
  await request(h.app).post('/xapi/statements').set(V).set('Authorization', l.auth).send(statement(l, { context: undefined })).expect(403);
  const s = statement(l);
  await request(h.app).post('/xapi/statements').set(V).set('Authorization', l.auth).send(s).expect(200);
  await request(h.app).post('/xapi/statements').set(V).set('Authorization', l.auth)
    .send(statement(l, { verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: s['id'] }, result: undefined })).expect(403);
  // None of the refused statements reached the LRS.
  const all = await lrsStatements(h, { agent: JSON.stringify(other) });
  expect(all).toEqual([]);
});

it('reads only its learner\'s statements in its registration and keeps State only there', async () => {
  const l = await launch();
  // A statement of the learner outside the registration, written by a site credential.
  const outside = statement(l, { context: { registration: randomUUID() } });
  await request(h.app).post('/xapi/statements').set(V).set('Authorization', h.lrsAuth).send(outside).expect(200);
  const mine = await request(h.app).get('/xapi/statements').query({ limit: '500' }).set(V).set('Authorization', l.auth).expect(200);
  const ids = (mine.body as { statements: { id: string; context?: { registration?: string } }[] }).statements;
  expect(ids.length).toBeGreaterThan(0);
  expect(ids.every((x) => x.context?.registration === l.registration)).toBe(true);
  await request(h.app).get(`/xapi/statements`).query({ statementId: String(outside['id']) }).set(V).set('Authorization', l.auth).expect((r) => expect([403, 404]).toContain(r.status));

  const agent = JSON.stringify(l.actor);
  await request(h.app).put('/xapi/activities/state').query({ activityId: ACTIVITY, agent, stateId: 'bookmark', registration: l.registration })
    .set(V).set('Authorization', l.auth).set('Content-Type', 'application/json').send('{"page":3}').expect(204);
  const got = await request(h.app).get('/xapi/activities/state').query({ activityId: ACTIVITY, agent, stateId: 'bookmark', registration: l.registration })
    .set(V).set('Authorization', l.auth).expect(200);
  expect(JSON.parse(got.text)).toEqual({ page: 3 });
  await request(h.app).put('/xapi/activities/state').query({ activityId: ACTIVITY, agent, stateId: 'bookmark', registration: randomUUID() })
    .set(V).set('Authorization', l.auth).set('Content-Type', 'application/json').send('{}').expect(403);
  const otherAgent = JSON.stringify({ account: { homePage: 'http://learnhq.test', name: h.users.other.userId } });
  await request(h.app).get('/xapi/activities/state').query({ activityId: ACTIVITY, agent: otherAgent, stateId: 'bookmark', registration: l.registration })
    .set(V).set('Authorization', l.auth).expect(403);
});

it('lets analysts read every learner\'s progress of their organization, and no learner another\'s', async () => {
  const all = await request(h.app).get('/api/progress').query({ course: courseId, learners: 'all' }).set(h.as('analyst')).expect(200);
  const rows = (all.body as { progress: { userId: string; units?: unknown }[] }).progress;
  expect(rows.map((r) => r.userId)).toContain(h.users.learner.userId);
  expect(rows.every((r) => r.units === undefined)).toBe(true);
  await request(h.app).get('/api/progress').query({ course: courseId, learners: 'all' }).set(h.as('other')).expect(403);
  const own = await request(h.app).get('/api/progress').query({ course: courseId }).set(h.as('other')).expect(200);
  expect((own.body as { progress: unknown[] }).progress).toEqual([]);
  await request(h.app).get('/api/progress').set(h.as('learner')).expect(400);
  await request(h.app).get('/api/progress').query({ course: courseId }).expect(401);
});
