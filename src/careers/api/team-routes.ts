import { Router } from 'express';
import { requireUser } from '../../accounts/guards';
import { actorOf, param } from '../../accounts/api/respond';
import { isRecord } from '../../accounts/input';
import type { AppServices } from '../../deps';
import { getTeamPerson, listTeam } from '../team-progress';
import { addUnitPerson, createUnit, deleteUnit, getUnit, listUnits, removeUnitPerson, updateUnit } from '../teams';

const KINDS = { members: 'member', managers: 'manager' } as const;

/**
 * Units, their people and managers, and a manager's team (mounted under /api). Who may do what is
 * checked by the service (src/careers/teams.ts, scope.ts): writes need the organization's
 * administrator; reads a manager of the unit (or a unit above it) too.
 */
export function teamApiRouter(s: AppServices): Router {
  const r = Router();
  const org = (p: Readonly<Record<string, unknown>>): string => param(p['orgId'], 'orgId');
  const unit = (p: Readonly<Record<string, unknown>>): string => param(p['unitId'], 'unitId');
  const body = (b: unknown): Record<string, unknown> => (isRecord(b) ? b : {});

  r.get('/orgs/:orgId/units', requireUser(), async (req, res) => {
    res.json({ units: await listUnits(s, actorOf(res), org(req.params)) });
  });
  r.post('/orgs/:orgId/units', requireUser(), async (req, res) => {
    const b = body(req.body);
    res.status(201).json(await createUnit(s, actorOf(res), org(req.params), { name: b['name'], parentId: b['parentId'] }));
  });
  r.get('/orgs/:orgId/units/:unitId', requireUser(), async (req, res) => {
    res.json(await getUnit(s, actorOf(res), org(req.params), unit(req.params)));
  });
  r.patch('/orgs/:orgId/units/:unitId', requireUser(), async (req, res) => {
    const b = body(req.body);
    res.json(await updateUnit(s, actorOf(res), org(req.params), unit(req.params), {
      ...('name' in b ? { name: b['name'] } : {}),
      ...('parentId' in b ? { parentId: b['parentId'] } : {}),
    }));
  });
  r.delete('/orgs/:orgId/units/:unitId', requireUser(), async (req, res) => {
    await deleteUnit(s, actorOf(res), org(req.params), unit(req.params));
    res.status(204).end();
  });
  for (const [path, kind] of Object.entries(KINDS)) {
    r.put(`/orgs/:orgId/units/:unitId/${path}/:userId`, requireUser(), async (req, res) => {
      const added = await addUnitPerson(s, actorOf(res), org(req.params), unit(req.params), param(req.params['userId'], 'userId'), kind);
      res.status(added ? 201 : 200).json({ unitId: unit(req.params), userId: req.params['userId'], kind, changed: added });
    });
    r.delete(`/orgs/:orgId/units/:unitId/${path}/:userId`, requireUser(), async (req, res) => {
      await removeUnitPerson(s, actorOf(res), org(req.params), unit(req.params), param(req.params['userId'], 'userId'), kind);
      res.status(204).end();
    });
  }
  r.get('/orgs/:orgId/team', requireUser(), async (req, res) => {
    const unitId = typeof req.query['unit'] === 'string' && req.query['unit'] !== '' ? req.query['unit'] : undefined;
    res.json({ people: await listTeam(s, actorOf(res), org(req.params), unitId !== undefined ? { unitId } : {}) });
  });
  r.get('/orgs/:orgId/team/:userId', requireUser(), async (req, res) => {
    res.json(await getTeamPerson(s, actorOf(res), org(req.params), param(req.params['userId'], 'userId')));
  });
  return r;
}
