/**
 * Launch: the rules behind the course page and the player. A learner launches a published
 * course (normal: resume the open attempt or start the next; review: reopen the last), which
 * makes a launch session; the player page opens the session through the format's launcher.
 * Pages (src/web/player) and the API (src/launch/routes.ts) both call these functions.
 */
import { randomUUID } from 'node:crypto';
import { xapiActor } from '../accounts/identity';
import { LAUNCH_TOKEN_TTL_SECONDS } from '../accounts/launch-tokens';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import type { Launchable } from '../packages/course-model';
import type { Attempt, Course, CourseVersion, LaunchMode, LaunchSession, Registration } from '../store/ports';
import { courseVisibleTo } from '../catalog/visibility';
import { bestFinishedAttempt } from './attempt-summary';
import { courseIri } from './iris';
import { finished, type AttemptRecord, type RecordSummary } from './record/record';
import { readRecord } from './record/read-records';
import { attemptForLaunch, attemptLimit, latestRegistration, oneAttemptPerRegistration, registrationFor } from './registrations';
import { scormLauncher } from './scorm/launcher';
import { tocOf, type TocNode } from './toc';
import type { FormatLaunch, FormatLauncher, LaunchContext, LaunchOptions } from './types';

/** What POST /api/courses/:courseId/launch answers. */
export interface LaunchResult {
  readonly sessionId: string;
  /** Absolute URL of the player page (/play/:sessionId) on the app origin. */
  readonly launchUrl: string;
  readonly registration: string;
  readonly attempt: { readonly id: string; readonly number: number };
  readonly mode: LaunchMode;
  readonly format: CourseVersion['format'];
  readonly versionNumber: number;
  readonly expiresAt: string;
}

/** One attempt as the course page lists it (the learner record's, src/launch/record). */
export type AttemptView = AttemptRecord;

/** GET /api/courses/:courseId/me: the learner's standing in a course. */
export interface CourseStanding {
  readonly course: { readonly id: string; readonly title: string; readonly description: string; readonly language: string; readonly state: Course['state'] };
  readonly registration?: { readonly id: string; readonly versionId: string; readonly versionNumber?: number };
  /** The learner record's summary of the registration (src/launch/record), once it has an attempt. */
  readonly progress?: RecordSummary;
  readonly attempts: readonly AttemptView[];
  /**
   * The best finished attempt when it is not the latest one (the learner started another): the
   * page shows it beside the attempt in progress.
   */
  readonly best?: AttemptView;
  /** Which buttons apply: launch (start the first or next attempt), resume, review. */
  readonly actions: { readonly launch: boolean; readonly resume: boolean; readonly review: boolean };
  /** Launchable units of the version (table of contents). */
  readonly units: readonly { readonly id: string; readonly title: string }[];
}

/** What the player page shows for a session. */
export interface PlayerView {
  readonly session: LaunchSession;
  readonly course: Course;
  readonly version: CourseVersion;
  readonly attempt: Attempt;
  readonly launch: FormatLaunch;
  /** Launchable units, manifest order. */
  readonly units: readonly Launchable[];
  /** Table of contents: the organization tree (SCORM), blocks (cmi5), with the units as leaves. */
  readonly toc: readonly TocNode[];
}

const MODES: readonly LaunchMode[] = ['normal', 'review', 'browse'];

/**
 * A course a learner may open: published (an existing registration may still open a retired one)
 * and visible to them (issue 18: a private course of another organization is unknown, 404).
 */
async function learnerCourse(s: AppServices, user: UserContext, courseId: string): Promise<Course> {
  const course = await s.store.courses.findCourse(courseId);
  if (!course || course.state === 'draft') throw notFound(`no published course ${courseId}`);
  if (!(await courseVisibleTo(s, user, course))) throw notFound(`no published course ${courseId}`);
  return course;
}

async function versionOf(s: AppServices, versionId: string): Promise<CourseVersion> {
  const v = await s.store.courses.findVersion(versionId);
  if (!v) throw notFound(`course version ${versionId} no longer exists`);
  return v;
}

