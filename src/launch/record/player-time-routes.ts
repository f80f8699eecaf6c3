/**
 * POST /api/play/:sessionId/time — the player page's report of its time, `{ seconds }` (JSON, or
 * text/plain as a page sends it while unloading). The learner's session cookie and CSRF header, as
 * for every page API; 204.
 */
import express, { Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import type { UserContext } from '../../accounts/user-context';
import type { AppServices } from '../../deps';
import { parsePlayerTime, recordPlayerTime } from './player-time';

export function playerTimeRouter(s: AppServices): Router {
  const router = Router();
  const body = express.json({ type: ['application/json', 'text/plain'], limit: '1kb' });
  router.post('/api/play/:sessionId/time', body, requireUser(), requireCsrf(), (req, res, next) => {
    const user = res.locals['user'] as UserContext;
    recordPlayerTime(s, user, String(req.params['sessionId']), parsePlayerTime(req.body)).then(() => {
      res.set('Cache-Control', 'no-store').status(204).end();
    }, next);
  });
  return router;
}
