/**
 * Competency pages (twins of src/competency/routes.ts, same services and access rules):
 *   /competencies                                  framework list (+ import form for authors/admins)
 *   /competencies/:fid                             tree with search
 *   /competencies/:fid/items/:identifier           one competency (+ self-assessment, + alignment form for authors)
 *   /me/competencies                               my profile (tree, levels, evidence trail, lapses soon, exports)
 *   /me/competencies/statements/:id                a statement behind my evidence
 *   /admin/competency/:orgId                       self-assessments to confirm (orgAdmin; a manager: their people's)
 *   /admin/competency/:orgId/badges                badges of the organization, and the form to define one (badge-pages.ts)
 */
import express, { type Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import { hasRole } from '../../accounts/user-context';
import { createAlignment } from '../../competency/alignments';
import { buildTree, frameworkOr404, importCaseFor, importCsvFor, searchItems } from '../../competency/frameworks';
import { confirmSelfAssessment, listSelfAssessments, profileOf, selfAssess } from '../../competency/profile';
import { competencyView } from '../../competency/views';
import type { AppServices } from '../../deps';
import { badRequest, notFound } from '../../errors';
import type { Course, Organization } from '../../store/ports';
import { pageErrorHandler } from '../accounts/page-errors';
import { sendPage, signedIn } from '../accounts/render';
import { html } from '../html';
import { credentialOfJwt, verifyCredential } from '../../competency/badges';
import { mountBadgePages } from './badge-pages';
import { competencyPageView, confirmationsView, frameworkListView, frameworkView, myBadgesView, profileView, verifyView } from './views';

const form = express.urlencoded({ extended: false, limit: '5mb' });
const str = (body: unknown, k: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[k];
  return typeof v === 'string' ? v.trim() : '';
};
const num = (v: string): number | undefined => (v === '' ? undefined : Number(v));

/** Mounts the competency pages. */
export function mountCompetencyPages(router: Router, s: AppServices): void {
  const pages = express.Router();
  const orgsOf = async (ids: Iterable<string>): Promise<Organization[]> => {
    const out: Organization[] = [];
    for (const id of ids) {
      const o = await s.store.accounts.findOrganization(id);
      if (o) out.push(o);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  };

  pages.get('/competencies', requireUser(), async (_req, res) => {
    const user = signedIn(res);
    const frameworks = await s.store.competency.findFrameworks({});
    const names = new Map((await orgsOf(new Set(frameworks.map((f) => f.orgId)))).map((o) => [o.id, o.name]));
    const importOrgs = await orgsOf([...user.roles.keys()].filter((id) => hasRole(user, id, 'author', 'orgAdmin')));
    sendPage(res, 200, { title: 'Competency frameworks', body: frameworkListView(frameworks, names, importOrgs, user.csrfToken) });
  });
  pages.post('/competencies/import', requireUser(), form, requireCsrf(), async (req, res) => {
    const user = signedIn(res);
    const orgId = str(req.body, 'orgId');
    const text = str(req.body, 'text');
    let result;
    if (str(req.body, 'format') === 'csv') {
      result = await importCsvFor(s, user, orgId, { csv: text, title: str(req.body, 'title') });
    } else {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw badRequest('the package is not JSON');
      }
      result = await importCaseFor(s, user, orgId, body);
    }
    res.redirect(303, `/competencies/${encodeURIComponent(result.framework.id)}`);
  });
  pages.get('/competencies/:fid', requireUser(), async (req, res) => {
    const f = await frameworkOr404(s, String(req.params['fid']));
    const items = await s.store.competency.findItems({ frameworkId: f.id });
    const q = typeof req.query['q'] === 'string' && req.query['q'].trim() !== '' ? req.query['q'] : undefined;
    sendPage(res, 200, { title: f.title, body: frameworkView(f, buildTree(items), q, q !== undefined ? searchItems(items, q) : undefined) });
  });
  pages.get('/competencies/:fid/items/:identifier', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const v = await competencyView(s, user, String(req.params['fid']), String(req.params['identifier']));
    const memberOrgs = await orgsOf(user.roles.keys());
    const authorOrgs = memberOrgs.filter((o) => hasRole(user, o.id, 'author', 'orgAdmin'));
    const courses: (Course & { orgName: string })[] = [];
    for (const o of authorOrgs) for (const c of await s.store.courses.findCourses({ orgIds: [o.id] })) if (c.currentVersionId) courses.push({ ...c, orgName: o.name });
    sendPage(res, 200, { title: v.item.abbreviatedStatement ?? v.item.fullStatement, body: competencyPageView(v, { csrf: user.csrfToken, memberOrgs, authorOrgs, authorCourses: courses }) });
  });
  pages.post('/competencies/:fid/items/:identifier/self', requireUser(), form, requireCsrf(), async (req, res) => {
    const fid = String(req.params['fid']);
    const identifier = String(req.params['identifier']);
    await selfAssess(s, signedIn(res), { orgId: str(req.body, 'orgId'), frameworkId: fid, itemIdentifier: identifier, level: num(str(req.body, 'level')) });
    res.redirect(303, `/competencies/${encodeURIComponent(fid)}/items/${encodeURIComponent(identifier)}`);
  });
  pages.post('/competencies/:fid/items/:identifier/align', requireUser(), form, requireCsrf(), async (req, res) => {
    const fid = String(req.params['fid']);
    const identifier = String(req.params['identifier']);
    const b = req.body as unknown;
    const kind = str(b, 'rule');
    const rule = kind === 'scaled' ? { kind, min: num(str(b, 'min')) } : kind === 'verb' ? { kind, verb: str(b, 'verb') } : { kind };
    const courseId = str(b, 'courseId');
    const validDays = num(str(b, 'validDays'));
    await createAlignment(s, signedIn(res), str(b, 'orgId'), {
      frameworkId: fid, itemIdentifier: identifier, level: num(str(b, 'level')), rule,
      target: courseId !== '' ? { kind: 'course', courseId } : { kind: 'activity', activityId: str(b, 'activityId') },
      ...(validDays !== undefined ? { validDays } : {}),
    });
    res.redirect(303, `/competencies/${encodeURIComponent(fid)}/items/${encodeURIComponent(identifier)}`);
  });
  pages.get('/me/competencies', requireUser(), async (_req, res) => {
    sendPage(res, 200, { title: 'My competency profile', body: profileView(await profileOf(s, signedIn(res))) });
  });
  pages.get('/me/competencies/statements/:id', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const id = String(req.params['id']);
    const mine = (await s.store.competency.findEvidence({ userId: user.userId })).some((e) => e.statementId === id);
    const [st] = mine ? await s.store.statements.findStatementsByIds([id]) : [];
    if (!st) throw notFound(`no statement ${id} among your evidence`);
    sendPage(res, 200, { title: 'Statement', body: html`<h1>Statement ${id}</h1><p><a href="/me/competencies">Back to my profile</a></p><pre>${JSON.stringify(st.statement, null, 2)}</pre>` });
  });
  pages.get('/admin/competency/:orgId', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const orgId = String(req.params['orgId']);
    const list = await listSelfAssessments(s, user, orgId);
    const org = await s.store.accounts.findOrganization(orgId);
    if (!org) throw notFound(`no organization ${orgId}`);
    const people = new Map((await s.store.accounts.findUsers([...new Set(list.map((a) => a.userId))])).map((u) => [u.id, u.name]));
    const rows = [];
    for (const a of list) {
      const f = await s.store.competency.findFramework(a.frameworkId);
      const [item] = await s.store.competency.findItems({ frameworkId: a.frameworkId, identifiers: [a.itemIdentifier], includeRetired: true });
      rows.push({ a, person: people.get(a.userId) ?? a.userId, competency: item ? (item.abbreviatedStatement ?? item.fullStatement) : a.itemIdentifier, level: f?.scale.find((l) => l.rank === a.level)?.name ?? String(a.level) });
    }
    sendPage(res, 200, { title: 'Self-assessments', body: confirmationsView(org, rows, user.csrfToken) });
  });
  pages.post('/admin/competency/:orgId/confirm', requireUser(), form, requireCsrf(), async (req, res) => {
    const orgId = String(req.params['orgId']);
    await confirmSelfAssessment(s, signedIn(res), orgId, { userId: str(req.body, 'userId'), frameworkId: str(req.body, 'frameworkId'), itemIdentifier: str(req.body, 'itemIdentifier') });
    res.redirect(303, `/admin/competency/${encodeURIComponent(orgId)}`);
  });
  pages.get('/me/badges', requireUser(), async (_req, res) => {
    const list = await s.store.competency.findCredentials({ userId: signedIn(res).userId });
    sendPage(res, 200, {
      title: 'My badges',
      body: myBadgesView(list.map((c) => ({
        uuid: c.id.replace('urn:uuid:', ''), name: String(credentialOfJwt(c.jwt)['name'] ?? 'Badge'), issuedAt: c.issuedAt, badgeId: c.badgeId,
        ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}), ...(c.revokedAt ? { revokedAt: c.revokedAt } : {}),
      }))),
    });
  });
  // Public: anyone shown a badge can check it (twin of POST /api/ob/verify).
  pages.get('/ob/verify', (_req, res) => {
    sendPage(res, 200, { title: 'Verify a badge', body: verifyView('') });
  });
  pages.post('/ob/verify', form, async (req, res) => {
    const token = str(req.body, 'jwt');
    sendPage(res, 200, { title: 'Verify a badge', body: verifyView(token, await verifyCredential(s, token)) });
  });
  mountBadgePages(pages, s);
  pages.use(pageErrorHandler());
  router.use(pages);
}
