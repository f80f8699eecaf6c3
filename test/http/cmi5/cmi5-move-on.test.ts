/** moveOn: satisfied statements for blocks and the course, waivers, and the progress projection (cmi5 9.3.7, 9.3.9). */
import request from 'supertest';
import { cmi5Statement, R, send, SESSION_EXT, startAu, VERBS, type Au } from './au-client';
import { createPlayerHarness, lrsStatements, type PlayerHarness } from './harness';
import { cmi5Zip } from './packages';

let h: PlayerHarness;
beforeAll(async () => {
  h = await createPlayerHarness();
});
afterAll(async () => h.close());

const n = (() => {
  let i = 0;
  return () => ++i;
})();

async function course(aus: { id: string; moveOn: string; masteryScore?: number }[], blocks: { id: string; aus: { id: string; moveOn: string }[] }[] = []): Promise<string> {
  return h.publish(cmi5Zip({ courseId: `http://example.com/cmi5/c${n()}`, aus, blocks }));
}

async function run(au: Au, verbs: ('completed' | 'passed' | 'failed')[], mastery?: number): Promise<void> {
  expect(await send(h, au, cmi5Statement(au, VERBS.initialized))).toBe(204);
  for (const v of verbs) {
    const result = v === 'completed' ? R.completed() : v === 'passed' ? R.passed(0.9) : R.failed(0.1);
    expect(await send(h, au, cmi5Statement(au, VERBS[v], { result, ...(mastery !== undefined && v !== 'completed' ? { mastery } : {}) }))).toBe(204);
  }
  expect(await send(h, au, cmi5Statement(au, VERBS.terminated, { result: R.terminated() }))).toBe(204);
}

async function satisfied(registration: string): Promise<Record<string, unknown>[]> {
  return lrsStatements(h, { registration, verb: VERBS.satisfied });
}
const objectIds = (list: Record<string, unknown>[]): string[] => list.map((s) => String((s['object'] as { id: string }).id));

it.each([
  ['Completed', ['completed'], true],
  ['Completed', ['passed'], false],
  ['Passed', ['passed'], true],
  ['Passed', ['failed'], false],
  ['CompletedAndPassed', ['completed'], false],
  ['CompletedAndPassed', ['completed', 'passed'], true],
  ['CompletedOrPassed', ['passed'], true],
  ['CompletedOrPassed', ['completed'], true],
] as const)('moveOn %s after %j: course satisfied = %s', async (moveOn, verbs, expected) => {
  const courseId = await course([{ id: `http://example.com/au/${n()}`, moveOn }]);
  const au = await startAu(h, courseId);
  await run(au, [...verbs]);
  const sat = await satisfied(au.registration);
  expect(sat).toHaveLength(expected ? 1 : 0);
  if (expected) {
    expect(sat[0]).toMatchObject({
      object: { id: `http://learnhq.test/courses/${courseId}`, definition: { type: 'https://w3id.org/xapi/cmi5/activitytype/course' } },
      context: { registration: au.registration, extensions: { [SESSION_EXT]: au.sessionId } },
    });
  }
});

