/** Statement and SubStatement rules (Data 2.2, 2.4) and POST batches (Communication 2.1.2). */
import { badRequest } from '../../errors';
import { JsonObject, VOIDED_VERB_ID, XapiVersion } from '../model/types';
import { validateActivity } from './activity';
import { validateActor, validateAuthority } from './agents';
import { validateAttachments } from './attachments';
import { checkIri, checkLanguageMap, checkProperties, checkString, fail, kindOf, Obj, requireObject } from './checks';
import { validateContext } from './context';
import { isUuid, parseTimestamp } from './primitives';
import { validateResult } from './result';
import { validateStatementRef } from './statement-ref';

/** Options of {@link validateStatement}. */
export interface ValidateOptions {
  /** The negotiated request version: decides 2.0-only properties and accepted `version` values. */
  readonly version: XapiVersion;
  /** Path prefix for messages; default "statement". */
  readonly path?: string;
}

const STATEMENT_KEYS = ['id', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'stored', 'authority', 'version', 'attachments'];
// Data 2.4.4.3: a SubStatement has no id, stored, version or authority.
const SUBSTATEMENT_KEYS = ['objectType', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'attachments'];

function validateVerb(value: unknown, path: string, version: XapiVersion): Obj {
  const verb = requireObject(value, path);
  checkProperties(verb, path, ['id', 'display']);
  if (verb.id === undefined) fail(`${path}.id`, 'is required');
  checkIri(verb.id, `${path}.id`);
  if (verb.display !== undefined) checkLanguageMap(verb.display, `${path}.display`, version);
  return verb;
}

function validateTimestamp(value: unknown, path: string, version: XapiVersion): void {
  checkString(value, path);
  const ts = parseTimestamp(value);
  if (!ts) fail(path, 'must be an ISO 8601 date-time such as 2024-01-31T12:00:00.000Z (a "-00:00" offset is not allowed)');
  // 2.0 (RFC 3339) requires a time zone; 1.0.3 only recommends one, a zone-less time is read as UTC.
  if (version === '2.0.0' && ts.offsetMinutes === undefined) fail(path, 'must include a time zone (Z or an offset such as +01:00)');
}

/** Validates the object of a statement; returns whether it is an Activity (for context rules). */
function validateObject(value: unknown, path: string, version: XapiVersion, inSub: boolean): boolean {
  const obj = requireObject(value, path);
  const type = obj.objectType;
  switch (type) {
    case undefined:
    case 'Activity':
      validateActivity(obj, path, version);
      return true;
    case 'Agent':
    case 'Group':
      validateActor(obj, path);
      return false;
    case 'StatementRef':
      validateStatementRef(obj, path);
      return false;
    case 'SubStatement':
      if (inSub) fail(`${path}.objectType`, 'a SubStatement must not contain another SubStatement');
      validateBody(obj, path, version, true);
      return false;
    default:
      return fail(
        `${path}.objectType`,
        `must be one of Activity, Agent, Group, StatementRef, SubStatement (case-sensitive), got ${typeof type === 'string' ? JSON.stringify(type) : kindOf(type)}`,
      );
  }
}

function validateBody(stmt: Obj, path: string, version: XapiVersion, isSub: boolean): void {
  checkProperties(stmt, path, isSub ? SUBSTATEMENT_KEYS : STATEMENT_KEYS);
  for (const key of ['actor', 'verb', 'object']) {
    if (stmt[key] === undefined) fail(`${path}.${key}`, 'is required');
  }
  validateActor(stmt.actor, `${path}.actor`);
  const verb = validateVerb(stmt.verb, `${path}.verb`, version);
  const objectIsActivity = validateObject(stmt.object, `${path}.object`, version, isSub);
  // Data 2.3.2: a voiding statement's object is a StatementRef.
  if (verb.id === VOIDED_VERB_ID && (stmt.object as Obj).objectType !== 'StatementRef') {
    fail(`${path}.object.objectType`, `must be "StatementRef" when the verb is ${VOIDED_VERB_ID}`);
  }
  if (stmt.result !== undefined) validateResult(stmt.result, `${path}.result`);
  if (stmt.context !== undefined) validateContext(stmt.context, `${path}.context`, version, objectIsActivity);
  if (stmt.timestamp !== undefined) validateTimestamp(stmt.timestamp, `${path}.timestamp`, version);
  if (stmt.attachments !== undefined) validateAttachments(stmt.attachments, `${path}.attachments`, version);
  if (isSub) return;
  if (stmt.id !== undefined) {
    checkString(stmt.id, `${path}.id`);
    if (!isUuid(stmt.id)) fail(`${path}.id`, 'must be a UUID (8-4-4-4-12 hex digits)');
  }
  if (stmt.stored !== undefined) validateTimestamp(stmt.stored, `${path}.stored`, version);
  if (stmt.authority !== undefined) validateAuthority(stmt.authority, `${path}.authority`);
  if (stmt.version !== undefined) {
    const v = checkString(stmt.version, `${path}.version`);
    // Data 2.4.10: 1.0.3 accepts 1.0 / 1.0.x; a 2.0 LRS also accepts 2.0 / 2.0.x statements.
    const ok = version === '2.0.0' ? /^(1|2)\.0(\.\d+)?$/ : /^1\.0(\.\d+)?$/;
    if (!ok.test(v)) fail(`${path}.version`, version === '2.0.0' ? 'must be "1.0.x" or "2.0.x"' : 'must be "1.0" or "1.0.x"');
  }
}

/**
 * Checks one statement against the xAPI Data rules of `opts.version` and returns it typed as JSON.
 * Throws AppError('bad_request') naming the property path and the rule that failed.
 */
export function validateStatement(stmt: unknown, opts: ValidateOptions): JsonObject {
  const path = opts.path ?? 'statement';
  const obj = requireObject(stmt, path);
  validateBody(obj, path, opts.version, false);
  return obj as JsonObject;
}

/**
 * Validates a POST /statements body: one statement or an array of them (an empty array is valid
 * and stores nothing). Rejects two statements with the same id in one batch
 * (Communication 2.1.1: the LRS SHOULD reject such a batch with 400).
 */
export function validateStatementBatch(body: unknown, version: XapiVersion): JsonObject[] {
  if (Array.isArray(body)) {
    const ids = new Map<string, number>();
    return body.map((s, i) => {
      const stmt = validateStatement(s, { version, path: `statements[${i}]` });
      if (typeof stmt.id === 'string') {
        const id = stmt.id.toLowerCase();
        const first = ids.get(id);
        if (first !== undefined) throw badRequest(`statements[${i}].id: duplicates the id of statements[${first}] in the same batch`);
        ids.set(id, i);
      }
      return stmt;
    });
  }
  if (typeof body !== 'object' || body === null) {
    throw badRequest(`statements: the body must be a statement object or an array of statements, got ${kindOf(body)}`);
  }
  return [validateStatement(body, { version })];
}
