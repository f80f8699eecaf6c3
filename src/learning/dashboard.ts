/**
 * My learning (issue 18): one person's dashboard from the progress projection, the assignments of
 * their organizations, their organizations' yearly targets and the sections other areas register
 * (career plan, badges).
 */
import type { UserContext } from '../accounts/user-context';
import { dashboardSectionSources, type DashboardSection } from '../catalog/extension-points';
import { ensureCoursesIndexed, entriesByIds } from '../catalog/course-entries';
import type { AppServices } from '../deps';
import type { Assignment, CatalogEntry, ProgressRecord } from '../store/ports';
import { assignedTo } from './assignments';
import { attendedCompletion, selfReportCompletion } from './outside-courses';

export interface LearningItem {
  readonly entryId: string;
  readonly title: string;
  readonly provider: string;
  readonly kind: string;
  /** Where the person opens it (Resume, Start, Review). */
  readonly href: string;
  readonly status: 'not started' | 'in progress' | 'completed';
  readonly lastActivityAt?: string;
  readonly completedAt?: string;
  readonly ceCredits?: number;
  readonly timeSeconds?: number;
}

export interface AssignedItem extends LearningItem {
  readonly assignmentId: string;
  readonly dueAt?: string;
  readonly overdue: boolean;
  readonly required: boolean;
}

export interface Dashboard {
  readonly year: number;
  readonly inProgress: readonly LearningItem[];
  /** Not completed; overdue first, then by due date (none last). */
  readonly assigned: readonly AssignedItem[];
  readonly completed: readonly LearningItem[];
  /** Opportunities the person registered for and has not attended yet, soonest first. */
  readonly registered: readonly (LearningItem & { readonly startsAt?: string; readonly location?: string; readonly joinUrl?: string })[];
  /** Self-reported learning waiting for approval. */
  readonly pendingReports: readonly { readonly id: string; readonly title: string; readonly completedOn: string }[];
  /** This calendar year (UTC): credits of completions, hours of learning time. */
  readonly credits: { readonly earned: number; readonly target?: number };
  readonly hours: { readonly earned: number; readonly target?: number };
  /** Career plan, badges... from other areas (empty until they register). */
  readonly sections: readonly DashboardSection[];
}

function hrefOf(kind: string, id: string): string {
  return kind === 'course' ? `/courses/${encodeURIComponent(id)}` : `/opportunities/${encodeURIComponent(id)}`;
}

/** The latest course row per course (rows come newest activity first). */
function latestPerCourse(rows: readonly ProgressRecord[]): ProgressRecord[] {
  const seen = new Map<string, ProgressRecord>();
  for (const r of rows) if (!seen.has(r.courseId)) seen.set(r.courseId, r);
  return [...seen.values()];
}

const done = (r: ProgressRecord): boolean => r.completion === 'completed' || r.success === 'passed' || r.satisfied;

