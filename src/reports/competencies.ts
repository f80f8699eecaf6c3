/**
 * The competencies report (issue 16): how many of an organization's people have attained each
 * competency, month by month. Read from the competency area's projections — evidence rows (kept
 * by its pipeline subscriber) and confirmed self-assessments — never from statements.
 *
 * A person attains a competency in the month of their first evidence for it (any level) or of
 * the confirmation of their self-assessment, whichever is first; "people" at a month's end counts
 * everyone who attained it by then (expiry is not subtracted: this is attainment over time, the
 * heat map shows what is current). Access and reach are the people report's (peopleAccess): a
 * manager counts only their units' people. Besides the aggregates, the report lists per person and
 * competency the highest level attained, when and from what (`people`): everyone this report
 * answers may see the names of the people in their reach (analysts and administrators of the
 * organization, a manager for their units and below, the site administrator), as in the staff
 * table. A provider's view across organizations (provider-attainment.ts) holds no names.
 */
import { entriesByIds } from '../catalog/course-entries';
import type { AppServices } from '../deps';
import { badRequest } from '../errors';
import type { Role } from '../store/ports';
import type { ChartSpec } from './charts';
import { parsePaging, parseRoleFilter, peopleInReachIds, type PeopleAccess } from './people';

export interface CompetencyQuery {
  readonly unitId?: string;
  /** Only people holding this role in the organization (the staff table's role filter). */
  readonly role?: Role;
  readonly frameworkId?: string;
  /** First and last month shown, YYYY-MM. */
  readonly from: string;
  readonly to: string;
  /** The page of per-person rows (1-based) and its size. */
  readonly page: number;
  readonly pageSize: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= to) return out;
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
}

/** Parses `unit`, `role`, `framework`, `from`, `to` (YYYY-MM; default the twelve months up to now), `page`, `pageSize`; 400 on nonsense. */
export function parseCompetencyQuery(q: Record<string, unknown>, now: Date): CompetencyQuery {
  const str = (k: string): string | undefined => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
  const to = str('to') ?? now.toISOString().slice(0, 7);
  const back = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  const from = str('from') ?? back.toISOString().slice(0, 7);
  if (!MONTH.test(from) || !MONTH.test(to)) throw badRequest('from and to must be months, YYYY-MM');
  if (from > to) throw badRequest('from must not be after to');
  if (monthsBetween(from, to).length > 60) throw badRequest('at most 60 months at once');
  const unitId = str('unit');
  const frameworkId = str('framework');
  const role = parseRoleFilter(q);
  return { ...(unitId ? { unitId } : {}), ...(role ? { role } : {}), ...(frameworkId ? { frameworkId } : {}), from, to, ...parsePaging(q) };
}

/** One person's attainment of one competency: the highest level reached by the end of the period. */
export interface PersonAttainment {
  readonly userId: string;
  readonly name: string;
  readonly frameworkId: string;
  readonly framework: string;
  readonly identifier: string;
  readonly competency: string;
  readonly code?: string;
  readonly level: number;
  readonly levelName: string;
  /** When the person first reached that level. */
  readonly at: string;
  /** What showed it: evidence from a statement (a course's, or another activity's) or a confirmed self-assessment. */
  readonly source: 'evidence' | 'self-assessment';
  readonly sourceCourseId?: string;
  readonly sourceActivityId?: string;
  /** The course's title, or the activity id; 'Confirmed self-assessment'. */
  readonly sourceLabel: string;
}

export interface CompetencyRow {
  readonly frameworkId: string;
  readonly framework: string;
  readonly identifier: string;
  readonly uri: string;
  readonly name: string;
  readonly code?: string;
  /** Per month of the query: people who first attained it that month, and everyone who had by its end. */
  readonly months: readonly { readonly month: string; readonly attained: number; readonly people: number }[];
  /** People who had attained it by the end of the last month, by the highest level they reached. */
  readonly byLevel: readonly { readonly level: number; readonly name: string; readonly people: number }[];
}

export interface CompetencyReport {
  readonly orgId: string;
  readonly orgName: string;
  readonly query: CompetencyQuery;
  readonly months: readonly string[];
  /** People in reach (the denominator of a share). */
  readonly peopleInReach: number;
  readonly competencies: readonly CompetencyRow[];
  /** Per person and competency, sorted by name then competency; one page of them (every row with allPages). */
  readonly people: { readonly total: number; readonly rows: readonly PersonAttainment[] };
  readonly frameworks: readonly { readonly id: string; readonly title: string }[];
  readonly units: readonly { readonly id: string; readonly path: string }[];
}

/** Per person and competency while reading: first time, highest level, and when and from what that level came first. */
interface AttainmentMark {
  at: string;
  level: number;
  levelAt: string;
  source: { kind: 'evidence'; courseId?: string; activityId: string } | { kind: 'self-assessment' };
}

