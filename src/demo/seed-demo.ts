import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Store } from '../store/ports';
import type { CredentialVerifier } from '../xapi/auth/credential-verifier';
import { storeStatements } from '../xapi/statements/write-service';
import { demoAuthority, demoStatements } from './demo-statements';

/**
 * Loads the demo statements through the same write path as the Statement API (validation,
 * normalisation, activity definitions), once: only when demo content is enabled and the store
 * holds no statement at all. Returns how many statements were stored.
 */
export async function seedDemoContent(deps: {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  readonly credentials: CredentialVerifier;
}): Promise<number> {
  if (!deps.config.demo) return 0;
  if ((await deps.store.statements.countStatements()) > 0) return 0;
  const statements = demoStatements(new Date());
  const ids = await storeStatements(
    { ...deps, now: () => new Date() },
    {
      body: { json: statements, parts: new Map(), multipart: false },
      version: '2.0.0',
      auth: { credentialKey: 'demo', name: 'LearnHQ demo content', scopes: new Set(['all']), authority: demoAuthority(deps.config.publicUrl) },
    },
  );
  deps.logger.info({ statements: ids.length }, 'loaded demo content (set LEARNHQ_DEMO=false to skip)');
  return ids.length;
}
