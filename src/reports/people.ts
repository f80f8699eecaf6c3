/**
 * The people report (issue 16): an organization's staff table and one person's transcript, read
 * from the progress projection, the organization's assignments and its units (never statements).
 *
 * Who sees whom (docs/security.md, "People report"):
 * - an analyst or administrator of organization X (and the site administrator): every person of X;
 * - a manager in X: the people of the units they manage and the units below;
 * - anyone else with a role in X: 403; no role in X (or no such organization): 404.
 * A person outside the viewer's reach is 404, the same answer as an unknown id. A provider's
 * analyst reaches only their own organization's people: other organizations' people never
 * appear one by one. Emails are shown to the organization's administrators (who manage the
 * accounts) and otherwise only of people who chose to share theirs.
 */
import { roleError } from '../accounts/access';
import type { UserContext } from '../accounts/user-context';
import { entriesByIds } from '../catalog/course-entries';
import { unitPath, unitsBelow } from '../careers/scope';
import { bestPerCourse, isDone, progressOf } from '../careers/team-progress';
import { assignmentAudience } from '../catalog/extension-points';
import type { AppServices } from '../deps';
import { badRequest, forbidden, notFound } from '../errors';
import { outsideCompletionsOf } from '../learning/outside-courses';
import { verifyUrl, type Transcript } from '../learning/transcript';
import type { Membership, OrgUnit, ProgressBrief, ProgressRecord, Role } from '../store/ports';

/** What the viewer may see of one organization's people. */
export interface PeopleAccess {
  readonly orgId: string;
  readonly orgName: string;
  readonly units: readonly OrgUnit[];
  /** Every person of the organization (analysts, administrators); else only `unitIds`' members. */
  readonly all: boolean;
  readonly unitIds: ReadonlySet<string>;
  /** Emails of everyone (administrators); otherwise only of people who share theirs. */
  readonly allEmails: boolean;
}

const ROLES_WITH_ACCESS: Role[] = ['analyst', 'orgAdmin', 'manager'];

/**
 * The viewer's reach in `orgId` (or, without one, the first organization where they may look).
 * 404 for an organization they have no role in, 403 for one where no role of theirs gives access.
 */
export async function peopleAccess(s: Pick<AppServices, 'store'>, user: UserContext, orgId: string | undefined): Promise<PeopleAccess> {
  const orgs = await s.store.accounts.findOrganizations();
  let id = orgId;
  if (id === undefined || id === '') {
    const first = user.isSiteAdmin ? orgs[0] : orgs.find((o) => ROLES_WITH_ACCESS.some((r) => user.roles.get(o.id)?.has(r)));
    if (!first) throw forbidden('the people report needs the analyst, administrator or manager role in an organization');
    id = first.id;
  }
  const err = roleError(user, id, ROLES_WITH_ACCESS);
  if (err) throw err;
  const org = orgs.find((o) => o.id === id);
  if (!org) throw notFound(`no organization ${id}`);
  const units = await s.store.careers.findUnits(id);
  const mine = user.roles.get(id);
  const admin = user.isSiteAdmin || (mine?.has('orgAdmin') ?? false);
  if (admin || (mine?.has('analyst') ?? false)) return { orgId: id, orgName: org.name, units, all: true, unitIds: new Set(units.map((u) => u.id)), allEmails: admin };
  const managed = await s.store.careers.findUnitPeople({ orgId: id, userId: user.userId, kind: 'manager' });
  return { orgId: id, orgName: org.name, units, all: false, unitIds: unitsBelow(units, managed.map((m) => m.unitId)), allEmails: false };
}

/** The status filter of the staff table. */
export const PEOPLE_STATUSES = ['any', 'overdue', 'none-completed', 'in-progress', 'completed'] as const;
export type PeopleStatus = (typeof PEOPLE_STATUSES)[number];

export interface PeopleQuery {
  readonly unitId?: string;
  readonly role?: Role;
  readonly status: PeopleStatus;
  readonly page: number;
  readonly pageSize: number;
}

const ROLE_NAMES: readonly Role[] = ['learner', 'author', 'analyst', 'orgAdmin', 'manager'];

