/**
 * The gap heat map (issue 15): people, roles or units × the competencies their role profiles ask
 * for, each cell attained against target, with counts; drill-down to the people of a cell and to
 * the learning that closes its gap; CSV export. Administrators see the organization, managers
 * their units. A provider organization sees, across member organizations, only aggregated gaps
 * per competency (counts, never a name; small groups suppressed).
 *
 * Levels come from the evidence summaries and confirmed self-assessments (projections kept by the
 * store), never from statements.
 */
import { stringify } from 'csv-stringify/sync';
import { roleError } from '../accounts/access';
import { requireOrganization } from '../accounts/organizations';
import type { UserContext } from '../accounts/user-context';
import { entriesByIds } from '../catalog/course-entries';
import { visibleTo } from '../catalog/visibility';
import type { AppServices } from '../deps';
import { badRequest, notFound } from '../errors';
import type { RoleProfile } from '../store/ports';
import { levelName, levelsOfPeople, resolveCompetencies, type ResolvedCompetency } from './competency-levels';
import { rankRecommendations, type Recommendation } from './plans';
import { unitPath, unitScope, unitsBelow } from './scope';

export type HeatMapAxis = 'people' | 'roles' | 'units';
/** Aggregated cells of fewer people than this show no counts on the provider's map. */
export const MIN_GROUP = 3;

/** One cell: how many of the people it counts need the competency, and how many reach their target. */
export interface HeatCell {
  readonly required: number;
  readonly met: number;
  /** Levels missing, summed over the people. */
  readonly gap: number;
  /** People rows: the person's level and target (0 target: the role does not ask for it). */
  readonly level?: number;
  readonly target?: number;
}

export interface HeatMap {
  readonly orgId: string;
  readonly by: HeatMapAxis;
  readonly columns: readonly { readonly id: string; readonly name: string; readonly code?: string }[];
  readonly rows: readonly { readonly id: string; readonly label: string; readonly cells: readonly HeatCell[] }[];
  /** Totals per column over everyone in scope. */
  readonly totals: readonly HeatCell[];
  readonly people: number;
}

interface Population {
  readonly users: Map<string, { name: string }>;
  /** Target per person and competency (the highest a held role asks for). */
  readonly targets: Map<string, Map<string, number>>;
  readonly profiles: RoleProfile[];
  readonly holders: Map<string, string[]>;
  readonly unitOf: Map<string, string[]>;
  readonly unitLabels: Map<string, string>;
}

async function populationOf(s: AppServices, orgId: string, scope: Awaited<ReturnType<typeof unitScope>>, profileId?: string): Promise<Population> {
  const all = await s.store.careers.findPersonRoleProfiles({ orgId });
  const unitRows = await s.store.careers.findUnitPeople({ orgId, kind: 'member' });
  const unitOf = new Map<string, string[]>();
  for (const r of unitRows) if (scope.unitIds.has(r.unitId) && !unitOf.get(r.userId)?.push(r.unitId)) unitOf.set(r.userId, [r.unitId]);
  const inScope = (userId: string): boolean => scope.all || unitOf.has(userId);
  const profiles = (await s.store.careers.findRoleProfiles({ orgId })).filter((p) => profileId === undefined || p.id === profileId);
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const holders = new Map<string, string[]>();
  const targets = new Map<string, Map<string, number>>();
  for (const h of all) {
    const p = byId.get(h.profileId);
    if (!p || !inScope(h.userId)) continue;
    if (!holders.get(p.id)?.push(h.userId)) holders.set(p.id, [h.userId]);
    const t = targets.get(h.userId) ?? new Map<string, number>();
    for (const c of p.competencies) t.set(c.competencyId, Math.max(t.get(c.competencyId) ?? 0, c.targetLevel));
    targets.set(h.userId, t);
  }
  const users = new Map((await s.store.accounts.findUsers([...targets.keys()])).filter((u) => u.disabledAt === undefined).map((u) => [u.id, { name: u.name }]));
  for (const id of [...targets.keys()]) if (!users.has(id)) targets.delete(id);
  const unitLabels = new Map(scope.units.filter((u) => scope.unitIds.has(u.id)).map((u) => [u.id, unitPath(scope.units, u.id)]));
  return { users, targets, profiles, holders, unitOf, unitLabels };
}