/** The report for the viewer's reach in the organization. */
export async function buildCompetencyReport(
  s: AppServices, a: PeopleAccess, q: CompetencyQuery,
  /** allPages: every per-person row; withoutPeople: none (the chart and the aggregate CSV need none). */
  opts: { readonly allPages?: boolean; readonly withoutPeople?: boolean } = {},
): Promise<CompetencyReport> {
  const { ids, units } = await peopleInReachIds(s, a, q.unitId, q.role);
  const reach = new Set(ids);
  const months = monthsBetween(q.from, q.to);
  const endOf = (month: string): string => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    return new Date(Date.UTC(y, m, 1)).toISOString();
  };
  const end = endOf(q.to);
  // Per (framework, item): per person the first time, the highest level reached by the end, and
  // when and from what that level was first reached.
  type Mark = AttainmentMark;
  type Source = AttainmentMark['source'];
  const firsts = new Map<string, Map<string, Mark>>();
  const note = (frameworkId: string, item: string, userId: string, at: string, level: number, source: Source): void => {
    if (!reach.has(userId) || at >= end) return;
    if (q.frameworkId !== undefined && frameworkId !== q.frameworkId) return;
    const key = `${frameworkId}|${item}`;
    let people = firsts.get(key);
    if (!people) firsts.set(key, (people = new Map<string, Mark>()));
    const cur = people.get(userId);
    const higher = !cur || level > cur.level || (level === cur.level && at < cur.levelAt);
    people.set(userId, {
      at: cur && cur.at < at ? cur.at : at, level: Math.max(cur?.level ?? 0, level),
      levelAt: higher ? at : cur.levelAt, source: higher ? source : cur.source,
    });
  };
  // The whole organization: one read by organization; a manager's units, one unit or one role: by their people.
  const byPeople = !a.all || q.unitId !== undefined || q.role !== undefined;
  for (const e of await s.store.competency.findEvidence({ orgIds: [a.orgId], ...(byPeople ? { userIds: ids } : {}), ...(q.frameworkId ? { frameworkId: q.frameworkId } : {}), limit: 1_000_000 })) {
    note(e.frameworkId, e.itemIdentifier, e.userId, e.at, e.level, { kind: 'evidence', activityId: e.activityId, ...(e.courseId !== undefined ? { courseId: e.courseId } : {}) });
  }
  for (const x of await s.store.competency.findSelfAssessments({ orgIds: [a.orgId], ...(q.frameworkId ? { frameworkId: q.frameworkId } : {}) })) {
    if (x.confirmedAt !== undefined) note(x.frameworkId, x.itemIdentifier, x.userId, x.confirmedAt, x.level, { kind: 'self-assessment' });
  }
  const frameworkIds = new Set([...firsts.keys()].map((k) => k.slice(0, k.indexOf('|'))));
  const frameworks = new Map<string, NonNullable<Awaited<ReturnType<typeof s.store.competency.findFramework>>>>();
  for (const id of frameworkIds) {
    const f = await s.store.competency.findFramework(id);
    if (f) frameworks.set(id, f);
  }
  const items = new Map<string, { uri: string; name: string; code?: string; position: number }>();
  for (const f of frameworks.values()) {
    const identifiers = [...firsts.keys()].filter((k) => k.startsWith(`${f.id}|`)).map((k) => k.slice(f.id.length + 1));
    for (const i of await s.store.competency.findItems({ frameworkId: f.id, identifiers, includeRetired: true })) {
      items.set(`${f.id}|${i.identifier}`, { uri: i.uri, name: i.abbreviatedStatement ?? i.fullStatement, ...(i.humanCodingScheme ? { code: i.humanCodingScheme } : {}), position: i.position });
    }
  }
  // First times sorted: one walk over them per competency gives every month's new and running counts.
  const ends = months.map(endOf);
  const perMonth = (sorted: readonly string[]): CompetencyRow['months'][number][] => {
    let i = 0;
    let before = 0;
    return months.map((month, k) => {
      while (i < sorted.length && (sorted[i] as string) < (ends[k] as string)) i += 1;
      const attained = i - before - (k === 0 ? sorted.filter((t) => t < `${month}-01`).length : 0);
      const row = { month, attained, people: i };
      before = i;
      return row;
    });
  };
  const rows: CompetencyRow[] = [...firsts.entries()].map(([key, people]) => {
    const sep = key.indexOf('|');
    const frameworkId = key.slice(0, sep);
    const identifier = key.slice(sep + 1);
    const f = frameworks.get(frameworkId);
    const item = items.get(key);
    const times = [...people.values()].map((p) => p.at).sort();
    const levels = new Map<number, number>();
    for (const p of people.values()) levels.set(p.level, (levels.get(p.level) ?? 0) + 1);
    return {
      frameworkId, framework: f?.title ?? frameworkId, identifier, uri: item?.uri ?? identifier, name: item?.name ?? identifier,
      ...(item?.code ? { code: item.code } : {}),
      months: perMonth(times),
      byLevel: [...levels.entries()].sort((x, y) => x[0] - y[0]).map(([level, n]) => ({ level, name: f?.scale.find((l) => l.rank === level)?.name ?? `Level ${level}`, people: n })),
    };
  }).sort((x, y) => x.framework.localeCompare(y.framework) || (items.get(`${x.frameworkId}|${x.identifier}`)?.position ?? 0) - (items.get(`${y.frameworkId}|${y.identifier}`)?.position ?? 0) || x.name.localeCompare(y.name));
  const allFrameworks = await s.store.competency.findFrameworks({});
  const start = (q.page - 1) * q.pageSize;
  const people = await personRows(s, firsts, rows, (f, level) => frameworks.get(f)?.scale.find((l) => l.rank === level)?.name ?? `Level ${level}`,
    opts.withoutPeople ? { start: 0, end: 0 } : opts.allPages ? { start: 0, end: Number.POSITIVE_INFINITY } : { start, end: start + q.pageSize });
  return {
    orgId: a.orgId, orgName: a.orgName, query: q, months, peopleInReach: ids.length, competencies: rows,
    people,
    frameworks: allFrameworks.filter((f) => frameworkIds.has(f.id) || f.orgId === a.orgId || f.id === q.frameworkId).map((f) => ({ id: f.id, title: f.title })),
    units,
  };
}

