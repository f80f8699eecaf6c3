/**
 * Navigation between SCOs of a SCORM 2004 course, evaluated over the scorm-again activity tree
 * (toScormAgainSequencing) and the SCOs' statuses: precondition rules (disabled, skip,
 * hiddenFromChoice, stopForwardTraversal) with their conditions on the activity's own status or
 * on objectives shared through global objective maps, and the parents' control modes (choice,
 * flow, forwardOnly). It answers what the player may offer; scorm-again runs inside each SCO.
 * Pure: no DOM, unit-tested in test/unit/launch.
 */

/** The subset of scorm-again ActivitySettings used here. */
export interface SeqActivity {
  readonly id: string;
  readonly title: string;
  readonly isVisible?: boolean;
  readonly children?: readonly SeqActivity[];
  readonly sequencingControls?: { readonly choice?: boolean; readonly flow?: boolean; readonly forwardOnly?: boolean };
  readonly sequencingRules?: { readonly preConditionRules?: readonly SeqRule[] };
  readonly primaryObjective?: SeqObjective;
  readonly objectives?: readonly SeqObjective[];
}
export interface SeqRule {
  readonly action: string;
  readonly conditionCombination?: string;
  readonly conditions: readonly { readonly condition: string; readonly operator?: string; readonly referencedObjective?: string }[];
}
export interface SeqObjective {
  readonly objectiveID: string;
  readonly mapInfo?: readonly { readonly targetObjectiveID: string; readonly readSatisfiedStatus?: boolean; readonly writeSatisfiedStatus?: boolean }[];
}

/** A SCO's tracked status (SCORM 2004 words). */
export interface SeqStatus {
  readonly completion: string;
  readonly success: string;
}

/** Navigation answers for the current state. */
export interface Navigator {
  /** Leaf activity ids in tree order. */
  readonly leaves: readonly string[];
  /** True when a choice of `id` is allowed now. */
  choiceAllowed(id: string): boolean;
  /** True when `id` should not be listed for choice. */
  hidden(id: string): boolean;
  /** The leaf `continue` from `current` delivers, or undefined when blocked or at the end. */
  next(current: string): string | undefined;
  /** The leaf `previous` from `current` delivers, or undefined. */
  previous(current: string): string | undefined;
}

function satisfiedOf(st: SeqStatus | undefined): boolean | undefined {
  if (!st) return undefined;
  return st.success === 'passed' ? true : st.success === 'failed' ? false : undefined;
}

/** Builds the navigator of a tree for the given statuses (by leaf id). */
export function navigator(root: SeqActivity, statuses: ReadonlyMap<string, SeqStatus>): Navigator {
  const parents = new Map<string, SeqActivity>();
  const byId = new Map<string, SeqActivity>();
  const leaves: string[] = [];
  const walk = (a: SeqActivity): void => {
    byId.set(a.id, a);
    if (!a.children || a.children.length === 0) {
      leaves.push(a.id);
      return;
    }
    for (const c of a.children) {
      parents.set(c.id, a);
      walk(c);
    }
  };
  walk(root);

  // Global objectives written by activities' objectives (primary objective = the SCO's success).
  const globals = new Map<string, boolean | undefined>();
  for (const a of byId.values()) {
    const sat = satisfiedOf(statuses.get(a.id));
    if (sat === undefined || !a.primaryObjective) continue;
    for (const m of a.primaryObjective.mapInfo ?? []) if (m.writeSatisfiedStatus) globals.set(m.targetObjectiveID, sat);
  }

  const objectiveSatisfied = (a: SeqActivity, objectiveId: string | undefined): boolean | undefined => {
    const all = [...(a.primaryObjective ? [a.primaryObjective] : []), ...(a.objectives ?? [])];
    const o = objectiveId === undefined ? a.primaryObjective : all.find((x) => x.objectiveID === objectiveId);
    if (!o) return satisfiedOf(statuses.get(a.id));
    const read = (o.mapInfo ?? []).find((m) => m.readSatisfiedStatus !== false && globals.has(m.targetObjectiveID));
    if (read) return globals.get(read.targetObjectiveID);
    return o === a.primaryObjective ? satisfiedOf(statuses.get(a.id)) : undefined;
  };

  const condition = (a: SeqActivity, c: SeqRule['conditions'][number]): boolean => {
    const st = statuses.get(a.id);
    let v: boolean;
    switch (c.condition) {
      case 'satisfied': v = objectiveSatisfied(a, c.referencedObjective) === true; break;
      case 'objectiveStatusKnown': v = objectiveSatisfied(a, c.referencedObjective) !== undefined; break;
      case 'completed': v = st?.completion === 'completed'; break;
      case 'progressKnown': case 'activityProgressKnown': v = st !== undefined && st.completion !== 'unknown' && st.completion !== 'not attempted'; break;
      case 'attempted': v = st !== undefined && st.completion !== 'not attempted'; break;
      case 'always': v = true; break;
      default: v = false;
    }
    return c.operator === 'not' ? !v : v;
  };

  const actions = (id: string): Set<string> => {
    const out = new Set<string>();
    // A rule on an ancestor applies to everything beneath it.
    for (let a: SeqActivity | undefined = byId.get(id); a; a = parents.get(a.id)) {
      for (const r of a.sequencingRules?.preConditionRules ?? []) {
        const results = r.conditions.map((c) => condition(a!, c));
        const fires = r.conditionCombination === 'any' ? results.some(Boolean) : results.length > 0 && results.every(Boolean);
        if (fires) out.add(r.action === 'hideFromChoice' ? 'hiddenFromChoice' : r.action);
      }
    }
    return out;
  };

  const control = (id: string, key: 'choice' | 'flow' | 'forwardOnly', dflt: boolean): boolean => {
    const p = parents.get(id);
    const v = p?.sequencingControls?.[key];
    return v === undefined ? dflt : v;
  };

  const step = (current: string, dir: 1 | -1): string | undefined => {
    if (!control(current, 'flow', true)) return undefined;
    if (dir === -1 && control(current, 'forwardOnly', false)) return undefined;
    for (let i = leaves.indexOf(current) + dir; i >= 0 && i < leaves.length; i += dir) {
      const id = leaves[i]!;
      const acts = actions(id);
      if (acts.has('skip')) continue;
      if (acts.has('disabled')) return undefined;
      return id;
    }
    return undefined;
  };

  return {
    leaves,
    choiceAllowed: (id) => byId.has(id) && control(id, 'choice', true) && !actions(id).has('disabled') && !actions(id).has('hiddenFromChoice'),
    hidden: (id) => byId.get(id)?.isVisible === false || actions(id).has('hiddenFromChoice'),
    next: (current) => step(current, 1),
    previous: (current) => step(current, -1),
  };
}