/** Compares labels like String#localeCompare with the default locale, without building a collator per call. */
const byLabel = new Intl.Collator().compare;

/**
 * The cells of a group of people over these columns, in one pass over each person's targets (not
 * per person and column): how many need each competency, reach their target, and levels missing.
 */
function cellsOf(people: readonly string[], columns: ReadonlyMap<string, number>, pop: Population, levels: Map<string, Map<string, number>>): HeatCell[] {
  const n = columns.size;
  const required = new Array<number>(n).fill(0);
  const met = new Array<number>(n).fill(0);
  const gap = new Array<number>(n).fill(0);
  for (const u of people) {
    const targets = pop.targets.get(u);
    if (!targets) continue;
    const held = levels.get(u);
    for (const [c, target] of targets) {
      if (target === 0) continue;
      const i = columns.get(c);
      if (i === undefined) continue;
      required[i] = (required[i] ?? 0) + 1;
      const level = held?.get(c) ?? 0;
      if (level >= target) met[i] = (met[i] ?? 0) + 1;
      else gap[i] = (gap[i] ?? 0) + target - level;
    }
  }
  return required.map((r, i) => ({ required: r, met: met[i] as number, gap: gap[i] as number }));
}

/** Column index by competency id. */
function indexOf(ids: readonly string[]): Map<string, number> {
  return new Map(ids.map((id, i) => [id, i]));
}

/** Parses `by`, `profileId`, `unitId` of a query. */
export function parseHeatQuery(q: Readonly<Record<string, unknown>>): { by: HeatMapAxis; profileId?: string; unitId?: string } {
  const by = q['by'] === undefined || q['by'] === '' ? 'roles' : q['by'];
  if (by !== 'people' && by !== 'roles' && by !== 'units') throw badRequest('by must be people, roles or units');
  const str = (n: string): string | undefined => (typeof q[n] === 'string' && q[n] !== '' ? (q[n] as string) : undefined);
  const profileId = str('profileId');
  const unitId = str('unitId');
  return { by, ...(profileId ? { profileId } : {}), ...(unitId ? { unitId } : {}) };
}

