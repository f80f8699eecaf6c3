/**
 * cmi5 requests outside the LRS: the fetch URL (cmi5 8.2) and an administrator's waiver (9.3.7).
 */
import { xapiActor } from '../../accounts/identity';
import { issueLaunchToken, LAUNCH_TOKEN_TTL_SECONDS, verifyLaunchToken } from '../../accounts/launch-tokens';
import { roleError } from '../../accounts/access';
import type { UserContext } from '../../accounts/user-context';
import type { AppServices } from '../../deps';
import { AppError, badRequest, conflict, notFound } from '../../errors';
import { safeEqual } from '../../accounts/tokens';
import { ensureProgressTrack } from '../progress/tracks';
import { fetchKeyHash } from './launcher';
import { cmi5AuIri, findAu } from './iris';
import { waivedStatement } from './lms-statements';
import { writeAsLms } from './lms-writer';
import { cmi5ModelOf } from './model';
import { evaluateMoveOn } from './move-on';

/** What the fetch URL answers, always with HTTP 200 (cmi5 8.2.2). */
export type FetchAnswer = { readonly 'auth-token': string } | { readonly 'error-code': '1' | '2' | '3'; readonly 'error-text': string };

/**
 * The fetch URL: the first valid POST gets the session's auth token (the base64 credentials of
 * a launch token; the AU sends `Basic <token>`); every later one gets error 1 (cmi5 8.2.3). An
 * unknown session or a wrong key is error 2.
 */
export async function fetchAuthToken(s: AppServices, sessionId: string, key: string | undefined): Promise<FetchAnswer> {
  const session = await s.store.cmi5.findCmi5Session(sessionId);
  if (!session || key === undefined || !safeEqual(fetchKeyHash(key), session.fetchKeyHash)) {
    return { 'error-code': '2', 'error-text': 'The fetch URL is not valid.' };
  }
  if (session.state === 'terminated' || session.state === 'abandoned') {
    return { 'error-code': '1', 'error-text': 'The AU session has ended.' };
  }
  if ((await s.store.cmi5.insertCmi5Mark(session.registration, `fetch|${session.id}`, session.id)) !== undefined) {
    return { 'error-code': '1', 'error-text': 'The authorization token has already been returned.' };
  }
  const header = issueLaunchToken(s, {
    userId: session.userId, actor: { ...session.actor }, registration: session.registration, activityId: session.auActivityId,
    ...(session.orgId !== undefined ? { orgId: session.orgId } : {}), ttlSeconds: LAUNCH_TOKEN_TTL_SECONDS,
    // Granted when the learner launched, so a sign-out since then ends it too (issue 11).
    grantedAt: session.launchedAt,
  });
  const credentials = header.replace(/^Basic /, '');
  const jwt = Buffer.from(credentials, 'base64').toString('utf8').replace(/^[^:]*:/, '');
  const claims = verifyLaunchToken(s.config, jwt, s.now());
  if (!claims) return { 'error-code': '3', 'error-text': 'The LMS could not issue a token.' };
  await s.store.cmi5.updateCmi5Session(session.id, { tokenId: claims.jti });
  return { 'auth-token': credentials };
}

const REASONS = ['Tested Out', 'Equivalent AU', 'Equivalent Outside Activity', 'Administrative'] as const;

/** Result of a waiver. */
export interface WaiveResult {
  readonly statementId: string;
  /** Ids of the satisfied statements (blocks, course) the waiver caused. */
  readonly satisfied: readonly string[];
}

/**
 * Waives an AU of a registration (cmi5 9.3.7): an organization administrator of the
 * registration's organization (or the site administrator). 409 when it was waived before.
 */
export async function waiveAu(s: AppServices, user: UserContext, registrationId: string, auId: string, body: unknown): Promise<WaiveResult> {
  const reg = await s.store.launch.findRegistration(registrationId.toLowerCase());
  if (!reg) throw notFound(`no registration ${registrationId}`);
  // Issue 11: outside the registration's organization the answer is that of an unknown
  // registration, naming nothing of the organization.
  const denied = reg.orgId !== undefined ? roleError(user, reg.orgId, ['orgAdmin']) : user.isSiteAdmin ? undefined : notFound('');
  if (denied) throw denied.code === 'not_found' ? notFound(`no registration ${registrationId}`) : denied;
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const reason = b['reason'] ?? 'Administrative';
  if (typeof reason !== 'string' || !(REASONS as readonly string[]).includes(reason)) {
    throw badRequest(`reason: must be one of ${REASONS.join(', ')}, got ${JSON.stringify(reason)}`);
  }
  const model = await cmi5ModelOf(s.store, reg.versionId);
  if (!model) throw conflict(`registration ${registrationId} is not of a cmi5 course`);
  const au = findAu(model, auId);
  if (!au) throw notFound(`auId: no AU "${auId}" in this course`);
  const learner = await s.store.accounts.findUser(reg.userId);
  if (!learner) throw new AppError('not_found', `the learner of registration ${registrationId} no longer exists`);
  await ensureProgressTrack(s, reg, model);
  const registration = reg.id.toLowerCase();
  const subject = { actor: { ...xapiActor(learner, s.config) }, registration, courseId: reg.courseId, ...(reg.orgId !== undefined ? { orgId: reg.orgId } : {}) };
  const st = waivedStatement(subject, { id: au.id, activityId: cmi5AuIri(s.config, reg.courseId, au.id) }, reason, s.now().toISOString());
  if ((await s.store.cmi5.insertCmi5Mark(registration, `waived|${au.id}`, String(st['id']))) !== undefined) {
    throw conflict(`AU "${au.id}" is already waived in registration ${registrationId} (cmi5 9.3.7: one waived statement per AU and registration)`);
  }
  const [statementId] = await writeAsLms(s, reg.orgId, [st]);
  const ctx = st['context'] as { extensions: Record<string, unknown> };
  const sessionId = String(ctx.extensions['https://w3id.org/xapi/cmi5/context/extensions/sessionid']);
  const satisfied = await evaluateMoveOn(s, writeAsLms, subject, model, sessionId);
  return { statementId: statementId ?? String(st['id']), satisfied };
}
