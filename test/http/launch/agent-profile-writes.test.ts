/**
 * The SCORM Agent Profile document (learner preferences) is read and written at Initialize and
 * Terminate, and in between only by commits whose preferences differ from what the session last
 * wrote: the usual commit (same seeded preferences, or none) costs no document read.
 */
import request from 'supertest';
import { scorm2004Package } from '../../fixtures/scorm-packages';
import type { DocumentKey } from '../../../src/store/ports/documents';
import { createLaunchHarness, tokenOf, type LaunchHarness } from './harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const AGENT_PROFILE = 'https://w3id.org/xapi/scorm/agent-profile';

let h: LaunchHarness;
beforeAll(async () => {
  h = await createLaunchHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => jest.restoreAllMocks());

const learnerAgent = (): string => JSON.stringify({ objectType: 'Agent', account: { homePage: h.config.publicUrl, name: h.users.learner.userId } });
const agentProfile = () => request(h.app).get('/xapi/agents/profile').query({ agent: learnerAgent(), profileId: AGENT_PROFILE })
  .set('Authorization', h.lrsAuth).set('X-Experience-API-Version', '2.0.0');

it('reads the Agent Profile only at Initialize, Terminate and when the preferences change', async () => {
  const courseId = await h.publish(scorm2004Package('Agent profile writes'));
  const res = await request(h.app).post(`/api/courses/${courseId}/launch`).set(h.as('learner')).send({ mode: 'normal' }).expect(201);
  const sid = res.body.sessionId as string;
  const play = await request(h.app).get(`/api/play/${sid}`).set(h.as('learner')).expect(200);
  const token = tokenOf(play.body.frameUrl as string);
  const commit = (body: Json) => request(h.app).post(`/api/runtime/sessions/${sid}/commits`).set('Authorization', token).send(body).expect(200);

  const find = jest.spyOn(h.store.documents, 'findDocument');
  const profileReads = (): number => find.mock.calls.filter(([key]) => (key as DocumentKey).docId === AGENT_PROFILE).length;
  const prefs = { audio_level: '0.5', language: 'fr-CA', delivery_speed: '1', audio_captioning: '0' };
  const cmi = (extra: Json) => ({ cmi: { entry: 'ab-initio', ...extra } });

  await commit({ scoId: 'item1', seq: 1, cmi: cmi({ learner_preference: prefs }), event: 'initialize' });
  expect(profileReads()).toBe(1);
  expect((await agentProfile().expect(200)).body.preferences).toEqual({ audio_level: 0.5, language: 'fr-CA', delivery_speed: 1, audio_captioning: 0 });
  find.mockClear(); // the GET above read it too

  // The same preferences (in another key order) and a commit without any: no read.
  await commit({ scoId: 'item1', seq: 2, cmi: cmi({ learner_preference: { audio_captioning: '0', delivery_speed: '1', language: 'fr-CA', audio_level: '0.5' }, location: 'p2' }), event: 'commit' });
  await commit({ scoId: 'item1', seq: 3, cmi: cmi({ location: 'p3' }), event: 'commit' });
  expect(profileReads()).toBe(0);

  // A changed preference is written at its commit, and only once.
  await commit({ scoId: 'item1', seq: 4, cmi: cmi({ learner_preference: { ...prefs, language: 'de' } }), event: 'commit' });
  expect(profileReads()).toBe(1);
  expect((await agentProfile().expect(200)).body.preferences).toMatchObject({ language: 'de', audio_level: 0.5 });
  find.mockClear();
  await commit({ scoId: 'item1', seq: 5, cmi: cmi({ learner_preference: { ...prefs, language: 'de' }, location: 'p5' }), event: 'commit' });
  expect(profileReads()).toBe(0);

  // Terminate synchronises again.
  await commit({ scoId: 'item1', seq: 6, cmi: cmi({ learner_preference: { ...prefs, language: 'de' }, exit: 'suspend' }), event: 'terminate' });
  expect(profileReads()).toBe(1);
});
