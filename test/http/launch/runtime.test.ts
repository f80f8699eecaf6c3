import request from 'supertest';
import { scorm12Package, scorm2004Package } from '../../fixtures/scorm-packages';
import { createLaunchHarness, tokenOf, type LaunchHarness, type LaunchUser } from './harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: LaunchHarness;
beforeAll(async () => {
  h = await createLaunchHarness();
});
afterAll(async () => {
  await h.close();
});

async function launch(courseId: string, who: LaunchUser = 'learner', mode = 'normal'): Promise<{ launch: Json; token: string; play: Json }> {
  const res = await request(h.app).post(`/api/courses/${courseId}/launch`).set(h.as(who)).send({ mode }).expect(201);
  const play = await request(h.app).get(`/api/play/${res.body.sessionId}`).set(h.as(who)).expect(200);
  return { launch: res.body as Json, token: tokenOf(play.body.frameUrl as string), play: play.body as Json };
}

const seed = (sid: string, token: string) => request(h.app).get(`/api/runtime/sessions/${sid}`).set('Authorization', token);
const commit = (sid: string, token: string, body: Json) =>
  request(h.app).post(`/api/runtime/sessions/${sid}/commits`).set('Authorization', token).send(body);

async function statementsOf(registration: string): Promise<Json[]> {
  const res = await request(h.app).get('/xapi/statements').query({ registration, limit: '200' })
    .set('Authorization', h.lrsAuth).set('X-Experience-API-Version', '2.0.0').expect(200);
  return res.body.statements as Json[];
}

describe('registrations, attempts and launch sessions', () => {
  it('a learner launches, resumes the same attempt, and another learner gets their own registration', async () => {
    const courseId = await h.publish(scorm12Package());
    const before = await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200);
    expect(before.body.registration).toBeUndefined();
    expect(before.body.actions).toEqual({ launch: true, resume: false, review: false });

    const a = await launch(courseId);
    expect(a.launch).toMatchObject({ mode: 'normal', format: 'scorm12', attempt: { number: 1 }, versionNumber: 1 });
    expect(a.launch.launchUrl).toBe(`${h.config.publicUrl}/play/${a.launch.sessionId}`);
    expect(a.play.frameUrl.startsWith(`${h.config.contentUrl}/launch/${a.launch.sessionId}#`)).toBe(true);
    const b = await launch(courseId);
    expect(b.launch.registration).toBe(a.launch.registration);
    expect(b.launch.attempt).toEqual(a.launch.attempt);
    const other = await launch(courseId, 'other');
    expect(other.launch.registration).not.toBe(a.launch.registration);

    const me = await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200);
    expect(me.body.registration.id).toBe(a.launch.registration);
    expect(me.body.actions).toEqual({ launch: false, resume: true, review: true });
    expect(me.body.units).toEqual([{ id: 'item1', title: 'Lesson one' }]);
  });

  it('refuses unknown courses, bad modes, review before any attempt and another learner\'s player', async () => {
    const courseId = await h.publish(scorm12Package());
    await request(h.app).post('/api/courses/nope/launch').set(h.as('learner')).send({}).expect(404);
    const bad = await request(h.app).post(`/api/courses/${courseId}/launch`).set(h.as('learner')).send({ mode: 'fast' }).expect(400);
    expect(bad.body.message).toMatch(/^mode:/);
    await request(h.app).post(`/api/courses/${courseId}/launch`).set(h.as('learner')).send({ mode: 'review' }).expect(409);
    await request(h.app).post(`/api/courses/${courseId}/launch`).send({}).expect(401);
    const a = await launch(courseId);
    await request(h.app).get(`/api/play/${a.launch.sessionId}`).set(h.as('other')).expect(403);
  });
});

