/**
 * The ADL xAPI SCORM Profile (https://w3id.org/xapi/scorm) as the SCORM runtime writes it: commits
 * go through /api/runtime/sessions/:id/commits, and the statements and the profile's documents
 * are read back through the LRS's own xAPI API (/xapi/statements, /xapi/activities/state,
 * /xapi/activities/profile).
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { SCO_PAGE, scorm12Package } from '../../fixtures/scorm-packages';
import { buildZip } from '../../fixtures/zip-builder';
import { createLaunchHarness, tokenOf, type LaunchHarness } from './harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PROFILE = 'https://w3id.org/xapi/scorm';
const T = 'http://adlnet.gov/expapi/activities/';
const ACTIVITY_STATE = 'https://w3id.org/xapi/scorm/activity-state';
const ATTEMPT_STATE = 'https://w3id.org/xapi/scorm/attempt-state';
const ACTIVITY_PROFILE = 'https://w3id.org/xapi/scorm/activity-profile';

/** A one-SCO SCORM 2004 package whose item carries every value of the profile's Activity Profile. */
function profiled2004Package(): Buffer {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="p2004prof" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o1"><organization identifier="o1"><title>Profiled course</title>
    <item identifier="lesson-1" identifierref="r1"><title>Lesson one</title>
      <adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>
      <adlcp:dataFromLMS>chapter=3</adlcp:dataFromLMS>
      <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8"/>
      <imsss:sequencing>
        <imsss:limitConditions attemptAbsoluteDurationLimit="PT30M"/>
        <imsss:objectives><imsss:primaryObjective objectiveID="lesson-1-pass" satisfiedByMeasure="true">
          <imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>
        </imsss:primaryObjective></imsss:objectives>
      </imsss:sequencing>
    </item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="sco/index.html"><file href="sco/index.html"/></resource></resources>
</manifest>`;
  return buildZip([{ name: 'imsmanifest.xml', data: xml }, { name: 'sco/index.html', data: SCO_PAGE }]);
}

let h: LaunchHarness;
beforeAll(async () => {
  h = await createLaunchHarness();
});
afterAll(async () => {
  await h.close();
});

async function launch(courseId: string): Promise<{ sid: string; token: string; registration: string; attemptId: string; attemptNumber: number }> {
  const res = await request(h.app).post(`/api/courses/${courseId}/launch`).set(h.as('learner')).send({ mode: 'normal' }).expect(201);
  const play = await request(h.app).get(`/api/play/${res.body.sessionId}`).set(h.as('learner')).expect(200);
  return {
    sid: res.body.sessionId as string, token: tokenOf(play.body.frameUrl as string), registration: res.body.registration as string,
    attemptId: res.body.attempt.id as string, attemptNumber: res.body.attempt.number as number,
  };
}

async function commit(l: { sid: string; token: string }, body: Json): Promise<Json> {
  const res = await request(h.app).post(`/api/runtime/sessions/${l.sid}/commits`).set('Authorization', l.token).send(body).expect(200);
  return res.body as Json;
}

const lrs = (path: string) => request(h.app).get(path).set('Authorization', h.lrsAuth).set('X-Experience-API-Version', '2.0.0');

async function statementsOf(registration: string): Promise<Json[]> {
  const res = await lrs('/xapi/statements').query({ registration, limit: '500' }).expect(200);
  return (res.body.statements as Json[]).slice().reverse(); // oldest first
}

function learnerAgent(): string {
  return JSON.stringify({ objectType: 'Agent', account: { homePage: h.config.publicUrl, name: h.users.learner.userId } });
}

function state(activityId: string, stateId: string): request.Test {
  return lrs('/xapi/activities/state').query({ activityId, agent: learnerAgent(), stateId });
}

const verbName = (s: Json): string => String(s.verb.id).split('/').pop() ?? '';
const groupingOf = (s: Json, type: string): string[] =>
  (s.context.contextActivities.grouping as Json[]).filter((g) => g.definition?.type === `${T}${type}`).map((g) => g.id as string);

/** What the profile requires of every statement, and of each template's object and parent. */
function expectProfileShape(s: Json, registration: string, courseIri: string, scoIri: string): void {
  expect(typeof s.timestamp).toBe('string');
  expect(s.context.registration).toBe(registration);
  expect((s.context.contextActivities.category as Json[]).map((c) => c.id)).toContain(PROFILE);
  expect(groupingOf(s, 'course')).toEqual([courseIri]);
  const attempts = groupingOf(s, 'attempt');
  expect(attempts).toHaveLength(1);
  expect(attempts[0]!.startsWith(`${scoIri}/attempts/`)).toBe(true);
  expect(s.actor.account).toEqual({ homePage: h.config.publicUrl, name: h.users.learner.userId });
  const type = s.object.definition?.type as string;
  if (type === `${T}lesson`) {
    expect(s.object.id).toBe(scoIri);
  } else {
    // Interactions and objectives hang under the SCO, which the profile's templates type as a lesson.
    expect(s.context.contextActivities.parent).toEqual([expect.objectContaining({ id: scoIri, definition: expect.objectContaining({ type: `${T}lesson` }) })]);
    expect([`${T}cmi.interaction`, `${T}objective`]).toContain(type);
  }
}

const only = (doc: Json, allowed: string[]): void => expect(Object.keys(doc).filter((k) => !allowed.includes(k))).toEqual([]);

describe('SCORM 2004 runtime → ADL xAPI SCORM Profile', () => {
  it('writes the activity profile, the attempts list and the attempt state, and one statement per runtime event', async () => {
    const courseId = await h.publish(profiled2004Package());
    const courseIri = `${h.config.publicUrl}/courses/${courseId}`;
    const scoIri = `${courseIri}/sco/lesson-1`;
    const a = await launch(courseId);
    const base = `${scoIri}/attempts/${a.attemptId}`;
    const cmi = (over: Json): Json => ({
      cmi: {
        entry: 'ab-initio', mode: 'normal', credit: 'credit', location: '', completion_status: 'incomplete', success_status: 'unknown',
        learner_preference: { language: 'fr-FR', audio_level: '1.5', delivery_speed: '1', audio_captioning: '1' }, total_time: 'PT0S', ...over,
      },
    });

    await commit(a, { scoId: 'lesson-1', seq: 1, cmi: cmi({}), event: 'initialize' });

    // Activity Profile: the manifest's values, the same for every learner, on the SCO activity.
    const prof = await lrs('/xapi/activities/profile').query({ activityId: scoIri, profileId: ACTIVITY_PROFILE }).expect(200);
    expect(prof.body).toEqual({ completion_threshold: 0.8, launch_data: 'chapter=3', max_time_allowed: 1800, scaled_passing_score: 0.6, time_limit_action: 'exit,message' });
    expect(prof.headers['etag']).toBe(`"${createHash('sha1').update(JSON.stringify(prof.body)).digest('hex')}"`);
    const ids = await lrs('/xapi/activities/profile').query({ activityId: scoIri }).expect(200);
    expect(ids.body).toEqual([ACTIVITY_PROFILE]);

    // Activity State: the SCO's attempts; the profile's query names no registration.
    const list = await state(scoIri, ACTIVITY_STATE).expect(200);
    expect(list.body).toEqual({ attempts: [base] });
    await lrs('/xapi/activities/state').query({ activityId: scoIri, agent: learnerAgent(), stateId: ACTIVITY_STATE, registration: a.registration }).expect(404);

    // Attempt State: only properties the profile's schema allows, in its formats.
    const att = await state(base, ATTEMPT_STATE).expect(200);
    expect(att.body).toEqual({ credit: 'credit', mode: 'normal', preferences: { language: 'fr-FR', audio_level: 1.5, delivery_speed: 1, audio_captioning: 1 }, total_time: 'PT0S' });

    const during = cmi({
      location: 'page-3',
      objectives: { 0: { id: 'obj-a', success_status: 'passed', completion_status: 'completed', score: { scaled: '0.9' }, description: 'Loops' } },
      comments_from_learner: { 0: { comment: 'Nice lesson', location: 'page-3', timestamp: '2024-05-01T10:00:00Z' } },
      interactions: { 0: { id: 'q1', type: 'choice', learner_response: 'a[,]b', result: 'incorrect', latency: 'PT5S', correct_responses: { 0: { pattern: 'a[,]c' } } } },
    });
    expect(await commit(a, { scoId: 'lesson-1', seq: 2, cmi: during, event: 'commit' })).toMatchObject({ applied: true });
    const afterTwo = await statementsOf(a.registration);
    const stateEtag = (await state(base, ATTEMPT_STATE).expect(200)).headers['etag'];
    // The same commit again changes nothing: no statement, no document write.
    expect(await commit(a, { scoId: 'lesson-1', seq: 2, cmi: during, event: 'commit' })).toMatchObject({ applied: false });
    expect((await statementsOf(a.registration)).map((s) => s.id)).toEqual(afterTwo.map((s) => s.id));
    expect((await state(base, ATTEMPT_STATE).expect(200)).headers['etag']).toBe(stateEtag);
    expect((await state(scoIri, ACTIVITY_STATE).expect(200)).body).toEqual({ attempts: [base] });

    const commented = afterTwo.find((s) => verbName(s) === 'commented')!;
    expect(commented.object.id).toBe(scoIri);
    expect(commented.result).toEqual({ response: 'Nice lesson' });
    expect(commented.timestamp).toBe('2024-05-01T10:00:00.000Z');
    const responded = afterTwo.find((s) => verbName(s) === 'responded')!;
    expect(responded.object).toMatchObject({ id: `${scoIri}/interactions/q1`, definition: { interactionType: 'choice', correctResponsesPattern: ['a[,]c'] } });
    expect(responded.result).toEqual({ response: 'a[,]b', success: false, duration: 'PT5S' });
    const objective = afterTwo.filter((s) => s.object.id === `${scoIri}/objectives/obj-a`);
    expect(objective.map(verbName).sort()).toEqual(['completed', 'passed', 'scored']);
    expect(objective.find((s) => verbName(s) === 'passed')!.result).toEqual({ success: true, score: { scaled: 0.9 } });
    expect(objective[0]!.object.definition).toEqual({ name: { und: 'obj-a' }, description: { und: 'Loops' }, type: `${T}objective` });

    // Suspend: `suspended` alone (the attempt stays open), then a new session resumes the same SCO attempt.
    await commit(a, { scoId: 'lesson-1', seq: 3, cmi: { cmi: { ...during.cmi, exit: 'suspend', session_time: 'PT1M', total_time: 'PT1M' } }, event: 'terminate' });
    expect((await state(base, ATTEMPT_STATE).expect(200)).body).toMatchObject({ location: 'page-3', total_time: 'PT1M' });
    const b = await launch(courseId);
    expect(b.attemptId).toBe(a.attemptId);
    await commit(b, { scoId: 'lesson-1', seq: 4, cmi: { cmi: { ...during.cmi, entry: 'resume', total_time: 'PT1M' } }, event: 'initialize' });
    await commit(b, {
      scoId: 'lesson-1', seq: 5, event: 'terminate',
      cmi: { cmi: { ...during.cmi, entry: 'resume', exit: 'normal', completion_status: 'completed', success_status: 'passed', score: { scaled: '0.7' }, session_time: 'PT30S', total_time: 'PT1M30S' } },
    });

    const all = await statementsOf(a.registration);
    for (const s of all) expectProfileShape(s, a.registration, courseIri, scoIri);
    const onSco = all.filter((s) => s.object.id === scoIri).map(verbName);
    expect(onSco).toEqual(['initialized', 'commented', 'suspended', 'resumed', 'completed', 'passed', 'scored', 'terminated']);
    expect(all.every((s) => groupingOf(s, 'attempt')[0] === base)).toBe(true);
    const terminated = all.find((s) => verbName(s) === 'terminated')!;
    expect(terminated.result).toEqual({ success: true, completion: true, score: { scaled: 0.7 }, duration: 'PT0H0M30S' });
    const suspended = all.find((s) => verbName(s) === 'suspended')!;
    expect(suspended.result).toMatchObject({ completion: false, duration: 'PT0H1M0S' });
    expect(new Set(all.map((s) => s.id)).size).toBe(all.length);

    // The course attempt is done: the next launch is LearnHQ attempt 2, listed after the first.
    const c = await launch(courseId);
    expect(c.attemptNumber).toBe(2);
    await commit(c, { scoId: 'lesson-1', seq: 1, cmi: cmi({}), event: 'initialize' });
    const second = `${scoIri}/attempts/${c.attemptId}`;
    expect((await state(scoIri, ACTIVITY_STATE).expect(200)).body).toEqual({ attempts: [base, second] });
    await state(second, ATTEMPT_STATE).expect(200);
    const init2 = (await statementsOf(c.registration)).filter((s) => verbName(s) === 'initialized');
    expect(init2.map((s) => groupingOf(s, 'attempt')[0])).toEqual([base, second]);
  });

  it('starts a new SCO attempt when the SCO is entered again after a normal exit', async () => {
    const courseId = await h.publish(profiled2004Package());
    const scoIri = `${h.config.publicUrl}/courses/${courseId}/sco/lesson-1`;
    const a = await launch(courseId);
    const base = `${scoIri}/attempts/${a.attemptId}`;
    const body = (over: Json): Json => ({ cmi: { mode: 'normal', credit: 'credit', completion_status: 'incomplete', ...over } });
    await commit(a, { scoId: 'lesson-1', seq: 1, cmi: body({ entry: 'ab-initio', location: 'one' }), event: 'initialize' });
    await commit(a, { scoId: 'lesson-1', seq: 2, cmi: body({ entry: 'ab-initio', location: 'one', exit: 'normal' }), event: 'terminate' });
    const b = await launch(courseId);
    expect(b.attemptId).toBe(a.attemptId);
    await commit(b, { scoId: 'lesson-1', seq: 3, cmi: body({ entry: 'ab-initio', location: 'two' }), event: 'initialize' });
    await commit(b, { scoId: 'lesson-1', seq: 4, cmi: body({ entry: 'ab-initio', location: 'three' }), event: 'commit' });

    const again = `${base}-2`;
    expect((await state(scoIri, ACTIVITY_STATE).expect(200)).body).toEqual({ attempts: [base, again] });
    expect((await state(base, ATTEMPT_STATE).expect(200)).body).toMatchObject({ location: 'one' });
    expect((await state(again, ATTEMPT_STATE).expect(200)).body).toMatchObject({ location: 'three' });
    const all = await statementsOf(a.registration);
    expect(all.map((s) => [verbName(s), groupingOf(s, 'attempt')[0]])).toEqual([
      ['initialized', base], ['terminated', base], ['initialized', again],
    ]);
  });
});

describe('SCORM 1.2 runtime → ADL xAPI SCORM Profile', () => {
  it('maps mastery score, lesson status, comments, objectives, responses and times to the profile\'s forms', async () => {
    const courseId = await h.publish(scorm12Package());
    const courseIri = `${h.config.publicUrl}/courses/${courseId}`;
    const scoIri = `${courseIri}/sco/item1`;
    const a = await launch(courseId);
    const base = `${scoIri}/attempts/${a.attemptId}`;
    const core = (over: Json): Json => ({ lesson_location: '', lesson_status: 'incomplete', lesson_mode: 'normal', credit: 'credit', entry: 'ab-initio', exit: '', total_time: '00:00:00', score: { raw: '', min: '', max: '' }, ...over });
    const prefs = { audio: '50', language: 'en', speed: '10', text: '-1' };
    await commit(a, { scoId: 'item1', seq: 1, cmi: { cmi: { core: core({}), student_preference: prefs, comments: '' } }, event: 'initialize' });

    expect((await lrs('/xapi/activities/profile').query({ activityId: scoIri, profileId: ACTIVITY_PROFILE }).expect(200)).body).toEqual({ scaled_passing_score: 0.8 });
    expect((await state(base, ATTEMPT_STATE).expect(200)).body).toEqual({
      credit: 'credit', mode: 'normal', preferences: { audio_level: 50, language: 'en', audio_captioning: -1 }, total_time: 'PT0H0M0S',
    });

    await commit(a, {
      scoId: 'item1', seq: 2, event: 'commit',
      cmi: {
        cmi: {
          core: core({ lesson_location: 'p2' }), student_preference: prefs, comments: 'First note.',
          objectives: { 0: { id: 'obj-1', status: 'passed', score: { raw: '40', min: '0', max: '50' } } },
          interactions: {
            0: { id: 'q1', type: 'choice', student_response: 'a,b', result: 'wrong', latency: '00:00:07', correct_responses: { 0: { pattern: 'a,c' } } },
            1: { id: 'q2', type: 'true-false', student_response: 't', result: 'correct' },
            2: { id: 'q3', type: 'matching', student_response: '1.a,2.b', result: 'correct' },
          },
        },
      },
    });
    await commit(a, {
      scoId: 'item1', seq: 3, event: 'terminate',
      cmi: { cmi: { core: core({ lesson_location: 'p2', lesson_status: 'passed', score: { raw: '85', min: '', max: '' }, session_time: '00:02:00', total_time: '00:02:00' }), student_preference: prefs, comments: 'First note. Second note.' } },
    });

    const all = await statementsOf(a.registration);
    for (const s of all) expectProfileShape(s, a.registration, courseIri, scoIri);
    const responses = Object.fromEntries(all.filter((s) => verbName(s) === 'responded').map((s) => [String(s.object.id).split('/').pop(), s]));
    expect(responses['q1']!.result).toEqual({ response: 'a[,]b', success: false, duration: 'PT0H0M7S' });
    expect(responses['q1']!.object.definition.correctResponsesPattern).toEqual(['a[,]c']);
    expect(responses['q2']!.result).toEqual({ response: 'true', success: true });
    expect(responses['q3']!.result).toMatchObject({ response: '1[.]a[,]2[.]b' });
    expect(all.filter((s) => verbName(s) === 'commented').map((s) => s.result.response)).toEqual(['First note.', 'Second note.']);
    const obj = all.filter((s) => s.object.id === `${scoIri}/objectives/obj-1`);
    expect(obj.map(verbName).sort()).toEqual(['completed', 'passed', 'scored']);
    expect(obj.find((s) => verbName(s) === 'scored')!.result).toEqual({ score: { scaled: 0.8, raw: 40, min: 0, max: 50 } });
    const passed = all.find((s) => verbName(s) === 'passed' && s.object.id === scoIri)!;
    // The profile reports a SCORM 1.2 raw score as scaled = raw / 100.
    expect(passed.result).toEqual({ success: true, score: { scaled: 0.85, raw: 85 } });
    expect(all.filter((s) => s.object.id === scoIri).map(verbName)).toEqual(['initialized', 'commented', 'completed', 'passed', 'scored', 'commented', 'terminated']);

    const att = (await state(base, ATTEMPT_STATE).expect(200)).body as Json;
    expect(att).toMatchObject({ location: 'p2', total_time: 'PT0H2M0S' });
    only(att, ['comments_from_lms', 'credit', 'mode', 'location', 'preferences', 'total_time', 'adl_data']);
    const ids = await lrs('/xapi/activities/state').query({ activityId: scoIri, agent: learnerAgent() }).expect(200);
    expect(ids.body).toEqual([ACTIVITY_STATE]);
  });
});
