/**
 * The best finished attempt of a registration, which the course page shows beside the attempt in
 * progress (after "Start a new attempt" the learner's earlier result must stay in view). Pure.
 */
import type { Attempt } from '../store/ports';
import { attemptDone } from './registrations';

const RANK: Record<string, number> = { passed: 3, completed: 2, failed: 1 };
const rank = (a: Attempt): number => RANK[a.success === 'unknown' ? (a.completion === 'completed' ? 'completed' : '') : a.success] ?? 0;

/**
 * Among finished attempts (completed, passed or failed): passed before completed before failed,
 * then the higher score, then the later one. Undefined when none is finished.
 */
export function bestFinishedAttempt(attempts: readonly Attempt[]): Attempt | undefined {
  let best: Attempt | undefined;
  for (const a of attempts) {
    if (!attemptDone(a)) continue;
    if (!best) {
      best = a;
      continue;
    }
    const d = rank(a) - rank(best) || (a.scoreScaled ?? -Infinity) - (best.scoreScaled ?? -Infinity) || a.number - best.number;
    if (d > 0) best = a;
  }
  return best;
}
