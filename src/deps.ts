import type { Config } from './config';
import type { Logger } from './logger';
import type { FileStore, Store } from './store/ports';
import type { Pipeline } from './pipeline/engine';
import type { CredentialVerifier } from './xapi/auth/credential-verifier';
import type { LaunchSessionRules, StatementsStoredHook } from './xapi/ports';

/** What every area's router receives from createApp. */
export interface AppServices {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  readonly now: () => Date;
  /** LRS Basic-credential verifier (its cache must be invalidated when credentials change). */
  readonly credentials: CredentialVerifier;
  /** Package file store (folder or GridFS), when main.ts opened one. */
  readonly files?: FileStore;
  /** Launch session rules the LRS checks before an insert (src/compose.ts plugs them in). */
  readonly launchRules?: LaunchSessionRules;
  /** The pipeline's after-insert hook (src/compose.ts). */
  readonly afterStatementsStored?: StatementsStoredHook;
  /** The statement pipeline (status, rebuild, erasure events). */
  readonly pipeline?: Pipeline;
}
