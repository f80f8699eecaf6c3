/**
 * Career plans (issue 15): a person picks a target role of their organization; the plan shows,
 * per competency of the role, their current level against the target, the gap, and the learning
 * that closes it; they add items with target dates and may share the plan with their managers.
 * "What would it take?" compares two roles, or the person against a role.
 *
 * Recommendations come from the competency area's alignments of courses at a level: a course
 * closes a gap when it is aligned at the target level or above. Ranked by: closes the gap first,
 * then fewest hours (the catalog's duration; unknown last), then most CE credits, then newest;
 * courses the person completed and entries they may not take are left out.
 */
import { randomUUID } from 'node:crypto';
import type { UserContext } from '../accounts/user-context';
import { entriesByIds } from '../catalog/course-entries';
import { visibleTo } from '../catalog/visibility';
import type { AppServices } from '../deps';
import { badRequest, notFound } from '../errors';
import type { CareerPlan, CatalogEntry, RoleProfile } from '../store/ports';
import { currentLevels, levelName, resolveCompetencies, type ResolvedCompetency } from './competency-levels';
import { managesPerson } from './extensions';
import { isDone } from './team-progress';

/** Most recommendations listed per competency. */
export const MAX_RECOMMENDATIONS = 10;
export const MAX_PLAN_ITEMS = 100;

/** A course that would raise a competency. */
export interface Recommendation {
  readonly entryId: string;
  readonly title: string;
  readonly kind: string;
  /** The level its alignment gives. */
  readonly level: number;
  /** True when it reaches the target level on its own. */
  readonly closes: boolean;
  readonly hours?: number;
  readonly ceCredits?: number;
  readonly createdAt: string;
}

/** One competency of the target role in a plan. */
export interface PlanRow {
  readonly competencyId: string;
  readonly name: string;
  readonly code?: string;
  readonly known: boolean;
  readonly current: number;
  readonly currentName: string;
  readonly target: number;
  readonly targetName: string;
  /** Levels still missing (0 when met). */
  readonly gap: number;
  readonly recommendations: readonly Recommendation[];
}

export interface PlanItemView {
  readonly id: string;
  readonly entryId: string;
  readonly title: string;
  readonly competencyId?: string;
  readonly competencyName?: string;
  readonly targetDate?: string;
  readonly done: boolean;
  readonly overdue: boolean;
}

/** A person's plan measured now. */
export interface PlanView {
  readonly orgId: string;
  readonly userId: string;
  readonly mine: boolean;
  readonly role?: Pick<RoleProfile, 'id' | 'name' | 'description'>;
  readonly sharedWithManager: boolean;
  readonly rows: readonly PlanRow[];
  readonly items: readonly PlanItemView[];
  /** Competencies of the role met, and items done. */
  readonly progress: { readonly met: number; readonly competencies: number; readonly itemsDone: number; readonly items: number };
  /** Role profiles the person may aim at (their organization's). */
  readonly roles: readonly Pick<RoleProfile, 'id' | 'name'>[];
}

function isDay(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;
}

/** 404 unless the actor is a member of the organization. */
function member(actor: UserContext, orgId: string): void {
  if (!actor.isSiteAdmin && (actor.roles.get(orgId)?.size ?? 0) === 0) throw notFound(`no organization ${orgId}`);
}

/** A role profile the organization may aim at or compare: its own, or one shared site-wide. 404 otherwise. */
async function profileFor(s: AppServices, orgId: string, id: string, allowShared: boolean): Promise<RoleProfile> {
  const p = id === '' ? undefined : await s.store.careers.findRoleProfile(id);
  if (!p || !(p.orgId === orgId || (allowShared && p.shared))) throw notFound(`no role profile ${id}`);
  return p;
}

/** Courses the person completed (any organization). */
async function completedCourses(s: AppServices, userId: string): Promise<Set<string>> {
  const rows = await s.store.progress.findProgress({ userId, limit: 100_000 });
  return new Set(rows.filter(isDone).map((r) => r.courseId));
}

