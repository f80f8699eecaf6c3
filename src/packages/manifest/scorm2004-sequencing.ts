/**
 * Reads `<imsss:sequencing>` into the course model's effective {@link Sequencing}: every component
 * gets its schema defaults, and a referenced sequencingCollection entry supplies the components the
 * item does not declare itself (the item's own component wins, component by component). Objectives
 * are merged by objectiveID (the item's win), and the 4th edition `<adlseq:objectives>` of both are
 * matched against the merged set: a shared collection may extend the maps of objectives that only
 * the items using it declare, so nothing about objectives is checked before that merge (ADL's 4th
 * edition conformance packages do this). Identifiers (ID, IDRef, objectiveID, targetObjectiveID,
 * referencedObjective) are trimmed: xs:ID and xs:anyURI collapse surrounding white space.
 */

import type { Element } from '@xmldom/xmldom';
import type {
  ControlMode,
  DeliveryControls,
  LimitConditions,
  Objective,
  ObjectiveMapInfo,
  Objectives,
  RandomizationControls,
  RollupConditionName,
  RollupConsiderations,
  RollupRule,
  RollupRules,
  RuleActionName,
  RuleConditionName,
  Sequencing,
  SequencingRule,
  SequencingRules,
  ConstrainedChoiceConsiderations,
  RollupRequirement,
} from './sequencing-model';
import type { Reporter } from './report';
import { idAttr } from './scorm-ids';
import { ADLSEQ, IMSSS } from './scorm-namespaces';
import { attr, childNs, childrenNs, textOf } from './xml';

/** One `<adlseq:objective>`: extra map fields for an imsss objective, matched once collections are merged. */
export interface AdlObjective {
  readonly objectiveId: string;
  readonly element: Element;
  readonly maps: readonly { readonly targetObjectiveId: string; readonly flags: Readonly<Record<AdlMapFlag, boolean>> }[];
}

/** Components present in one `<imsss:sequencing>` element (absent ones are undefined). */
export type SequencingParts = Partial<Omit<Sequencing, 'id' | 'collectionRef'>> & { id?: string; idRef?: string; adlObjectives?: readonly AdlObjective[] };


const RULE_CONDITIONS: readonly RuleConditionName[] = [
  'satisfied', 'objectiveStatusKnown', 'objectiveMeasureKnown', 'objectiveMeasureGreaterThan', 'objectiveMeasureLessThan',
  'completed', 'activityProgressKnown', 'attempted', 'attemptLimitExceeded', 'timeLimitExceeded', 'outsideAvailableTimeRange', 'always',
];
const ROLLUP_CONDITIONS: readonly RollupConditionName[] = [
  'satisfied', 'objectiveStatusKnown', 'objectiveMeasureKnown', 'completed', 'activityProgressKnown', 'attempted',
  'attemptLimitExceeded', 'timeLimitExceeded', 'outsideAvailableTimeRange',
];
const PRE_ACTIONS: readonly RuleActionName[] = ['skip', 'disabled', 'hiddenFromChoice', 'stopForwardTraversal'];
const EXIT_ACTIONS: readonly RuleActionName[] = ['exit'];
const POST_ACTIONS: readonly RuleActionName[] = ['exitParent', 'exitAll', 'retry', 'retryAll', 'continue', 'previous'];
const TIMING = ['never', 'once', 'onEachNewAttempt'] as const;
const REQUIREMENTS: readonly RollupRequirement[] = ['always', 'ifAttempted', 'ifNotSkipped', 'ifNotSuspended'];

