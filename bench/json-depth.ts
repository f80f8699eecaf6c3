/**
 * bench/json-depth: what the nesting bound (src/http/json-depth.ts) adds to reading a statements
 * body on the write path: JSON.parse alone beside JSON.parse plus the depth walk, on the bodies
 * bench/ingest sends (batches of 1, 10 and 100 statements of ~700 bytes). CPU only, in process.
 * Run: node -r ./scripts/register-ts.js bench/json-depth.ts
 */
import { exceedsJsonDepth } from '../src/http/json-depth';
import { makeStatement, rng } from './lib/statements';
import { fmt, percentile } from './lib/stats';

function timeUs(fn: () => void, rounds: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  return out;
}

for (const batch of [1, 10, 100]) {
  const r = rng(batch);
  const body = Buffer.from(JSON.stringify(Array.from({ length: batch }, () => makeStatement(r))));
  const rounds = Math.ceil(20_000 / batch);
  // Interleaved, several times, so a busy neighbour slows both alike.
  const parse: number[] = [];
  const both: number[] = [];
  for (let k = 0; k < 5; k++) {
    parse.push(...timeUs(() => JSON.parse(body.toString('utf8')), rounds));
    both.push(...timeUs(() => exceedsJsonDepth(JSON.parse(body.toString('utf8'))), rounds));
  }
  const p = percentile(parse, 50);
  const b = percentile(both, 50);
  console.log(`batch ${String(batch).padStart(3)} (${body.length} bytes): parse p50 ${fmt(p, 1)} us, parse + depth p50 ${fmt(b, 1)} us, depth adds ${fmt(b - p, 1)} us (${fmt(((b - p) / p) * 100, 1)}% of parsing)`);
}
