import type { AppServices } from '../deps';
import { badRequest, notFound } from '../errors';
import type { Credential } from '../store/ports';
import { XAPI_SCOPES, type XapiScope } from '../xapi/auth/scopes';
import { assertRoleIn } from './access';
import { recordAudit } from './audit';
import { siteAuthority } from './bootstrap';
import { requiredText } from './input';
import { requireOrganization } from './organizations';
import { hashSecret, randomToken } from './secret-hash';
import type { UserContext } from './user-context';

/** A credential as listed: never its secret or its hash. */
export interface CredentialView {
  readonly key: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly orgId?: string;
  readonly createdAt: string;
  readonly revokedAt?: string;
}

/** A credential just created: `secret` is shown this once and stored only hashed. */
export interface CreatedCredential extends CredentialView {
  readonly secret: string;
}

export function credentialView(c: Credential): CredentialView {
  return {
    key: c.key,
    name: c.name,
    scopes: c.scopes,
    ...(c.orgId !== undefined ? { orgId: c.orgId } : {}),
    createdAt: c.createdAt,
    ...(c.revokedAt !== undefined ? { revokedAt: c.revokedAt } : {}),
  };
}

/** Validates a list of xAPI scopes; 400 naming the first unknown one. */
export function parseScopes(raw: unknown, name = 'scopes'): XapiScope[] {
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest(`${name} must be a non-empty array of xAPI scopes (${XAPI_SCOPES.join(', ')})`);
  return [
    ...new Set(
      raw.map((s, i) => {
        if (typeof s !== 'string' || !(XAPI_SCOPES as readonly string[]).includes(s)) {
          throw badRequest(`${name}[${i}] must be one of ${XAPI_SCOPES.join(', ')}`);
        }
        return s as XapiScope;
      }),
    ),
  ];
}

/**
 * Creates an LRS credential of an organization (orgAdmin of it, or site admin): a generated key
 * and secret, the chosen scopes, the organization as owner. Audited as credential.create.
 */
export async function createOrgCredential(
  s: AppServices,
  actor: UserContext,
  input: { readonly orgId: string; readonly name: string; readonly scopes: readonly string[] },
): Promise<CreatedCredential> {
  assertRoleIn(actor, input.orgId, 'orgAdmin');
  const org = await requireOrganization(s, input.orgId);
  const name = requiredText(input.name, 'name', 120);
  const scopes = parseScopes(input.scopes);
  const key = randomToken(15);
  const secret = randomToken(24);
  const credential: Credential = {
    key,
    secretHash: await hashSecret(secret),
    name,
    scopes,
    authority: siteAuthority(s.config, key, `${org.name}: ${name}`),
    orgId: org.id,
    createdAt: s.now().toISOString(),
  };
  await s.store.credentials.insertCredential(credential);
  await recordAudit(s, actor, { action: 'credential.create', orgId: org.id, target: key, details: { name, scopes } });
  return { ...credentialView(credential), secret };
}

/** Credentials of an organization, oldest first, revoked included (orgAdmin of it, or site admin). */
export async function listOrgCredentials(s: AppServices, actor: UserContext, orgId: string): Promise<CredentialView[]> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  await requireOrganization(s, orgId);
  return (await s.store.credentials.findCredentials({ orgId })).map(credentialView);
}

/**
 * Revokes a credential of the organization at once (the verifier cache is cleared here; other
 * instances stop accepting it within their cache time). 404 when the key is not one of this
 * organization's. Idempotent; audited as credential.revoke the first time.
 */
export async function revokeOrgCredential(s: AppServices, actor: UserContext, orgId: string, key: string): Promise<CredentialView> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  await requireOrganization(s, orgId);
  const c = await s.store.credentials.findCredential(key);
  if (!c || c.orgId !== orgId) throw notFound(`no credential ${key} in organization ${orgId}`);
  if (c.revokedAt !== undefined) return credentialView(c);
  const at = s.now().toISOString();
  await s.store.credentials.updateCredentialRevoked(key, at);
  s.credentials.invalidate();
  await recordAudit(s, actor, { action: 'credential.revoke', orgId, target: key, details: { name: c.name } });
  return credentialView({ ...c, revokedAt: at });
}
