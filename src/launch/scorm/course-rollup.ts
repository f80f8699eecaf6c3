/**
 * The course status of a SCORM 2004 attempt, rolled up by scorm-again's sequencing engine from the
 * manifest's rollup rules, rollup controls (rollupObjectiveSatisfied, rollupProgressCompletion,
 * objectiveMeasureWeight), rollup considerations and global objectives, with the stored SCO data as
 * the input. Runs on the server so the attempt's status never depends on which browser reported it.
 *
 * Cost: the engine is a fresh scorm-again API per rollup (about 1–2 ms for two SCOs, more for big
 * trees), so the runtime asks for a rollup only when a commit changes what it reads
 * (rollupInputsChanged), and a one-SCO course whose manifest cannot make the root differ from its
 * SCO skips the engine altogether (courseRollupPlan, decided once per course version).
 */
import type { ScormCourseModel, Sequencing } from '../../packages/course-model';
import { toScormAgainSequencing } from '../../packages/manifest';
import type { CompletionState, SuccessState } from '../../store/ports';
import { scorm2004ApiClass } from './scorm-again-node';
import { trackingFromCmi2004 } from './sco-tracking';
import { sequencingEngine, type EngineActivitySettings, type ScoTracking } from './sequencing-engine';

/** One SCO's stored data. */
export interface StoredSco {
  readonly scoId: string;
  readonly cmi: Readonly<Record<string, unknown>>;
  /** SCO attempts so far (ScoRuntime.scoAttempts); absent = 1. */
  readonly scoAttempts?: number;
}

/** The course status the rollup gives. */
export interface CourseStatus {
  readonly completion: CompletionState;
  readonly success: SuccessState;
}

/**
 * How a course version's status is rolled up, decided once per version: `single-sco` when the
 * organization has one SCO and nothing in the manifest can make the root differ from it (see
 * {@link singleScoOf}), else `engine` with the activity tree the engine is built from.
 */
export type CourseRollupPlan =
  | { readonly kind: 'single-sco'; readonly scoId: string }
  | { readonly kind: 'engine'; readonly activityTree: EngineActivitySettings };

const ALWAYS = 'always';

/** No rollup rules, no objective maps and no satisfaction by measure in this definition. */
function plainRollup(seq: Sequencing | undefined): boolean {
  if (!seq) return true;
  const { primary, others } = seq.objectives;
  return seq.rollupRules.rules.length === 0 && seq.deliveryControls.tracked
    && !(primary?.satisfiedByMeasure ?? false) && (primary?.mapInfo.length ?? 0) === 0 && others.every((o) => o.mapInfo.length === 0);
}

/**
 * The id of the only SCO when the root's status is that SCO's status (SN 4.6 rollup with the
 * default rules: one tracked child that counts for both satisfaction and completion, always):
 * one leaf under the organization; on the root and the leaf no rollup rules, no objective
 * maps (global objectives), no satisfiedByMeasure and no completion by progress measure; the leaf
 * tracked, contributing to both rollups (rollupObjectiveSatisfied, rollupProgressCompletion) with
 * every rollup consideration `always`. Undefined otherwise.
 */
export function singleScoOf(model: ScormCourseModel): string | undefined {
  const org = model.organizations.find((o) => o.identifier === model.defaultOrganization);
  const only = org?.items.length === 1 ? org.items[0] : undefined;
  if (!org || !only || only.children.length > 0 || only.launchUrl === undefined) return undefined;
  if (org.completionThreshold?.completedByMeasure || only.completionThreshold?.completedByMeasure) return undefined;
  if (!plainRollup(org.sequencing) || !plainRollup(only.sequencing)) return undefined;
  const seq = only.sequencing;
  if (seq) {
    const rc = seq.rollupConsiderations;
    if (!seq.rollupRules.rollupObjectiveSatisfied || !seq.rollupRules.rollupProgressCompletion) return undefined;
    if (rc.requiredForSatisfied !== ALWAYS || rc.requiredForNotSatisfied !== ALWAYS || rc.requiredForCompleted !== ALWAYS || rc.requiredForIncomplete !== ALWAYS) return undefined;
  }
  return only.identifier;
}

/** The rollup plan of a SCORM 2004 course version. */
export function courseRollupPlan(model: ScormCourseModel): CourseRollupPlan {
  const scoId = singleScoOf(model);
  return scoId !== undefined ? { kind: 'single-sco', scoId } : { kind: 'engine', activityTree: toScormAgainSequencing(model).activityTree };
}

function rootStatus(completion: string, success: string, anyData: boolean): CourseStatus {
  return {
    completion: completion === 'completed' || completion === 'incomplete' ? completion : anyData ? 'incomplete' : 'not attempted',
    success: success === 'passed' || success === 'failed' ? success : 'unknown',
  };
}

/** The root's status as scorm-again's engine rolls it up from the SCOs' stored data. */
export function engineCourseStatus(activityTree: EngineActivitySettings, stored: readonly StoredSco[]): CourseStatus {
  const tracking = new Map<string, ScoTracking>(stored.map((r) => [r.scoId, trackingFromCmi2004(r.cmi, r.scoAttempts)]));
  // A copy per build: the engine is handed settings it may keep and change.
  const root = sequencingEngine(scorm2004ApiClass(), structuredClone(activityTree), tracking).rollup();
  return rootStatus(root.completion, root.success, tracking.size > 0);
}

/** The course status by a version's plan: the SCO's own status for `single-sco`, else the engine's rollup. */
export function courseStatus(plan: CourseRollupPlan, stored: readonly StoredSco[]): CourseStatus {
  if (plan.kind === 'engine') return engineCourseStatus(plan.activityTree, stored);
  const sco = stored.find((r) => r.scoId === plan.scoId);
  if (!sco) return rootStatus('unknown', 'unknown', stored.length > 0);
  const t = trackingFromCmi2004(sco.cmi, sco.scoAttempts);
  return rootStatus(t.completion, t.success, true);
}

/**
 * Completion and success of the root activity. An unknown root completion is `incomplete` once any
 * SCO has data and `not attempted` before.
 */
export function sequencedCourseStatus(model: ScormCourseModel, stored: readonly StoredSco[]): CourseStatus {
  return courseStatus(courseRollupPlan(model), stored);
}

/**
 * True when a commit changes what the rollup reads of its SCO (statuses, scores, progress,
 * objectives, suspension, attempt count), or when the SCO had no data. When false, the course
 * status the previous commit rolled up still holds, whatever else (location, suspend data, time,
 * interactions) changed.
 */
export function rollupInputsChanged(previous: StoredSco | undefined, current: StoredSco): boolean {
  if (!previous) return true;
  const before = trackingFromCmi2004(previous.cmi, Math.max(1, previous.scoAttempts ?? 1));
  const after = trackingFromCmi2004(current.cmi, Math.max(1, current.scoAttempts ?? 1));
  return JSON.stringify(before) !== JSON.stringify(after);
}
