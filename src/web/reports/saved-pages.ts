/** /reports/saved: the organization's saved reports (twin of /api/reports/saved), opened or deleted; and the "save these filters" form's target. */
import express, { type Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import type { UserContext } from '../../accounts/user-context';
import type { AppServices } from '../../deps';
import { forbidden } from '../../errors';
import { createSavedReport, deleteSavedReport, savedOrgOf, savedReportHref } from '../../reports/saved';
import type { SavedReport } from '../../store/ports';
import { formBody, text } from '../accounts/forms';
import { pageErrorHandler } from '../accounts/page-errors';
import { sendPage, signedIn } from '../accounts/render';
import { html, type Html } from '../html';
import { qs, reportsNav } from './views';

const REPORT_NAMES: Record<string, string> = { overview: 'Overview', courses: 'Course report', statements: 'Statement explorer', people: 'People', competencies: 'Competencies' };

function savedView(o: { orgId: string; orgs: readonly { id: string; name: string }[]; saved: readonly SavedReport[]; names: ReadonlyMap<string, string>; csrf: string }): Html {
  const orgName = o.orgs.find((x) => x.id === o.orgId)?.name ?? o.orgId;
  return html`<h1>Saved reports of ${orgName}</h1>
${reportsNav('saved', { org: o.orgId })}
${o.orgs.length > 1 ? html`<form method="get" action="/reports/saved" class="filters">
  <label for="org">Organization</label>
  <select id="org" name="org">${o.orgs.map((x) => html`<option value="${x.id}"${x.id === o.orgId ? html` selected` : ''}>${x.name}</option>`)}</select>
  <div class="actions"><button type="submit">Show</button></div></form>` : ''}
${o.saved.length === 0 ? html`<p>No saved reports yet. Every report page has a "Save these filters" form.</p>` : html`<table id="table-saved">
<caption>Saved reports, shared with the organization's analysts</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Report</th><th scope="col">Filters</th><th scope="col">Saved</th><th scope="col">Delete</th></tr></thead>
<tbody>${o.saved.map((r) => html`<tr>
<th scope="row"><a href="${savedReportHref(r)}">${r.name}</a></th>
<td>${REPORT_NAMES[r.report] ?? r.report}</td>
<td>${Object.entries(r.params).filter(([k]) => k !== 'org').map(([k, v]) => `${k}: ${v}`).join(', ') || '–'}</td>
<td>${r.createdAt.slice(0, 10)} by ${o.names.get(r.createdBy) ?? 'someone'}</td>
<td><form method="post" action="/reports/saved/${encodeURIComponent(r.id)}/delete">
  <input type="hidden" name="_csrf" value="${o.csrf}"><input type="hidden" name="org" value="${o.orgId}">
  <button type="submit">Delete<span class="visually-hidden"> ${r.name}</span></button></form></td></tr>`)}</tbody></table>`}`;
}

/** The organizations where the viewer may read saved reports. */
async function analystOrgList(s: AppServices, user: UserContext): Promise<{ id: string; name: string }[]> {
  return (await s.store.accounts.findOrganizations()).filter((o) => user.isSiteAdmin || (user.roles.get(o.id)?.has('analyst') ?? false)).map((o) => ({ id: o.id, name: o.name }));
}

export function savedReportPages(s: AppServices): Router {
  const pages = express.Router();
  const form = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 20 });
  pages.get('/reports/saved', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const orgs = await analystOrgList(s, user);
    const asked = typeof req.query['org'] === 'string' && req.query['org'] !== '' ? req.query['org'] : orgs[0]?.id;
    if (asked === undefined) throw forbidden('saved reports need the analyst role in an organization');
    const orgId = savedOrgOf(user, asked);
    const saved = await s.store.reports.listSavedReports(orgId);
    const names = new Map((await s.store.accounts.findUsers([...new Set(saved.map((r) => r.createdBy))])).map((u) => [u.id, u.name]));
    sendPage(res, 200, { title: 'Saved reports', body: savedView({ orgId, orgs, saved, names, csrf: user.csrfToken }) });
  });
  pages.post('/reports/saved', requireUser(), form, requireCsrf(), async (req, res) => {
    const f = formBody(req);
    const params = Object.fromEntries(new URLSearchParams(text(f, 'params')));
    const saved = await createSavedReport(s.store, signedIn(res), s.now(), { org: text(f, 'org'), name: text(f, 'name'), report: text(f, 'report'), params });
    res.redirect(303, `/reports/saved${qs({ org: saved.orgId })}`);
  });
  pages.post('/reports/saved/:id/delete', requireUser(), form, requireCsrf(), async (req, res) => {
    const org = text(formBody(req), 'org');
    await deleteSavedReport(s.store, signedIn(res), org, String(req.params['id']));
    res.redirect(303, `/reports/saved${qs({ org })}`);
  });
  pages.use(pageErrorHandler());
  return pages;
}
