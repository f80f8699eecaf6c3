import type { RequestHandler, Response, Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import { getOrganization } from '../../accounts/service';
import { addPlanItem, compare, getPlan, removePlanItem, setTargetRole, sharePlan } from '../../careers/plans';
import type { AppServices } from '../../deps';
import { formBody, param } from '../accounts/forms';
import { isFormError, sentence } from '../accounts/page-errors';
import { sendPage, signedIn } from '../accounts/render';
import { compareView, planView } from './plan-views';

async function sendPlan(s: AppServices, res: Response, orgId: string, userId: string | undefined, status: number, error?: string): Promise<void> {
  const user = signedIn(res);
  const org = await getOrganization(s, user, orgId);
  const plan = await getPlan(s, user, orgId, userId ?? user.userId);
  const person = plan.mine ? undefined : (await s.store.accounts.findUsers([plan.userId]))[0];
  sendPage(res, status, { title: plan.mine ? 'My career plan' : 'Career plan', body: planView({ org, plan, personName: person?.name ?? plan.userId, csrf: user.csrfToken, ...(error ? { error } : {}) }) });
}

/** /orgs/:orgId/career-plan (the person's own, with its forms), its compare page, and a shared plan for a manager. Twins: /api/orgs/:orgId/career-plan…. */
export function mountPlanPages(router: Router, s: AppServices, form: RequestHandler): void {
  const write = (path: string, act: (orgId: string, body: Record<string, unknown>, req: Parameters<RequestHandler>[0]) => Promise<unknown>): void => {
    router.post(path, requireUser(), form, requireCsrf(), async (req, res) => {
      const orgId = param(req, 'orgId');
      try {
        await act(orgId, { ...formBody(req) }, req);
        res.redirect(303, `/orgs/${encodeURIComponent(orgId)}/career-plan`);
      } catch (err) {
        if (!isFormError(err)) throw err;
        await sendPlan(s, res, orgId, undefined, err.status, sentence(err.message));
      }
    });
  };
  router.get('/orgs/:orgId/career-plan', requireUser(), async (req, res) => sendPlan(s, res, param(req, 'orgId'), undefined, 200));
  router.get('/orgs/:orgId/people/:userId/career-plan', requireUser(), async (req, res) => sendPlan(s, res, param(req, 'orgId'), param(req, 'userId'), 200));
  router.get('/orgs/:orgId/career-plan/compare', requireUser(), async (req, res) => {
    const user = signedIn(res);
    const orgId = param(req, 'orgId');
    const org = await getOrganization(s, user, orgId);
    const roles = (await s.store.careers.findRoleProfiles({ orgId })).map((p) => ({ id: p.id, name: p.name }));
    const a = typeof req.query['a'] === 'string' && req.query['a'] !== '' ? req.query['a'] : 'me';
    const b = typeof req.query['b'] === 'string' ? req.query['b'] : '';
    const result = b === '' ? undefined : await compare(s, user, orgId, a, b);
    sendPage(res, 200, { title: 'What would it take?', body: compareView({ org, roles, a, b, ...(result ? { result } : {}) }) });
  });
  write('/orgs/:orgId/career-plan/target', (orgId, body, req) => setTargetRole(s, signedIn(req.res as Response), orgId, body));
  write('/orgs/:orgId/career-plan/items', (orgId, body, req) => addPlanItem(s, signedIn(req.res as Response), orgId, body));
  write('/orgs/:orgId/career-plan/items/:itemId/delete', (orgId, _body, req) => removePlanItem(s, signedIn(req.res as Response), orgId, param(req, 'itemId')));
  write('/orgs/:orgId/career-plan/share', (orgId, body, req) => sharePlan(s, signedIn(req.res as Response), orgId, body));
}
