/**
 * The subset of scorm-again's `SequencingSettings` (src/types/sequencing_types.ts, scorm-again 3.x;
 * read at jcputney/scorm-again commit 14372be1, the 3.x line published on npm as 3.4.x) that a
 * manifest determines. Declared here so the server needs no browser library; the player passes the
 * value as `settings.sequencing` to `new Scorm2004API(settings)`. Token values are scorm-again's
 * enum strings (RuleConditionType, RuleActionType, RollupConditionType, RollupActionType,
 * RollupConsiderationType).
 */

/** scorm-again `SequencingSettings` (manifest-derived part). */
export interface ScormAgainSequencingSettings {
  /** Root activity = the organization. */
  activityTree: ScormAgainActivitySettings;
}

/** scorm-again `ActivitySettings`. */
export interface ScormAgainActivitySettings {
  id: string;
  title: string;
  children?: ScormAgainActivitySettings[];
  isVisible?: boolean;
  attemptLimit?: number | null;
  attemptAbsoluteDurationLimit?: string | null;
  activityAbsoluteDurationLimit?: string | null;
  timeLimitAction?: string | null;
  beginTimeLimit?: string | null;
  endTimeLimit?: string | null;
  primaryObjective?: ScormAgainObjectiveSettings;
  objectives?: ScormAgainObjectiveSettings[];
  sequencingRules?: ScormAgainSequencingRulesSettings;
  sequencingControls?: ScormAgainSequencingControlsSettings;
  deliveryControls?: { tracked?: boolean; completionSetByContent?: boolean; objectiveSetByContent?: boolean };
  rollupRules?: { rules: ScormAgainRollupRuleSettings[] };
  rollupConsiderations?: {
    requiredForSatisfied?: string;
    requiredForNotSatisfied?: string;
    requiredForCompleted?: string;
    requiredForIncomplete?: string;
    measureSatisfactionIfActive?: boolean;
  };
  completionThreshold?: { completedByMeasure?: boolean; minProgressMeasure?: number; progressWeight?: number };
  hideLmsUi?: string[];
}

/** scorm-again `ObjectiveSettings`. */
export interface ScormAgainObjectiveSettings {
  objectiveID: string;
  isPrimary?: boolean;
  satisfiedByMeasure?: boolean;
  minNormalizedMeasure?: number | null;
  mapInfo?: ScormAgainMapInfoSettings[];
}

/** scorm-again `ObjectiveMapInfoSettings`. */
export interface ScormAgainMapInfoSettings {
  targetObjectiveID: string;
  readSatisfiedStatus?: boolean;
  readNormalizedMeasure?: boolean;
  writeSatisfiedStatus?: boolean;
  writeNormalizedMeasure?: boolean;
  readCompletionStatus?: boolean;
  writeCompletionStatus?: boolean;
  readProgressMeasure?: boolean;
  writeProgressMeasure?: boolean;
  readRawScore?: boolean;
  writeRawScore?: boolean;
  readMinScore?: boolean;
  writeMinScore?: boolean;
  readMaxScore?: boolean;
  writeMaxScore?: boolean;
}

/** scorm-again `SequencingRulesSettings`. */
export interface ScormAgainSequencingRulesSettings {
  preConditionRules?: ScormAgainSequencingRuleSettings[];
  exitConditionRules?: ScormAgainSequencingRuleSettings[];
  postConditionRules?: ScormAgainSequencingRuleSettings[];
}

/** scorm-again `SequencingRuleSettings`. */
export interface ScormAgainSequencingRuleSettings {
  action: string;
  conditionCombination?: 'all' | 'any';
  conditions: { condition: string; operator?: 'not'; referencedObjective?: string; parameters?: Record<string, number | string> }[];
}

/** scorm-again `RollupRuleSettings`. */
export interface ScormAgainRollupRuleSettings {
  action: string;
  consideration?: string;
  minimumCount?: number;
  /** scorm-again compares against a 0–100 percentage (the manifest's 0–1 value × 100). */
  minimumPercent?: number;
  /** How the conditions combine (imsss default `any`). */
  conditionCombination?: 'all' | 'any';
  conditions: { condition: string; operator?: 'noOp' | 'not'; parameters?: Record<string, string> }[];
}

/** scorm-again `SequencingControlsSettings`. */
export interface ScormAgainSequencingControlsSettings {
  enabled?: boolean;
  choice?: boolean;
  choiceExit?: boolean;
  flow?: boolean;
  forwardOnly?: boolean;
  useCurrentAttemptObjectiveInfo?: boolean;
  useCurrentAttemptProgressInfo?: boolean;
  preventActivation?: boolean;
  constrainChoice?: boolean;
  rollupObjectiveSatisfied?: boolean;
  rollupProgressCompletion?: boolean;
  objectiveMeasureWeight?: number;
  selectionTiming?: string;
  selectCount?: number | null;
  randomizeChildren?: boolean;
  randomizationTiming?: string;
  reorderChildren?: boolean;
  completionSetByContent?: boolean;
  objectiveSetByContent?: boolean;
  tracked?: boolean;
}