/** Parses `unit`, `role`, `status`, `overdue=yes` (same as status=overdue), `page`, `pageSize`; 400 on nonsense. */
export function parsePeopleQuery(q: Record<string, unknown>): PeopleQuery {
  const str = (k: string): string | undefined => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
  const role = parseRoleFilter(q);
  let status = str('status') ?? 'any';
  if (!(PEOPLE_STATUSES as readonly string[]).includes(status)) throw badRequest(`status must be one of ${PEOPLE_STATUSES.join(', ')}`);
  const overdue = str('overdue');
  if (overdue !== undefined && overdue !== 'yes' && overdue !== 'no') throw badRequest('overdue must be yes or no');
  if (overdue === 'yes') status = 'overdue';
  const unitId = str('unit');
  return { ...(unitId ? { unitId } : {}), ...(role ? { role } : {}), status: status as PeopleStatus, ...parsePaging(q) };
}

/** One row of the staff table. */
export interface PersonRow {
  readonly userId: string;
  readonly name: string;
  /** '' when the viewer may not see it. */
  readonly email: string;
  readonly units: readonly string[];
  readonly roles: readonly Role[];
  /** Role profiles the person holds in the organization (their job roles). */
  readonly jobRoles: readonly string[];
  readonly inProgress: number;
  readonly completed: number;
  readonly overdue: number;
  /**
   * Learning hours this calendar year (UTC): courses of this organization's registrations, plus
   * opportunities attended and self-reports approved in this organization (src/learning/outside-courses.ts).
   */
  readonly hours: number;
  /** CE credits of completions this calendar year (the same three sources). */
  readonly ceCredits: number;
}

export interface PeopleTable {
  readonly orgId: string;
  readonly orgName: string;
  readonly year: number;
  readonly query: PeopleQuery;
  readonly total: number;
  readonly rows: readonly PersonRow[];
  readonly units: readonly { readonly id: string; readonly path: string }[];
}

const round = (n: number, places: number): number => Math.round(n * 10 ** places) / 10 ** places;
const completedAt = (r: Pick<ProgressRecord, 'lastActivityAt' | 'updatedAt' | 'createdAt'>): string => r.lastActivityAt ?? r.updatedAt ?? r.createdAt;

/** The people of the organization within the viewer's reach (and `unitId` and below), with their memberships. */
async function peopleInReach(s: Pick<AppServices, 'store'>, a: PeopleAccess, unitId?: string): Promise<{ ids: string[]; unitsOf: Map<string, string[]>; memberships: Map<string, Membership[]> }> {
  if (unitId !== undefined && !a.unitIds.has(unitId)) throw notFound(`no unit ${unitId} in organization ${a.orgId}`);
  const unitRows = await s.store.careers.findUnitPeople({ orgId: a.orgId, kind: 'member' });
  const unitsOf = new Map<string, string[]>();
  for (const r of unitRows) unitsOf.set(r.userId, [...(unitsOf.get(r.userId) ?? []), r.unitId]);
  const memberships = new Map<string, Membership[]>();
  for (const m of await s.store.accounts.findMemberships({ orgId: a.orgId })) memberships.set(m.userId, [...(memberships.get(m.userId) ?? []), m]);
  const wanted = unitId !== undefined ? unitsBelow(a.units, [unitId]) : a.all ? undefined : a.unitIds;
  const ids = [...memberships.keys()].filter((id) => wanted === undefined || (unitsOf.get(id) ?? []).some((u) => wanted.has(u)));
  return { ids, unitsOf, memberships };
}

/** The units in the viewer's reach, by path (for a unit filter). */
export function unitsInReach(a: PeopleAccess): { id: string; path: string }[] {
  return [...a.unitIds].map((id) => ({ id, path: unitPath(a.units, id) })).sort((x, y) => x.path.localeCompare(y.path));
}

/**
 * Ids of the people in the viewer's reach (and in `unitId` and below; 404 for a unit outside it;
 * holding `role` in the organization when given), and the units in reach.
 */
export async function peopleInReachIds(s: Pick<AppServices, 'store'>, a: PeopleAccess, unitId?: string, role?: Role): Promise<{ ids: string[]; units: { id: string; path: string }[] }> {
  const { ids, memberships } = await peopleInReach(s, a, unitId);
  return { ids: role === undefined ? ids : ids.filter((id) => (memberships.get(id) ?? []).some((m) => m.role === role)), units: unitsInReach(a) };
}

