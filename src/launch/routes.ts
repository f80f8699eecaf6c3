/**
 * The player's HTTP surface on the app origin: the learner API (course standing, launch, player
 * view), the runtime API for the launcher, and the course and player pages.
 * Mount with `app.use(launchRouter(services, options))` after the session middleware.
 */
import express, { Router, type Request, type Response } from 'express';
import { jsonBody } from '../http/json-body';
import { requireCsrf, requireUser, userOf } from '../accounts/guards';
import type { AppServices } from '../deps';
import { mountPlayerPages } from '../web/player/pages';
import { playerTimeRouter } from './record/player-time-routes';
import { runtimeRouter } from './runtime-routes';
import { courseStanding, launchCourse, openPlayer, parseLaunchRequest, type PlayerView } from './service';
import type { LaunchOptions } from './types';

/** The JSON twin of the player page. */
export function playerJson(v: PlayerView): Record<string, unknown> {
  return {
    sessionId: v.session.id,
    mode: v.session.mode,
    format: v.version.format,
    course: { id: v.course.id, title: v.course.title },
    attempt: { id: v.attempt.id, number: v.attempt.number },
    frameUrl: v.launch.frameUrl,
    newWindow: v.launch.newWindow ?? false,
    units: v.units.map((u) => ({ id: u.id, title: u.title, kind: u.kind })),
  };
}

/** The launch area's router (API, runtime, pages). */
export function launchRouter(s: AppServices, options: LaunchOptions = {}): Router {
  const router = Router();
  router.use(runtimeRouter(s));
  router.use(playerTimeRouter(s));

  const api = Router();
  const run = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: express.NextFunction): void => {
    fn(req, res).catch(next);
  };
  api.use(jsonBody({ limit: '64kb' }));
  api.get('/api/courses/:courseId/me', requireUser(), run(async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await courseStanding(s, userOf(res), String(req.params['courseId'])));
  }));
  api.post('/api/courses/:courseId/launch', requireUser(), requireCsrf(), run(async (req, res) => {
    const result = await launchCourse(s, userOf(res), String(req.params['courseId']), parseLaunchRequest(req.body));
    res.status(201).set('Cache-Control', 'no-store').json(result);
  }));
  api.get('/api/play/:sessionId', requireUser(), run(async (req, res) => {
    res.set('Cache-Control', 'no-store').json(playerJson(await openPlayer(s, userOf(res), String(req.params['sessionId']), options)));
  }));
  router.use(api);

  mountPlayerPages(router, s, options);
  return router;
}
