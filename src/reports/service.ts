/**
 * Report operations behind the pages and their JSON/CSV twins: resolve the viewer's lens, build a
 * report, shape it as CSV or as chart specs. The HTTP layers (src/reports/routes.ts for the API,
 * src/web/reports/ for pages) only parse and respond.
 */
import { stringify } from 'csv-stringify/sync';
import type { UserContext } from '../accounts/user-context';
import type { Store } from '../store/ports';
import { lensChoices, resolveLens, type LensChoice, type ReportLens } from './access';
import type { ChartSpec } from './charts';
import { orgNames } from './names';
import type { CourseReport, CourseTable } from './course-report';
import type { Overview, OverviewTable, ReportRow } from './overview';

export interface ReportDeps {
  readonly store: Store;
  readonly now: () => Date;
}

/** The viewer's lens for a request (`org`, `view` query parameters) and the lenses they may switch to. */
export async function lensForRequest(deps: ReportDeps, user: UserContext, q: Record<string, unknown>): Promise<{ lens: ReportLens; choices: LensChoice[] }> {
  const orgs = await deps.store.accounts.findOrganizations();
  const str = (k: string): string | undefined => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
  const orgId = str('org');
  const view = str('view');
  const lens = resolveLens(user, orgs, { ...(orgId ? { orgId } : {}), ...(view ? { view } : {}) });
  return { lens, choices: lensChoices(user, orgs) };
}

/** The lens as the JSON twins describe it. */
export async function lensJson(deps: ReportDeps, lens: ReportLens): Promise<Record<string, unknown>> {
  const names = await orgNames(deps.store);
  return {
    view: lens.view,
    ...(lens.orgId ? { orgId: lens.orgId, orgName: names.get(lens.orgId) ?? lens.orgId } : {}),
    minGroup: lens.minGroup,
  };
}

const FIGURE_COLUMNS = ['learners', 'launches', 'completions', 'passes', 'failures', 'passRate', 'hours'] as const;

/** A table of report rows as CSV: key, label, suppressed, then the figures (empty when withheld). */
export function rowsCsv(rows: readonly ReportRow[]): string {
  const records = rows.map((r) => [r.key, r.label, r.suppressed ? 'yes' : 'no', ...FIGURE_COLUMNS.map((c) => (r.figures ? r.figures[c] ?? '' : ''))]);
  return stringify(records, { header: true, columns: ['key', 'label', 'suppressed', ...FIGURE_COLUMNS] });
}

export const OVERVIEW_TITLES: Record<OverviewTable, string> = {
  overTime: 'Over time', byOrganization: 'By organization', byCourse: 'By course', byProvider: 'By provider',
  byFormat: 'By format', topCourses: 'Top courses',
};

/** The charts of the overview (one per table that has one). */
export function overviewChart(o: Overview, name: string): ChartSpec | undefined {
  const v = (rows: readonly ReportRow[], f: (r: ReportRow) => number | null | undefined): (number | null)[] => rows.map((r) => (r.figures ? f(r) ?? null : null));
  if (name === 'overTime') {
    return {
      kind: 'line', title: `Learning ${o.query.period === 'day' ? 'per day' : `per ${o.query.period}`}`,
      categories: o.overTime.map((r) => r.key),
      series: [
        { name: 'Active learners', values: v(o.overTime, (r) => r.figures?.learners) },
        { name: 'Launches', values: v(o.overTime, (r) => r.figures?.launches) },
        { name: 'Completions', values: v(o.overTime, (r) => r.figures?.completions) },
        { name: 'Passes', values: v(o.overTime, (r) => r.figures?.passes) },
      ],
    };
  }
  if (name === 'topCourses') {
    return {
      kind: 'bar', title: 'Top courses by launches', horizontal: true, categories: o.topCourses.map((r) => r.label),
      series: [
        { name: 'Launches', values: v(o.topCourses, (r) => r.figures?.launches) },
        { name: 'Completions', values: v(o.topCourses, (r) => r.figures?.completions) },
      ],
    };
  }
  if (name === 'byOrganization') {
    const shown = o.byOrganization.filter((r) => !r.suppressed);
    return {
      kind: 'bar', title: 'Learning hours by organization', horizontal: true, categories: shown.map((r) => r.label),
      series: [{ name: 'Hours', values: v(shown, (r) => r.figures?.hours) }],
    };
  }
  return undefined;
}

/** Any table of plain records as CSV with the given columns (arrays become `a (2); b (1)`). */
export function recordsCsv(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const cell = (v: unknown): string | number => {
    if (v === undefined || v === null) return '';
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x !== null && 'response' in x ? `${String((x as { response: unknown }).response)} (${String((x as { count: unknown }).count)})` : String(x))).join('; ');
    return String(v);
  };
  return stringify(rows.map((r) => columns.map((c) => cell(r[c]))), { header: true, columns: [...columns] });
}

/** The CSV columns of each course-report table. */
export const COURSE_TABLE_COLUMNS: Record<CourseTable, readonly string[]> = {
  funnel: ['step', 'learners'],
  scores: ['label', 'count'],
  times: ['label', 'count'],
  attempts: ['label', 'count'],
  byOrganization: ['orgId', 'label', 'suppressed', 'enrolled', 'completed', 'passed', 'completionRate'],
  items: ['activityId', 'question', 'interactionType', 'suppressed', 'answers', 'learners', 'shareCorrect', 'topWrong', 'meanSeconds'],
};

/** The charts of a course report. */
export function courseChart(r: CourseReport, name: string): ChartSpec | undefined {
  const bins = (title: string, list: readonly { label: string; count: number }[], series: string): ChartSpec =>
    ({ kind: 'bar', title, categories: list.map((b) => b.label), series: [{ name: series, values: list.map((b) => b.count) }] });
  if (name === 'funnel') {
    return { kind: 'bar', title: 'From enrolment to pass', categories: r.funnel.map((f) => f.step), series: [{ name: 'Learners', values: r.funnel.map((f) => f.learners) }] };
  }
  if (name === 'scores') return bins('Scores', r.scores, 'Scored attempts');
  if (name === 'times') return bins('Time per sitting', r.times, 'Sittings');
  if (name === 'attempts') return bins('Sittings per learner', r.attempts, 'Learners');
  return undefined;
}