/** Parses the `role` filter the staff table and the competencies report share; 400 on nonsense. */
export function parseRoleFilter(q: Record<string, unknown>): Role | undefined {
  const role = typeof q['role'] === 'string' && q['role'] !== '' ? q['role'] : undefined;
  if (role !== undefined && !(ROLE_NAMES as readonly string[]).includes(role)) throw badRequest(`role must be one of ${ROLE_NAMES.join(', ')}`);
  return role as Role | undefined;
}

/** Parses `page` (default 1) and `pageSize` (default 50, at most 500), shared by the staff table and the competencies report; 400 on nonsense. */
export function parsePaging(q: Record<string, unknown>): { page: number; pageSize: number } {
  const int = (k: string, dflt: number, max: number): number => {
    const v = typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined;
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) throw badRequest(`${k} must be a whole number from 1 to ${max}`);
    return n;
  };
  return { page: int('page', 1, 100_000), pageSize: int('pageSize', 50, 500) };
}

/** From this many people on, the staff table reads the organization's progress rows at once, not the people's. */
const ONE_READ_FROM = 500;

/**
 * Per person, the number of distinct courses with an overdue assignment reaching them that their
 * best registration has not finished. Set-based: each assignment's audience is worked out once
 * (a unit's members in one read), not once per person (bench/people-report).
 */
async function overdueCounts(
  s: AppServices, orgId: string, nowIso: string, people: readonly { id: string; roles: ReadonlySet<Role> }[], courses: ReadonlyMap<string, ReadonlyMap<string, Pick<ProgressRecord, 'completion' | 'satisfied'>>>,
): Promise<Map<string, number>> {
  const assignments = (await s.store.learning.findAssignments({ orgIds: [orgId] })).filter((x) => x.dueAt !== undefined && x.dueAt < nowIso);
  const reaches: ((userId: string, roles: ReadonlySet<Role>) => boolean)[] = [];
  for (const x of assignments) {
    const t = x.target;
    if (t.kind === 'person') reaches.push((userId) => userId === t.userId);
    else if (t.kind === 'role') reaches.push((_userId, roles) => roles.has(t.role));
    else {
      const members = new Set((await assignmentAudience('unit')?.list(s, x.orgId, t)) ?? []);
      reaches.push((userId) => members.has(userId));
    }
  }
  const out = new Map<string, number>();
  for (const p of people) {
    const mine = courses.get(p.id);
    const entries = new Set<string>();
    assignments.forEach((x, i) => {
      if (entries.has(x.entryId)) return;
      const r = mine?.get(x.entryId);
      if (r && isDone(r)) return;
      if (reaches[i]?.(p.id, p.roles)) entries.add(x.entryId);
    });
    out.set(p.id, entries.size);
  }
  return out;
}