/** The ranked learning for one competency gap (pure over what it is given; exported for tests and the bench). */
export function rankRecommendations(
  candidates: readonly { entry: CatalogEntry; level: number }[], current: number, target: number, completed: ReadonlySet<string>, limit = MAX_RECOMMENDATIONS,
): Recommendation[] {
  const best = new Map<string, { entry: CatalogEntry; level: number }>();
  for (const c of candidates) {
    if (c.level <= current || completed.has(c.entry.id)) continue;
    const had = best.get(c.entry.id);
    if (!had || c.level > had.level) best.set(c.entry.id, c);
  }
  const recs = [...best.values()].map(({ entry, level }): Recommendation => ({
    entryId: entry.id, title: entry.title, kind: entry.kind, level, closes: level >= target,
    ...(entry.durationMinutes !== undefined ? { hours: Math.round((entry.durationMinutes / 60) * 100) / 100 } : {}),
    ...(entry.ceCredits !== undefined ? { ceCredits: entry.ceCredits } : {}), createdAt: entry.createdAt,
  }));
  recs.sort((a, b) => Number(b.closes) - Number(a.closes)
    || (a.hours ?? Infinity) - (b.hours ?? Infinity)
    || (b.ceCredits ?? 0) - (a.ceCredits ?? 0)
    || (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)
    || (a.entryId < b.entryId ? -1 : 1));
  return recs.slice(0, limit);
}

/** Rows of a role for a person at `levels` (recommendations only when `completed` is given). */
async function rowsFor(
  s: AppServices, orgId: string, profile: RoleProfile, resolved: ReadonlyMap<string, ResolvedCompetency>, levels: ReadonlyMap<string, number>, completed?: ReadonlySet<string>,
): Promise<PlanRow[]> {
  // The alignments of every gap first, then the catalog entries of all of them in one read.
  const alignedOf = new Map<string, { courseId: string; level: number }[]>();
  for (const rc of profile.competencies) {
    const c = resolved.get(rc.competencyId);
    const current = levels.get(rc.competencyId) ?? 0;
    if (!completed || rc.targetLevel - current <= 0 || !c?.framework || !c.item || alignedOf.has(rc.competencyId)) continue;
    alignedOf.set(rc.competencyId, (await s.store.competency.findAlignments({ frameworkId: c.framework.id, itemIdentifier: c.item.identifier }))
      .flatMap((a) => (a.target.kind === 'course' && a.target.courseId !== undefined && a.level > current ? [{ courseId: a.target.courseId, level: a.level }] : [])));
  }
  const entries = new Map((await entriesByIds(s, [...new Set([...alignedOf.values()].flatMap((list) => list.map((a) => a.courseId)))])).map((e) => [e.id, e]));
  const rows: PlanRow[] = [];
  for (const rc of profile.competencies) {
    const c = resolved.get(rc.competencyId);
    const current = levels.get(rc.competencyId) ?? 0;
    const gap = Math.max(0, rc.targetLevel - current);
    let recommendations: Recommendation[] = [];
    const aligned = completed && gap > 0 ? alignedOf.get(rc.competencyId) : undefined;
    if (completed && aligned) {
      const candidates = aligned.flatMap((a) => {
        const e = entries.get(a.courseId);
        return e && (visibleTo({ orgIds: [orgId] }, e)) ? [{ entry: e, level: a.level }] : [];
      });
      recommendations = rankRecommendations(candidates, current, rc.targetLevel, completed);
    }
    rows.push({
      competencyId: rc.competencyId, name: c?.name ?? rc.competencyId, ...(c?.code ? { code: c.code } : {}), known: c?.item !== undefined,
      current, currentName: levelName(c, current), target: rc.targetLevel, targetName: levelName(c, rc.targetLevel), gap, recommendations,
    });
  }
  return rows;
}

/** Whether the actor may read `userId`'s plan: the person, or their manager when it is shared. */
async function readablePlan(s: AppServices, actor: UserContext, orgId: string, userId: string): Promise<CareerPlan | undefined> {
  member(actor, orgId);
  const plan = await s.store.careers.findCareerPlan(orgId, userId);
  if (actor.userId === userId) return plan;
  // Someone else's plan is answered as unknown unless it is shared with the actor as the person's manager.
  if (!plan || !plan.sharedWithManager || !(await managesPerson(s, actor, orgId, userId))) throw notFound(`no career plan of ${userId}`);
  return plan;
}

