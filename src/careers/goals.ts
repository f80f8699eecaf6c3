import { roleError } from '../accounts/access';
import { recordAudit } from '../accounts/audit';
import { requireOrganization } from '../accounts/organizations';
import { newId } from '../accounts/tokens';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { badRequest, forbidden, notFound } from '../errors';
import type { OrgGoal, ProgressRecord } from '../store/ports';
import { createAssignment } from '../learning/assignments';
import { levelName, levelsOfPeople, resolveCompetencies } from './competency-levels';
import { earliestDay, goalTrend, neededPeople, onTrackAt, trendInstants, type DoneSpan, type GoalPoint } from './goal-trend';
import { unitPath, unitScope, unitsBelow, type UnitScope } from './scope';
import { isDone } from './team-progress';

export const MAX_GOAL_TITLE = 200;
/** Most people one goal's page lists (the count covers everyone). */
export const MAX_GOAL_PEOPLE = 5000;

/** Where one person stands on a course-completion goal. */
export type GoalPersonStatus = 'done' | 'in progress' | 'not started';

/** A goal measured now. */
export interface GoalView extends OrgGoal {
  readonly courseTitle: string;
  /** '' for the whole organization. */
  readonly unitPath: string;
  readonly total: number;
  readonly done: number;
  /** done / total in percent, one decimal; 0 when nobody is in scope. */
  readonly percent: number;
  /**
   * met: at or over the target (in whole people: 80 % of 7 is 6); on track: at least the
   * people that a straight line from the day the goal was set to its due date calls for by now
   * (rounded); behind: fewer; missed: under the target after the due date.
   */
  readonly status: 'met' | 'on track' | 'behind' | 'missed';
}

/** A goal with the people it counts and its values over time (from history, goal-trend.ts). */
export interface GoalDetail extends GoalView {
  readonly people: readonly { readonly userId: string; readonly name: string; readonly email: string; readonly status: GoalPersonStatus; readonly lastActivityAt?: string }[];
  readonly trend: readonly GoalPoint[];
}

/** What a person sends to set a goal (`kind` 'competency-level': `competency` instead of `courseId`). */
export interface GoalInput {
  readonly title: string;
  readonly kind: OrgGoal['kind'];
  readonly courseId: string;
  readonly competency?: { readonly profileId: string; readonly competencyId: string; readonly level: number };
  readonly dueDate: string;
  readonly targetPercent: number;
  readonly unitId?: string;
}

