/**
 * Sealed spans (src/store/sqlite/seal.ts, ADR 0041): a store with tiny buckets
 * and spans, so that most of its spans are sealed while statements arrive, answers every query,
 * log read, restriction check and erasure exactly as a store of the same statements where nothing
 * is sealed. The statements vary the way sealing could break: voiding of sealed statements,
 * StatementRefs whose target arrives after the referrer is sealed (late inheritance writes into a
 * sealed span, and the row's verb column can no longer name the statement's only verb), several
 * keys per query (learner + verb filters the verb column), organization keys for the log.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { NewStatement, StatementQuery, Store } from '../../src/store/ports';
import { SEALED_KINDS } from '../../src/store/sqlite/buckets';
import { configureConnection } from '../../src/store/sqlite/connection';
import { createSealer } from '../../src/store/sqlite/seal';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import {
  directActivityKey, directAgentKey, idsOf, registrationKey, relatedActivityKey, relatedAgentKey, statement, verbKey,
} from './contract/builders';

const dir = mkdtempSync(join(tmpdir(), 'learnhq-sealed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BUCKET = 4;
const SPAN = 3;

/** A store whose buckets hold 4 statements and whose spans hold 3 buckets (set before any key is written). */
async function openTinyStore(name: string, sealIntervalMs = 10): Promise<Store> {
  mkdirSync(join(dir, name));
  const path = join(dir, name, 'lrs.db');
  await (await openSqliteStore({ path })).close();
  const db = new Database(path);
  try {
    db.prepare("UPDATE store_settings SET value = ? WHERE key = 'bucket_size'").run(String(BUCKET));
    db.prepare("UPDATE store_settings SET value = ? WHERE key = 'span_buckets'").run(String(SPAN));
  } finally {
    db.close();
  }
  return openSqliteStore({ path, sealIntervalMs });
}

function sealing(path: string): { sealedBelow: number; copiedBelow: number; sealedRows: number; refRows: number } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      sealedBelow: Number(db.prepare("SELECT value FROM store_settings WHERE key = 'sealed_below'").pluck().get()),
      copiedBelow: Number(db.prepare("SELECT value FROM store_settings WHERE key = 'copied_below'").pluck().get()),
      sealedRows: db.prepare<[], number>('SELECT count(*) FROM sealed_refs').pluck().get() ?? 0,
      refRows: db.prepare<[], number>('SELECT count(*) FROM statement_refs').pluck().get() ?? 0,
    };
  } finally {
    db.close();
  }
}

/**
 * Rows of statement_refs and sealed_refs that break the sealing invariant: a sealed row without its
 * statement_refs row, or a sparse-kind row of a sealed bucket without its sealed copy.
 */
function strayRows(path: string): { orphans: number; missing: number; wrongVerb: number } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      orphans: db.prepare<[], number>(
        `SELECT count(*) FROM sealed_refs s
         WHERE NOT EXISTS (SELECT 1 FROM statement_refs r WHERE r.bucket = s.seq / ${BUCKET} AND r.ref = s.ref AND r.seq = s.seq)`,
      ).pluck().get() ?? 0,
      missing: db.prepare<[], number>(
        `SELECT count(*) FROM statement_refs r JOIN ref_ids k ON k.id = r.ref
         WHERE r.bucket < (SELECT CAST(value AS INTEGER) FROM store_settings WHERE key = 'sealed_below')
           AND substr(k.ref, 1, 2) IN (${SEALED_KINDS.map((x) => `'${x}'`).join(', ')})
           AND NOT EXISTS (SELECT 1 FROM sealed_refs s WHERE s.span = r.bucket / ${SPAN} AND s.ref = r.ref AND s.seq = r.seq)`,
      ).pluck().get() ?? 0,
      // The verb column names the statement's only verb key, or is -1 (then it is probed).
      wrongVerb: db.prepare<[], number>(
        `SELECT count(*) FROM sealed_refs s
         WHERE s.verb <> -1 AND NOT (
           EXISTS (SELECT 1 FROM statement_refs r WHERE r.bucket = s.seq / ${BUCKET} AND r.ref = s.verb AND r.seq = s.seq)
           AND (SELECT count(*) FROM statement_refs r JOIN ref_ids k ON k.id = r.ref
                WHERE r.bucket = s.seq / ${BUCKET} AND r.seq = s.seq AND k.ref LIKE 'v|%') = 1)`,
      ).pluck().get() ?? 0,
    };
  } finally {
    db.close();
  }
}

