/** The LRS enforces the cmi5 rules on statements sent with an AU session's token (cmi5 7.1, 9.x). */
import request from 'supertest';
import { cmi5Statement, MASTERY_EXT, MOVEON_CATEGORY, R, send, SESSION_EXT, startAu, V, VERBS, type Au } from './au-client';
import { createPlayerHarness, lrsStatements, type PlayerHarness } from './harness';
import { cmi5Zip } from './packages';

const AU_ID = 'http://example.com/cmi5/rules-au';
let h: PlayerHarness;
let courseId: string;

beforeAll(async () => {
  h = await createPlayerHarness();
  courseId = await h.publish(cmi5Zip({ courseId: 'http://example.com/cmi5/rules', aus: [{ id: AU_ID, moveOn: 'Passed', masteryScore: 0.8 }] }));
});
afterAll(async () => h.close());

async function initialized(mode?: string): Promise<Au> {
  const au = await startAu(h, courseId, mode ? { mode } : {});
  expect(await send(h, au, cmi5Statement(au, VERBS.initialized))).toBe(204);
  return au;
}

async function stored(id: unknown): Promise<boolean> {
  const res = await request(h.app).get('/xapi/statements').query({ statementId: String(id) }).set(V).set('Authorization', h.lrsAuth);
  return res.status === 200;
}

it('requires initialized first and refuses a second initialized', async () => {
  const au = await startAu(h, courseId);
  const early = cmi5Statement(au, 'http://adlnet.gov/expapi/verbs/experienced', { defined: false });
  expect(await send(h, au, early)).toBe(403);
  expect(await stored(early['id'])).toBe(false);
  expect(await send(h, au, cmi5Statement(au, VERBS.completed, { result: R.completed() }))).toBe(403);
  expect(await send(h, au, cmi5Statement(au, VERBS.initialized))).toBe(204);
  expect(await send(h, au, cmi5Statement(au, VERBS.initialized))).toBe(403);
  // cmi5 allowed statements are fine between initialized and terminated.
  expect(await send(h, au, cmi5Statement(au, 'http://adlnet.gov/expapi/verbs/experienced', { defined: false }))).toBe(204);
});

it('accepts nothing after terminated, also in the same batch, and ends the session', async () => {
  const au = await initialized();
  const term = cmi5Statement(au, VERBS.terminated, { result: R.terminated() });
  const after = cmi5Statement(au, 'http://adlnet.gov/expapi/verbs/experienced', { defined: false });
  await request(h.app).post('/xapi/statements').set(V).set('Authorization', au.auth).send([term, after]).expect(403);
  expect(await stored(term['id'])).toBe(false);
  expect(await send(h, au, term)).toBe(204);
  expect(await send(h, au, after)).toBe(403);
  expect(await stored(after['id'])).toBe(false);
});

it('refuses completed, passed and failed in Browse and Review mode', async () => {
  for (const mode of ['browse', 'review']) {
    const au = await initialized(mode);
    expect(au.launchData['launchMode']).toBe(mode === 'browse' ? 'Browse' : 'Review');
    expect(await send(h, au, cmi5Statement(au, VERBS.completed, { result: R.completed() }))).toBe(403);
    expect(await send(h, au, cmi5Statement(au, VERBS.passed, { result: R.passed(0.9), mastery: 0.8 }))).toBe(403);
    expect(await send(h, au, cmi5Statement(au, VERBS.failed, { result: R.failed(0.1), mastery: 0.8 }))).toBe(403);
    expect(await send(h, au, cmi5Statement(au, VERBS.terminated, { result: R.terminated() }))).toBe(204);
  }
});

