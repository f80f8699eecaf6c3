/** Context rules (Data 2.4.6), including xAPI 2.0's contextAgents and contextGroups. */
import type { XapiVersion } from '../model/types';
import { validateActivity } from './activity';
import { validateActor, validateAgent, validateGroup } from './agents';
import {
  checkExtensions,
  checkIri,
  checkProperties,
  checkString,
  fail,
  Obj,
  requireArray,
  requireObject,
} from './checks';
import { isLanguageTag, isUuid } from './primitives';
import { validateStatementRef } from './statement-ref';

const CONTEXT_KEYS_103 = ['registration', 'instructor', 'team', 'contextActivities', 'revision', 'platform', 'language', 'statement', 'extensions'];
const CONTEXT_KEYS_200 = [...CONTEXT_KEYS_103, 'contextAgents', 'contextGroups'];
const CONTEXT_ACTIVITY_KEYS = ['parent', 'grouping', 'category', 'other'];

function validateContextActivities(value: unknown, path: string, version: XapiVersion): void {
  const ca = requireObject(value, path);
  // Data 2.4.6.2 (1.0.3 and 2.0.0): every key MUST be one of parent, grouping, category, other,
  // and every value an Activity or an array of Activities. Nothing requires a key at all (1.0.0
  // said "all, any or none of these MAY be used"), so {} and [] values are accepted.
  checkProperties(ca, path, CONTEXT_ACTIVITY_KEYS);
  for (const key of CONTEXT_ACTIVITY_KEYS) {
    const v = ca[key];
    if (v === undefined) continue;
    // A single Activity is accepted (the LRS stores it as an array of one).
    if (Array.isArray(v)) v.forEach((a, i) => validateActivity(a, `${path}.${key}[${i}]`, version));
    else validateActivity(v, `${path}.${key}`, version);
  }
}

function validateRelevantTypes(value: unknown, path: string): void {
  const types = requireArray(value, path);
  if (types.length === 0) fail(path, 'must not be empty when present');
  types.forEach((t, i) => checkIri(t, `${path}[${i}]`));
}

function validateContextAgents(value: unknown, path: string): void {
  requireArray(value, path).forEach((item, i) => {
    const ipath = `${path}[${i}]`;
    const ca = requireObject(item, ipath);
    checkProperties(ca, ipath, ['objectType', 'agent', 'relevantTypes']);
    if (ca.objectType !== 'contextAgent') fail(`${ipath}.objectType`, 'must be "contextAgent"');
    if (ca.agent === undefined) fail(`${ipath}.agent`, 'is required');
    validateAgent(ca.agent, `${ipath}.agent`);
    if (ca.relevantTypes !== undefined) validateRelevantTypes(ca.relevantTypes, `${ipath}.relevantTypes`);
  });
}

function validateContextGroups(value: unknown, path: string): void {
  requireArray(value, path).forEach((item, i) => {
    const ipath = `${path}[${i}]`;
    const cg = requireObject(item, ipath);
    checkProperties(cg, ipath, ['objectType', 'group', 'relevantTypes']);
    if (cg.objectType !== 'contextGroup') fail(`${ipath}.objectType`, 'must be "contextGroup"');
    if (cg.group === undefined) fail(`${ipath}.group`, 'is required');
    validateGroup(cg.group, `${ipath}.group`);
    if (cg.relevantTypes !== undefined) validateRelevantTypes(cg.relevantTypes, `${ipath}.relevantTypes`);
  });
}

/**
 * @param objectIsActivity Data 2.4.6: "revision" and "platform" only when the statement's object
 *   is an Activity.
 */
export function validateContext(value: unknown, path: string, version: XapiVersion, objectIsActivity: boolean): void {
  const ctx: Obj = requireObject(value, path);
  checkProperties(ctx, path, version === '2.0.0' ? CONTEXT_KEYS_200 : CONTEXT_KEYS_103);
  if (ctx.registration !== undefined) {
    checkString(ctx.registration, `${path}.registration`);
    if (!isUuid(ctx.registration)) fail(`${path}.registration`, 'must be a UUID (8-4-4-4-12 hex digits)');
  }
  if (ctx.instructor !== undefined) validateActor(ctx.instructor, `${path}.instructor`);
  if (ctx.team !== undefined) validateGroup(ctx.team, `${path}.team`);
  if (ctx.contextActivities !== undefined) validateContextActivities(ctx.contextActivities, `${path}.contextActivities`, version);
  for (const key of ['revision', 'platform']) {
    if (ctx[key] === undefined) continue;
    checkString(ctx[key], `${path}.${key}`);
    if (!objectIsActivity) fail(`${path}.${key}`, 'is only allowed when the statement object is an Activity');
  }
  if (ctx.language !== undefined) {
    const language = checkString(ctx.language, `${path}.language`);
    // Data 2.4.6: the same RFC 5646 grammar as Language Map keys (a nine-letter word is no tag).
    if (!isLanguageTag(language)) fail(`${path}.language`, 'must be an RFC 5646 language tag');
  }
  if (ctx.statement !== undefined) validateStatementRef(ctx.statement, `${path}.statement`);
  if (ctx.extensions !== undefined) checkExtensions(ctx.extensions, `${path}.extensions`);
  if (ctx.contextAgents !== undefined) validateContextAgents(ctx.contextAgents, `${path}.contextAgents`);
  if (ctx.contextGroups !== undefined) validateContextGroups(ctx.contextGroups, `${path}.contextGroups`);
}
