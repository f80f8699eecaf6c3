/**
 * Registrations and attempts: one registration per learner and course version, bound for its
 * life to the version it started on; attempts within it, a new one only when the previous is
 * done and the course allows another.
 */
import { randomUUID } from 'node:crypto';
import { orgsWithRole, type UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { conflict, isAppError } from '../errors';
import type { CourseModel } from '../packages/course-model';
import type { Attempt, Course, Registration } from '../store/ports';
import { finished } from './record/record';

/**
 * True for xAPI and cmi5 courses: their content keeps its state, and cmi5 its once-only verbs, per
 * registration, so a second attempt in the same registration could not start afresh (a retake is
 * a new registration, cmi5 3.0). A registration keeps one attempt, which normal launches reopen
 * after it finished (cmi5 sessions go on in a registration; ADL's LMS test 007 relaunches one).
 */
export function oneAttemptPerRegistration(model: CourseModel): boolean {
  return model.format === 'tincan' || model.format === 'cmi5';
}

/**
 * Most attempts a registration of the course allows: the SCORM 2004 root attempt limit; one for
 * xAPI and cmi5 ({@link oneAttemptPerRegistration}); Infinity when unlimited.
 */
export function attemptLimit(model: CourseModel): number {
  if (oneAttemptPerRegistration(model)) return 1;
  if (model.format !== 'scorm2004') return Infinity;
  const org = model.organizations.find((o) => o.identifier === model.defaultOrganization);
  const limit = org?.sequencing?.limitConditions.attemptLimit;
  return limit !== undefined && limit > 0 ? limit : Infinity;
}

/** The organization whose records the learner's statements become: a learner org first. */
export function learnerOrgOf(user: UserContext): string | undefined {
  return orgsWithRole(user, 'learner')[0] ?? [...user.roles.keys()][0];
}

/** The learner's newest registration of a course; undefined when none. */
export async function latestRegistration(s: AppServices, userId: string, courseId: string): Promise<Registration | undefined> {
  const regs = await s.store.launch.findRegistrations({ userId, courseId });
  return regs[0];
}

/**
 * A registration of `user` bound to `versionId`, created when missing. Racing first launches make
 * one: the loser of the unique (user, version) insert reads the winner's.
 */
export async function registrationFor(s: AppServices, user: UserContext, course: Course, versionId: string): Promise<Registration> {
  const existing = (await s.store.launch.findRegistrations({ userId: user.userId, courseId: course.id })).find((r) => r.versionId === versionId);
  if (existing) return existing;
  const orgId = learnerOrgOf(user);
  const reg: Registration = {
    id: randomUUID(), userId: user.userId, courseId: course.id, versionId, ...(orgId !== undefined ? { orgId } : {}),
    createdAt: s.now().toISOString(),
  };
  try {
    await s.store.launch.insertRegistration(reg);
    return reg;
  } catch (err) {
    if (!isAppError(err) || err.code !== 'conflict') throw err;
    const again = (await s.store.launch.findRegistrations({ userId: user.userId, courseId: course.id })).find((r) => r.versionId === versionId);
    if (!again) throw err;
    return again;
  }
}

/** Creates attempt `number` of a registration; a racing twin's attempt is returned instead. */
export async function newAttempt(s: AppServices, registrationId: string, number: number): Promise<Attempt> {
  const at = s.now().toISOString();
  const attempt: Attempt = {
    id: randomUUID(), registrationId, number, completion: 'not attempted', success: 'unknown', totalSeconds: 0, suspended: false,
    createdAt: at, updatedAt: at,
  };
  try {
    await s.store.launch.insertAttempt(attempt);
    return attempt;
  } catch (err) {
    if (!isAppError(err) || err.code !== 'conflict') throw err;
    const twin = (await s.store.launch.findAttempts(registrationId)).find((a) => a.number === number);
    if (!twin) throw err;
    return twin;
  }
}

/**
 * The attempt a normal launch opens: the open (last) attempt, or a new one when the last is done
 * and the limit allows. Throws 409 naming the limit when it does not. `done` says whether an
 * attempt is finished (the learner record knows; the attempt row alone does not for xAPI/cmi5).
 */
export async function attemptForLaunch(s: AppServices, registrationId: string, limit: number, done: (a: Attempt) => boolean = finished): Promise<Attempt> {
  const attempts = await s.store.launch.findAttempts(registrationId);
  const last = attempts[attempts.length - 1];
  if (!last) return newAttempt(s, registrationId, 1);
  if (!done(last)) return last;
  if (attempts.length >= limit) {
    throw conflict(`attempts: this course allows ${limit} attempt(s) and all are used; open the last one with mode "review"`);
  }
  return newAttempt(s, registrationId, last.number + 1);
}
