/**
 * The overview report (issue 16): active learners, launches, completions, pass rate and learning
 * hours over time, by organization, course, provider and format, and the top courses. Reads only
 * the learning-day projection, through a lens (access.ts).
 */
import { badRequest, notFound } from '../errors';
import type { LearningGroup, LearningTotals, ReportScope, Store } from '../store/ports';
import { mayShowAggregate, type ReportLens } from './access';
import { courseMetasFor, orgNames } from './names';
import { learningTotalsByGroups } from './totals-cache';

export type Period = 'day' | 'week' | 'month';

/** The report's filters, as parsed from the query string. */
export interface OverviewQuery {
  readonly from: string;
  readonly to: string;
  readonly period: Period;
  /** Only learners of this organization (within the lens). */
  readonly learnerOrgId?: string;
}

/** The figures of one row. Absent when the row is withheld (a group under the minimum). */
export interface Figures {
  readonly learners: number;
  readonly launches: number;
  readonly completions: number;
  readonly passes: number;
  readonly failures: number;
  /** passes / (passes + failures), null when nobody was judged. */
  readonly passRate: number | null;
  readonly hours: number;
}

export interface ReportRow {
  readonly key: string;
  readonly label: string;
  /** True when the group is smaller than the lens allows: no figures are given. */
  readonly suppressed: boolean;
  readonly figures?: Figures;
}

export interface Overview {
  readonly query: OverviewQuery;
  readonly totals: ReportRow;
  readonly overTime: readonly ReportRow[];
  readonly byOrganization: readonly ReportRow[];
  readonly byCourse: readonly ReportRow[];
  readonly byProvider: readonly ReportRow[];
  readonly byFormat: readonly ReportRow[];
  /** The ten courses with most launches (shown rows only). */
  readonly topCourses: readonly ReportRow[];
}