it('keeps passed and failed consistent with masteryScore', async () => {
  const au = await initialized();
  expect(await send(h, au, cmi5Statement(au, VERBS.passed, { result: R.passed(0.79), mastery: 0.8 }))).toBe(403);
  expect(await send(h, au, cmi5Statement(au, VERBS.failed, { result: R.failed(0.8), mastery: 0.8 }))).toBe(403);
  expect(await send(h, au, cmi5Statement(au, VERBS.failed, { result: R.failed(0.95), mastery: 0.8 }))).toBe(403);
  // The masteryScore extension must be there and be the LMS's.
  expect(await send(h, au, cmi5Statement(au, VERBS.passed, { result: R.passed(0.9) }))).toBe(403);
  expect(await send(h, au, cmi5Statement(au, VERBS.passed, { result: R.passed(0.9), mastery: 0.5 }))).toBe(403);
  expect(await send(h, au, cmi5Statement(au, VERBS.failed, { result: R.failed(0.5), mastery: 0.8 }))).toBe(204);
  // One of passed/failed per session.
  expect(await send(h, au, cmi5Statement(au, VERBS.passed, { result: R.passed(0.9), mastery: 0.8 }))).toBe(403);
  expect(await send(h, au, cmi5Statement(au, VERBS.terminated, { result: R.terminated() }))).toBe(204);

  const next = await initialized();
  const pass = cmi5Statement(next, VERBS.passed, { result: R.passed(0.9), mastery: 0.8 });
  expect(await send(h, next, pass)).toBe(204);
  // Re-sending the same statement (a retry) is accepted as before.
  expect(await send(h, next, pass)).toBe(204);
  expect(await send(h, next, cmi5Statement(next, VERBS.terminated, { result: R.terminated() }))).toBe(204);
  // In the registration: no second passed, no failed after passed.
  const third = await initialized();
  expect(await send(h, third, cmi5Statement(third, VERBS.passed, { result: R.passed(0.95), mastery: 0.8 }))).toBe(403);
  expect(await send(h, third, cmi5Statement(third, VERBS.failed, { result: R.failed(0.1), mastery: 0.8 }))).toBe(403);
});

it('requires the session id, the registration, the AU as object and the category rules of cmi5 defined statements', async () => {
  const au = await initialized();
  const wrongSession = cmi5Statement(au, VERBS.completed, { result: R.completed() });
  ((wrongSession['context'] as Record<string, unknown>)['extensions'] as Record<string, unknown>)[SESSION_EXT] = 'another-session';
  expect(await send(h, au, wrongSession)).toBe(403);
  const noSession = cmi5Statement(au, 'http://adlnet.gov/expapi/verbs/experienced', { defined: false });
  delete ((noSession['context'] as Record<string, unknown>)['extensions'] as Record<string, unknown>)[SESSION_EXT];
  expect(await send(h, au, noSession)).toBe(403);
  const wrongReg = cmi5Statement(au, VERBS.completed, { result: R.completed() });
  (wrongReg['context'] as Record<string, unknown>)['registration'] = '11111111-2222-4333-8444-555555555555';
  expect(await send(h, au, wrongReg)).toBe(403);
  const wrongObject = cmi5Statement(au, VERBS.completed, { result: R.completed() });
  wrongObject['object'] = { objectType: 'Activity', id: 'http://example.com/cmi5/rules-au' };
  expect(await send(h, au, wrongObject)).toBe(403);
  expect(await send(h, au, cmi5Statement(au, VERBS.completed, { result: { ...R.completed(), success: true } }))).toBe(403);
  expect(await send(h, au, cmi5Statement(au, VERBS.completed, { result: { completion: true } }))).toBe(403);
  expect(await send(h, au, cmi5Statement(au, VERBS.completed, { result: R.completed(), moveOn: false }))).toBe(403);
  expect(await send(h, au, cmi5Statement(au, 'http://adlnet.gov/expapi/verbs/experienced', { defined: false, moveOn: true }))).toBe(403);
  expect(await send(h, au, cmi5Statement(au, VERBS.satisfied))).toBe(403);
  const noTimestamp = cmi5Statement(au, VERBS.completed, { result: R.completed() });
  delete noTimestamp['timestamp'];
  expect(await send(h, au, noTimestamp)).toBe(403);
  const local = cmi5Statement(au, VERBS.completed, { result: R.completed() });
  local['timestamp'] = '2030-01-01T10:00:00-06:00';
  expect(await send(h, au, local)).toBe(403);
  const ok = cmi5Statement(au, VERBS.completed, { result: R.completed() });
  expect(await send(h, au, ok)).toBe(204);
  expect(await send(h, au, cmi5Statement(au, VERBS.completed, { result: R.completed() }))).toBe(403);
  const kept = await lrsStatements(h, { registration: au.registration, verb: VERBS.completed });
  expect(kept.map((s) => s['id'])).toEqual([ok['id']]);
  expect(((kept[0]?.['context'] as Record<string, unknown>)['contextActivities'] as Record<string, unknown>)['category']).toContainEqual({ id: MOVEON_CATEGORY });
  expect(MASTERY_EXT).toMatch(/masteryscore$/);
});

