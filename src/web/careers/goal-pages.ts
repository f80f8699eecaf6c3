import type { Response, RequestHandler, Router } from 'express';
import { requireCsrf, requireRoleIn, requireUser } from '../../accounts/guards';
import { getOrganization } from '../../accounts/service';
import { hasRole } from '../../accounts/user-context';
import { createGoal, deleteGoal, getGoal, listGoals, parseGoalInput } from '../../careers/goals';
import { resolveCompetencies } from '../../careers/competency-levels';
import { listUnits } from '../../careers/teams';
import type { AppServices } from '../../deps';
import { formBody, param } from '../accounts/forms';
import { isFormError, sentence } from '../accounts/page-errors';
import { sendPage, signedIn } from '../accounts/render';
import { goalsView, goalView } from './goal-views';

async function sendGoalsPage(s: AppServices, res: Response, orgId: string, status: number, error?: string): Promise<void> {
  const user = signedIn(res);
  const org = await getOrganization(s, user, orgId);
  const [goals, units] = await Promise.all([listGoals(s, user, orgId), listUnits(s, user, orgId)]);
  // Courses a goal may name: the organization's own and every published one (the catalog).
  const courses = (await s.store.courses.findCourses({ states: ['published'], limit: 1000 }))
    .concat((await s.store.courses.findCourses({ orgIds: [orgId] })).filter((c) => c.state !== 'published'))
    .map((c) => ({ id: c.id, title: c.title }))
    .sort((a, b) => a.title.localeCompare(b.title));
  const profiles = await s.store.careers.findRoleProfiles({ orgId });
  const resolved = await resolveCompetencies(s, profiles.flatMap((p) => p.competencies.map((c) => c.competencyId)));
  const roleCompetencies = profiles.flatMap((p) => p.competencies.map((c) => ({ value: `${p.id} ${c.competencyId}`, label: `${p.name}: ${resolved.get(c.competencyId)?.name ?? c.competencyId}` })));
  sendPage(res, status, {
    title: `${org.name}: goals`,
    body: goalsView({ org, admin: hasRole(user, orgId, 'orgAdmin'), goals, units, courses, roleCompetencies, csrf: user.csrfToken, ...(error ? { error } : {}) }),
  });
}

/** /orgs/:orgId/goals and one goal's page (administrators and managers). Twins: /api/orgs/:orgId/goals…. */
export function mountGoalPages(router: Router, s: AppServices, form: RequestHandler): void {
  const roles = [requireUser(), requireRoleIn('orgId', 'orgAdmin', 'manager')];
  router.get('/orgs/:orgId/goals', ...roles, async (req, res) => sendGoalsPage(s, res, param(req, 'orgId'), 200));
  router.post('/orgs/:orgId/goals', ...roles, form, requireCsrf(), async (req, res) => {
    const orgId = param(req, 'orgId');
    try {
      const body: Record<string, unknown> = { ...formBody(req) };
      // The competency form sends the role and the competency as one choice: "profileId competencyId" (URIs hold no spaces).
      if (typeof body['roleCompetency'] === 'string') {
        const [profileId = '', competencyId = ''] = body['roleCompetency'].split(' ');
        Object.assign(body, { profileId, competencyId });
      }
      const goal = await createGoal(s, signedIn(res), orgId, parseGoalInput(body));
      res.redirect(303, `/orgs/${encodeURIComponent(orgId)}/goals/${encodeURIComponent(goal.id)}`);
    } catch (err) {
      if (!isFormError(err)) throw err;
      await sendGoalsPage(s, res, orgId, err.status, sentence(err.message));
    }
  });
  router.get('/orgs/:orgId/goals/:goalId', ...roles, async (req, res) => {
    const user = signedIn(res);
    const orgId = param(req, 'orgId');
    const org = await getOrganization(s, user, orgId);
    const goal = await getGoal(s, user, orgId, param(req, 'goalId'));
    sendPage(res, 200, { title: goal.title, body: goalView({ org, goal, csrf: user.csrfToken }) });
  });
  router.post('/orgs/:orgId/goals/:goalId/delete', ...roles, form, requireCsrf(), async (req, res) => {
    await deleteGoal(s, signedIn(res), param(req, 'orgId'), param(req, 'goalId'));
    res.redirect(303, `/orgs/${encodeURIComponent(param(req, 'orgId'))}/goals`);
  });
}
