/**
 * bench/scorm-commit: "p95 of a SCORM commit under 50 concurrent learners".
 *
 * The launch harness (app + content origin) listens on real ephemeral ports over a SQLite file
 * store; a generated SCORM 1.2 package is published; each learner launches once through the API
 * (POST /api/courses/:id/launch, GET /api/play/:sessionId for the launch token), then one loop per
 * learner, all concurrent, POSTs realistic cmi JSON (~3 KB: suspend_data, location, interactions,
 * score, status, session_time) with increasing seq to /api/runtime/sessions/:id/commits until
 * each sent COMMITS commits or MAX_SECONDS passed. Baselines on the same server and connections:
 * GET /health (the store ping) and the launcher's seed GET /api/runtime/sessions/:id.
 *
 * BENCH_FORMAT=scorm2004 runs the same loop on a two-SCO SCORM 2004 course whose sequencing
 * (a global objective) makes the server roll the course status up with scorm-again's engine: the
 * SCO's cmi (2004 shape) changes location, suspend data and interactions at every commit, and its
 * status and score every tenth commit, as a SCO that reports a result now and then.
 *
 * Run: node -r ./scripts/register-ts.js bench/scorm-commit.ts  (npm run bench:scorm-commit)
 * Env: BENCH_LEARNERS (50), BENCH_COMMITS (100 per learner), BENCH_SECONDS (60), BENCH_FORMAT
 * (scorm12 | scorm2004), BENCH_DIR.
 */
import http from 'node:http';
import { scorm12Package, scorm2004TwoScoPackage } from '../test/fixtures/scorm-packages';
import { tokenOf } from '../test/http/launch/harness';
import { learnerHeaders, startLaunchBench } from './lib/launch-bench';
import { runLoad } from './lib/http-load';
import { fmt, percentile } from './lib/stats';

const LEARNERS = Number(process.env['BENCH_LEARNERS'] ?? 50);
const COMMITS = Number(process.env['BENCH_COMMITS'] ?? 100);
const MAX_SECONDS = Number(process.env['BENCH_SECONDS'] ?? 60);
const FORMAT = process.env['BENCH_FORMAT'] === 'scorm2004' ? 'scorm2004' : 'scorm12';
const SCO_ID = FORMAT === 'scorm2004' ? 'sco1' : 'item1';

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: LEARNERS + 4 });

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    const h = payload ? { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : headers;
    const r = http.request({ host: '127.0.0.1', port, method, path, headers: h, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    r.on('error', reject);
    r.end(payload);
  });
}

/** SCORM 1.2 cmi as scorm-again's renderCommitCMI(true) shapes it, growing as the learner works. */
function cmiAt(learner: number, n: number): Record<string, unknown> {
  const page = 1 + (n % 40);
  const interactions: Record<string, unknown> = {};
  for (let i = 0; i < 6; i += 1) {
    interactions[String(i)] = {
      id: `q${i + 1}-learner${learner}`, time: '10:0' + (i % 10) + ':00', type: 'choice', weighting: '1',
      student_response: ['a', 'b', 'c', 'd'][(n + i) % 4], result: (n + i) % 3 === 0 ? 'wrong' : 'correct', latency: '0000:00:1' + (i % 10) + '.00',
      objectives: { '0': { id: `obj-${i}` } }, correct_responses: { '0': { pattern: 'b' } },
    };
  }
  const answers = Array.from({ length: 40 }, (_, i) => ({ p: i + 1, seen: i < page, a: (i * 7 + n) % 4 }));
  const minutes = Math.floor(n / 2) % 60;
  return {
    cmi: {
      core: {
        student_id: `bench-learner-${learner}`, student_name: `Learner, Bench ${learner}`, lesson_location: `page-${page}`,
        credit: 'credit', lesson_status: n % 10 === 9 ? 'passed' : 'incomplete', entry: n === 0 ? 'ab-initio' : 'resume',
        score: { raw: String(50 + (n % 50)), min: '0', max: '100' }, total_time: '0000:00:00.00', lesson_mode: 'normal',
        exit: 'suspend', session_time: `00:${String(minutes).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}.00`,
      },
      suspend_data: JSON.stringify({ v: 3, page, answers, bookmarks: [page - 1, page], notes: 'x'.repeat(200) }),
      launch_data: '', comments: '',
      objectives: { '0': { id: 'obj-0', score: { raw: '80', min: '0', max: '100' }, status: 'passed' } },
      student_data: { mastery_score: '80', max_time_allowed: '', time_limit_action: '' },
      student_preference: { audio: '0', language: 'en', speed: '0', text: '0' },
      interactions,
    },
  };
}

