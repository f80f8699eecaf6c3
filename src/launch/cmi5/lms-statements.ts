/**
 * Statements the LMS writes for cmi5 (launched, abandoned, waived, satisfied). Builders only:
 * lms-writer.ts stores them (kept apart so the statement write path can call moveOn without an
 * import cycle).
 */
import { randomUUID } from 'node:crypto';
import type { AppServices } from '../../deps';
import type { Cmi5Session } from '../../store/ports';
import type { AuthContext } from '../../xapi/auth/auth-context';
import type { JsonObject } from '../../xapi/model/types';
import type { storeStatements } from '../../xapi/statements/write-service';
import { CMI5, CMI5_VERB_DISPLAY } from './vocab';

/** The LMS as an LRS caller (its statements belong to the learner's organization). */
export function lmsAuth(s: Pick<AppServices, 'config'>, orgId: string | undefined): AuthContext {
  return {
    credentialKey: 'learnhq:cmi5-lms',
    name: 'LearnHQ cmi5 LMS',
    scopes: new Set(['all']),
    authority: { objectType: 'Agent', name: 'LearnHQ player', account: { homePage: s.config.publicUrl, name: 'learnhq-player' } },
    ...(orgId !== undefined ? { orgId } : {}),
    lmsWriter: true,
  };
}

/** How the LMS stores what it decides; returns the statement ids. */
export type LmsWriter = (s: AppServices, orgId: string | undefined, statements: readonly JsonObject[]) => Promise<string[]>;

/** An LmsWriter over the statement write function (passed in: the write path calls moveOn, so no import cycle). */
export function lmsWriterOf(store: typeof storeStatements): LmsWriter {
  return async (s, orgId, statements) => {
    if (statements.length === 0) return [];
    return store(s, { body: { json: [...statements], parts: new Map(), multipart: false }, version: '1.0.3', auth: lmsAuth(s, orgId) });
  };
}

/** The learner and registration a statement is about. */
export interface StatementSubject {
  readonly actor: Readonly<Record<string, unknown>>;
  readonly registration: string;
}

function verb(id: string): JsonObject {
  return { id, display: { 'en-US': CMI5_VERB_DISPLAY[id] ?? id } };
}

function base(subject: StatementSubject, verbId: string, object: JsonObject, sessionId: string, grouping: string, at: string): JsonObject {
  return {
    id: randomUUID(),
    actor: { ...subject.actor } as JsonObject,
    verb: verb(verbId),
    object,
    context: {
      registration: subject.registration,
      contextActivities: { category: [{ id: CMI5.category }], grouping: [{ id: grouping }] },
      extensions: { [CMI5.ext.sessionId]: sessionId },
    },
    timestamp: at,
  };
}

/** ISO 8601 duration (seconds to 0.01) of a span in ms. */
export function isoDuration(ms: number): string {
  return `PT${Math.max(0, Math.round(ms / 10) / 100)}S`;
}

/** The launched statement (cmi5 9.3.1, 9.6.3): with launchMode, launchURL, moveOn and, when given, masteryScore and launchParameters. */
export function launchedStatement(session: Cmi5Session, launchUrl: string, launchParameters: string | undefined, at: string): JsonObject {
  const st = base(session, CMI5.verb.launched, { objectType: 'Activity', id: session.auActivityId }, session.id, session.auId, at);
  const ctx = st['context'] as JsonObject;
  ctx['extensions'] = {
    [CMI5.ext.sessionId]: session.id,
    [CMI5.ext.launchMode]: session.launchMode,
    [CMI5.ext.launchUrl]: launchUrl,
    [CMI5.ext.moveOn]: session.moveOn,
    ...(session.masteryScore !== undefined ? { [CMI5.ext.masteryScore]: session.masteryScore } : {}),
    ...(launchParameters !== undefined ? { [CMI5.ext.launchParameters]: launchParameters } : {}),
  };
  return st;
}

/** The abandoned statement for a session left open (cmi5 9.3.6): duration from launch to its last statement. */
export function abandonedStatement(session: Cmi5Session, at: string): JsonObject {
  const end = Date.parse(session.lastStatementAt ?? session.launchedAt);
  const st = base(session, CMI5.verb.abandoned, { objectType: 'Activity', id: session.auActivityId }, session.id, session.auId, at);
  st['result'] = { duration: isoDuration(end - Date.parse(session.launchedAt)) };
  return st;
}

/** The waived statement (cmi5 9.3.7): success and completion true, a reason, its own session id. */
export function waivedStatement(subject: StatementSubject, au: { id: string; activityId: string }, reason: string, at: string): JsonObject {
  const st = base(subject, CMI5.verb.waived, { objectType: 'Activity', id: au.activityId }, randomUUID(), au.id, at);
  st['result'] = { success: true, completion: true, extensions: { [CMI5.ext.reason]: reason } };
  const ca = (st['context'] as JsonObject)['contextActivities'] as JsonObject;
  ca['category'] = [{ id: CMI5.category }, { id: CMI5.moveOnCategory }];
  return st;
}

/** The satisfied statement of a block or the course (cmi5 9.3.9), in the session that caused it. */
export function satisfiedStatement(
  subject: StatementSubject,
  target: { kind: 'block' | 'course'; lmsId: string; publisherId: string },
  sessionId: string,
  at: string,
): JsonObject {
  const object: JsonObject = {
    objectType: 'Activity',
    id: target.lmsId,
    definition: { type: target.kind === 'block' ? CMI5.activityType.block : CMI5.activityType.course },
  };
  return base(subject, CMI5.verb.satisfied, object, sessionId, target.publisherId, at);
}
