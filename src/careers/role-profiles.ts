import { assertRoleIn, roleError } from '../accounts/access';
import { recordAudit } from '../accounts/audit';
import { requireOrganization } from '../accounts/organizations';
import { newId } from '../accounts/tokens';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { badRequest, notFound } from '../errors';
import type { RoleCompetency, RoleProfile } from '../store/ports';
import { unitScope } from './scope';

export const MAX_PROFILE_NAME = 120;
export const MAX_DESCRIPTION = 2000;
export const MAX_COMPETENCIES = 200;
export const MAX_COMPETENCY_ID = 500;
/** Target levels are positions on a competency's scale, 1 = its lowest level (ADR 0024). */
export const MAX_LEVEL = 10;

/** What a person sends to create or replace a profile. */
export interface RoleProfileInput {
  readonly name: string;
  readonly description: string;
  readonly competencies: readonly RoleCompetency[];
  readonly shared: boolean;
}

/** A shared profile as other organizations see it: with the name of the organization that shares it. */
export interface SharedRoleProfile extends RoleProfile {
  readonly orgName: string;
}

/** Checks one competency reference and its level; `where` names it in the 400. */
export function parseCompetency(raw: unknown, where: string): RoleCompetency {
  const r = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const id = typeof r['competencyId'] === 'string' ? r['competencyId'].trim() : '';
  if (id === '' || id.length > MAX_COMPETENCY_ID || /\s/.test(id)) throw badRequest(`${where}.competencyId must be a competency id (a URI without spaces, at most ${MAX_COMPETENCY_ID} characters)`);
  const level = typeof r['targetLevel'] === 'string' && /^\d+$/.test(r['targetLevel']) ? Number(r['targetLevel']) : r['targetLevel'];
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > MAX_LEVEL) throw badRequest(`${where}.targetLevel must be a whole number from 1 to ${MAX_LEVEL}`);
  return { competencyId: id, targetLevel: level };
}

/** Checks a whole profile body (name, description, competencies without repeats, shared). */
export function parseProfileInput(raw: unknown): RoleProfileInput {
  const b = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const name = typeof b['name'] === 'string' ? b['name'].trim() : '';
  if (name === '' || name.length > MAX_PROFILE_NAME) throw badRequest(`name must be 1 to ${MAX_PROFILE_NAME} characters`);
  const description = b['description'] === undefined ? '' : b['description'];
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION) throw badRequest(`description must be a string of at most ${MAX_DESCRIPTION} characters`);
  const list = b['competencies'] === undefined ? [] : b['competencies'];
  if (!Array.isArray(list) || list.length > MAX_COMPETENCIES) throw badRequest(`competencies must be an array of at most ${MAX_COMPETENCIES} entries`);
  const competencies = list.map((c, i) => parseCompetency(c, `competencies[${i}]`));
  const seen = new Set<string>();
  for (const c of competencies) {
    if (seen.has(c.competencyId)) throw badRequest(`competencies: ${c.competencyId} is listed twice`);
    seen.add(c.competencyId);
  }
  const shared = b['shared'] === undefined ? false : b['shared'];
  if (typeof shared !== 'boolean') throw badRequest('shared must be true or false');
  return { name, description: description.trim(), competencies, shared };
}

/** Role profiles of an organization, by name: for anyone with a role in it (people pick target roles from them). */
export async function listRoleProfiles(s: AppServices, actor: UserContext, orgId: string): Promise<RoleProfile[]> {
  assertRoleIn(actor, orgId);
  await requireOrganization(s, orgId);
  return s.store.careers.findRoleProfiles({ orgId });
}

/** One profile of the organization; 404 when it is unknown or another organization's. */
export async function getRoleProfile(s: AppServices, actor: UserContext, orgId: string, profileId: string): Promise<RoleProfile> {
  assertRoleIn(actor, orgId);
  const p = await s.store.careers.findRoleProfile(profileId);
  if (!p || p.orgId !== orgId) throw notFound(`no role profile ${profileId} in organization ${orgId}`);
  return p;
}

/** Creates a profile (organization administrators); 409 when the organization has one of that name. */
export async function createRoleProfile(s: AppServices, actor: UserContext, orgId: string, input: RoleProfileInput, source?: RoleProfile['source']): Promise<RoleProfile> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  await requireOrganization(s, orgId);
  const at = s.now().toISOString();
  const profile: RoleProfile = { id: newId(), orgId, ...input, ...(source ? { source } : {}), createdAt: at, updatedAt: at };
  await s.store.careers.insertRoleProfile(profile);
  await recordAudit(s, actor, { action: source ? 'role-profile.adopt' : 'role-profile.create', orgId, target: profile.id, details: { name: profile.name, ...(source ? { source } : {}) } });
  return profile;
}

/** Replaces a profile's name, description, competencies and sharing (organization administrators); an adopted copy keeps its link. */
export async function updateRoleProfile(s: AppServices, actor: UserContext, orgId: string, profileId: string, input: RoleProfileInput): Promise<RoleProfile> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  const cur = await getRoleProfile(s, actor, orgId, profileId);
  const next: RoleProfile = { ...cur, ...input, updatedAt: s.now().toISOString() };
  await s.store.careers.updateRoleProfile(next);
  await recordAudit(s, actor, { action: 'role-profile.update', orgId, target: profileId, details: { name: next.name } });
  return next;
}

