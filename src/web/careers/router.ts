import express, { Router } from 'express';
import type { AppServices } from '../../deps';
import { pageErrorHandler } from '../accounts/page-errors';
import { mountGoalPages } from './goal-pages';
import { mountHeatPages } from './heat-pages';
import { mountPlanPages } from './plan-pages';
import { mountProfilePages } from './profile-pages';
import { mountTeamPages } from './team-pages';

/** The careers pages (issue 15): units, team, role profiles, goals. Mounted by careersRouter. */
export function careerPagesRouter(s: AppServices): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 500 });
  mountTeamPages(router, s, form);
  mountProfilePages(router, s, form);
  mountGoalPages(router, s, form);
  mountPlanPages(router, s, form);
  mountHeatPages(router, s);
  router.use(pageErrorHandler());
  return router;
}
