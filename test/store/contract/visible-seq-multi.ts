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

    it('never decreases, and every statement at or below it is visible when it is read', async () => {
      const s = store().statements;
      const verb = `http://example.com/verbs/${unique('h')}`;
      const writes = Array.from({ length: 12 }, (_, i) => statements(1 + (i % 4), { verb }));
      // Each sample: the horizon, then the statements of this test that are visible right after.
      const samples: { horizon: number; visible: Set<string> }[] = [];
      const sample = async (): Promise<void> => {
        const horizon = await s.findVisibleSeq();
        const page = await s.findStatements({ allRefs: [verbKey(verb)], ascending: true, limit: 100 });
        samples.push({ horizon, visible: new Set(page.statements.map((r) => r.id)) });
      };
      let polling = true;
      const poller = (async () => {
        while (polling) {
          await sample();
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
      try {
        await Promise.all(writes.map((batch) => s.insertStatements(batch, [])));
      } finally {
        polling = false;
        await poller;
      }
      // Nothing is in flight any more: the horizon covers every statement of the test.
      await sample();
      const rows = await s.findStatementsByIds(writes.flat().map((b) => b.id));
      expect(samples[samples.length - 1]!.horizon).toBeGreaterThanOrEqual(Math.max(...rows.map((r) => r.seq)));
      for (let i = 1; i < samples.length; i++) expect(samples[i]!.horizon).toBeGreaterThanOrEqual(samples[i - 1]!.horizon);
      // A statement at or below a horizon was already visible when that horizon was read.
      for (const { horizon, visible } of samples) {
        for (const r of rows) if (r.seq <= horizon) expect(visible.has(r.id)).toBe(true);
      }
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
