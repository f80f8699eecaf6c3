/**
 * Query parameters of the document, Activities and Agents resources. Communication 3.2: a
 * parameter the resource does not know, or a known one spelled in another case, is a 400.
 */
import { badRequest } from '../../errors';
import { isIri, isUuid, parseTimestamp, timestampToUtc } from '../validate/primitives';

/** The request's query as Express gives it (simple parser: string or string[] values). */
export type RawQuery = Record<string, unknown>;

/**
 * Checks that every parameter is in `allowed` (case-sensitive) and given once; returns the
 * values by name. `what` names the resource and method in messages.
 */
export function readParams(query: RawQuery, allowed: readonly string[], what: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(query)) {
    if (!allowed.includes(name)) {
      const sameButCase = allowed.find((a) => a.toLowerCase() === name.toLowerCase());
      throw badRequest(
        sameButCase
          ? `${name}: parameter names are case-sensitive; ${what} takes "${sameButCase}"`
          : `${name}: is not a parameter of ${what} (allowed: ${allowed.join(', ')})`,
      );
    }
    if (typeof value !== 'string') throw badRequest(`${name}: must be given once, as a single value`);
    out.set(name, value);
  }
  return out;
}

/** The value of a required parameter; 400 naming it when absent. */
export function required(params: Map<string, string>, name: string, what: string): string {
  const v = params.get(name);
  if (v === undefined) throw badRequest(`${name}: is required by ${what}`);
  return v;
}

/** An Activity id parameter: an absolute IRI (Data 4.3). */
export function activityIdParam(value: string): string {
  if (!isIri(value)) throw badRequest(`activityId: must be an absolute IRI, got ${JSON.stringify(value)}`);
  return value;
}

/** A registration parameter: a UUID, kept lower-cased so the same registration always matches. */
export function registrationParam(value: string): string {
  if (!isUuid(value)) throw badRequest(`registration: must be a UUID, got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

/**
 * A `since` parameter: an ISO 8601 timestamp, returned as `YYYY-MM-DDTHH:mm:ss.sssZ` (the form the
 * stores compare). Finer fractions are cut, which keeps `since` exclusive at millisecond precision.
 */
export function sinceParam(value: string): string {
  const ts = parseTimestamp(value);
  const ms = ts ? Date.parse(timestampToUtc(ts)) : Number.NaN;
  if (!ts || Number.isNaN(ms)) throw badRequest(`since: must be an ISO 8601 timestamp, got ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

/** A stateId / profileId: any non-empty string. */
export function docIdParam(name: string, value: string): string {
  if (value.length === 0) throw badRequest(`${name}: must not be empty`);
  return value;
}