describe('the runtime API', () => {
  it('seeds, commits idempotently, resumes with the stored data and writes the SCORM profile statements', async () => {
    const courseId = await h.publish(scorm12Package());
    const { launch: l, token } = await launch(courseId);
    const sid = l.sessionId as string;
    const first = await seed(sid, token).set('Origin', new URL(h.config.contentUrl).origin).expect(200);
    expect(first.headers['access-control-allow-origin']).toBe(new URL(h.config.contentUrl).origin);
    expect(first.body).toMatchObject({ format: 'scorm12', mode: 'normal', startScoId: 'item1', registration: l.registration });
    const sco = first.body.scos[0];
    expect(sco.launchUrl).toMatch(new RegExp(`^${h.config.contentUrl}/content/[^/]+/sco/index.html$`));
    expect(sco.cmi.core).toMatchObject({ entry: 'ab-initio', student_id: h.users.learner.userId, lesson_mode: 'normal' });
    expect(sco.cmi.student_data.mastery_score).toBe('80');

    const cmi = (over: Json) => ({ cmi: { suspend_data: 'state-1', core: { lesson_location: 'page-2', lesson_status: 'incomplete', exit: '', session_time: '00:00:30', total_time: '00:00:30', score: { raw: '', min: '', max: '' }, ...over } } });
    expect((await commit(sid, token, { scoId: 'item1', seq: 100, cmi: cmi({}), event: 'initialize' }).expect(200)).body).toMatchObject({ applied: true, seq: 100 });
    const suspended = await commit(sid, token, { scoId: 'item1', seq: 101, cmi: cmi({ exit: 'suspend' }), event: 'terminate' }).expect(200);
    expect(suspended.body).toMatchObject({ applied: true, seq: 101, attempt: { completion: 'incomplete', suspended: true } });
    // A repeated and an older commit change nothing.
    expect((await commit(sid, token, { scoId: 'item1', seq: 101, cmi: cmi({ lesson_location: 'page-9' }) }).expect(200)).body).toMatchObject({ applied: false, seq: 101 });
    expect((await commit(sid, token, { scoId: 'item1', seq: 50, cmi: cmi({ lesson_location: 'page-0' }) }).expect(200)).body).toMatchObject({ applied: false, seq: 101 });

    const again = await launch(courseId);
    expect(again.launch.attempt.id).toBe(l.attempt.id);
    const resumed = await seed(again.launch.sessionId, again.token).expect(200);
    expect(resumed.body.scos[0].seq).toBe(101);
    expect(resumed.body.scos[0].cmi).toMatchObject({ suspend_data: 'state-1', core: { lesson_location: 'page-2', entry: 'resume', total_time: '00:00:30' } });
    expect(resumed.body.scos[0].cmi.core.exit).toBeUndefined();

    const sid2 = again.launch.sessionId as string;
    await commit(sid2, again.token, { scoId: 'item1', seq: 200, cmi: cmi({ entry: 'resume' }), event: 'initialize' }).expect(200);
    const withAnswer = cmi({ lesson_status: 'passed', score: { raw: '90', min: '0', max: '100' }, total_time: '00:01:00' });
    (withAnswer.cmi as Json)['interactions'] = { 0: { id: 'q1', type: 'choice', student_response: 'b', result: 'correct', correct_responses: { 0: { pattern: 'b' } } } };
    const passed = await commit(sid2, again.token, { scoId: 'item1', seq: 201, cmi: withAnswer, event: 'terminate' }).expect(200);
    expect(passed.body.attempt).toMatchObject({ completion: 'completed', success: 'passed', scoreScaled: 0.9, suspended: false });

    const verbs = (await statementsOf(l.registration as string)).map((s) => (s.verb.id as string).split('/').pop()).sort();
    expect(verbs).toEqual(['completed', 'initialized', 'passed', 'responded', 'resumed', 'scored', 'suspended', 'terminated'].sort());
    const st = (await statementsOf(l.registration as string)).find((s) => s.verb.id.endsWith('/passed'))!;
    expect(st.object.id).toBe(`${h.config.publicUrl}/courses/${courseId}/sco/item1`);
    expect(st.object.definition.type).toBe('http://adlnet.gov/expapi/activities/lesson');
    expect(st.context.registration).toBe(l.registration);
    expect(st.context.contextActivities.category[0].id).toBe('https://w3id.org/xapi/scorm');
    expect(st.context.contextActivities.grouping.map((g: Json) => g.definition.type)).toEqual([
      'http://adlnet.gov/expapi/activities/attempt', 'http://adlnet.gov/expapi/activities/course']);
    expect(st.actor.account).toEqual({ homePage: h.config.publicUrl, name: h.users.learner.userId });
    const responded = (await statementsOf(l.registration as string)).find((s) => s.verb.id.endsWith('/responded'))!;
    expect(responded.object.id).toBe(`${h.config.publicUrl}/courses/${courseId}/sco/item1/interactions/q1`);
    expect(responded.result).toEqual({ response: 'b', success: true });

    // The profile's State documents.
    const agent = JSON.stringify({ objectType: 'Agent', account: { homePage: h.config.publicUrl, name: h.users.learner.userId } });
    const state = await request(h.app).get('/xapi/activities/state').set('Authorization', h.lrsAuth).set('X-Experience-API-Version', '2.0.0')
      .query({ activityId: st.object.id, agent, stateId: 'https://w3id.org/xapi/scorm/activity-state' }).expect(200);
    expect(state.body.attempts).toEqual([`${st.object.id}/attempts/${l.attempt.id}`]);
    const attemptState = await request(h.app).get('/xapi/activities/state').set('Authorization', h.lrsAuth).set('X-Experience-API-Version', '2.0.0')
      .query({ activityId: state.body.attempts[0], agent, stateId: 'https://w3id.org/xapi/scorm/attempt-state' }).expect(200);
    expect(attemptState.body).toMatchObject({ location: 'page-2', total_time: 'PT0H1M0S' });

    // Done: the next normal launch is attempt 2; review reopens attempt 2's data read-only.
    const me = await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200);
    expect(me.body.progress).toMatchObject({ completion: 'completed', success: 'passed', scoreScaled: 0.9, totalSeconds: 60 });
    expect(me.body.actions).toEqual({ launch: true, resume: false, review: true });
    const next = await launch(courseId);
    expect(next.launch.attempt.number).toBe(2);
    const review = await launch(courseId, 'learner', 'review');
    expect(review.launch.attempt.number).toBe(2);
    expect((await commit(review.launch.sessionId, review.token, { scoId: 'item1', seq: 999, cmi: withAnswer }).expect(200)).body.applied).toBe(false);
  });

  it('answers 401 without a launch token, 403 for another learner\'s token and 400 for a malformed commit', async () => {
    const courseId = await h.publish(scorm2004Package());
    const mine = await launch(courseId);
    const theirs = await launch(courseId, 'other');
    const sid = mine.launch.sessionId as string;
    await request(h.app).get(`/api/runtime/sessions/${sid}`).expect(401);
    await seed(sid, 'Basic ' + Buffer.from('launch:not-a-jwt').toString('base64')).expect(401);
    await seed(sid, h.lrsAuth).expect(401);
    const forbidden = await seed(sid, theirs.token).expect(403);
    expect(forbidden.body.message).toMatch(/another learner/);
    await commit(sid, theirs.token, { scoId: 'item1', seq: 1, cmi: {} }).expect(403);
    expect((await commit(sid, mine.token, { scoId: 'item1', seq: 0, cmi: {} }).expect(400)).body.message).toMatch(/^seq:/);
    expect((await commit(sid, mine.token, { scoId: 'nope', seq: 1, cmi: {} }).expect(400)).body.message).toMatch(/^scoId:/);
    const pre = await request(h.app).options(`/api/runtime/sessions/${sid}/commits`).set('Origin', new URL(h.config.contentUrl).origin).expect(204);
    expect(pre.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const foreign = await request(h.app).options(`/api/runtime/sessions/${sid}/commits`).set('Origin', 'http://evil.test').expect(204);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const seed2004 = await seed(sid, mine.token).expect(200);
    expect(seed2004.body).toMatchObject({ format: 'scorm2004', sequencing: { activityTree: { id: 'o1' } } });
    expect(seed2004.body.scos[0].cmi).toMatchObject({ entry: 'ab-initio', learner_id: h.users.learner.userId, mode: 'normal', credit: 'credit' });
  });
});

describe('the content origin launcher', () => {
  it('serves the launcher page framed only by the app origin, and its bundle', async () => {
    const page = await request(h.content).get('/launch/0e4c6f7e-1c1e-4d8a-9d55-2a1b3c4d5e6f').expect(200);
    expect(page.headers['content-security-policy']).toContain(`frame-ancestors ${new URL(h.config.publicUrl).origin}`);
    expect(page.text).toContain('/launch-assets/launcher.js');
    await request(h.content).get('/launch/not-a-session').expect(404);
    const js = await request(h.content).get('/launch-assets/launcher.js').expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
  });
});
