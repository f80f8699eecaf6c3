import type { AppServices } from '../deps';
import type { AuditEntry } from '../store/ports';
import { assertRoleIn, assertSiteAdmin } from './access';
import { newId } from './tokens';
import type { UserContext } from './user-context';

/** What an administrative action records; who and when are filled in. */
export interface AuditInput {
  /** e.g. 'role.grant', 'role.revoke', 'invitation.create', 'credential.create', 'credential.revoke', 'organization.create', 'person.erase', 'course.publish'. */
  readonly action: string;
  readonly orgId?: string;
  readonly target?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Records an administrative action by `actor` (undefined: the system itself, e.g. at start). */
export async function recordAudit(s: AppServices, actor: Pick<UserContext, 'userId' | 'name' | 'email'> | undefined, input: AuditInput): Promise<AuditEntry> {
  const entry: AuditEntry = {
    id: newId(),
    at: s.now().toISOString(),
    ...(actor ? { actorUserId: actor.userId } : {}),
    actorLabel: actor ? `${actor.name} <${actor.email}>` : 'system',
    action: input.action,
    ...(input.orgId !== undefined ? { orgId: input.orgId } : {}),
    ...(input.target !== undefined ? { target: input.target } : {}),
    details: input.details ?? {},
  };
  await s.store.accounts.insertAudit(entry);
  return entry;
}

/** Most audit entries returned by one listing. */
export const MAX_AUDIT_LIMIT = 500;

/** The audit log: of one organization (its orgAdmin or the site admin), or all of it (site admin). Newest first. */
export async function listAudit(s: AppServices, actor: UserContext, filter: { readonly orgId?: string; readonly limit?: number }): Promise<AuditEntry[]> {
  if (filter.orgId !== undefined) assertRoleIn(actor, filter.orgId, 'orgAdmin');
  else assertSiteAdmin(actor);
  const limit = Math.min(MAX_AUDIT_LIMIT, Math.max(1, Math.trunc(filter.limit ?? 100)));
  return s.store.accounts.findAudit({ ...(filter.orgId !== undefined ? { orgId: filter.orgId } : {}), limit });
}