it('satisfies a block when all its AUs are, and the course when every block and AU is, once each', async () => {
  const b = `http://example.com/block/${n()}`;
  const a1 = `http://example.com/au/${n()}`;
  const a2 = `http://example.com/au/${n()}`;
  const a3 = `http://example.com/au/${n()}`;
  const courseId = await course([{ id: a3, moveOn: 'Completed' }], [{ id: b, aus: [{ id: a1, moveOn: 'Completed' }, { id: a2, moveOn: 'NotApplicable' }] }]);
  // The learner starts at the first unsatisfied AU (a3 comes first in course order).
  const first = await startAu(h, courseId, { scoId: a1 });
  await run(first, ['completed']);
  const afterBlock = await satisfied(first.registration);
  expect(objectIds(afterBlock)).toEqual([`http://learnhq.test/courses/${courseId}/blocks/${encodeURIComponent(b)}`]);
  expect(afterBlock[0]).toMatchObject({ object: { definition: { type: 'https://w3id.org/xapi/cmi5/activitytype/block' } }, context: { contextActivities: { grouping: [{ id: b }] } } });

  const second = await startAu(h, courseId);
  expect(second.launchData['contextTemplate']).toMatchObject({ contextActivities: { grouping: [{ id: a3 }] } });
  await run(second, ['completed']);
  const all = await satisfied(first.registration);
  expect(objectIds(all)).toEqual([objectIds(afterBlock)[0], `http://learnhq.test/courses/${courseId}`]);

  // The projection: the course row is satisfied and completed; units per AU.
  const res = await request(h.app).get('/api/progress').query({ course: courseId }).set(h.as('learner')).expect(200);
  const [row] = (res.body as { progress: Record<string, unknown>[] }).progress;
  // One LearnHQ attempt (as the course page counts), two AU sessions (sittings).
  expect(row).toMatchObject({ registration: first.registration, completion: 'completed', satisfied: true, attempts: 1, sessions: 2, timeSeconds: 120 });
  expect((row?.['units'] as { activityId: string; completion: string }[]).map((u) => [u.activityId, u.completion]).sort()).toEqual([
    [first.activityId, 'completed'], [second.activityId, 'completed'],
  ].sort());
});

it('lets an organization administrator waive an AU, which can satisfy the course', async () => {
  const a1 = `http://example.com/au/${n()}`;
  const courseId = await course([{ id: a1, moveOn: 'Passed', masteryScore: 0.5 }]);
  const au = await startAu(h, courseId);
  const path = `/api/registrations/${au.registration}/aus/${encodeURIComponent(a1)}/waive`;
  await request(h.app).post(path).set(h.as('learner')).send({}).expect(403);
  await request(h.app).post(path).set(h.as('admin')).send({ reason: 'Because' }).expect(400);
  await request(h.app).post(`/api/registrations/${au.registration}/aus/${encodeURIComponent('http://example.com/nope')}/waive`).set(h.as('admin')).send({}).expect(404);
  const res = await request(h.app).post(path).set(h.as('admin')).send({ reason: 'Tested Out' }).expect(201);
  const body = res.body as { statementId: string; satisfied: string[] };
  expect(body.satisfied).toHaveLength(1);
  await request(h.app).post(path).set(h.as('admin')).send({}).expect(409);

  const waived = await lrsStatements(h, { registration: au.registration, verb: VERBS.waived });
  expect(waived).toHaveLength(1);
  expect(waived[0]).toMatchObject({
    id: body.statementId,
    object: { id: au.activityId },
    result: { success: true, completion: true, extensions: { 'https://w3id.org/xapi/cmi5/result/extensions/reason': 'Tested Out' } },
  });
  const waivedSession = ((waived[0]?.['context'] as Record<string, Record<string, unknown>>)['extensions'] ?? {})[SESSION_EXT];
  expect(waivedSession).not.toBe(au.sessionId);
  const sat = await satisfied(au.registration);
  expect(sat.map((s) => s['id'])).toEqual(body.satisfied);
  expect(sat[0]).toMatchObject({ context: { extensions: { [SESSION_EXT]: waivedSession } } });
  const progress = await request(h.app).get('/api/progress').query({ course: courseId }).set(h.as('learner')).expect(200);
  expect((progress.body as { progress: Record<string, unknown>[] }).progress[0]).toMatchObject({ completion: 'completed', success: 'passed', satisfied: true });
});

it('satisfies NotApplicable courses at the first launch, outside any AU session', async () => {
  const courseId = await course([{ id: `http://example.com/au/${n()}`, moveOn: 'NotApplicable' }]);
  const au = await startAu(h, courseId);
  const sat = await satisfied(au.registration);
  expect(sat).toHaveLength(1);
  expect(((sat[0]?.['context'] as Record<string, Record<string, unknown>>)['extensions'] ?? {})[SESSION_EXT]).not.toBe(au.sessionId);
  // A second launch writes no second satisfied statement.
  await startAu(h, courseId);
  expect(await satisfied(au.registration)).toHaveLength(1);
});
