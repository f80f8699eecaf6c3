/**
 * bench/competency: the figures of issue 14.
 *  1. Ingest with 1,000 alignments active beside ingest without them, batch 10, same run,
 *     interleaved rounds: batches are stored through the LRS write path (storeStatements) of
 *     services composed with a running pipeline whose only subscriber is the evidence
 *     subscriber, woken by the writes as in production. Each round ends once its subscriber
 *     caught up (so no round pays for another's backlog). Target: with ≥ 0.95× without
 *     (statements per second). Also printed: the median of the paired rounds' ratios, the rate
 *     until the projection caught up, and the process CPU per statement (every thread), which a
 *     shared machine disturbs far less than wall-clock rates. Two statement mixes (ADR 0040):
 *     - content (the target's figure): the statements of bench/ingest and bench/pipeline
 *       (lib/statements.ts: 10 verbs, 2,000 activities), sent by 5,000 LearnHQ learners, each
 *       with a result that fits its verb (contentStatement); 1,000 of the 2,000 activities are
 *       aligned, half with the rule "passed", half with "scaled score ≥ 0.8", so about 1
 *       statement in 17 makes evidence;
 *     - stress: 1 statement in 2 is a pass of an aligned activity by one of 200 learners (every
 *       other statement makes evidence).
 *     BENCH_MIX=content or BENCH_MIX=stress runs one of them; BENCH_ALIGNED_EVERY=N makes the
 *     stress mix 1 in N.
 *  2. A learner profile with 10,000 pieces of evidence: profileOf + the page render. Target < 100 ms.
 *  3. A CASE package of 5,000 items imported. Target < 5 s.
 *  4. (BENCH_PARTS=backfill, SQLite only) Statement batches of 10 written one after another while
 *     20,000 pieces of evidence (an alignment's backfill or a rebuild, in requests of 2,000) go to
 *     the same writer thread: how many batches got through and their latency, beside the same
 *     batches with no evidence being written (ADR 0039).
 * SQLite (a file in a temporary folder); MongoDB too when MONGODB_URI is set.
 * Run: node -r ./scripts/register-ts.js bench/competency.ts
 * BENCH_PARTS=ingest,profile,import,backfill picks parts (default the first three); BENCH_ROUNDS (8)
 * and BENCH_ROUND_BATCHES (300 batches of 10 per round) size part 1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { testConfig } from '../src/config';
import { composeServices } from '../src/compose';
import { competencyEvidenceSubscriber } from '../src/competency/evidence-subscriber';
import { importPackage } from '../src/competency/frameworks';
import { profileOf } from '../src/competency/profile';
import type { AppServices } from '../src/deps';
import { createLogger } from '../src/logger';
import { openStore } from '../src/store';
import type { Evidence, Store } from '../src/store/ports';
import { profileView } from '../src/web/competency/views';
import { CredentialVerifier } from '../src/xapi/auth/credential-verifier';
import { storeStatements } from '../src/xapi/statements/write-service';
import { casePackage } from '../test/fixtures/case-package';
import { fmt, percentile } from './lib/stats';
import { activityId, makeStatement, rng } from './lib/statements';

const PUBLIC_URL = 'http://bench.learnhq.test';

function services(store: Store): AppServices {
  return { config: testConfig({ publicUrl: PUBLIC_URL }), store, logger: createLogger('silent'), now: () => new Date(), credentials: new CredentialVerifier(store.credentials) };
}

const auth = { credentialKey: 'bench', name: 'bench', scopes: new Set(['all']), authority: { objectType: 'Agent', mbox: 'mailto:bench@example.org' }, orgId: 'org-bench' } as const;

/** Stress mix: statement i, a pass of an aligned activity (or of one never aligned) by one of 200 learners. */
function statement(i: number, aligned: boolean): Record<string, unknown> {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: PUBLIC_URL, name: `learner-${i % 200}` } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
    object: { objectType: 'Activity', id: aligned ? `https://tool.example.org/aligned/${i % 1000}` : `https://tool.example.org/other/${i}` },
    result: { success: true, score: { scaled: 0.9 } },
    timestamp: new Date(Date.UTC(2030, 0, 1) + i * 1000).toISOString(),
  };
}

/**
 * Content mix: the ingest benches' statement, sent by a LearnHQ learner (an account on this site, as
 * the player sends it), with a result that fits its verb as content sends it: success and a score
 * on passed, failed and answered; completion on completed and passed; none on the others
 * (experienced, attempted, initialized, terminated, satisfied, progressed).
 */