/** A small seeded generator (the same statements on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const actors = Array.from({ length: 7 }, (_, i) => `mailto:p${i}@sealed.example.org`);
const verbs = Array.from({ length: 3 }, (_, i) => `http://example.com/verbs/v${i}`);
const activities = Array.from({ length: 5 }, (_, i) => `http://example.com/activities/a${i}`);
const registrations = Array.from({ length: 11 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const orgs = ['org-a', 'org-b'];

/** 420 statements in batches of 1 to 19: plain ones, voiding ones, StatementRefs back and forward. */
function makeBatches(): NewStatement[][] {
  const r = rng(7);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const made: NewStatement[] = [];
  const forward: string[] = [];
  const all: NewStatement[] = [];
  for (let i = 0; i < 420; i++) {
    const roll = r();
    let s: NewStatement;
    if (roll < 0.05 && made.length > 0) {
      s = statement({ actor: pick(actors), voids: pick(made).id });
    } else if (roll < 0.1 && made.length > 0) {
      s = statement({ actor: pick(actors), targetId: pick(made).id });
    } else if (roll < 0.13) {
      // Points at a statement that arrives much later, once this one's span is sealed.
      const target = crypto.randomUUID();
      forward.push(target);
      s = statement({ actor: pick(actors), targetId: target });
    } else if (roll < 0.2 && forward.length > 0 && i > 200) {
      s = statement({ id: forward.shift()!, actor: pick(actors), verb: pick(verbs), activity: pick(activities) });
    } else {
      s = statement({
        actor: pick(actors), verb: pick(verbs), activity: pick(activities),
        ...(r() < 0.6 ? { registration: pick(registrations) } : {}),
        ...(r() < 0.2 ? { instructor: pick(actors) } : {}),
        ...(r() < 0.3 ? { parents: [pick(activities)] } : {}),
      });
      made.push(s);
    }
    all.push({ ...s, refs: [...s.refs, `g|${pick(orgs)}`] });
  }
  const batches: NewStatement[][] = [];
  for (let i = 0; i < all.length;) {
    const n = 1 + Math.floor(r() * 19);
    batches.push(all.slice(i, i + n));
    i += n;
  }
  return batches;
}

const batches = makeBatches();
let sealed: Store;
let plain: Store;

beforeAll(async () => {
  sealed = await openTinyStore('sealed');
  mkdirSync(join(dir, 'plain'));
  plain = await openSqliteStore({ path: join(dir, 'plain', 'lrs.db') });
  // While idle, the schedule seals a span per look until every complete span is sealed.
  const settle = async (top: number): Promise<void> => {
    const complete = Math.floor(Math.floor(top / BUCKET) / SPAN) * SPAN;
    for (let i = 0; i < 500 && sealing(join(dir, 'sealed', 'lrs.db')).sealedBelow < complete; i++) await new Promise((r) => setTimeout(r, 20));
  };
  let count = 0;
  for (const [i, batch] of batches.entries()) {
    await sealed.statements.insertStatements(batch, []);
    await plain.statements.insertStatements(batch, []);
    count += batch.length;
    // Pauses now and then, so that statements arrive after their referrer's span is sealed.
    if (i % 5 === 4) await settle(count);
  }
  await settle(count);
}, 60_000);
afterAll(async () => {
  await sealed.close();
  await plain.close();
});