/** Parses the components declared by one `<imsss:sequencing>` element. */
export function readSequencing(el: Element, rep: Reporter): SequencingParts {
  const parts: SequencingParts = {};
  const id = idAttr(el, 'ID');
  const idRef = idAttr(el, 'IDRef');
  if (id !== undefined) parts.id = id;
  if (idRef !== undefined) parts.idRef = idRef;

  const cm = childNs(el, IMSSS, 'controlMode');
  if (cm) parts.controlMode = readControlMode(cm, rep);
  const sr = childNs(el, IMSSS, 'sequencingRules');
  if (sr) parts.sequencingRules = readRules(sr, rep);
  const lc = childNs(el, IMSSS, 'limitConditions');
  if (lc) parts.limitConditions = readLimits(lc, rep);
  const rr = childNs(el, IMSSS, 'rollupRules');
  if (rr) parts.rollupRules = readRollup(rr, rep);
  const ob = childNs(el, IMSSS, 'objectives');
  if (ob) parts.objectives = readObjectives(ob, rep);
  const adlOb = childNs(el, ADLSEQ, 'objectives');
  if (adlOb) parts.adlObjectives = readAdlObjectives(adlOb, rep);
  const rc = childNs(el, IMSSS, 'randomizationControls');
  if (rc) parts.randomizationControls = readRandomization(rc, rep);
  const dc = childNs(el, IMSSS, 'deliveryControls');
  if (dc) parts.deliveryControls = readDelivery(dc, rep);
  const cc = childNs(el, ADLSEQ, 'constrainedChoiceConsiderations');
  if (cc) parts.constrainedChoiceConsiderations = readConstrained(cc, rep);
  const rcons = childNs(el, ADLSEQ, 'rollupConsiderations');
  if (rcons) parts.rollupConsiderations = readRollupConsiderations(rcons, rep);
  return parts;
}

/** Objectives of the collection and the item merged by objectiveID; the item's own win. */
function mergedObjectives(own: Objectives | undefined, collection: Objectives | undefined): Objectives | undefined {
  if (!own || !collection) return own ?? collection;
  const ownIds = new Set(own.others.map((o) => o.objectiveId));
  const primary = own.primary ?? collection.primary;
  return {
    ...(primary ? { primary } : {}),
    others: [...collection.others.filter((o) => !ownIds.has(o.objectiveId) && o.objectiveId !== primary?.objectiveId), ...own.others],
  };
}

/**
 * Effective sequencing: own components, else the collection's, else the schema defaults.
 * `unmatched` hears of each `<adlseq:objective>` that names no objective of the merged set.
 */
export function effectiveSequencing(own: SequencingParts | undefined, collection: SequencingParts | undefined, unmatched?: (a: AdlObjective) => void): Sequencing {
  const pick = <K extends keyof SequencingParts>(k: K): SequencingParts[K] => own?.[k] ?? collection?.[k];
  const objectives = structuredClone(mergedObjectives(own?.objectives, collection?.objectives) ?? { others: [] });
  for (const a of [...(collection?.adlObjectives ?? []), ...(own?.adlObjectives ?? [])]) {
    if (!applyAdlObjective(objectives, a)) unmatched?.(a);
  }
  const out: Sequencing = {
    controlMode: pick('controlMode') ?? defaultControlMode(),
    sequencingRules: pick('sequencingRules') ?? { preCondition: [], exitCondition: [], postCondition: [] },
    limitConditions: pick('limitConditions') ?? {},
    rollupRules: pick('rollupRules') ?? { rollupObjectiveSatisfied: true, rollupProgressCompletion: true, objectiveMeasureWeight: 1, rules: [] },
    objectives,
    randomizationControls: pick('randomizationControls') ?? { randomizationTiming: 'never', reorderChildren: false, selectionTiming: 'never' },
    deliveryControls: pick('deliveryControls') ?? { tracked: true, completionSetByContent: false, objectiveSetByContent: false },
    constrainedChoiceConsiderations: pick('constrainedChoiceConsiderations') ?? { preventActivation: false, constrainChoice: false },
    rollupConsiderations: pick('rollupConsiderations') ?? defaultRollupConsiderations(),
  };
  if (own?.id !== undefined) out.id = own.id;
  if (own?.idRef !== undefined) out.collectionRef = own.idRef;
  return structuredClone(out);
}

function defaultControlMode(): ControlMode {
  return { choice: true, choiceExit: true, flow: false, forwardOnly: false, useCurrentAttemptObjectiveInfo: true, useCurrentAttemptProgressInfo: true };
}

function defaultRollupConsiderations(): RollupConsiderations {
  return { requiredForSatisfied: 'always', requiredForNotSatisfied: 'always', requiredForCompleted: 'always', requiredForIncomplete: 'always', measureSatisfactionIfActive: true };
}

