/** Shared pieces of the report pages: lens links, filter form, figure tables, charts with their table. */
import type { UserContext } from '../../accounts/user-context';
import type { LensChoice, ReportLens } from '../../reports/access';
import type { Organization } from '../../store/ports';
import type { Figures, ReportRow } from '../../reports/overview';
import { html, type Html } from '../html';

/** The query string of a lens plus extra parameters (values encoded). */
export function qs(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v ?? '')}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

export function lensParams(lens: ReportLens): Record<string, string | undefined> {
  return { org: lens.orgId, view: lens.view };
}

/** Links to the other lenses the viewer may use (the current one marked). */
export function lensNav(path: string, lens: ReportLens, choices: readonly LensChoice[], keep: Record<string, string | undefined> = {}): Html {
  if (choices.length < 2) return html``;
  return html`<nav aria-label="Report for" class="lenses"><ul>${choices.map((c) => {
    const current = c.view === lens.view && c.orgId === lens.orgId;
    return html`<li><a href="${path}${qs({ ...keep, org: c.orgId, view: c.view })}"${current ? html` aria-current="page"` : ''}>${c.label}</a></li>`;
  })}</ul></nav>`;
}

const num = (n: number): string => n.toLocaleString('en-US');

/** A figure cell's text. */
export function figureText(f: Figures, k: keyof Figures): string {
  const v = f[k];
  if (v === null) return '–';
  if (k === 'passRate') return `${Math.round(v * 100)} %`;
  return num(v);
}

const COLUMNS: { key: keyof Figures; label: string }[] = [
  { key: 'learners', label: 'Active learners' }, { key: 'launches', label: 'Launches' }, { key: 'completions', label: 'Completions' },
  { key: 'passes', label: 'Passes' }, { key: 'passRate', label: 'Pass rate' }, { key: 'hours', label: 'Hours' },
];

/** A table of report rows; withheld rows say so instead of showing figures. */
export function figuresTable(caption: string, firstColumn: string, rows: readonly ReportRow[], id: string): Html {
  return html`<table id="${id}">
<caption>${caption}</caption>
<thead><tr><th scope="col">${firstColumn}</th>${COLUMNS.map((c) => html`<th scope="col">${c.label}</th>`)}</tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="${COLUMNS.length + 1}">No learning recorded in this period.</td></tr>` : rows.map((r) => html`<tr><th scope="row">${r.label}</th>${
  r.figures ? COLUMNS.map((c) => html`<td>${figureText(r.figures as Figures, c.key)}</td>`)
    : html`<td colspan="${COLUMNS.length}">Fewer than 5 learners: not shown</td>`}</tr>`)}</tbody>
</table>`;
}

/** A chart image, its CSV download, and the table that carries the same figures. */
export function chartFigure(o: { title: string; svgHref: string; csvHref: string; table: Html; alt: string }): Html {
  return html`<figure class="chart">
<img src="${o.svgHref}" alt="${o.alt}" width="720">
<figcaption>${o.title} — <a href="${o.csvHref}" download>Download CSV</a></figcaption>
<details><summary>Table of the chart's figures</summary>${o.table}</details>
</figure>`;
}

const REPORT_LINKS = [
  { key: 'overview', href: '/reports', label: 'Overview' },
  { key: 'people', href: '/reports/people', label: 'People' },
  { key: 'competencies', href: '/reports/competencies', label: 'Competencies' },
  { key: 'statements', href: '/reports/statements', label: 'Statement explorer' },
  { key: 'saved', href: '/reports/saved', label: 'Saved reports' },
] as const;

/** The Reports navigation (the current page marked); `keep` carries the organization. */
export function reportsNav(current: (typeof REPORT_LINKS)[number]['key'] | undefined, keep: Record<string, string | undefined> = {}, onlyPeopleReports = false): Html {
  // Managers and administrators who are not analysts see only the reports about their people.
  const links = onlyPeopleReports ? REPORT_LINKS.filter((l) => l.key === 'people' || l.key === 'competencies') : REPORT_LINKS;
  return html`<nav aria-label="Reports" class="no-print"><ul class="inline-list">${links.map((l) => html`<li><a href="${l.href}${qs(l.key === 'overview' || l.key === 'statements' ? keep : { org: keep['org'] })}"${l.key === current ? html` aria-current="page"` : ''}>${l.label}</a></li>`)}</ul></nav>`;
}

/** The filters of a request worth saving: its string query parameters, without paging. */
export function savableParams(query: Record<string, unknown>, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string' && v !== '' && k !== 'more' && k !== 'page') out[k] = v;
  return { ...out, ...extra };
}

/** "Save these filters": a name for the report's current filters, shared with the organization's analysts (POST /reports/saved). */
export function saveFiltersForm(o: { csrf: string; org: string; report: string; params: Record<string, string> }): Html {
  return html`<section class="no-print save-filters" aria-labelledby="save-h"><h2 id="save-h">Save these filters</h2>
<form method="post" action="/reports/saved">
  <input type="hidden" name="_csrf" value="${o.csrf}">
  <input type="hidden" name="org" value="${o.org}">
  <input type="hidden" name="report" value="${o.report}">
  <input type="hidden" name="params" value="${new URLSearchParams({ ...o.params, org: o.org }).toString()}">
  <label for="save-name">Name</label><input id="save-name" name="name" required maxlength="200" aria-describedby="save-hint">
  <small id="save-hint" class="muted">Shared with your organization's analysts, under <a href="/reports/saved${qs({ org: o.org })}">Saved reports</a>.</small>
  <div class="actions"><button type="submit">Save</button></div>
</form></section>`;
}

/** The organizations where the viewer may open the people and competencies reports as a manager or administrator. */
export function peopleReportOrgs(user: UserContext, orgs: readonly Organization[]): Organization[] {
  return orgs.filter((o) => user.isSiteAdmin || user.roles.get(o.id)?.has('manager') === true || user.roles.get(o.id)?.has('orgAdmin') === true);
}

/** /reports for a manager or administrator who is no analyst: their people's reports, per organization. */
export function peopleReportsLanding(orgs: readonly Pick<Organization, 'id' | 'name'>[]): Html {
  return html`<h1>Reports</h1>
${reportsNav(undefined, { org: orgs[0]?.id }, true)}
<p>The reports about the people you manage or administer: for a manager, the people of their units and the units below.</p>
<ul class="report-orgs">${orgs.map((o) => html`<li><strong>${o.name}</strong>:
<a href="/reports/people${qs({ org: o.id })}">People</a> ·
<a href="/reports/competencies${qs({ org: o.id })}">Competencies</a></li>`)}</ul>`;
}
