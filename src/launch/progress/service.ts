/**
 * Reading the progress projection: the learner's own rows for the course page, everyone's rows
 * of a course for analysts and organization administrators (only their organizations' learners).
 */
import { orgsWithRole, type UserContext } from '../../accounts/user-context';
import type { AppServices } from '../../deps';
import { badRequest, forbidden } from '../../errors';
import type { ProgressRecord, UnitProgress } from '../../store/ports';
import type { ProgressReader } from '../types';

/** One row of GET /api/progress. */
export interface ProgressView {
  readonly registration: string;
  readonly courseId: string;
  readonly versionId: string;
  readonly userId: string;
  readonly orgId?: string;
  readonly completion: ProgressRecord['completion'];
  readonly success: ProgressRecord['success'];
  readonly scoreScaled?: number;
  readonly satisfied: boolean;
  readonly timeSeconds: number;
  readonly attempts: number;
  readonly statements: number;
  readonly lastActivityAt?: string;
  /** Own rows only: per unit (SCO, AU, activity). */
  readonly units?: readonly Omit<UnitProgress, 'registration'>[];
}

function view(r: ProgressRecord, units?: readonly UnitProgress[]): ProgressView {
  return {
    registration: r.registration, courseId: r.courseId, versionId: r.versionId, userId: r.userId,
    ...(r.orgId !== undefined ? { orgId: r.orgId } : {}),
    completion: r.completion, success: r.success, ...(r.scoreScaled !== undefined ? { scoreScaled: r.scoreScaled } : {}),
    satisfied: r.satisfied, timeSeconds: r.timeSeconds, attempts: r.attempts, statements: r.statements,
    ...(r.lastActivityAt !== undefined ? { lastActivityAt: r.lastActivityAt } : {}),
    ...(units ? { units: units.map(({ registration: _r, ...u }) => u) } : {}),
  };
}

/**
 * GET /api/progress?course=<id>[&learners=all]: without `learners`, the signed-in person's own
 * registrations of the course, with units; with `learners=all`, every learner's rows of the course
 * in the organizations where the person is analyst or organization administrator (site
 * administrator: all), without units. 403 when they are neither anywhere.
 */
export async function listProgress(s: AppServices, user: UserContext, query: Record<string, unknown>): Promise<ProgressView[]> {
  const course = query['course'];
  if (typeof course !== 'string' || course === '') throw badRequest('course: the course id is required (GET /api/progress?course=<id>)');
  const learners = query['learners'];
  if (learners !== undefined && learners !== 'all') throw badRequest(`learners: must be "all" when given, got ${JSON.stringify(learners)}`);
  if (learners === 'all') {
    const orgIds = user.isSiteAdmin ? undefined : orgsWithRole(user, 'analyst', 'orgAdmin');
    if (orgIds !== undefined && orgIds.length === 0) throw forbidden('learners=all needs the analyst or organization administrator role');
    const rows = await s.store.progress.findProgress({ courseId: course, ...(orgIds !== undefined ? { orgIds } : {}) });
    return rows.map((r) => view(r));
  }
  const rows = await s.store.progress.findProgress({ courseId: course, userId: user.userId });
  return Promise.all(rows.map(async (r) => view(r, await s.store.progress.findUnitProgress(r.registration))));
}

/**
 * ProgressReader for launchRouter options: the projection's course row of the registration.
 * SCORM registrations are left to the attempts (their rollup is the course status; statements
 * about the course activity itself are not written by the SCORM profile for multi-SCO courses).
 */
export const progressReader: ProgressReader = async (s, registration) => {
  const version = await s.store.courses.findVersion(registration.versionId);
  if (!version || version.format === 'scorm12' || version.format === 'scorm2004') return undefined;
  const [row] = await s.store.progress.findProgress({ registration: registration.id.toLowerCase() });
  if (!row || row.statements === 0) return undefined;
  return {
    completion: row.completion, success: row.success, ...(row.scoreScaled !== undefined ? { scoreScaled: row.scoreScaled } : {}),
    totalSeconds: row.timeSeconds, ...(row.lastActivityAt !== undefined ? { lastActivityAt: row.lastActivityAt } : {}),
  };
};
