/**
 * SCORM 2004 sequencing answered by scorm-again's own engine (OverallSequencingProcess, rollup,
 * global objectives), fed with the manifest's activity tree (toScormAgainSequencing) and the SCOs'
 * stored statuses. Used by the launcher (navigation: start, continue, previous, choice) and by the
 * server (course rollup). Isomorphic: no DOM, no Node; the Scorm2004API class is passed in, because
 * the browser bundles scorm-again's ESM build and Node cannot load its CommonJS build (see
 * scorm-again-node.ts).
 *
 * Every question runs on a freshly built engine: the engine's navigation processes change the tree
 * (end attempts, deliver), so sharing one instance would let one question alter the next answer.
 *
 * Feeding statuses: for each SCO with stored data the engine runs its End Attempt process (UP.4),
 * which writes mapped global objectives and rolls up to the root. Auto-completion/satisfaction of
 * SCOs that report nothing (completionSetByContent=false) is not applied: a stored status may
 * belong to a SCO still running, and the SCO statuses as stored are the engine's inputs.
 */

/** A SCO's tracked data, the engine's input. */
export interface ScoTracking {
  /** cmi.completion_status. */
  readonly completion: string;
  /** cmi.success_status. */
  readonly success: string;
  /** cmi.score.scaled when known. */
  readonly scaled?: number;
  /** cmi.progress_measure when known. */
  readonly progressMeasure?: number;
  /** cmi.objectives by id (non-primary objectives, possibly mapped to global objectives). */
  readonly objectives?: readonly { readonly id: string; readonly success: string; readonly scaled?: number }[];
  /** Attempts on this SCO so far (at least 1 when it has data). */
  readonly attempts?: number;
  /** The SCO was left suspended (cmi.exit = suspend). */
  readonly suspended?: boolean;
}

/** The course status the engine rolled up to the root activity. */
export interface CourseRollup {
  readonly completion: 'completed' | 'incomplete' | 'unknown';
  readonly success: 'passed' | 'failed' | 'unknown';
  /** Root normalized measure when the measure rollup produced one. */
  readonly measure?: number;
}

/** Navigation and rollup answers for one state of the course. */
export interface SequencingEngine {
  /** Leaf activity ids in tree order. */
  readonly leaves: readonly string[];
  /** The SCO a start request delivers; undefined when the engine refuses. */
  start(): string | undefined;
  /** The SCO `continue` from `current` delivers, or undefined when blocked or at the end. */
  next(current: string): string | undefined;
  /** The SCO `previous` from `current` delivers, or undefined. */
  previous(current: string): string | undefined;
  /** True when a choice of `target` from `current` (none before the first delivery) delivers it. */
  choiceAllowed(target: string, current?: string): boolean;
  /** True when `id` is invisible or hidden from choice by a precondition rule. */
  hidden(id: string): boolean;
  /** The root activity's rolled-up status. */
  rollup(): CourseRollup;
}

/** The part of scorm-again's ActivitySettings this module reads. */
export interface EngineActivitySettings {
  readonly id: string;
  readonly children?: readonly EngineActivitySettings[];
}

/** The Scorm2004API class (scorm-again), as far as this module needs it. */
export type Scorm2004ApiClass = new (settings: Record<string, unknown>) => object;

// scorm-again's Activity / ActivityTree / OverallSequencingProcess, narrowed to what is used here
// (their declaration files are not reachable through the package's exports map).
interface EngineObjective {
  readonly id: string;
  satisfiedStatus: boolean;
  satisfiedStatusKnown: boolean;
  progressStatus: boolean;
  measureStatus: boolean;
  normalizedMeasure: number;
}
interface EngineActivity {
  readonly id: string;
  readonly children: EngineActivity[];
  readonly parent: EngineActivity | null;
  isActive: boolean;
  activityAttemptActive: boolean;
  isSuspended: boolean;
  isVisible: boolean;
  isHiddenFromChoice: boolean;
  attemptCount: number;
  completionStatus: string;
  attemptProgressStatus: boolean;
  successStatus: string;
  objectiveSatisfiedStatus: boolean;
  objectiveSatisfiedStatusKnown: boolean;
  objectiveMeasureStatus: boolean;
  objectiveNormalizedMeasure: number;
  progressMeasure: number;
  progressMeasureStatus: boolean;
  readonly primaryObjective: EngineObjective | null;
  readonly objectives: EngineObjective[];
  readonly sequencingControls: { completionSetByContent: boolean; objectiveSetByContent: boolean };
  readonly sequencingRules: { evaluatePreConditionRules(activity: EngineActivity): string | null };
}
interface EngineTree {
  readonly root: EngineActivity | null;
  currentActivity: EngineActivity | null;
  getActivity(id: string): EngineActivity | null;
}
interface EngineDelivery {
  readonly valid: boolean;
  readonly targetActivity: { readonly id: string } | null;
}
interface EngineProcess {
  processNavigationRequest(request: string, target?: string | null, exitType?: string): EngineDelivery;
  endAttemptProcess(activity: EngineActivity): void;
  setContentDelivered(value: boolean): void;
}
interface EngineApi {
  readonly _sequencing?: { readonly activityTree: EngineTree };
  getSequencingService(): { getOverallSequencingProcess(): EngineProcess | null } | null;
}

/**
 * scorm-again 3.4.3 reads an activity's elapsed attemptAbsoluteDuration / activityAbsoluteDuration
 * through getters that return the *limits*, so any duration limit counts as used up and the
 * activity is never delivered. Elapsed durations are not fed to the engine anyway (the SCO gets
 * cmi.max_time_allowed and time_limit_action), so the limits are left out of its tree.
 */