/** The staff table: every person in reach, filtered, sorted by name, one page of it. */
export async function buildPeopleTable(s: AppServices, a: PeopleAccess, q: PeopleQuery, opts: { readonly allPages?: boolean } = {}): Promise<PeopleTable> {
  const now = s.now();
  const nowIso = now.toISOString();
  const year = now.getUTCFullYear();
  const { ids, unitsOf, memberships } = await peopleInReach(s, a, q.unitId);
  const users = (await s.store.accounts.findUsers(ids)).filter((u) => u.disabledAt === undefined);
  const rolesOf = new Map(users.map((u) => [u.id, [...new Set((memberships.get(u.id) ?? []).map((m) => m.role))].sort()]));
  const listed = q.role === undefined ? users : users.filter((u) => rolesOf.get(u.id)?.includes(q.role as Role));
  // One read of brief rows: the organization's for a large table, else the listed people's.
  const wanted = new Set(listed.map((u) => u.id));
  const briefs = await s.store.progress.findProgressBriefs({ orgId: a.orgId, ...(wanted.size > ONE_READ_FROM ? {} : { userIds: [...wanted] }) });
  const rowsOf = new Map<string, ProgressBrief[]>();
  for (const r of briefs) {
    if (!wanted.has(r.userId)) continue;
    const list = rowsOf.get(r.userId);
    if (list) list.push(r);
    else rowsOf.set(r.userId, [r]);
  }
  // In findProgress's order (latest activity first, then registration), so ties pick the same row.
  const order = (x: ProgressBrief, y: ProgressBrief): number => (x.lastActivityAt === undefined ? 1 : 0) - (y.lastActivityAt === undefined ? 1 : 0)
    || (y.lastActivityAt ?? '').localeCompare(x.lastActivityAt ?? '') || (x.registration < y.registration ? -1 : x.registration > y.registration ? 1 : 0);
  const progress = new Map(listed.map((u) => [u.id, bestPerCourse((rowsOf.get(u.id) ?? []).sort(order))]));
  const courseIds = new Set([...progress.values()].flatMap((m) => [...m.keys()]));
  const credits = new Map((await entriesByIds(s, [...courseIds])).map((e) => [e.id, e.ceCredits ?? 0]));
  const overdue = await overdueCounts(s, a.orgId, nowIso, listed.map((u) => ({ id: u.id, roles: new Set(rolesOf.get(u.id)) })), progress);
  const profiles = new Map((await s.store.careers.findRoleProfiles({ orgId: a.orgId })).map((p) => [p.id, p.name]));
  const held = new Map<string, string[]>();
  for (const r of await s.store.careers.findPersonRoleProfiles({ orgId: a.orgId })) {
    const name = profiles.get(r.profileId);
    if (name) held.set(r.userId, [...(held.get(r.userId) ?? []), name]);
  }
  const paths = new Map<string, string>();
  const pathOf = (id: string): string => {
    let p = paths.get(id);
    if (p === undefined) paths.set(id, (p = unitPath(a.units, id)));
    return p;
  };
  const thisYear = (iso: string | undefined): boolean => (iso ?? '').startsWith(`${year}-`);
  // Attended opportunities and approved self-reports count as the learner's own dashboard counts them.
  const outside = await outsideCompletionsOf(s, a.orgId, listed.map((u) => u.id));
  const rows: PersonRow[] = listed.map((u) => {
    const list = [...(progress.get(u.id)?.values() ?? [])];
    const done = list.filter(isDone);
    const extra = (outside.get(u.id) ?? []).filter((c) => thisYear(c.completedAt));
    return {
      userId: u.id, name: u.name, email: a.allEmails || u.shareEmail ? u.email : '',
      units: (unitsOf.get(u.id) ?? []).map(pathOf).sort(), roles: rolesOf.get(u.id) ?? [], jobRoles: (held.get(u.id) ?? []).sort(),
      inProgress: list.length - done.length, completed: done.length, overdue: overdue.get(u.id) ?? 0,
      hours: round((list.filter((r) => thisYear(r.lastActivityAt)).reduce((n, r) => n + r.timeSeconds, 0) + extra.reduce((n, c) => n + c.timeSeconds, 0)) / 3600, 1),
      ceCredits: round(done.filter((r) => thisYear(completedAt(r))).reduce((n, r) => n + (credits.get(r.courseId) ?? 0), 0) + extra.reduce((n, c) => n + (c.ceCredits ?? 0), 0), 2),
    };
  });
  const kept = rows.filter((r) => q.status === 'any'
    || (q.status === 'overdue' && r.overdue > 0)
    || (q.status === 'none-completed' && r.completed === 0)
    || (q.status === 'in-progress' && r.inProgress > 0)
    || (q.status === 'completed' && r.completed > 0));
  kept.sort((x, y) => x.name.localeCompare(y.name) || x.userId.localeCompare(y.userId));
  const start = (q.page - 1) * q.pageSize;
  return {
    orgId: a.orgId, orgName: a.orgName, year, query: q, total: kept.length,
    rows: opts.allPages ? kept : kept.slice(start, start + q.pageSize),
    units: unitsInReach(a),
  };
}

/** One course of a person's transcript. */
export interface TranscriptCourse {
  readonly courseId: string;
  readonly title: string;
  readonly provider: string;
  readonly status: 'in progress' | 'completed';
  readonly success: ProgressRecord['success'];
  /** Scaled score 0..1 of the latest scored outcome. */
  readonly score?: number;
  readonly hours: number;
  readonly ceCredits: number;
  readonly startedAt: string;
  readonly lastActivityAt?: string;
  readonly completedAt?: string;
}

