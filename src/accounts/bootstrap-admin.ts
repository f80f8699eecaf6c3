import type { AppServices } from '../deps';
import { isAppError } from '../errors';
import type { Role, User } from '../store/ports';
import { recordAudit } from './audit';
import { insertOrganization } from './organizations';
import { hashSecret, randomToken } from './secret-hash';
import { newId } from './tokens';

/** What ensureSiteAdmin did. */
export interface SiteAdminResult {
  /** Set only when an administrator was generated now: the password is shown this once. */
  readonly generated?: { readonly email: string; readonly password: string };
  /** True when LEARNHQ_ADMIN_EMAIL's account was created or promoted now. */
  readonly configured?: boolean;
}

/** Email of the generated administrator when neither LEARNHQ_ADMIN_EMAIL nor the demo gives one. */
export const GENERATED_ADMIN_EMAIL = 'admin@learnhq.invalid';

/**
 * Makes sure a site administrator exists at start (main.ts calls it after opening the store):
 * - LEARNHQ_ADMIN_EMAIL/PASSWORD set: creates that account when missing, or makes an existing
 *   account with that email site administrator. An existing password is never replaced (use
 *   password reset), like LEARNHQ_LRS_SECRET never replaces a stored secret.
 * - not set, no site administrator yet and the demo off: generates one and returns its password
 *   to print once (with the demo on, seedDemoAccounts creates a known demo administrator).
 */
export async function ensureSiteAdmin(s: AppServices): Promise<SiteAdminResult> {
  const { adminEmail, adminPassword } = s.config;
  if (adminEmail !== undefined && adminPassword !== undefined) {
    const existing = await s.store.accounts.findUserByEmail(adminEmail);
    if (existing) {
      if (existing.isSiteAdmin) return {};
      await s.store.accounts.updateUser(existing.id, { isSiteAdmin: true });
      await recordAudit(s, undefined, { action: 'siteAdmin.grant', target: existing.id, details: { email: adminEmail, from: 'LEARNHQ_ADMIN_EMAIL' } });
      s.logger.info({ email: adminEmail }, 'made the account of LEARNHQ_ADMIN_EMAIL site administrator');
      return { configured: true };
    }
    const user = await createUnlessRaced(s, { email: adminEmail, name: 'Site administrator', password: adminPassword, isSiteAdmin: true });
    if (!user) return ensureSiteAdmin(s);
    await recordAudit(s, undefined, { action: 'siteAdmin.grant', target: user.id, details: { email: adminEmail, from: 'LEARNHQ_ADMIN_EMAIL' } });
    s.logger.info({ email: adminEmail }, 'created the site administrator from LEARNHQ_ADMIN_EMAIL');
    return { configured: true };
  }
  if (s.config.demo || (await s.store.accounts.findSiteAdmins()).length > 0) return {};
  if (await s.store.accounts.findUserByEmail(GENERATED_ADMIN_EMAIL)) return {};
  const password = randomToken(15);
  const user = await createUnlessRaced(s, { email: GENERATED_ADMIN_EMAIL, name: 'Site administrator', password, isSiteAdmin: true });
  // Another instance starting at the same moment created it (and printed its password).
  if (!user) return {};
  await recordAudit(s, undefined, { action: 'siteAdmin.grant', target: user.id, details: { email: GENERATED_ADMIN_EMAIL, from: 'generated at first start' } });
  return { generated: { email: GENERATED_ADMIN_EMAIL, password } };
}

/** createUser, or undefined when another instance of the deployment created that email first. */
async function createUnlessRaced(s: AppServices, input: Parameters<typeof createUser>[1]): Promise<User | undefined> {
  try {
    return await createUser(s, input);
  } catch (err) {
    if (isAppError(err) && err.code === 'conflict') return undefined;
    throw err;
  }
}

