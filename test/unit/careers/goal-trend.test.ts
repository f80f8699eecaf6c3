import { goalTrend, onTrackAt, trendInstants, type DoneSpan } from '../../../src/careers/goal-trend';

describe('goal trend from history', () => {
  const now = new Date('2026-03-10T12:00:00.000Z');

  it('measures one instant a day up to today (now itself last) over a short span', () => {
    expect(trendInstants('2026-03-07', now)).toEqual(['2026-03-07T23:59:59.999Z', '2026-03-08T23:59:59.999Z', '2026-03-09T23:59:59.999Z', '2026-03-10T12:00:00.000Z']);
    expect(trendInstants('2026-03-10', now)).toEqual(['2026-03-10T12:00:00.000Z']);
    // A start after today (a goal set with a clock ahead) is today.
    expect(trendInstants('2026-04-01', now)).toEqual(['2026-03-10T12:00:00.000Z']);
  });

  it('measures weekly over a long span, and never more than 200 points', () => {
    const weekly = trendInstants('2025-01-01', now);
    expect(weekly.at(-1)).toBe(now.toISOString());
    expect(weekly.at(-2)).toBe('2026-03-03T23:59:59.999Z');
    expect(weekly[0]! >= '2025-01-01').toBe(true);
    expect(trendInstants('2000-01-01', now).length).toBeLessThanOrEqual(200);
  });

  it('counts a person at an instant when one of their spans covers it; a lapsed span stops counting', () => {
    const spans = new Map<string, DoneSpan[]>([
      ['a', [{ from: '2026-03-08T10:00:00.000Z' }]],
      ['b', [{ from: '2026-03-07T10:00:00.000Z', until: '2026-03-09T00:00:00.000Z' }, { from: '2026-03-10T11:00:00.000Z' }]],
    ]);
    const goal = { id: 'g', createdAt: '2026-03-08T00:00:00.000Z', dueDate: '2026-03-17', targetPercent: 100 };
    const points = goalTrend(goal, 3, spans, trendInstants('2026-03-07', now));
    expect(points.map((p) => [p.day, p.done, p.total])).toEqual([['2026-03-07', 1, 3], ['2026-03-08', 2, 3], ['2026-03-09', 1, 3], ['2026-03-10', 2, 3]]);
    // The on-track line: none before the goal was set, then a straight line to 3 people at the end of 2026-03-17.
    expect(points.map((p) => p.onTrack)).toEqual([undefined, 0, 1, 1]);
  });

  it('draws the on-track line from nobody when the goal is set to the needed people at its due date', () => {
    const goal = { createdAt: '2026-01-01T00:00:00.000Z', dueDate: '2026-01-10', targetPercent: 80 };
    const due = Date.parse('2026-01-10T23:59:59.999Z');
    expect(onTrackAt(goal, 10, Date.parse(goal.createdAt))).toBe(0);
    expect(onTrackAt(goal, 10, (Date.parse(goal.createdAt) + due) / 2)).toBe(4);
    expect(onTrackAt(goal, 10, due + 86_400_000)).toBe(8);
  });
});
