import { Router } from 'express';
import { requireUser } from '../../accounts/guards';
import { actorOf, param } from '../../accounts/api/respond';
import type { AppServices } from '../../deps';
import { badRequest } from '../../errors';
import { goalPeopleCsv, goalTrendCsv } from '../goal-export';
import { createGoal, deleteGoal, getGoal, listGoals, parseGoalInput } from '../goals';

/** Organizational goals (mounted under /api): administrators for every unit, managers for theirs. */
export function goalApiRouter(s: AppServices): Router {
  const r = Router();
  const org = (p: Readonly<Record<string, unknown>>): string => param(p['orgId'], 'orgId');
  const goal = (p: Readonly<Record<string, unknown>>): string => param(p['goalId'], 'goalId');

  r.get('/orgs/:orgId/goals', requireUser(), async (req, res) => {
    res.json({ goals: await listGoals(s, actorOf(res), org(req.params)) });
  });
  r.post('/orgs/:orgId/goals', requireUser(), async (req, res) => {
    res.status(201).json(await createGoal(s, actorOf(res), org(req.params), parseGoalInput(req.body)));
  });
  r.get('/orgs/:orgId/goals/:goalId', requireUser(), async (req, res) => {
    res.json(await getGoal(s, actorOf(res), org(req.params), goal(req.params)));
  });
  r.delete('/orgs/:orgId/goals/:goalId', requireUser(), async (req, res) => {
    await deleteGoal(s, actorOf(res), org(req.params), goal(req.params));
    res.status(204).end();
  });
  r.get('/orgs/:orgId/goals/:goalId/export', requireUser(), async (req, res) => {
    const part = req.query['part'] ?? 'people';
    if (part !== 'people' && part !== 'trend') throw badRequest('part must be people or trend');
    const g = await getGoal(s, actorOf(res), org(req.params), goal(req.params));
    res.type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="goal-${part}.csv"`)
      .send(part === 'people' ? goalPeopleCsv(g) : goalTrendCsv(g));
  });
  return r;
}
