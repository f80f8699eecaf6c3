import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Store } from '../store/ports';
import type { CredentialVerifier } from './auth/credential-verifier';
import type { LaunchSessionRules, StatementsStoredHook } from './ports';

/** What every xAPI router receives from createApp. */
export interface XapiDeps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  /** Injected clock so tests can control `stored`. */
  readonly now: () => Date;
  readonly credentials: CredentialVerifier;
  /** Launch session rules checked before an insert (the launch area implements them). */
  readonly launchRules?: LaunchSessionRules;
  /** Runs after every insert that stored statements (the pipeline). */
  readonly afterStatementsStored?: StatementsStoredHook;
}