/**
 * Per person and competency rows, sorted by name, then in the order of the competency rows; only
 * the rows of `window` are built (an organization of thousands has tens of thousands of rows, and
 * a page shows fifty): people are sorted, not rows.
 */
async function personRows(
  s: AppServices,
  firsts: ReadonlyMap<string, ReadonlyMap<string, AttainmentMark>>,
  competencies: readonly CompetencyRow[],
  levelName: (frameworkId: string, level: number) => string,
  window: { readonly start: number; readonly end: number },
): Promise<{ total: number; rows: PersonAttainment[] }> {
  type Mark = AttainmentMark;
  const perUser = new Map<string, { c: CompetencyRow; m: Mark }[]>();
  let total = 0;
  for (const c of competencies) {
    for (const [userId, m] of firsts.get(`${c.frameworkId}|${c.identifier}`) ?? []) {
      const list = perUser.get(userId);
      if (list) list.push({ c, m });
      else perUser.set(userId, [{ c, m }]);
      total += 1;
    }
  }
  if (window.end <= window.start) return { total, rows: [] };
  const names = new Map((await s.store.accounts.findUsers([...perUser.keys()])).map((u) => [u.id, u.name]));
  const collator = new Intl.Collator();
  const users = [...perUser.keys()].sort((x, y) => collator.compare(names.get(x) ?? x, names.get(y) ?? y) || (x < y ? -1 : x > y ? 1 : 0));
  const picked: { userId: string; c: CompetencyRow; m: Mark }[] = [];
  let at = 0;
  for (const userId of users) {
    const list = perUser.get(userId) ?? [];
    if (at + list.length > window.start && at < window.end) {
      list.forEach((x, i) => { if (at + i >= window.start && at + i < window.end) picked.push({ userId, ...x }); });
    }
    at += list.length;
    if (at >= window.end) break;
  }
  const courseIds = [...new Set(picked.flatMap((p) => (p.m.source.kind === 'evidence' && p.m.source.courseId !== undefined ? [p.m.source.courseId] : [])))];
  const titles = new Map((await entriesByIds(s, courseIds)).map((e) => [e.id, e.title]));
  const rows = picked.map(({ userId, c, m }): PersonAttainment => {
    const src = m.source;
    return {
      userId, name: names.get(userId) ?? userId, frameworkId: c.frameworkId, framework: c.framework, identifier: c.identifier, competency: c.name,
      ...(c.code ? { code: c.code } : {}), level: m.level, levelName: levelName(c.frameworkId, m.level), at: m.levelAt, source: src.kind,
      ...(src.kind === 'evidence'
        ? { ...(src.courseId !== undefined ? { sourceCourseId: src.courseId } : {}), sourceActivityId: src.activityId, sourceLabel: (src.courseId !== undefined ? titles.get(src.courseId) : undefined) ?? src.activityId }
        : { sourceLabel: 'Confirmed self-assessment' }),
    };
  });
  return { total, rows };
}

/** The chart: people who had attained each competency by each month's end (the eight most attained). */
export function competencyChart(r: CompetencyReport): ChartSpec {
  const top = [...r.competencies].sort((x, y) => (y.months.at(-1)?.people ?? 0) - (x.months.at(-1)?.people ?? 0)).slice(0, 8);
  return {
    kind: 'line', title: 'People who have attained each competency', categories: [...r.months],
    series: top.map((c) => ({ name: (c.code ? `${c.code} ${c.name}` : c.name).slice(0, 40), values: c.months.map((m) => m.people) })),
  };
}