/** Deletes a profile and who held it (organization administrators). Copies other organizations adopted stay theirs. */
export async function deleteRoleProfile(s: AppServices, actor: UserContext, orgId: string, profileId: string): Promise<void> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  await getRoleProfile(s, actor, orgId, profileId);
  await s.store.careers.deleteRoleProfile(orgId, profileId);
  await recordAudit(s, actor, { action: 'role-profile.delete', orgId, target: profileId });
}

/** Profiles every organization shares site-wide, with the sharer's name (any signed-in person). */
export async function listSharedProfiles(s: AppServices): Promise<SharedRoleProfile[]> {
  const shared = await s.store.careers.findRoleProfiles({ shared: true });
  const names = new Map((await s.store.accounts.findOrganizations()).map((o) => [o.id, o.name]));
  return shared.map((p) => ({ ...p, orgName: names.get(p.orgId) ?? '' }));
}

/**
 * Adopts another organization's shared profile: a copy the adopting organization owns and may
 * change, linked to its source, not shared itself. 404 when the source is unknown or not shared;
 * 400 for the organization's own profile; 409 when the name is taken (give `name`).
 */
export async function adoptRoleProfile(s: AppServices, actor: UserContext, orgId: string, sourceId: string, name?: string): Promise<RoleProfile> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  const src = await s.store.careers.findRoleProfile(sourceId);
  if (!src || !src.shared) throw notFound(`no shared role profile ${sourceId}`);
  if (src.orgId === orgId) throw badRequest('this role profile is already your organization\'s');
  const input = parseProfileInput({ name: name ?? src.name, description: src.description, competencies: src.competencies, shared: false });
  return createRoleProfile(s, actor, orgId, input, { orgId: src.orgId, profileId: src.id });
}

// ─────────────────────────── who holds which role ───────────────────────────

/** The profiles a person holds in an organization: the person, its administrators, or a manager of one of the person's units. */
export async function listPersonRoleProfiles(s: AppServices, actor: UserContext, orgId: string, userId: string): Promise<RoleProfile[]> {
  await assertMaySeePerson(s, actor, orgId, userId);
  const rows = await s.store.careers.findPersonRoleProfiles({ orgId, userId });
  const out: RoleProfile[] = [];
  for (const r of rows) {
    const p = await s.store.careers.findRoleProfile(r.profileId);
    if (p && p.orgId === orgId) out.push(p);
  }
  return out;
}

async function assertMaySeePerson(s: AppServices, actor: UserContext, orgId: string, userId: string): Promise<void> {
  if (actor.userId === userId && (actor.isSiteAdmin || actor.roles.has(orgId))) return;
  const err = roleError(actor, orgId, ['orgAdmin', 'manager']);
  if (err) throw err;
  const admin = actor.isSiteAdmin || (actor.roles.get(orgId)?.has('orgAdmin') ?? false);
  const inOrg = (await s.store.accounts.findMemberships({ userId, orgId })).length > 0;
  if (admin && inOrg) return;
  if (!admin) {
    const scope = await unitScope(s, actor, orgId);
    const rows = await s.store.careers.findUnitPeople({ orgId, userId, kind: 'member' });
    if (rows.some((r) => scope.unitIds.has(r.unitId))) return;
  }
  throw notFound(`no person ${userId} in organization ${orgId}`);
}

/** Records that a person holds a profile now (organization administrators). Returns whether it was new. */
export async function addPersonRoleProfile(s: AppServices, actor: UserContext, orgId: string, userId: string, profileId: string): Promise<boolean> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  if ((await s.store.accounts.findMemberships({ userId, orgId })).length === 0) throw notFound(`no person ${userId} in organization ${orgId}`);
  await getRoleProfile(s, actor, orgId, profileId);
  const added = await s.store.careers.insertPersonRoleProfile({ orgId, userId, profileId, since: s.now().toISOString() });
  if (added) await recordAudit(s, actor, { action: 'person.role-profile.add', orgId, target: userId, details: { profileId } });
  return added;
}

/** Records that a person no longer holds a profile (organization administrators); 404 when they did not. */
export async function removePersonRoleProfile(s: AppServices, actor: UserContext, orgId: string, userId: string, profileId: string): Promise<void> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  if (!(await s.store.careers.deletePersonRoleProfile(orgId, userId, profileId))) throw notFound(`person ${userId} does not hold role profile ${profileId}`);
  await recordAudit(s, actor, { action: 'person.role-profile.remove', orgId, target: userId, details: { profileId } });
}

/** Who holds each profile of the organization (organization administrators): profile id -> user ids. */
export async function holdersByProfile(s: AppServices, actor: UserContext, orgId: string): Promise<Map<string, string[]>> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  const out = new Map<string, string[]>();
  for (const r of await s.store.careers.findPersonRoleProfiles({ orgId })) out.set(r.profileId, [...(out.get(r.profileId) ?? []), r.userId]);
  return out;
}
