/**
 * An in-process app for the xAPI/cmi5 player tests: the LRS, packages, the launch router with the
 * TinCan and cmi5 launchers and the progress reader plugged in, the cmi5/progress router, and a
 * stand-in for the session middleware (`X-Test-User`, or a `test-user` cookie for browsers).
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
import { cmi5Launcher } from '../../../src/launch/cmi5/launcher';
import { playerFormatsRouter } from '../../../src/launch/progress/routes';
import { launchRouter } from '../../../src/launch/routes';
import { tincanLauncher } from '../../../src/launch/xapi/launcher';
import { createLogger } from '../../../src/logger';
import { createContentApp } from '../../../src/packages/content-app';
import { packagesRouter } from '../../../src/packages/routes';
import { openStore } from '../../../src/store';
import { createFolderFileStore } from '../../../src/store/files/folder';
import type { Role, Store } from '../../../src/store/ports';
import { CredentialVerifier } from '../../../src/xapi/auth/credential-verifier';
import { createXapiRouter } from '../../../src/xapi/router';
import { composeServices } from '../../../src/compose';

export type PlayerUser = 'author' | 'learner' | 'admin' | 'analyst' | 'other';

export interface PlayerHarness {
  readonly app: Express;
  readonly content: Express;
  readonly store: Store;
  readonly config: Config;
  readonly services: AppServices;
  readonly orgId: string;
  readonly users: Record<PlayerUser, UserContext>;
  as(u: PlayerUser): Record<string, string>;
  /** Basic auth of an `all` LRS credential (to read what reached the LRS). */
  readonly lrsAuth: string;
  publish(zip: Buffer): Promise<string>;
  /** Launches a course as the learner and returns the player's JSON (frameUrl...). */
  launch(courseId: string, body?: Record<string, unknown>, who?: PlayerUser): Promise<{ sessionId: string; registration: string; frameUrl: string; newWindow: boolean }>;
  close(): Promise<void>;
}

function user(id: string, roles: [string, Role[]][]): UserContext {
  return {
    userId: id, email: `${id}@example.com`, name: `User ${id}`, isSiteAdmin: false,
    roles: new Map(roles.map(([org, rs]) => [org, new Set(rs)])), sessionId: `s-${id}`, csrfToken: `csrf-${id}`,
  };
}

let openHarnessStore: (() => Promise<Store>) | undefined;

/**
 * Makes every later createPlayerHarness() without its own store open one with `open` (the MongoDB
 * run of the cmi5 tests, test/http/cmi5/cmi5-mongo.test.ts); the default is in-memory SQLite.
 */
export function usePlayerHarnessStore(open: () => Promise<Store>): void {
  openHarnessStore = open;
}

export async function createPlayerHarness(opts: { config?: Partial<Config>; store?: Store } = {}): Promise<PlayerHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'learnhq-cmi5-'));
  const config = testConfig({ packagesDir: join(dir, 'files'), dataDir: join(dir, 'data'), publicUrl: 'http://learnhq.test', contentUrl: 'http://content.learnhq.test', ...opts.config });
  const store = opts.store ?? (openHarnessStore ? await openHarnessStore() : await openStore({ kind: 'sqlite', path: ':memory:' }));
  const files = createFolderFileStore(join(dir, 'files'));
  const suffix = Math.random().toString(36).slice(2, 8);
  const orgId = `org-${suffix}`;
  const at = new Date().toISOString();
  await store.accounts.insertOrganization({ id: orgId, slug: orgId, name: 'Library', kind: 'both', createdAt: at });
  const users: Record<PlayerUser, UserContext> = {
    author: user(`author-${suffix}`, [[orgId, ['author']]]),
    learner: user(`learner-${suffix}`, [[orgId, ['learner']]]),
    admin: user(`admin-${suffix}`, [[orgId, ['orgAdmin']]]),
    analyst: user(`analyst-${suffix}`, [[orgId, ['analyst']]]),
    other: user(`other-${suffix}`, [[orgId, ['learner']]]),
  };
  for (const u of Object.values(users)) {
    await store.accounts.insertUser({ id: u.userId, email: u.email, name: u.name, isSiteAdmin: false, shareEmail: false, createdAt: at, failedSignIns: 0 });
    for (const [org, roles] of u.roles) for (const role of roles) await store.accounts.insertMembership({ userId: u.userId, orgId: org, role, createdAt: at });
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
  app.use('/xapi', createXapiRouter(services));
  app.use((req, res, next) => {
    const id = req.get('x-test-user') ?? /(?:^|;\s*)test-user=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const u = id ? byId.get(id) : undefined;
    if (u) res.locals['user'] = u;
    next();
  });
  app.use(packagesRouter(services));
  app.use(launchRouter(services, { launchers: { tincan: tincanLauncher, cmi5: cmi5Launcher } }));
  app.use(playerFormatsRouter(services));
  app.use((req, _res, next) => next(notFound(`no resource at ${req.method} ${req.path}`)));
  app.use(errorMiddleware(logger));

  const content = createContentApp(services, files);
  const key = `lrs-${suffix}`;
  const secret = `secret-${suffix}`;
  await store.credentials.insertCredential({
    key, secretHash: await hashSecret(secret), name: 'test', scopes: ['all'],
    authority: { objectType: 'Agent', name: 'test', account: { homePage: 'http://learnhq.test', name: key } }, createdAt: at,
  });
  const as = (u: PlayerUser): Record<string, string> => ({ 'X-Test-User': users[u].userId, 'X-CSRF-Token': users[u].csrfToken });
  return {
    app, content, store, config, services, orgId, users, as,
    lrsAuth: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
    async publish(zip) {
      const up = await request(app).post(`/api/orgs/${orgId}/courses`).set(as('author')).set('Content-Type', 'application/zip').send(zip);
      if (up.status !== 201) throw new Error(`upload failed: ${up.status} ${JSON.stringify(up.body)}`);
      const body = up.body as { course: { id: string } };
      await request(app).post(`/api/courses/${body.course.id}/publish`).set(as('author')).expect(200);
      return body.course.id;
    },
    async launch(courseId, body = {}, who = 'learner') {
      const l = await request(app).post(`/api/courses/${courseId}/launch`).set(as(who)).send(body);
      if (l.status !== 201) throw new Error(`launch failed: ${l.status} ${JSON.stringify(l.body)}`);
      const { sessionId, registration } = l.body as { sessionId: string; registration: string };
      const p = await request(app).get(`/api/play/${sessionId}`).set(as(who));
      if (p.status !== 200) throw new Error(`play failed: ${p.status} ${JSON.stringify(p.body)}`);
      const v = p.body as { frameUrl: string; newWindow: boolean };
      return { sessionId, registration, frameUrl: v.frameUrl, newWindow: v.newWindow };
    },
    close: async () => {
      await pipeline.stop();
      if (!opts.store) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Statements in the LRS matching a query, oldest first. */
export async function lrsStatements(h: PlayerHarness, query: Record<string, string>): Promise<Record<string, unknown>[]> {
  const res = await request(h.app).get('/xapi/statements').query({ ascending: 'true', limit: '500', ...query })
    .set('Authorization', h.lrsAuth).set('X-Experience-API-Version', '1.0.3');
  if (res.status !== 200) throw new Error(`GET statements: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { statements: Record<string, unknown>[] }).statements;
}

/** The verb ids of statements, in order. */
export const verbsOf = (list: readonly Record<string, unknown>[]): string[] => list.map((s) => String((s['verb'] as { id: string }).id));