function contentStatement(r: () => number): Record<string, unknown> {
  const st = makeStatement(r, undefined, true);
  const mbox = String((st['actor'] as { mbox: string }).mbox);
  st['actor'] = { objectType: 'Agent', account: { homePage: PUBLIC_URL, name: mbox.slice('mailto:'.length, mbox.indexOf('@')) } };
  const verb = String((st['verb'] as { id: string }).id).split('/').pop();
  const result = st['result'] as { score: unknown; success: boolean; duration: string };
  if (verb === 'passed' || verb === 'failed') st['result'] = { score: result.score, success: verb === 'passed', completion: true, duration: result.duration };
  else if (verb === 'answered') st['result'] = { score: result.score, success: result.success };
  else if (verb === 'completed') st['result'] = { completion: true, duration: result.duration };
  else delete st['result'];
  return st;
}

/** A statement mix of part 1: the activities it aligns, and its statements. */
interface Mix {
  /** BENCH_MIX's value for it, and the name of its stores. */
  readonly key: 'content' | 'stress';
  readonly name: string;
  /** The i-th of the 1,000 aligned activities. */
  readonly aligned: (i: number) => string;
  /** The statements of batch `batch` (10). */
  readonly batch: (batch: number) => Record<string, unknown>[];
}

const CONTENT_MIX: Mix = {
  key: 'content',
  name: 'content mix (the ingest benches\' statements; 1,000 of their 2,000 activities aligned)',
  aligned: (i) => activityId(i),
  // Seeded per batch: both stores of a round get the same statements (new ids).
  batch: (b) => {
    const r = rng(1_000_003 + b);
    return Array.from({ length: 10 }, () => contentStatement(r));
  },
};

function stressMix(every: number): Mix {
  return {
    key: 'stress',
    name: `stress mix (1 statement in ${every} a pass of an aligned activity)`,
    aligned: (i) => `https://tool.example.org/aligned/${i}`,
    batch: (b) => Array.from({ length: 10 }, (_, k) => statement(b * 10 + k, (b * 10 + k) % every === 0)),
  };
}

/** Resolves once the subscriber's cursor has reached the store's visibility horizon. */
async function caughtUp(s: AppServices): Promise<void> {
  for (;;) {
    const [horizon, cursor] = await Promise.all([s.store.statements.findVisibleSeq(), s.store.pipeline.findCursor(SUBSCRIBER)]);
    if ((cursor?.seq ?? 0) >= horizon) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** One round's figures: statements per second written, and until projected; CPU of the process (every thread) per statement, µs. */
interface Round {
  readonly ingest: number;
  readonly projected: number;
  readonly cpuUs: number;
}

/**
 * `batches` batches of 10 through the write path, with the pipeline's subscriber woken by the
 * writes as in production. Returns statements per second of the writes alone, and of the writes
 * plus the time the subscriber then needed to catch up (the projection's whole cost).
 */
async function ingest(s: AppServices, mix: Mix, batches: number, offset: number): Promise<Round> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    const list = mix.batch(offset + b);
    await storeStatements(s, { body: { json: list as never, parts: new Map(), multipart: false }, version: '1.0.3', auth });
  }
  const written = Number(process.hrtime.bigint() - start) / 1e9;
  await caughtUp(s);
  const done = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { ingest: (batches * 10) / written, projected: (batches * 10) / done, cpuUs: (used.user + used.system) / (batches * 10) };
}

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 8);
/** Batches of 10 per round. */
const ROUND_BATCHES = Number(process.env['BENCH_ROUND_BATCHES'] ?? 300);
const SUBSCRIBER = 'competency-evidence';
/** Stress mix: every how many statements one is about an aligned activity and makes evidence (default 2: half of them). */
const ALIGNED_EVERY = Math.max(1, Number(process.env['BENCH_ALIGNED_EVERY'] ?? 2));
const MIXES = [CONTENT_MIX, stressMix(ALIGNED_EVERY)].filter((m) => {
  const pick = process.env['BENCH_MIX'];
  return pick === undefined || m.key === pick;
});
const PARTS = new Set((process.env['BENCH_PARTS'] ?? 'ingest,profile,import').split(','));

/** The organization and a framework of 100 competencies in a fresh store: the framework and its competencies' identifiers. */
async function setUp(s: AppServices, framework: boolean): Promise<{ frameworkId: string; items: string[] }> {
  await s.store.accounts.insertOrganization({ id: 'org-bench', slug: `bench-${randomBytes(3).toString('hex')}`, name: 'Bench', kind: 'member', createdAt: new Date().toISOString() });
  if (!framework) return { frameworkId: '', items: [] };
  const ids = new Map<string, string>();
  const imported = await importPackage(s, 'org-bench', casePackage({ ids, categories: 10, perCategory: 10 }));
  return { frameworkId: imported.framework.id, items: [...ids.entries()].filter(([k]) => /^C\d+\.\d+$/.test(k)).map(([, v]) => v) };
}

