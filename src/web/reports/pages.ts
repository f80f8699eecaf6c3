/** Report pages (issue 16): server-rendered, twins of /api/reports/*. */
import { registerLandingPage } from '../../catalog/extension-points';
import express, { type Router } from 'express';
import { requireUser } from '../../accounts/guards';
import { buildOverview, parseOverviewQuery } from '../../reports/overview';
import { orgNames } from '../../reports/names';
import { lensForRequest, type ReportDeps } from '../../reports/service';
import { lensChoices, type ReportLens } from '../../reports/access';
import { sendPage, signedIn } from '../accounts/render';
import { pageErrorHandler } from '../accounts/page-errors';
import { overviewView } from './overview-page';
import { explorerView } from './explorer-page';
import { explorerPage, parseExplorerQuery, pickablePeople } from '../../reports/explorer';
import type { Config } from '../../config';
import { courseReportView } from './course-page';
import { buildCourseReport } from '../../reports/course-report';
import type { UserContext } from '../../accounts/user-context';
import { maySaveReports } from '../../reports/saved';
import { html, type Html } from '../html';
import { peopleReportOrgs, peopleReportsLanding, saveFiltersForm, savableParams } from './views';

async function lensLabel(deps: ReportDeps, lens: ReportLens): Promise<string> {
  if (lens.view === 'site') return 'The whole site.';
  const name = (await orgNames(deps.store)).get(lens.orgId ?? '') ?? lens.orgId ?? '';
  return lens.view === 'people' ? `The learning of ${name}'s people.` : `How ${name}'s courses are used across organizations.`;
}

/** The learner organizations a lens may filter by. */
async function filterOrgs(deps: ReportDeps, lens: ReportLens): Promise<{ id: string; name: string }[]> {
  if (lens.scope.orgIds !== undefined) return [];
  return (await deps.store.accounts.findOrganizations()).map((o) => ({ id: o.id, name: o.name }));
}

/** The "save these filters" form, for analysts of the lens's organization (saved reports belong to one). */
function saveForm(user: UserContext, lens: ReportLens, report: string, q: Record<string, unknown>, extra: Record<string, string> = {}): Html {
  if (!maySaveReports(user, lens.orgId)) return html``;
  return saveFiltersForm({ csrf: user.csrfToken, org: lens.orgId ?? '', report, params: savableParams(q, { view: lens.view, ...extra }) });
}

/** Mounts the report pages. */
export function reportPages(deps: ReportDeps & { readonly config: Pick<Config, 'publicUrl'> }): Router {
  // Analysts land on the overview after signing in (the learner site's landing extension point).
  registerLandingPage('analyst', '/reports');
  const pages = express.Router();
  pages.get('/reports', requireUser(), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    // Managers and administrators who are no analyst: the reports about their people, not a 403.
    const orgs = await deps.store.accounts.findOrganizations();
    const user = signedIn(res);
    const asked = typeof q['org'] === 'string' && q['org'] !== '';
    if (!asked && lensChoices(user, orgs).length === 0) {
      const mine = peopleReportOrgs(user, orgs);
      if (mine.length > 0) {
        sendPage(res, 200, { title: 'Reports', body: peopleReportsLanding(mine) });
        return;
      }
    }
    const { lens, choices } = await lensForRequest(deps, user, q);
    const o = await buildOverview(deps.store, lens, parseOverviewQuery(q, deps.now()));
    sendPage(res, 200, { title: 'Reports', body: html`${overviewView(o, lens, choices, await lensLabel(deps, lens), await filterOrgs(deps, lens))}${saveForm(signedIn(res), lens, 'overview', q)}` });
  });
  pages.get('/reports/courses/:courseId', requireUser(), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const { lens } = await lensForRequest(deps, signedIn(res), q);
    const r = await buildCourseReport(deps.store, lens, String(req.params['courseId']), parseOverviewQuery(q, deps.now()));
    sendPage(res, 200, { title: `Course report: ${r.course.title}`, body: html`${courseReportView(r, lens)}${saveForm(signedIn(res), lens, 'courses', q, { course: r.course.id })}` });
  });
  pages.get('/reports/statements', requireUser(), async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const { lens } = await lensForRequest(deps, signedIn(res), q);
    const query = parseExplorerQuery(q);
    const page = await explorerPage(deps.store, deps.config.publicUrl, lens, query);
    const raw = Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    sendPage(res, 200, { title: 'Statement explorer', body: html`${explorerView({ page, lens, raw, people: await pickablePeople(deps.store, lens), query })}${saveForm(signedIn(res), lens, 'statements', q)}` });
  });
  pages.use(pageErrorHandler());
  return pages;
}
