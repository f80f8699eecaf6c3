/**
 * The course report (issue 16): the funnel (enrolled → launched → completed → passed), score and
 * time distributions, attempts, completion by organization, and item analysis from the answers.
 * Reads the progress projection (one row per registration), the attempts and interactions
 * projections; through a lens (access.ts).
 */
import { notFound } from '../errors';
import type { ProgressRecord, ReportScope, Store } from '../store/ports';
import { mayShowAggregate, type ReportLens } from './access';
import { courseMetasFor, orgNames } from './names';
import type { OverviewQuery } from './overview';
import { scopeOf } from './overview';

/** One bar of a distribution. */
export interface Bin { readonly label: string; readonly count: number }

export interface FunnelStep { readonly step: 'enrolled' | 'launched' | 'completed' | 'passed'; readonly learners: number }

export interface OrgCompletion {
  readonly orgId: string;
  readonly label: string;
  readonly suppressed: boolean;
  readonly enrolled?: number;
  readonly completed?: number;
  readonly passed?: number;
  readonly completionRate?: number | null;
}

export interface ItemStats {
  readonly activityId: string;
  readonly question: string;
  readonly interactionType: string;
  readonly suppressed: boolean;
  readonly answers?: number;
  readonly learners?: number;
  /** Share of judged answers that were correct; null when none was judged. */
  readonly shareCorrect?: number | null;
  /** The most chosen wrong answers, most chosen first (at most three). */
  readonly topWrong?: readonly { readonly response: string; readonly count: number }[];
  /** Mean time per answer in seconds; null when no answer said. */
  readonly meanSeconds?: number | null;
}

export interface CourseReport {
  readonly course: { readonly id: string; readonly title: string; readonly format: string };
  readonly query: Pick<OverviewQuery, 'from' | 'to' | 'learnerOrgId'>;
  /** True when the course's learners in the lens are fewer than the lens allows: nothing but this is shown. */
  readonly suppressed: boolean;
  readonly funnel: readonly FunnelStep[];
  readonly scores: readonly Bin[];
  readonly times: readonly Bin[];
  readonly attempts: readonly Bin[];
  readonly byOrganization: readonly OrgCompletion[];
  readonly items: readonly ItemStats[];
}

/** The tables of a course report, by name (CSV downloads). */
export const COURSE_TABLES = ['funnel', 'scores', 'times', 'attempts', 'byOrganization', 'items'] as const;
export type CourseTable = (typeof COURSE_TABLES)[number];

const SCORE_BINS = ['0–9 %', '10–19 %', '20–29 %', '30–39 %', '40–49 %', '50–59 %', '60–69 %', '70–79 %', '80–89 %', '90–100 %'];
const TIME_BINS: { label: string; upToMin: number }[] = [
  { label: 'under 5 min', upToMin: 5 }, { label: '5–15 min', upToMin: 15 }, { label: '15–30 min', upToMin: 30 },
  { label: '30–60 min', upToMin: 60 }, { label: '1–2 h', upToMin: 120 }, { label: 'over 2 h', upToMin: Infinity },
];
const ATTEMPT_BINS = ['1', '2', '3', '4', '5 or more'];

/**
 * The course as the lens may see it: 404 for an unknown course, and for a course the lens has no
 * business with (a provider's lens: courses of other providers; a member's lens: unpublished
 * courses of other organizations), answered as an unknown id.
 */
async function visibleCourse(store: Store, lens: ReportLens, courseId: string): Promise<{ id: string; title: string; format: string; orgId: string }> {
  const meta = (await courseMetasFor(store, [courseId])).get(courseId);
  const course = meta ? await store.courses.findCourse(courseId) : undefined;
  const unknown = notFound(`no course ${courseId}`);
  if (!meta || !course) throw unknown;
  if (lens.view === 'courses' && course.orgId !== lens.orgId) throw unknown;
  if (lens.view === 'people' && course.state !== 'published' && course.orgId !== lens.orgId) throw unknown;
  return meta;
}

