/**
 * Shared set-up of the player benches: the launch test harness (test/http/launch/harness.ts) on a
 * SQLite file store in a temp folder, its app and content origin each listening on a real
 * ephemeral port of 127.0.0.1, plus any number of extra learners (users and learner memberships in
 * the store, signed in by `X-Test-User` header or `test-user` cookie like the harness's own users).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { UserContext } from '../../src/accounts/user-context';
import { openStore } from '../../src/store';
import { createLaunchHarness, type LaunchHarness } from '../../test/http/launch/harness';

/** A running bench environment. */
export interface LaunchBench {
  readonly h: LaunchHarness;
  /** App origin, e.g. http://127.0.0.1:40123 */
  readonly appUrl: string;
  readonly appPort: number;
  /** Content origin (localhost, another port: another origin, as in the e2e tests). */
  readonly contentUrl: string;
  /** The SQLite file behind the store. */
  readonly dbFile: string;
  /** Creates `n` learners of the harness organization; returns their user ids. */
  addLearners(n: number): Promise<string[]>;
  close(): Promise<void>;
}

interface Bound {
  readonly server: http.Server;
  readonly port: number;
  set(h: RequestHandler): void;
}

/** Listens first, handler later: the harness config needs both URLs before it builds the apps. */
function bindDeferred(): Promise<Bound> {
  let inner: RequestHandler = (_req, res) => { res.status(503).end(); };
  const app: Express = express();
  app.use((req, res, next) => inner(req, res, next));
  const server = http.createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, port, set: (h) => { inner = h; } });
    });
  });
}

function closeServer(s: http.Server): Promise<void> {
  return new Promise((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  });
}

/** Starts the app and content origin on a SQLite file in a fresh temp folder. */
export async function startLaunchBench(): Promise<LaunchBench> {
  const dir = fs.mkdtempSync(path.join(process.env['BENCH_DIR'] ?? os.tmpdir(), 'lhq-bench-launch-'));
  const dbFile = path.join(dir, 'bench.sqlite');
  const store = await openStore({ kind: 'sqlite', path: dbFile });
  const a = await bindDeferred();
  const c = await bindDeferred();
  const appUrl = `http://127.0.0.1:${a.port}`;
  const contentUrl = `http://localhost:${c.port}`;
  const h = await createLaunchHarness({ store, config: { publicUrl: appUrl, contentUrl } });

  // Extra learners are signed in here; the harness's own middleware leaves res.locals.user alone
  // when it does not know the id, so these survive into its routers.
  const extra = new Map<string, UserContext>();
  const outer = express();
  outer.disable('x-powered-by');
  // The real app's /health (src/app.ts), for a baseline on the same server and store.
  outer.get('/health', (_req, res, next) => {
    store.ping().then(() => res.json({ status: 'ok', store: store.engine }), next);
  });
  outer.use((req, res, next) => {
    const id = req.get('x-test-user') ?? /(?:^|;\s*)test-user=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const u = id ? extra.get(id) : undefined;
    if (u) res.locals['user'] = u;
    next();
  });
  outer.use(h.app);
  a.set(outer);
  c.set(h.content);

  let made = 0;
  return {
    h, appUrl, appPort: a.port, contentUrl, dbFile,
    async addLearners(n) {
      const at = new Date().toISOString();
      const ids: string[] = [];
      for (let i = 0; i < n; i += 1) {
        const id = `bench-learner-${made++}-${h.orgId}`;
        const email = `${id}@example.com`;
        await store.accounts.insertUser({ id, email, name: `Bench Learner ${made}`, isSiteAdmin: false, shareEmail: false, createdAt: at, failedSignIns: 0 });
        await store.accounts.insertMembership({ userId: id, orgId: h.orgId, role: 'learner', createdAt: at });
        extra.set(id, {
          userId: id, email, name: `Bench Learner ${made}`, isSiteAdmin: false,
          roles: new Map([[h.orgId, new Set(['learner'] as const)]]), sessionId: `s-${id}`, csrfToken: `csrf-${id}`,
        });
        ids.push(id);
      }
      return ids;
    },
    async close() {
      await closeServer(a.server);
      await closeServer(c.server);
      await h.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Headers that sign in a learner made by addLearners (CSRF token as the stand-in expects). */
export function learnerHeaders(userId: string): Record<string, string> {
  return { 'X-Test-User': userId, 'X-CSRF-Token': `csrf-${userId}` };
}
