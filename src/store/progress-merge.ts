/**
 * Merge forms of the progress projection shared by both engines: completion as a rank that only
 * rises, success and score as `<ISO timestamp>|<value>` keys whose maximum is the latest value.
 */
import type { ProgressCompletion, ProgressDelta, ProgressStatus, ProgressSuccess } from './ports';

const COMPLETION: readonly ProgressCompletion[] = ['not attempted', 'incomplete', 'completed'];

/** The value part of a `<timestamp>|<value>` key. */
export function keyValue(key: string | null): string | undefined {
  if (key === null || key === '') return undefined;
  const i = key.lastIndexOf('|');
  return i < 0 ? undefined : key.slice(i + 1);
}

/** stored status fields → ProgressStatus. */
export function toStatus(r: {
  completionRank: number; successKey: string | null; scoreKey: string | null; satisfied: boolean; waived: boolean;
  timeMs: number; attempts: number; statements: number; lastActivityAt: string | null; updatedAt: string | null;
  doneAt?: string | null;
}): ProgressStatus {
  const success = keyValue(r.successKey);
  const score = keyValue(r.scoreKey);
  return {
    completion: COMPLETION[r.completionRank] ?? 'not attempted',
    success: success === 'passed' || success === 'failed' ? (success as ProgressSuccess) : 'unknown',
    ...(score !== undefined && score !== '' ? { scoreScaled: Number(score) } : {}),
    satisfied: r.satisfied,
    waived: r.waived,
    timeSeconds: r.timeMs / 1000,
    attempts: r.attempts,
    statements: r.statements,
    ...(r.lastActivityAt !== null ? { lastActivityAt: r.lastActivityAt } : {}),
    ...(r.updatedAt !== null ? { updatedAt: r.updatedAt } : {}),
    ...(typeof r.doneAt === 'string' ? { doneAt: r.doneAt } : {}),
  };
}

/** When a delta makes its row done (completed or satisfied): its doneAt, else its own time; undefined when it does not. */
export function doneAtOf(d: Pick<ProgressDelta, 'doneAt' | 'completion' | 'satisfied' | 'lastActivityAt' | 'updatedAt'>): string | undefined {
  if (d.doneAt !== undefined) return d.doneAt;
  return d.completion === 'completed' || d.satisfied === true ? d.lastActivityAt ?? d.updatedAt : undefined;
}

/** the merge keys of a delta. */
export function deltaKeys(d: ProgressDelta): { rank: number; successKey: string | null; scoreKey: string | null } {
  return {
    rank: d.completion === 'completed' ? 2 : d.completion === 'incomplete' ? 1 : 0,
    successKey: d.success ? `${d.success.at}|${d.success.value}` : null,
    scoreKey: d.score ? `${d.score.at}|${d.score.scaled}` : null,
  };
}

