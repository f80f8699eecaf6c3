/**
 * An in-process app with the packages, launch and xAPI routers behind a stand-in for the session
 * middleware (header `X-Test-User: <id>`), plus the content-origin app with the launcher. Users
 * exist in the store (the runtime reads the learner's name; launch tokens check the person).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type Express } from 'express';
import request from 'supertest';
import { hashSecret } from '../../../src/accounts/secret-hash';
import type { UserContext } from '../../../src/accounts/user-context';
import { testConfig, type Config } from '../../../src/config';
import type { AppServices } from '../../../src/deps';
import { notFound } from '../../../src/errors';
import { errorMiddleware } from '../../../src/http/error-middleware';
import { launchRouter } from '../../../src/launch/routes';
import { createLogger } from '../../../src/logger';
import { createContentApp } from '../../../src/packages/content-app';
import { packagesRouter } from '../../../src/packages/routes';
import { openStore } from '../../../src/store';
import { createFolderFileStore } from '../../../src/store/files/folder';
import type { Role, Store } from '../../../src/store/ports';
import { CredentialVerifier } from '../../../src/xapi/auth/credential-verifier';
import { securityHeadersMiddleware } from '../../../src/http/security-headers';
import { createXapiRouter } from '../../../src/xapi/router';
import { composeServices } from '../../../src/compose';

export type LaunchUser = 'author' | 'learner' | 'other';

export interface LaunchHarness {
  readonly app: Express;
  readonly content: Express;
  readonly store: Store;
  readonly config: Config;
  readonly orgId: string;
  readonly users: Record<LaunchUser, UserContext>;
  /** X-Test-User and X-CSRF-Token headers of a user. */
  as(u: LaunchUser): Record<string, string>;
  /** Basic auth of an `all` LRS credential. */
  readonly lrsAuth: string;
  /** Uploads and publishes a package; returns the course id. */
  publish(zip: Buffer): Promise<string>;
  close(): Promise<void>;
}

function user(id: string, roles: [string, Role[]][]): UserContext {
  return {
    userId: id, email: `${id}@example.com`, name: `User ${id}`, isSiteAdmin: false,
    roles: new Map(roles.map(([org, rs]) => [org, new Set(rs)])), sessionId: `s-${id}`, csrfToken: `csrf-${id}`,
  };
}

/** Builds the harness; `config` may set publicUrl/contentUrl (the browser tests do). */
let openHarnessStore: (() => Promise<Store>) | undefined;

/**
 * Makes every later createLaunchHarness() without its own store open one with `open` (the MongoDB
 * run of the SCORM runtime tests, test/http/launch/launch-mongo.test.ts); default in-memory SQLite.
 */
export function useLaunchHarnessStore(open: () => Promise<Store>): void {
  openHarnessStore = open;
}

export async function createLaunchHarness(opts: { config?: Partial<Config>; store?: Store } = {}): Promise<LaunchHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'learnhq-launch-'));
  const config = testConfig({ packagesDir: join(dir, 'files'), dataDir: join(dir, 'data'), ...opts.config });
  const store = opts.store ?? (openHarnessStore ? await openHarnessStore() : await openStore({ kind: 'sqlite', path: ':memory:' }));
  const files = createFolderFileStore(join(dir, 'files'));
  const suffix = Math.random().toString(36).slice(2, 8);
  const orgId = `org-${suffix}`;
  const at = new Date().toISOString();
  await store.accounts.insertOrganization({ id: orgId, slug: orgId, name: 'Library', kind: 'both', createdAt: at });
  const users: Record<LaunchUser, UserContext> = {
    author: user(`author-${suffix}`, [[orgId, ['author']]]),
    learner: user(`learner-${suffix}`, [[orgId, ['learner']]]),
    other: user(`other-${suffix}`, [[orgId, ['learner']]]),
  };
  for (const u of Object.values(users)) {
    await store.accounts.insertUser({ id: u.userId, email: u.email, name: u.name, isSiteAdmin: false, shareEmail: false, createdAt: at, failedSignIns: 0 });
  }
  const byId = new Map(Object.values(users).map((u) => [u.userId, u]));
  const logger = createLogger('silent');
  // The composition root's wiring (src/compose.ts): cmi5 session rules, the statement pipeline
  // with the progress and cmi5 moveOn subscribers.
  const { services: composed, pipeline } = composeServices({
    config, store, logger, now: () => new Date(), credentials: new CredentialVerifier(store.credentials), files,
  });
  const services = { ...composed, files };
  const app = express();
  app.disable('x-powered-by');
  // The app's browser policy (its CSP frames only the content origin), as createApp sets it.
  app.use(securityHeadersMiddleware(config));
  app.use('/xapi', createXapiRouter(services));
  app.use('/static', express.static(join(__dirname, '..', '..', '..', 'src', 'web', 'static'), { index: false }));
  app.use((req, res, next) => {
    // Browser tests sign in with a cookie (a header would also reach the content origin and its CORS).
    const id = req.get('x-test-user') ?? /(?:^|;\s*)test-user=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const u = id ? byId.get(id) : undefined;
    if (u) res.locals['user'] = u;
    next();
  });
  app.use(packagesRouter(services));
  app.use(launchRouter(services));
  app.use((req, _res, next) => next(notFound(`no resource at ${req.method} ${req.path}`)));
  app.use(errorMiddleware(logger));

  const content = express();
  content.use(createContentApp(services, files));

  const key = `lrs-${suffix}`;
  const secret = `secret-${suffix}`;
  await store.credentials.insertCredential({
    key, secretHash: await hashSecret(secret), name: 'test', scopes: ['all'],
    authority: { objectType: 'Agent', name: 'test', account: { homePage: 'http://learnhq.test', name: key } }, createdAt: at,
  });
  const as = (u: LaunchUser): Record<string, string> => ({ 'X-Test-User': users[u].userId, 'X-CSRF-Token': users[u].csrfToken });

  return {
    app, content, store, config, orgId, users, as,
    lrsAuth: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
    async publish(zip) {
      const up = await request(app).post(`/api/orgs/${orgId}/courses`).set(as('author')).set('Content-Type', 'application/zip').send(zip);
      if (up.status !== 201) throw new Error(`upload failed: ${up.status} ${JSON.stringify(up.body)}`);
      const body = up.body as { course: { id: string } };
      await request(app).post(`/api/courses/${body.course.id}/publish`).set(as('author')).expect(200);
      return body.course.id;
    },
    close: async () => {
      await pipeline.stop();
      if (!opts.store) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The launch token (Authorization value) from a player frame URL's fragment. */
export function tokenOf(frameUrl: string): string {
  const hash = new URL(frameUrl).hash.slice(1);
  const auth = new URLSearchParams(hash).get('auth');
  if (!auth) throw new Error(`no auth in ${frameUrl}`);
  return auth;
}