/** Creates an account with a hashed password (demo and bootstrap people). */
export async function createUser(
  s: AppServices,
  input: { email: string; name: string; password: string; isSiteAdmin?: boolean; shareEmail?: boolean; emailProven?: boolean },
): Promise<User> {
  const user: User = {
    id: newId(),
    email: input.email.toLowerCase(),
    name: input.name,
    passwordHash: await hashSecret(input.password),
    isSiteAdmin: input.isSiteAdmin === true,
    shareEmail: input.shareEmail === true,
    createdAt: s.now().toISOString(),
    failedSignIns: 0,
    // Configured and generated administrators have proven nothing by mail; demo people count as proven.
    ...(input.emailProven ? { emailVerifiedAt: s.now().toISOString() } : {}),
  };
  await s.store.accounts.insertUser(user);
  return user;
}

/** Password of every demo account (documented in docs/accounts.md and the README). */
export const DEMO_PASSWORD = 'learnhq-demo';

/** The demo sign-ins: email, name, and roles by organization slug. */
export const DEMO_PEOPLE: readonly {
  readonly email: string;
  readonly name: string;
  readonly isSiteAdmin?: boolean;
  readonly roles: readonly { readonly org: string; readonly role: Role; readonly learnerType?: 'staff' | 'trustee' }[];
}[] = [
  { email: 'admin@demo.learnhq.test', name: 'Ada Admin', isSiteAdmin: true, roles: [] },
  { email: 'orgadmin@riverside.demo.learnhq.test', name: 'Rita Riverside', roles: [{ org: 'riverside-library', role: 'orgAdmin' }] },
  { email: 'analyst@riverside.demo.learnhq.test', name: 'Andy Analyst', roles: [{ org: 'riverside-library', role: 'analyst' }] },
  { email: 'staff@riverside.demo.learnhq.test', name: 'Sam Staff', roles: [{ org: 'riverside-library', role: 'learner', learnerType: 'staff' }] },
  { email: 'trustee@riverside.demo.learnhq.test', name: 'Tess Trustee', roles: [{ org: 'riverside-library', role: 'learner', learnerType: 'trustee' }] },
  { email: 'author@northwind.demo.learnhq.test', name: 'Nora Author', roles: [{ org: 'northwind-learning', role: 'author' }, { org: 'northwind-learning', role: 'orgAdmin' }] },
  {
    email: 'multi@demo.learnhq.test',
    name: 'Max Multi',
    roles: [
      { org: 'harbor-cooperative', role: 'learner', learnerType: 'staff' },
      { org: 'harbor-cooperative', role: 'analyst' },
      { org: 'northwind-learning', role: 'author' },
    ],
  },
];

/**
 * With the demo on (config.demo) and no organization yet: creates three organizations (a member
 * library, a content provider, one that is both) and the DEMO_PEOPLE, all with DEMO_PASSWORD.
 * Returns the emails created ([] when it did nothing).
 */
export async function seedDemoAccounts(s: AppServices): Promise<string[]> {
  if (!s.config.demo) return [];
  if ((await s.store.accounts.findOrganizations()).length > 0) return [];
  const orgs = new Map<string, string>();
  for (const o of [
    { name: 'Riverside Library', slug: 'riverside-library', kind: 'member' as const },
    { name: 'Northwind Learning', slug: 'northwind-learning', kind: 'provider' as const },
    { name: 'Harbor Cooperative', slug: 'harbor-cooperative', kind: 'both' as const },
  ]) {
    orgs.set(o.slug, (await insertOrganization(s, o)).id);
  }
  const created: string[] = [];
  for (const p of DEMO_PEOPLE) {
    if (await s.store.accounts.findUserByEmail(p.email)) continue;
    const user = await createUser(s, { email: p.email, name: p.name, password: DEMO_PASSWORD, isSiteAdmin: p.isSiteAdmin === true, emailProven: true });
    for (const r of p.roles) {
      const orgId = orgs.get(r.org);
      if (orgId === undefined) continue;
      await s.store.accounts.insertMembership({
        userId: user.id,
        orgId,
        role: r.role,
        ...(r.learnerType !== undefined ? { learnerType: r.learnerType } : {}),
        createdAt: s.now().toISOString(),
      });
    }
    created.push(p.email);
  }
  s.logger.info({ emails: created, password: DEMO_PASSWORD }, 'demo accounts created (LEARNHQ_DEMO): sign in with any of these emails');
  return created;
}
