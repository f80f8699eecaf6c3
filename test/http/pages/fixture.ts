/**
 * Fixtures for the page tests: an app with a site administrator, people with roles made in code,
 * and signed-in supertest agents that know their CSRF token.
 */
import type { Config } from '../../../src/config';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { ensureSiteAdmin } from '../../../src/accounts/bootstrap-admin';
import { hashSecret } from '../../../src/accounts/secret-hash';
import { insertOrganization } from '../../../src/accounts/organizations';
import type { AppServices } from '../../../src/deps';
import { createLogger } from '../../../src/logger';
import type { Organization, OrgKind, Role } from '../../../src/store/ports';
import { CredentialVerifier } from '../../../src/xapi/auth/credential-verifier';
import { createTestApp, type TestApp } from '../../helpers/test-app';

export const ADMIN_EMAIL = 'site-admin@pages.test';
export const PASSWORD = 'correct horse battery';

export interface PagesApp extends TestApp {
  /** Services over the same store (for calling the accounts service in arrangements). */
  readonly services: AppServices;
}

/** A fresh app on in-memory SQLite with the site administrator ADMIN_EMAIL / PASSWORD. */
export async function createPagesApp(config: Partial<Config> = {}): Promise<PagesApp> {
  const t = await createTestApp({ config: { adminEmail: ADMIN_EMAIL, adminPassword: PASSWORD, ...config } });
  const services: AppServices = { config: t.config, store: t.store, logger: createLogger('silent'), now: () => new Date(), credentials: new CredentialVerifier(t.store.credentials) };
  await ensureSiteAdmin(services);
  return { ...t, services };
}

let n = 0;

export async function makeOrg(t: PagesApp, name: string, kind: OrgKind = 'both'): Promise<Organization> {
  n += 1;
  return insertOrganization(t.services, { name, kind, slug: `org-${n}-${process.pid}` });
}

/** A person with a password and roles; returns their id. */
export async function makePerson(t: PagesApp, o: { email: string; name?: string; roles?: readonly { orgId: string; role: Role }[] }): Promise<string> {
  n += 1;
  const id = `user-${n}-${process.pid}`;
  const at = new Date().toISOString();
  await t.store.accounts.insertUser({
    id,
    email: o.email,
    name: o.name ?? o.email,
    passwordHash: await hashSecret(PASSWORD),
    isSiteAdmin: false,
    shareEmail: false,
    createdAt: at,
    failedSignIns: 0,
  });
  for (const r of o.roles ?? []) await t.store.accounts.insertMembership({ userId: id, orgId: r.orgId, role: r.role, createdAt: at });
  return id;
}

/** A signed-in agent (cookie jar) with the session's CSRF token read from a page form. */
export interface SignedInAgent {
  readonly agent: TestAgent;
  readonly csrf: string;
  /** The raw Cookie header value of the session (to replay it after sign-out). */
  readonly cookie: string;
}

/** The value of the first `_csrf` hidden field of a page. */
export function csrfOf(pageHtml: string): string {
  const m = /name="_csrf" value="([^"]*)"/.exec(pageHtml);
  if (!m?.[1]) throw new Error('no _csrf field on the page');
  return m[1];
}

/**
 * Signs in through the sign-in form as a browser does: the page first (it sets the pre-session
 * cookie and carries its CSRF token), then the form post.
 */
export async function signInAs(t: PagesApp, email: string, password = PASSWORD): Promise<SignedInAgent> {
  const agent = request.agent(t.app);
  const form = await agent.get('/sign-in');
  const res = await agent.post('/sign-in').type('form').send({ _csrf: csrfOf(form.text), email, password, next: '/' });
  if (res.status !== 303) throw new Error(`sign-in of ${email} answered ${res.status}: ${res.text.slice(0, 300)}`);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('lhq_session=')) ?? '';
  const me = await agent.get('/me');
  return { agent, csrf: csrfOf(me.text), cookie };
}

/** A browser without a session that has loaded a page: its agent and its pre-session CSRF token. */
export interface AnonBrowser {
  readonly agent: TestAgent;
  readonly csrf: string;
}

/** Opens /sign-in (or `page`) like a browser: the pre-session cookie is set, the form's token read. */
export async function anonBrowser(t: Pick<PagesApp, 'app'>, page = '/sign-in'): Promise<AnonBrowser> {
  const agent = request.agent(t.app);
  const res = await agent.get(page);
  return { agent, csrf: csrfOf(res.text) };
}

/** The path of the last link mailed to `email` (the test apps have no SMTP server: the outbox). */
export async function mailedLinkPath(t: Pick<PagesApp, 'store'>, email: string): Promise<string> {
  const mail = (await t.store.outbox.findOutboxMails({ limit: 50 })).find((m) => m.to === email.toLowerCase());
  const link = /https?:\/\/\S+/.exec(mail?.text ?? '')?.[0];
  if (!link) throw new Error(`no mail with a link to ${email} in the outbox`);
  return new URL(link).pathname;
}