/** SCORM 2004 cmi of the same learner and step: status and score move every tenth commit. */
function cmi2004At(learner: number, n: number): Record<string, unknown> {
  const page = 1 + (n % 40);
  const step = Math.floor(n / 10);
  const interactions: Record<string, unknown> = {};
  for (let i = 0; i < 6; i += 1) {
    interactions[String(i)] = {
      id: `q${i + 1}-learner${learner}`, type: 'choice', weighting: '1', timestamp: '2026-01-01T10:00:0' + (i % 10),
      learner_response: ['a', 'b', 'c', 'd'][(n + i) % 4], result: (n + i) % 3 === 0 ? 'incorrect' : 'correct', latency: 'PT1' + (i % 10) + 'S',
      objectives: { '0': { id: `obj-${i}` } }, correct_responses: { '0': { pattern: 'b' } },
    };
  }
  const answers = Array.from({ length: 40 }, (_, i) => ({ p: i + 1, seen: i < page, a: (i * 7 + n) % 4 }));
  return {
    cmi: {
      learner_id: `bench-learner-${learner}`, learner_name: `Learner, Bench ${learner}`, location: `page-${page}`, credit: 'credit',
      completion_status: step >= 5 ? 'completed' : 'incomplete', success_status: step >= 5 ? (step % 2 === 0 ? 'passed' : 'failed') : 'unknown',
      score: { scaled: String(Math.min(1, 0.1 * step)), raw: String(10 * step), min: '0', max: '100' },
      entry: n === 0 ? 'ab-initio' : 'resume', exit: 'suspend', mode: 'normal', total_time: 'PT0S',
      session_time: `PT${Math.floor(n / 2) % 60}M${n % 60}S`, progress_measure: String(Math.min(1, step / 10)),
      suspend_data: JSON.stringify({ v: 3, page, answers, bookmarks: [page - 1, page], notes: 'x'.repeat(200) }),
      launch_data: '', objectives: { '0': { id: 'obj-0', success_status: step >= 5 ? 'passed' : 'unknown', completion_status: 'incomplete', score: { scaled: '0.8' } } },
      learner_preference: { audio_level: '1', language: 'en', delivery_speed: '1', audio_captioning: '0' },
      interactions,
    },
  };
}

const commitCmi = FORMAT === 'scorm2004' ? cmi2004At : cmiAt;

function line(name: string, count: number, errors: number, seconds: number, lat: readonly number[]): string {
  return `${name.padEnd(34)} count ${String(count).padStart(5)}  errors ${String(errors).padStart(3)}  ${fmt(lat.length / seconds).padStart(7)} req/s  `
    + `p50 ${fmt(percentile(lat, 50), 2)} ms  p95 ${fmt(percentile(lat, 95), 2)} ms  p99 ${fmt(percentile(lat, 99), 2)} ms  max ${fmt(Math.max(...lat), 2)} ms`;
}