/** The dashboard of the signed-in person. */
export async function myLearning(s: AppServices, user: UserContext): Promise<Dashboard> {
  await ensureCoursesIndexed(s);
  const now = s.now();
  const nowIso = now.toISOString();
  const year = now.getUTCFullYear();
  const yearStart = `${year}-`;
  const rows = await s.store.progress.findProgress({ userId: user.userId, limit: 1000 });
  const perCourse = latestPerCourse(rows);
  const entries = new Map((await entriesByIds(s, perCourse.map((r) => r.courseId))).map((e) => [e.id, e]));
  const item = (e: CatalogEntry | undefined, id: string, r: ProgressRecord | undefined, fallbackTitle = id): LearningItem => {
    const status = r === undefined ? 'not started' : done(r) ? 'completed' : 'in progress';
    return {
      entryId: id,
      title: e?.title ?? fallbackTitle,
      provider: e?.provider ?? '',
      kind: e?.kind ?? 'course',
      href: hrefOf(e?.kind ?? 'course', id),
      status,
      ...(r?.lastActivityAt !== undefined ? { lastActivityAt: r.lastActivityAt } : {}),
      ...(status === 'completed' && r ? { completedAt: r.lastActivityAt ?? r.updatedAt ?? r.createdAt } : {}),
      ...(e?.ceCredits !== undefined ? { ceCredits: e.ceCredits } : {}),
      ...(r ? { timeSeconds: r.timeSeconds } : {}),
    };
  };
  const progressOf = new Map(perCourse.map((r) => [r.courseId, r]));
  const all = perCourse.map((r) => item(entries.get(r.courseId), r.courseId, r));
  const inProgress = all.filter((i) => i.status === 'in progress');
  // Opportunities: registered ones wait, attended ones are completions (ADR 0019).
  const regs = await s.store.learning.findOpportunityRegistrations({ userId: user.userId });
  const oppEntries = new Map((await entriesByIds(s, regs.map((r) => r.entryId))).map((e) => [e.id, e]));
  const registered: Dashboard['registered'][number][] = [];
  const fromOpportunities: LearningItem[] = [];
  for (const r of regs) {
    const e = oppEntries.get(r.entryId);
    if (!e) continue;
    const base = { entryId: e.id, title: e.title, provider: e.provider, kind: e.kind, href: hrefOf(e.kind, e.id), ...(e.ceCredits !== undefined ? { ceCredits: e.ceCredits } : {}) };
    if (r.state === 'registered') {
      registered.push({ ...base, status: 'not started', ...(e.startsAt ? { startsAt: e.startsAt } : {}), ...(e.location ? { location: e.location } : {}), ...(e.joinUrl ? { joinUrl: e.joinUrl } : {}) });
    } else if (r.state === 'attended') {
      const c = attendedCompletion(e, r);
      fromOpportunities.push({ ...base, status: 'completed', completedAt: c.completedAt, timeSeconds: c.timeSeconds });
    }
  }
  registered.sort((a, b) => (a.startsAt ?? '~').localeCompare(b.startsAt ?? '~'));
  const reports = await s.store.learning.findSelfReports({ userId: user.userId });
  for (const r of reports.filter((x) => x.state === 'approved')) {
    fromOpportunities.push({ entryId: `self-report/${r.id}`, title: r.title, provider: r.provider, kind: r.kind, href: '/transcript', status: 'completed', ...selfReportCompletion(r) });
  }
  const completed = [...all.filter((i) => i.status === 'completed'), ...fromOpportunities].sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? ''));

  // Assignments of the person's organizations that reach them and are not completed.
  const orgIds = [...user.roles.keys()];
  const assignments = await s.store.learning.findAssignments({ orgIds });
  const mine: Assignment[] = [];
  for (const a of assignments) if (await assignedTo(s, a, user.userId, user.roles.get(a.orgId))) mine.push(a);
  const assignedEntries = new Map((await entriesByIds(s, [...new Set(mine.map((a) => a.entryId))])).map((e) => [e.id, e]));
  const assigned: AssignedItem[] = [];
  const seen = new Set<string>();
  for (const a of mine) {
    const r = progressOf.get(a.entryId);
    if (r && done(r)) continue;
    // One line per entry: the earliest due assignment (the list is due-date ordered).
    if (seen.has(a.entryId)) continue;
    seen.add(a.entryId);
    const e = assignedEntries.get(a.entryId);
    if (!e) continue;
    assigned.push({
      ...item(e, a.entryId, r),
      assignmentId: a.id,
      ...(a.dueAt !== undefined ? { dueAt: a.dueAt } : {}),
      overdue: a.dueAt !== undefined && a.dueAt < nowIso,
      required: a.required,
    });
  }
  assigned.sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueAt ?? '~').localeCompare(b.dueAt ?? '~'));

  const thisYear = completed.filter((i) => i.completedAt?.startsWith(yearStart));
  const earnedCredits = thisYear.reduce((sum, i) => sum + (i.ceCredits ?? 0), 0);
  const seconds = rows.filter((r) => r.lastActivityAt?.startsWith(yearStart)).reduce((sum, r) => sum + r.timeSeconds, 0)
    + fromOpportunities.filter((i) => i.completedAt?.startsWith(yearStart)).reduce((sum, i) => sum + (i.timeSeconds ?? 0), 0);
  // A person in several organizations works toward the highest target set among them.
  const targets = await s.store.learning.findLearningTargets(orgIds);
  const maxOf = (xs: (number | undefined)[]): number | undefined => {
    const ns = xs.filter((x): x is number => x !== undefined);
    return ns.length ? Math.max(...ns) : undefined;
  };
  const creditTarget = maxOf(targets.map((t) => t.ceCredits));
  const hourTarget = maxOf(targets.map((t) => t.hours));

  const sections: DashboardSection[] = [];
  for (const source of dashboardSectionSources()) {
    const section = await source(s, user);
    if (section) sections.push(section);
  }
  return {
    year,
    inProgress,
    assigned,
    completed,
    registered,
    pendingReports: reports.filter((r) => r.state === 'pending').map((r) => ({ id: r.id, title: r.title, completedOn: r.completedOn })),
    credits: { earned: Math.round(earnedCredits * 100) / 100, ...(creditTarget !== undefined ? { target: creditTarget } : {}) },
    hours: { earned: Math.round((seconds / 3600) * 10) / 10, ...(hourTarget !== undefined ? { target: hourTarget } : {}) },
    sections,
  };
}
