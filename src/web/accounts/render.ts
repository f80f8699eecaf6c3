import type { Response } from 'express';
import type { UserContext } from '../../accounts/user-context';
import type { Role } from '../../store/ports';
import { html, type HtmlValue } from '../html';
import { page, type NavUser, type PageOptions } from '../layout';

/** The signed-in person of this request, or undefined (set by the session middleware). */
export function currentUser(res: Response): UserContext | undefined {
  const u: unknown = res.locals['user'];
  return typeof u === 'object' && u !== null && 'userId' in u ? (u as UserContext) : undefined;
}

/** The signed-in person; only call behind requireUser(). */
export function signedIn(res: Response): UserContext {
  const u = currentUser(res);
  if (!u) throw new Error('signedIn() called on a route without requireUser()');
  return u;
}

/** What the page shell needs to draw the navigation of a signed-in person. */
export function navUser(u: UserContext): NavUser {
  const roles = new Set<string>();
  for (const rs of u.roles.values()) for (const r of rs) roles.add(r);
  return { name: u.name, isSiteAdmin: u.isSiteAdmin, roles };
}

/** Sends a full page: the shell with the current user's navigation and CSRF token. */
export function sendPage(res: Response, status: number, o: Omit<PageOptions, 'user' | 'csrfToken'>): void {
  const u = currentUser(res);
  const body = page({ ...o, ...(u ? { user: navUser(u), csrfToken: u.csrfToken } : {}) });
  // Pages show per-person data and one-time secrets: never cache them anywhere.
  res.status(status).set('Cache-Control', 'no-store').type('html').send(body.toString());
}

const ROLE_LABELS: Record<Role, string> = { learner: 'Learner', author: 'Author', analyst: 'Analyst', orgAdmin: 'Organization administrator', manager: 'Manager' };

/** Human label of a role. */
export function roleLabel(r: Role): string {
  return ROLE_LABELS[r];
}

/** A date-time shown to people: ISO without seconds fraction, in UTC (no client clock needed). */
export function when(iso: string | undefined): HtmlValue {
  if (!iso) return '';
  const shown = iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return html`<time datetime="${iso}">${shown}</time>`;
}
