/**
 * SCORM 2004 sequencing & navigation in the course model (IMS Simple Sequencing + ADL extensions).
 * Every value is the *effective* one: defaults of the imsss/adlseq schemas applied and any
 * sequencingCollection entry referenced by `IDRef` merged in, so a player never re-derives them.
 * Token values are the manifest's own (e.g. `hiddenFromChoice`, `activityProgressKnown`).
 */

/** Effective sequencing definition of one activity. */
export interface Sequencing {
  /** `ID` attribute when this definition lives in the sequencingCollection. */
  id?: string;
  /** `IDRef` of the collection entry merged into this definition. */
  collectionRef?: string;
  /** `<imsss:controlMode>`. */
  controlMode: ControlMode;
  /** `<imsss:sequencingRules>`. */
  sequencingRules: SequencingRules;
  /** `<imsss:limitConditions>`. */
  limitConditions: LimitConditions;
  /** `<imsss:rollupRules>`. */
  rollupRules: RollupRules;
  /** `<imsss:objectives>` merged with `<adlseq:objectives>` (4th edition map extensions). */
  objectives: Objectives;
  /** `<imsss:randomizationControls>`. */
  randomizationControls: RandomizationControls;
  /** `<imsss:deliveryControls>`. */
  deliveryControls: DeliveryControls;
  /** `<adlseq:constrainedChoiceConsiderations>`. */
  constrainedChoiceConsiderations: ConstrainedChoiceConsiderations;
  /** `<adlseq:rollupConsiderations>`. */
  rollupConsiderations: RollupConsiderations;
}

/** Sequencing control modes (defaults choice, choiceExit, useCurrent* true; flow, forwardOnly false). */
export interface ControlMode {
  /** Learner may choose activities among the children. */
  choice: boolean;
  /** Learner may choose an activity outside this one while it is active. */
  choiceExit: boolean;
  /** Continue/previous navigation among the children is allowed. */
  flow: boolean;
  /** Previous navigation is refused among the children. */
  forwardOnly: boolean;
  /** Rollup uses objective information of the current attempt only. */
  useCurrentAttemptObjectiveInfo: boolean;
  /** Rollup uses progress information of the current attempt only. */
  useCurrentAttemptProgressInfo: boolean;
}

/** Pre-condition, exit and post-condition rules in document order. */
export interface SequencingRules {
  /** `<imsss:preConditionRule>`: skip, disabled, hiddenFromChoice, stopForwardTraversal. */
  preCondition: SequencingRule[];
  /** `<imsss:exitConditionRule>`: exit. */
  exitCondition: SequencingRule[];
  /** `<imsss:postConditionRule>`: exitParent, exitAll, retry, retryAll, continue, previous. */
  postCondition: SequencingRule[];
}

/** Rule condition vocabulary of imsss. */
export type RuleConditionName =
  | 'satisfied'
  | 'objectiveStatusKnown'
  | 'objectiveMeasureKnown'
  | 'objectiveMeasureGreaterThan'
  | 'objectiveMeasureLessThan'
  | 'completed'
  | 'activityProgressKnown'
  | 'attempted'
  | 'attemptLimitExceeded'
  | 'timeLimitExceeded'
  | 'outsideAvailableTimeRange'
  | 'always';

/** Sequencing rule action vocabulary of imsss. */
export type RuleActionName =
  | 'skip'
  | 'disabled'
  | 'hiddenFromChoice'
  | 'stopForwardTraversal'
  | 'exit'
  | 'exitParent'
  | 'exitAll'
  | 'retry'
  | 'retryAll'
  | 'continue'
  | 'previous';

/** One sequencing rule. */
export interface SequencingRule {
  /** `<imsss:ruleConditions conditionCombination>` (default all). */
  conditionCombination: 'all' | 'any';
  /** `<imsss:ruleCondition>` entries. */
  conditions: RuleCondition[];
  /** `<imsss:ruleAction action>`. */
  action: RuleActionName;
}

/** One `<imsss:ruleCondition>`. */
export interface RuleCondition {
  /** `condition` attribute. */
  condition: RuleConditionName;
  /** `operator` attribute (default noOp). */
  operator: 'noOp' | 'not';
  /** `referencedObjective`: an objectiveID of this activity; absent means the primary objective. */
  referencedObjective?: string;
  /** `measureThreshold` (-1..1), for objectiveMeasureGreaterThan/LessThan. */
  measureThreshold?: number;
}

/** `<imsss:limitConditions>`; absent attributes mean no limit. */
export interface LimitConditions {
  /** Maximum number of attempts. */
  attemptLimit?: number;
  /** Maximum duration of one attempt (xs:duration). */
  attemptAbsoluteDurationLimit?: string;
  /** Maximum experienced duration of one attempt (not required by SCORM). */
  attemptExperiencedDurationLimit?: string;
  /** Maximum duration of the activity (not required by SCORM). */
  activityAbsoluteDurationLimit?: string;
  /** Maximum experienced duration of the activity (not required by SCORM). */
  activityExperiencedDurationLimit?: string;
  /** Earliest date-time the activity may start (not required by SCORM). */
  beginTimeLimit?: string;
  /** Latest date-time the activity may start (not required by SCORM). */
  endTimeLimit?: string;
}

