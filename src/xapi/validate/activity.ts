/** Activity and Activity Definition rules (Data 2.4.4.1, interaction activities 2.4.4.1.1). */
import type { XapiVersion } from '../model/types';
import {
  checkExtensions,
  checkIri,
  checkLanguageMap,
  checkProperties,
  checkString,
  fail,
  kindOf,
  Obj,
  requireArray,
  requireObject,
} from './checks';

const ACTIVITY_KEYS = ['objectType', 'id', 'definition'];
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;
const DEFINITION_KEYS = [
  'name',
  'description',
  'type',
  'moreInfo',
  'extensions',
  'interactionType',
  'correctResponsesPattern',
  ...COMPONENT_LISTS,
];

/** The interaction component lists each interactionType may carry (Data 2.4.4.1.1, table 2). */
const COMPONENTS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  'true-false': [],
  choice: ['choices'],
  'fill-in': [],
  'long-fill-in': [],
  matching: ['source', 'target'],
  performance: ['steps'],
  sequencing: ['choices'],
  likert: ['scale'],
  numeric: [],
  other: [],
};

function validateComponents(value: unknown, path: string, version: XapiVersion): void {
  const list = requireArray(value, path);
  const ids = new Set<string>();
  list.forEach((c, i) => {
    const cpath = `${path}[${i}]`;
    const component = requireObject(c, cpath);
    checkProperties(component, cpath, ['id', 'description']);
    if (component.id === undefined) fail(`${cpath}.id`, 'is required');
    const id = checkString(component.id, `${cpath}.id`);
    if (id.length === 0) fail(`${cpath}.id`, 'must not be empty');
    // Data 2.4.4.1.1: within one list of interaction components, ids are distinct.
    if (ids.has(id)) fail(`${cpath}.id`, `duplicates the id "${id}" of another component in the list`);
    ids.add(id);
    if (component.description !== undefined) checkLanguageMap(component.description, `${cpath}.description`, version);
  });
}

export function validateActivityDefinition(value: unknown, path: string, version: XapiVersion): void {
  const def = requireObject(value, path);
  checkProperties(def, path, DEFINITION_KEYS);
  if (def.name !== undefined) checkLanguageMap(def.name, `${path}.name`, version);
  if (def.description !== undefined) checkLanguageMap(def.description, `${path}.description`, version);
  if (def.type !== undefined) checkIri(def.type, `${path}.type`);
  if (def.moreInfo !== undefined) checkIri(def.moreInfo, `${path}.moreInfo`, 'IRL');
  if (def.extensions !== undefined) checkExtensions(def.extensions, `${path}.extensions`);

  const present = COMPONENT_LISTS.filter((k) => def[k] !== undefined);
  if (def.interactionType === undefined) {
    if (present.length > 0) fail(`${path}.${present[0]}`, 'is only allowed together with an interactionType');
    if (def.correctResponsesPattern !== undefined) fail(`${path}.correctResponsesPattern`, 'is only allowed together with an interactionType');
    return;
  }
  const type = def.interactionType;
  if (typeof type !== 'string') fail(`${path}.interactionType`, `must be a string, got ${kindOf(type)}`);
  const allowed = COMPONENTS_BY_TYPE[type];
  if (!allowed) {
    fail(`${path}.interactionType`, `must be one of ${Object.keys(COMPONENTS_BY_TYPE).join(', ')} (case-sensitive), got ${JSON.stringify(type)}`);
  }
  for (const key of present) {
    if (!allowed.includes(key)) fail(`${path}.${key}`, `is not allowed for interactionType "${type}"`);
    validateComponents(def[key], `${path}.${key}`, version);
  }
  if (def.correctResponsesPattern !== undefined) {
    const patterns = requireArray(def.correctResponsesPattern, `${path}.correctResponsesPattern`);
    patterns.forEach((p, i) => checkString(p, `${path}.correctResponsesPattern[${i}]`));
  }
}

/** An Activity: objectType "Activity" when present, id IRI, optional definition. */
export function validateActivity(value: unknown, path: string, version: XapiVersion): Obj {
  const activity = requireObject(value, path);
  if (activity.objectType !== undefined && activity.objectType !== 'Activity') {
    fail(`${path}.objectType`, `must be "Activity", got ${JSON.stringify(activity.objectType)}`);
  }
  checkProperties(activity, path, ACTIVITY_KEYS);
  if (activity.id === undefined) fail(`${path}.id`, 'is required');
  checkIri(activity.id, `${path}.id`);
  if (activity.definition !== undefined) validateActivityDefinition(activity.definition, `${path}.definition`, version);
  return activity;
}
