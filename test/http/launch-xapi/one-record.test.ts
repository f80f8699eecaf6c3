/**
 * One source of truth for status, score, time and attempts (issue 17 item 9): for each format, a
 * learner plays the way the issue describes, and the course page (its summary and its attempt
 * rows), GET /api/courses/:id/me, GET /api/progress (own) and GET /api/progress?learners=all (an
 * analyst) all show the same figures.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { scorm12Package, scorm2004TwoScoPackage } from '../../fixtures/scorm-packages';
import { cmi5Statement, R, send, startAu, VERBS } from '../cmi5/au-client';
import { createPlayerHarness, type PlayerHarness } from '../cmi5/harness';
import { cmi5Zip, tincanPlayerZip } from '../cmi5/packages';
import { tokenOf } from '../launch/harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: PlayerHarness;
beforeAll(async () => {
  h = await createPlayerHarness();
  jest.spyOn(console, 'debug').mockImplementation(() => undefined);
});
afterAll(async () => {
  jest.restoreAllMocks();
  await h.close();
});

/** Figures as people read them: the words and numbers the course page prints. */
interface Shown { status: string; score: string; time: string; attempts: string }

const word = (p: { completion: string; success: string }): string =>
  p.success === 'passed' ? 'Passed' : p.success === 'failed' ? 'Failed' : p.completion === 'completed' ? 'Completed' : p.completion === 'incomplete' ? 'In progress' : 'Not started';
const pct = (s: number | undefined): string => (s === undefined ? '—' : `${Math.round(s * 100)} %`);
const secs = (t: number, source: string): string => {
  const s = Math.round(t);
  const m = Math.floor(s / 60);
  return `${m > 0 ? `${m} min ${s % 60} s` : `${s} s`}${source === 'player' ? ' (measured by LearnHQ)' : ''}`;
};
const text = (htmlText: string): string => htmlText.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

/** The course page's summary and attempt rows. */
async function page(courseId: string): Promise<{ head: Shown; rows: string[][] }> {
  const res = await request(h.app).get(`/courses/${courseId}`).set(h.as('learner')).expect(200);
  const field = (name: string): string => text(new RegExp(`data-field="${name}">([\\s\\S]*?)</dd>`).exec(res.text)?.[1] ?? '');
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(res.text)?.[1] ?? '';
  const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...(r[1] ?? '').matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => text(c[1] ?? '')));
  return { head: { status: field('status'), score: field('score'), time: field('time'), attempts: field('attempts') }, rows };
}

/** Every surface's figures of the learner's registration, and the checks that they agree. */
async function everySurfaceAgrees(courseId: string): Promise<{ me: Json; own: Json; all: Json; shown: Shown }> {
  const me = (await request(h.app).get(`/api/courses/${courseId}/me`).set(h.as('learner')).expect(200)).body as Json;
  const [own] = (await request(h.app).get('/api/progress').query({ course: courseId }).set(h.as('learner')).expect(200)).body.progress as Json[];
  const all = ((await request(h.app).get('/api/progress').query({ course: courseId, learners: 'all' }).set(h.as('analyst')).expect(200)).body.progress as Json[])
    .find((r) => r['registration'] === own?.['registration']) as Json;
  const p = me['progress'] as Json;
  const shown = { status: word(p as { completion: string; success: string }), score: pct(p['scoreScaled']), time: secs(p['totalSeconds'], p['timeSource']), attempts: String((me['attempts'] as Json[]).length) };
  const { head, rows } = await page(courseId);
  expect(head).toEqual(shown);
  // The attempt rows: number, status, score, time as the API's attempts say.
  expect(rows.map((r) => r.slice(0, 4))).toEqual((me['attempts'] as Json[]).map((a) => [
    String(a['number']), `${word(a as { completion: string; success: string })}${a['suspended'] ? ' (suspended)' : ''}`, pct(a['scoreScaled']), secs(a['totalSeconds'], a['timeSource']),
  ]));
  for (const row of [own, all]) {
    expect(row).toMatchObject({
      completion: p['completion'], success: p['success'], timeSeconds: p['totalSeconds'], timeSource: p['timeSource'], attempts: p['attempts'],
    });
    expect(row?.['scoreScaled']).toBe(p['scoreScaled']);
  }
  expect(p['attempts']).toBe((me['attempts'] as Json[]).length);
  return { me, own: own!, all, shown };
}

async function scormLaunch(courseId: string): Promise<{ sessionId: string; token: string }> {
  const l = await h.launch(courseId);
  return { sessionId: l.sessionId, token: tokenOf(l.frameUrl) };
}

let seq = 0;
async function commit(l: { sessionId: string; token: string }, scoId: string, cmi: Json, event: string): Promise<void> {
  seq += 1;
  await request(h.app).post(`/api/runtime/sessions/${l.sessionId}/commits`).set('Authorization', l.token).send({ scoId, seq, cmi, event }).expect(200);
}

