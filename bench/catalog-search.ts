/**
 * bench/catalog-search: catalog search at 5,000 entries (issue 18 asks < 50 ms) on SQLite (FTS5)
 * and, when MONGODB_URI is set, on MongoDB/FerretDB (word-prefix regex). Times the whole search
 * of GET /api/catalog without HTTP: the store's visible text matches, then facets, sorting and a
 * page of 20 (src/catalog/search.ts). Entries: 40 organizations, a fifth private, a tenth shared
 * with three others, words drawn from a library-training vocabulary.
 *
 * Run from source: node -r ./scripts/register-ts.js bench/catalog-search.ts
 * Env: BENCH_ENTRIES (default 5000), BENCH_RUNS (per case, default 200), MONGODB_URI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { parseCatalogSearch, searchCatalogFor } from '../src/catalog/search';
import { openStore } from '../src/store';
import type { CatalogEntry, CatalogKind, CatalogViewer, Store } from '../src/store/ports';
import { fmt, percentile } from './lib/stats';

const ENTRIES = Number(process.env['BENCH_ENTRIES'] ?? 5000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 200);
const WORDS = ('cataloguing metadata reference interview outreach storytime literacy digital archives preservation copyright ' +
  'licensing budgeting leadership advocacy accessibility inclusion makerspace genealogy instruction assessment weeding ' +
  'collection development acquisitions circulation programming teens seniors grants volunteers privacy security ' +
  'databases research citation community partnerships marketing social media management supervision customer service').split(' ');
const KINDS: CatalogKind[] = ['course', 'course', 'course', 'webinar', 'workshop', 'conference', 'external', 'link'];
const FORMATS = ['scorm12', 'scorm2004', 'tincan', 'cmi5', 'online', 'in person'];

/** Deterministic pseudo-random numbers, so both engines get the same catalog. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

function entries(): CatalogEntry[] {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  return Array.from({ length: ENTRIES }, (_, i) => {
    const org = `org-${i % 40}`;
    const v = r();
    return {
      id: `entry-${i}`, kind: pick(KINDS), orgId: org, provider: `Provider ${i % 40}`,
      title: `${words(3)} ${i}`, description: words(40), keywords: [pick(WORDS), pick(WORDS)], competencies: [pick(WORDS)],
      language: r() < 0.8 ? 'en' : 'fr', format: pick(FORMATS), durationMinutes: 10 + Math.floor(r() * 300),
      ...(r() < 0.6 ? { ceCredits: Math.floor(r() * 4) } : {}),
      ...(r() < 0.3 ? { startsAt: new Date(Date.UTC(2027, Math.floor(r() * 12), 1 + Math.floor(r() * 27))).toISOString() } : {}),
      state: r() < 0.95 ? 'published' : 'draft',
      visibility: v < 0.2 ? 'org' : v < 0.3 ? 'orgs' : 'all',
      visibleOrgIds: v >= 0.2 && v < 0.3 ? [`org-${(i + 1) % 40}`, `org-${(i + 2) % 40}`, `org-${(i + 3) % 40}`] : [],
      createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60000).toISOString(), updatedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
    };
  });
}

const CASES: { name: string; query: Record<string, string> }[] = [
  { name: 'browse (no words), by title', query: {} },
  { name: 'one word', query: { q: 'metadata' } },
  { name: 'two word prefixes + 2 facets', query: { q: 'refer inter', kind: 'course', credits: '1' } },
  { name: 'one word, sort credits, page 5', query: { q: 'leadership', sort: 'credits', page: '5' } },
];

async function run(engine: string, store: Store): Promise<void> {
  const all = entries();
  const t0 = performance.now();
  for (const e of all) await store.catalog.upsertCatalogEntry(e);
  console.log(`${engine}: ${all.length} entries stored in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  const viewer: CatalogViewer = { orgIds: ['org-3'] };
  const now = new Date(Date.UTC(2026, 11, 1));
  for (const c of CASES) {
    const search = parseCatalogSearch(c.query);
    // Warm-up (statement caches, first-query plans).
    for (let i = 0; i < 5; i++) await searchCatalogFor(store, viewer, search, now);
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < RUNS; i++) {
      const s0 = performance.now();
      total = (await searchCatalogFor(store, viewer, search, now)).total;
      times.push(performance.now() - s0);
    }
    console.log(`${engine}  ${c.name.padEnd(36)} ${String(total).padStart(5)} results  p50 ${fmt(percentile(times, 50), 2)} ms  p95 ${fmt(percentile(times, 95), 2)} ms`);
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-bench-'));
  const sqlite = await openStore({ kind: 'sqlite', path: path.join(dir, 'bench.sqlite') });
  try {
    await run('sqlite', sqlite);
  } finally {
    await sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const uri = process.env['MONGODB_URI'];
  if (!uri) {
    console.log('mongo: skipped (set MONGODB_URI, e.g. the URL scripts/ferretdb.sh start prints)');
    return;
  }
  const dbName = `catalog_bench_${randomBytes(4).toString('hex')}`;
  const { openMongoStore } = await import('../src/store/mongo/mongo-store');
  const mongo = await openMongoStore({ url: uri, dbName });
  try {
    await run('mongo', mongo);
  } finally {
    await mongo.close();
    const client = new MongoClient(uri);
    await client.connect();
    await client.db(dbName).dropDatabase();
    await client.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