function readControlMode(el: Element, rep: Reporter): ControlMode {
  const d = defaultControlMode();
  const b = (name: keyof ControlMode): boolean => rep.bool(el, name, attr(el, name), d[name]);
  return {
    choice: b('choice'),
    choiceExit: b('choiceExit'),
    flow: b('flow'),
    forwardOnly: b('forwardOnly'),
    useCurrentAttemptObjectiveInfo: b('useCurrentAttemptObjectiveInfo'),
    useCurrentAttemptProgressInfo: b('useCurrentAttemptProgressInfo'),
  };
}

function readRules(el: Element, rep: Reporter): SequencingRules {
  const read = (local: string, actions: readonly RuleActionName[]): SequencingRule[] =>
    childrenNs(el, IMSSS, local).flatMap((ruleEl) => {
      const conds = childNs(ruleEl, IMSSS, 'ruleConditions');
      const actionEl = childNs(ruleEl, IMSSS, 'ruleAction');
      if (!conds || !actionEl) {
        rep.error('required_element_missing', `<imsss:${local}> needs <imsss:ruleConditions> and <imsss:ruleAction>`, ruleEl);
        return [];
      }
      const action = rep.token(actionEl, 'action', attr(actionEl, 'action'), actions);
      if (action === undefined) return [];
      const rule: SequencingRule = {
        conditionCombination: rep.token(conds, 'conditionCombination', attr(conds, 'conditionCombination'), ['all', 'any'] as const, 'all'),
        conditions: childrenNs(conds, IMSSS, 'ruleCondition').flatMap((c) => {
          const condition = rep.token(c, 'condition', attr(c, 'condition'), RULE_CONDITIONS);
          if (condition === undefined) return [];
          const rc: SequencingRule['conditions'][number] = {
            condition,
            operator: rep.token(c, 'operator', attr(c, 'operator'), ['noOp', 'not'] as const, 'noOp'),
          };
          const ref = idAttr(c, 'referencedObjective');
          if (ref !== undefined && ref !== '') rc.referencedObjective = ref;
          const threshold = rep.decimal(c, 'measureThreshold', attr(c, 'measureThreshold'), -1, 1);
          if (threshold !== undefined) rc.measureThreshold = threshold;
          return [rc];
        }),
        action,
      };
      return [rule];
    });
  return {
    preCondition: read('preConditionRule', PRE_ACTIONS),
    exitCondition: read('exitConditionRule', EXIT_ACTIONS),
    postCondition: read('postConditionRule', POST_ACTIONS),
  };
}

function readLimits(el: Element, rep: Reporter): LimitConditions {
  const out: LimitConditions = {};
  const limit = attr(el, 'attemptLimit');
  if (limit !== undefined) {
    if (/^\d+$/.test(limit.trim())) out.attemptLimit = Number(limit.trim());
    else rep.warn('invalid_value', `<limitConditions> attemptLimit="${limit}" is not a non-negative integer; ignored`, el);
  }
  for (const k of ['attemptAbsoluteDurationLimit', 'attemptExperiencedDurationLimit', 'activityAbsoluteDurationLimit', 'activityExperiencedDurationLimit', 'beginTimeLimit', 'endTimeLimit'] as const) {
    const v = attr(el, k);
    if (v !== undefined && v.trim() !== '') out[k] = v.trim();
  }
  return out;
}

