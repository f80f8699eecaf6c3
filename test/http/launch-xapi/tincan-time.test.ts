/**
 * TinCan time (issue 17 items 10 and 17): a sitting's suspended and terminated statements count
 * once; the durations a game reports on its own statements count; a course that reports no time
 * gets the time LearnHQ's player page measured, labelled as such — and the player's report is
 * the learner's own, capped by the clock, and refused to anyone else.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createPlayerHarness, type PlayerHarness } from '../cmi5/harness';
import { tincanPlayerZip } from '../cmi5/packages';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const V = { 'X-Experience-API-Version': '1.0.3' };

let h: PlayerHarness;
beforeAll(async () => {
  h = await createPlayerHarness();
});
afterAll(async () => h.close());

interface Played { courseId: string; sessionId: string; registration: string; send(statements: Json[]): Promise<void>; at(s: number): string }

/** Publishes a TinCan course and launches it; `send` posts statements with the launch token. */
async function play(): Promise<Played> {
  const activity = `http://example.com/time/${randomUUID()}`;
  const courseId = await h.publish(tincanPlayerZip(activity, '<title>x</title>', [`${activity}/round`]));
  const l = await h.launch(courseId);
  const url = new URL(l.frameUrl);
  const actor = JSON.parse(url.searchParams.get('actor') ?? '{}') as Json;
  const t0 = Date.now() - 120_000;
  return {
    courseId, sessionId: l.sessionId, registration: l.registration,
    at: (s) => new Date(t0 + s * 1000).toISOString(),
    async send(statements) {
      const full = statements.map((st) => ({ id: randomUUID(), actor, object: { id: activity }, context: { registration: l.registration }, ...st }));
      await request(h.app).post('/xapi/statements').set(V).set('Authorization', url.searchParams.get('auth') ?? '').send(full).expect(200);
    },
  };
}

const verb = (v: string): Json => ({ id: `http://adlnet.gov/expapi/verbs/${v}` });
const progress = async (courseId: string): Promise<Json> => (await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200)).body.progress as Json;
const reportTime = (sessionId: string, body: unknown, who: 'learner' | 'other' = 'learner'): request.Test =>
  request(h.app).post(`/api/play/${sessionId}/time`).set(h.as(who)).send(body as object);

it('counts a sitting once when it ends with both suspended (PT17S) and terminated (PT6S): 17 s, not 23', async () => {
  const p = await play();
  await p.send([
    { verb: verb('initialized'), timestamp: p.at(0) },
    { verb: verb('suspended'), timestamp: p.at(17), result: { duration: 'PT17S' } },
    { verb: verb('terminated'), timestamp: p.at(17), result: { duration: 'PT6S' } },
  ]);
  expect(await progress(p.courseId)).toMatchObject({ totalSeconds: 17, timeSource: 'content' });
});

it('derives time from the durations a game reports on its statements (four rounds of PT5S, no terminated): 20 s, not 0', async () => {
  const p = await play();
  await p.send([1, 2, 3, 4].map((n) => ({ verb: verb('played'), timestamp: p.at(n * 5.25), result: { duration: 'PT5S', score: { raw: n, min: 0, max: 10 } } })));
  expect(await progress(p.courseId)).toMatchObject({ totalSeconds: 20, timeSource: 'content' });
});

it('uses the time the player measured when the content reports none, labelled as such, and never lowers it', async () => {
  const p = await play();
  await p.send([{ verb: verb('experienced'), timestamp: p.at(1) }]);
  expect(await progress(p.courseId)).toMatchObject({ totalSeconds: 0, timeSource: 'content' });
  await new Promise((r) => setTimeout(r, 1200));
  await reportTime(p.sessionId, { seconds: 1.1 }).expect(204);
  await reportTime(p.sessionId, { seconds: 0.4 }).expect(204);
  expect(await progress(p.courseId)).toMatchObject({ totalSeconds: 1, timeSource: 'player' });
  const page = await request(h.app).get(`/courses/${p.courseId}`).set(h.as('learner')).expect(200);
  expect(page.text).toMatch(/data-field="time">1 s <span class="muted time-source">\(measured by LearnHQ\)<\/span>/);
  // Once the content reports time, its report stands.
  await p.send([{ verb: verb('terminated'), timestamp: p.at(30), result: { duration: 'PT30S' } }]);
  expect(await progress(p.courseId)).toMatchObject({ totalSeconds: 30, timeSource: 'content' });
});

it('caps a report at the time since the session opened, and ignores reports of review sessions', async () => {
  const p = await play();
  await reportTime(p.sessionId, { seconds: 3600 }).expect(204);
  const stored = await h.store.launch.findLaunchSession(p.sessionId);
  expect(stored?.playerSeconds).toBeLessThanOrEqual(7);
  const review = await request(h.app).post(`/api/courses/${p.courseId}/launch`).set(h.as('learner')).send({ mode: 'review' }).expect(201);
  await reportTime(review.body.sessionId as string, { seconds: 2 }).expect(204);
  expect((await h.store.launch.findLaunchSession(review.body.sessionId as string))?.playerSeconds).toBeUndefined();
});

it('takes reports only from the session\'s learner, signed in, with the CSRF token, and a number', async () => {
  const p = await play();
  await request(h.app).post(`/api/play/${p.sessionId}/time`).send({ seconds: 5 }).expect(401);
  await request(h.app).post(`/api/play/${p.sessionId}/time`).set('X-Test-User', h.users.learner.userId).set('X-CSRF-Token', 'wrong').send({ seconds: 5 }).expect(403);
  await reportTime(p.sessionId, { seconds: 5 }, 'other').expect(403);
  await reportTime(randomUUID(), { seconds: 5 }).expect(404);
  for (const bad of [{}, { seconds: -1 }, { seconds: '5' }, { seconds: null }]) {
    const res = await reportTime(p.sessionId, bad).expect(400);
    expect(res.body.message).toMatch(/^seconds: must be a number of seconds/);
  }
  // A page going away sends its report as text/plain; it counts the same.
  await request(h.app).post(`/api/play/${p.sessionId}/time`).set(h.as('learner')).set('Content-Type', 'text/plain').send(JSON.stringify({ seconds: 0.5 })).expect(204);
  expect((await h.store.launch.findLaunchSession(p.sessionId))?.playerSeconds).toBe(0.5);
});
