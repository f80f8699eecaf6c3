/**
 * A TinCan course's launch token writes the Activity Profiles of the course's own activities
 * (issue 17 item 14: a game's high-score table failed with 403) — and of nothing else; it still
 * never writes an Agent Profile. The documents are shared by every learner of the course.
 */
import request from 'supertest';
import { createPlayerHarness, type PlayerHarness } from '../cmi5/harness';
import { tincanPlayerZip } from '../cmi5/packages';

const GAME = 'http://example.com/games/asteroids';
const LEVEL = 'http://example.com/games/asteroids/level-1';
const V = { 'X-Experience-API-Version': '1.0.3' };
let h: PlayerHarness;
let courseId: string;

beforeAll(async () => {
  h = await createPlayerHarness();
  courseId = await h.publish(tincanPlayerZip(GAME, '<!doctype html><title>game</title>', [LEVEL]));
});
afterAll(async () => h.close());

async function tokenOf(who: 'learner' | 'other', course = courseId): Promise<string> {
  const l = await h.launch(course, {}, who);
  return new URL(l.frameUrl).searchParams.get('auth') ?? '';
}

const putProfile = (auth: string, activityId: string, body: unknown, headers: Record<string, string> = {}): request.Test =>
  request(h.app).put('/xapi/activities/profile').query({ activityId, profileId: 'highscores' }).set(V).set(headers).set('Authorization', auth).send(body as object);

it('writes and rewrites the high-score table of the course\'s main activity and of its listed activities', async () => {
  const auth = await tokenOf('learner');
  await putProfile(auth, GAME, { top: [{ name: 'A', score: 120 }] }, { 'If-None-Match': '*' }).expect(204);
  const read = await request(h.app).get('/xapi/activities/profile').query({ activityId: GAME, profileId: 'highscores' }).set(V).set('Authorization', auth).expect(200);
  expect(read.body).toEqual({ top: [{ name: 'A', score: 120 }] });
  // Another learner of the course reads it and updates it with its ETag (Activity Profiles are shared).
  const other = await tokenOf('other');
  const seen = await request(h.app).get('/xapi/activities/profile').query({ activityId: GAME, profileId: 'highscores' }).set(V).set('Authorization', other).expect(200);
  await putProfile(other, GAME, { top: [{ name: 'B', score: 300 }, { name: 'A', score: 120 }] }, { 'If-Match': String(seen.headers['etag']) }).expect(204);
  await putProfile(auth, LEVEL, { best: 42 }, { 'If-None-Match': '*' }).expect(204);
  await request(h.app).delete('/xapi/activities/profile').query({ activityId: LEVEL, profileId: 'highscores' }).set(V).set('Authorization', auth).expect(204);
});

it('is refused (403) for an activity outside the course, another course\'s included, and the Agent Profile stays read-only', async () => {
  const auth = await tokenOf('learner');
  const outside = await putProfile(auth, 'http://example.com/not-this-course', { x: 1 }).expect(403);
  expect(outside.body.message).toMatch(/Activity Profiles of its course's own activities only/);
  const otherCourse = await h.publish(tincanPlayerZip('http://example.com/games/other', '<title>other</title>'));
  const otherAuth = await tokenOf('learner', otherCourse);
  await putProfile(otherAuth, GAME, { x: 1 }).expect(403);
  await request(h.app).post('/xapi/activities/profile').query({ activityId: GAME, profileId: 'p2' }).set(V).set('Authorization', otherAuth).send({ x: 1 }).expect(403);
  await request(h.app).put('/xapi/agents/profile').query({ agent: JSON.stringify(JSON.parse(new URL((await h.launch(courseId)).frameUrl).searchParams.get('actor') ?? '{}')), profileId: 'p' })
    .set(V).set('Authorization', auth).send({ x: 1 }).expect(403);
  // Nothing of the refused writes was stored.
  await request(h.app).get('/xapi/activities/profile').query({ activityId: GAME, profileId: 'p2' }).set(V).set('Authorization', h.lrsAuth).expect(404);
  await request(h.app).get('/xapi/activities/profile').query({ activityId: 'http://example.com/not-this-course', profileId: 'highscores' }).set(V).set('Authorization', h.lrsAuth).expect(404);
});
