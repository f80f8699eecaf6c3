/**
 * Fixtures for the page tests: an app with a site administrator, people with roles made in code,
 * and signed-in supertest agents that know their CSRF token.
 */
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
export async function createPagesApp(): Promise<PagesApp> {
  const t = await createTestApp({ config: { adminEmail: ADMIN_EMAIL, adminPassword: PASSWORD } });
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

export async function signInAs(t: PagesApp, email: string, password = PASSWORD): Promise<SignedInAgent> {
  const agent = request.agent(t.app);
  const res = await agent.post('/sign-in').type('form').send({ email, password, next: '/' });
  if (res.status !== 303) throw new Error(`sign-in of ${email} answered ${res.status}: ${res.text.slice(0, 300)}`);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = setCookie.map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('lhq_session=')) ?? '';
  const me = await agent.get('/me');
  return { agent, csrf: csrfOf(me.text), cookie };
}
