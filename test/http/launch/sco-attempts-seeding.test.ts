/**
 * The SCORM runtime across relaunches: SCO attempts are counted and stored (so SCORM 2004
 * limitConditions attemptLimit is reached), read-only cmi elements are seeded from the manifest,
 * and the learner's preferences are kept in the xAPI SCORM Profile's Agent Profile document, read
 * back through /xapi/agents/profile and seeded into the next SCO.
 */
import request from 'supertest';
import { engineNavigator } from '../../../player/sequencing';
import { scorm2004ApiClass } from '../../../src/launch/scorm/scorm-again-node';
import { trackingFromCmi2004 } from '../../../src/launch/scorm/sco-tracking';
import type { EngineActivitySettings, ScoTracking } from '../../../src/launch/scorm/sequencing-engine';
import { SCO_PAGE } from '../../fixtures/scorm-packages';
import { buildZip } from '../../fixtures/zip-builder';
import { createLaunchHarness, tokenOf, type LaunchHarness } from './harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const AGENT_PROFILE = 'https://w3id.org/xapi/scorm/agent-profile';

/** Two SCOs: "quiz" may be attempted twice and carries every manifest value the runtime seeds. */
function limitedPackage(): Buffer {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="p2004lim" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o1"><organization identifier="o1"><title>Limited course</title>
    <item identifier="quiz" identifierref="r1"><title>Quiz</title>
      <adlcp:timeLimitAction>continue,message</adlcp:timeLimitAction>
      <adlcp:dataFromLMS>bank=7</adlcp:dataFromLMS>
      <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.75"/>
      <imsss:sequencing>
        <imsss:limitConditions attemptLimit="2" attemptAbsoluteDurationLimit="PT45M"/>
        <imsss:objectives><imsss:primaryObjective objectiveID="quiz-pass" satisfiedByMeasure="true">
          <imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure>
        </imsss:primaryObjective></imsss:objectives>
      </imsss:sequencing>
    </item>
    <item identifier="notes" identifierref="r1"><title>Notes</title></item>
    <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
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

interface Launched { sid: string; token: string; attemptId: string }

async function launch(courseId: string): Promise<Launched> {
  const res = await request(h.app).post(`/api/courses/${courseId}/launch`).set(h.as('learner')).send({ mode: 'normal' }).expect(201);
  const play = await request(h.app).get(`/api/play/${res.body.sessionId}`).set(h.as('learner')).expect(200);
  return { sid: res.body.sessionId as string, token: tokenOf(play.body.frameUrl as string), attemptId: res.body.attempt.id as string };
}

async function seed(l: Launched): Promise<Json> {
  return (await request(h.app).get(`/api/runtime/sessions/${l.sid}`).set('Authorization', l.token).expect(200)).body as Json;
}

async function commit(l: Launched, body: Json): Promise<Json> {
  return (await request(h.app).post(`/api/runtime/sessions/${l.sid}/commits`).set('Authorization', l.token).send(body).expect(200)).body as Json;
}

const scoOf = (s: Json, id: string): Json => (s.scos as Json[]).find((x) => x.id === id)!;
const learnerAgent = (): string => JSON.stringify({ objectType: 'Agent', account: { homePage: h.config.publicUrl, name: h.users.learner.userId } });
const agentProfile = () => request(h.app).get('/xapi/agents/profile').query({ agent: learnerAgent(), profileId: AGENT_PROFILE })
  .set('Authorization', h.lrsAuth).set('X-Experience-API-Version', '2.0.0');

/** The launcher's navigator over a seed, as player/launcher.ts builds it. */
function navigatorOf(s: Json) {
  const tracking = new Map<string, ScoTracking>((s.scos as Json[]).filter((x) => x.seq > 0).map((x) => [x.id as string, trackingFromCmi2004(x.cmi as Json, x.scoAttempts as number)]));
  return engineNavigator(scorm2004ApiClass(), (s.sequencing as { activityTree: EngineActivitySettings }).activityTree, tracking);
}

// scorm-again's delivery handler logs every delivery with console.debug.
beforeAll(() => jest.spyOn(console, 'debug').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());

describe('SCO attempts and attemptLimit', () => {
  it('counts a new SCO attempt at each Initialize that is not a resume, stores it, and the second attempt uses up attemptLimit=2', async () => {
    const courseId = await h.publish(limitedPackage());
    const l = await launch(courseId);
    const first = await seed(l);
    expect(scoOf(first, 'quiz')).toMatchObject({ seq: 0, scoAttempts: 0 });

    // Attempt 1: initialize, fail, exit normally.
    await commit(l, { scoId: 'quiz', seq: 1, cmi: { cmi: { entry: 'ab-initio', completion_status: 'incomplete' } }, event: 'initialize' });
    await commit(l, { scoId: 'quiz', seq: 2, cmi: { cmi: { entry: 'ab-initio', completion_status: 'completed', success_status: 'failed', exit: 'normal' } }, event: 'terminate' });
    expect((await h.store.launch.findRuntime(l.attemptId, 'quiz'))[0]).toMatchObject({ seq: 2, scoAttempts: 1 });
    await commit(l, { scoId: 'notes', seq: 1, cmi: { cmi: { entry: 'ab-initio', completion_status: 'incomplete' } }, event: 'initialize' });
    const afterOne = await seed(l);
    expect(scoOf(afterOne, 'quiz')).toMatchObject({ scoAttempts: 1, cmi: { entry: 'ab-initio' } });
    expect(navigatorOf(afterOne).choiceAllowed('quiz', 'notes')).toBe(true);

    // Attempt 2: a fresh Initialize (entry ab-initio after a normal exit) opens the second attempt;
    // the retried request and the later commits of the same attempt do not count again.
    const init2 = { scoId: 'quiz', seq: 3, cmi: { cmi: { entry: 'ab-initio', completion_status: 'incomplete' } }, event: 'initialize' };
    expect(await commit(l, init2)).toMatchObject({ applied: true });
    expect(await commit(l, init2)).toMatchObject({ applied: false });
    await commit(l, { scoId: 'quiz', seq: 4, cmi: { cmi: { entry: 'ab-initio', completion_status: 'completed', success_status: 'failed', exit: 'normal' } }, event: 'terminate' });
    expect((await h.store.launch.findRuntime(l.attemptId, 'quiz'))[0]).toMatchObject({ seq: 4, scoAttempts: 2 });
    const afterTwo = await seed(l);
    expect(scoOf(afterTwo, 'quiz').scoAttempts).toBe(2);
    expect(navigatorOf(afterTwo).choiceAllowed('quiz', 'notes')).toBe(false);
    expect(navigatorOf(afterTwo).choiceAllowed('notes', 'notes')).toBe(true);
  });

  it('a suspended SCO resumed is the same attempt', async () => {
    const courseId = await h.publish(limitedPackage());
    const l = await launch(courseId);
    await commit(l, { scoId: 'quiz', seq: 1, cmi: { cmi: { entry: 'ab-initio', completion_status: 'incomplete' } }, event: 'initialize' });
    await commit(l, { scoId: 'quiz', seq: 2, cmi: { cmi: { entry: 'ab-initio', completion_status: 'incomplete', exit: 'suspend' } }, event: 'terminate' });
    const s = await seed(l);
    expect(scoOf(s, 'quiz')).toMatchObject({ scoAttempts: 1, cmi: { entry: 'resume' } });
    await commit(l, { scoId: 'quiz', seq: 3, cmi: { cmi: { entry: 'resume', completion_status: 'incomplete' } }, event: 'initialize' });
    expect((await h.store.launch.findRuntime(l.attemptId, 'quiz'))[0]).toMatchObject({ seq: 3, scoAttempts: 1 });
  });
});

describe('seeding read-only cmi elements from the manifest', () => {
  it('SCORM 2004: scaled_passing_score, completion_threshold, max_time_allowed, time_limit_action and launch_data reach the SCO', async () => {
    const courseId = await h.publish(limitedPackage());
    const l = await launch(courseId);
    const s = await seed(l);
    expect(scoOf(s, 'quiz').cmi).toMatchObject({
      entry: 'ab-initio', scaled_passing_score: '0.7', completion_threshold: '0.75', max_time_allowed: 'PT45M',
      time_limit_action: 'continue,message', launch_data: 'bank=7',
    });
    // A SCO whose manifest says nothing gets none of them (SCORM leaves them unknown).
    const notes = scoOf(s, 'notes').cmi as Json;
    for (const k of ['scaled_passing_score', 'completion_threshold', 'max_time_allowed', 'time_limit_action', 'launch_data']) expect(notes).not.toHaveProperty(k);
  });
});

describe('the SCORM Agent Profile (learner preferences)', () => {
  it('is written from cmi.learner_preference on commit, skipped when unchanged, and seeds the next SCO', async () => {
    const courseId = await h.publish(limitedPackage());
    const l = await launch(courseId);
    const prefs = { audio_level: '0.5', language: 'fr-CA', delivery_speed: '1.25', audio_captioning: '1' };
    await commit(l, { scoId: 'quiz', seq: 1, cmi: { cmi: { entry: 'ab-initio', learner_preference: prefs } }, event: 'initialize' });
    const doc = await agentProfile().expect(200);
    expect(doc.body).toEqual({
      learner_id: h.users.learner.userId, learner_name: h.users.learner.name,
      preferences: { audio_level: 0.5, language: 'fr-CA', delivery_speed: 1.25, audio_captioning: 1 },
    });
    const etag = doc.headers['etag'];

    // The same preferences again: the document is not rewritten.
    await commit(l, { scoId: 'quiz', seq: 2, cmi: { cmi: { entry: 'ab-initio', learner_preference: prefs, location: 'q3' } }, event: 'commit' });
    expect((await agentProfile().expect(200)).headers['etag']).toBe(etag);

    // Another SCO changes one preference and reports an invalid language: only the valid change lands.
    await commit(l, { scoId: 'notes', seq: 1, cmi: { cmi: { entry: 'ab-initio', learner_preference: { ...prefs, audio_captioning: '0', language: 'not a tag' } } }, event: 'initialize' });
    const changed = await agentProfile().expect(200);
    expect(changed.headers['etag']).not.toBe(etag);
    expect(changed.body.preferences).toEqual({ audio_level: 0.5, language: 'fr-CA', delivery_speed: 1.25, audio_captioning: 0 });

    // The next launch seeds every SCO with the learner's preferences.
    const s = await seed(await launch(courseId));
    for (const id of ['quiz', 'notes']) {
      expect(scoOf(s, id).cmi.learner_preference).toMatchObject({ audio_level: '0.5', language: 'fr-CA', delivery_speed: '1.25', audio_captioning: '0' });
    }
  });
});