/** The heat map of an organization (administrators) or a manager's units. */
export async function heatMap(s: AppServices, actor: UserContext, orgId: string, q: { by: HeatMapAxis; profileId?: string; unitId?: string }): Promise<HeatMap> {
  await requireOrganization(s, orgId);
  let scope = await unitScope(s, actor, orgId);
  if (q.unitId !== undefined) {
    if (!scope.unitIds.has(q.unitId)) throw notFound(`no unit ${q.unitId} in organization ${orgId}`);
    scope = { ...scope, all: false, unitIds: unitsBelow(scope.units, [q.unitId]) };
  }
  const pop = await populationOf(s, orgId, scope, q.profileId);
  const competencySet = new Set<string>();
  for (const p of pop.profiles) if (pop.holders.has(p.id)) for (const c of p.competencies) competencySet.add(c.competencyId);
  const competencyIds = [...competencySet];
  const colIndex = indexOf(competencyIds);
  const resolved = await resolveCompetencies(s, competencyIds);
  const people = [...pop.targets.keys()];
  const levels = await levelsOfPeople(s, orgId, people, resolved);
  const columns = competencyIds.map((id) => ({ id, name: resolved.get(id)?.name ?? id, ...(resolved.get(id)?.code ? { code: resolved.get(id)?.code as string } : {}) }));
  let rows: HeatMap['rows'];
  if (q.by === 'people') {
    // A person's cell depends on (level, target) only, of which there are a few: one object each, shared by every row.
    const shared = new Map<number, Map<number, HeatCell>>();
    const personCell = (level: number, target: number): HeatCell => {
      let byTarget = shared.get(level);
      if (!byTarget) {
        byTarget = new Map();
        shared.set(level, byTarget);
      }
      let cell = byTarget.get(target);
      if (!cell) {
        cell = Object.freeze({ required: target > 0 ? 1 : 0, met: target > 0 && level >= target ? 1 : 0, gap: Math.max(0, target - level), level, target });
        byTarget.set(target, cell);
      }
      return cell;
    };
    rows = people
      .map((u) => {
        const targets = pop.targets.get(u);
        const held = levels.get(u);
        return { id: u, label: pop.users.get(u)?.name ?? u, cells: competencyIds.map((c) => personCell(held?.get(c) ?? 0, targets?.get(c) ?? 0)) };
      })
      .sort((a, b) => byLabel(a.label, b.label) || byLabel(a.id, b.id));
  } else if (q.by === 'roles') {
    const none: HeatCell = { required: 0, met: 0, gap: 0 };
    rows = pop.profiles.filter((p) => pop.holders.has(p.id)).map((p) => {
      const cells = cellsOf(pop.holders.get(p.id) ?? [], colIndex, pop, levels);
      const asks = new Set(p.competencies.map((c) => c.competencyId));
      return { id: p.id, label: p.name, cells: competencyIds.map((c, i) => (asks.has(c) ? cells[i] as HeatCell : { ...none })) };
    });
  } else {
    const membersOf = new Map<string, string[]>();
    for (const u of people) for (const unitId of pop.unitOf.get(u) ?? []) if (!membersOf.get(unitId)?.push(u)) membersOf.set(unitId, [u]);
    rows = [...pop.unitLabels.entries()].map(([unitId, label]) => ({ id: unitId, label, cells: cellsOf([...new Set(membersOf.get(unitId) ?? [])], colIndex, pop, levels) }))
      .filter((r) => r.cells.some((c) => c.required > 0)).sort((a, b) => byLabel(a.label, b.label));
  }
  return { orgId, by: q.by, columns, rows, totals: cellsOf(people, colIndex, pop, levels), people: people.length };
}

/** A cell's people (with their level and target) and the learning that closes its gap. */
export async function heatCell(s: AppServices, actor: UserContext, orgId: string, q: { competencyId: string; profileId?: string; unitId?: string }): Promise<{
  readonly competency: { readonly id: string; readonly name: string };
  readonly people: readonly { readonly userId: string; readonly name: string; readonly level: number; readonly levelName: string; readonly target: number; readonly targetName: string; readonly met: boolean }[];
  readonly learning: readonly Recommendation[];
}> {
  await requireOrganization(s, orgId);
  let scope = await unitScope(s, actor, orgId);
  if (q.unitId !== undefined) {
    if (!scope.unitIds.has(q.unitId)) throw notFound(`no unit ${q.unitId} in organization ${orgId}`);
    scope = { ...scope, all: false, unitIds: unitsBelow(scope.units, [q.unitId]) };
  }
  const pop = await populationOf(s, orgId, scope, q.profileId);
  const resolved = await resolveCompetencies(s, [q.competencyId]);
  const c = resolved.get(q.competencyId) as ResolvedCompetency;
  const people = [...pop.targets.entries()].filter(([, t]) => (t.get(q.competencyId) ?? 0) > 0).map(([u]) => u);
  const levels = await levelsOfPeople(s, orgId, people, resolved);
  const rows = people.map((u) => {
    const level = levels.get(u)?.get(q.competencyId) ?? 0;
    const target = pop.targets.get(u)?.get(q.competencyId) ?? 0;
    return { userId: u, name: pop.users.get(u)?.name ?? u, level, levelName: levelName(c, level), target, targetName: levelName(c, target), met: level >= target };
  }).sort((a, b) => Number(a.met) - Number(b.met) || a.name.localeCompare(b.name));
  let learning: Recommendation[] = [];
  const need = Math.max(0, ...rows.filter((r) => !r.met).map((r) => r.target));
  if (need > 0 && c.framework && c.item) {
    const aligned = (await s.store.competency.findAlignments({ frameworkId: c.framework.id, itemIdentifier: c.item.identifier })).filter((a) => a.target.kind === 'course' && a.target.courseId);
    const entries = new Map((await entriesByIds(s, aligned.map((a) => a.target.courseId as string))).map((e) => [e.id, e]));
    learning = rankRecommendations(aligned.flatMap((a) => {
      const e = entries.get(a.target.courseId as string);
      return e && visibleTo({ orgIds: [orgId] }, e) ? [{ entry: e, level: a.level }] : [];
    }), Math.min(...rows.filter((r) => !r.met).map((r) => r.level)), need, new Set());
  }
  return { competency: { id: q.competencyId, name: c.name }, people: rows, learning };
}