function readRollup(el: Element, rep: Reporter): RollupRules {
  return {
    rollupObjectiveSatisfied: rep.bool(el, 'rollupObjectiveSatisfied', attr(el, 'rollupObjectiveSatisfied'), true),
    rollupProgressCompletion: rep.bool(el, 'rollupProgressCompletion', attr(el, 'rollupProgressCompletion'), true),
    objectiveMeasureWeight: rep.decimal(el, 'objectiveMeasureWeight', attr(el, 'objectiveMeasureWeight'), 0, 1, 1) ?? 1,
    rules: childrenNs(el, IMSSS, 'rollupRule').flatMap((r) => {
      const conds = childNs(r, IMSSS, 'rollupConditions');
      const actionEl = childNs(r, IMSSS, 'rollupAction');
      if (!conds || !actionEl) {
        rep.error('required_element_missing', '<imsss:rollupRule> needs <imsss:rollupConditions> and <imsss:rollupAction>', r);
        return [];
      }
      const action = rep.token(actionEl, 'action', attr(actionEl, 'action'), ['satisfied', 'notSatisfied', 'completed', 'incomplete'] as const);
      if (action === undefined) return [];
      const count = attr(r, 'minimumCount');
      const rule: RollupRule = {
        childActivitySet: rep.token(r, 'childActivitySet', attr(r, 'childActivitySet'), ['all', 'any', 'none', 'atLeastCount', 'atLeastPercent'] as const, 'all'),
        minimumCount: count !== undefined && /^\d+$/.test(count.trim()) ? Number(count.trim()) : 0,
        minimumPercent: rep.decimal(r, 'minimumPercent', attr(r, 'minimumPercent'), 0, 1, 0) ?? 0,
        conditionCombination: rep.token(conds, 'conditionCombination', attr(conds, 'conditionCombination'), ['all', 'any'] as const, 'any'),
        conditions: childrenNs(conds, IMSSS, 'rollupCondition').flatMap((c) => {
          const condition = rep.token(c, 'condition', attr(c, 'condition'), ROLLUP_CONDITIONS);
          return condition === undefined ? [] : [{ condition, operator: rep.token(c, 'operator', attr(c, 'operator'), ['noOp', 'not'] as const, 'noOp') }];
        }),
        action,
      };
      if (count !== undefined && !/^\d+$/.test(count.trim())) rep.warn('invalid_value', `<rollupRule> minimumCount="${count}" is not a non-negative integer; using 0`, r);
      return [rule];
    }),
  };
}

function readObjectives(el: Element, rep: Reporter): Objectives {
  const one = (o: Element, primary: boolean): Objective => {
    const id = idAttr(o, 'objectiveID');
    if (!primary && (id === undefined || id === '')) rep.error('required_attribute_missing', '<imsss:objective> has no objectiveID', o);
    const mnm = childNs(o, IMSSS, 'minNormalizedMeasure');
    const obj: Objective = {
      satisfiedByMeasure: rep.bool(o, 'satisfiedByMeasure', attr(o, 'satisfiedByMeasure'), false),
      minNormalizedMeasure: mnm ? (rep.decimal(mnm, 'value', textOf(mnm), -1, 1, 1) ?? 1) : 1,
      mapInfo: childrenNs(o, IMSSS, 'mapInfo').flatMap((m) => {
        const target = idAttr(m, 'targetObjectiveID');
        if (!target) {
          rep.error('required_attribute_missing', '<imsss:mapInfo> has no targetObjectiveID', m);
          return [];
        }
        return [{
          targetObjectiveId: target,
          readSatisfiedStatus: rep.bool(m, 'readSatisfiedStatus', attr(m, 'readSatisfiedStatus'), true),
          readNormalizedMeasure: rep.bool(m, 'readNormalizedMeasure', attr(m, 'readNormalizedMeasure'), true),
          writeSatisfiedStatus: rep.bool(m, 'writeSatisfiedStatus', attr(m, 'writeSatisfiedStatus'), false),
          writeNormalizedMeasure: rep.bool(m, 'writeNormalizedMeasure', attr(m, 'writeNormalizedMeasure'), false),
        }];
      }),
    };
    if (id !== undefined && id !== '') obj.objectiveId = id;
    return obj;
  };
  const out: Objectives = { others: [] };
  const primary = childNs(el, IMSSS, 'primaryObjective');
  if (primary) out.primary = one(primary, true);
  out.others = childrenNs(el, IMSSS, 'objective').map((o) => one(o, false));
  return out;
}

const ADL_MAP_FLAGS = [
  ['readRawScore', true], ['readMinScore', true], ['readMaxScore', true], ['readCompletionStatus', true], ['readProgressMeasure', true],
  ['writeRawScore', false], ['writeMinScore', false], ['writeMaxScore', false], ['writeCompletionStatus', false], ['writeProgressMeasure', false],
] as const;

/** A 4th edition map field of `<adlseq:mapInfo>`. */
export type AdlMapFlag = (typeof ADL_MAP_FLAGS)[number][0];

