/**
 * What the LRS stores for a validated statement: the client's JSON plus the LRS-filled properties
 * (Data 2.4: id, stored, timestamp, version, authority), with a few lossless normalisations so
 * that queries and comparisons see one form.
 */
import { randomUUID } from 'node:crypto';
import { parseTimestamp, timestampToUtc, truncateDuration } from '../validate/primitives';
import { copyJson } from './copy-json';
import { isJsonObject, JsonObject, JsonValue, StatementInput, XapiVersion } from './types';

/** Options of {@link prepareStatement}. */
export interface PrepareOptions {
  /** The negotiated request version; decides the default `version` property. */
  readonly version: XapiVersion;
  /** Id to use when the statement has none (e.g. PUT's statementId); a random v4 UUID otherwise. */
  readonly id?: string;
  /** The `stored` time, ISO 8601 UTC; defaults to `now`. */
  readonly stored?: string;
  /** The authority of the credential that sent it; always replaces the client's value (Data 2.4.9). */
  readonly authority: Readonly<Record<string, unknown>>;
  /** Clock for `stored` when absent; default the current time. */
  readonly now?: Date;
}

function clone<T>(v: T): T {
  return copyJson(v as JsonValue) as T;
}

function toUtc(value: JsonValue | undefined): JsonValue | undefined {
  const ts = parseTimestamp(value);
  return ts ? timestampToUtc(ts) : value;
}

/** contextActivities.* as arrays, result.duration truncated, timestamp in UTC. */
function normalizeBody(s: JsonObject): void {
  if (s.timestamp !== undefined) s.timestamp = toUtc(s.timestamp) ?? s.timestamp;
  const result = s.result;
  if (isJsonObject(result) && typeof result.duration === 'string') result.duration = truncateDuration(result.duration);
  const ctx = s.context;
  if (isJsonObject(ctx) && isJsonObject(ctx.contextActivities)) {
    const ca = ctx.contextActivities;
    for (const key of Object.keys(ca)) {
      const v = ca[key];
      if (v !== undefined && !Array.isArray(v)) ca[key] = [v];
    }
  }
  const obj = s.object;
  // Data 2.4.4: an object without objectType is an Activity; the LRS writes it out (the ADL suite's
  // "LRS generates an objectType of Activity" requirement) so every reader sees one form.
  if (isJsonObject(obj) && obj.objectType === undefined) s.object = { objectType: 'Activity', ...obj };
  if (isJsonObject(obj) && obj.objectType === 'SubStatement') normalizeBody(obj);
}

/** The `version` a statement gets when the client sent none. */
export function defaultStatementVersion(version: XapiVersion): string {
  // 1.0.3 Data 2.4.10: "If not included, the LRS MUST set it to 1.0.0"; 2.0 sets 2.0.0.
  return version === '2.0.0' ? '2.0.0' : '1.0.0';
}

/**
 * The statement as stored. Fills `id` (lower-cased; a random UUID when absent), `stored`,
 * `timestamp` (= stored when absent, otherwise converted to UTC keeping its precision),
 * `version` (kept when given) and `authority` (always the credential's); stores each
 * contextActivities value as an array, truncates result.duration to 0.01 s and writes
 * objectType "Activity" on an object that omits it (also inside a SubStatement).
 * Does not mutate its input. Expects a statement that passed validateStatement.
 */
export function prepareStatement(stmt: StatementInput, opts: PrepareOptions): JsonObject {
  const s = clone(stmt) as JsonObject;
  const stored = opts.stored ?? (opts.now ?? new Date()).toISOString();
  const id = typeof s.id === 'string' ? s.id : (opts.id ?? randomUUID());
  normalizeBody(s);
  const out: JsonObject = { id: id.toLowerCase(), ...s };
  out.id = id.toLowerCase();
  out.timestamp = s.timestamp ?? stored;
  out.stored = stored;
  out.authority = clone(opts.authority) as JsonObject;
  out.version = typeof s.version === 'string' ? s.version : defaultStatementVersion(opts.version);
  return out;
}
