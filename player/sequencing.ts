/**
 * What the player may offer between SCOs. SCORM 2004 courses with sequencing ask scorm-again's
 * sequencing engine (src/launch/scorm/sequencing-engine.ts, fed with the manifest's activity tree
 * and the SCOs' statuses). SCORM 1.2 and unsequenced courses flow in manifest order with free
 * choice, gated by SCORM 1.2 `adlcp:prerequisites`. Pure: no DOM, unit-tested in test/unit/launch.
 */
import {
  sequencingEngine, type EngineActivitySettings, type Scorm2004ApiClass, type ScoTracking,
} from '../src/launch/scorm/sequencing-engine';
import { parsePrerequisites } from './prerequisites';

/** Navigation answers for the current state. */
export interface Navigator {
  /** Leaf (SCO) ids in tree order. */
  readonly leaves: readonly string[];
  /** The SCO a fresh start delivers, or undefined when none may start. */
  start(): string | undefined;
  /** True when a choice of `id` from `current` is allowed now. */
  choiceAllowed(id: string, current?: string): boolean;
  /** True when `id` should not be listed for choice. */
  hidden(id: string): boolean;
  /** The SCO `continue` from `current` delivers, or undefined when blocked or at the end. */
  next(current: string): string | undefined;
  /** The SCO `previous` from `current` delivers, or undefined. */
  previous(current: string): string | undefined;
}

/** SCORM 2004 with a sequencing tree: every answer comes from scorm-again's engine. */
export function engineNavigator(Api: Scorm2004ApiClass, tree: EngineActivitySettings, statuses: ReadonlyMap<string, ScoTracking>): Navigator {
  const e = sequencingEngine(Api, tree, statuses);
  return {
    leaves: e.leaves,
    start: () => e.start(),
    choiceAllowed: (id, current) => e.choiceAllowed(id, current),
    hidden: (id) => e.hidden(id),
    next: (current) => e.next(current),
    previous: (current) => e.previous(current),
  };
}

/** A SCO of a course without sequencing. */
export interface FlowSco {
  readonly id: string;
  readonly isVisible?: boolean;
  /** SCORM 1.2 `adlcp:prerequisites`. */
  readonly prerequisites?: string;
}

/**
 * Manifest order with free choice; a SCO whose prerequisites are not met can be neither chosen nor
 * reached by continue/previous (which stop there rather than skip it, as SCORM 1.2 has no skip).
 * `lessonStatus` gives SCORM 1.2 cmi.core.lesson_status by SCO id ('not attempted' when none).
 */
export function flowNavigator(scos: readonly FlowSco[], lessonStatus: (id: string) => string): Navigator {
  const leaves = scos.map((s) => s.id);
  const gates = new Map(scos.map((s) => [s.id, s.prerequisites !== undefined ? parsePrerequisites(s.prerequisites) : undefined]));
  const open = (id: string): boolean => {
    const gate = gates.get(id);
    return gate === undefined || gate(lessonStatus);
  };
  const step = (current: string, dir: 1 | -1): string | undefined => {
    const id = leaves[leaves.indexOf(current) + dir];
    return id !== undefined && leaves.includes(current) && open(id) ? id : undefined;
  };
  return {
    leaves,
    start: () => leaves.find(open),
    choiceAllowed: (id) => leaves.includes(id) && open(id),
    hidden: (id) => scos.find((s) => s.id === id)?.isVisible === false,
    next: (current) => step(current, 1),
    previous: (current) => step(current, -1),
  };
}
