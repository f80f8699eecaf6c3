/**
 * bench/competency: the figures of issue 14.
 *  1. Ingest with 1,000 alignments active beside ingest without them, batch 10, same run,
 *     interleaved rounds: a batch is stored through the LRS write path (storeStatements) and then
 *     handed to the evidence subscriber, as the pipeline does in process. Half the statements
 *     are about aligned activities and meet the rule (so they make evidence and attainment
 *     statements). Target: with ≥ 0.95× without (statements per second).
 *  2. A learner profile with 10,000 pieces of evidence: profileOf + the page render. Target < 100 ms.
 *  3. A CASE package of 5,000 items imported. Target < 5 s.
 * SQLite (a file in a temporary folder); MongoDB too when MONGODB_URI is set.
 * Run: node -r ./scripts/register-ts.js bench/competency.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { testConfig } from '../src/config';
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

const PUBLIC_URL = 'http://bench.learnhq.test';

function services(store: Store): AppServices {
  return { config: testConfig({ publicUrl: PUBLIC_URL }), store, logger: createLogger('silent'), now: () => new Date(), credentials: new CredentialVerifier(store.credentials) };
}

const auth = { credentialKey: 'bench', name: 'bench', scopes: new Set(['all']), authority: { objectType: 'Agent', mbox: 'mailto:bench@example.org' }, orgId: 'org-bench' } as const;

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
 * Follows the statement log like the pipeline engine: a cursor, batches of up to 200 events,
 * handed to the subscriber, in the background of the ingest. Stops when asked and caught up.
 */
function follow(s: AppServices, sub: ReturnType<typeof competencyEvidenceSubscriber>): { stop(): Promise<number> } {
  let cursor = 0;
  let stopping = false;
  let handled = 0;
  const loop = (async () => {
    for (;;) {
      const page = await s.store.statements.findStatements({ allRefs: [], ascending: true, limit: 200, ...(cursor > 0 ? { afterSeq: cursor } : {}) });
      if (page.statements.length === 0) {
        if (stopping) return;
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      await sub.handle(page.statements.map((st) => ({ kind: 'stored' as const, seq: st.seq, statement: st, orgIds: ['org-bench'] })));
      handled += page.statements.length;
      cursor = page.statements[page.statements.length - 1]?.seq ?? cursor;
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return handled;
    },
  };
}

/** Statements per second of `batches` batches of 10 through the write path (the subscriber follows in the background). */
async function ingest(s: AppServices, batches: number, offset: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    const list = Array.from({ length: 10 }, (_, k) => statement(offset + b * 10 + k, k % 2 === 0));
    await storeStatements(s, { body: { json: list as never, parts: new Map(), multipart: false }, version: '1.0.3', auth });
  }
  const s2 = Number(process.hrtime.bigint() - start) / 1e9;
  return (batches * 10) / s2;
}

async function run(name: string, openA: () => Promise<Store>, openB: () => Promise<Store>): Promise<void> {
  // 1. Ingest: two stores of the same engine, one with 1,000 alignments, one without.
  const withStore = await openA();
  const withoutStore = await openB();
  const sWith = services(withStore);
  const sWithout = services(withoutStore);
  for (const s of [sWith, sWithout]) await s.store.accounts.insertOrganization({ id: 'org-bench', slug: `bench-${randomBytes(3).toString('hex')}`, name: 'Bench', kind: 'member', createdAt: new Date().toISOString() });
  const ids = new Map<string, string>();
  const { framework } = await importPackage(sWith, 'org-bench', casePackage({ ids, categories: 10, perCategory: 10 }));
  const items = [...ids.entries()].filter(([k]) => /^C\d+\.\d+$/.test(k)).map(([, v]) => v);
  for (let i = 0; i < 1000; i++) {
    const act = `https://tool.example.org/aligned/${i}`;
    await withStore.competency.insertAlignment({
      id: randomUUID(), orgId: 'org-bench', frameworkId: framework.id, itemIdentifier: items[i % items.length] as string, target: { kind: 'activity' },
      activityId: act, activityIds: [act], level: 1 + (i % 3), rule: i % 2 === 0 ? { kind: 'passed' } : { kind: 'scaled', min: 0.8 }, createdBy: 'bench', createdAt: new Date().toISOString(),
    });
  }
  // Both stores have the subscriber following their log (as in production); only one has alignments.
  const followWith = follow(sWith, competencyEvidenceSubscriber(sWith, { cacheMs: 60_000 }));
  const followWithout = follow(sWithout, competencyEvidenceSubscriber(sWithout, { cacheMs: 60_000 }));
  await ingest(sWith, 20, 0); // warm-up
  await ingest(sWithout, 20, 0);
  const rWith: number[] = [];
  const rWithout: number[] = [];
  for (let round = 0; round < 6; round++) {
    rWithout.push(await ingest(sWithout, 50, 1000 + round * 500));
    rWith.push(await ingest(sWith, 50, 1000 + round * 500));
  }
  const t0 = process.hrtime.bigint();
  const handledWith = await followWith.stop();
  const catchUp = Number(process.hrtime.bigint() - t0) / 1e6;
  await followWithout.stop();
  const w = percentile(rWith, 50);
  const wo = percentile(rWithout, 50);
  const evidence = (await withStore.competency.findEvidence({})).length;
  console.log(`${name}: ingest batch 10, median of 6 rounds of 500 statements, evidence subscriber following the log: without alignments ${fmt(wo, 0)} st/s, with 1,000 alignments ${fmt(w, 0)} st/s (${fmt(w / wo, 3)}x; target >= 0.95x)`);
  console.log(`${name}: subscriber with 1,000 alignments handled ${handledWith} log entries (${evidence} evidence rows, ${handledWith - 3200} attainment statements written back), caught up ${fmt(catchUp, 0)} ms after the last write`);
  await withoutStore.close();

  // 2. Profile of a learner with 10,000 pieces of evidence (one framework of 100 competencies).
  const rows: Evidence[] = Array.from({ length: 10_000 }, (_, i) => ({
    id: `bench-${i}|al`, userId: 'profile-learner', orgId: 'org-bench', frameworkId: framework.id, itemIdentifier: items[i % items.length] as string,
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

  // 3. A CASE package of 5,000 items (50 categories of 99 competencies + the categories).
  const big = casePackage({ categories: 50, perCategory: 99 });
  const t = process.hrtime.bigint();
  const result = await importPackage(sWith, 'org-bench', big);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(`${name}: CASE import of ${result.items} items and ${result.associations} associations: ${fmt(ms, 0)} ms (target < 5000 ms)`);
  await withStore.close();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lhq-bench-competency-'));
  try {
    await run('sqlite', () => openStore({ kind: 'sqlite', path: path.join(dir, 'with.db') }), () => openStore({ kind: 'sqlite', path: path.join(dir, 'without.db') }));
    const uri = process.env['MONGODB_URI'];
    if (uri) {
      const prefix = `bench_comp_${randomBytes(3).toString('hex')}`;
      const open = (n: string) => () => openStore({ kind: 'mongo', url: uri, dbName: `${prefix}_${n}`, leaseMs: 10_000 });
      await run('mongo', open('with'), open('without'));
      const { MongoClient } = await import('mongodb');
      const c = new MongoClient(uri);
      await c.connect();
      for (const n of ['with', 'without']) await c.db(`${prefix}_${n}`).dropDatabase();
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