/** Part 1 for one statement mix: two fresh stores of the engine, one with 1,000 alignments, one without. */
async function ingestPart(name: string, mix: Mix, open: (n: string) => Promise<Store>): Promise<void> {
  const withStore = await open(`with_${mix.key}`);
  const withoutStore = await open(`without_${mix.key}`);
  const sWith = services(withStore);
  const sWithout = services(withoutStore);
  const { frameworkId, items } = await setUp(sWith, true);
  await setUp(sWithout, false);
  for (let i = 0; i < 1000; i++) {
    const act = mix.aligned(i);
    await withStore.competency.insertAlignment({
      id: randomUUID(), orgId: 'org-bench', frameworkId, itemIdentifier: items[i % items.length] as string, target: { kind: 'activity' },
      activityId: act, activityIds: [act], level: 1 + (i % 3), rule: i % 2 === 0 ? { kind: 'passed' } : { kind: 'scaled', min: 0.8 }, createdBy: 'bench', createdAt: new Date().toISOString(),
    });
  }
  // Both stores have the evidence subscriber on a running pipeline (as in production: woken by
  // each write, lazily, not read-your-writes); only one has alignments. Rounds alternate, and
  // each round ends once its subscriber has caught up, so no round pays for another's backlog.
  const composed = [sWith, sWithout].map((s) => composeServices(s, { subscribers: [(x) => competencyEvidenceSubscriber(x, { cacheMs: 60_000 })], forwarding: false }));
  const [cWith, cWithout] = composed.map((c) => c.services) as [AppServices, AppServices];
  await ingest(cWith, mix, 20, 0); // warm-up
  await ingest(cWithout, mix, 20, 0);
  const rWith: Round[] = [];
  const rWithout: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rWithout.push(await ingest(cWithout, mix, ROUND_BATCHES, 100 + round * ROUND_BATCHES));
    rWith.push(await ingest(cWith, mix, ROUND_BATCHES, 100 + round * ROUND_BATCHES));
  }
  for (const c of composed) await c.pipeline.stop();
  const med = (list: Round[], k: keyof Round): number => percentile(list.map((r) => r[k]), 50);
  const w = med(rWith, 'ingest');
  const wo = med(rWithout, 'ingest');
  const sent = ROUNDS * ROUND_BATCHES * 10 + 200;
  const evidence = (await withStore.competency.findEvidence({})).length;
  const total = await withStore.statements.countStatements();
  console.log(`${name}: ${mix.name}: ingest batch 10, median of ${ROUNDS} rounds of ${ROUND_BATCHES * 10} statements, evidence subscriber on the pipeline: without alignments ${fmt(wo, 0)} st/s, with 1,000 alignments ${fmt(w, 0)} st/s (${fmt(w / wo, 3)}x; target >= 0.95x)`);
  console.log(`${name}:   rounds without ${rWithout.map((r) => fmt(r.ingest, 0)).join(' ')} | with ${rWith.map((r) => fmt(r.ingest, 0)).join(' ')}`);
  console.log(`${name}:   median of the paired rounds' ratios ${fmt(percentile(rWith.map((r, i) => r.ingest / (rWithout[i]?.ingest ?? r.ingest)), 50), 3)}x; process CPU per statement (all threads, until caught up): without ${fmt(med(rWithout, 'cpuUs'), 0)} µs, with ${fmt(med(rWith, 'cpuUs'), 0)} µs`);
  console.log(`${name}:   until the subscriber caught up: without ${fmt(med(rWithout, 'projected'), 0)} st/s, with ${fmt(med(rWith, 'projected'), 0)} st/s (${fmt(med(rWith, 'projected') / med(rWithout, 'projected'), 3)}x)`);
  console.log(`${name}:   with alignments: ${evidence} pieces of evidence from ${sent} statements (1 in ${fmt(sent / Math.max(1, evidence), 1)}), ${total - sent} attainment statements written back`);
  await withoutStore.close();
  await withStore.close();
}

