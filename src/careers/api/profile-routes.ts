import { Router } from 'express';
import { requireUser } from '../../accounts/guards';
import { actorOf, param } from '../../accounts/api/respond';
import { isRecord } from '../../accounts/input';
import type { AppServices } from '../../deps';
import { badRequest } from '../../errors';
import {
  addPersonRoleProfile, adoptRoleProfile, createRoleProfile, deleteRoleProfile, getRoleProfile, listPersonRoleProfiles,
  listRoleProfiles, listSharedProfiles, parseProfileInput, removePersonRoleProfile, updateRoleProfile,
} from '../role-profiles';
import { exportRoleProfilesCsv, importRoleProfilesCsv } from '../role-profiles-csv';

/** Role profiles, their CSV, adoption of shared ones, and the profiles people hold (mounted under /api). */
export function profileApiRouter(s: AppServices): Router {
  const r = Router();
  const org = (p: Readonly<Record<string, unknown>>): string => param(p['orgId'], 'orgId');
  const profile = (p: Readonly<Record<string, unknown>>): string => param(p['profileId'], 'profileId');

  r.get('/role-profiles/shared', requireUser(), async (_req, res) => {
    res.json({ profiles: await listSharedProfiles(s) });
  });
  r.get('/orgs/:orgId/role-profiles', requireUser(), async (req, res) => {
    res.json({ profiles: await listRoleProfiles(s, actorOf(res), org(req.params)) });
  });
  r.post('/orgs/:orgId/role-profiles', requireUser(), async (req, res) => {
    res.status(201).json(await createRoleProfile(s, actorOf(res), org(req.params), parseProfileInput(req.body)));
  });
  r.get('/orgs/:orgId/role-profiles/export', requireUser(), async (req, res) => {
    const csv = await exportRoleProfilesCsv(s, actorOf(res), org(req.params));
    res.type('text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="role-profiles.csv"').send(csv);
  });
  r.post('/orgs/:orgId/role-profiles/import', requireUser(), async (req, res) => {
    const csv = isRecord(req.body) ? req.body['csv'] : undefined;
    if (typeof csv !== 'string') throw badRequest('csv must be the text of a role profiles CSV');
    const out = await importRoleProfilesCsv(s, actorOf(res), org(req.params), csv);
    res.json({ created: out.created, updated: out.updated });
  });
  r.post('/orgs/:orgId/role-profiles/adopt', requireUser(), async (req, res) => {
    const b = isRecord(req.body) ? req.body : {};
    if (typeof b['sourceId'] !== 'string') throw badRequest('sourceId must be the id of a shared role profile');
    const name = typeof b['name'] === 'string' && b['name'].trim() !== '' ? b['name'] : undefined;
    res.status(201).json(await adoptRoleProfile(s, actorOf(res), org(req.params), b['sourceId'], name));
  });
  r.get('/orgs/:orgId/role-profiles/:profileId', requireUser(), async (req, res) => {
    res.json(await getRoleProfile(s, actorOf(res), org(req.params), profile(req.params)));
  });
  r.put('/orgs/:orgId/role-profiles/:profileId', requireUser(), async (req, res) => {
    res.json(await updateRoleProfile(s, actorOf(res), org(req.params), profile(req.params), parseProfileInput(req.body)));
  });
  r.delete('/orgs/:orgId/role-profiles/:profileId', requireUser(), async (req, res) => {
    await deleteRoleProfile(s, actorOf(res), org(req.params), profile(req.params));
    res.status(204).end();
  });

  r.get('/orgs/:orgId/people/:userId/role-profiles', requireUser(), async (req, res) => {
    res.json({ profiles: await listPersonRoleProfiles(s, actorOf(res), org(req.params), param(req.params['userId'], 'userId')) });
  });
  r.put('/orgs/:orgId/people/:userId/role-profiles/:profileId', requireUser(), async (req, res) => {
    const added = await addPersonRoleProfile(s, actorOf(res), org(req.params), param(req.params['userId'], 'userId'), profile(req.params));
    res.status(added ? 201 : 200).json({ userId: req.params['userId'], profileId: req.params['profileId'], changed: added });
  });
  r.delete('/orgs/:orgId/people/:userId/role-profiles/:profileId', requireUser(), async (req, res) => {
    await removePersonRoleProfile(s, actorOf(res), org(req.params), param(req.params['userId'], 'userId'), profile(req.params));
    res.status(204).end();
  });
  return r;
}
