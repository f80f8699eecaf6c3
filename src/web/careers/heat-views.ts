import type { HeatCell, HeatMap, heatCell, providerGaps } from '../../careers/heat-map';
import type { Organization } from '../../store/ports';
import { html, type Html } from '../html';

/** The color step of a cell (share of people at target), 'hn' when nobody needs it. */
function step(c: HeatCell): string {
  if (c.required === 0) return 'hn';
  return `h${Math.min(4, Math.floor((c.met / c.required) * 5))}`;
}

function cellText(c: HeatCell, by: HeatMap['by']): string {
  if (c.required === 0) return '–';
  if (by === 'people') return `${c.level ?? 0} of ${c.target ?? 0}`;
  return `${c.met} of ${c.required}`;
}

/**
 * The heat map as a table (it is its own text alternative): each cell says "met of required"
 * (people: "level of target"), its color only repeats that; every cell with people links to
 * its drill-down, so the whole map is reachable by keyboard and read by screen readers.
 */
export function heatMapView(o: { readonly org: Organization; readonly map: HeatMap; readonly query: { by: string; profileId?: string; unitId?: string }; readonly roles: readonly { id: string; name: string }[]; readonly units: readonly { id: string; path: string }[] }): Html {
  const id = encodeURIComponent(o.org.id);
  const m = o.map;
  const qs = (extra: Record<string, string | undefined>): string => new URLSearchParams(Object.entries({ by: o.query.by, profileId: o.query.profileId, unitId: o.query.unitId, ...extra }).filter(([, v]) => v !== undefined && v !== '') as [string, string][]).toString();
  const drill = (row: HeatMap['rows'][number], col: HeatMap['columns'][number]): string =>
    `/orgs/${id}/heat-map/cell?${new URLSearchParams({
      competencyId: col.id,
      ...(m.by === 'roles' ? { profileId: row.id } : o.query.profileId ? { profileId: o.query.profileId } : {}),
      ...(m.by === 'units' ? { unitId: row.id } : o.query.unitId ? { unitId: o.query.unitId } : {}),
    }).toString()}`;
  const label = m.by === 'people' ? 'Person' : m.by === 'roles' ? 'Role' : 'Unit';
  return html`<h1>${o.org.name}: competency gaps</h1>
<form method="get" action="/orgs/${id}/heat-map" aria-label="What the map shows">
<label for="hm-by">Rows</label><select id="hm-by" name="by">${(['roles', 'units', 'people'] as const).map((b) => html`<option value="${b}"${b === m.by ? html` selected` : ''}>${b === 'roles' ? 'Roles' : b === 'units' ? 'Units' : 'People'}</option>`)}</select>
<label for="hm-role">Role</label><select id="hm-role" name="profileId"><option value="">Every role</option>${o.roles.map((r) => html`<option value="${r.id}"${r.id === o.query.profileId ? html` selected` : ''}>${r.name}</option>`)}</select>
<label for="hm-unit">Unit</label><select id="hm-unit" name="unitId"><option value="">Everyone I may see</option>${o.units.map((u) => html`<option value="${u.id}"${u.id === o.query.unitId ? html` selected` : ''}>${u.path}</option>`)}</select>
<div class="actions"><button type="submit">Show</button></div></form>
<p>${m.people} people hold a role here. Each cell: ${m.by === 'people' ? 'their level of the target level' : 'people at their target level, of those whose role asks for it'}; the redder, the larger the gap. Select a cell for its people and the learning that closes the gap.</p>
<p><a href="/api/orgs/${id}/heat-map.csv?${qs({})}" download>Download as CSV</a> · <a href="/api/orgs/${id}/heat-map.png?${qs({})}" download>As PNG picture</a> · <a href="/api/orgs/${id}/heat-map?${qs({})}">As JSON</a></p>
${m.columns.length === 0 ? html`<p class="muted">No role with people in it asks for a competency yet.</p>` : html`<div class="heat-wrap" role="region" aria-labelledby="hm-caption" tabindex="0">
<table class="heat"><caption id="hm-caption">Competency gaps by ${label.toLowerCase()}</caption>
<thead><tr><th scope="col">${label}</th>${m.columns.map((c) => html`<th scope="col">${c.code ? html`<abbr title="${c.name}">${c.code}</abbr>` : c.name}</th>`)}</tr></thead>
<tbody>${m.rows.map((r) => html`<tr><th scope="row">${r.label}</th>${r.cells.map((c, i) => {
    const col = m.columns[i] as HeatMap['columns'][number];
    return html`<td class="${step(c)}">${c.required === 0 ? html`<span aria-label="not asked">–</span>` : html`<a href="${drill(r, col)}" aria-label="${r.label}, ${col.name}: ${cellText(c, m.by)}${m.by === 'people' ? '' : ' at target'}">${cellText(c, m.by)}</a>`}</td>`;
  })}</tr>`)}</tbody>
<tfoot><tr><th scope="row">Everyone</th>${m.totals.map((c) => html`<td class="${step(c)}">${c.required === 0 ? '–' : `${c.met} of ${c.required}`}</td>`)}</tr></tfoot></table></div>`}`;
}

