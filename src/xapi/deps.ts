import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Store } from '../store/ports';
import type { CredentialVerifier } from './auth/credential-verifier';

/** What every xAPI router receives from createApp. */
export interface XapiDeps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  /** Injected clock so tests can control `stored`. */
  readonly now: () => Date;
  readonly credentials: CredentialVerifier;
}