/** The heat map as CSV: one line per row and competency. */
export function heatMapCsv(m: HeatMap): string {
  const lines: string[][] = [[m.by === 'people' ? 'person' : m.by === 'roles' ? 'role' : 'unit', 'competency', 'competency_id', 'required', 'met', 'gap_levels', ...(m.by === 'people' ? ['level', 'target'] : [])]];
  for (const r of m.rows) {
    r.cells.forEach((c, i) => {
      if (c.required === 0) return;
      const col = m.columns[i];
      lines.push([r.label, col?.name ?? '', col?.id ?? '', String(c.required), String(c.met), String(c.gap), ...(m.by === 'people' ? [String(c.level ?? 0), String(c.target ?? 0)] : [])]);
    });
  }
  return stringify(lines);
}

/**
 * A provider's view: per competency asked for by role profiles of member organizations, how many
 * people need it and how many reach their target, summed over every member organization. No
 * names, no organization names; counts of fewer than MIN_GROUP people are withheld.
 */
export async function providerGaps(s: AppServices, actor: UserContext, orgId: string): Promise<{
  readonly organizations: number;
  readonly competencies: readonly { readonly id: string; readonly name: string; readonly required: number | null; readonly met: number | null; readonly gap: number | null; readonly organizations: number }[];
}> {
  const err = roleError(actor, orgId, ['orgAdmin', 'analyst']);
  if (err) throw err;
  const org = await requireOrganization(s, orgId);
  if (org.kind !== 'provider' && org.kind !== 'both') throw badRequest('only provider organizations see gaps across member organizations');
  const members = (await s.store.accounts.findOrganizations()).filter((o) => o.id !== orgId && (o.kind === 'member' || o.kind === 'both'));
  const sums = new Map<string, { required: number; met: number; gap: number; orgs: number }>();
  for (const m of members) {
    const scope = { orgId: m.id, units: [], all: true, unitIds: new Set<string>() };
    const pop = await populationOf(s, m.id, scope);
    const ids = [...new Set([...pop.targets.values()].flatMap((t) => [...t.keys()]))];
    const resolved = await resolveCompetencies(s, ids);
    const levels = await levelsOfPeople(s, m.id, [...pop.targets.keys()], resolved);
    const cells = cellsOf([...pop.targets.keys()], indexOf(ids), pop, levels);
    for (const [i, c] of ids.entries()) {
      const cell = cells[i] as HeatCell;
      if (cell.required === 0) continue;
      const sum = sums.get(c) ?? { required: 0, met: 0, gap: 0, orgs: 0 };
      sums.set(c, { required: sum.required + cell.required, met: sum.met + cell.met, gap: sum.gap + cell.gap, orgs: sum.orgs + 1 });
    }
  }
  const names = await resolveCompetencies(s, [...sums.keys()]);
  const competencies = [...sums.entries()].map(([id, x]) => {
    const small = x.required < MIN_GROUP;
    return { id, name: names.get(id)?.name ?? id, required: small ? null : x.required, met: small ? null : x.met, gap: small ? null : x.gap, organizations: x.orgs };
  }).sort((a, b) => (b.gap ?? -1) - (a.gap ?? -1) || a.name.localeCompare(b.name));
  return { organizations: members.length, competencies };
}