it('abandons a session left open when the learner launches again, and refuses its token afterwards', async () => {
  const first = await initialized();
  const second = await startAu(h, courseId);
  const abandoned = (await lrsStatements(h, { registration: first.registration, verb: VERBS.abandoned }))
    .filter((s) => ((s['context'] as Record<string, Record<string, unknown>>)['extensions'] ?? {})[SESSION_EXT] === first.sessionId);
  expect(abandoned).toHaveLength(1);
  expect(abandoned[0]).toMatchObject({ object: { id: first.activityId }, result: { duration: expect.stringMatching(/^PT[\d.]+S$/) } });
  expect(await send(h, first, cmi5Statement(first, 'http://adlnet.gov/expapi/verbs/experienced', { defined: false }))).toBe(403);
  expect(await send(h, second, cmi5Statement(second, VERBS.initialized))).toBe(204);
});

describe('the AU token and the LMS documents (cmi5 8.2.1, 10.0)', () => {
  const state = (au: Au, stateId: string) => ({
    activityId: au.activityId, agent: JSON.stringify(au.actor), registration: au.registration, stateId,
  });

  it('may read LMS.LaunchData but never change or delete it', async () => {
    const au = await initialized();
    const read = await request(h.app).get('/xapi/activities/state').query(state(au, 'LMS.LaunchData')).set(V).set('Authorization', au.auth);
    expect(read.status).toBe(200);
    const put = await request(h.app).put('/xapi/activities/state').query(state(au, 'LMS.LaunchData')).set(V).set('Authorization', au.auth)
      .set('Content-Type', 'application/json').send({ launchMode: 'Normal', moveOn: 'NotApplicable' });
    expect(put.status).toBe(403);
    const del = await request(h.app).delete('/xapi/activities/state').query(state(au, 'LMS.LaunchData')).set(V).set('Authorization', au.auth);
    expect(del.status).toBe(403);
    const bulk = await request(h.app).delete('/xapi/activities/state')
      .query({ activityId: au.activityId, agent: JSON.stringify(au.actor), registration: au.registration }).set(V).set('Authorization', au.auth);
    expect(bulk.status).toBe(403);
    const again = await request(h.app).get('/xapi/activities/state').query(state(au, 'LMS.LaunchData')).set(V).set('Authorization', au.auth);
    expect(again.body).toEqual(read.body);
    // Its own State documents are the AU's to write.
    const own = await request(h.app).put('/xapi/activities/state').query(state(au, 'bookmark')).set(V).set('Authorization', au.auth)
      .set('Content-Type', 'application/json').send({ page: 3 });
    expect(own.status).toBe(204);
  });

  it('refuses every request with the token once the session has terminated', async () => {
    const au = await initialized();
    expect(await send(h, au, cmi5Statement(au, VERBS.terminated, { result: R.terminated() }))).toBe(204);
    const read = await request(h.app).get('/xapi/activities/state').query(state(au, 'LMS.LaunchData')).set(V).set('Authorization', au.auth);
    expect(read.status).toBe(403);
    const query = await request(h.app).get('/xapi/statements').query({ registration: au.registration }).set(V).set('Authorization', au.auth);
    expect(query.status).toBe(403);
  });
});
