import { durationMs, progressDeltas } from '../../../src/launch/progress/derive';
import type { ProgressRecord } from '../../../src/store/ports';

const REG = '0f6c1b7e-3c1a-4e57-9a7e-2a1f6f1f0c11';
const KEY = 'account:http://learnhq.test|u1';
const actor = { objectType: 'Agent', account: { homePage: 'http://learnhq.test', name: 'u1' } };
const track: ProgressRecord = {
  registration: REG, courseId: 'c', versionId: 'v', userId: 'u1', agentKey: KEY, courseActivityIds: ['http://x/course'], unitActivityIds: ['http://x/unit'],
  createdAt: '', completion: 'not attempted', success: 'unknown', satisfied: false, waived: false, timeSeconds: 0, attempts: 0, statements: 0,
};
const st = (verb: string, object: string, result?: Record<string, unknown>, who: unknown = actor): Record<string, unknown> => ({
  actor: who, verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` }, object: { id: object }, context: { registration: REG.toUpperCase() },
  timestamp: '2030-01-01T10:00:00+01:00', ...(result ? { result } : {}),
});

describe('durationMs', () => {
  it.each([['PT1M30S', 90_000], ['PT0.25S', 250], ['P1DT1H', 90_000_000], ['PT1,5S', 1500], ['1 minute', 0], [42, 0]])('%s → %d ms', (v, ms) => {
    expect(durationMs(v)).toBe(ms);
  });
});

describe('progressDeltas', () => {
  const tracks = new Map([[REG, track]]);

  it('counts every statement of the learner on the course row, and status only for course and unit activities', () => {
    const d = progressDeltas([
      st('initialized', 'http://x/unit') as never,
      st('passed', 'http://x/unit', { success: true, score: { raw: 8, min: 0, max: 10 } }) as never,
      st('terminated', 'http://x/other', { duration: 'PT2M' }) as never,
      st('completed', 'http://x/course', { completion: true }) as never,
    ], tracks, 'now');
    const course = d.filter((x) => x.activityId === '');
    expect(course).toHaveLength(4);
    expect(course.reduce((a, x) => a + x.timeMs, 0)).toBe(120_000);
    expect(course.reduce((a, x) => a + x.attempts, 0)).toBe(1);
    expect(course[0]?.lastActivityAt).toBe('2030-01-01T09:00:00.000Z');
    expect(course[1]?.success).toBeUndefined();
    expect(course[3]?.completion).toBe('completed');
    const unit = d.filter((x) => x.activityId === 'http://x/unit');
    expect(unit.map((x) => x.completion)).toEqual(['incomplete', 'incomplete']);
    expect(unit[1]?.success).toEqual({ value: 'passed', at: '2030-01-01T09:00:00.000Z' });
    expect(unit[1]?.score?.scaled).toBe(0.8);
  });

  it('ignores other actors and untracked registrations', () => {
    const other = { objectType: 'Agent', account: { homePage: 'http://learnhq.test', name: 'u2' } };
    expect(progressDeltas([st('completed', 'http://x/course', undefined, other) as never], tracks, 'now')).toEqual([]);
    expect(progressDeltas([st('completed', 'http://x/course') as never], new Map(), 'now')).toEqual([]);
  });
});
