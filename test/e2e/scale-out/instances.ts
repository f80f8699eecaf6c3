/**
 * Real LearnHQ instances for the multi-instance suite: child processes of the TypeScript service
 * (node -r scripts/register-ts.js src/main.ts) on one MongoDB database, sharing the LRS
 * credential, session and cursor secrets, each with its own port and LEARNHQ_PUBLIC_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const KEY = 'scale-key';
const SECRET = 'scale-secret-1';
export const AUTH = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;

export interface Instance {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const a = s.address() as net.AddressInfo;
      s.close(() => resolve(a.port));
    });
  });
}

/** One instance on `mongoUrl`; resolves once /health answers 200. */
export async function startInstance(name: string, mongoUrl: string, leaseMs: number): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `learnhq-${name}-`));
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'scripts/register-ts.js'), path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LEARNHQ_DEMO: 'false',
      LEARNHQ_CONTENT_PORT: '0',
      LEARNHQ_DATA_DIR: dataDir,
      LEARNHQ_DB: mongoUrl,
      LEARNHQ_LRS_KEY: KEY,
      LEARNHQ_LRS_SECRET: SECRET,
      LEARNHQ_SESSION_SECRET: 's'.repeat(40),
      LEARNHQ_CURSOR_SECRET: 'one-cursor-secret-for-all-instances',
      // Each instance believes it is reached under its own name (as behind a load balancer).
      LEARNHQ_PUBLIC_URL: `http://${name}.lrs.test`,
      LEARNHQ_MONGO_LEASE_MS: String(leaseMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const until = Date.now() + 30000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/health' }, (res) => { res.resume(); resolve(res.statusCode === 200); }).on('error', () => resolve(false));
    });
    if (ok) break;
    if (child.exitCode !== null || Date.now() > until) throw new Error(`${name} did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    port,
    child,
    log: () => out,
    stop: async () => {
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(killer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One xAPI request (2.0.0, the shared credential) to an instance. */
export function xapi(inst: Instance, method: string, p: string, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const r = http.request(
      {
        host: '127.0.0.1',
        port: inst.port,
        method,
        path: p,
        agent: false,
        headers: { Authorization: AUTH, 'X-Experience-API-Version': '2.0.0', ...(data ? { 'Content-Type': 'application/json' } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    r.on('error', reject);
    r.end(data);
  });
}