type Cell = Awaited<ReturnType<typeof heatCell>>;

/** One cell: who has the gap and the learning that closes it. */
export function heatCellView(o: { readonly org: Organization; readonly cell: Cell }): Html {
  const id = encodeURIComponent(o.org.id);
  return html`<p><a href="/orgs/${id}/heat-map">Competency gaps</a></p>
<h1>${o.cell.competency.name}</h1>
<table><caption>People whose role asks for ${o.cell.competency.name}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Level</th><th scope="col">Target</th><th scope="col">At target</th></tr></thead>
<tbody>${o.cell.people.map((p) => html`<tr><th scope="row">${p.name}</th><td>${p.levelName}</td><td>${p.targetName}</td><td>${p.met ? 'Yes' : 'No'}</td></tr>`)}</tbody></table>
<h2 id="learning">Learning that closes the gap</h2>
${o.cell.learning.length === 0 ? html`<p class="muted">No aligned learning.</p>` : html`<ol>${o.cell.learning.map((c) => html`<li><a href="/courses/${encodeURIComponent(c.entryId)}">${c.title}</a> <span class="muted">(level ${c.level}${c.hours !== undefined ? `, ${c.hours} h` : ''}${c.ceCredits !== undefined ? `, ${c.ceCredits} CE` : ''})</span></li>`)}</ol>`}`;
}

type Gaps = Awaited<ReturnType<typeof providerGaps>>;

/** The provider's aggregated gaps across member organizations. */
export function providerGapsView(o: { readonly org: Organization; readonly gaps: Gaps }): Html {
  return html`<h1>${o.org.name}: gaps across member organizations</h1>
<p>Summed over ${o.gaps.organizations} member organization(s): no names; counts of fewer than 3 people are withheld. The largest gaps first: what training to build next.</p>
<p><a href="/api/orgs/${encodeURIComponent(o.org.id)}/member-gaps">As JSON</a></p>
${o.gaps.competencies.length === 0 ? html`<p class="muted">No member organization's roles ask for competencies yet.</p>` : html`<table><caption>Aggregated competency gaps</caption>
<thead><tr><th scope="col">Competency</th><th scope="col">People whose role asks for it</th><th scope="col">At target</th><th scope="col">Levels missing</th><th scope="col">Organizations</th></tr></thead>
<tbody>${o.gaps.competencies.map((c) => html`<tr><th scope="row">${c.name}</th><td>${c.required ?? 'fewer than 3'}</td><td>${c.met ?? '–'}</td><td>${c.gap ?? '–'}</td><td>${c.organizations}</td></tr>`)}</tbody></table>`}`;
}
