/**
 * A goal's trend, computed from history on every read (ADR 0036): each person in scope counts
 * as done over spans of time (from the day the evidence or the completion is dated, until the
 * evidence lapses), and a point is the number of people done at one instant. Nothing is stored,
 * so a goal nobody opened has its full history, and voided evidence or an erased person leaves
 * every past point as well as today's.
 */

/** The value of a goal at one moment of its history. */
export interface GoalPoint {
  readonly goalId: string;
  /** YYYY-MM-DD (UTC) of the instant. */
  readonly day: string;
  /** People in scope (today's population). */
  readonly total: number;
  /** People in scope who met the goal's measure at that instant. */
  readonly done: number;
  /** The instant measured: the end of the day, or now for today. */
  readonly measuredAt: string;
  /**
   * People a straight line from the day the goal was set (none) to its due date (the target) calls
   * for at that instant: the goal's "on track" line. Absent before the goal was set.
   */
  readonly onTrack?: number;
}

/** What a goal's line to its target needs: when it was set, when it is due, its target. */
export interface GoalLine {
  readonly createdAt: string;
  /** YYYY-MM-DD. */
  readonly dueDate: string;
  readonly targetPercent: number;
}

/** People the goal needs by its due date (80 % of 7 is 6). */
export function neededPeople(line: Pick<GoalLine, 'targetPercent'>, total: number): number {
  return Math.ceil((total * line.targetPercent) / 100);
}

/**
 * People a straight line from the goal's setting to its due date calls for at `at` (rounded):
 * 0 when it was set, all the needed people at the due date and after.
 */
export function onTrackAt(line: GoalLine, total: number, at: number): number {
  const due = Date.parse(`${line.dueDate}T23:59:59.999Z`);
  const start = Date.parse(line.createdAt);
  const share = due > start ? Math.min(1, Math.max(0, (at - start) / (due - start))) : 1;
  return Math.round(neededPeople(line, total) * share);
}

/** A time a person counted as done: from `from`, until `until` (exclusive; open when undefined). ISO 8601 UTC. */
export interface DoneSpan {
  readonly from: string;
  readonly until?: string;
}

const DAY_MS = 86_400_000;
/** Up to this many days, one point per day; over it, one per week (or wider, see MAX_POINTS). */
export const DAILY_UP_TO_DAYS = 92;
/** At most this many points, however long the history. */
export const MAX_POINTS = 200;

const dayOf = (iso: string): string => iso.slice(0, 10);
const endOfDay = (day: string): number => Date.parse(`${day}T23:59:59.999Z`);

/**
 * The instants a trend is measured at, oldest first: from the end of `startDay` to now, one a
 * day when the span is at most DAILY_UP_TO_DAYS days, else one every 7 days (or more, keeping at
 * most MAX_POINTS) counted back from today. The last one is `now` itself.
 */
export function trendInstants(startDay: string, now: Date): string[] {
  const today = dayOf(now.toISOString());
  const first = startDay < today ? startDay : today;
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS);
  const step = days <= DAILY_UP_TO_DAYS ? 1 : Math.max(7, Math.ceil(days / (MAX_POINTS - 1)));
  const out = [now.toISOString()];
  for (let back = step; back <= days; back += step) out.push(new Date(endOfDay(today) - back * DAY_MS).toISOString());
  return out.reverse();
}

/** The points of a goal at these instants: for each, the people with a span covering it, and its on-track line. */
export function goalTrend(goal: GoalLine & { readonly id: string }, total: number, spans: ReadonlyMap<string, readonly DoneSpan[]>, instants: readonly string[]): GoalPoint[] {
  return instants.map((at) => {
    let done = 0;
    for (const list of spans.values()) if (list.some((s) => s.from <= at && (s.until === undefined || s.until > at))) done += 1;
    const t = Date.parse(at);
    return { goalId: goal.id, day: dayOf(at), total, done, measuredAt: at, ...(t >= Date.parse(goal.createdAt) ? { onTrack: onTrackAt(goal, total, t) } : {}) };
  });
}

/** The earliest day any span starts, or undefined when there is none. */
export function earliestDay(spans: ReadonlyMap<string, readonly DoneSpan[]>): string | undefined {
  let min: string | undefined;
  for (const list of spans.values()) for (const s of list) if (min === undefined || s.from < min) min = s.from;
  return min === undefined ? undefined : dayOf(min);
}
