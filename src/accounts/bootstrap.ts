import type { Config } from '../config';
import { isAppError } from '../errors';
import type { Logger } from '../logger';
import type { CredentialStore } from '../store/ports';
import { hashSecret, randomToken, verifySecret } from './secret-hash';

/** The authority used for statements written with a site-level credential. */
export function siteAuthority(config: Config, key: string, name: string): Record<string, unknown> {
  return { objectType: 'Agent', name, account: { homePage: config.publicUrl, name: key } };
}

export interface BootstrapResult {
  /** Set only when a credential was generated now: the secret is shown this once. */
  readonly generated?: { readonly key: string; readonly secret: string };
}

/**
 * Makes sure an LRS credential with scope `all` exists at start:
 * - LEARNHQ_LRS_KEY/SECRET given: create it when missing; when it exists with another secret,
 *   stop with an error naming the variable (we never silently replace a secret).
 * - not given: on the very first start (no credential at all) generate one and return it so
 *   main.ts prints it once.
 */
export async function ensureLrsCredential(store: CredentialStore, config: Config, logger: Logger): Promise<BootstrapResult> {
  const now = new Date().toISOString();
  if (config.lrsKey !== undefined && config.lrsSecret !== undefined) {
    const existing = await store.findCredential(config.lrsKey);
    if (existing) {
      if (existing.revokedAt) throw new Error(`LEARNHQ_LRS_KEY: the credential "${config.lrsKey}" was revoked; choose another key`);
      if (!(await verifySecret(config.lrsSecret, existing.secretHash))) {
        throw new Error(`LEARNHQ_LRS_SECRET: does not match the stored secret of credential "${config.lrsKey}"`);
      }
      return {};
    }
    try {
      await store.insertCredential({
        key: config.lrsKey,
        secretHash: await hashSecret(config.lrsSecret),
        name: 'Configured LRS credential',
        scopes: ['all'],
        authority: siteAuthority(config, config.lrsKey, 'LearnHQ LRS credential'),
        createdAt: now,
      });
    } catch (err) {
      // Several instances of one deployment starting at once: another one created it first, so
      // check it as an existing credential (the same secret, not revoked).
      if (isAppError(err) && err.code === 'conflict') return ensureLrsCredential(store, config, logger);
      throw err;
    }
    logger.info({ key: config.lrsKey }, 'created the LRS credential from LEARNHQ_LRS_KEY');
    return {};
  }
  if ((await store.countCredentials()) > 0) return {};
  const key = randomToken(12);
  const secret = randomToken(24);
  await store.insertCredential({
    key,
    secretHash: await hashSecret(secret),
    name: 'Generated at first start',
    scopes: ['all'],
    authority: siteAuthority(config, key, 'LearnHQ LRS credential'),
    createdAt: now,
  });
  return { generated: { key, secret } };
}
