/**
 * HTTP of the data-boundary operations (issue 4): a learner's records download and the site
 * administrator's erasure of one person. JSON API only (the pages link to it).
 */
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { AppServices } from '../deps';
import { erasePerson } from './erasure';
import { currentUser, requireCsrf, requireSiteAdmin, requireUser } from './guards';
import { exportRecords } from './records-export';
import type { UserContext } from './user-context';

function wrap(fn: (req: Request, res: Response, user: UserContext) => Promise<void>): RequestHandler {
  return (req, res, next: NextFunction) => {
    const user = currentUser(res);
    if (!user) return requireUser()(req, res, next);
    fn(req, res, user).catch(next);
  };
}

/** GET /api/me/records and POST /api/admin/people/:userId/erase. */
export function boundariesRouter(services: AppServices): Router {
  const router = Router();

  router.get('/api/me/records', requireUser(), wrap(async (_req, res, user) => {
    const chunks = exportRecords(services, user);
    // Read the first chunk before answering so that a failure still gets a proper error status.
    const first = await chunks.next();
    const day = services.now().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="learnhq-records-${day}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    if (!first.done) res.write(first.value);
    try {
      for await (const chunk of chunks) {
        if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve));
      }
      res.end();
    } catch (err) {
      // Headers are gone: cut the download short so the client sees a broken file, not a truncated "valid" one.
      services.logger.error({ err, userId: user.userId }, 'records export failed midway');
      res.destroy();
    }
  }));

  router.post('/api/admin/people/:userId/erase', requireUser(), requireCsrf(), requireSiteAdmin(), wrap(async (req, res, user) => {
    const result = await erasePerson(services, user, String(req.params['userId']));
    res.status(200).json({
      userId: result.userId,
      statements: result.statements,
      attachments: result.attachments,
      documents: result.documents,
      sessions: result.sessions,
      ...result.other,
      audit: { id: result.audit.id, at: result.audit.at, action: result.audit.action },
    });
  }));

  return router;
}