export interface PersonTranscript {
  readonly orgId: string;
  readonly orgName: string;
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly units: readonly string[];
  readonly generatedAt: string;
  readonly courses: readonly TranscriptCourse[];
  readonly badges: readonly { readonly name: string; readonly issuedAt: string }[];
  readonly totals: { readonly completed: number; readonly hours: number; readonly ceCredits: number };
}

/** One person's transcript in the organization; 404 when the person is outside the viewer's reach (or unknown). */
export async function buildPersonTranscript(s: AppServices, a: PeopleAccess, userId: string): Promise<PersonTranscript> {
  const { ids, unitsOf } = await peopleInReach(s, a);
  const user = ids.includes(userId) ? (await s.store.accounts.findUsers([userId]))[0] : undefined;
  if (!user) throw notFound(`no person ${userId} in your reach in organization ${a.orgId}`);
  const best = (await progressOf(s, a.orgId, [userId])).get(userId) ?? new Map<string, ProgressRecord>();
  const entries = new Map((await entriesByIds(s, [...best.keys()])).map((e) => [e.id, e]));
  const courses: TranscriptCourse[] = [...best.values()].map((r): TranscriptCourse => {
    const e = entries.get(r.courseId);
    const done = isDone(r);
    return {
      courseId: r.courseId, title: e?.title ?? r.courseId, provider: e?.provider ?? '', status: done ? 'completed' : 'in progress', success: r.success,
      ...(r.scoreScaled !== undefined ? { score: r.scoreScaled } : {}),
      hours: round(r.timeSeconds / 3600, 1), ceCredits: done ? e?.ceCredits ?? 0 : 0, startedAt: r.createdAt,
      ...(r.lastActivityAt !== undefined ? { lastActivityAt: r.lastActivityAt } : {}),
      ...(done ? { completedAt: completedAt(r) } : {}),
    };
  }).sort((x, y) => (y.completedAt ?? y.lastActivityAt ?? '').localeCompare(x.completedAt ?? x.lastActivityAt ?? ''));
  // Badges this organization issued, and badges of courses the person took here.
  const creds = (await s.store.competency.findCredentials({ userId })).filter((c) => c.revokedAt === undefined);
  const badges: { name: string; issuedAt: string }[] = [];
  for (const c of creds) {
    const b = await s.store.competency.findBadge(c.badgeId);
    if (b && (c.orgId === a.orgId || (b.courseId !== undefined && best.has(b.courseId)))) badges.push({ name: b.name, issuedAt: c.issuedAt });
  }
  const done = courses.filter((c) => c.status === 'completed');
  return {
    orgId: a.orgId, orgName: a.orgName, userId, name: user.name, email: a.allEmails || user.shareEmail ? user.email : '',
    units: (unitsOf.get(userId) ?? []).map((id) => unitPath(a.units, id)).sort(), generatedAt: s.now().toISOString(), courses, badges,
    totals: { completed: done.length, hours: round(courses.reduce((n, c) => n + c.hours, 0), 1), ceCredits: round(done.reduce((n, c) => n + c.ceCredits, 0), 2) },
  };
}

/** The transcript in the learner transcript's shape, so its PDF is drawn by the same code (src/learning/transcript.ts). */
export function asLearnerTranscript(s: AppServices, t: PersonTranscript): Transcript {
  return {
    name: t.name, email: t.email, generatedAt: t.generatedAt,
    rows: t.courses.map((c) => ({
      entryId: c.courseId, title: c.title, provider: c.provider, kind: 'course', completedAt: c.completedAt ?? '', ceCredits: c.ceCredits, hours: c.hours,
      status: c.status, ...(c.score !== undefined ? { score: c.score } : {}),
      verifyUrl: c.completedAt ? verifyUrl(s, { userId: t.userId, name: t.name, entryId: c.courseId, title: c.title, provider: c.provider, completedAt: c.completedAt }) : '',
    })),
    totals: { ceCredits: t.totals.ceCredits, hours: t.totals.hours },
    badges: t.badges,
    subtitle: `${t.orgName}${t.units.length > 0 ? ` · ${t.units.join(', ')}` : ''}`,
  };
}
