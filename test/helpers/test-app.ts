import type { RequestListener } from 'node:http';
import { hashSecret } from '../../src/accounts/secret-hash';
import { createApp } from '../../src/app';
import { testConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { openStore } from '../../src/store';
import type { Store } from '../../src/store/ports';

export interface TestApp {
  readonly app: RequestListener;
  readonly store: Store;
  readonly config: Config;
  /** Authorization header value of a credential with scope `all`. */
  readonly auth: string;
  /** Creates another credential and returns its Authorization header value. */
  credential(scopes: string[], name?: string): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * An in-process app on a fresh in-memory SQLite store (or the store given), with one `all`
 * credential. Use with supertest: `request(t.app).get('/xapi/statements').set(...)`.
 */
export async function createTestApp(opts: { store?: Store; config?: Partial<Config>; now?: () => Date } = {}): Promise<TestApp> {
  const config = testConfig(opts.config);
  const store = opts.store ?? (await openStore({ kind: 'sqlite', path: ':memory:' }));
  const { listener: app } = createApp({ config, store, logger: createLogger('silent'), ...(opts.now ? { now: opts.now } : {}) });

  const credential = async (scopes: string[], name = 'test'): Promise<string> => {
    counter += 1;
    const key = `k${process.pid}x${counter}`;
    const secret = `secret-${counter}-${Math.random().toString(36).slice(2)}`;
    await store.credentials.insertCredential({
      key,
      secretHash: await hashSecret(secret),
      name,
      scopes,
      authority: { objectType: 'Agent', name, account: { homePage: 'http://learnhq.test', name: key } },
      createdAt: new Date().toISOString(),
    });
    return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  };

  const auth = await credential(['all'], 'admin');
  return { app, store, config, auth, credential, close: () => store.close() };
}
