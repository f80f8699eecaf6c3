/**
 * Course model → scorm-again `settings.sequencing` (see scorm-again-types.ts for the version targeted).
 * Vocabulary differences handled here: `activityProgressKnown` → `progressKnown`, rollup
 * `minimumPercent` 0–1 → 0–100, `measureThreshold` → `parameters.threshold`, attempt limit →
 * `parameters.attemptLimit` for `attemptLimitExceeded`. Rule actions keep the imsss words
 * (scorm-again 3.4's RuleActionType uses `hiddenFromChoice` too); rollup conditions carry their
 * `operator` and rollup rules their `conditionCombination` (both honoured by scorm-again 3.4).
 */

import { badRequest } from '../../errors';
import type { Objective, ScormCourseModel, ScormItem, Sequencing, SequencingRule } from '../course-model';
import type {
  ScormAgainActivitySettings,
  ScormAgainObjectiveSettings,
  ScormAgainSequencingRuleSettings,
  ScormAgainSequencingSettings,
} from './scorm-again-types';

/** Converts the (default or given) organization of a SCORM 2004 model to scorm-again's sequencing settings. */
export function toScormAgainSequencing(model: ScormCourseModel, organizationId = model.defaultOrganization): ScormAgainSequencingSettings {
  if (model.format !== 'scorm2004') throw badRequest(`toScormAgainSequencing: model.format is ${model.format}; only scorm2004 has sequencing`);
  const org = model.organizations.find((o) => o.identifier === organizationId);
  if (!org) throw badRequest(`toScormAgainSequencing: organizationId "${organizationId}" is not an organization of the model`);
  const root = activity(org.identifier, org.title, true, org.sequencing, org.items);
  if (org.completionThreshold) root.completionThreshold = { ...org.completionThreshold };
  return { activityTree: root };
}

function activity(id: string, title: string, isVisible: boolean, seq: Sequencing | undefined, children: ScormItem[]): ScormAgainActivitySettings {
  const out: ScormAgainActivitySettings = { id, title, isVisible };
  if (children.length > 0) out.children = children.map(itemActivity);
  if (!seq) return out;
  const lc = seq.limitConditions;
  if (lc.attemptLimit !== undefined) out.attemptLimit = lc.attemptLimit;
  if (lc.attemptAbsoluteDurationLimit !== undefined) out.attemptAbsoluteDurationLimit = lc.attemptAbsoluteDurationLimit;
  if (lc.activityAbsoluteDurationLimit !== undefined) out.activityAbsoluteDurationLimit = lc.activityAbsoluteDurationLimit;
  if (lc.beginTimeLimit !== undefined) out.beginTimeLimit = lc.beginTimeLimit;
  if (lc.endTimeLimit !== undefined) out.endTimeLimit = lc.endTimeLimit;
  const cm = seq.controlMode;
  const rc = seq.randomizationControls;
  out.sequencingControls = {
    enabled: true,
    choice: cm.choice,
    choiceExit: cm.choiceExit,
    flow: cm.flow,
    forwardOnly: cm.forwardOnly,
    useCurrentAttemptObjectiveInfo: cm.useCurrentAttemptObjectiveInfo,
    useCurrentAttemptProgressInfo: cm.useCurrentAttemptProgressInfo,
    preventActivation: seq.constrainedChoiceConsiderations.preventActivation,
    constrainChoice: seq.constrainedChoiceConsiderations.constrainChoice,
    rollupObjectiveSatisfied: seq.rollupRules.rollupObjectiveSatisfied,
    rollupProgressCompletion: seq.rollupRules.rollupProgressCompletion,
    objectiveMeasureWeight: seq.rollupRules.objectiveMeasureWeight,
    selectionTiming: rc.selectionTiming,
    selectCount: rc.selectCount ?? null,
    randomizeChildren: rc.reorderChildren,
    randomizationTiming: rc.randomizationTiming,
    reorderChildren: rc.reorderChildren,
    completionSetByContent: seq.deliveryControls.completionSetByContent,
    objectiveSetByContent: seq.deliveryControls.objectiveSetByContent,
    tracked: seq.deliveryControls.tracked,
  };
  out.deliveryControls = { ...seq.deliveryControls };
  out.rollupConsiderations = { ...seq.rollupConsiderations };
  const rules = (list: SequencingRule[]): ScormAgainSequencingRuleSettings[] => list.map((r) => rule(r, lc.attemptLimit));
  out.sequencingRules = {
    preConditionRules: rules(seq.sequencingRules.preCondition),
    exitConditionRules: rules(seq.sequencingRules.exitCondition),
    postConditionRules: rules(seq.sequencingRules.postCondition),
  };
  out.rollupRules = {
    rules: seq.rollupRules.rules.map((r) => ({
      action: r.action,
      consideration: r.childActivitySet,
      minimumCount: r.minimumCount,
      minimumPercent: Math.round(r.minimumPercent * 10000) / 100,
      conditionCombination: r.conditionCombination,
      conditions: r.conditions.map((c) => ({ condition: conditionName(c.condition), operator: c.operator })),
    })),
  };
  if (seq.objectives.primary) out.primaryObjective = objective(seq.objectives.primary, true, `${id}#primary`);
  if (seq.objectives.others.length > 0) out.objectives = seq.objectives.others.map((o) => objective(o, false, ''));
  return out;
}

function itemActivity(item: ScormItem): ScormAgainActivitySettings {
  const out = activity(item.identifier, item.title, item.isVisible, item.sequencing, item.children);
  if (item.timeLimitAction !== undefined) out.timeLimitAction = item.timeLimitAction;
  if (item.completionThreshold) out.completionThreshold = { ...item.completionThreshold };
  if (item.hideLmsUi) out.hideLmsUi = [...item.hideLmsUi];
  return out;
}

function rule(r: SequencingRule, attemptLimit: number | undefined): ScormAgainSequencingRuleSettings {
  return {
    action: r.action,
    conditionCombination: r.conditionCombination,
    conditions: r.conditions.map((c) => {
      const cond: ScormAgainSequencingRuleSettings['conditions'][number] = { condition: conditionName(c.condition) };
      if (c.operator === 'not') cond.operator = 'not';
      if (c.referencedObjective !== undefined) cond.referencedObjective = c.referencedObjective;
      const parameters: Record<string, number> = {};
      if (c.measureThreshold !== undefined) parameters.threshold = c.measureThreshold;
      if (c.condition === 'attemptLimitExceeded' && attemptLimit !== undefined) parameters.attemptLimit = attemptLimit;
      if (Object.keys(parameters).length > 0) cond.parameters = parameters;
      return cond;
    }),
  };
}

function conditionName(c: string): string {
  return c === 'activityProgressKnown' ? 'progressKnown' : c;
}

function objective(o: Objective, isPrimary: boolean, fallbackId: string): ScormAgainObjectiveSettings {
  return {
    objectiveID: o.objectiveId ?? fallbackId,
    isPrimary,
    satisfiedByMeasure: o.satisfiedByMeasure,
    minNormalizedMeasure: o.minNormalizedMeasure,
    mapInfo: o.mapInfo.map(({ targetObjectiveId, ...flags }) => ({ targetObjectiveID: targetObjectiveId, ...flags })),
  };
}
