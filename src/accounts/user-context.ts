import type { Role } from '../store/ports';

/** The signed-in person for one request, set on res.locals.user by the session middleware. */
export interface UserContext {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly isSiteAdmin: boolean;
  /** Roles by organization id. */
  readonly roles: ReadonlyMap<string, ReadonlySet<Role>>;
  readonly sessionId: string;
  /** Token that every state-changing form/API request must echo (CSRF protection). */
  readonly csrfToken: string;
}

/** True when the user holds `role` in `orgId` (site administrators hold every role everywhere). */
export function hasRole(user: UserContext, orgId: string, ...roles: Role[]): boolean {
  if (user.isSiteAdmin) return true;
  const mine = user.roles.get(orgId);
  return !!mine && roles.some((r) => mine.has(r));
}

/** Organization ids where the user holds any of `roles`. */
export function orgsWithRole(user: UserContext, ...roles: Role[]): string[] {
  return [...user.roles.entries()].filter(([, rs]) => roles.some((r) => rs.has(r))).map(([org]) => org);
}
