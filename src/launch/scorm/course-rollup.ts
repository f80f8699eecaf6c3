/**
 * The course status of a SCORM 2004 attempt, rolled up by scorm-again's sequencing engine from the
 * manifest's rollup rules, rollup controls (rollupObjectiveSatisfied, rollupProgressCompletion,
 * objectiveMeasureWeight), rollup considerations and global objectives, with the stored SCO data as
 * the input. Runs on the server so the attempt's status never depends on which browser reported it.
 */
import type { ScormCourseModel } from '../../packages/course-model';
import { toScormAgainSequencing } from '../../packages/manifest';
import type { CompletionState, SuccessState } from '../../store/ports';
import { scorm2004ApiClass } from './scorm-again-node';
import { trackingFromCmi2004 } from './sco-tracking';
import { sequencingEngine, type ScoTracking } from './sequencing-engine';

/** One SCO's stored data. */
export interface StoredSco {
  readonly scoId: string;
  readonly cmi: Readonly<Record<string, unknown>>;
}

/**
 * Completion and success of the root activity. An unknown root completion is `incomplete` once any
 * SCO has data and `not attempted` before.
 */
export function sequencedCourseStatus(model: ScormCourseModel, stored: readonly StoredSco[]): { completion: CompletionState; success: SuccessState } {
  const tracking = new Map<string, ScoTracking>(stored.map((r) => [r.scoId, trackingFromCmi2004(r.cmi)]));
  const root = sequencingEngine(scorm2004ApiClass(), toScormAgainSequencing(model).activityTree, tracking).rollup();
  return {
    completion: root.completion === 'unknown' ? (tracking.size > 0 ? 'incomplete' : 'not attempted') : root.completion,
    success: root.success,
  };
}