function bin<T>(values: readonly T[], index: (v: T) => number, labels: readonly string[]): Bin[] {
  const counts = labels.map(() => 0);
  for (const v of values) {
    const i = Math.max(0, Math.min(labels.length - 1, index(v)));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return labels.map((label, i) => ({ label, count: counts[i] ?? 0 }));
}

function progressRows(store: Store, lens: ReportLens, courseId: string, scope: ReportScope): Promise<ProgressRecord[]> {
  // Enrolment is not a period fact: the funnel counts every registration of the lens, active in the
  // period or created in it.
  return store.progress.findProgress({ courseId, ...(scope.orgIds !== undefined ? { orgIds: scope.orgIds } : {}), limit: 1_000_000 });
}

export async function buildCourseReport(store: Store, lens: ReportLens, courseId: string, query: Pick<OverviewQuery, 'from' | 'to' | 'learnerOrgId'>): Promise<CourseReport> {
  const course = await visibleCourse(store, lens, courseId);
  const scope: ReportScope = { ...scopeOf(lens, query), courseIds: [courseId] };
  const inPeriod = (r: ProgressRecord): boolean => {
    const day = (r.lastActivityAt ?? r.createdAt).slice(0, 10);
    return day >= (query.from ?? '') && day <= (query.to ?? '9999');
  };
  const [progress, attemptRows, answers, names] = await Promise.all([
    progressRows(store, lens, courseId, scope), store.reports.findAttempts(scope), store.reports.findItemStats(scope), orgNames(store),
  ]);
  const regs = progress.filter(inPeriod);
  const own = (orgId: string | undefined): boolean => orgId !== undefined && lens.personOrgIds?.includes(orgId) === true;
  const learners = new Set(regs.map((r) => r.userId));
  const base = { course: { id: course.id, title: course.title, format: course.format }, query };
  if (learners.size > 0 && !mayShowAggregate(lens, learners.size, regs.every((r) => own(r.orgId)))) {
    return { ...base, suppressed: true, funnel: [], scores: [], times: [], attempts: [], byOrganization: [], items: [] };
  }

  const distinct = (f: (r: ProgressRecord) => boolean): number => new Set(regs.filter(f).map((r) => r.userId)).size;
  const funnel: FunnelStep[] = [
    { step: 'enrolled', learners: learners.size },
    { step: 'launched', learners: distinct((r) => r.attempts > 0 || r.statements > 0) },
    { step: 'completed', learners: distinct((r) => r.completion === 'completed') },
    { step: 'passed', learners: distinct((r) => r.success === 'passed') },
  ];
  const scored = attemptRows.filter((a) => a.scoreScaled !== undefined);
  const timed = attemptRows.filter((a) => a.durationMs !== undefined && a.verb !== 'passed' && a.verb !== 'failed' && a.verb !== 'completed');
  const scores = bin(scored, (a) => Math.floor((a.scoreScaled ?? 0) * 10), SCORE_BINS);
  const times = bin(timed, (a) => TIME_BINS.findIndex((b) => (a.durationMs ?? 0) / 60_000 < b.upToMin), TIME_BINS.map((b) => b.label));
  const attempts = bin(regs.filter((r) => r.attempts > 0), (r) => Math.min(r.attempts, 5) - 1, ATTEMPT_BINS);

  const byOrg = new Map<string, ProgressRecord[]>();
  for (const r of regs) {
    const list = byOrg.get(r.orgId ?? '');
    if (list) list.push(r);
    else byOrg.set(r.orgId ?? '', [r]);
  }
  const byOrganization: OrgCompletion[] = [...byOrg.entries()].map(([orgId, rows]) => {
    const label = orgId === '' ? 'No organization' : names.get(orgId) ?? orgId;
    const people = new Set(rows.map((r) => r.userId)).size;
    if (!mayShowAggregate(lens, people, own(orgId))) return { orgId, label, suppressed: true };
    const completed = new Set(rows.filter((r) => r.completion === 'completed').map((r) => r.userId)).size;
    const passed = new Set(rows.filter((r) => r.success === 'passed').map((r) => r.userId)).size;
    return { orgId, label, suppressed: false, enrolled: people, completed, passed, completionRate: people > 0 ? Math.round((completed / people) * 1000) / 1000 : null };
  }).sort((a, b) => a.label.localeCompare(b.label));

  const items: ItemStats[] = answers.map((a) => {
    const head = { activityId: a.activityId, question: a.name || a.activityId, interactionType: a.interactionType };
    if (!mayShowAggregate(lens, a.learners, a.orgIds.every((o) => own(o)))) return { ...head, suppressed: true };
    return {
      ...head, suppressed: false, answers: a.answers, learners: a.learners,
      shareCorrect: a.judged > 0 ? Math.round((a.correct / a.judged) * 1000) / 1000 : null,
      topWrong: a.wrong.map((w): [string, number] => [w.response, w.count]).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, 3)
        .map(([response, count]) => ({ response, count })),
      meanSeconds: a.timed > 0 ? Math.round(a.timeMs / a.timed / 100) / 10 : null,
    };
  }).sort((a, b) => a.question.localeCompare(b.question));

  return { ...base, suppressed: false, funnel, scores, times, attempts, byOrganization, items };
}
