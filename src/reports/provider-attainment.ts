/**
 * Attainment through a provider's courses, across organizations (issue 16): for each competency
 * the provider aligned to one of its own courses, how many people attained it through those
 * courses in a period — overall and per learner organization. Aggregates only: no name, no id of
 * a person, and no group of fewer than MIN_GROUP (access.ts) people of another organization.
 *
 * Read from the evidence projection (rows the evidence subscriber writes, each naming the
 * alignment that gave it), never from statements: one read per aligned competency.
 *
 * Withholding (the complement rule): organizations with fewer than MIN_GROUP people are not shown
 * one by one but summed as "other organizations", shown only when that sum reaches MIN_GROUP; the
 * overall figure is withheld too when that sum is between 1 and MIN_GROUP - 1, since the overall
 * minus the organizations shown would give it. The provider's own people are always shown.
 */
import type { AppServices } from '../deps';
import type { Alignment, Evidence } from '../store/ports';
import { mayShowAggregate, type ReportLens } from './access';
import type { ChartSpec } from './charts';
import { courseMetas, orgNames } from './names';

/** A figure, or withheld (null) when it would count fewer than MIN_GROUP people of other organizations. */
export interface AttainmentCell {
  readonly suppressed: boolean;
  readonly people: number | null;
}

export interface ProviderCompetencyRow {
  readonly frameworkId: string;
  readonly framework: string;
  readonly identifier: string;
  readonly name: string;
  readonly code?: string;
  /** The provider's courses aligned to it. */
  readonly courses: readonly { readonly id: string; readonly title: string }[];
  /** Distinct people who attained it through those courses in the period. */
  readonly overall: AttainmentCell;
  /** Organizations shown one by one (largest first), the provider's own always. */
  readonly byOrganization: readonly ({ readonly orgId: string; readonly orgName: string } & AttainmentCell)[];
  /** Organizations too small to show, summed; undefined when there are none. */
  readonly otherOrganizations?: { readonly organizations: number } & AttainmentCell;
}

export interface ProviderAttainment {
  readonly providerOrgId: string;
  readonly providerName: string;
  readonly from: string;
  readonly to: string;
  readonly minGroup: number;
  readonly competencies: readonly ProviderCompetencyRow[];
}

const cell = (people: number, show: boolean): AttainmentCell => (show ? { suppressed: false, people } : { suppressed: true, people: null });

/** The report for a lens of the provider's courses ('courses' view); `from`/`to` are months, YYYY-MM. */
export async function buildProviderAttainment(s: Pick<AppServices, 'store'>, lens: ReportLens & { readonly orgId: string }, period: { readonly from: string; readonly to: string }): Promise<ProviderAttainment> {
  const providerId = lens.orgId;
  const names = await orgNames(s.store);
  const metas = await courseMetas(s.store);
  const own = new Set([...metas.values()].filter((c) => c.orgId === providerId).map((c) => c.id));
  // The provider's own alignments on its own courses.
  const alignments = (await s.store.competency.findAlignments({ orgIds: [providerId] })).filter((a) => a.target.courseId !== undefined && own.has(a.target.courseId));
  const byItem = new Map<string, Alignment[]>();
  for (const a of alignments) {
    const key = `${a.frameworkId}|${a.itemIdentifier}`;
    byItem.set(key, [...(byItem.get(key) ?? []), a]);
  }
  const start = `${period.from}-01T00:00:00.000Z`;
  const [y, m] = period.to.split('-').map(Number) as [number, number];
  const end = new Date(Date.UTC(y, m, 1)).toISOString();
  const rows: ProviderCompetencyRow[] = [];
  for (const [key, list] of byItem) {
    const [frameworkId, identifier] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
    const ids = new Set(list.map((a) => a.id));
    // Per person, their first evidence through these alignments (a person who attained it before the period is not new in it).
    const first = new Map<string, Evidence>();
    for (const e of await s.store.competency.findEvidence({ frameworkId, itemIdentifier: identifier, limit: 1_000_000 })) {
      if (!ids.has(e.alignmentId)) continue;
      const cur = first.get(e.userId);
      if (!cur || e.at < cur.at) first.set(e.userId, e);
    }
    const perOrg = new Map<string, Set<string>>();
    const everyone = new Set<string>();
    for (const e of first.values()) {
      if (e.at < start || e.at >= end) continue;
      everyone.add(e.userId);
      const set = perOrg.get(e.orgId) ?? new Set<string>();
      set.add(e.userId);
      perOrg.set(e.orgId, set);
    }
    const shown: ProviderCompetencyRow['byOrganization'][number][] = [];
    let smallOrgs = 0;
    let smallPeople = 0;
    for (const [orgId, people] of perOrg) {
      if (mayShowAggregate(lens, people.size, orgId === providerId)) shown.push({ orgId, orgName: names.get(orgId) ?? orgId, ...cell(people.size, true) });
      else { smallOrgs += 1; smallPeople += people.size; }
    }
    shown.sort((a, b) => (b.people ?? 0) - (a.people ?? 0) || a.orgName.localeCompare(b.orgName));
    const remainderShown = smallPeople === 0 || smallPeople >= lens.minGroup;
    const items = await s.store.competency.findItems({ frameworkId, identifiers: [identifier], includeRetired: true });
    const item = items[0];
    const framework = await s.store.competency.findFramework(frameworkId);
    rows.push({
      frameworkId, framework: framework?.title ?? frameworkId, identifier, name: item ? item.abbreviatedStatement ?? item.fullStatement : identifier,
      ...(item?.humanCodingScheme ? { code: item.humanCodingScheme } : {}),
      courses: [...new Set(list.map((a) => a.target.courseId as string))].map((id) => ({ id, title: metas.get(id)?.title ?? id })),
      overall: cell(everyone.size, mayShowAggregate(lens, everyone.size, smallPeople === 0 && [...perOrg.keys()].every((o) => o === providerId)) && remainderShown),
      byOrganization: shown,
      ...(smallOrgs > 0 ? { otherOrganizations: { organizations: smallOrgs, ...cell(smallPeople, remainderShown && smallPeople >= lens.minGroup) } } : {}),
    });
  }
  rows.sort((a, b) => a.framework.localeCompare(b.framework) || (a.code ?? a.name).localeCompare(b.code ?? b.name, undefined, { numeric: true }));
  return { providerOrgId: providerId, providerName: names.get(providerId) ?? providerId, from: period.from, to: period.to, minGroup: lens.minGroup, competencies: rows };
}

/** The chart: people per competency overall (withheld figures left out). */
export function providerAttainmentChart(r: ProviderAttainment): ChartSpec {
  return {
    kind: 'bar', title: 'People who attained each competency through our courses', horizontal: true,
    categories: r.competencies.map((c) => (c.code ? `${c.code} ${c.name}` : c.name).slice(0, 40)),
    series: [{ name: 'People', values: r.competencies.map((c) => c.overall.people) }],
  };
}