it('seals every complete span once statements stop arriving, copying the rows of their sparse keys', () => {
  const s = sealing(join(dir, 'sealed', 'lrs.db'));
  // 420 statements in 36 spans of 12: every complete span is sealed, the newest is not.
  expect(s.sealedBelow).toBe(Math.floor(Math.floor(420 / BUCKET) / SPAN) * SPAN);
  expect(s.sealedBelow % SPAN).toBe(0);
  // No span is left half copied: the schedule seals a span's steps one after another.
  expect(s.copiedBelow).toBe(s.sealedBelow);
  // The sparse kinds' rows of the sealed spans are copied; every row stays in statement_refs.
  expect(s.sealedRows).toBeGreaterThan(800);
  expect(s.sealedRows).toBeLessThan(s.refRows);
  expect(strayRows(join(dir, 'sealed', 'lrs.db'))).toEqual({ orphans: 0, missing: 0, wrongVerb: 0 });
  // Nothing is sealed in the store of default sizes.
  expect(sealing(join(dir, 'plain', 'lrs.db')).sealedRows).toBe(0);
});

const singleKeys = [
  ...actors.flatMap((a) => [directAgentKey(`mbox:${a}`), relatedAgentKey(`mbox:${a}`)]),
  ...verbs.map(verbKey),
  ...activities.flatMap((a) => [directActivityKey(a), relatedActivityKey(a)]),
  ...registrations.map(registrationKey),
  ...orgs.map((o) => `g|${o}`),
];
const keySets: string[][] = [
  ...singleKeys.map((k) => [k]),
  ...actors.flatMap((a) => verbs.map((v) => [directAgentKey(`mbox:${a}`), verbKey(v)])),
  ...registrations.slice(0, 4).flatMap((g) => verbs.map((v) => [registrationKey(g), verbKey(v)])),
  ...activities.flatMap((x) => [[directActivityKey(x), relatedAgentKey(`mbox:${actors[0]!}`), verbKey(verbs[1]!)]]),
  // As an organization's credential reads (its `g|` key added to every query): probed, never sealed.
  ...orgs.flatMap((o) => actors.slice(0, 3).flatMap((a) => [
    [directAgentKey(`mbox:${a}`), `g|${o}`],
    [directAgentKey(`mbox:${a}`), verbKey(verbs[0]!), `g|${o}`],
  ])),
  ...orgs.flatMap((o) => registrations.slice(0, 3).map((g) => [registrationKey(g), `g|${o}`])),
];

/** Every page of a query, following afterSeq as `more` does. */
async function allPages(store: Store, q: Omit<StatementQuery, 'afterSeq'>): Promise<string[][]> {
  const pages: string[][] = [];
  let afterSeq: number | undefined;
  for (let n = 0; n < 1000; n++) {
    const page = await store.statements.findStatements({ ...q, ...(afterSeq !== undefined ? { afterSeq } : {}) });
    pages.push(idsOf(page.statements));
    if (page.nextAfterSeq === undefined) return pages;
    afterSeq = page.nextAfterSeq;
  }
  throw new Error('paging did not end');
}

it.each([true, false])('answers every key and combination of keys as the unsealed store (ascending %s), page by page', async (ascending) => {
  let nonEmpty = 0;
  for (const allRefs of keySets) {
    for (const limit of [3, 1000]) {
      const want = await allPages(plain, { allRefs, ascending, limit });
      expect({ allRefs, limit, pages: await allPages(sealed, { allRefs, ascending, limit }) }).toEqual({ allRefs, limit, pages: want });
      if (want[0]!.length > 0) nonEmpty++;
    }
  }
  // The comparison is not between two empty answers.
  expect(nonEmpty).toBeGreaterThan(keySets.length);
});