function withoutDurationLimits(a: EngineActivitySettings): EngineActivitySettings {
  const { attemptAbsoluteDurationLimit: _attempt, activityAbsoluteDurationLimit: _activity, ...rest } =
    a as EngineActivitySettings & { attemptAbsoluteDurationLimit?: unknown; activityAbsoluteDurationLimit?: unknown };
  return { ...rest, ...(a.children ? { children: a.children.map(withoutDurationLimits) } : {}) };
}

function leavesOf(a: EngineActivitySettings, out: string[] = []): string[] {
  if (!a.children || a.children.length === 0) out.push(a.id);
  else for (const c of a.children) leavesOf(c, out);
  return out;
}

/** Builds the engine answers for an activity tree and the SCOs' tracking data (by leaf id). */
export function sequencingEngine(
  Api: Scorm2004ApiClass,
  activityTree: EngineActivitySettings,
  scos: ReadonlyMap<string, ScoTracking>,
): SequencingEngine {
  const leaves = leavesOf(activityTree);
  const engineTree = withoutDurationLimits(activityTree);

  const build = (): { tree: EngineTree; osp: EngineProcess } => {
    // logLevel 5 = none: the engine's info/debug logs must not reach the server log or the console.
    const api = new Api({
      logLevel: 5, autocommit: false, lmsCommitUrl: false,
      sequencing: { activityTree: engineTree, enableEventSystem: false, logLevel: 'error' },
    }) as EngineApi;
    const tree = api._sequencing?.activityTree;
    const osp = api.getSequencingService()?.getOverallSequencingProcess() ?? null;
    if (!tree?.root || !osp) throw new Error('scorm-again did not build a sequencing engine for this activity tree');
    for (const id of leaves) {
      const t = scos.get(id);
      const a = tree.getActivity(id);
      if (!t || !a) continue;
      feed(a, t);
      osp.endAttemptProcess(a);
      if (t.suspended) a.isSuspended = true;
    }
    return { tree, osp };
  };

  // Read-only questions (hidden, rollup) share one build; navigation needs a fresh one each time.
  let settled: EngineTree | undefined;
  const readOnly = (): EngineTree => (settled ??= build().tree);

  const deliver = (request: string, current: string | undefined, target?: string): string | undefined => {
    const { tree, osp } = build();
    if (current !== undefined) {
      const a = tree.getActivity(current);
      if (!a) return undefined;
      // Ending the current attempt must not auto-complete a SCO that has reported nothing yet.
      a.sequencingControls.completionSetByContent = true;
      a.sequencingControls.objectiveSetByContent = true;
      tree.currentActivity = a;
      osp.setContentDelivered(true);
    }
    const r = osp.processNavigationRequest(request, target ?? null, '');
    return r.valid ? r.targetActivity?.id : undefined;
  };

  return {
    leaves,
    start: () => deliver('start', undefined),
    next: (current) => deliver('continue', current),
    previous: (current) => deliver('previous', current),
    choiceAllowed: (target, current) => leaves.includes(target) && deliver('choice', current, target) === target,
    hidden: (id) => {
      const tree = readOnly();
      for (let a = tree.getActivity(id); a; a = a.parent) {
        if (!a.isVisible || a.isHiddenFromChoice) return true;
        if (a.sequencingRules.evaluatePreConditionRules(a) === 'hiddenFromChoice') return true;
      }
      return false;
    },
    rollup: () => {
      const root = readOnly().root!;
      const completion = root.completionStatus === 'completed' || root.completionStatus === 'incomplete' ? root.completionStatus : 'unknown';
      const success = root.successStatus === 'passed' || root.successStatus === 'failed' ? root.successStatus : 'unknown';
      return { completion, success, ...(root.objectiveMeasureStatus ? { measure: root.objectiveNormalizedMeasure } : {}) };
    },
  };
}

/**
 * RTE → activity data transfer for a stored SCO (as scorm-again's RteDataTransferService does for
 * the running SCO), then the activity is made the active attempt so the End Attempt process runs.
 */
function feed(a: EngineActivity, t: ScoTracking): void {
  a.attemptCount = Math.max(1, t.attempts ?? 1);
  a.isActive = true;
  a.activityAttemptActive = true;
  a.sequencingControls.completionSetByContent = true;
  a.sequencingControls.objectiveSetByContent = true;
  if (t.progressMeasure !== undefined) {
    a.progressMeasure = t.progressMeasure;
    a.progressMeasureStatus = true;
  }
  if (t.completion === 'completed' || t.completion === 'incomplete') {
    a.completionStatus = t.completion;
    a.attemptProgressStatus = true;
  }
  if (t.success === 'passed' || t.success === 'failed') {
    a.successStatus = t.success;
    a.objectiveSatisfiedStatus = t.success === 'passed';
    a.objectiveSatisfiedStatusKnown = true;
    const p = a.primaryObjective;
    if (p) {
      p.satisfiedStatus = t.success === 'passed';
      p.satisfiedStatusKnown = true;
      p.progressStatus = true;
    }
  }
  if (t.scaled !== undefined) {
    a.objectiveNormalizedMeasure = t.scaled;
    a.objectiveMeasureStatus = true;
    if (a.primaryObjective) {
      a.primaryObjective.normalizedMeasure = t.scaled;
      a.primaryObjective.measureStatus = true;
    }
  }
  for (const o of t.objectives ?? []) {
    const target = a.objectives.find((x) => x.id === o.id);
    if (!target) continue;
    if (o.success === 'passed' || o.success === 'failed') {
      target.satisfiedStatus = o.success === 'passed';
      target.satisfiedStatusKnown = true;
      target.progressStatus = true;
    }
    if (o.scaled !== undefined) {
      target.normalizedMeasure = o.scaled;
      target.measureStatus = true;
    }
  }
}