async function main(): Promise<void> {
  const bench = await startLaunchBench();
  try {
    const port = bench.appPort;
    const courseId = await bench.h.publish(FORMAT === 'scorm2004' ? scorm2004TwoScoPackage('Commit bench') : scorm12Package('Commit bench'));
    const learners = await bench.addLearners(LEARNERS);

    const sessions: { sessionId: string; auth: string }[] = [];
    for (const id of learners) {
      const launch = await send(port, 'POST', `/api/courses/${courseId}/launch`, learnerHeaders(id), JSON.stringify({ mode: 'normal' }));
      if (launch.status !== 201) throw new Error(`launch for ${id}: ${launch.status} ${launch.body}`);
      const { sessionId } = JSON.parse(launch.body) as { sessionId: string };
      const play = await send(port, 'GET', `/api/play/${sessionId}`, learnerHeaders(id));
      if (play.status !== 200) throw new Error(`play for ${id}: ${play.status} ${play.body}`);
      sessions.push({ sessionId, auth: tokenOf((JSON.parse(play.body) as { frameUrl: string }).frameUrl) });
    }
    const sample = JSON.stringify({ scoId: SCO_ID, seq: 1, cmi: commitCmi(0, 50), event: 'commit' });
    console.log(`scorm-commit: ${FORMAT}, ${LEARNERS} learners, ${COMMITS} commits each (max ${MAX_SECONDS} s), SQLite file ${bench.dbFile}`);
    console.log(`commit body ≈ ${(Buffer.byteLength(sample) / 1024).toFixed(1)} KB (${FORMAT === 'scorm2004' ? 'SCORM 2004 cmi of a two-SCO sequenced course, status and score moving every 10th commit' : 'SCORM 1.2 cmi'}, 6 interactions, suspend_data ${(commitCmi(0, 50)['cmi'] as { suspend_data: string }).suspend_data.length} chars)`);

    // Baseline 1: /health on the same server (Express + one store ping), same concurrency.
    const health = await runLoad({ port, concurrency: LEARNERS, count: LEARNERS * COMMITS, maxSeconds: MAX_SECONDS,
      next: () => ({ method: 'GET', path: '/health', headers: {} }) });

    // Baseline 2: the seed GET (same launch-token check, reads the session and runtime, no write).
    const seed = await runLoad({ port, concurrency: LEARNERS, count: LEARNERS * 20, maxSeconds: MAX_SECONDS,
      next: (i) => {
        const s = sessions[i % sessions.length]!;
        return { method: 'GET', path: `/api/runtime/sessions/${s.sessionId}`, headers: { Authorization: s.auth } };
      } });

    // The measure: one sequential loop per learner, all loops concurrent.
    const latencies: number[] = [];
    let errors = 0;
    let notApplied = 0;
    let firstError: string | undefined;
    const deadline = Date.now() + MAX_SECONDS * 1000;
    const t0 = process.hrtime.bigint();
    await Promise.all(sessions.map(async (s, li) => {
      let seq = Date.now();
      for (let n = 0; n < COMMITS && Date.now() < deadline; n += 1) {
        seq += 1;
        const body = JSON.stringify({ scoId: SCO_ID, seq, cmi: commitCmi(li, n), event: n === 0 ? 'initialize' : 'commit' });
        try {
          const r = await send(port, 'POST', `/api/runtime/sessions/${s.sessionId}/commits`, { Authorization: s.auth }, body);
          if (r.status === 200) {
            latencies.push(r.ms);
            if (!(JSON.parse(r.body) as { applied: boolean }).applied) notApplied += 1;
          } else {
            errors += 1;
            firstError ??= `${r.status} ${r.body.slice(0, 300)}`;
          }
        } catch (e) {
          errors += 1;
          firstError ??= (e as Error).message;
        }
      }
    }));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

    console.log('');
    console.log(line('SCORM commit (POST .../commits)', latencies.length + errors, errors, seconds, latencies) + `  in ${fmt(seconds, 1)} s`);
    console.log(line('baseline: GET /health', health.requests, health.errors, health.seconds, health.latencies) + `  in ${fmt(health.seconds, 1)} s`);
    console.log(line('baseline: GET seed (runtime)', seed.requests, seed.errors, seed.seconds, seed.latencies) + `  in ${fmt(seed.seconds, 1)} s`);
    if (notApplied > 0) console.log(`commits answered applied:false: ${notApplied}`);
    for (const [name, e] of [['commit', firstError], ['health', health.firstError], ['seed', seed.firstError]] as const) {
      if (e) console.log(`first ${name} error: ${e}`);
    }
    console.log(`statements in the LRS after the run: ${await bench.h.store.statements.countStatements()}`);
  } finally {
    agent.destroy();
    await bench.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