it('answers since/until windows that start and end inside sealed spans as the unsealed store', async () => {
  const stored = batches.flat().map((s) => s.stored);
  for (const [from, to] of [[10, 50], [37, 38], [100, 400], [0, 419], [250, 419]] as const) {
    const q = { since: stored[from]!, until: stored[to]!, limit: 4 };
    for (const allRefs of [[verbKey(verbs[0]!)], [directAgentKey(`mbox:${actors[2]!}`), verbKey(verbs[2]!)], []]) {
      for (const ascending of [true, false]) {
        expect(await allPages(sealed, { ...q, allRefs, ascending })).toEqual(await allPages(plain, { ...q, allRefs, ascending }));
      }
    }
  }
});

it('finds the keys a StatementRef inherited after its span was sealed', async () => {
  // A forward reference's target arrived later: the referrer now carries the target's verb.
  const all = batches.flat();
  const late = all.filter((s) => s.targetId !== undefined && all.findIndex((t) => t.id === s.targetId) > all.indexOf(s));
  expect(late.length).toBeGreaterThan(0);
  let checked = 0;
  for (const referrer of late) {
    const target = all.find((t) => t.id === referrer.targetId)!;
    const verb = (target.statement['verb'] as { id: string }).id;
    const found = idsOf((await sealed.statements.findStatements({ allRefs: [verbKey(verb)], ascending: true, limit: 1000 })).statements);
    const want = idsOf((await plain.statements.findStatements({ allRefs: [verbKey(verb)], ascending: true, limit: 1000 })).statements);
    expect(found).toEqual(want);
    if (want.includes(referrer.id)) checked++;
  }
  expect(checked).toBeGreaterThan(0);
});

it('gives the log the same organizations, across sealed and hot buckets', async () => {
  const read = async (store: Store): Promise<[number, readonly string[]][]> =>
    (await store.pipeline.findLog({ afterSeq: 0, upToSeq: 10_000, limit: 1000 })).map((e) => [e.statement.seq, e.orgIds]);
  const log = await read(sealed);
  expect(log).toHaveLength(420);
  expect(log).toEqual(await read(plain));
});

it('checks restrictions and erases a person as the unsealed store', async () => {
  const ids = idsOf(batches.flat());
  for (const a of actors.slice(0, 3)) {
    const keys = [relatedAgentKey(`mbox:${a}`)];
    expect(await sealed.statements.findStatementIdsWithRefs(ids, keys)).toEqual(await plain.statements.findStatementIdsWithRefs(ids, keys));
  }
  const person = relatedAgentKey(`mbox:${actors[3]!}`);
  const erased = await sealed.statements.deleteStatementsWithRef(person);
  expect(erased).toBeGreaterThan(10);
  expect(erased).toBe(await plain.statements.deleteStatementsWithRef(person));
  for (const allRefs of keySets.slice(0, 20)) {
    expect(await allPages(sealed, { allRefs, ascending: false, limit: 1000 })).toEqual(await allPages(plain, { allRefs, ascending: false, limit: 1000 }));
  }
  expect(await sealed.statements.findStatements({ allRefs: [person], ascending: true, limit: 10 })).toEqual({ statements: [] });
  // No copy of an erased statement's keys is left in a sealed span.
  expect(strayRows(join(dir, 'sealed', 'lrs.db'))).toEqual({ orphans: 0, missing: 0, wrongVerb: 0 });
});

