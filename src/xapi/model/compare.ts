/**
 * Statement equivalence for "same id, same statement?" (PUT/POST of an id already stored: 204 or
 * 409). Data 2.3.1 Statement Comparison Requirements (1.0.3 "Statement Immutability"): the LRS does
 * not consider case (upper vs. lower), id, order of Group members, authority, stored, timestamp,
 * version, attachments, or referenced Activity Definitions. An omitted objectType equals its default. Normalisations the LRS applies when
 * storing (contextActivities as arrays, duration truncation) are applied to both sides first, so a
 * re-sent statement matches what was stored from it.
 */
import { truncateDuration } from '../validate/primitives';
import { isJsonObject, JsonObject, JsonValue, StatementInput } from './types';

const IGNORED_TOP = new Set(['id', 'authority', 'stored', 'timestamp', 'version', 'attachments']);
const IGNORED_SUB = new Set(['timestamp', 'attachments']);

/** A canonical string of any JSON: sorted keys, lower-cased strings. */
function canonJson(v: JsonValue | undefined): string {
  if (v === undefined) return 'u';
  if (typeof v === 'string') return JSON.stringify(v.toLowerCase());
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonJson).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k.toLowerCase())}:${canonJson(v[k])}`).join(',')}}`;
}

/** Canonical string of statement structure: knows which parts to ignore or reorder. */
function canonNode(v: JsonValue | undefined, key: string | undefined, depth0: boolean): string {
  if (!isJsonObject(v)) {
    if (Array.isArray(v)) {
      const items = v.map((x) => canonNode(x, undefined, false));
      // Order of Group members is not significant.
      if (key === 'member') items.sort();
      return `[${items.join(',')}]`;
    }
    if (key === 'duration' && typeof v === 'string') return canonJson(truncateDuration(v));
    return canonJson(v);
  }
  const isSub = v.objectType === 'SubStatement';
  const ignored = depth0 ? IGNORED_TOP : isSub ? IGNORED_SUB : undefined;
  const parts: string[] = [];
  for (const k of Object.keys(v).sort()) {
    if (ignored?.has(k)) continue;
    if (k === 'definition') continue; // Activity Definitions are not part of the comparison
    // An omitted objectType means Agent (actors) or Activity (objects): the same statement.
    if (k === 'objectType' && (v[k] === 'Agent' || v[k] === 'Activity')) continue;
    let child = v[k];
    if (k === 'extensions') {
      parts.push(`${JSON.stringify(k)}:${canonJson(child)}`);
      continue;
    }
    if (key === 'contextActivities' && child !== undefined && !Array.isArray(child)) child = [child];
    parts.push(`${JSON.stringify(k.toLowerCase())}:${canonNode(child, k, false)}`);
  }
  return `{${parts.join(',')}}`;
}

/** The comparison form of a statement (exposed for tests and hashing). */
export function statementComparisonKey(statement: StatementInput): string {
  return canonNode(statement as JsonObject, undefined, true);
}

/** True when the two statements are the same statement under the spec's comparison rules. */
export function statementsEquivalent(a: StatementInput, b: StatementInput): boolean {
  return statementComparisonKey(a) === statementComparisonKey(b);
}
