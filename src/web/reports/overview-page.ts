/** /reports: the overview page (twin of GET /api/reports/overview). */
import type { LensChoice, ReportLens } from '../../reports/access';
import type { Overview } from '../../reports/overview';
import { html, type Html } from '../html';
import { chartFigure, figuresTable, figureText, lensNav, lensParams, qs, reportsNav } from './views';

export function overviewView(o: Overview, lens: ReportLens, choices: readonly LensChoice[], lensLabel: string, orgs: readonly { id: string; name: string }[]): Html {
  const filters = { from: o.query.from, to: o.query.to, period: o.query.period, learnerOrg: o.query.learnerOrgId };
  const all = { ...lensParams(lens), ...filters };
  const csv = (table: string): string => `/api/reports/overview.csv${qs({ ...all, table })}`;
  const svg = (chart: string): string => `/api/reports/overview/chart.svg${qs({ ...all, chart })}`;
  const t = o.totals.figures;
  return html`<h1>Reports</h1>
<p class="muted">${lensLabel}${lens.minGroup > 1 ? ` Other organizations' learners are shown only in groups of ${lens.minGroup} or more, never by name.` : ''}</p>
${lensNav('/reports', lens, choices, filters)}
${reportsNav('overview', all)}
<form method="get" action="/reports" class="filters">
  ${lens.orgId ? html`<input type="hidden" name="org" value="${lens.orgId}">` : ''}
  <input type="hidden" name="view" value="${lens.view}">
  <label for="from">From</label><input id="from" name="from" type="date" value="${o.query.from}">
  <label for="to">To</label><input id="to" name="to" type="date" value="${o.query.to}">
  <label for="period">Per</label>
  <select id="period" name="period">${(['day', 'week', 'month'] as const).map((p) => html`<option value="${p}"${p === o.query.period ? html` selected` : ''}>${p}</option>`)}</select>
  ${orgs.length > 1 ? html`<label for="learnerOrg">Learners of</label>
  <select id="learnerOrg" name="learnerOrg"><option value="">All organizations</option>${orgs.map((x) => html`<option value="${x.id}"${x.id === o.query.learnerOrgId ? html` selected` : ''}>${x.name}</option>`)}</select>` : ''}
  <div class="actions"><button type="submit">Show</button></div>
</form>
<section aria-labelledby="totals-h"><h2 id="totals-h">In this period</h2>
${t ? html`<dl class="facts totals">
  <dt>Active learners</dt><dd>${figureText(t, 'learners')}</dd>
  <dt>Launches</dt><dd>${figureText(t, 'launches')}</dd>
  <dt>Completions</dt><dd>${figureText(t, 'completions')}</dd>
  <dt>Pass rate</dt><dd>${figureText(t, 'passRate')}</dd>
  <dt>Learning hours</dt><dd>${figureText(t, 'hours')}</dd>
</dl>` : html`<p>Fewer than ${lens.minGroup} learners in this period: the figures are not shown.</p>`}
</section>
<section aria-labelledby="time-h"><h2 id="time-h">Over time</h2>
${chartFigure({ title: `Per ${o.query.period}`, svgHref: svg('overTime'), csvHref: csv('overTime'), alt: `Line chart of active learners, launches, completions and passes per ${o.query.period}; the table below gives the same figures.`, table: figuresTable(`Per ${o.query.period}`, o.query.period === 'month' ? 'Month' : o.query.period === 'week' ? 'Week of' : 'Day', o.overTime, 'table-overTime') })}
</section>
<section aria-labelledby="top-h"><h2 id="top-h">Top courses</h2>
${chartFigure({ title: 'Top courses by launches', svgHref: svg('topCourses'), csvHref: csv('topCourses'), alt: 'Bar chart of launches and completions of the ten most launched courses; the table below gives the same figures.', table: figuresTable('Top courses', 'Course', o.topCourses, 'table-topCourses') })}
</section>
<section aria-labelledby="org-h"><h2 id="org-h">By organization</h2>
${chartFigure({ title: 'Learning hours by organization', svgHref: svg('byOrganization'), csvHref: csv('byOrganization'), alt: 'Bar chart of learning hours per organization; the table below gives the same figures.', table: figuresTable('By organization', 'Organization', o.byOrganization, 'table-byOrganization') })}
</section>
<section aria-labelledby="course-h"><h2 id="course-h">By course</h2>
${figuresTable('By course', 'Course', o.byCourse, 'table-byCourse')}
<p><a href="${csv('byCourse')}" download>Download CSV</a>${o.byCourse.filter((c) => !c.suppressed).length > 0 ? html` · Course reports: ${o.byCourse.filter((c) => !c.suppressed).slice(0, 50).map((c, i) => html`${i > 0 ? ', ' : ''}<a href="/reports/courses/${encodeURIComponent(c.key)}${qs(all)}">${c.label}</a>`)}` : ''}</p>
</section>
<section aria-labelledby="prov-h"><h2 id="prov-h">By provider</h2>
${figuresTable('By provider', 'Provider', o.byProvider, 'table-byProvider')}
<p><a href="${csv('byProvider')}" download>Download CSV</a></p>
</section>
<section aria-labelledby="format-h"><h2 id="format-h">By format</h2>
${figuresTable('By format (active learners: at least)', 'Format', o.byFormat, 'table-byFormat')}
<p><a href="${csv('byFormat')}" download>Download CSV</a></p>
</section>`;
}
