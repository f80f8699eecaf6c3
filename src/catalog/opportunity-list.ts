/**
 * The organizers' list of an organization's opportunities (issue 18): every webinar, workshop,
 * conference session, external course and link it published, withdrawn ones too, with how many
 * people registered and attended. Authors and administrators of the organization (the rule of
 * publishing, ADR 0019); other members 403; anyone else 404.
 */
import { hasRole, type UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { forbidden, notFound } from '../errors';
import type { CatalogEntry } from '../store/ports';
import { OPPORTUNITY_KINDS } from './opportunities';

/** One opportunity with its registration figures. */
export interface OrganizedOpportunity {
  readonly entry: CatalogEntry;
  /** Registered and not (yet) marked: waiting for the event. */
  readonly registered: number;
  readonly attended: number;
  readonly absent: number;
}

/** 404 for an organization the person has no role in (or none at all); 403 unless they may publish in it. */
export async function organizerOf(s: AppServices, user: UserContext, orgId: string): Promise<void> {
  const member = user.isSiteAdmin || (user.roles.get(orgId)?.size ?? 0) > 0;
  if (!member || !(await s.store.accounts.findOrganization(orgId))) throw notFound(`no organization ${orgId}`);
  if (!hasRole(user, orgId, 'author', 'orgAdmin')) throw forbidden(`this needs the role author in organization ${orgId}`);
}

/** The organization's opportunities, newest first, with registration figures. */
export async function listOrgOpportunities(s: AppServices, user: UserContext, orgId: string): Promise<OrganizedOpportunity[]> {
  await organizerOf(s, user, orgId);
  const entries = await s.store.catalog.findOrgCatalogEntries({ orgId, kinds: OPPORTUNITY_KINDS });
  const out: OrganizedOpportunity[] = [];
  for (const entry of entries) {
    const regs = await s.store.learning.findOpportunityRegistrations({ entryId: entry.id });
    const count = (state: string): number => regs.filter((r) => r.state === state).length;
    out.push({ entry, registered: count('registered'), attended: count('attended'), absent: count('absent') });
  }
  return out;
}
