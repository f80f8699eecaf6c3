/** Report pages about an organization's people (issue 16): /reports/people, /reports/people/:userId, /reports/competencies. */
import express, { type Router } from 'express';
import { requireUser } from '../../accounts/guards';
import type { AppServices } from '../../deps';
import { buildPeopleTable, buildPersonTranscript, parsePeopleQuery, peopleAccess } from '../../reports/people';
import { pageErrorHandler } from '../accounts/page-errors';
import { sendPage, signedIn } from '../accounts/render';
import { peopleView, transcriptView } from './people-page';
import { competencyReportFor } from '../../reports/competencies-routes';
import { competenciesView } from './competencies-page';
import type { UserContext } from '../../accounts/user-context';
import { maySaveReports } from '../../reports/saved';
import { html, type Html } from '../html';
import { saveFiltersForm, savableParams } from './views';

/** The organizations whose people the viewer may look at (for the selector). */
async function reachableOrgs(s: AppServices, user: ReturnType<typeof signedIn>): Promise<{ id: string; name: string }[]> {
  const orgs = await s.store.accounts.findOrganizations();
  return orgs.filter((o) => user.isSiteAdmin || ['analyst', 'orgAdmin', 'manager'].some((r) => user.roles.get(o.id)?.has(r as 'analyst'))).map((o) => ({ id: o.id, name: o.name }));
}

/** The "save these filters" form, for the organization's analysts. */
function saveForm(user: UserContext, orgId: string, report: string, q: Record<string, unknown>): Html {
  if (!maySaveReports(user, orgId)) return html``;
  return saveFiltersForm({ csrf: user.csrfToken, org: orgId, report, params: savableParams(q) });
}

/** Whether the viewer may open the other reports (overview, explorer, saved): an analyst somewhere, or the site administrator. */
const isAnalyst = (user: UserContext): boolean => user.isSiteAdmin || [...user.roles.values()].some((r) => r.has('analyst'));

export function peoplePages(s: AppServices): Router {
  const pages = express.Router();
  pages.get('/reports/people', requireUser(), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const user = signedIn(res);
    const access = await peopleAccess(s, user, typeof q['org'] === 'string' ? q['org'] : undefined);
    const t = await buildPeopleTable(s, access, parsePeopleQuery(q));
    sendPage(res, 200, { title: `People of ${t.orgName}`, body: html`${peopleView(t, await reachableOrgs(s, user), !isAnalyst(user))}${saveForm(user, t.orgId, 'people', q)}` });
  });
  pages.get('/reports/people/:userId', requireUser(), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const access = await peopleAccess(s, signedIn(res), typeof q['org'] === 'string' ? q['org'] : undefined);
    const t = await buildPersonTranscript(s, access, String(req.params['userId']));
    sendPage(res, 200, { title: `Transcript: ${t.name}`, body: transcriptView(t) });
  });
  pages.get('/reports/competencies', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const r = await competencyReportFor(s, user, req.query as Record<string, unknown>);
    // A provider's analysts (and the site administrator) also get the view across organizations.
    const org = (await s.store.accounts.findOrganizations()).find((o) => o.id === r.orgId);
    const provider = org !== undefined && org.kind !== 'member' && (user.isSiteAdmin || user.roles.get(org.id)?.has('analyst') === true);
    sendPage(res, 200, { title: `Competencies of ${r.orgName}`, body: html`${competenciesView(r, await reachableOrgs(s, user), !isAnalyst(user), provider)}${saveForm(user, r.orgId, 'competencies', req.query as Record<string, unknown>)}` });
  });
  pages.use(pageErrorHandler());
  return pages;
}
