/**
 * SCORM 2004 course status through the runtime API: the server rolls it up only when a commit
 * changes what the rollup reads, and the status stays right across commits that change nothing
 * of it (location, suspend data, time), for a sequenced two-SCO course and a one-SCO course.
 */
import request from 'supertest';
import { scorm2004Package, scorm2004TwoScoPackage } from '../../fixtures/scorm-packages';
import { createLaunchHarness, tokenOf, type LaunchHarness } from './harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: LaunchHarness;
beforeAll(async () => {
  h = await createLaunchHarness();
  // scorm-again's engine logs deliveries with console.debug.
  jest.spyOn(console, 'debug').mockImplementation(() => undefined);
});
afterAll(async () => {
  jest.restoreAllMocks();
  await h.close();
});

async function launch(courseId: string): Promise<{ sid: string; token: string; attemptId: string }> {
  const res = await request(h.app).post(`/api/courses/${courseId}/launch`).set(h.as('learner')).send({ mode: 'normal' }).expect(201);
  const play = await request(h.app).get(`/api/play/${res.body.sessionId}`).set(h.as('learner')).expect(200);
  return { sid: res.body.sessionId as string, token: tokenOf(play.body.frameUrl as string), attemptId: res.body.attempt.id as string };
}

let seq = 1000;
async function commit(sid: string, token: string, scoId: string, cmi: Json, event = 'commit'): Promise<Json> {
  seq += 1;
  const res = await request(h.app).post(`/api/runtime/sessions/${sid}/commits`).set('Authorization', token)
    .send({ scoId, seq, cmi: { cmi }, event }).expect(200);
  expect(res.body.applied).toBe(true);
  return res.body.attempt as Json;
}

const sco = (over: Json): Json => ({
  completion_status: 'incomplete', success_status: 'unknown', location: 'p1', suspend_data: 's1', session_time: 'PT10S', exit: '', ...over,
});

describe('SCORM 2004 course rollup at commits', () => {
  it('two SCOs with a global objective: the status moves only with the SCOs statuses and holds in between', async () => {
    const courseId = await h.publish(scorm2004TwoScoPackage('Rollup two'));
    const { sid, token, attemptId } = await launch(courseId);

    expect(await commit(sid, token, 'sco1', sco({}), 'initialize')).toMatchObject({ completion: 'incomplete', success: 'unknown' });
    // sco1 done: the course is not, until sco2 is.
    expect(await commit(sid, token, 'sco1', sco({ completion_status: 'completed', success_status: 'passed', location: 'p2' })))
      .toMatchObject({ completion: 'incomplete', success: 'unknown' });
    // Only location and suspend data move: nothing to roll up, the answer stays.
    expect(await commit(sid, token, 'sco1', sco({ completion_status: 'completed', success_status: 'passed', location: 'p3', suspend_data: 's2' })))
      .toMatchObject({ completion: 'incomplete', success: 'unknown' });

    expect(await commit(sid, token, 'sco2', sco({}), 'initialize')).toMatchObject({ completion: 'incomplete', success: 'unknown' });
    expect(await commit(sid, token, 'sco2', sco({ completion_status: 'completed', success_status: 'passed' })))
      .toMatchObject({ completion: 'completed', success: 'passed' });
    const after = await commit(sid, token, 'sco2', sco({ completion_status: 'completed', success_status: 'passed', location: 'p9', session_time: 'PT50S' }));
    expect(after).toMatchObject({ completion: 'completed', success: 'passed' });

    const stored = await h.store.launch.findAttempt(attemptId);
    expect(stored).toMatchObject({ completion: 'completed', success: 'passed' });
    expect(stored?.completedAt).toBeDefined();
  });

  it('a changed status after quiet commits is rolled up again (sco failed after it had passed)', async () => {
    const courseId = await h.publish(scorm2004TwoScoPackage('Rollup again'));
    const { sid, token } = await launch(courseId);
    await commit(sid, token, 'sco1', sco({ completion_status: 'completed', success_status: 'passed' }), 'initialize');
    await commit(sid, token, 'sco2', sco({ completion_status: 'completed', success_status: 'passed' }), 'initialize');
    expect(await commit(sid, token, 'sco2', sco({ completion_status: 'completed', success_status: 'passed', location: 'p5' })))
      .toMatchObject({ completion: 'completed', success: 'passed' });
    expect(await commit(sid, token, 'sco2', sco({ completion_status: 'completed', success_status: 'failed' })))
      .toMatchObject({ completion: 'completed', success: 'failed' });
  });

  it('one SCO: the course takes the SCO status, and keeps it over commits that do not change it', async () => {
    const courseId = await h.publish(scorm2004Package('Rollup one'));
    const { sid, token, attemptId } = await launch(courseId);
    expect(await commit(sid, token, 'item1', sco({}), 'initialize')).toMatchObject({ completion: 'incomplete', success: 'unknown' });
    expect(await commit(sid, token, 'item1', sco({ success_status: 'failed', score: { scaled: '0.2' } })))
      .toMatchObject({ completion: 'incomplete', success: 'failed', scoreScaled: 0.2 });
    expect(await commit(sid, token, 'item1', sco({ success_status: 'failed', score: { scaled: '0.2' }, location: 'p7' })))
      .toMatchObject({ completion: 'incomplete', success: 'failed' });
    expect(await commit(sid, token, 'item1', sco({ completion_status: 'completed', success_status: 'passed', score: { scaled: '0.9' } })))
      .toMatchObject({ completion: 'completed', success: 'passed', scoreScaled: 0.9 });
    expect(await h.store.launch.findAttempt(attemptId)).toMatchObject({ completion: 'completed', success: 'passed', scoreScaled: 0.9 });
  });
});
