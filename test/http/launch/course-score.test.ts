/**
 * The course score of a SCORM 2004 attempt through the runtime API follows the manifest's measure
 * rollup (issue 17 item 11): where the manifest weighs the lessons 0 and the post test 1 the post
 * test alone is the course score, where it weighs every SCO 0 there is none — never the mean of
 * the SCOs' scores. What the runtime answers is what the attempt stores and the course page shows.
 */
import request from 'supertest';
import { buildZip } from '../../fixtures/zip-builder';
import { SCO_PAGE } from '../../fixtures/scorm-packages';
import { createLaunchHarness, tokenOf, type LaunchHarness } from './harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NS = 'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"';

/** Three SCOs with these objectiveMeasureWeights (undefined = the default, no rollupRules element). */
function course(title: string, weights: readonly (string | undefined)[]): Buffer {
  const items = ['lesson1', 'lesson2', 'posttest'].map((id, i) => {
    const w = weights[i];
    return `<item identifier="${id}" identifierref="r1"><title>${id}</title>${w !== undefined ? `<imsss:sequencing><imsss:rollupRules objectiveMeasureWeight="${w}"/></imsss:sequencing>` : ''}</item>`;
  }).join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?><manifest identifier="score-${title}" version="1" ${NS}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o1"><organization identifier="o1"><title>${title}</title>${items}</organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="sco/index.html"><file href="sco/index.html"/></resource></resources></manifest>`;
  return buildZip([{ name: 'imsmanifest.xml', data: xml }, { name: 'sco/index.html', data: SCO_PAGE }]);
}

let h: LaunchHarness;
beforeAll(async () => {
  h = await createLaunchHarness();
  jest.spyOn(console, 'debug').mockImplementation(() => undefined);
});
afterAll(async () => {
  jest.restoreAllMocks();
  await h.close();
});

/** Launches and commits each SCO completed with its scaled score; returns the last commit's attempt. */
async function scoreAll(courseId: string, scaled: Record<string, number>): Promise<Json> {
  const res = await request(h.app).post(`/api/courses/${courseId}/launch`).set(h.as('learner')).send({ mode: 'normal' }).expect(201);
  const play = await request(h.app).get(`/api/play/${res.body.sessionId}`).set(h.as('learner')).expect(200);
  const token = tokenOf(play.body.frameUrl as string);
  let seq = 0;
  let attempt: Json = {};
  for (const [scoId, value] of Object.entries(scaled)) {
    seq += 1;
    const cmi = { completion_status: 'completed', success_status: 'unknown', score: { scaled: String(value) }, session_time: 'PT10S', exit: '' };
    const commit = await request(h.app).post(`/api/runtime/sessions/${res.body.sessionId}/commits`).set('Authorization', token)
      .send({ scoId, seq, cmi: { cmi }, event: 'initialize' }).expect(200);
    attempt = commit.body.attempt as Json;
  }
  return attempt;
}

it('the post test alone is the course score when the manifest weighs only it', async () => {
  const courseId = await h.publish(course('posttest-weighted', ['0', '0', '1']));
  const attempt = await scoreAll(courseId, { lesson1: 0.2, lesson2: 0.4, posttest: 0.9 });
  expect(attempt).toMatchObject({ completion: 'completed', scoreScaled: 0.9 });
  const me = await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200);
  expect(me.body.progress.scoreScaled).toBe(0.9);
  expect(me.body.attempts[0].scoreScaled).toBe(0.9);
});

it('no course score when the manifest weighs every SCO 0', async () => {
  const courseId = await h.publish(course('no-score-rollup', ['0', '0', '0']));
  const attempt = await scoreAll(courseId, { lesson1: 0.2, lesson2: 0.4, posttest: 0.9 });
  expect(attempt.completion).toBe('completed');
  expect(attempt.scoreScaled).toBeUndefined();
  const me = await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200);
  expect(me.body.progress.scoreScaled).toBeUndefined();
  const page = await request(h.app).get(`/courses/${courseId}`).set(h.as('learner')).expect(200);
  expect(page.text).toMatch(/data-field="score">—</);
});

it('default weights: the SN measure rollup, an unscored SCO counting (two of three scored 0.9 and 0.6 give 0.5)', async () => {
  const courseId = await h.publish(course('default-weights', [undefined, undefined, undefined]));
  const attempt = await scoreAll(courseId, { lesson1: 0.9, posttest: 0.6 });
  expect(attempt.scoreScaled).toBe(0.5);
});