/** The plan of `userId` (default: the actor) in `orgId`, measured now. */
export async function getPlan(s: AppServices, actor: UserContext, orgId: string, userId = actor.userId): Promise<PlanView> {
  const plan = await readablePlan(s, actor, orgId, userId);
  const roles = (await s.store.careers.findRoleProfiles({ orgId })).map((p) => ({ id: p.id, name: p.name }));
  const profile = plan ? await s.store.careers.findRoleProfile(plan.targetProfileId) : undefined;
  const mine = actor.userId === userId;
  if (!plan || !profile || profile.orgId !== orgId) {
    return { orgId, userId, mine, sharedWithManager: plan?.sharedWithManager ?? false, rows: [], items: [], progress: { met: 0, competencies: 0, itemsDone: 0, items: 0 }, roles };
  }
  const resolved = await resolveCompetencies(s, [...profile.competencies.map((c) => c.competencyId), ...plan.items.flatMap((i) => (i.competencyId ? [i.competencyId] : []))]);
  const [levels, completed] = await Promise.all([currentLevels(s, userId, resolved), completedCourses(s, userId)]);
  const rows = await rowsFor(s, orgId, profile, resolved, levels, completed);
  const entries = new Map((await entriesByIds(s, plan.items.map((i) => i.entryId))).map((e) => [e.id, e]));
  const today = s.now().toISOString().slice(0, 10);
  const items = plan.items.map((i): PlanItemView => {
    const done = completed.has(i.entryId);
    return {
      id: i.id, entryId: i.entryId, title: entries.get(i.entryId)?.title ?? i.entryId,
      ...(i.competencyId ? { competencyId: i.competencyId, competencyName: resolved.get(i.competencyId)?.name ?? i.competencyId } : {}),
      ...(i.targetDate ? { targetDate: i.targetDate } : {}), done, overdue: !done && i.targetDate !== undefined && i.targetDate < today,
    };
  });
  return {
    orgId, userId, mine, role: { id: profile.id, name: profile.name, description: profile.description }, sharedWithManager: plan.sharedWithManager,
    rows, items, progress: { met: rows.filter((r) => r.gap === 0).length, competencies: rows.length, itemsDone: items.filter((i) => i.done).length, items: items.length }, roles,
  };
}

async function save(s: AppServices, actor: UserContext, orgId: string, change: (p: CareerPlan | undefined) => CareerPlan): Promise<CareerPlan> {
  member(actor, orgId);
  const next = change(await s.store.careers.findCareerPlan(orgId, actor.userId));
  await s.store.careers.upsertCareerPlan(next);
  return next;
}

/** Picks (or changes) the target role: `{ profileId }`. Items stay. */
export async function setTargetRole(s: AppServices, actor: UserContext, orgId: string, body: unknown): Promise<CareerPlan> {
  member(actor, orgId);
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const profile = await profileFor(s, orgId, typeof b['profileId'] === 'string' ? b['profileId'] : '', false).catch(() => {
    throw badRequest('profileId: a role profile of this organization');
  });
  const at = s.now().toISOString();
  return save(s, actor, orgId, (p) => ({ orgId, userId: actor.userId, targetProfileId: profile.id, items: p?.items ?? [], sharedWithManager: p?.sharedWithManager ?? false, createdAt: p?.createdAt ?? at, updatedAt: at }));
}

/** Adds learning to the plan: `{ entryId, competencyId?, targetDate? }` (an entry the organization may take). */
export async function addPlanItem(s: AppServices, actor: UserContext, orgId: string, body: unknown): Promise<CareerPlan> {
  member(actor, orgId);
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const entryId = typeof b['entryId'] === 'string' ? b['entryId'] : '';
  const [entry] = entryId === '' ? [] : await entriesByIds(s, [entryId]);
  if (!entry || !(entry.orgId === orgId || visibleTo({ orgIds: [orgId] }, entry))) throw badRequest('entryId: a catalog entry this organization may take');
  const competencyId = typeof b['competencyId'] === 'string' && b['competencyId'] !== '' ? b['competencyId'] : undefined;
  if (competencyId !== undefined && competencyId.length > 500) throw badRequest('competencyId: a competency URI');
  const targetDate = typeof b['targetDate'] === 'string' && b['targetDate'] !== '' ? b['targetDate'] : undefined;
  if (targetDate !== undefined && !isDay(targetDate)) throw badRequest('targetDate must be a date like 2027-06-30');
  const existing = await s.store.careers.findCareerPlan(orgId, actor.userId);
  if (!existing) throw badRequest('pick a target role first');
  if (existing.items.length >= MAX_PLAN_ITEMS) throw badRequest(`a plan holds at most ${MAX_PLAN_ITEMS} items`);
  const at = s.now().toISOString();
  return save(s, actor, orgId, (p) => ({
    ...(p as CareerPlan), updatedAt: at,
    items: [...(p as CareerPlan).items.filter((i) => i.entryId !== entryId), { id: randomUUID(), entryId, ...(competencyId ? { competencyId } : {}), ...(targetDate ? { targetDate } : {}), addedAt: at }],
  }));
}

