/**
 * cmi5 launch sequence (cmi5 8.1, 9.3.1, 10.0), run each time the player opens a launch session
 * of a cmi5 course:
 * 1. sessions of the registration left open (no terminated) are abandoned (cmi5 9.3.6);
 * 2. moveOn is evaluated (NotApplicable AUs and blocks may already be satisfied, 9.6.1);
 * 3. a cmi5 session is recorded, with a one-time fetch secret (only its hash is kept);
 * 4. LMS.LaunchData is written to the State of the AU's activityId, learner and registration;
 * 5. the launched statement is stored;
 * 6. the AU's URL with endpoint, fetch, actor, registration and activityId is returned.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AppServices } from '../../deps';
import { badRequest, conflict } from '../../errors';
import type { Cmi5Au, Cmi5CourseModel } from '../../packages/course-model';
import type { Cmi5LaunchMode, Cmi5Session, LaunchMode } from '../../store/ports';
import { etagOf } from '../../xapi/documents/service';
import { agentKey } from '../../xapi/model/agent-key';
import { ensureProgressTrack, forgetUnknownRegistration } from '../progress/tracks';
import type { FormatLauncher, LaunchContext } from '../types';
import { contentFileUrl } from '../xapi/launcher';
import { returnUrlOf } from '../return-url';
import { auStatuses } from './au-status';
import { allAus, cmi5AuIri } from './iris';
import { abandonedStatement, launchedStatement } from './lms-statements';
import { writeAsLms } from './lms-writer';
import { auSatisfied, evaluateMoveOn } from './move-on';
import { CMI5 } from './vocab';

const MODES: Readonly<Record<LaunchMode, Cmi5LaunchMode>> = { normal: 'Normal', browse: 'Browse', review: 'Review' };

/** SHA-256 hex of a fetch secret. */
export function fetchKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The AU to launch: the one chosen (scoId = AU id); else the one the learner launched last in this
 * attempt while its moveOn is not met (Resume reopens where they left off); else the first whose
 * moveOn is not yet met; else the last launched, else the first.
 */
function auToLaunch(model: Cmi5CourseModel, chosen: string | undefined, marks: ReadonlySet<string>, last: string | undefined): Cmi5Au {
  const aus = allAus(model.children);
  if (chosen !== undefined) {
    const au = aus.find((a) => a.id === chosen);
    if (!au) throw badRequest(`scoId: "${chosen}" is not an AU of this course`);
    return au;
  }
  const left = aus.find((a) => a.id === last);
  const au = (left && !auSatisfied(left, marks) ? left : undefined) ?? aus.find((a) => !auSatisfied(a, marks)) ?? left ?? aus[0];
  if (!au) throw conflict('this cmi5 course has no AU to launch');
  return au;
}

/** Abandons every open session of a registration (cmi5 9.3.6): one abandoned statement each. */
export async function abandonOpenSessions(s: AppServices, registration: string): Promise<void> {
  for (const open of await s.store.cmi5.findOpenCmi5Sessions(registration)) {
    const at = s.now().toISOString();
    const updated = await s.store.cmi5.updateCmi5Session(open.id, { state: 'abandoned', endedAt: at }, ['launched', 'initialized']);
    if (updated) await writeAsLms(s, open.orgId, [abandonedStatement(open, at)]);
  }
}

/** The LMS.LaunchData document (cmi5 10.0). */
export function launchData(session: Cmi5Session, au: Cmi5Au, returnUrl: string): Record<string, unknown> {
  return {
    contextTemplate: {
      contextActivities: { grouping: [{ id: au.id }] },
      extensions: { [CMI5.ext.sessionId]: session.id },
    },
    launchMode: session.launchMode,
    ...(au.launchParameters !== undefined ? { launchParameters: au.launchParameters } : {}),
    ...(au.masteryScore !== undefined ? { masteryScore: au.masteryScore } : {}),
    moveOn: au.moveOn,
    returnURL: returnUrl,
    ...(au.entitlementKey !== undefined ? { entitlementKey: { courseStructure: au.entitlementKey } } : {}),
  };
}

/** FormatLauncher for `cmi5` courses (plug into launchRouter options.launchers.cmi5). */
export const cmi5Launcher: FormatLauncher = async (ctx: LaunchContext) => {
  const model = ctx.version.model;
  if (model.format !== 'cmi5') throw conflict(`course version ${ctx.version.id} is not a cmi5 package`);
  const s = ctx.services;
  const reg = ctx.registration;
  const registration = reg.id.toLowerCase();
  await ensureProgressTrack(s, reg, model);
  forgetUnknownRegistration(s.store, registration);
  await abandonOpenSessions(s, registration);
  const key = agentKey(ctx.actor);
  if (key === undefined) throw badRequest('actor: the learner has no xAPI identifier');
  const subject = { actor: ctx.actor, registration, courseId: reg.courseId, ...(reg.orgId !== undefined ? { orgId: reg.orgId } : {}) };
  await evaluateMoveOn(s, writeAsLms, subject, model);

  const marks = new Set(await s.store.cmi5.findCmi5Marks(registration));
  const au = auToLaunch(model, ctx.session.scoId, marks, ctx.attempt.lastScoId);
  const fetchKey = randomBytes(24).toString('base64url');
  const now = s.now().toISOString();
  if (ctx.attempt.lastScoId !== au.id) await s.store.launch.updateAttempt(ctx.attempt.id, { lastScoId: au.id, updatedAt: now });
  const session: Cmi5Session = {
    id: randomUUID(), registration, courseId: reg.courseId, versionId: reg.versionId, userId: reg.userId,
    ...(reg.orgId !== undefined ? { orgId: reg.orgId } : {}),
    actor: ctx.actor, agentKey: key, auId: au.id, auActivityId: cmi5AuIri(s.config, reg.courseId, au.id),
    launchMode: MODES[ctx.session.mode], moveOn: au.moveOn, ...(au.masteryScore !== undefined ? { masteryScore: au.masteryScore } : {}),
    fetchKeyHash: fetchKeyHash(fetchKey), state: 'launched', launchedAt: now,
  };
  await s.store.cmi5.insertCmi5Session(session);

  const returnUrl = returnUrlOf(s.config, reg.courseId);
  const content = Buffer.from(JSON.stringify(launchData(session, au, returnUrl)), 'utf8');
  await s.store.documents.upsertDocument({
    key: { kind: 'state', activityId: session.auActivityId, agentKey: key, registration, docId: CMI5.launchDataStateId },
    contentType: 'application/json', content, etag: etagOf(content), updated: now,
  }, undefined);

  // Before this launch's own statement: the list shows where the learner stood when they opened it.
  const unitStatuses = await auStatuses(s, registration, reg.courseId, model, marks);
  const auUrl = contentFileUrl(ctx, au.url);
  const launchUrlNoParams = auUrl.split('#')[0] ?? auUrl;
  await writeAsLms(s, reg.orgId, [launchedStatement(session, launchUrlNoParams, au.launchParameters, now)]);

  const url = new URL(auUrl);
  url.searchParams.set('endpoint', `${s.config.publicUrl}/xapi`);
  url.searchParams.set('fetch', `${s.config.publicUrl}/cmi5/fetch/${session.id}?k=${fetchKey}`);
  url.searchParams.set('actor', JSON.stringify(ctx.actor));
  url.searchParams.set('registration', registration);
  url.searchParams.set('activityId', session.auActivityId);
  return {
    frameUrl: url.toString(), unitId: au.id, unitStatuses,
    ...(au.launchMethod === 'OwnWindow' ? { newWindow: true } : {}),
  };
};
