import { stringify } from 'csv-stringify/sync';
import type { GoalDetail } from './goals';
import { safeCell } from './role-profiles-csv';

/** A goal's people as CSV: who, where they stand, their latest activity on the course. */
export function goalPeopleCsv(g: GoalDetail): string {
  const rows = g.people.map((p) => [safeCell(p.name), safeCell(p.email), p.status, p.lastActivityAt ?? '']);
  return stringify(rows, { header: true, columns: ['name', 'email', 'status', 'last_activity'] });
}

/** A goal's values over time as CSV, oldest first (on_track: the people its straight line to the target calls for; empty before the goal was set). */
export function goalTrendCsv(g: GoalDetail): string {
  const rows = g.trend.map((p) => [p.day, String(p.done), String(p.total), p.total === 0 ? '0' : (Math.round((p.done / p.total) * 1000) / 10).toString(), String(g.targetPercent), p.onTrack === undefined ? '' : String(p.onTrack)]);
  return stringify(rows, { header: true, columns: ['day', 'done', 'people', 'percent', 'target_percent', 'on_track'] });
}