/** `<imsss:rollupRules>`. */
export interface RollupRules {
  /** `rollupObjectiveSatisfied` (default true): the activity contributes to satisfaction rollup. */
  rollupObjectiveSatisfied: boolean;
  /** `rollupProgressCompletion` (default true): the activity contributes to completion rollup. */
  rollupProgressCompletion: boolean;
  /** `objectiveMeasureWeight` (0–1, default 1). */
  objectiveMeasureWeight: number;
  /** `<imsss:rollupRule>` entries. */
  rules: RollupRule[];
}

/** Rollup condition vocabulary of imsss. */
export type RollupConditionName =
  | 'satisfied'
  | 'objectiveStatusKnown'
  | 'objectiveMeasureKnown'
  | 'completed'
  | 'activityProgressKnown'
  | 'attempted'
  | 'attemptLimitExceeded'
  | 'timeLimitExceeded'
  | 'outsideAvailableTimeRange';

/** One `<imsss:rollupRule>`. */
export interface RollupRule {
  /** `childActivitySet` (default all). */
  childActivitySet: 'all' | 'any' | 'none' | 'atLeastCount' | 'atLeastPercent';
  /** `minimumCount` (default 0). */
  minimumCount: number;
  /** `minimumPercent` as the manifest's fraction 0–1 (default 0). */
  minimumPercent: number;
  /** `<imsss:rollupConditions conditionCombination>` (default any). */
  conditionCombination: 'all' | 'any';
  /** `<imsss:rollupCondition>` entries. */
  conditions: RollupCondition[];
  /** `<imsss:rollupAction action>`. */
  action: 'satisfied' | 'notSatisfied' | 'completed' | 'incomplete';
}

/** One `<imsss:rollupCondition>`. */
export interface RollupCondition {
  /** `condition` attribute. */
  condition: RollupConditionName;
  /** `operator` attribute (default noOp). */
  operator: 'noOp' | 'not';
}

/** Primary and other objectives of an activity. */
export interface Objectives {
  /** `<imsss:primaryObjective>` when declared. */
  primary?: Objective;
  /** `<imsss:objective>` entries. */
  others: Objective[];
}

/** One objective. */
export interface Objective {
  /** `objectiveID` (optional on the primary objective). */
  objectiveId?: string;
  /** `satisfiedByMeasure` (default false). */
  satisfiedByMeasure: boolean;
  /** `<imsss:minNormalizedMeasure>` (-1..1, default 1). */
  minNormalizedMeasure: number;
  /** `<imsss:mapInfo>` entries, with 4th edition `<adlseq:mapInfo>` fields merged by target. */
  mapInfo: ObjectiveMapInfo[];
}

/** Map from a local objective to a global (shared) objective. */
export interface ObjectiveMapInfo {
  /** `targetObjectiveID`: the global objective id. */
  targetObjectiveId: string;
  /** Default true. */
  readSatisfiedStatus: boolean;
  /** Default true. */
  readNormalizedMeasure: boolean;
  /** Default false. */
  writeSatisfiedStatus: boolean;
  /** Default false. */
  writeNormalizedMeasure: boolean;
  /** 4th edition `adlseq:mapInfo` extensions, present only when declared. */
  readRawScore?: boolean;
  /** 4th edition extension. */
  readMinScore?: boolean;
  /** 4th edition extension. */
  readMaxScore?: boolean;
  /** 4th edition extension. */
  readCompletionStatus?: boolean;
  /** 4th edition extension. */
  readProgressMeasure?: boolean;
  /** 4th edition extension. */
  writeRawScore?: boolean;
  /** 4th edition extension. */
  writeMinScore?: boolean;
  /** 4th edition extension. */
  writeMaxScore?: boolean;
  /** 4th edition extension. */
  writeCompletionStatus?: boolean;
  /** 4th edition extension. */
  writeProgressMeasure?: boolean;
}

/** `<imsss:randomizationControls>`. */
export interface RandomizationControls {
  /** `randomizationTiming` (default never). */
  randomizationTiming: 'never' | 'once' | 'onEachNewAttempt';
  /** `selectCount` when declared. */
  selectCount?: number;
  /** `reorderChildren` (default false). */
  reorderChildren: boolean;
  /** `selectionTiming` (default never). */
  selectionTiming: 'never' | 'once' | 'onEachNewAttempt';
}

/** `<imsss:deliveryControls>`. */
export interface DeliveryControls {
  /** `tracked` (default true). */
  tracked: boolean;
  /** `completionSetByContent` (default false). */
  completionSetByContent: boolean;
  /** `objectiveSetByContent` (default false). */
  objectiveSetByContent: boolean;
}

/** `<adlseq:constrainedChoiceConsiderations>`. */
export interface ConstrainedChoiceConsiderations {
  /** `preventActivation` (default false). */
  preventActivation: boolean;
  /** `constrainChoice` (default false). */
  constrainChoice: boolean;
}

/** When a child counts in its parent's rollup. */
export type RollupRequirement = 'always' | 'ifAttempted' | 'ifNotSkipped' | 'ifNotSuspended';

/** `<adlseq:rollupConsiderations>`. */
export interface RollupConsiderations {
  /** Default always. */
  requiredForSatisfied: RollupRequirement;
  /** Default always. */
  requiredForNotSatisfied: RollupRequirement;
  /** Default always. */
  requiredForCompleted: RollupRequirement;
  /** Default always. */
  requiredForIncomplete: RollupRequirement;
  /** `measureSatisfactionIfActive` (default true). */
  measureSatisfactionIfActive: boolean;
}
