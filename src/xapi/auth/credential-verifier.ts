import { verifySecretGated } from '../../accounts/kdf-gate';
import type { CredentialStore } from '../../store/ports';
import { LAUNCH_USER } from '../../accounts/launch-tokens';
import type { AuthContext } from './auth-context';

interface CacheEntry {
  readonly auth: AuthContext;
  readonly expires: number;
}

/**
 * Verifies Basic credentials. The slow KDF runs once per credential and header; the verified
 * result is cached under the header string (V8 hashes it for the Map) for `ttlMs`, so the hot
 * path is a Map lookup. Revocation in this process clears the cache at once; other instances see it
 * within `ttlMs`.
 */
export class CredentialVerifier {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly pending = new Map<string, Promise<AuthContext | undefined>>();

  constructor(
    private readonly store: CredentialStore,
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** The caller for an Authorization header value, or undefined when it does not authenticate. */
  async verifyHeader(header: string): Promise<AuthContext | undefined> {
    // The header itself is the key: a Map lookup costs far less than hashing it first, and the
    // process already holds the header in memory for the request anyway.
    const cacheKey = header;
    const hit = this.cache.get(cacheKey);
    const now = Date.now();
    if (hit && hit.expires > now) return hit.auth;
    let p = this.pending.get(cacheKey);
    if (!p) {
      p = this.verifySlow(header).finally(() => this.pending.delete(cacheKey));
      this.pending.set(cacheKey, p);
    }
    const auth = await p;
    if (auth) {
      if (this.cache.size >= this.maxEntries) this.cache.clear();
      this.cache.set(cacheKey, { auth, expires: now + this.ttlMs });
    }
    return auth;
  }

  /** Forgets cached verifications (call after revoking or rotating a credential). */
  invalidate(): void {
    this.cache.clear();
  }

  private async verifySlow(header: string): Promise<AuthContext | undefined> {
    const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
    if (!m) return undefined;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return undefined;
    const key = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    // Launch tokens are verified by launch-auth.ts; never look one up as a stored credential.
    if (key === LAUNCH_USER) return undefined;
    const cred = await this.store.findCredential(key);
    if (!cred || cred.revokedAt) return undefined;
    // Through the process's bound on parallel hashes (503 when full): wrong secrets in bulk must
    // not take the thread pool that static files and the content origin read with (issue 11).
    if (!(await verifySecretGated(secret, cred.secretHash))) return undefined;
    return {
      credentialKey: cred.key,
      name: cred.name,
      scopes: new Set(cred.scopes),
      authority: cred.authority,
      ...(cred.orgId !== undefined ? { orgId: cred.orgId } : {}),
    };
  }
}
