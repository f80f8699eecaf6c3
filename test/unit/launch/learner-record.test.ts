/**
 * The learner record's pure parts: the time an xAPI course reports (the union of the spans its
 * durations cover; issue 17 items 10 and 17) and the summary every surface shows (item 9).
 */
import { summarise, type AttemptRecord } from '../../../src/launch/record/record';
import { reportedSeconds } from '../../../src/launch/record/reported-time';
import type { JsonObject } from '../../../src/xapi/model/types';

const T0 = Date.parse('2030-01-01T10:00:00.000Z');
/** A statement ending `atS` seconds after T0 that reports `duration`. */
const st = (atS: number, duration?: string, verb = 'http://adlnet.gov/expapi/verbs/experienced'): JsonObject => ({
  verb: { id: verb }, timestamp: new Date(T0 + atS * 1000).toISOString(), ...(duration !== undefined ? { result: { duration } } : {}),
});

describe('reportedSeconds', () => {
  it('counts a sitting once when it ends with both suspended and terminated (17 s, not 17 + 6)', () => {
    const sitting = [st(0, undefined, 'initialized'), st(17, 'PT17S', 'suspended'), st(17.2, 'PT6S', 'terminated')];
    expect(reportedSeconds(sitting)).toBeCloseTo(17.2, 5);
  });

  it('adds up a game\'s rounds (PT5S each) and counts a course-level duration over them once', () => {
    const rounds = [st(5, 'PT5S'), st(10.5, 'PT5S'), st(16, 'PT5S'), st(21, 'PT5S')];
    expect(reportedSeconds(rounds)).toBe(20);
    expect(reportedSeconds([...rounds, st(21, 'PT21S', 'completed')])).toBe(21);
  });

  it('adds separate sittings, ignores statements without a duration or a time, and is 0 when nothing reports time', () => {
    const day2 = 86_400;
    expect(reportedSeconds([st(60, 'PT1M', 'terminated'), st(day2 + 30, 'PT30S', 'terminated'), st(90), { result: { duration: 'PT9S' } }])).toBe(90);
    expect(reportedSeconds([st(1), st(2), { verb: { id: 'x' } }])).toBe(0);
    expect(reportedSeconds([])).toBe(0);
  });

  it('reads durations with hours, minutes and fractions', () => {
    expect(reportedSeconds([st(3600 * 2, 'PT1H30M15.5S')])).toBe(5415.5);
  });
});

const attempt = (n: number, over: Partial<AttemptRecord> = {}): AttemptRecord => ({
  id: `a${n}`, number: n, completion: 'not attempted', success: 'unknown', totalSeconds: 0, timeSource: 'content', suspended: false,
  startedAt: `2030-01-0${n}T00:00:00.000Z`, updatedAt: `2030-01-0${n}T00:10:00.000Z`, ...over,
});

describe('summarise', () => {
  it('heads with the latest attempt, times every attempt and keeps the last finished one beside a new one', () => {
    const done = attempt(1, { completion: 'completed', success: 'passed', scoreScaled: 0.8, totalSeconds: 600 });
    const fresh = attempt(2, { totalSeconds: 30 });
    expect(summarise([done, fresh])).toEqual({
      completion: 'not attempted', success: 'unknown', totalSeconds: 630, timeSource: 'content', attempts: 2,
      lastActivityAt: fresh.updatedAt, lastFinished: done,
    });
    expect(summarise([done]).lastFinished).toBeUndefined();
  });

  it('says the time was measured by the player only when all of it was', () => {
    expect(summarise([attempt(1, { totalSeconds: 12, timeSource: 'player' })]).timeSource).toBe('player');
    expect(summarise([attempt(1, { totalSeconds: 12, timeSource: 'player' }), attempt(2, { totalSeconds: 5 })]).timeSource).toBe('content');
    expect(summarise([])).toEqual({ completion: 'not attempted', success: 'unknown', totalSeconds: 0, timeSource: 'content', attempts: 0 });
  });
});
