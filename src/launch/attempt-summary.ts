/**
 * The best finished attempt of a registration, which the course page shows beside the attempt in
 * progress (after "Start a new attempt" the learner's earlier result must stay in view). Pure.
 */
import { finished, type AttemptRecord } from './record/record';

type Ranked = Pick<AttemptRecord, 'number' | 'completion' | 'success' | 'scoreScaled'>;

const RANK: Record<string, number> = { passed: 3, completed: 2, failed: 1 };
const rank = (a: Ranked): number => RANK[a.success === 'unknown' ? (a.completion === 'completed' ? 'completed' : '') : a.success] ?? 0;

/**
 * Among finished attempts (completed, passed or failed): passed before completed before failed,
 * then the higher score, then the later one. Undefined when none is finished.
 */
export function bestFinishedAttempt<A extends Ranked>(attempts: readonly A[]): A | undefined {
  let best: A | undefined;
  for (const a of attempts) {
    if (!finished(a)) continue;
    if (!best) {
      best = a;
      continue;
    }
    const d = rank(a) - rank(best) || (a.scoreScaled ?? -Infinity) - (best.scoreScaled ?? -Infinity) || a.number - best.number;
    if (d > 0) best = a;
  }
  return best;
}
