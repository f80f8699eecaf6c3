/** A second LearnHQ (a real server process) for the forwarding tests, and a sender app in this process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { hashSecret } from '../../../src/accounts/secret-hash';
import { createApp, type AppHandle } from '../../../src/app';
import { testConfig, type Config } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { openStore } from '../../../src/store';
import type { Store } from '../../../src/store/ports';
import { eventually } from '../../helpers/eventually';

const ROOT = resolve(__dirname, '../../..');

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => done(typeof a === 'object' && a ? a.port : 0));
    });
    s.on('error', fail);
  });
}

/** A LearnHQ server process on `port` with its own SQLite file and an `all` credential. */
export interface TargetServer {
  readonly url: string;
  readonly auth: string;
  readonly key: string;
  readonly secret: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Every statement id the target holds (GET /xapi/statements, all pages). */
  statementIds(): Promise<string[]>;
}

export async function targetServer(dir: string): Promise<TargetServer> {
  const port = await freePort();
  const key = `target-${randomUUID().slice(0, 8)}`;
  const secret = `secret-${randomUUID()}`;
  const url = `http://127.0.0.1:${port}`;
  const auth = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  let child: ChildProcess | undefined;
  const env = {
    ...process.env, PORT: String(port), HOST: '127.0.0.1', LEARNHQ_CONTENT_PORT: '0', LEARNHQ_DB: join(dir, 'target.sqlite'),
    LEARNHQ_DATA_DIR: dir, LEARNHQ_PACKAGES_DIR: join(dir, 'packages'), LEARNHQ_DEMO: 'false', LOG_LEVEL: 'warn',
    LEARNHQ_LRS_KEY: key, LEARNHQ_LRS_SECRET: secret, LEARNHQ_PUBLIC_URL: url, LEARNHQ_SESSION_SECRET: 'x'.repeat(40),
    LEARNHQ_ADMIN_EMAIL: 'admin@target.test', LEARNHQ_ADMIN_PASSWORD: 'correct horse battery staple',
  };
  return {
    url, auth, key, secret,
    async start() {
      child = spawn(process.execPath, ['-r', './scripts/register-ts.js', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
      const end = Date.now() + 60_000;
      for (;;) {
        const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
        if (ok) return;
        if (child.exitCode !== null || Date.now() > end) throw new Error(`the target LearnHQ did not start (exit ${child.exitCode})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((done) => {
        c.once('exit', () => done());
        c.kill('SIGKILL');
      });
    },
    async statementIds() {
      const ids: string[] = [];
      let next: string | undefined = '/xapi/statements?limit=500&ascending=true';
      while (next) {
        const res = await fetch(`${url}${next}`, { headers: { Authorization: auth, 'X-Experience-API-Version': '1.0.3' } });
        if (!res.ok) throw new Error(`GET statements of the target: ${res.status}`);
        const body = (await res.json()) as { statements: { id: string }[]; more?: string };
        ids.push(...body.statements.map((s) => s.id));
        next = body.more ? body.more : undefined;
      }
      return ids;
    },
  };
}

/** The sender: an app in this process on a SQLite file, with an organization and its LRS credential. */
export interface Sender {
  handle: AppHandle;
  store: Store;
  readonly config: Config;
  readonly orgId: string;
  readonly auth: string;
  restart(): Promise<void>;
  close(): Promise<void>;
  post(statements: readonly Record<string, unknown>[]): Promise<void>;
}

export async function sender(dir: string, over: Partial<Config> = {}): Promise<Sender> {
  const config = testConfig({ dataDir: dir, allowPrivateTargets: true, sessionSecret: 's'.repeat(40), publicUrl: 'http://sender.test', ...over });
  const path = join(dir, 'sender.sqlite');
  const open = async (): Promise<{ store: Store; handle: AppHandle }> => {
    const store = await openStore({ kind: 'sqlite', path });
    const handle = createApp({ config, store, logger: createLogger('silent'), compose: { forwarding: { maxAttempts: 1000 }, pipeline: { maxBackoffMs: 1000 } } });
    return { store, handle };
  };
  const first = await open();
  const orgId = `org-${randomUUID().slice(0, 8)}`;
  await first.store.accounts.insertOrganization({ id: orgId, slug: orgId, name: 'Sender', kind: 'both', createdAt: new Date().toISOString() });
  const key = `sender-${randomUUID().slice(0, 8)}`;
  const secret = `secret-${randomUUID()}`;
  await first.store.credentials.insertCredential({
    key, secretHash: await hashSecret(secret), name: 'sender', scopes: ['all'], orgId,
    authority: { objectType: 'Agent', name: 'sender', account: { homePage: config.publicUrl, name: key } }, createdAt: new Date().toISOString(),
  });
  const s: Sender = {
    handle: first.handle, store: first.store, config, orgId,
    auth: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
    async restart() {
      await s.close();
      const again = await open();
      s.handle = again.handle;
      s.store = again.store;
    },
    async close() {
      await s.handle.pipeline.stop();
      await s.store.close();
    },
    async post(statements) {
      const res = await request(s.handle.listener).post('/xapi/statements').set('Authorization', s.auth).set('X-Experience-API-Version', '1.0.3').send(statements);
      if (res.status !== 200) throw new Error(`POST statements to the sender: ${res.status} ${res.text}`);
    },
  };
  return s;
}

/** A statement of `n` (verb and activity chosen so filters can pick some). */
export function stmt(n: number, verb = 'http://adlnet.gov/expapi/verbs/experienced', activity = `http://example.com/fwd/${n}`): Record<string, unknown> {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', mbox: `mailto:learner-${n % 7}@fwd.example.com` },
    verb: { id: verb },
    object: { objectType: 'Activity', id: activity },
    timestamp: new Date().toISOString(),
  };
}

export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 90_000): Promise<void> {
  if (!(await eventually(async () => cond(), (held) => held, ms))) throw new Error(`timed out waiting for ${what}`);
}
