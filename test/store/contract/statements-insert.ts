import type { Store } from '../../../src/store/ports';
import { idsOf, nextStored, statement, statements, unique, verbKey } from './builders';

/** Inserting, reading back by id, atomicity, ordering of seq/stored, attachments, concurrency. */
export function insertCases(store: () => Store): void {
  describe('insertStatements / findStatementsByIds', () => {
    it('stores a batch and reads every statement back by id with its JSON', async () => {
      const batch = statements(3);
      const result = await store().statements.insertStatements(batch, []);
      expect([...result.inserted].sort()).toEqual(idsOf(batch).sort());

      const found = await store().statements.findStatementsByIds(idsOf(batch));
      expect(found).toHaveLength(3);
      for (const s of batch) {
        const got = found.find((f) => f.id === s.id);
        expect(got).toBeDefined();
        expect(got?.voided).toBe(false);
        expect(got?.stored).toBe(s.stored);
        expect(got?.statement).toEqual(s.statement);
        expect(typeof got?.seq).toBe('number');
      }
    });

    it('leaves unknown ids out and answers [] for no ids', async () => {
      const s = statement();
      await store().statements.insertStatements([s], []);
      const found = await store().statements.findStatementsByIds([s.id, '00000000-0000-4000-8000-00000000dead']);
      expect(idsOf(found)).toEqual([s.id]);
      expect(await store().statements.findStatementsByIds([])).toEqual([]);
    });

    it('gives increasing seq within a batch (in batch order) and across batches', async () => {
      const first = statements(4);
      const second = statements(3);
      await store().statements.insertStatements(first, []);
      await store().statements.insertStatements(second, []);
      const found = await store().statements.findStatementsByIds([...idsOf(first), ...idsOf(second)]);
      const seqOf = new Map(found.map((f) => [f.id, f.seq]));
      const seqs = [...idsOf(first), ...idsOf(second)].map((id) => seqOf.get(id) ?? Number.NaN);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] ?? Infinity);
    });

    it('never lets stored go backwards as seq grows (an older stored time is raised)', async () => {
      const late = statement();
      await store().statements.insertStatements([late], []);
      const early = statement({ stored: '2001-01-01T00:00:00.000Z' });
      await store().statements.insertStatements([early], []);
      const found = await store().statements.findStatementsByIds([late.id, early.id]);
      const a = found.find((f) => f.id === late.id);
      const b = found.find((f) => f.id === early.id);
      expect(a && b).toBeTruthy();
      if (!a || !b) return;
      expect(b.seq).toBeGreaterThan(a.seq);
      expect(Date.parse(b.stored)).toBeGreaterThanOrEqual(Date.parse(a.stored));
      // The JSON says the same stored time as the record.
      expect(b.statement['stored']).toBe(b.stored);
    });

    it('counts every stored statement', async () => {
      const before = await store().statements.countStatements();
      await store().statements.insertStatements(statements(5), []);
      expect(await store().statements.countStatements()).toBe(before + 5);
    });
  });

  describe('batch atomicity', () => {
    it('writes nothing of a batch whose id is already stored, and says conflict', async () => {
      const existing = statement();
      await store().statements.insertStatements([existing], []);
      const before = await store().statements.countStatements();
      const verb = `http://example.com/verbs/${unique()}`;
      const fresh1 = statement({ verb });
      const fresh2 = statement({ verb });
      const clash = statement({ id: existing.id, verb });

      await expect(store().statements.insertStatements([fresh1, clash, fresh2], [])).rejects.toMatchObject({
        code: 'conflict',
      });
      expect(await store().statements.findStatementsByIds([fresh1.id, fresh2.id])).toEqual([]);
      expect(await store().statements.countStatements()).toBe(before);
      const page = await store().statements.findStatements({ allRefs: [verbKey(verb)], ascending: true, limit: 10 });
      expect(page.statements).toEqual([]);
      const kept = await store().statements.findStatementsByIds([existing.id]);
      expect(kept[0]?.statement).toEqual(existing.statement);
    });

    it('writes nothing of a batch that repeats an id within itself', async () => {
      const a = statement();
      const b = statement();
      const again = statement({ id: a.id });
      await expect(store().statements.insertStatements([a, b, again], [])).rejects.toMatchObject({ code: 'conflict' });
      expect(await store().statements.findStatementsByIds([a.id, b.id])).toEqual([]);
    });
  });

  describe('attachments', () => {
    it('stores content once per sha2 and returns it by hash (idempotent)', async () => {
      const sha2 = unique('sha').padEnd(64, 'a');
      const content = Buffer.from([0, 1, 2, 255, 128]);
      await store().statements.insertStatements([statement()], [{ sha2, contentType: 'application/octet-stream', content }]);
      await store().statements.insertStatements(
        [statement()],
        [{ sha2, contentType: 'application/octet-stream', content }],
      );
      const found = await store().statements.findAttachments([sha2, 'f'.repeat(64)]);
      expect(found).toHaveLength(1);
      expect(found[0]?.sha2).toBe(sha2);
      expect(found[0]?.contentType).toBe('application/octet-stream');
      expect(Buffer.from(found[0]?.content ?? Buffer.alloc(0)).equals(content)).toBe(true);
      expect(await store().statements.findAttachments([])).toEqual([]);
    });
  });

  describe('concurrency and consistency', () => {
    it('loses nothing when many inserts run at once', async () => {
      const before = await store().statements.countStatements();
      const verb = `http://example.com/verbs/${unique()}`;
      const batches = Array.from({ length: 20 }, () => statements(5, { verb }));
      await Promise.all(batches.map((b) => store().statements.insertStatements(b, [])));
      const ids = batches.flatMap(idsOf);
      const found = await store().statements.findStatementsByIds(ids);
      expect(found).toHaveLength(100);
      expect(new Set(found.map((f) => f.seq)).size).toBe(100);
      expect(await store().statements.countStatements()).toBe(before + 100);
      const page = await store().statements.findStatements({ allRefs: [verbKey(verb)], ascending: true, limit: 200 });
      expect(page.statements).toHaveLength(100);
    });

    it('fails only the conflicting batch among batches inserted at the same time', async () => {
      const existing = statement();
      await store().statements.insertStatements([existing], []);
      const good1 = statements(3);
      const bad = [statement(), statement({ id: existing.id })];
      const good2 = statements(3);
      const results = await Promise.allSettled([
        store().statements.insertStatements(good1, []),
        store().statements.insertStatements(bad, []),
        store().statements.insertStatements(good2, []),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(results[1]).toMatchObject({ reason: { code: 'conflict' } });
      const found = await store().statements.findStatementsByIds([...idsOf(good1), ...idsOf(bad), ...idsOf(good2)]);
      expect(idsOf(found).sort()).toEqual([...idsOf(good1), existing.id, ...idsOf(good2)].sort());
      expect(found.find((f) => f.id === existing.id)?.statement).toEqual(existing.statement);
    });

    it('reports a consistent-through time at or after the stored time of a finished insert', async () => {
      const s = statement({ stored: nextStored() });
      await store().statements.insertStatements([s], []);
      const [stored] = await store().statements.findStatementsByIds([s.id]);
      const through = await store().statements.findConsistentThrough();
      expect(Number.isNaN(Date.parse(through))).toBe(false);
      expect(Date.parse(through)).toBeGreaterThanOrEqual(Date.parse(stored?.stored ?? ''));
    });
  });
}