describe('a span sealed in steps (a few buckets per transaction)', () => {
  it('keeps the copies exact when a late-inherited key and an erasure land between two steps, and scans ignore the half-copied span', async () => {
    // Sealed only by hand below (the schedule's first look is far away).
    const stepped = await openTinyStore('stepped', 1_000_000_000);
    mkdirSync(join(dir, 'stepped-plain'));
    const unsealed = await openSqliteStore({ path: join(dir, 'stepped-plain', 'lrs.db') });
    const path = join(dir, 'stepped', 'lrs.db');
    const db = new Database(path);
    try {
      configureConnection(db, { memory: false });
      const both = async (batch: NewStatement[]): Promise<void> => {
        await stepped.statements.insertStatements(batch, []);
        await unsealed.statements.insertStatements(batch, []);
      };
      const [p0, p1, p2] = actors.map((a) => `mbox:${a}`);
      const early = crypto.randomUUID(); // target of a referrer in the first bucket (copied by step 1)
      const late = crypto.randomUUID(); // target of a referrer in the last bucket (copied by step 2)
      // Seqs 1-14, one a batch: span 0 is buckets 0-2 (seqs 1-11), complete once seq 12 exists.
      const first: NewStatement[] = [
        statement({ actor: actors[0]!, targetId: early }),
        statement({ actor: actors[1]!, verb: verbs[0]!, activity: activities[0]! }),
        statement({ actor: actors[2]!, verb: verbs[0]!, activity: activities[1]! }),
        ...Array.from({ length: 4 }, (_, i) => statement({ actor: actors[i % 3]!, verb: verbs[i % 3]!, activity: activities[i]! })),
        statement({ actor: actors[0]!, targetId: late }),
        ...Array.from({ length: 6 }, (_, i) => statement({ actor: actors[2 - (i % 3)]!, verb: verbs[i % 3]!, activity: activities[4 - (i % 5)]! })),
      ];
      for (const s of first) await both([s]);
      const sealer = createSealer(db, 2);
      expect(sealer()).toBe('step');
      expect(sealing(path)).toMatchObject({ sealedBelow: 0, copiedBelow: 2 });
      // Half copied: scans still read span 0 from statement_refs.
      const keys = [
        ...[p0!, p1!, p2!].map(directAgentKey), ...[p0!, p1!, p2!].map(relatedAgentKey), ...verbs.map(verbKey), ...activities.map(directActivityKey),
        ...verbs.map((v) => [directAgentKey(p0!), verbKey(v)]),
      ].map((k) => (Array.isArray(k) ? k : [k]));
      const same = async (): Promise<void> => {
        for (const allRefs of keys) {
          expect({ allRefs, pages: await allPages(stepped, { allRefs, ascending: true, limit: 2 }) })
            .toEqual({ allRefs, pages: await allPages(unsealed, { allRefs, ascending: true, limit: 2 }) });
        }
      };
      await same();
      // Between the steps: both targets arrive (the referrers inherit a verb and an activity, the
      // copied one in sealed_refs at once, the other in statement_refs only), and p1 is erased
      // (rows in a copied bucket and in the bucket not copied yet).
      await both([
        statement({ id: early, actor: actors[0]!, verb: verbs[1]!, activity: activities[2]! }),
        statement({ id: late, actor: actors[0]!, verb: verbs[2]!, activity: activities[3]! }),
      ]);
      expect(await stepped.statements.deleteStatementsWithRef(relatedAgentKey(p1!))).toBe(await unsealed.statements.deleteStatementsWithRef(relatedAgentKey(p1!)));
      expect(sealer()).toBe('sealed');
      expect(sealer()).toBe(false);
      expect(sealing(path)).toMatchObject({ sealedBelow: 3, copiedBelow: 3 });
      expect(strayRows(path)).toEqual({ orphans: 0, missing: 0, wrongVerb: 0 });
      await same();
      // The referrer of the last bucket carries two verbs: its copies say -1 (probe), not its own.
      const referrerVerbs = db.prepare<[string], number>(
        `SELECT DISTINCT s.verb FROM sealed_refs s JOIN statements t ON t.seq = s.seq WHERE t.id = ?`,
      ).pluck().all(first[7]!.id);
      expect(referrerVerbs).toEqual([-1]);
      // The learner + verb the late referrer inherited finds it in the sealed span.
      const found = idsOf((await stepped.statements.findStatements({ allRefs: [directAgentKey(p0!), verbKey(verbs[2]!)], ascending: true, limit: 10 })).statements);
      expect(found).toContain(first[7]!.id);
    } finally {
      db.close();
      await stepped.close();
      await unsealed.close();
    }
  });
});
