import { randomUUID } from 'node:crypto';
import { statement, unique, useStore, type OpenStore } from './builders';

/** PipelineStore contract (issue 13): the log, cursors, leases, erasures. */
export function pipelineContract(open: OpenStore): void {
  describe('pipeline', () => {
    const store = useStore(open);
    const at = (): string => new Date().toISOString();

    it('reads the log in seq order, voided statements included, with their organizations', async () => {
      const orgA = unique('orgA');
      const orgB = unique('orgB');
      const first = { ...statement(), refs: [...statement().refs, `g|${orgA}`] };
      const target = statement();
      const both = { ...target, refs: [...target.refs, `g|${orgB}`, `g|${orgA}`] };
      const voiding = statement({ voids: target.id });
      const res = await store().statements.insertStatements([first, both, voiding], []);
      expect(res.lastSeq).toBeDefined();
      const [a, b, c] = await store().statements.findStatementsByIds([first.id, both.id, voiding.id]).then((l) =>
        [first.id, both.id, voiding.id].map((id) => l.find((s) => s.id === id)!));
      expect(res.lastSeq).toBe(c!.seq);
      const log = await store().pipeline.findLog({ afterSeq: a!.seq - 1, upToSeq: c!.seq, limit: 10 });
      expect(log.map((e) => e.statement.id)).toEqual([first.id, both.id, voiding.id]);
      expect(log.map((e) => e.orgIds)).toEqual([[orgA], [orgA, orgB].sort(), []]);
      expect(log[1]!.statement.voided).toBe(true);
      expect(log[1]!.statement.statement['id']).toBe(both.id);
      // Bounds: afterSeq exclusive, upToSeq inclusive, limit.
      expect((await store().pipeline.findLog({ afterSeq: a!.seq, upToSeq: c!.seq, limit: 1 })).map((e) => e.statement.id)).toEqual([both.id]);
      expect(await store().pipeline.findLog({ afterSeq: c!.seq, upToSeq: c!.seq, limit: 10 })).toEqual([]);
      expect((await store().pipeline.findLog({ afterSeq: a!.seq - 1, upToSeq: b!.seq, limit: 10 })).length).toBe(2);
    });

    it('keeps a cursor that never moves back but on reset, with the last error until a success', async () => {
      const name = unique('sub');
      expect(await store().pipeline.findCursor(name)).toBeUndefined();
      await store().pipeline.updateCursor(name, { seq: 10, at: at() });
      expect(await store().pipeline.findCursor(name)).toMatchObject({ name, seq: 10, failures: 0 });
      await store().pipeline.updateCursor(name, { seq: 4, at: at() });
      expect((await store().pipeline.findCursor(name))!.seq).toBe(10);
      await store().pipeline.recordCursorError(name, { message: 'boom', at: '2026-01-01T00:00:00.000Z' });
      await store().pipeline.recordCursorError(name, { message: 'boom again', at: '2026-01-01T00:00:01.000Z' });
      expect(await store().pipeline.findCursor(name)).toMatchObject({ seq: 10, failures: 2, lastError: 'boom again', lastErrorAt: '2026-01-01T00:00:01.000Z' });
      await store().pipeline.updateCursor(name, { seq: 12, at: at() });
      const ok = (await store().pipeline.findCursor(name))!;
      expect(ok).toMatchObject({ seq: 12, failures: 0 });
      expect(ok.lastError).toBeUndefined();
      await store().pipeline.requestRebuild(name, '2026-01-02T00:00:00.000Z');
      expect((await store().pipeline.findCursor(name))!.rebuildRequestedAt).toBe('2026-01-02T00:00:00.000Z');
      await store().pipeline.updateCursor(name, { seq: 0, at: at(), reset: true });
      const reset = (await store().pipeline.findCursor(name))!;
      expect(reset.seq).toBe(0);
      expect(reset.rebuildRequestedAt).toBeUndefined();
      expect((await store().pipeline.findCursors()).map((c) => c.name)).toContain(name);
    });

    it('gives a lease to one holder at a time, and to another once it expired', async () => {
      const name = unique('sub');
      const [x, y] = await Promise.all([store().pipeline.claimLease(name, 'a', 60_000), store().pipeline.claimLease(name, 'b', 60_000)]);
      expect([x, y].filter(Boolean)).toHaveLength(1);
      const holder = x ? 'a' : 'b';
      const other = x ? 'b' : 'a';
      expect(await store().pipeline.claimLease(name, holder, 60_000)).toBe(true);
      expect(await store().pipeline.claimLease(name, other, 60_000)).toBe(false);
      expect((await store().pipeline.findCursor(name))!.holder).toBe(holder);
      // The holder stops renewing: a short lease expires and the other takes it over.
      expect(await store().pipeline.claimLease(name, holder, 1)).toBe(true);
      await new Promise((r) => setTimeout(r, 30));
      expect(await store().pipeline.claimLease(name, other, 60_000)).toBe(true);
      expect(await store().pipeline.claimLease(name, holder, 60_000)).toBe(false);
      await store().pipeline.releaseLease(name, holder); // not the holder: no-op
      expect(await store().pipeline.claimLease(name, holder, 60_000)).toBe(false);
      await store().pipeline.releaseLease(name, other);
      expect(await store().pipeline.claimLease(name, holder, 60_000)).toBe(true);
    });

    it('tells each subscriber of each erasure once', async () => {
      const s1 = unique('sub');
      const s2 = unique('sub');
      const e = { id: randomUUID(), userId: unique('user'), seq: 7, at: at() };
      await store().pipeline.insertErasure(e);
      await store().pipeline.insertErasure(e);
      const mine = (list: { id: string }[]): { id: string }[] => list.filter((x) => x.id === e.id);
      expect(mine(await store().pipeline.findPendingErasures(s1, 1000))).toEqual([e]);
      await store().pipeline.markErasureDone(e.id, s1);
      await store().pipeline.markErasureDone(e.id, s1);
      expect(mine(await store().pipeline.findPendingErasures(s1, 1000))).toEqual([]);
      expect(mine(await store().pipeline.findPendingErasures(s2, 1000))).toEqual([e]);
    });
  });
}
