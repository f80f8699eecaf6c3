import type { AppServices } from '../deps';
import { badRequest, conflict, notFound } from '../errors';
import type { Organization, OrgKind } from '../store/ports';
import { assertRoleIn, assertSiteAdmin } from './access';
import { recordAudit } from './audit';
import { parseOrgKind, parseSlug, requiredText, slugify } from './input';
import { newId } from './tokens';
import type { UserContext } from './user-context';

/** What creating an organization needs. */
export interface NewOrganizationInput {
  readonly name: string;
  readonly kind: OrgKind;
  /** Derived from the name when absent. */
  readonly slug?: string;
}

/** Creates an organization (site administrator only); 409 when the slug is taken. Audited. */
export async function createOrganization(s: AppServices, actor: UserContext, input: NewOrganizationInput): Promise<Organization> {
  assertSiteAdmin(actor);
  const org = await insertOrganization(s, input);
  await recordAudit(s, actor, { action: 'organization.create', orgId: org.id, target: org.id, details: { name: org.name, slug: org.slug, kind: org.kind } });
  return org;
}

/** Inserts an organization without permission checks (bootstrap, demo, createOrganization). */
export async function insertOrganization(s: AppServices, input: NewOrganizationInput): Promise<Organization> {
  const name = requiredText(input.name, 'name', 120);
  const kind = parseOrgKind(input.kind);
  const slug = input.slug !== undefined ? parseSlug(input.slug) : slugify(name);
  if (slug === '') throw badRequest('name must contain a letter or digit to derive a slug; give slug explicitly');
  if (await s.store.accounts.findOrganizationBySlug(slug)) throw conflict(`an organization with slug ${slug} already exists`);
  const org: Organization = { id: newId(), slug, name, kind, createdAt: s.now().toISOString() };
  await s.store.accounts.insertOrganization(org);
  return org;
}

/** Organizations the person may see: all for the site administrator, else those where they hold a role. By name. */
export async function listOrganizations(s: AppServices, actor: UserContext): Promise<Organization[]> {
  const all = await s.store.accounts.findOrganizations();
  return actor.isSiteAdmin ? all : all.filter((o) => (actor.roles.get(o.id)?.size ?? 0) > 0);
}

/** One organization; 404 when it does not exist or the person holds no role in it. */
export async function getOrganization(s: AppServices, actor: UserContext, orgId: string): Promise<Organization> {
  assertRoleIn(actor, orgId);
  return requireOrganization(s, orgId);
}

/** The organization or 404. */
export async function requireOrganization(s: AppServices, orgId: string): Promise<Organization> {
  const org = await s.store.accounts.findOrganization(orgId);
  if (!org) throw notFound(`no organization ${orgId}`);
  return org;
}
