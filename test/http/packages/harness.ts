/**
 * An in-process app with the packages router only, behind a stand-in for the session middleware:
 * header `X-Test-User: <id>` picks one of the users made here. The accounts flows (sign-in,
 * sessions) have their own tests; these test the course rules.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type Express } from 'express';
import type { UserContext } from '../../../src/accounts/user-context';
import { testConfig, type Config } from '../../../src/config';
import type { AppServices } from '../../../src/deps';
import { notFound } from '../../../src/errors';
import { errorMiddleware } from '../../../src/http/error-middleware';
import { createLogger } from '../../../src/logger';
import { packagesRouter } from '../../../src/packages/routes';
import { openStore } from '../../../src/store';
import { createFolderFileStore } from '../../../src/store/files/folder';
import type { FileStore, Role, Store } from '../../../src/store/ports';
import { CredentialVerifier } from '../../../src/xapi/auth/credential-verifier';

export interface Harness {
  readonly app: Express;
  readonly store: Store;
  readonly files: FileStore;
  readonly config: Config;
  /** Folder of the folder file store. */
  readonly filesDir: string;
  readonly orgA: string;
  readonly orgB: string;
  /** Headers that act as this user (X-Test-User and X-CSRF-Token). */
  as(user: TestUserName): Record<string, string>;
  users: Record<TestUserName, UserContext>;
  close(): Promise<void>;
}

export type TestUserName = 'authorA' | 'authorB' | 'learnerA' | 'admin' | 'analystA';

function user(id: string, roles: [string, Role[]][], isSiteAdmin = false): UserContext {
  return {
    userId: id,
    email: `${id}@example.com`,
    name: `User ${id}`,
    isSiteAdmin,
    roles: new Map(roles.map(([org, rs]) => [org, new Set(rs)])),
    sessionId: `session-${id}`,
    csrfToken: `csrf-${id}`,
  };
}

export async function createHarness(opts: { store?: Store; files?: FileStore; config?: Partial<Config> } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'learnhq-packages-'));
  const filesDir = join(dir, 'files');
  const config = testConfig({ packagesDir: filesDir, dataDir: join(dir, 'data'), ...opts.config });
  const store = opts.store ?? (await openStore({ kind: 'sqlite', path: ':memory:' }));
  const files = opts.files ?? createFolderFileStore(filesDir);
  const suffix = Math.random().toString(36).slice(2, 8);
  const orgA = `org-a-${suffix}`;
  const orgB = `org-b-${suffix}`;
  const at = new Date().toISOString();
  await store.accounts.insertOrganization({ id: orgA, slug: orgA, name: 'Provider A', kind: 'provider', createdAt: at });
  await store.accounts.insertOrganization({ id: orgB, slug: orgB, name: 'Provider B', kind: 'both', createdAt: at });
  const users: Record<TestUserName, UserContext> = {
    authorA: user(`author-a-${suffix}`, [[orgA, ['author']]]),
    authorB: user(`author-b-${suffix}`, [[orgB, ['author', 'learner']]]),
    learnerA: user(`learner-a-${suffix}`, [[orgA, ['learner']]]),
    analystA: user(`analyst-a-${suffix}`, [[orgA, ['analyst', 'learner']]]),
    admin: user(`admin-${suffix}`, [], true),
  };
  const byId = new Map(Object.values(users).map((u) => [u.userId, u]));

  const logger = createLogger('silent');
  const services: AppServices & { files: FileStore } = {
    config, store, logger, now: () => new Date(), credentials: new CredentialVerifier(store.credentials), files,
  };
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const id = req.get('x-test-user');
    const u = id ? byId.get(id) : undefined;
    if (u) res.locals['user'] = u;
    next();
  });
  app.use(packagesRouter(services));
  app.use((req, _res, next) => next(notFound(`no resource at ${req.method} ${req.path}`)));
  app.use(errorMiddleware(logger));

  return {
    app, store, files, config, filesDir, orgA, orgB, users,
    as: (name) => ({ 'X-Test-User': users[name].userId, 'X-CSRF-Token': users[name].csrfToken }),
    close: async () => {
      if (!opts.store) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
