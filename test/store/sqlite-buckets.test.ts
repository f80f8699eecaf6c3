/**
 * statement_refs bucket sizes (src/store/sqlite/buckets.ts): a new database records the current
 * size; one that already holds index keys keeps the size they were written with, and statements
 * stored before and after the upgrade are all found.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BUCKET_SIZE, LEGACY_BUCKET_SIZE } from '../../src/store/sqlite/buckets';
import { MIGRATIONS, migrate } from '../../src/store/sqlite/migrations';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { statement, verbKey } from './contract/builders';

const dir = mkdtempSync(join(tmpdir(), 'learnhq-buckets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const recordedSize = (path: string): string | undefined => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], string>("SELECT value FROM store_settings WHERE key = 'bucket_size'").pluck().get();
  } finally {
    db.close();
  }
};

it('records the current bucket size in a new database', async () => {
  const path = join(dir, 'new', 'lrs.db');
  await (await openSqliteStore({ path })).close();
  expect(recordedSize(path)).toBe(String(BUCKET_SIZE));
  expect(BUCKET_SIZE).not.toBe(LEGACY_BUCKET_SIZE);
});

it('keeps the legacy size for keys written before sizes were recorded, and finds old and new statements', async () => {
  const path = join(dir, 'legacy', 'lrs.db');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, 'legacy'));
  const verb = 'https://example.org/verbs/kept';
  // A database as the previous version left it: one statement at a seq whose legacy bucket (1)
  // differs from its bucket at the current size.
  const old = statement({ verb });
  const seq = LEGACY_BUCKET_SIZE + 10;
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    migrate(db, MIGRATIONS.filter((m) => m.version <= 3));
    db.prepare('INSERT INTO ref_ids (id, ref) VALUES (1, ?)').run(verbKey(verb));
    db.prepare('INSERT INTO statements (seq, id, stored, voided, voiding, target_id, refs, json) VALUES (?, ?, ?, 0, 0, NULL, ?, ?)')
      .run(seq, old.id, old.stored, '[1]', JSON.stringify(old.statement));
    db.prepare('INSERT INTO statement_refs (bucket, ref, seq) VALUES (?, 1, ?)').run(Math.floor(seq / LEGACY_BUCKET_SIZE), seq);
  } finally {
    db.close();
  }

  const store = await openSqliteStore({ path, threadBatchMin: 1 });
  try {
    expect(recordedSize(path)).toBe(String(LEGACY_BUCKET_SIZE));
    const added = statement({ verb });
    await store.statements.insertStatements([added], []);
    const page = await store.statements.findStatements({ allRefs: [verbKey(verb)], ascending: true, limit: 10 });
    expect(page.statements.map((s) => s.id)).toEqual([old.id, added.id]);
    expect(await store.statements.deleteStatementsWithRef(verbKey(verb))).toBe(2);
  } finally {
    await store.close();
  }
});

it('gives the log its organizations on both sides of a bucket boundary', async () => {
  const store = await openSqliteStore({ path: ':memory:' });
  try {
    // Every statement belongs to an organization of its own parity; the page crosses a bucket.
    const orgOf = (i: number): string => (i % 2 === 0 ? 'org-even' : 'org-odd');
    const total = BUCKET_SIZE + 20;
    for (let start = 1; start <= total; start += 500) {
      const batch = Array.from({ length: Math.min(500, total - start + 1) }, (_, k) => {
        const s = statement();
        return { ...s, refs: [...s.refs, `g|${orgOf(start + k)}`] };
      });
      await store.statements.insertStatements(batch, []);
    }
    const log = await store.pipeline.findLog({ afterSeq: BUCKET_SIZE - 10, upToSeq: BUCKET_SIZE + 10, limit: 100 });
    expect(log.map((e) => e.statement.seq)).toEqual(Array.from({ length: 20 }, (_, k) => BUCKET_SIZE - 9 + k));
    expect(log.map((e) => e.orgIds)).toEqual(log.map((e) => [orgOf(e.statement.seq)]));
  } finally {
    await store.close();
  }
});
