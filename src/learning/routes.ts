/**
 * JSON API of the learner's side (issue 18), the twins of the My learning and catalog pages:
 *
 *   GET    /api/my-learning                           the signed-in person's dashboard
 *   GET    /api/transcript                            their completions with certificate verification URLs
 *   GET    /api/certificates/:token                   public: confirms a certificate
 *   GET    /api/catalog/entries/:entryId              one entry the person may see
 *   PUT    /api/catalog/entries/:entryId/visibility   authors of its organization
 *   GET    /api/orgs/:orgId/learning-target           members
 *   PUT    /api/orgs/:orgId/learning-target           organization administrators
 *   GET    /api/orgs/:orgId/assignments               organization administrators
 *   POST   /api/orgs/:orgId/assignments               organization administrators (managers once careers registers them)
 *   DELETE /api/orgs/:orgId/assignments/:assignmentId the same
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { requireCsrf, requireUser } from '../accounts/guards';
import { actorOf } from '../accounts/api/respond';
import { parseVisibilityChange, setEntryVisibility, visibleEntry } from '../catalog/service';
import type { AppServices } from '../deps';
import { jsonBody } from '../http/json-body';
import { createAssignment, deleteAssignment, getLearningTarget, listAssignments, parseAssignment, parseTarget, setLearningTarget } from './assignments';
import { myLearning } from './dashboard';
import { myTranscript, verifyCertificate } from './transcript';
import { notFound } from '../errors';

type Handler = (req: Request, res: Response) => Promise<void>;

export function learningApiRouter(s: AppServices): Router {
  const api = Router();
  const signedIn = requireUser();
  const csrf = requireCsrf();
  const json = jsonBody({ limit: '32kb', type: ['application/json', 'application/*+json'] });
  const run = (h: Handler): RequestHandler => (req, res, next) => {
    h(req, res).catch(next);
  };
  const p = (req: Request, name: string): string => String(req.params[name] ?? '');

  api.get('/my-learning', signedIn, run(async (_req, res) => {
    res.json(await myLearning(s, actorOf(res)));
  }));
  api.get('/transcript', signedIn, run(async (_req, res) => {
    res.json(await myTranscript(s, actorOf(res)));
  }));
  // Public twin of /certificates/:token: 404 unless LearnHQ issued it and the completion exists.
  api.get('/certificates/:token', run(async (req, res) => {
    const f = await verifyCertificate(s, p(req, 'token'));
    if (!f) throw notFound('LearnHQ cannot confirm this certificate');
    res.json({ verified: true, name: f.name, title: f.title, provider: f.provider, completedAt: f.completedAt });
  }));
  api.get('/catalog/entries/:entryId', signedIn, run(async (req, res) => {
    res.json({ entry: await visibleEntry(s, actorOf(res), p(req, 'entryId')) });
  }));
  api.put('/catalog/entries/:entryId/visibility', signedIn, json, csrf, run(async (req, res) => {
    res.json({ entry: await setEntryVisibility(s, actorOf(res), p(req, 'entryId'), parseVisibilityChange(req.body)) });
  }));
  api.get('/orgs/:orgId/learning-target', signedIn, run(async (req, res) => {
    res.json({ target: (await getLearningTarget(s, actorOf(res), p(req, 'orgId'))) ?? null });
  }));
  api.put('/orgs/:orgId/learning-target', signedIn, json, csrf, run(async (req, res) => {
    res.json({ target: await setLearningTarget(s, actorOf(res), p(req, 'orgId'), parseTarget(req.body)) });
  }));
  api.get('/orgs/:orgId/assignments', signedIn, run(async (req, res) => {
    res.json({ assignments: await listAssignments(s, actorOf(res), p(req, 'orgId')) });
  }));
  api.post('/orgs/:orgId/assignments', signedIn, json, csrf, run(async (req, res) => {
    const a = await createAssignment(s, actorOf(res), p(req, 'orgId'), parseAssignment(req.body));
    res.status(201).json({ assignment: a });
  }));
  api.delete('/orgs/:orgId/assignments/:assignmentId', signedIn, csrf, run(async (req, res) => {
    await deleteAssignment(s, actorOf(res), p(req, 'orgId'), p(req, 'assignmentId'));
    res.status(204).end();
  }));
  const router = Router();
  router.use('/api', api);
  return router;
}