it('SCORM 1.2: one attempt over two sittings is one attempt everywhere, with the SCO\'s score and time', async () => {
  const courseId = await h.publish(scorm12Package('One record 1.2'));
  const core = (over: Json): Json => ({ cmi: { core: { lesson_status: 'incomplete', exit: '', session_time: '00:00:30', total_time: '00:00:30', score: { raw: '', min: '', max: '' }, ...over } } });
  const first = await scormLaunch(courseId);
  await commit(first, 'item1', core({}), 'initialize');
  await commit(first, 'item1', core({ exit: 'suspend' }), 'terminate');
  const second = await scormLaunch(courseId);
  await commit(second, 'item1', core({ entry: 'resume' }), 'initialize');
  await commit(second, 'item1', core({ lesson_status: 'passed', score: { raw: '85', min: '0', max: '100' }, total_time: '00:01:05' }), 'terminate');
  const { own, shown } = await everySurfaceAgrees(courseId);
  expect(shown).toEqual({ status: 'Passed', score: '85 %', time: '1 min 5 s', attempts: '1' });
  // The statements show two sittings; they are sessions, not attempts.
  expect(own).toMatchObject({ attempts: 1, sessions: 2 });
});

it('SCORM 2004: a two-SCO course half done shows the same status and score on the course page and in /api/progress', async () => {
  const courseId = await h.publish(scorm2004TwoScoPackage('One record 2004'));
  const l = await scormLaunch(courseId);
  const sco = (over: Json): Json => ({ cmi: { completion_status: 'incomplete', success_status: 'unknown', session_time: 'PT20S', exit: '', ...over } });
  await commit(l, 'sco1', sco({}), 'initialize');
  await commit(l, 'sco1', sco({ completion_status: 'completed', success_status: 'passed', score: { scaled: '0.9' } }), 'terminate');
  const { shown } = await everySurfaceAgrees(courseId);
  // The course is not complete until the second SCO is; its score is the manifest's measure rollup.
  expect(shown.status).toBe('In progress');
  expect(shown.score).toBe('45 %');
});

it('TinCan: the attempt row says what the summary says (passed, its score and time), not "Not started — 0 s"', async () => {
  const activity = `http://example.com/one-record/${randomUUID()}`;
  const courseId = await h.publish(tincanPlayerZip(activity, '<title>x</title>'));
  const l = await h.launch(courseId);
  const url = new URL(l.frameUrl);
  const actor = JSON.parse(url.searchParams.get('actor') ?? '{}') as Json;
  const at = (s: number): string => new Date(Date.now() - 60_000 + s * 1000).toISOString();
  const st = (verb: string, s: number, result?: Json): Json => ({
    id: randomUUID(), actor, verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` }, object: { id: activity }, context: { registration: l.registration }, timestamp: at(s),
    ...(result ? { result } : {}),
  });
  await request(h.app).post('/xapi/statements').set('X-Experience-API-Version', '1.0.3').set('Authorization', url.searchParams.get('auth') ?? '')
    .send([st('initialized', 0), st('passed', 40, { success: true, completion: true, score: { scaled: 1 }, duration: 'PT40S' }), st('terminated', 42, { duration: 'PT42S' })]).expect(200);
  const { me, shown } = await everySurfaceAgrees(courseId);
  expect(shown).toEqual({ status: 'Passed', score: '100 %', time: '42 s', attempts: '1' });
  // Finished, it reopens in the same registration (Resume), and offers Review; no second attempt.
  expect(me['actions']).toEqual({ launch: false, resume: true, review: true });
  const again = await h.launch(courseId);
  expect(again.registration).toBe(l.registration);
  expect((await everySurfaceAgrees(courseId)).shown.attempts).toBe('1');
});

it('TinCan: a finished learner launches a newly published version in a new registration, with a fresh record', async () => {
  const activity = `http://example.com/one-record/${randomUUID()}`;
  const courseId = await h.publish(tincanPlayerZip(activity, '<title>v1</title>'));
  const l = await h.launch(courseId);
  const url = new URL(l.frameUrl);
  const done = {
    id: randomUUID(), actor: JSON.parse(url.searchParams.get('actor') ?? '{}') as Json, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
    object: { id: activity }, result: { completion: true }, context: { registration: l.registration },
  };
  await request(h.app).post('/xapi/statements').set('X-Experience-API-Version', '1.0.3').set('Authorization', url.searchParams.get('auth') ?? '').send([done]).expect(200);
  expect((await everySurfaceAgrees(courseId)).me['actions']).toEqual({ launch: false, resume: true, review: true });
  await request(h.app).post(`/api/courses/${courseId}/versions`).set(h.as('author')).set('Content-Type', 'application/zip').send(tincanPlayerZip(activity, '<title>v2</title>')).expect(201);
  const { me } = await everySurfaceAgrees(courseId);
  expect(me['actions']).toEqual({ launch: true, resume: false, review: true });
  const next = await h.launch(courseId);
  expect(next.registration).not.toBe(l.registration);
  expect((await everySurfaceAgrees(courseId)).shown).toMatchObject({ status: 'Not started', attempts: '1' });
});

it('cmi5: a passed AU session shows the same status, score and time everywhere', async () => {
  const courseId = await h.publish(cmi5Zip({ courseId: `http://example.com/one-record/${randomUUID()}`, aus: [{ id: `http://example.com/au/${randomUUID()}`, moveOn: 'Passed', masteryScore: 0.5 }] }));
  const au = await startAu(h, courseId);
  expect(await send(h, au, cmi5Statement(au, VERBS.initialized))).toBe(204);
  expect(await send(h, au, cmi5Statement(au, VERBS.passed, { result: R.passed(0.75), mastery: 0.5 }))).toBe(204);
  expect(await send(h, au, cmi5Statement(au, VERBS.terminated, { result: R.terminated() }))).toBe(204);
  const { shown } = await everySurfaceAgrees(courseId);
  expect(shown).toEqual({ status: 'Passed', score: '75 %', time: '1 min 0 s', attempts: '1' });
});
