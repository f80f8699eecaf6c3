import type { Request, RequestHandler, Response, Router } from 'express';
import { requireCsrf, requireRoleIn, requireUser } from '../../accounts/guards';
import { getOrganization, listPeople } from '../../accounts/service';
import { hasRole } from '../../accounts/user-context';
import {
  addPersonRoleProfile, adoptRoleProfile, createRoleProfile, deleteRoleProfile, getRoleProfile, holdersByProfile,
  listRoleProfiles, listSharedProfiles, parseProfileInput, removePersonRoleProfile, updateRoleProfile,
} from '../../careers/role-profiles';
import { importRoleProfilesCsv } from '../../careers/role-profiles-csv';
import type { AppServices } from '../../deps';
import { formBody, param, text, type FormBody } from '../accounts/forms';
import { isFormError, sentence } from '../accounts/page-errors';
import { sendPage, signedIn } from '../accounts/render';
import { profilesView, profileView } from './profile-views';

/** A profile form as the API body: competencies from `<id> <level>` lines. */
function profileBody(f: FormBody): unknown {
  const competencies = text(f, 'competencies').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '').map((l) => {
    const m = /^([^\s,;]+)[\s,;]+(\S+)$/.exec(l);
    return m ? { competencyId: m[1], targetLevel: m[2] } : { competencyId: l, targetLevel: '' };
  });
  return { name: text(f, 'name'), description: text(f, 'description'), competencies, shared: text(f, 'shared') === 'yes' };
}

async function sendListPage(s: AppServices, res: Response, orgId: string, status: number, o: { error?: string; notice?: string } = {}): Promise<void> {
  const user = signedIn(res);
  const org = await getOrganization(s, user, orgId);
  const admin = hasRole(user, orgId, 'orgAdmin');
  const [profiles, shared] = await Promise.all([listRoleProfiles(s, user, orgId), listSharedProfiles(s)]);
  sendPage(res, status, { title: `${org.name}: role profiles`, body: profilesView({ org, admin, profiles, shared, csrf: user.csrfToken, ...o }) });
}

async function sendProfilePage(s: AppServices, res: Response, orgId: string, profileId: string, status: number, error?: string): Promise<void> {
  const user = signedIn(res);
  const org = await getOrganization(s, user, orgId);
  const profile = await getRoleProfile(s, user, orgId, profileId);
  const admin = hasRole(user, orgId, 'orgAdmin');
  let holders: { id: string; name: string }[] = [];
  let people: { id: string; name: string; email: string }[] = [];
  if (admin) {
    const everyone = (await listPeople(s, user, orgId)).filter((p) => !p.disabledAt);
    const names = new Map(everyone.map((p) => [p.userId, p.name]));
    holders = ((await holdersByProfile(s, user, orgId)).get(profileId) ?? []).map((id) => ({ id, name: names.get(id) ?? id }));
    people = everyone.map((p) => ({ id: p.userId, name: p.name, email: p.email }));
  }
  const sourceName = profile.source ? (await s.store.accounts.findOrganization(profile.source.orgId))?.name : undefined;
  sendPage(res, status, {
    title: profile.name,
    body: profileView({ org, admin, profile, csrf: user.csrfToken, holders, people, ...(error ? { error } : {}), ...(sourceName ? { sourceName } : {}) }),
  });
}

/**
 * /orgs/:orgId/role-profiles (everyone of the organization reads; administrators write) and one
 * profile's page. Twins: /api/orgs/:orgId/role-profiles…, /api/role-profiles/shared.
 */
export function mountProfilePages(router: Router, s: AppServices, form: RequestHandler): void {
  const member = [requireUser(), requireRoleIn('orgId')];
  const orgAdmin = [requireUser(), requireRoleIn('orgId', 'orgAdmin'), form, requireCsrf()];
  const orgOf = (req: Request): string => param(req, 'orgId');
  const listBase = (req: Request): string => `/orgs/${encodeURIComponent(orgOf(req))}/role-profiles`;

  /** Runs a list-page form; 303 to `to` on success, the list with the error on a form error. */
  const onList = async (req: Request, res: Response, run: () => Promise<string>): Promise<void> => {
    try {
      res.redirect(303, await run());
    } catch (err) {
      if (!isFormError(err)) throw err;
      await sendListPage(s, res, orgOf(req), err.status, { error: sentence(err.message) });
    }
  };
  const onProfile = async (req: Request, res: Response, run: () => Promise<string>): Promise<void> => {
    try {
      res.redirect(303, await run());
    } catch (err) {
      if (!isFormError(err)) throw err;
      await sendProfilePage(s, res, orgOf(req), param(req, 'profileId'), err.status, sentence(err.message));
    }
  };

  router.get('/orgs/:orgId/role-profiles', ...member, async (req, res) => sendListPage(s, res, orgOf(req), 200));
  router.post('/orgs/:orgId/role-profiles', ...orgAdmin, async (req, res) => onList(req, res, async () => {
    const p = await createRoleProfile(s, signedIn(res), orgOf(req), parseProfileInput(profileBody(formBody(req))));
    return `${listBase(req)}/${encodeURIComponent(p.id)}`;
  }));
  router.post('/orgs/:orgId/role-profiles/import', ...orgAdmin, async (req, res) => {
    try {
      const out = await importRoleProfilesCsv(s, signedIn(res), orgOf(req), text(formBody(req), 'csv'));
      await sendListPage(s, res, orgOf(req), 200, { notice: `Imported: ${out.created.length} created, ${out.updated.length} updated.` });
    } catch (err) {
      if (!isFormError(err)) throw err;
      await sendListPage(s, res, orgOf(req), err.status, { error: sentence(err.message) });
    }
  });
  router.post('/orgs/:orgId/role-profiles/adopt', ...orgAdmin, async (req, res) => onList(req, res, async () => {
    const p = await adoptRoleProfile(s, signedIn(res), orgOf(req), text(formBody(req), 'sourceId'));
    return `${listBase(req)}/${encodeURIComponent(p.id)}`;
  }));
  router.get('/orgs/:orgId/role-profiles/:profileId', ...member, async (req, res) => sendProfilePage(s, res, orgOf(req), param(req, 'profileId'), 200));
  router.post('/orgs/:orgId/role-profiles/:profileId', ...orgAdmin, async (req, res) => onProfile(req, res, async () => {
    await updateRoleProfile(s, signedIn(res), orgOf(req), param(req, 'profileId'), parseProfileInput(profileBody(formBody(req))));
    return `${listBase(req)}/${encodeURIComponent(param(req, 'profileId'))}`;
  }));
  router.post('/orgs/:orgId/role-profiles/:profileId/delete', ...orgAdmin, async (req, res) => onProfile(req, res, async () => {
    await deleteRoleProfile(s, signedIn(res), orgOf(req), param(req, 'profileId'));
    return listBase(req);
  }));
  router.post('/orgs/:orgId/role-profiles/:profileId/holders', ...orgAdmin, async (req, res) => onProfile(req, res, async () => {
    await addPersonRoleProfile(s, signedIn(res), orgOf(req), text(formBody(req), 'userId'), param(req, 'profileId'));
    return `${listBase(req)}/${encodeURIComponent(param(req, 'profileId'))}#holders`;
  }));
  router.post('/orgs/:orgId/role-profiles/:profileId/holders/remove', ...orgAdmin, async (req, res) => onProfile(req, res, async () => {
    await removePersonRoleProfile(s, signedIn(res), orgOf(req), text(formBody(req), 'userId'), param(req, 'profileId'));
    return `${listBase(req)}/${encodeURIComponent(param(req, 'profileId'))}#holders`;
  }));
}
