/**
 * GET /api/progress: the learner's own registrations of a course, or everyone's for analysts and
 * organization administrators (only their organizations' learners).
 */
import { orgsWithRole, type UserContext } from '../../accounts/user-context';
import type { AppServices } from '../../deps';
import { badRequest, forbidden } from '../../errors';
import type { CompletionState, ProgressRecord, SuccessState, UnitProgress } from '../../store/ports';
import { readRecords } from '../record/read-records';
import type { RegistrationRecord, TimeSource } from '../record/record';

/** One row of GET /api/progress: a registration's learner record, with the projection's own counts. */
export interface ProgressView {
  readonly registration: string;
  readonly courseId: string;
  readonly versionId: string;
  readonly userId: string;
  readonly orgId?: string;
  /** Status, score and time of the learner record (src/launch/record), as the course page shows them. */
  readonly completion: CompletionState;
  readonly success: SuccessState;
  readonly scoreScaled?: number;
  readonly timeSeconds: number;
  readonly timeSource: TimeSource;
  /** LearnHQ attempts of the registration (as the course page counts them). */
  readonly attempts: number;
  /** cmi5: the LMS wrote a satisfied statement (course, block) or the AU's moveOn is met. */
  readonly satisfied: boolean;
  /** Sittings the statements show (initialized or attempted), from the progress projection. */
  readonly sessions: number;
  /** Statements counted by the progress projection. */
  readonly statements: number;
  readonly lastActivityAt?: string;
  /** Own rows only: per unit (SCO, AU, activity). */
  readonly units?: readonly Omit<UnitProgress, 'registration'>[];
}

interface RowSource {
  readonly registration: string;
  readonly courseId: string;
  readonly versionId: string;
  readonly userId: string;
  readonly orgId?: string;
}

function view(r: RowSource, record: RegistrationRecord | undefined, row: ProgressRecord | undefined, units?: readonly UnitProgress[]): ProgressView {
  const sum = record?.summary;
  const lastActivityAt = [sum?.lastActivityAt, row?.lastActivityAt].filter((x): x is string => x !== undefined).sort().pop();
  return {
    registration: r.registration, courseId: r.courseId, versionId: r.versionId, userId: r.userId,
    ...(r.orgId !== undefined ? { orgId: r.orgId } : {}),
    completion: sum?.completion ?? 'not attempted', success: sum?.success ?? 'unknown',
    ...(sum?.scoreScaled !== undefined ? { scoreScaled: sum.scoreScaled } : {}),
    timeSeconds: sum?.totalSeconds ?? 0, timeSource: sum?.timeSource ?? 'content', attempts: sum?.attempts ?? 0,
    satisfied: row?.satisfied ?? false, sessions: row?.attempts ?? 0, statements: row?.statements ?? 0,
    ...(lastActivityAt !== undefined ? { lastActivityAt } : {}),
    ...(units ? { units: units.map(({ registration: _r, ...u }) => u) } : {}),
  };
}

/**
 * GET /api/progress?course=<id>[&learners=all]: without `learners`, the signed-in person's own
 * registrations of the course, with units; with `learners=all`, every learner's rows of the course
 * in the organizations where the person is analyst or organization administrator (site
 * administrator: all), without units. 403 when they are neither anywhere. Status, score, time
 * and attempts are the learner record's (src/launch/record), the same the course page shows.
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
    const records = await readRecords(s, rows.map((r) => ({ id: r.registration, versionId: r.versionId })));
    return rows.map((r) => view(r, records.get(r.registration), r));
  }
  const regs = await s.store.launch.findRegistrations({ userId: user.userId, courseId: course });
  const records = await readRecords(s, regs);
  const rows = new Map((await s.store.progress.findProgressTracks(regs.map((r) => r.id.toLowerCase()))).map((r) => [r.registration, r]));
  return Promise.all(regs.map(async (r) => view(
    { registration: r.id.toLowerCase(), courseId: r.courseId, versionId: r.versionId, userId: r.userId, ...(r.orgId !== undefined ? { orgId: r.orgId } : {}) },
    records.get(r.id), rows.get(r.id.toLowerCase()), await s.store.progress.findUnitProgress(r.id.toLowerCase()),
  )));
}
