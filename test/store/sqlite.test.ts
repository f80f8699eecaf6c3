import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { runStoreContract } from './contract';
import type { NewStatement, Store } from '../../src/store/ports';
import { idsOf, statement, verbKey } from './contract/builders';

const dir = mkdtempSync(join(tmpdir(), 'learnhq-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('sqlite (memory)', () => openSqliteStore({ path: ':memory:' }));
// A file in a folder that does not exist yet: the WAL path, and the folder creation.
runStoreContract('sqlite (file)', () => openSqliteStore({ path: join(dir, 'contract', 'lrs.db') }));
// Every insert through the statement writer thread (by default only batches of 10 and more, or
// any while the thread is busy).
runStoreContract('sqlite (file, writer thread)', () => openSqliteStore({ path: join(dir, 'thread', 'lrs.db'), threadBatchMin: 1 }));

describe('sqlite store', () => {
  it('keeps data across close and reopen (migrations run again harmlessly)', async () => {
    const path = join(dir, 'reopen', 'lrs.db');
    const first = await openSqliteStore({ path });
    const s = statement();
    await first.statements.insertStatements([s], []);
    await first.close();
    await first.close(); // idempotent

    const second = await openSqliteStore({ path });
    const found = await second.statements.findStatementsByIds([s.id]);
    expect(found[0]?.statement).toEqual(s.statement);
    const verb = String((s.statement['verb'] as { id: string }).id);
    const page = await second.statements.findStatements({ allRefs: [verbKey(verb)], ascending: true, limit: 5 });
    expect(page.statements.map((x) => x.id)).toEqual([s.id]);
    await second.close();
  });

  it('answers ping while open and rejects it once closed', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    await expect(store.ping()).resolves.toBeUndefined();
    expect(store.engine).toBe('sqlite');
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });

  it('sees writes of another connection to the same file', async () => {
    const path = join(dir, 'shared', 'lrs.db');
    const a = await openSqliteStore({ path });
    const b = await openSqliteStore({ path });
    const s = statement();
    await a.statements.insertStatements([s], []);
    expect((await b.statements.findStatementsByIds([s.id])).map((x) => x.id)).toEqual([s.id]);
    // stored stays non-decreasing across connections too.
    const older = statement({ stored: '2001-01-01T00:00:00.000Z' });
    await b.statements.insertStatements([older], []);
    const [x, y] = [
      (await a.statements.findStatementsByIds([s.id]))[0],
      (await a.statements.findStatementsByIds([older.id]))[0],
    ];
    expect((y?.stored ?? '') >= (x?.stored ?? '~')).toBe(true);
    await a.close();
    await b.close();
  });

  it('finds and pages statements spread over several index buckets', async () => {
    // 9000 statements cover three buckets of statement_refs (4096 statements each).
    const store = await openSqliteStore({ path: ':memory:' });
    const rare = 'o|http://example.com/rare';
    const every3 = 'v|http://example.com/every-third';
    const all: NewStatement[] = [];
    for (let i = 0; i < 9000; i++) {
      const s = statement();
      const extra = [...(i % 997 === 0 ? [rare] : []), ...(i % 3 === 0 ? [every3] : [])];
      all.push({ ...s, refs: [...s.refs, ...extra] });
    }
    for (let i = 0; i < all.length; i += 500) await store.statements.insertStatements(all.slice(i, i + 500), []);
    const rareIds = all.filter((_, i) => i % 997 === 0).map((s) => s.id);
    const bothIds = all.filter((_, i) => i % 997 === 0 && i % 3 === 0).map((s) => s.id);

    const pageAll = async (s: Store, allRefs: string[], ascending: boolean, limit: number, extra = {}): Promise<string[]> => {
      const out: string[] = [];
      let afterSeq: number | undefined;
      do {
        const page = await s.statements.findStatements({ allRefs, ascending, limit, ...extra, ...(afterSeq ? { afterSeq } : {}) });
        out.push(...idsOf(page.statements));
        afterSeq = page.nextAfterSeq;
      } while (afterSeq !== undefined);
      return out;
    };
    expect(await pageAll(store, [rare], true, 2)).toEqual(rareIds);
    expect(await pageAll(store, [rare], false, 4)).toEqual([...rareIds].reverse());
    expect(await pageAll(store, [every3, rare], true, 1)).toEqual(bothIds);
    expect(await pageAll(store, [rare, every3], false, 100)).toEqual([...bothIds].reverse());
    const thirds = await pageAll(store, [every3], false, 1000);
    expect(thirds).toHaveLength(3000);
    expect(thirds[0]).toBe(all[8997]?.id);

    // A time window across the bucket boundary at seq 4096.
    const stored = await store.statements.findStatementsByIds([all[3000]?.id ?? '', all[5000]?.id ?? '']);
    stored.sort((a, b) => a.seq - b.seq);
    const window = { since: stored[0]?.stored, until: stored[1]?.stored };
    const expected = all.slice(3001, 5001).filter((_, i) => (i + 3001) % 997 === 0).map((s) => s.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(await pageAll(store, [rare], true, 1, window)).toEqual(expected);
    await store.close();
  });

  it('rejects a query time that is not ISO 8601 as a bad request', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    await expect(
      store.statements.findStatements({ allRefs: [], since: 'yesterday', ascending: true, limit: 1 }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    await store.close();
  });
});
