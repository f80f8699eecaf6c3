import { statements, unique, useStore, verbKey, type OpenStore } from './builders';

/**
 * findVisibleSeq under concurrent writers, as the statement pipeline uses it: a reader that
 * follows the log in seq order and never passes the horizon sees every statement exactly once,
 * even while batches commit out of seq order. (Several instances of one MongoDB store: the
 * multi-instance suites in test/store/mongo-scale-out.test.ts and test/e2e/scale-out.test.ts.)
 */
export function visibleSeqMultiContract(open: OpenStore): void {
  describe('visibility horizon under concurrent writers', () => {
    const store = useStore(open);

    it('never decreases, and covers every batch once its insert has returned', async () => {
      const s = store().statements;
      const seen: number[] = [await s.findVisibleSeq()];
      const verb = `http://example.com/verbs/${unique('h')}`;
      const writes = Array.from({ length: 12 }, (_, i) => statements(1 + (i % 4), { verb }));
      let polling = true;
      const poller = (async () => {
        while (polling) {
          seen.push(await s.findVisibleSeq());
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
      await Promise.all(
        writes.map(async (batch) => {
          await s.insertStatements(batch, []);
          const stored = await s.findStatementsByIds(batch.map((b) => b.id));
          const horizon = await s.findVisibleSeq();
          for (const row of stored) expect(row.seq).toBeLessThanOrEqual(horizon);
        }),
      );
      polling = false;
      await poller;
      seen.push(await s.findVisibleSeq());
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] ?? 0);
    });

    it('lets a reader that stops at the horizon see every statement once, in seq order, while writes go on', async () => {
      const s = store().statements;
      const verb = `http://example.com/verbs/${unique('log')}`;
      const batches = Array.from({ length: 16 }, (_, i) => statements(1 + (i % 5), { verb }));
      const expected = new Set(batches.flat().map((b) => b.id));
      const read: { id: string; seq: number }[] = [];
      let cursor = 0;
      const readUpToHorizon = async (): Promise<void> => {
        const horizon = await s.findVisibleSeq();
        for (;;) {
          const page = await s.findStatements({ allRefs: [verbKey(verb)], ascending: true, limit: 7, afterSeq: cursor });
          const upTo = page.statements.filter((r) => r.seq <= horizon);
          read.push(...upTo.map((r) => ({ id: r.id, seq: r.seq })));
          const last = upTo[upTo.length - 1];
          if (upTo.length < page.statements.length || page.nextAfterSeq === undefined) {
            // Everything at or below the horizon is there: nothing can appear below it later.
            cursor = Math.max(cursor, horizon);
            return;
          }
          cursor = last ? last.seq : horizon;
        }
      };
      let writing = true;
      const reader = (async () => {
        while (writing) {
          await readUpToHorizon();
          await new Promise((r) => setTimeout(r, 3));
        }
      })();
      await Promise.all(batches.map((batch, i) => new Promise((r) => setTimeout(r, i * 3)).then(() => s.insertStatements(batch, []))));
      writing = false;
      await reader;
      await readUpToHorizon();

      const ids = read.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(expected);
      for (let i = 1; i < read.length; i++) expect(read[i]?.seq).toBeGreaterThan(read[i - 1]?.seq ?? 0);
    });
  });
}
