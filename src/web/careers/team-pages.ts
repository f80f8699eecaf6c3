import type { Request, RequestHandler, Response, Router } from 'express';
import { managesPerson } from '../../careers/extensions';
import { requireCsrf, requireRoleIn, requireUser } from '../../accounts/guards';
import { getOrganization, listPeople } from '../../accounts/service';
import { hasRole } from '../../accounts/user-context';
import { getTeamPerson, listTeam } from '../../careers/team-progress';
import { addUnitPerson, createUnit, deleteUnit, getUnit, listUnits, removeUnitPerson, updateUnit } from '../../careers/teams';
import type { AppServices } from '../../deps';
import { badRequest } from '../../errors';
import { formBody, param, text } from '../accounts/forms';
import { isFormError, sentence } from '../accounts/page-errors';
import { sendPage, signedIn } from '../accounts/render';
import { teamPersonView, teamsIndexView, teamView, unitsView } from './team-views';

async function sendUnitsPage(s: AppServices, res: Response, orgId: string, status: number, o: { unitId?: string; error?: string } = {}): Promise<void> {
  const user = signedIn(res);
  const org = await getOrganization(s, user, orgId);
  const [units, people] = await Promise.all([listUnits(s, user, orgId), listPeople(s, user, orgId)]);
  const detail = o.unitId && units.some((u) => u.id === o.unitId) ? await getUnit(s, user, orgId, o.unitId) : undefined;
  const names = new Map(people.map((p) => [p.userId, p.name]));
  sendPage(res, status, {
    title: `${org.name}: units`,
    body: unitsView({
      org, units, people: people.filter((p) => !p.disabledAt).map((p) => ({ id: p.userId, name: p.name, email: p.email })),
      managerNames: names, csrf: user.csrfToken, ...(detail ? { detail } : {}), ...(o.error ? { error: o.error } : {}),
    }),
  });
}

/** Runs a form's action, then shows the units page (303 to it on success, the error in place on a form error). */
async function unitsForm(s: AppServices, req: Request, res: Response, unitId: string | undefined, run: () => Promise<unknown>): Promise<void> {
  const orgId = param(req, 'orgId');
  try {
    await run();
    res.redirect(303, `/admin/orgs/${encodeURIComponent(orgId)}/units${unitId ? `?unit=${encodeURIComponent(unitId)}` : ''}`);
  } catch (err) {
    if (!isFormError(err)) throw err;
    await sendUnitsPage(s, res, orgId, err.status, { ...(unitId ? { unitId } : {}), error: sentence(err.message) });
  }
}

function kindOf(raw: string): 'member' | 'manager' {
  if (raw === 'member' || raw === 'manager') return raw;
  throw badRequest('kind must be member or manager');
}

/**
 * /admin/orgs/:orgId/units (administrators: the unit tree, people and managers of units) and
 * /team/:orgId (administrators and managers: the people of their units and their progress).
 * Twins: /api/orgs/:orgId/units…, /api/orgs/:orgId/team….
 */
export function mountTeamPages(router: Router, s: AppServices, form: RequestHandler): void {
  const orgAdmin = [requireUser(), requireRoleIn('orgId', 'orgAdmin')];

  router.get('/admin/orgs/:orgId/units', ...orgAdmin, async (req, res) => {
    const unitId = typeof req.query['unit'] === 'string' ? req.query['unit'] : undefined;
    await sendUnitsPage(s, res, param(req, 'orgId'), 200, unitId ? { unitId } : {});
  });
  router.post('/admin/orgs/:orgId/units', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    const f = formBody(req);
    await unitsForm(s, req, res, undefined, () => createUnit(s, signedIn(res), param(req, 'orgId'), { name: text(f, 'name'), parentId: text(f, 'parentId') }));
  });
  router.post('/admin/orgs/:orgId/units/:unitId', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    const f = formBody(req);
    const unitId = param(req, 'unitId');
    await unitsForm(s, req, res, unitId, () => updateUnit(s, signedIn(res), param(req, 'orgId'), unitId, { name: text(f, 'name'), parentId: text(f, 'parentId') }));
  });
  router.post('/admin/orgs/:orgId/units/:unitId/delete', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    await unitsForm(s, req, res, undefined, () => deleteUnit(s, signedIn(res), param(req, 'orgId'), param(req, 'unitId')));
  });
  router.post('/admin/orgs/:orgId/units/:unitId/people', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    const f = formBody(req);
    const unitId = param(req, 'unitId');
    await unitsForm(s, req, res, unitId, () => addUnitPerson(s, signedIn(res), param(req, 'orgId'), unitId, text(f, 'userId'), kindOf(text(f, 'kind'))));
  });
  router.post('/admin/orgs/:orgId/units/:unitId/people/remove', ...orgAdmin, form, requireCsrf(), async (req, res) => {
    const f = formBody(req);
    const unitId = param(req, 'unitId');
    await unitsForm(s, req, res, unitId, () => removeUnitPerson(s, signedIn(res), param(req, 'orgId'), unitId, text(f, 'userId'), kindOf(text(f, 'kind'))));
  });

  // Every organization of the person, with the careers pages open to them there.
  router.get('/teams', requireUser(), async (_req, res) => {
    const user = signedIn(res);
    const orgs = (await s.store.accounts.findOrganizations())
      .filter((o) => user.isSiteAdmin || user.roles.has(o.id))
      .map((org) => ({ org, admin: hasRole(user, org.id, 'orgAdmin'), manager: hasRole(user, org.id, 'manager') }));
    sendPage(res, 200, { title: 'Teams and roles', body: teamsIndexView(orgs) });
  });

  const teamRoles = [requireUser(), requireRoleIn('orgId', 'orgAdmin', 'manager')];
  router.get('/team/:orgId', ...teamRoles, async (req, res) => {
    const user = signedIn(res);
    const orgId = param(req, 'orgId');
    const unitId = typeof req.query['unit'] === 'string' && req.query['unit'] !== '' ? req.query['unit'] : undefined;
    const org = await getOrganization(s, user, orgId);
    const [unitList, people] = await Promise.all([listUnits(s, user, orgId), listTeam(s, user, orgId, unitId ? { unitId } : {})]);
    sendPage(res, 200, { title: `${org.name}: team`, body: teamView({ org, admin: hasRole(user, orgId, 'orgAdmin'), units: unitList, people, ...(unitId ? { unitId } : {}) }) });
  });
  router.get('/team/:orgId/people/:userId', ...teamRoles, async (req, res) => {
    const user = signedIn(res);
    const orgId = param(req, 'orgId');
    const org = await getOrganization(s, user, orgId);
    const person = await getTeamPerson(s, user, orgId, param(req, 'userId'));
    // The person's career plan, when they shared it with their managers and the viewer is one.
    const plan = await s.store.careers.findCareerPlan(orgId, person.userId);
    const sharedPlan = plan?.sharedWithManager === true && (await managesPerson(s, user, orgId, person.userId));
    sendPage(res, 200, { title: person.name, body: teamPersonView({ org, admin: hasRole(user, orgId, 'orgAdmin'), person, sharedPlan }) });
  });
}
