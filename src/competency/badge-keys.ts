/**
 * Per-organization credential signing keys: ES256 (P-256), generated on first use, kept in the
 * store (private key as PKCS#8 PEM, public key as JWK), rotatable. A rotated key is retired, not
 * deleted: it stays published so credentials it signed still verify.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { AppServices } from '../deps';
import { conflict } from '../errors';
import type { SigningKey } from '../store/ports';

type Services = Pick<AppServices, 'store' | 'now' | 'config'>;

/** The issuer profile URL of an organization (stable: the organization id never changes). */
export function issuerUrl(s: Pick<AppServices, 'config'>, orgId: string): string {
  return `${s.config.publicUrl.replace(/\/$/, '')}/ob/issuers/${encodeURIComponent(orgId)}`;
}

/** The URL of one public key (the JOSE `kid` of what it signed): it answers the JWK. */
export function keyUrl(s: Pick<AppServices, 'config'>, k: Pick<SigningKey, 'orgId' | 'kid'>): string {
  return `${issuerUrl(s, k.orgId)}/keys/${encodeURIComponent(k.kid)}`;
}

function newKey(orgId: string, at: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return {
    kid, orgId, alg: 'ES256',
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: { ...jwk, kid, alg: 'ES256', use: 'sig' },
    createdAt: at,
  };
}

/** The organization's current key, created on first use (two instances racing: the newest wins for later signatures, both verify). */
export async function activeKey(s: Services, orgId: string): Promise<SigningKey> {
  const current = (await s.store.competency.findSigningKeys(orgId)).find((k) => k.retiredAt === undefined);
  if (current) return current;
  const k = newKey(orgId, s.now().toISOString());
  await s.store.competency.insertSigningKey(k);
  return k;
}

/** Retires the current key and makes a new one; returns the new key. */
export async function rotateKey(s: Services, orgId: string): Promise<SigningKey> {
  const at = s.now().toISOString();
  for (const k of await s.store.competency.findSigningKeys(orgId)) if (k.retiredAt === undefined) await s.store.competency.retireSigningKey(k.kid, at);
  const k = newKey(orgId, at);
  try {
    await s.store.competency.insertSigningKey(k);
  } catch (err) {
    throw conflict(`could not store the new key: ${(err as Error).message}`);
  }
  return k;
}
