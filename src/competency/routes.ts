/**
 * The competency JSON API (the pages' twins live in src/web/competency/). HTTP only: parse, call
 * the service, answer. Access rules are in the services.
 *
 *   GET    /api/competency/frameworks                          every framework (signed in)
 *   POST   /api/orgs/:orgId/competency/frameworks              import a CASE 1.1 package (author, orgAdmin)
 *   POST   /api/orgs/:orgId/competency/frameworks/csv          import a CSV sheet {title, csv, identifier?}
 *   GET    /api/competency/frameworks/:id                      framework, scale, tree (?q= search)
 *   GET    /api/competency/frameworks/:id/case                 CASE 1.1 export
 *   GET    /api/competency/frameworks/:id/items/:identifier    one competency, its alignments (your organizations), your evidence
 *   GET    /api/orgs/:orgId/competency/alignments              ?course= &framework= &item= (members)
 *   POST   /api/orgs/:orgId/competency/alignments              (author, orgAdmin)
 *   DELETE /api/competency/alignments/:id                      (author, orgAdmin of its organization)
 *   GET    /api/me/competencies[.csv]                          your profile (JSON, CSV)
 *   PUT    /api/me/competencies/self                           self-assessment {orgId, frameworkId, itemIdentifier, level}
 *   GET    /api/orgs/:orgId/competency/self-assessments        (orgAdmin; a manager: their people's)
 *   POST   /api/orgs/:orgId/competency/confirmations           {userId, frameworkId, itemIdentifier} (orgAdmin; a manager: their people)
 */
import { stringify } from 'csv-stringify/sync';
import { Router, type Request, type Response } from 'express';
import { asyncRoute, requireCsrf, requireUser, userOf } from '../accounts/guards';
import type { AppServices } from '../deps';
import { jsonBody } from '../http/json-body';
import { createAlignment, deleteAlignment, listAlignments } from './alignments';
import { competencyView } from './views';
import { buildTree, exportPackage, frameworkOr404, importCaseFor, importCsvFor, searchItems } from './frameworks';
import { confirmSelfAssessment, listSelfAssessments, profileCsvRows, profileExport, profileOf, selfAssess } from './profile';

const run = asyncRoute;

const q = (req: Request, name: string): string | undefined => (typeof req.query[name] === 'string' && req.query[name] !== '' ? req.query[name] : undefined);
const p = (req: Request, name: string): string => String(req.params[name]);

/** The competency API router (mount before the accounts API: CASE packages are larger than its body limit). */
export function competencyApiRouter(s: AppServices): Router {
  const r = Router();
  const big = jsonBody({ limit: '25mb' });
  const small = jsonBody({ limit: '64kb' });
  const noStore = (res: Response): Response => res.set('Cache-Control', 'no-store');

  r.get('/api/competency/frameworks', requireUser(), run(async (_req, res) => {
    const list = await s.store.competency.findFrameworks({});
    noStore(res).json({ frameworks: list.map((f) => ({ id: f.id, orgId: f.orgId, identifier: f.identifier, uri: f.uri, title: f.title, version: f.version, updatedAt: f.updatedAt })) });
  }));
  r.post('/api/orgs/:orgId/competency/frameworks/csv', small, requireUser(), requireCsrf(), run(async (req, res) => {
    const result = await importCsvFor(s, userOf(res), p(req, 'orgId'), (req.body ?? {}) as { csv: unknown; title: unknown; identifier?: unknown });
    res.status(result.created ? 201 : 200).json(result);
  }));
  r.post('/api/orgs/:orgId/competency/frameworks', big, requireUser(), requireCsrf(), run(async (req, res) => {
    const result = await importCaseFor(s, userOf(res), p(req, 'orgId'), req.body);
    res.status(result.created ? 201 : 200).json(result);
  }));
  r.get('/api/competency/frameworks/:id', requireUser(), run(async (req, res) => {
    const f = await frameworkOr404(s, p(req, 'id'));
    const items = await s.store.competency.findItems({ frameworkId: f.id });
    const search = q(req, 'q');
    noStore(res).json({
      framework: { id: f.id, orgId: f.orgId, identifier: f.identifier, uri: f.uri, title: f.title, version: f.version, scale: f.scale },
      ...(search !== undefined ? { matches: searchItems(items, search).map(({ raw: _raw, ...i }) => i) } : { tree: buildTree(items) }),
    });
  }));
  r.get('/api/competency/frameworks/:id/case', requireUser(), run(async (req, res) => {
    noStore(res).json(await exportPackage(s, p(req, 'id')));
  }));
  r.get('/api/competency/frameworks/:id/items/:identifier', requireUser(), run(async (req, res) => {
    noStore(res).json(await competencyView(s, userOf(res), p(req, 'id'), p(req, 'identifier')));
  }));
  r.get('/api/orgs/:orgId/competency/alignments', requireUser(), run(async (req, res) => {
    const course = q(req, 'course');
    const framework = q(req, 'framework');
    const item = q(req, 'item');
    const list = await listAlignments(s, userOf(res), p(req, 'orgId'), { ...(course ? { courseId: course } : {}), ...(framework ? { frameworkId: framework } : {}), ...(item ? { itemIdentifier: item } : {}) });
    noStore(res).json({ alignments: list });
  }));
  r.post('/api/orgs/:orgId/competency/alignments', small, requireUser(), requireCsrf(), run(async (req, res) => {
    res.status(201).json(await createAlignment(s, userOf(res), p(req, 'orgId'), req.body));
  }));
  r.delete('/api/competency/alignments/:id', requireUser(), requireCsrf(), run(async (req, res) => {
    await deleteAlignment(s, userOf(res), p(req, 'id'));
    res.status(204).end();
  }));
  r.get('/api/me/competencies', requireUser(), run(async (_req, res) => {
    noStore(res).json(profileExport(await profileOf(s, userOf(res), { evidence: true })));
  }));
  r.get('/api/me/competencies.csv', requireUser(), run(async (_req, res) => {
    const csv = stringify(profileCsvRows(await profileOf(s, userOf(res), { evidence: true })));
    noStore(res).type('text/csv').set('Content-Disposition', 'attachment; filename="competencies.csv"').send(csv);
  }));
  r.put('/api/me/competencies/self', small, requireUser(), requireCsrf(), run(async (req, res) => {
    res.json(await selfAssess(s, userOf(res), req.body));
  }));
  r.get('/api/orgs/:orgId/competency/self-assessments', requireUser(), run(async (req, res) => {
    noStore(res).json({ selfAssessments: await listSelfAssessments(s, userOf(res), p(req, 'orgId')) });
  }));
  r.post('/api/orgs/:orgId/competency/confirmations', small, requireUser(), requireCsrf(), run(async (req, res) => {
    res.status(201).json(await confirmSelfAssessment(s, userOf(res), p(req, 'orgId'), req.body));
  }));
  return r;
}
