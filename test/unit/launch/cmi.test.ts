import { durationSeconds, interactionsOf, isoDuration, scoStatus, seedCmi, timespanSeconds } from '../../../src/launch/scorm/cmi';
import { profileStatements, stableUuid } from '../../../src/launch/scorm/profile-statements';
import { rollup } from '../../../src/launch/scorm/runtime-service';

describe('cmi reading', () => {
  it('parses SCORM times', () => {
    expect(timespanSeconds('01:02:03.5')).toBe(3723.5);
    expect(timespanSeconds('junk')).toBe(0);
    expect(durationSeconds('PT1H30M5.25S')).toBe(5405.25);
    expect(durationSeconds('P1DT1S')).toBe(86401);
    expect(isoDuration(3723.5)).toBe('PT1H2M3.5S');
  });

  it('maps SCORM 1.2 statuses and raw scores, and SCORM 2004 statuses and scaled scores', () => {
    expect(scoStatus('scorm12', { cmi: { core: { lesson_status: 'failed', score: { raw: '40', min: '0', max: '50' } } } }))
      .toMatchObject({ completion: 'incomplete', success: 'failed', scaled: 0.8, raw: 40 });
    expect(scoStatus('scorm12', { cmi: { core: { lesson_status: 'passed', score: { raw: '75' } } } })).toMatchObject({ completion: 'completed', success: 'passed', scaled: 0.75 });
    expect(scoStatus('scorm2004', { cmi: { completion_status: 'completed', success_status: 'unknown', score: { scaled: '-0.5' }, total_time: 'PT10S' } }))
      .toMatchObject({ completion: 'completed', success: 'unknown', scaled: -0.5, totalSeconds: 10 });
  });

  it('lists interactions from scorm-again\'s indexed objects', () => {
    const list = interactionsOf('scorm2004', { cmi: { interactions: { 1: { id: 'q2', learner_response: 'x' }, 0: { id: 'q1', learner_response: 'a', result: 'correct', correct_responses: { 0: { pattern: 'a' } } } } } });
    expect(list.map((i) => [i.index, i.id, i.response, i.correctResponses])).toEqual([[0, 'q1', 'a', ['a']], [1, 'q2', 'x', []]]);
  });

  it('seeds a resume only after a suspend, and fills learner and mode', () => {
    const stored = { cmi: { core: { lesson_location: 'p9', exit: 'suspend', session_time: '00:01:00' }, suspend_data: 'd' } };
    const resumed = seedCmi('scorm12', stored, { learnerId: 'u1', learnerName: 'Ann', review: false, item: { masteryScore: 80 } });
    expect(resumed).toMatchObject({ suspend_data: 'd', core: { lesson_location: 'p9', entry: 'resume', student_id: 'u1', credit: 'credit' }, student_data: { mastery_score: '80' } });
    expect((resumed['core'] as Record<string, unknown>)['exit']).toBeUndefined();
    const fresh = seedCmi('scorm2004', { cmi: { location: 'x', exit: 'normal' } }, { learnerId: 'u1', learnerName: 'Ann', review: true, item: {} });
    expect(fresh).toMatchObject({ location: 'x', entry: 'resume', mode: 'review', credit: 'no-credit' });
    expect(seedCmi('scorm2004', undefined, { learnerId: 'u', learnerName: 'n', review: false, item: {} })).toMatchObject({ entry: 'ab-initio' });
  });
});

describe('SCORM profile statements and rollup', () => {
  const ctx = {
    version: 'scorm2004' as const, actor: { objectType: 'Agent', account: { homePage: 'http://x.test', name: 'u' } }, registration: '0e4c6f7e-1c1e-4d8a-9d55-2a1b3c4d5e6f',
    attemptId: 'a1', courseActivityId: 'http://x.test/courses/c1', courseTitle: 'C', scoId: 's1', scoTitle: 'S', seq: 7, timestamp: '2025-01-01T00:00:00.000Z',
  };
  it('emits only what changed, with stable ids', () => {
    const prev = { cmi: { completion_status: 'incomplete', success_status: 'unknown' } };
    const cur = { cmi: { completion_status: 'completed', success_status: 'passed', score: { scaled: '0.5' }, exit: 'suspend' } };
    const list = profileStatements(ctx, { event: 'terminate', previous: prev, current: cur });
    expect(list.map((s) => String((s['verb'] as { id: string }).id).split('/').pop())).toEqual(['completed', 'passed', 'scored', 'suspended']);
    expect(profileStatements(ctx, { event: 'terminate', previous: prev, current: cur }).map((s) => s['id'])).toEqual(list.map((s) => s['id']));
    expect(profileStatements(ctx, { event: 'commit', previous: cur, current: cur })).toEqual([]);
    expect(stableUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('rolls SCO statuses up to the course', () => {
    const done = { completion: 'completed' as const, success: 'passed' as const, scaled: 1, totalSeconds: 10, sessionSeconds: 0, exit: '', entry: '', location: '', suspendData: '' };
    expect(rollup([done], 2)).toMatchObject({ completion: 'incomplete', success: 'unknown' });
    expect(rollup([done, { ...done, scaled: 0.5 }], 2)).toMatchObject({ completion: 'completed', success: 'passed', scoreScaled: 0.75, totalSeconds: 20 });
    expect(rollup([done, { ...done, success: 'failed' }], 2)).toMatchObject({ success: 'failed' });
  });
});
