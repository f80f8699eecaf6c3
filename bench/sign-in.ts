import http from 'node:http';
/**
 * bench/sign-in: in-process server on an in-memory SQLite store. Prints p50/p95 of
 * POST /api/session (email + password sign-in: one scrypt verification) at concurrency 4, of
 * GET /api/me with a session cookie (JWT check + cached session lookup), and of GET /health
 * as the baseline (the HTTP stack alone). The LRS (/xapi) does not pass through the session
 * middleware, so its throughput is not changed by sessions.
 *
 * Run from source: node -r ./scripts/register-ts.js bench/sign-in.ts
 * Env: BENCH_REQUESTS (per case, default 400).
 */
import type { AddressInfo } from 'node:net';
import { hashSecret } from '../src/accounts/secret-hash';
import { createApp } from '../src/app';
import { testConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openStore } from '../src/store';
import { fmt, percentile } from './lib/stats';

const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 400);
const CONCURRENCY = 4;
const PASSWORD = 'bench password 1';

async function timed(count: number, run: (i: number) => Promise<void>): Promise<{ p50: number; p95: number; perSecond: number }> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await run(i);
        times.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { p50: percentile(times, 50), p95: percentile(times, 95), perSecond: count / seconds };
}

async function main(): Promise<void> {
  const store = await openStore({ kind: 'sqlite', path: ':memory:' });
  const config = testConfig({ sessionSecret: 'b'.repeat(40), demo: false });
  const { listener: app } = createApp({ config, store, logger: createLogger('silent') });
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const hash = await hashSecret(PASSWORD);
  const emails: string[] = [];
  for (let i = 0; i < 50; i++) {
    const email = `bench${i}@example.org`;
    emails.push(email);
    await store.accounts.insertUser({ id: `u${i}`, email, name: `Bench ${i}`, passwordHash: hash, isSiteAdmin: false, shareEmail: false, createdAt: new Date().toISOString(), failedSignIns: 0 });
  }
  let cookie = '';
  const signIn = await timed(REQUESTS, async (i) => {
    const res = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: emails[i % emails.length], password: PASSWORD }),
    });
    if (res.status !== 201) throw new Error(`sign-in answered ${res.status}`);
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    await res.arrayBuffer();
  });
  const me = await timed(REQUESTS * 5, async () => {
    const res = await fetch(`${base}/api/me`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`/api/me answered ${res.status}`);
    await res.arrayBuffer();
  });
  const health = await timed(REQUESTS * 5, async () => {
    const res = await fetch(`${base}/health`);
    await res.arrayBuffer();
  });
  const row = (name: string, r: { p50: number; p95: number; perSecond: number }): string =>
    `${name.padEnd(28)} p50 ${fmt(r.p50)} ms  p95 ${fmt(r.p95)} ms  ${fmt(r.perSecond, 0)} req/s`;
  process.stdout.write(
    `sign-in bench (in-memory SQLite, concurrency ${CONCURRENCY}, ${REQUESTS} sign-ins)\n` +
      `${row('POST /api/session', signIn)}\n${row('GET /api/me (session)', me)}\n${row('GET /health (baseline)', health)}\n`,
  );
  server.close();
  await store.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