/** Removes an item; 404 when the plan has none of that id. */
export async function removePlanItem(s: AppServices, actor: UserContext, orgId: string, itemId: string): Promise<CareerPlan> {
  member(actor, orgId);
  const p = await s.store.careers.findCareerPlan(orgId, actor.userId);
  if (!p || !p.items.some((i) => i.id === itemId)) throw notFound(`no plan item ${itemId}`);
  return save(s, actor, orgId, () => ({ ...p, items: p.items.filter((i) => i.id !== itemId), updatedAt: s.now().toISOString() }));
}

/** Shares the plan with the person's managers, or stops sharing: `{ shared: boolean }`. */
export async function sharePlan(s: AppServices, actor: UserContext, orgId: string, body: unknown): Promise<CareerPlan> {
  member(actor, orgId);
  const shared = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['shared'] : undefined;
  const flag = shared === true || shared === 'true' || shared === 'on' ? true : shared === false || shared === 'false' || shared === undefined ? false : undefined;
  if (flag === undefined) throw badRequest('shared must be true or false');
  const p = await s.store.careers.findCareerPlan(orgId, actor.userId);
  if (!p) throw badRequest('pick a target role first');
  return save(s, actor, orgId, () => ({ ...p, sharedWithManager: flag, updatedAt: s.now().toISOString() }));
}

/** Shared plans of the people a manager manages (for their team page). */
export async function sharedPlansOfTeam(s: AppServices, actor: UserContext, orgId: string): Promise<CareerPlan[]> {
  member(actor, orgId);
  const plans = (await s.store.careers.findCareerPlans({ orgId })).filter((p) => p.sharedWithManager && p.userId !== actor.userId);
  const out: CareerPlan[] = [];
  for (const p of plans) if (await managesPerson(s, actor, orgId, p.userId)) out.push(p);
  return out;
}

/** One side of a comparison. */
export interface CompareSide { readonly label: string; readonly levels: ReadonlyMap<string, number> }

/** "What would it take?": `a` is a role profile id or 'me'; `b` a role profile id. Per competency of either: level of a, level of b, the gap from a to b. */
export async function compare(s: AppServices, actor: UserContext, orgId: string, a: string, b: string): Promise<{
  readonly a: { readonly id: string; readonly name: string }; readonly b: { readonly id: string; readonly name: string };
  readonly rows: readonly (Omit<PlanRow, 'current' | 'currentName'> & { readonly from: number; readonly fromName: string })[];
  readonly totalGap: number;
}> {
  member(actor, orgId);
  const to = await profileFor(s, orgId, b, true);
  const fromProfile = a === 'me' ? undefined : await profileFor(s, orgId, a, true);
  const uris = [...new Set([...to.competencies, ...(fromProfile?.competencies ?? [])].map((c) => c.competencyId))];
  const resolved = await resolveCompetencies(s, uris);
  const fromLevels = fromProfile
    ? new Map(fromProfile.competencies.map((c) => [c.competencyId, c.targetLevel]))
    : await currentLevels(s, actor.userId, resolved);
  const completed = a === 'me' ? await completedCourses(s, actor.userId) : new Set<string>();
  const rows = (await rowsFor(s, orgId, to, resolved, fromLevels, completed)).map(({ current, currentName, ...r }) => ({ ...r, from: current, fromName: currentName }));
  return { a: fromProfile ? { id: fromProfile.id, name: fromProfile.name } : { id: 'me', name: 'You now' }, b: { id: to.id, name: to.name }, rows, totalGap: rows.reduce((n, r) => n + r.gap, 0) };
}
