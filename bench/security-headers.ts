/**
 * bench/security-headers: what the browser policy headers (src/http/security-headers.ts, set on
 * every answer of the app origin, the statements fast lane included) cost per request. Builds a
 * Node ServerResponse per iteration, as the HTTP server does, and times it with and without the
 * header setter; prints microseconds per request for both and their difference. Compare the
 * difference with bench/ingest's time per POST.
 *
 * Run from source: node -r ./scripts/register-ts.js bench/security-headers.ts
 * Env: BENCH_ITERATIONS (default 200000), BENCH_ROUNDS (default 5).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { testConfig } from '../src/config';
import { securityHeaders } from '../src/http/security-headers';

const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 200_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);

const headers = securityHeaders(testConfig({ publicUrl: 'http://localhost:8080', contentUrl: 'http://127.0.0.1:8081' }));
const socket = new Socket();

function run(withHeaders: boolean): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    const req = new IncomingMessage(socket);
    req.method = 'POST';
    req.url = '/xapi/statements';
    const res = new ServerResponse(req);
    if (withHeaders) headers(req, res);
  }
  return Number(process.hrtime.bigint() - started) / 1000 / ITERATIONS;
}

const base: number[] = [];
const withPolicy: number[] = [];
run(true);
run(false);
for (let r = 0; r < ROUNDS; r++) {
  base.push(run(false));
  withPolicy.push(run(true));
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const f = (x: number): string => x.toFixed(2);
console.log(`security headers, ${ITERATIONS} requests x ${ROUNDS} rounds (median; range)`);
console.log(`  baseline (request + response objects): ${f(median(base))} us/request (${f(Math.min(...base))}-${f(Math.max(...base))})`);
console.log(`  with the policy headers:                ${f(median(withPolicy))} us/request (${f(Math.min(...withPolicy))}-${f(Math.max(...withPolicy))})`);
console.log(`  cost of the headers:                    ${f(median(withPolicy) - median(base))} us/request`);