async function run(name: string, open: (n: string) => Promise<Store>): Promise<void> {
  if (PARTS.has('ingest')) for (const mix of MIXES) await ingestPart(name, mix, open);
  if (!['profile', 'import', 'backfill'].some((p) => PARTS.has(p))) return;
  const withStore = await open('parts');
  const sWith = services(withStore);
  const { frameworkId, items } = await setUp(sWith, true);

  // 2. Profile of a learner with 10,000 pieces of evidence (one framework of 100 competencies).
  if (PARTS.has('profile')) {
    const rows: Evidence[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: `bench-${i}|al`, userId: 'profile-learner', orgId: 'org-bench', frameworkId, itemIdentifier: items[i % items.length] as string,
      level: 1 + (i % 3), statementId: randomUUID(), alignmentId: 'al', activityId: 'https://tool.example.org/x', at: new Date(Date.UTC(2029, 0, 1) + i * 60_000).toISOString(),
      ...(i % 4 === 0 ? { expiresAt: new Date(Date.UTC(2030, 5, 1) + i * 60_000).toISOString() } : {}),
    }));
    for (let i = 0; i < rows.length; i += 1000) await withStore.competency.insertEvidence(rows.slice(i, i + 1000));
    const user = { userId: 'profile-learner', email: 'p@example.org', name: 'P', isSiteAdmin: false, roles: new Map([['org-bench', new Set(['learner' as const])]]), sessionId: 's', csrfToken: 'c' };
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 15; i++) {
      const t = process.hrtime.bigint();
      const html = profileView(await profileOf(sWith, user)).toString();
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      bytes = html.length;
    }
    console.log(`${name}: profile with 10,000 evidence rows (100 competencies): p50 ${fmt(percentile(times.slice(3), 50), 1)} ms, p90 ${fmt(percentile(times.slice(3), 90), 1)} ms (page ${fmt(bytes / 1024, 0)} kB; target < 100 ms)`);

  }

  // 3. A CASE package of 5,000 items (50 categories of 99 competencies + the categories).
  if (PARTS.has('import')) {
    const big = casePackage({ categories: 50, perCategory: 99 });
    const t = process.hrtime.bigint();
    const result = await importPackage(sWith, 'org-bench', big);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    console.log(`${name}: CASE import of ${result.items} items and ${result.associations} associations: ${fmt(ms, 0)} ms (target < 5000 ms)`);
  }
  if (PARTS.has('backfill') && name === 'sqlite') await backfill(sWith, frameworkId, items);
  await withStore.close();
}

/** Part 4: statement batches while a large evidence write goes to the same writer thread. */
async function backfill(s: AppServices, frameworkId: string, items: readonly string[]): Promise<void> {
  const store = s.store;
  const PIECES = 20_000;
  const rows: Evidence[] = Array.from({ length: PIECES }, (_, i) => ({
    id: `backfill-${i}|al`, userId: `backfill-person-${i % 400}`, orgId: 'org-bench', frameworkId, itemIdentifier: items[i % items.length] as string,
    level: 1 + (i % 3), statementId: randomUUID(), alignmentId: 'al', activityId: 'https://tool.example.org/x', at: new Date(Date.UTC(2029, 0, 1) + i * 60_000).toISOString(),
  }));
  /** Batches of 10 one after another until `until` settles (or for `ms`): their latencies. */
  const batches = async (until: Promise<unknown> | number): Promise<number[]> => {
    let done = false;
    if (typeof until === 'number') setTimeout(() => (done = true), until);
    else void until.then(() => (done = true));
    const times: number[] = [];
    for (let n = 0; !done; n++) {
      const t = process.hrtime.bigint();
      const list = Array.from({ length: 10 }, (_, k) => statement(n * 10 + k, false));
      await storeStatements(s, { body: { json: list as never, parts: new Map(), multipart: false }, version: '1.0.3', auth });
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return times;
  };
  const t = process.hrtime.bigint();
  const writing = (async () => {
    for (let i = 0; i < rows.length; i += 2000) await store.competency.recordEvidence(rows.slice(i, i + 2000));
  })();
  const during = await batches(writing);
  const backfillMs = Number(process.hrtime.bigint() - t) / 1e6;
  const alone = await batches(backfillMs);
  const line = (list: number[]): string => `${list.length} batches, p50 ${fmt(percentile(list, 50), 1)} ms, p99 ${fmt(percentile(list, 99), 1)} ms`;
  console.log(`sqlite: ${fmt(PIECES, 0)} pieces of evidence over 400 people written in ${fmt(backfillMs, 0)} ms; statement batches of 10 meanwhile: ${line(during)}; for as long without evidence: ${line(alone)}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lhq-bench-competency-'));
  try {
    await run('sqlite', (n) => openStore({ kind: 'sqlite', path: path.join(dir, `${n}.db`) }));
    const uri = process.env['MONGODB_URI'];
    if (uri) {
      const prefix = `bench_comp_${randomBytes(3).toString('hex')}`;
      const made: string[] = [];
      await run('mongo', (n) => {
        made.push(`${prefix}_${n}`);
        return openStore({ kind: 'mongo', url: uri, dbName: `${prefix}_${n}`, leaseMs: 10_000 });
      });
      const { MongoClient } = await import('mongodb');
      const c = new MongoClient(uri);
      await c.connect();
      for (const db of made) await c.db(db).dropDatabase();
      await c.close();
    } else {
      console.log('mongo: skipped (set MONGODB_URI)');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
