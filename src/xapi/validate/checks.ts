/**
 * Building blocks of the statement validator: every failure is a 400 whose message starts with the
 * JSON path of the offending property, e.g. `statement.actor.mbox: must be a "mailto:" IRI`.
 */
import { badRequest } from '../../errors';
import type { XapiVersion } from '../model/types';
import { isIri, isLanguageTag } from './primitives';

/** A JSON object under validation. */
export type Obj = Record<string, unknown>;

export function fail(path: string, rule: string): never {
  throw badRequest(`${path}: ${rule}`);
}

/** A short description of a JSON value's type for messages ("a string", "an array"...). */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

export function requireObject(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `must be an object, got ${kindOf(value)}`);
  }
  return value as Obj;
}

export function requireArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, `must be an array, got ${kindOf(value)}`);
  return value;
}

/**
 * Data 2.2: no property outside the spec (keys are case-sensitive) and no null value
 * (extensions are checked separately and may hold null).
 */
export function checkProperties(obj: Obj, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      const sameButCase = allowed.find((a) => a.toLowerCase() === key.toLowerCase());
      fail(
        `${path}.${key}`,
        sameButCase
          ? `is not an allowed property (property names are case-sensitive: use "${sameButCase}")`
          : `is not an allowed property here (allowed: ${allowed.join(', ')})`,
      );
    }
    if (obj[key] === null) fail(`${path}.${key}`, 'must not be null');
  }
}

export function requirePresent(obj: Obj, key: string, path: string): unknown {
  if (obj[key] === undefined) fail(`${path}.${key}`, 'is required');
  return obj[key];
}

export function checkString(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, `must be a string, got ${kindOf(value)}`);
  return value;
}

export function checkBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, `must be a boolean, got ${kindOf(value)}`);
  return value;
}

export function checkNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `must be a number, got ${kindOf(value)}`);
  return value;
}

export function checkIri(value: unknown, path: string, what = 'IRI'): string {
  checkString(value, path);
  if (!isIri(value)) fail(path, `must be an absolute ${what} (with a scheme, no spaces)`);
  return value;
}

/** Data 4.2: a Language Map is an object whose keys are RFC 5646 tags and whose values are strings. */
export function checkLanguageMap(value: unknown, path: string, version: XapiVersion): void {
  const map = requireObject(value, path);
  // The spec text sets no minimum size (1.0.3 Data 4.2, 2.0.0 Data 4.2.2: "a dictionary where the
  // key is a RFC 5646 Language Tag"), so 2.0.0 accepts {}. ADL's 1.0.3 conformance suite
  // (languages.js, "A Language Map ... has at least 1 entry") refuses {}, and 1.0.3 keeps that.
  if (version === '1.0.3' && Object.keys(map).length === 0) fail(path, 'must contain at least one language tag entry (xAPI 1.0.3)');
  for (const [tag, text] of Object.entries(map)) {
    if (!isLanguageTag(tag)) fail(`${path}["${tag}"]`, 'must be keyed by an RFC 5646 language tag');
    if (typeof text !== 'string') fail(`${path}["${tag}"]`, `must be a string, got ${kindOf(text)}`);
  }
}

/** Data 2.4.6.4 / 4.3: extension keys are absolute IRIs; values are any JSON, null included. */
export function checkExtensions(value: unknown, path: string): void {
  const ext = requireObject(value, path);
  for (const key of Object.keys(ext)) {
    if (!isIri(key)) fail(`${path}["${key}"]`, 'extension keys must be absolute IRIs');
  }
}
