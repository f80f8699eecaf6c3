/** /reports/competencies: attainment per competency over time (twin of GET /api/reports/competencies). */
import type { CompetencyReport } from '../../reports/competencies';
import { html, type Html } from '../html';
import { ROLE_LABELS } from './people-page';
import { chartFigure, qs, reportsNav } from './views';

export function competenciesView(r: CompetencyReport, orgs: readonly { id: string; name: string }[], onlyPeopleReports = false, providerReport = false): Html {
  const q = r.query;
  const filters = { org: r.orgId, unit: q.unitId, role: q.role, framework: q.frameworkId, from: q.from, to: q.to };
  const pages = Math.max(1, Math.ceil(r.people.total / q.pageSize));
  const table = html`<table id="table-attainment">
<caption>People who had attained each competency by the end of each month (newly attained that month in brackets)</caption>
<thead><tr><th scope="col">Competency</th>${r.months.map((m) => html`<th scope="col">${m}</th>`)}</tr></thead>
<tbody>${r.competencies.length === 0 ? html`<tr><td colspan="${r.months.length + 1}">No competency was attained by these people in this period.</td></tr>`
    : r.competencies.map((c) => html`<tr><th scope="row">${c.code ? `${c.code} ` : ''}${c.name}<br><small class="muted">${c.framework}</small></th>${c.months.map((m) => html`<td>${m.people}${m.attained > 0 ? ` (+${m.attained})` : ''}</td>`)}</tr>`)}</tbody>
</table>`;
  return html`<h1>Competencies of ${r.orgName}</h1>
${reportsNav('competencies', { org: r.orgId }, onlyPeopleReports)}
<p>Attainment over time, from evidence and confirmed self-assessments of ${r.peopleInReach} ${r.peopleInReach === 1 ? 'person' : 'people'} in your reach. For who is short of what their role needs now, see the
<a href="/orgs/${encodeURIComponent(r.orgId)}/heat-map">gap heat map</a> and the <a href="/orgs/${encodeURIComponent(r.orgId)}/goals">goals</a>.</p>
${providerReport ? html`<p>Across organizations: <a href="/reports/provider-competencies${qs({ org: r.orgId })}">competencies attained through ${r.orgName}'s courses</a>.</p>` : ''}
<form method="get" action="/reports/competencies" class="filters">
  ${orgs.length > 1 ? html`<label for="org">Organization</label>
  <select id="org" name="org">${orgs.map((o) => html`<option value="${o.id}"${o.id === r.orgId ? html` selected` : ''}>${o.name}</option>`)}</select>`
    : html`<input type="hidden" name="org" value="${r.orgId}">`}
  ${r.units.length > 0 ? html`<label for="unit">Unit</label>
  <select id="unit" name="unit"><option value="">All units</option>${r.units.map((u) => html`<option value="${u.id}"${u.id === q.unitId ? html` selected` : ''}>${u.path}</option>`)}</select>` : ''}
  <label for="role">Role</label>
  <select id="role" name="role"><option value="">Any role</option>${Object.entries(ROLE_LABELS).map(([k, v]) => html`<option value="${k}"${k === q.role ? html` selected` : ''}>${v}</option>`)}</select>
  ${r.frameworks.length > 0 ? html`<label for="framework">Framework</label>
  <select id="framework" name="framework"><option value="">All frameworks</option>${r.frameworks.map((f) => html`<option value="${f.id}"${f.id === q.frameworkId ? html` selected` : ''}>${f.title}</option>`)}</select>` : ''}
  <label for="from">From month</label><input id="from" name="from" type="month" value="${q.from}" placeholder="YYYY-MM">
  <label for="to">To month</label><input id="to" name="to" type="month" value="${q.to}" placeholder="YYYY-MM">
  <div class="actions"><button type="submit">Show</button></div>
</form>
<section aria-labelledby="attain-h"><h2 id="attain-h">Attainment per month</h2>
${chartFigure({
    title: 'People who have attained each competency', svgHref: `/api/reports/competencies/chart.svg${qs(filters)}`, csvHref: `/api/reports/competencies.csv${qs(filters)}`,
    alt: 'Line chart of the people who had attained each of the most attained competencies by the end of each month; the table below gives the same figures.', table,
  })}
</section>
<section aria-labelledby="levels-h"><h2 id="levels-h">Highest level reached</h2>
${r.competencies.length === 0 ? html`<p>None yet.</p>` : html`<table id="table-levels"><caption>People by the highest level reached, by ${q.to}</caption>
<thead><tr><th scope="col">Competency</th><th scope="col">Levels</th></tr></thead>
<tbody>${r.competencies.map((c) => html`<tr><th scope="row">${c.code ? `${c.code} ` : ''}${c.name}</th><td>${c.byLevel.map((l) => `${l.name}: ${l.people}`).join('; ')}</td></tr>`)}</tbody></table>`}
</section>
<section aria-labelledby="people-h"><h2 id="people-h">People</h2>
<p>Each person's highest level of each competency by ${q.to}, when they first reached it and what showed it. ${r.people.total} ${r.people.total === 1 ? 'row' : 'rows'} —
<a href="/api/reports/competencies/people.csv${qs(filters)}" download>Download these rows as CSV</a></p>
<table id="table-people-attainment">
<caption>Attainment per person</caption>
<thead><tr><th scope="col">Person</th><th scope="col">Competency</th><th scope="col">Level</th><th scope="col">Attained on</th><th scope="col">Source</th></tr></thead>
<tbody>${r.people.rows.length === 0 ? html`<tr><td colspan="5">Nobody in your reach attained a competency in this period.</td></tr>`
    : r.people.rows.map((p) => html`<tr><th scope="row"><a href="/reports/people/${encodeURIComponent(p.userId)}${qs({ org: r.orgId })}">${p.name}</a></th>
<td>${p.code ? `${p.code} ` : ''}${p.competency}</td><td>${p.levelName}</td><td>${p.at.slice(0, 10)}</td><td>${p.sourceLabel}</td></tr>`)}</tbody>
</table>
${pages > 1 ? html`<nav aria-label="Pages of people"><ul class="inline-list">
${q.page > 1 ? html`<li><a rel="prev" href="/reports/competencies${qs({ ...filters, page: String(q.page - 1), pageSize: String(q.pageSize) })}">Previous page</a></li>` : ''}
<li>Page ${q.page} of ${pages}</li>
${q.page < pages ? html`<li><a rel="next" href="/reports/competencies${qs({ ...filters, page: String(q.page + 1), pageSize: String(q.pageSize) })}">Next page</a></li>` : ''}
</ul></nav>` : ''}
</section>`;
}