/** The tables of the overview, by name (CSV downloads use these names). */
export const OVERVIEW_TABLES = ['overTime', 'byOrganization', 'byCourse', 'byProvider', 'byFormat', 'topCourses'] as const;
export type OverviewTable = (typeof OVERVIEW_TABLES)[number];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Parses and checks the filters; defaults: the 30 days up to today, by day. */
export function parseOverviewQuery(q: Record<string, unknown>, now: Date): OverviewQuery {
  const str = (k: string): string | undefined => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
  const to = str('to') ?? now.toISOString().slice(0, 10);
  const from = str('from') ?? new Date(Date.parse(`${to}T00:00:00.000Z`) - 29 * 86400000).toISOString().slice(0, 10);
  for (const [k, v] of [['from', from], ['to', to]] as const) {
    if (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00.000Z`))) throw badRequest(`${k} must be a date YYYY-MM-DD`);
  }
  if (from > to) throw badRequest('from must not be after to');
  const period = str('period') ?? 'day';
  if (period !== 'day' && period !== 'week' && period !== 'month') throw badRequest('period must be day, week or month');
  const learnerOrgId = str('learnerOrg');
  return { from, to, period, ...(learnerOrgId ? { learnerOrgId } : {}) };
}

/** The lens's scope with the query's period and learner organization; 404 for an organization outside the lens. */
export function scopeOf(lens: ReportLens, q: Pick<OverviewQuery, 'from' | 'to' | 'learnerOrgId'>): ReportScope {
  const scope: ReportScope = { ...lens.scope, from: q.from, to: q.to };
  if (q.learnerOrgId === undefined) return scope;
  if (lens.scope.orgIds !== undefined && !lens.scope.orgIds.includes(q.learnerOrgId)) throw notFound(`no organization ${q.learnerOrgId}`);
  return { ...scope, orgIds: [q.learnerOrgId] };
}

export function figuresOf(t: LearningTotals): Figures {
  const judged = t.passes + t.failures;
  return {
    learners: t.learners, launches: t.launches, completions: t.completions, passes: t.passes, failures: t.failures,
    passRate: judged > 0 ? Math.round((t.passes / judged) * 1000) / 1000 : null,
    hours: Math.round((t.timeMs / 3_600_000) * 10) / 10,
  };
}

/** A row through the lens: figures, or withheld when the group is too small. */
export function rowOf(lens: ReportLens, key: string, label: string, t: LearningTotals | undefined, onlyOwnPeople = false): ReportRow {
  const empty: LearningTotals = { key, learners: 0, launches: 0, completions: 0, passes: 0, failures: 0, timeMs: 0, statements: 0 };
  const totals = t ?? empty;
  if (totals.learners > 0 && !mayShowAggregate(lens, totals.learners, onlyOwnPeople)) return { key, label, suppressed: true };
  return { key, label, suppressed: false, figures: figuresOf(totals) };
}

/** Every period key from `from` to `to` (so a chart shows quiet days as zero, not as a gap). */
export function periodKeys(from: string, to: string, period: Period): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00.000Z`);
  let t = Date.parse(`${from}T00:00:00.000Z`);
  if (period === 'week') t -= ((new Date(t).getUTCDay() + 6) % 7) * 86400000;
  if (period === 'month') t = Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth(), 1);
  while (t <= end && out.length < 5000) {
    const d = new Date(t);
    out.push(period === 'month' ? d.toISOString().slice(0, 7) : d.toISOString().slice(0, 10));
    if (period === 'day') t += 86400000;
    else if (period === 'week') t += 7 * 86400000;
    else t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return out;
}

function byKey(rows: readonly LearningTotals[]): Map<string, LearningTotals> {
  return new Map(rows.map((r) => [r.key, r]));
}

/**
 * Sums course totals into groups (formats). Learners become the largest course's count, a lower
 * bound of the distinct learners, so a withheld small group is never shown as a larger one.
 */
function regroup(rows: readonly LearningTotals[], groupOf: (key: string) => string): LearningTotals[] {
  const out = new Map<string, { -readonly [K in keyof LearningTotals]: LearningTotals[K] }>();
  for (const r of rows) {
    const key = groupOf(r.key);
    const t = out.get(key) ?? { key, learners: 0, launches: 0, completions: 0, passes: 0, failures: 0, timeMs: 0, statements: 0 };
    t.learners = Math.max(t.learners, r.learners); t.launches += r.launches; t.completions += r.completions; t.passes += r.passes;
    t.failures += r.failures; t.timeMs += r.timeMs; t.statements += r.statements;
    out.set(key, t);
  }
  return [...out.values()];
}

/** Builds the overview through the lens. */
export async function buildOverview(store: Store, lens: ReportLens, query: OverviewQuery): Promise<Overview> {
  const scope = scopeOf(lens, query);
  // One read of the rows in scope for the five groupings (cached while the rows are unchanged).
  const [none = [], time = [], orgs = [], courses = [], providers = []] = await learningTotalsByGroups(
    store, scope, ['none', query.period as LearningGroup, 'org', 'course', 'provider'],
  );
  const [metas, names] = await Promise.all([courseMetasFor(store, courses.map((c) => c.key)), orgNames(store)]);
  const own = (orgId: string): boolean => lens.personOrgIds?.includes(orgId) === true;

  const timeRows = byKey(time);
  const courseRows = courses.map((c) => rowOf(lens, c.key, metas.get(c.key)?.title ?? c.key, c));
  const formatTotals = regroup(courses, (id) => metas.get(id)?.format || 'unknown');
  const byLaunches = (a: ReportRow, b: ReportRow): number => (b.figures?.launches ?? 0) - (a.figures?.launches ?? 0) || a.label.localeCompare(b.label);
  return {
    query,
    totals: rowOf(lens, '', 'All', none[0]),
    overTime: periodKeys(query.from, query.to, query.period).map((k) => rowOf(lens, k, k, timeRows.get(k))),
    byOrganization: orgs.map((o) => rowOf(lens, o.key, o.key === '' ? 'No organization' : names.get(o.key) ?? o.key, o, own(o.key))),
    byCourse: [...courseRows].sort((a, b) => a.label.localeCompare(b.label)),
    byProvider: providers.map((p) => rowOf(lens, p.key, names.get(p.key) ?? p.key, p)),
    byFormat: formatTotals.map((f) => rowOf(lens, f.key, f.key, f)),
    topCourses: courseRows.filter((r) => !r.suppressed).sort(byLaunches).slice(0, 10),
  };
}