/** 4th edition `<adlseq:objectives>` as written; matched with imsss objectives by {@link effectiveSequencing}. */
function readAdlObjectives(adl: Element, rep: Reporter): AdlObjective[] {
  return childrenNs(adl, ADLSEQ, 'objective').map((o) => ({
    objectiveId: idAttr(o, 'objectiveID') ?? '',
    element: o,
    maps: childrenNs(o, ADLSEQ, 'mapInfo').flatMap((m) => {
      const targetObjectiveId = idAttr(m, 'targetObjectiveID');
      if (!targetObjectiveId) {
        rep.error('required_attribute_missing', '<adlseq:mapInfo> has no targetObjectiveID', m);
        return [];
      }
      const flags = Object.fromEntries(ADL_MAP_FLAGS.map(([flag, dflt]) => [flag, rep.bool(m, flag, attr(m, flag), dflt)])) as Record<AdlMapFlag, boolean>;
      return [{ targetObjectiveId, flags }];
    }),
  }));
}

/** Adds an `<adlseq:objective>`'s map fields to the imsss objective of its objectiveID; false when there is none. */
function applyAdlObjective(out: Objectives, a: AdlObjective): boolean {
  const target = [...(out.primary ? [out.primary] : []), ...out.others].find((x) => x.objectiveId === a.objectiveId);
  if (!target) return false;
  for (const m of a.maps) {
    let map = target.mapInfo.find((x) => x.targetObjectiveId === m.targetObjectiveId);
    if (!map) {
      // An adlseq-only map reads/writes none of the imsss fields.
      map = { targetObjectiveId: m.targetObjectiveId, readSatisfiedStatus: false, readNormalizedMeasure: false, writeSatisfiedStatus: false, writeNormalizedMeasure: false };
      target.mapInfo.push(map);
    }
    Object.assign(map as ObjectiveMapInfo, m.flags);
  }
  return true;
}

function readRandomization(el: Element, rep: Reporter): RandomizationControls {
  const out: RandomizationControls = {
    randomizationTiming: rep.token(el, 'randomizationTiming', attr(el, 'randomizationTiming'), TIMING, 'never'),
    reorderChildren: rep.bool(el, 'reorderChildren', attr(el, 'reorderChildren'), false),
    selectionTiming: rep.token(el, 'selectionTiming', attr(el, 'selectionTiming'), TIMING, 'never'),
  };
  const sc = attr(el, 'selectCount');
  if (sc !== undefined) {
    if (/^\d+$/.test(sc.trim())) out.selectCount = Number(sc.trim());
    else rep.warn('invalid_value', `<randomizationControls> selectCount="${sc}" is not a non-negative integer; ignored`, el);
  }
  return out;
}

function readDelivery(el: Element, rep: Reporter): DeliveryControls {
  return {
    tracked: rep.bool(el, 'tracked', attr(el, 'tracked'), true),
    completionSetByContent: rep.bool(el, 'completionSetByContent', attr(el, 'completionSetByContent'), false),
    objectiveSetByContent: rep.bool(el, 'objectiveSetByContent', attr(el, 'objectiveSetByContent'), false),
  };
}

function readConstrained(el: Element, rep: Reporter): ConstrainedChoiceConsiderations {
  return {
    preventActivation: rep.bool(el, 'preventActivation', attr(el, 'preventActivation'), false),
    constrainChoice: rep.bool(el, 'constrainChoice', attr(el, 'constrainChoice'), false),
  };
}

function readRollupConsiderations(el: Element, rep: Reporter): RollupConsiderations {
  const r = (name: string): RollupRequirement => rep.token(el, name, attr(el, name), REQUIREMENTS, 'always');
  return {
    requiredForSatisfied: r('requiredForSatisfied'),
    requiredForNotSatisfied: r('requiredForNotSatisfied'),
    requiredForCompleted: r('requiredForCompleted'),
    requiredForIncomplete: r('requiredForIncomplete'),
    measureSatisfactionIfActive: rep.bool(el, 'measureSatisfactionIfActive', attr(el, 'measureSatisfactionIfActive'), true),
  };
}

/** Objective ids declared by an effective sequencing (for referencedObjective checks). */
export function objectiveIds(seq: Sequencing): Set<string> {
  const ids = new Set<string>();
  if (seq.objectives.primary?.objectiveId) ids.add(seq.objectives.primary.objectiveId);
  for (const o of seq.objectives.others) if (o.objectiveId) ids.add(o.objectiveId);
  return ids;
}