function isDay(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** Checks a goal body; 400 naming the field. */
export function parseGoalInput(raw: unknown): GoalInput {
  const b = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const title = typeof b['title'] === 'string' ? b['title'].trim() : '';
  if (title === '' || title.length > MAX_GOAL_TITLE) throw badRequest(`title must be 1 to ${MAX_GOAL_TITLE} characters`);
  const kind = b['kind'] === undefined || b['kind'] === '' ? 'course-completion' : b['kind'];
  if (kind !== 'course-completion' && kind !== 'competency-level') throw badRequest('kind must be course-completion or competency-level');
  const courseId = kind === 'course-completion' && typeof b['courseId'] === 'string' ? b['courseId'].trim() : '';
  if (kind === 'course-completion' && courseId === '') throw badRequest('courseId must be the id of a course');
  let competency: GoalInput['competency'];
  if (kind === 'competency-level') {
    const profileId = typeof b['profileId'] === 'string' ? b['profileId'].trim() : '';
    const competencyId = typeof b['competencyId'] === 'string' ? b['competencyId'].trim() : '';
    const rawLevel = typeof b['level'] === 'string' && /^\d+$/.test(b['level']) ? Number(b['level']) : b['level'];
    if (profileId === '') throw badRequest('profileId must be the id of a role profile');
    if (competencyId === '') throw badRequest('competencyId must be a competency of the role profile');
    if (typeof rawLevel !== 'number' || !Number.isInteger(rawLevel) || rawLevel < 1 || rawLevel > 10) throw badRequest('level must be a whole number from 1 to 10');
    competency = { profileId, competencyId, level: rawLevel };
  }
  const dueDate = typeof b['dueDate'] === 'string' ? b['dueDate'].trim() : '';
  if (!isDay(dueDate)) throw badRequest('dueDate must be a date like 2027-06-30');
  const rawTarget = b['targetPercent'] === undefined || b['targetPercent'] === '' ? 100 : b['targetPercent'];
  const target = typeof rawTarget === 'string' && /^\d+$/.test(rawTarget) ? Number(rawTarget) : rawTarget;
  if (typeof target !== 'number' || !Number.isInteger(target) || target < 1 || target > 100) throw badRequest('targetPercent must be a whole number from 1 to 100');
  const unitId = typeof b['unitId'] === 'string' && b['unitId'].trim() !== '' ? b['unitId'].trim() : undefined;
  if (b['unitId'] !== undefined && b['unitId'] !== null && b['unitId'] !== '' && typeof b['unitId'] !== 'string') throw badRequest('unitId must be a unit id');
  return { title, kind, courseId, ...(competency ? { competency } : {}), dueDate, targetPercent: target, ...(unitId !== undefined ? { unitId } : {}) };
}

/** True when the actor may see (and set) goals of `unitId` (undefined: the whole organization, administrators only). */
function inScope(scope: UnitScope, unitId: string | undefined): boolean {
  if (scope.all) return true;
  return unitId !== undefined && scope.unitIds.has(unitId);
}

/** Sets a goal: administrators for the organization or any unit, managers for their units. */
export async function createGoal(s: AppServices, actor: UserContext, orgId: string, input: GoalInput): Promise<OrgGoal> {
  await requireOrganization(s, orgId);
  const scope = await unitScope(s, actor, orgId);
  if (input.unitId !== undefined && !scope.units.some((u) => u.id === input.unitId)) throw badRequest(`unitId: no unit ${input.unitId} in this organization`);
  if (!inScope(scope, input.unitId)) throw forbidden(input.unitId === undefined ? 'a goal for the whole organization needs its administrator' : 'you may set goals for the units you manage only');
  if (input.kind === 'competency-level' && input.competency) {
    const profile = await s.store.careers.findRoleProfile(input.competency.profileId);
    if (!profile || profile.orgId !== orgId) throw badRequest(`profileId: no role profile ${input.competency.profileId} in this organization`);
    if (!profile.competencies.some((c) => c.competencyId === input.competency?.competencyId)) throw badRequest('competencyId: not a competency of that role profile');
    const goal: OrgGoal = {
      id: newId(), orgId, ...(input.unitId !== undefined ? { unitId: input.unitId } : {}), title: input.title, kind: 'competency-level', courseId: '',
      competency: input.competency, dueDate: input.dueDate, targetPercent: input.targetPercent, createdBy: actor.userId, createdAt: s.now().toISOString(),
    };
    await s.store.careers.insertGoal(goal);
    await recordAudit(s, actor, { action: 'goal.create', orgId, target: goal.id, details: { title: goal.title, kind: goal.kind, ...input.competency, dueDate: goal.dueDate, ...(goal.unitId ? { unitId: goal.unitId } : {}) } });
    return goal;
  }
  const course = await s.store.courses.findCourse(input.courseId);
  // Another organization's unpublished course is answered as an unknown one.
  if (!course || (course.orgId !== orgId && course.state !== 'published')) throw badRequest(`courseId: no course ${input.courseId} that this organization can use`);
  const goal: OrgGoal = {
    id: newId(), orgId, ...(input.unitId !== undefined ? { unitId: input.unitId } : {}), title: input.title, kind: 'course-completion',
    courseId: input.courseId, dueDate: input.dueDate, targetPercent: input.targetPercent, createdBy: actor.userId, createdAt: s.now().toISOString(),
  };
  // The goal also assigns the course to the people it counts (the learner site's assignments), due on its date:
  // a unit goal to the unit (with the units below), an organization goal to its learners.
  await createAssignment(s, actor, orgId, {
    entryId: input.courseId, target: input.unitId !== undefined ? { kind: 'unit', unitId: input.unitId } : { kind: 'role', role: 'learner' },
    dueAt: new Date(`${input.dueDate}T23:59:59.999Z`).toISOString(), required: true,
  });
  await s.store.careers.insertGoal(goal);
  await recordAudit(s, actor, { action: 'goal.create', orgId, target: goal.id, details: { title: goal.title, courseId: goal.courseId, dueDate: goal.dueDate, ...(goal.unitId ? { unitId: goal.unitId } : {}) } });
  return goal;
}

async function requireGoal(s: AppServices, actor: UserContext, orgId: string, goalId: string): Promise<{ goal: OrgGoal; scope: UnitScope }> {
  const scope = await unitScope(s, actor, orgId);
  const goal = await s.store.careers.findGoal(orgId, goalId);
  // A goal outside a manager's units is answered as an unknown one.
  if (!goal || !inScope(scope, goal.unitId)) throw notFound(`no goal ${goalId} in organization ${orgId}`);
  return { goal, scope };
}

/** Deletes a goal (whoever may set it). */
export async function deleteGoal(s: AppServices, actor: UserContext, orgId: string, goalId: string): Promise<void> {
  await requireGoal(s, actor, orgId, goalId);
  await s.store.careers.deleteGoal(orgId, goalId);
  await recordAudit(s, actor, { action: 'goal.delete', orgId, target: goalId });
}

/** The people a goal counts: members of its unit and the units below, or everyone learning in the organization. */
async function population(s: AppServices, goal: OrgGoal, scope: UnitScope): Promise<string[]> {
  if (goal.unitId !== undefined) {
    const rows = await s.store.careers.findUnitPeople({ orgId: goal.orgId, unitIds: [...unitsBelow(scope.units, [goal.unitId])], kind: 'member' });
    return [...new Set(rows.map((r) => r.userId))];
  }
  const ms = await s.store.accounts.findMemberships({ orgId: goal.orgId });
  return [...new Set(ms.filter((m) => m.role === 'learner').map((m) => m.userId))];
}

function statusOf(goal: OrgGoal, done: number, total: number, now: Date): GoalView['status'] {
  if (done >= neededPeople(goal, total)) return 'met';
  if (now.getTime() > Date.parse(`${goal.dueDate}T23:59:59.999Z`)) return 'missed';
  // The people a straight line from the day the goal was set to its due date calls for by now.
  return done >= onTrackAt(goal, total, now.getTime()) ? 'on track' : 'behind';
}

/**
 * When a course row counts as done: the time the projection recorded (doneAt); on rows done
 * before it kept one (until the projection is rebuilt), their latest activity stands for it.
 */
const doneAt = (r: ProgressRecord): string => r.doneAt ?? r.lastActivityAt ?? r.updatedAt ?? r.createdAt;

/** Adds a span to a person's list. */
function addSpan(spans: Map<string, DoneSpan[]>, userId: string, span: DoneSpan): void {
  const list = spans.get(userId);
  if (list) list.push(span);
  else spans.set(userId, [span]);
}

/**
 * Measures a goal from projections (never from statements): for a course goal, who in scope has
 * a course row for the goal's course in this organization that is done (completed, or
 * satisfied); for a competency goal, who in scope holding the role has the level (evidence,
 * confirmed self-assessments). With `withTrend`, also the goal's history from the same people's
 * dated evidence (goal-trend.ts); nothing is written.
 */
async function measure(s: AppServices, goal: OrgGoal, scope: UnitScope, withTrend: boolean): Promise<{ view: GoalView; people: GoalDetail['people']; trend: GoalPoint[] }> {
  let ids = await population(s, goal, scope);
  const byUser = new Map<string, { status: GoalPersonStatus; last?: string }>();
  const spans = new Map<string, DoneSpan[]>();
  let subject = '';
  if (goal.kind === 'competency-level' && goal.competency) {
    // People in scope who hold the role, measured by their current level (evidence summaries, confirmed self-assessments).
    const c = goal.competency;
    const holders = new Set((await s.store.careers.findPersonRoleProfiles({ orgId: goal.orgId })).filter((h) => h.profileId === c.profileId).map((h) => h.userId));
    ids = ids.filter((id) => holders.has(id));
    const resolved = await resolveCompetencies(s, [c.competencyId]);
    const levels = await levelsOfPeople(s, goal.orgId, ids, resolved);
    for (const id of ids) {
      const level = levels.get(id)?.get(c.competencyId) ?? 0;
      byUser.set(id, { status: level >= c.level ? 'done' : level > 0 ? 'in progress' : 'not started' });
    }
    const role = await s.store.careers.findRoleProfile(c.profileId);
    subject = `${role?.name ?? c.profileId}: ${levelName(resolved.get(c.competencyId), c.level)} in ${resolved.get(c.competencyId)?.name ?? c.competencyId}`;
    const rc = resolved.get(c.competencyId);
    if (withTrend && rc?.framework && rc.item && ids.length > 0) {
      // Each piece of evidence at the level or above counts from its time until it lapses; a confirmed self-assessment from its confirmation.
      const wanted = new Set(ids);
      for (const e of await s.store.competency.findEvidence({ userIds: ids, frameworkId: rc.framework.id, itemIdentifier: rc.item.identifier })) {
        if (e.level >= c.level) addSpan(spans, e.userId, { from: e.at, ...(e.expiresAt !== undefined ? { until: e.expiresAt } : {}) });
      }
      const selves = await s.store.competency.findSelfAssessments({ orgIds: [goal.orgId], frameworkId: rc.framework.id, itemIdentifier: rc.item.identifier });
      for (const a of selves) if (a.confirmedAt !== undefined && a.level >= c.level && wanted.has(a.userId)) addSpan(spans, a.userId, { from: a.confirmedAt });
    }
  }
  const wanted = new Set(ids);
  const rows = goal.kind === 'competency-level' ? [] : (await s.store.progress.findProgress({ courseId: goal.courseId, orgIds: [goal.orgId], limit: 100_000 })).filter((r) => wanted.has(r.userId));
  for (const r of rows) {
    const cur = byUser.get(r.userId);
    const status: GoalPersonStatus = isDone(r) ? 'done' : 'in progress';
    const last = [cur?.last ?? '', r.lastActivityAt ?? ''].sort().pop() || undefined;
    byUser.set(r.userId, { status: cur?.status === 'done' || status === 'done' ? 'done' : 'in progress', ...(last ? { last } : {}) });
    if (status === 'done') addSpan(spans, r.userId, { from: doneAt(r) });
  }
  const users = (await s.store.accounts.findUsers(ids)).filter((u) => u.disabledAt === undefined);
  const total = users.length;
  const done = users.filter((u) => byUser.get(u.id)?.status === 'done').length;
  const now = s.now();
  const percent = total === 0 ? 0 : Math.round((done / total) * 1000) / 10;
  const course = goal.kind === 'competency-level' ? undefined : await s.store.courses.findCourse(goal.courseId);
  const view: GoalView = {
    ...goal, courseTitle: goal.kind === 'competency-level' ? subject : course?.title ?? goal.courseId, unitPath: goal.unitId ? unitPath(scope.units, goal.unitId) : '',
    total, done, percent, status: statusOf(goal, done, total, now),
  };
  const people = users
    .map((u) => {
      const p = byUser.get(u.id);
      return { userId: u.id, name: u.name, email: u.email, status: p?.status ?? ('not started' as const), ...(p?.last ? { lastActivityAt: p.last } : {}) };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId))
    .slice(0, MAX_GOAL_PEOPLE);
  let trend: GoalPoint[] = [];
  if (withTrend) {
    // Only today's people count, in the past too (an erased or disabled person leaves every point).
    const counted = new Map(users.flatMap((u) => { const l = spans.get(u.id); return l ? [[u.id, l] as const] : []; }));
    const created = goal.createdAt.slice(0, 10);
    const first = earliestDay(counted);
    trend = goalTrend(goal, total, counted, trendInstants(first !== undefined && first < created ? first : created, now));
  }
  return { view, people, trend };
}

/** The goals the actor may see (administrators: all; managers: those of their units), measured now. */
export async function listGoals(s: AppServices, actor: UserContext, orgId: string): Promise<GoalView[]> {
  await requireOrganization(s, orgId);
  const scope = await unitScope(s, actor, orgId);
  const goals = await s.store.careers.findGoals(scope.all ? { orgId } : { orgId, unitIds: [...scope.unitIds] });
  const out: GoalView[] = [];
  for (const g of goals) out.push((await measure(s, g, scope, false)).view);
  return out;
}

/** One goal, measured now, with its people and its trend; 404 outside the actor's scope. */
export async function getGoal(s: AppServices, actor: UserContext, orgId: string, goalId: string): Promise<GoalDetail> {
  const err = roleError(actor, orgId, ['orgAdmin', 'manager']);
  if (err) throw err;
  const { goal, scope } = await requireGoal(s, actor, orgId, goalId);
  const { view, people, trend } = await measure(s, goal, scope, true);
  return { ...view, people, trend };
}
