/**
 * The service as a process: configuration errors, the first-start credential, graceful SIGTERM,
 * and durability of acknowledged statements when the process is killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store';

const ROOT = path.resolve(__dirname, '..', '..');
const KEY = 'proc-key';
const SECRET = 'proc-secret-1';
const AUTH = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const a = s.address() as net.AddressInfo;
      s.close(() => resolve(a.port));
    });
  });
}

interface Proc {
  child: ChildProcess;
  port: number;
  out: () => string;
  exited: Promise<number | null>;
}

async function start(env: Record<string, string>, waitReady = true): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'scripts/register-ts.js'), path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', LEARNHQ_DEMO: 'false', LEARNHQ_CONTENT_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  if (waitReady) {
    const until = Date.now() + 20000;
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        http.get({ host: '127.0.0.1', port, path: '/health' }, (res) => { res.resume(); resolve(res.statusCode === 200); }).on('error', () => resolve(false));
      });
      if (ok) break;
      if (child.exitCode !== null || Date.now() > until) throw new Error(`server did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { child, port, out: () => out, exited };
}

function request(port: number, method: string, p: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const r = http.request(
      { host: '127.0.0.1', port, method, path: p, headers: { Authorization: AUTH, 'X-Experience-API-Version': '2.0.0', ...(data ? { 'Content-Type': 'application/json' } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    r.on('error', reject);
    r.end(data);
  });
}

const statement = (i: number): Record<string, unknown> => ({
  actor: { mbox: `mailto:p${i}@example.org` },
  verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
  object: { id: `http://example.org/act/${i}` },
});

describe('LearnHQ process', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-proc-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses bad configuration with a message naming the variable', async () => {
    const p = await start({ LEARNHQ_DATA_DIR: dir, PORT: 'not-a-port' }, false);
    const code = await p.exited;
    expect(code).toBe(2);
    expect(p.out()).toContain('PORT');
  });

  it('prints a generated credential once, on the first start only', async () => {
    const p1 = await start({ LEARNHQ_DATA_DIR: dir });
    p1.child.kill('SIGTERM');
    expect(await p1.exited).toBe(0);
    const m = /key:\s+(\S+)\n\s+secret:\s+(\S+)/.exec(p1.out());
    expect(m).not.toBeNull();
    // Issue 11: without LEARNHQ_SMTP_URL the start-up log says where mail goes.
    expect(p1.out()).toMatch(/no SMTP server is configured \(LEARNHQ_SMTP_URL\).*only the site administrator can read at http:\/\/localhost:\d+\/admin\/outbox/);
    const p2 = await start({ LEARNHQ_DATA_DIR: dir });
    const auth = `Basic ${Buffer.from(`${m![1]}:${m![2]}`).toString('base64')}`;
    const status = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: p2.port, path: '/xapi/statements', headers: { Authorization: auth, 'X-Experience-API-Version': '2.0.0' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    });
    p2.child.kill('SIGTERM');
    expect(await p2.exited).toBe(0);
    expect(status).toBe(200);
    expect(p2.out()).not.toContain('secret:');
  });

  it('keeps every acknowledged statement when killed with SIGKILL right after the response', async () => {
    const db = path.join(dir, 'lrs.sqlite');
    const p = await start({ LEARNHQ_DB: db, LEARNHQ_LRS_KEY: KEY, LEARNHQ_LRS_SECRET: SECRET });
    const acked: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await request(p.port, 'POST', '/xapi/statements', statement(i));
      expect(res.status).toBe(200);
      acked.push(...(JSON.parse(res.body) as string[]));
    }
    p.child.kill('SIGKILL');
    await p.exited;
    const store = await openStore({ kind: 'sqlite', path: db });
    const found = await store.statements.findStatementsByIds(acked);
    await store.close();
    expect(found.map((s) => s.id).sort()).toEqual([...acked].sort());
  });

  it('on SIGTERM finishes the requests in flight, closes the store and exits 0', async () => {
    const p = await start({ LEARNHQ_DATA_DIR: dir, LEARNHQ_LRS_KEY: KEY, LEARNHQ_LRS_SECRET: SECRET });
    const batch = Array.from({ length: 2000 }, (_, i) => statement(i));
    const inFlight = request(p.port, 'POST', '/xapi/statements', batch);
    // The batch takes the server a while to validate and store: the SIGTERM lands while it works.
    await new Promise((r) => setTimeout(r, 150));
    p.child.kill('SIGTERM');
    const res = await inFlight;
    expect(await p.exited).toBe(0);
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as string[]).length).toBe(2000);
  });
});