/** Parses the launch request body: `{ mode?: 'normal'|'review'|'browse', scoId?: string }`. */
export function parseLaunchRequest(body: unknown): { mode: LaunchMode; scoId?: string } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const mode = b['mode'] ?? 'normal';
  if (typeof mode !== 'string' || !MODES.includes(mode as LaunchMode)) throw badRequest(`mode: must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  const scoId = b['scoId'];
  if (scoId !== undefined && (typeof scoId !== 'string' || scoId === '')) throw badRequest('scoId: must be a non-empty string (an item identifier of the course)');
  return { mode: mode as LaunchMode, ...(typeof scoId === 'string' ? { scoId } : {}) };
}

/**
 * Opens a launch session. normal/browse: the open attempt of the learner's registration, or the
 * next one (a learner whose registration is done moves to the current version). review: the last
 * attempt, read-only. Returns where the player is.
 */
export async function launchCourse(s: AppServices, user: UserContext, courseId: string, req: { mode: LaunchMode; scoId?: string }): Promise<LaunchResult> {
  const course = await learnerCourse(s, user, courseId);
  let reg = await latestRegistration(s, user.userId, courseId);
  if (!reg && course.state !== 'published') throw notFound(`no published course ${courseId}`);
  let attempt: Attempt;
  if (req.mode === 'review') {
    if (!reg) throw conflict(`review: you have not started course ${courseId}; launch it first`);
    const attempts = await s.store.launch.findAttempts(reg.id);
    const last = attempts[attempts.length - 1];
    if (!last) throw conflict(`review: you have no attempt of course ${courseId} to review`);
    attempt = last;
  } else {
    if (reg && course.state === 'published' && course.currentVersionId !== undefined && reg.versionId !== course.currentVersionId) {
      // A finished learner takes the next attempt on the current version (a new registration).
      const last = (await readRecord(s, reg)).attempts.at(-1);
      if (last && finished(last)) reg = undefined;
    }
    if (!reg) {
      if (course.currentVersionId === undefined) throw conflict(`course ${courseId} has no version to launch`);
      reg = await registrationFor(s, user, course, course.currentVersionId);
    }
    const version = await versionOf(s, reg.versionId);
    const reopen = oneAttemptPerRegistration(version.model);
    const done = new Set(reopen ? [] : (await readRecord(s, reg)).attempts.filter(finished).map((a) => a.id));
    attempt = await attemptForLaunch(s, reg.id, attemptLimit(version.model), (a) => done.has(a.id));
  }
  const version = await versionOf(s, reg.versionId);
  if (req.scoId !== undefined && !version.model.launchables.some((l) => l.id === req.scoId)) {
    throw badRequest(`scoId: "${req.scoId}" is not a launchable item of course ${courseId}`);
  }
  const now = s.now();
  const session: LaunchSession = {
    id: randomUUID(), registrationId: reg.id, attemptId: attempt.id, userId: user.userId, courseId, versionId: version.id,
    mode: req.mode, ...(req.scoId !== undefined ? { scoId: req.scoId } : {}),
    createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + LAUNCH_TOKEN_TTL_SECONDS * 1000).toISOString(),
  };
  await s.store.launch.insertLaunchSession(session);
  return {
    sessionId: session.id,
    launchUrl: `${s.config.publicUrl}/play/${session.id}`,
    registration: reg.id,
    attempt: { id: attempt.id, number: attempt.number },
    mode: req.mode,
    format: version.format,
    versionNumber: version.number,
    expiresAt: session.expiresAt,
  };
}

/** The learner's standing in a course (twin of the course page), from the learner record of the latest registration. */
export async function courseStanding(s: AppServices, user: UserContext, courseId: string): Promise<CourseStanding> {
  const course = await learnerCourse(s, user, courseId);
  const reg = await latestRegistration(s, user.userId, courseId);
  if (!reg && course.state !== 'published') throw notFound(`no published course ${courseId}`);
  const record = reg ? await readRecord(s, reg) : undefined;
  const attempts = record?.attempts ?? [];
  const versionId = reg?.versionId ?? course.currentVersionId;
  const version = versionId !== undefined ? await s.store.courses.findVersion(versionId) : undefined;
  const last = attempts[attempts.length - 1];
  const limit = version ? attemptLimit(version.model) : Infinity;
  const newVersion = reg !== undefined && course.state === 'published' && course.currentVersionId !== undefined && reg.versionId !== course.currentVersionId;
  // An xAPI/cmi5 attempt stays open to normal launches after it finished (see oneAttemptPerRegistration),
  // until a new version is published: then a finished learner launches that one.
  const open = last !== undefined && (!finished(last) || (!newVersion && version !== undefined && oneAttemptPerRegistration(version.model)));
  const best = bestFinishedAttempt(attempts);
  return {
    course: { id: course.id, title: course.title, description: course.description, language: course.language, state: course.state },
    ...(reg ? { registration: { id: reg.id, versionId: reg.versionId, ...(version ? { versionNumber: version.number } : {}) } } : {}),
    ...(record && last ? { progress: record.summary } : {}),
    attempts,
    ...(best && best !== last ? { best } : {}),
    actions: {
      launch: course.state === 'published' && !open && (attempts.length < limit || newVersion),
      resume: open,
      review: last !== undefined,
    },
    units: (version?.model.launchables ?? []).map((l) => ({ id: l.id, title: l.title })),
  };
}

/** The session of the signed-in learner; 404 when unknown, 403 when another person's, 410-like 409 when expired. */
export async function ownSession(s: AppServices, user: UserContext, sessionId: string): Promise<LaunchSession> {
  const session = await s.store.launch.findLaunchSession(sessionId);
  if (!session) throw notFound(`no launch session ${sessionId}`);
  if (session.userId !== user.userId) throw forbidden(`launch session ${sessionId} belongs to another learner`);
  if (Date.parse(session.expiresAt) <= s.now().getTime()) throw conflict(`launch session ${sessionId} has expired; launch the course again`);
  return session;
}

/** Everything the player page needs for a session of the signed-in learner. */
export async function openPlayer(s: AppServices, user: UserContext, sessionId: string, options: LaunchOptions = {}): Promise<PlayerView> {
  const session = await ownSession(s, user, sessionId);
  const [course, version, registration, attempt] = await Promise.all([
    s.store.courses.findCourse(session.courseId),
    versionOf(s, session.versionId),
    s.store.launch.findRegistration(session.registrationId),
    s.store.launch.findAttempt(session.attemptId),
  ]);
  if (!course || !registration || !attempt) throw notFound(`launch session ${sessionId} points at records that no longer exist`);
  const launcher = launcherFor(version.format, options);
  const ctx: LaunchContext = {
    services: s, session, registration, attempt, course, version, user,
    actor: { ...xapiActor({ id: user.userId, name: user.name }, s.config) },
    courseActivityId: courseIri(s.config, course.id),
  };
  const launch = await launcher(ctx);
  return { session, course, version, attempt, launch, units: version.model.launchables, toc: tocOf(version.model) };
}

function launcherFor(format: CourseVersion['format'], options: LaunchOptions): FormatLauncher {
  if (format === 'scorm12' || format === 'scorm2004') return scormLauncher;
  const l = options.launchers?.[format];
  if (!l) throw conflict(`courses of format ${format} cannot be played yet`);
  return l;
}

/** Re-exported for the format launchers. */
export type { Registration };
