/**
 * The SQLite statement writer thread (src/store/sqlite/statement-writer.ts): what it commits is
 * what another connection reads, its errors arrive as the service's own, and stopping it loses
 * nothing it accepted. The whole store contract also runs with every insert sent to the thread
 * (sqlite.test.ts); this file checks the thread itself and the hand-over rules of the store.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../src/errors';
import type { Evidence, EvidenceCounts } from '../../src/store/ports';
import { createCompetencyStore } from '../../src/store/records/competency';
import { sqliteRecordTables, sqliteUnitOfWork } from '../../src/store/records/sqlite-table';
import { evidenceChunks } from '../../src/store/sqlite/evidence-chunks';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { toStatementRow } from '../../src/store/sqlite/statement-insert';
import { startStatementWriter, type StatementWriter } from '../../src/store/sqlite/statement-writer';
import { statement, verbKey } from './contract/builders';

const dir = mkdtempSync(join(tmpdir(), 'learnhq-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A migrated, closed database file. */
async function freshFile(name: string): Promise<string> {
  const path = join(dir, name, 'lrs.db');
  await (await openSqliteStore({ path })).close();
  return path;
}

describe('statement writer thread', () => {
  let path: string;
  let writer: StatementWriter;
  let reader: Database.Database;
  beforeAll(async () => {
    path = await freshFile('direct');
    writer = startStatementWriter(path);
    reader = new Database(path, { readonly: true });
  });
  afterAll(async () => {
    await writer.stop();
    reader.close();
  });

  it('commits before it answers: another connection reads the rows at once', async () => {
    const batch = Array.from({ length: 25 }, () => statement());
    const pending = writer.insert(batch.map(toStatementRow), []);
    expect(writer.busy()).toBe(true);
    const result = await pending;
    expect(result.inserted).toEqual(batch.map((s) => s.id));
    expect(writer.busy()).toBe(false);
    const ids = reader.prepare<[string], string>('SELECT id FROM statements WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(batch.map((s) => s.id)));
    expect(new Set(ids)).toEqual(new Set(batch.map((s) => s.id)));
    const json = reader.prepare<[string], string>('SELECT json FROM statements WHERE id = ?').pluck().get(batch[0]!.id);
    expect(JSON.parse(json!)).toEqual(batch[0]!.statement);
  });

  it('answers a duplicate id with the store conflict (409), the batch stored whole or not at all', async () => {
    const stored = statement();
    await writer.insert([toStatementRow(stored)], []);
    const fresh = statement();
    const err = await writer.insert([toStatementRow(fresh), toStatementRow(stored)], []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(409);
    expect(reader.prepare('SELECT 1 FROM statements WHERE id = ?').get(fresh.id)).toBeUndefined();
  });

  it('stores attachment content byte for byte', async () => {
    const content = Buffer.from('%PDF-1.4 certificate of completion \u00e9', 'utf8');
    const sha2 = createHash('sha256').update(content).digest('hex');
    await writer.insert([toStatementRow(statement())], [{ sha2, contentType: 'application/pdf', content }]);
    const row = reader.prepare<[string], { content: Buffer; content_type: string }>('SELECT content, content_type FROM attachments WHERE sha2 = ?').get(sha2);
    expect(row?.content_type).toBe('application/pdf');
    expect(Buffer.compare(row!.content, content)).toBe(0);
  });

  it('erases every statement carrying a key', async () => {
    const verb = `https://example.org/verbs/erase-${Date.now()}`;
    const doomed = [statement({ verb }), statement({ verb })];
    const kept = statement();
    await writer.insert([...doomed, kept].map(toStatementRow), []);
    expect(await writer.erase(verbKey(verb))).toBe(2);
    const left = reader.prepare<[string], string>('SELECT id FROM statements WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify([...doomed, kept].map((s) => s.id)));
    expect(left).toEqual([kept.id]);
  });
});

describe('a writer thread that dies', () => {
  it('fails what it held with 503 and the next insert starts a new thread', async () => {
    const path = await freshFile('crash');
    const writer = startStatementWriter(path);
    try {
      // Attachment content that is not bytes makes the thread throw outside any request handler.
      const broken = { sha2: 'ab'.repeat(32), contentType: 'text/plain', content: 'not bytes' as unknown as Buffer };
      await expect(writer.insert([toStatementRow(statement())], [broken])).rejects.toMatchObject({ status: 503 });
      expect(writer.busy()).toBe(false);
      const s = statement();
      await expect(writer.insert([toStatementRow(s)], [])).resolves.toMatchObject({ inserted: [s.id], lastSeq: expect.any(Number) });
    } finally {
      await writer.stop();
    }
  });
});

describe('stopping the writer thread', () => {
  it('commits every insert it accepted before it stops, and refuses new ones after', async () => {
    const path = await freshFile('stop');
    const writer = startStatementWriter(path);
    const batches = Array.from({ length: 8 }, () => Array.from({ length: 20 }, () => statement()));
    const inserts = batches.map((b) => writer.insert(b.map(toStatementRow), []));
    await writer.stop();
    await expect(Promise.all(inserts)).resolves.toHaveLength(8);
    await expect(writer.insert([toStatementRow(statement())], [])).rejects.toMatchObject({ status: 503 });
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM statements').get()).toEqual({ n: 160 });
    } finally {
      db.close();
    }
  });
});

describe('sqlite store with its writer thread', () => {
  it('erases statements accepted on the service connection just before, not yet committed', async () => {
    const store = await openSqliteStore({ path: join(dir, 'erase-pending', 'lrs.db') });
    try {
      const verb = 'https://example.org/verbs/erase-pending';
      await store.statements.deleteStatementsWithRef(verbKey('https://example.org/verbs/warm-up')); // thread started
      // A small batch waits for this connection's group commit (next turn of the event loop)...
      const s = statement({ verb });
      const pending = store.statements.insertStatements([s], []);
      // ...while the erasure goes to the writer thread, which is given time to finish it before
      // this event loop turns (the busy wait): the erasure must still cover that statement.
      const erased = store.statements.deleteStatementsWithRef(verbKey(verb));
      for (const until = Date.now() + 200; Date.now() < until; );
      expect(await erased).toBe(1);
      await pending;
      expect(await store.statements.findStatementsByIds([s.id])).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('takes concurrent small and large inserts and definitions together, losing none', async () => {
    const path = join(dir, 'mixed', 'lrs.db');
    const store = await openSqliteStore({ path });
    try {
      const batches = Array.from({ length: 40 }, (_, i) => Array.from({ length: i % 4 === 0 ? 50 : 1 + (i % 3) }, () => statement()));
      const definitions = Array.from({ length: 40 }, (_, i) => ({ id: `https://example.org/a/${i}`, definition: { type: 'https://example.org/t' }, updated: new Date().toISOString() }));
      await Promise.all([
        ...batches.map((b) => store.statements.insertStatements(b, [])),
        ...definitions.map((d) => store.activities.upsertActivities([d])),
      ]);
      const ids = batches.flat().map((s) => s.id);
      expect((await store.statements.findStatementsByIds(ids)).map((s) => s.id).sort()).toEqual([...ids].sort());
      expect(await store.activities.findActivities(definitions.map((d) => d.id))).toHaveLength(40);
    } finally {
      await store.close();
    }
  });
});

describe('pipeline cursor moves and lease claims while the writer thread is busy', () => {
  it('are written by the thread, never move a cursor back, and are read back by the service', async () => {
    const store = await openSqliteStore({ path: join(dir, 'cursors', 'lrs.db'), threadBatchMin: 1 });
    try {
      await store.pipeline.updateCursor('sub', { seq: 5, at: new Date().toISOString() });
      // The insert is in flight (the thread owes its answer): the cursor moves go to the thread.
      const inserted = store.statements.insertStatements(Array.from({ length: 200 }, () => statement()), []);
      const [, , , mine, theirs] = await Promise.all([
        store.pipeline.updateCursor('sub', { seq: 9, at: new Date().toISOString() }),
        store.pipeline.updateCursor('sub', { seq: 7, at: new Date().toISOString() }),
        store.pipeline.updateCursor('fresh', { seq: 3, at: new Date().toISOString() }),
        // Lease claims too: the first holder gets it, another instance does not while it lasts.
        store.pipeline.claimLease('leased', 'instance-a', 60_000),
        store.pipeline.claimLease('leased', 'instance-b', 60_000),
      ]);
      await inserted;
      expect([mine, theirs]).toEqual([true, false]);
      expect((await store.pipeline.findCursor('leased'))?.holder).toBe('instance-a');
      expect((await store.pipeline.findCursor('sub'))?.seq).toBe(9);
      expect((await store.pipeline.findCursor('fresh'))?.seq).toBe(3);
    } finally {
      await store.close();
    }
  });
});

describe('evidence written by the thread in chunks of whole people', () => {
  /** `perPerson[i]` pieces for person i, over three competencies and two levels. */
  const pieces = (tag: string, perPerson: readonly number[]): Evidence[] =>
    perPerson.flatMap((n, p) =>
      Array.from({ length: n }, (_, k): Evidence => ({
        id: `${tag}-st-${p}-${k}|al-${k % 3}`,
        userId: `person-${p}`,
        orgId: 'org-a',
        frameworkId: 'fw',
        itemIdentifier: `item-${k % 3}`,
        level: 1 + (k % 2),
        statementId: `${tag}-st-${p}-${k}`,
        alignmentId: `al-${k % 3}`,
        activityId: 'https://example.org/a',
        at: new Date(Date.UTC(2030, 0, 1, 0, 0, k)).toISOString(),
      })),
    );
  // 2,800 pieces: 40 people of 20, 8 of 150 (each more than a chunk by themselves), 10 of 80.
  const people = [...Array.from({ length: 40 }, () => 20), ...Array.from({ length: 8 }, () => 150), ...Array.from({ length: 10 }, () => 80)];

  it('answers and stores what one transaction on the service connection does', async () => {
    const threadPath = await freshFile('evidence-thread');
    const directPath = await freshFile('evidence-direct');
    const writer = startStatementWriter(threadPath);
    const directDb = new Database(directPath);
    try {
      const direct = createCompetencyStore(sqliteRecordTables(directDb), sqliteUnitOfWork(directDb));
      // Earlier evidence for some of the people, so that `before` has something to answer.
      const earlier = pieces('earlier', people.map((_, p) => (p % 3 === 0 ? 2 : 0)));
      await writer.recordEvidence(earlier);
      await direct.recordEvidence(earlier);
      const rows = pieces('now', people);
      expect(evidenceChunks(rows, 100).length).toBeGreaterThan(10);
      const [viaThread, viaDirect] = [await writer.recordEvidence(rows), await direct.recordEvidence(rows)];
      expect([...viaThread.created].sort()).toEqual([...viaDirect.created].sort());
      expect(viaThread.created).toHaveLength(2800);
      const byPair = (list: readonly EvidenceCounts[]): EvidenceCounts[] => [...list].sort((a, b) => `${a.userId} ${a.itemIdentifier}`.localeCompare(`${b.userId} ${b.itemIdentifier}`));
      expect(viaThread.before.length).toBeGreaterThan(0);
      expect(byPair(viaThread.before)).toEqual(byPair(viaDirect.before));
      // Written again (a redelivery): nothing is created twice.
      expect((await writer.recordEvidence(rows)).created).toEqual([]);
    } finally {
      await writer.stop();
      directDb.close();
    }
    const fromThread = new Database(threadPath);
    const fromDirect = new Database(directPath);
    try {
      const [a, b] = [fromThread, fromDirect].map((db) => createCompetencyStore(sqliteRecordTables(db), sqliteUnitOfWork(db)));
      const userIds = people.map((_, p) => `person-${p}`);
      expect(await a!.findEvidence({ userIds })).toEqual(await b!.findEvidence({ userIds }));
      expect(await a!.findEvidenceLevelsOfUsers(userIds)).toEqual(await b!.findEvidenceLevelsOfUsers(userIds));
    } finally {
      fromThread.close();
      fromDirect.close();
    }
  });

  it('commits a statement batch that arrives during a large evidence request before the request ends', async () => {
    const path = await freshFile('evidence-priority');
    const writer = startStatementWriter(path);
    try {
      const order: string[] = [];
      const evidence = writer.recordEvidence(pieces('big', people)).then(() => order.push('evidence'));
      const batch = writer.insert([toStatementRow(statement())], []).then(() => order.push('statements'));
      await Promise.all([evidence, batch]);
      expect(order).toEqual(['statements', 'evidence']);
    } finally {
      await writer.stop();
    }
  });

  it('finishes the evidence requests it accepted before it stops', async () => {
    const path = await freshFile('evidence-stop');
    const writer = startStatementWriter(path);
    const first = writer.recordEvidence(pieces('one', people));
    const second = writer.recordEvidence(pieces('two', people.slice(0, 10)));
    await writer.stop();
    expect((await first).created).toHaveLength(2800);
    expect((await second).created).toHaveLength(200);
    const db = new Database(path, { readonly: true });
    try {
      const store = createCompetencyStore(sqliteRecordTables(db), sqliteUnitOfWork(db));
      expect(await store.findEvidence({ userIds: people.map((_, p) => `person-${p}`) })).toHaveLength(3000);
    } finally {
      db.close();
    }
  });
});
