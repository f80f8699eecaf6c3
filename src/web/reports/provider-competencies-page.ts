/**
 * /reports/provider-competencies: attainment through a provider's courses across organizations
 * (twin of GET /api/reports/provider-competencies). Aggregates only; withheld groups say so.
 */
import express, { type Router } from 'express';
import { requireUser } from '../../accounts/guards';
import type { AppServices } from '../../deps';
import { analystOrgs } from '../../reports/access';
import type { AttainmentCell, ProviderAttainment } from '../../reports/provider-attainment';
import { providerAttainmentFor } from '../../reports/provider-attainment-routes';
import { pageErrorHandler } from '../accounts/page-errors';
import { sendPage, signedIn } from '../accounts/render';
import { html, type Html } from '../html';
import { chartFigure, qs, reportsNav } from './views';

const figure = (c: AttainmentCell, min: number): Html => (c.suppressed ? html`<span class="muted">fewer than ${min}: not shown</span>` : html`${c.people ?? 0}`);

export function providerCompetenciesView(r: ProviderAttainment, providers: readonly { id: string; name: string }[]): Html {
  const filters = { org: r.providerOrgId, from: r.from, to: r.to };
  const label = (c: ProviderAttainment['competencies'][number]): string => (c.code ? `${c.code} ${c.name}` : c.name);
  const overall = html`<table id="table-provider-overall">
<caption>People who attained each competency through ${r.providerName}'s courses, ${r.from} to ${r.to}</caption>
<thead><tr><th scope="col">Competency</th><th scope="col">Courses</th><th scope="col">People, all organizations</th></tr></thead>
<tbody>${r.competencies.length === 0 ? html`<tr><td colspan="3">No competency is aligned to these courses yet.</td></tr>`
    : r.competencies.map((c) => html`<tr><th scope="row">${label(c)}<br><small class="muted">${c.framework}</small></th><td>${c.courses.map((x) => x.title).join(', ')}</td><td>${figure(c.overall, r.minGroup)}</td></tr>`)}</tbody>
</table>`;
  return html`<h1>Competencies through ${r.providerName}'s courses</h1>
${reportsNav(undefined, { org: r.providerOrgId })}
<p>How many people of every organization attained the competencies aligned to your courses, through those courses. Aggregates only: no names, and no group of fewer than ${r.minGroup} people of another organization is shown; organizations that small are summed as "other organizations".</p>
<form method="get" action="/reports/provider-competencies" class="filters">
  ${providers.length > 1 ? html`<label for="org">Provider</label>
  <select id="org" name="org">${providers.map((o) => html`<option value="${o.id}"${o.id === r.providerOrgId ? html` selected` : ''}>${o.name}</option>`)}</select>`
    : html`<input type="hidden" name="org" value="${r.providerOrgId}">`}
  <label for="from">From month</label><input id="from" name="from" type="month" value="${r.from}" placeholder="YYYY-MM">
  <label for="to">To month</label><input id="to" name="to" type="month" value="${r.to}" placeholder="YYYY-MM">
  <div class="actions"><button type="submit">Show</button></div>
</form>
<section aria-labelledby="overall-h"><h2 id="overall-h">All organizations</h2>
${chartFigure({
    title: 'People who attained each competency through our courses', svgHref: `/api/reports/provider-competencies/chart.svg${qs(filters)}`, csvHref: `/api/reports/provider-competencies.csv${qs(filters)}`,
    alt: 'Bar chart of the people who attained each competency through these courses in the period, all organizations together; the table below gives the same figures.', table: overall,
  })}
</section>
<section aria-labelledby="orgs-h"><h2 id="orgs-h">By organization</h2>
<table id="table-provider-orgs">
<caption>People per competency and organization</caption>
<thead><tr><th scope="col">Competency</th><th scope="col">Organization</th><th scope="col">People</th></tr></thead>
<tbody>${r.competencies.length === 0 ? html`<tr><td colspan="3">Nothing to show.</td></tr>` : r.competencies.map((c) => html`${c.byOrganization.map((o) => html`<tr><th scope="row">${label(c)}</th><td>${o.orgName}</td><td>${figure(o, r.minGroup)}</td></tr>`)}${
    c.otherOrganizations ? html`<tr><th scope="row">${label(c)}</th><td>Other organizations (${c.otherOrganizations.organizations})</td><td>${figure(c.otherOrganizations, r.minGroup)}</td></tr>` : ''}${
    c.byOrganization.length === 0 && !c.otherOrganizations ? html`<tr><th scope="row">${label(c)}</th><td colspan="2">Nobody in this period.</td></tr>` : ''}`)}</tbody>
</table>
<p><a href="/api/reports/provider-competencies.csv${qs(filters)}" download>Download this table as CSV</a></p>
</section>`;
}

export function providerCompetenciesPages(s: AppServices): Router {
  const pages = express.Router();
  pages.get('/reports/provider-competencies', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const r = await providerAttainmentFor(s, user, req.query as Record<string, unknown>);
    const providers = analystOrgs(user, await s.store.accounts.findOrganizations()).filter((o) => o.kind !== 'member').map((o) => ({ id: o.id, name: o.name }));
    sendPage(res, 200, { title: `Competencies through ${r.providerName}'s courses`, body: providerCompetenciesView(r, providers) });
  });
  pages.use(pageErrorHandler());
  return pages;
}
