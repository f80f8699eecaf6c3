import { type AppError, forbidden, notFound } from '../errors';
import type { Role } from '../store/ports';
import type { UserContext } from './user-context';

/** undefined when `user` holds one of `roles` in `orgId` (or is a site admin); else the error to answer. */
export function roleError(user: UserContext, orgId: string, roles: readonly Role[]): AppError | undefined {
  if (user.isSiteAdmin) return undefined;
  const mine = user.roles.get(orgId);
  if (!mine || mine.size === 0) return notFound(`no organization ${orgId}`);
  if (roles.length === 0 || roles.some((r) => mine.has(r))) return undefined;
  return forbidden(`this needs the role ${roles.join(' or ')} in organization ${orgId}`);
}

/** Throws roleError(user, orgId, roles) when there is one. */
export function assertRoleIn(user: UserContext, orgId: string, ...roles: Role[]): void {
  const err = roleError(user, orgId, roles);
  if (err) throw err;
}

/** Throws 403 unless `user` is the site administrator. */
export function assertSiteAdmin(user: UserContext): void {
  if (!user.isSiteAdmin) throw forbidden('this needs the site administrator');
}
