import { LogWindow } from '../../../src/pipeline/log-window';
import type { LogEntry, Store } from '../../../src/store/ports';

/** A log in memory: entries with gaps in seq (rolled back or erased seqs), and a horizon the test moves. */
function fakeLog() {
  const entries: LogEntry[] = [];
  const state = { horizon: 0, reads: 0 };
  const entry = (seq: number): LogEntry => ({
    statement: { id: `id-${seq}`, seq, stored: new Date(seq * 1000).toISOString(), voided: false, statement: { n: seq } },
    orgIds: [],
  });
  const findLog = ({ afterSeq, upToSeq, limit }: { afterSeq: number; upToSeq: number; limit: number }): LogEntry[] =>
    entries.filter((e) => e.statement.seq > afterSeq && e.statement.seq <= upToSeq).slice(0, limit);
  const store = {
    statements: { findVisibleSeq: async () => state.horizon },
    pipeline: {
      findLog: async (q: { afterSeq: number; upToSeq: number; limit: number }) => {
        state.reads++;
        return findLog(q);
      },
    },
  } as unknown as Store;
  /** Stores seqs up to `top` (every third one missing) and makes them visible. */
  const grow = (top: number): void => {
    for (let s = (entries.at(-1)?.statement.seq ?? 0) + 1; s <= top; s++) if (s % 3 !== 0) entries.push(entry(s));
    state.horizon = top;
  };
  return { store, state, grow, findLog };
}

describe('the log window shared by the runners (src/pipeline/log-window.ts)', () => {
  it('gives every runner the page it would read from the store, whatever their cursors and limits', async () => {
    const log = fakeLog();
    const window = new LogWindow(log.store, 50);
    // Runners at different places, with different batch sizes; the log grows between rounds.
    const runners = [
      { seq: 0, limit: 10 },
      { seq: 0, limit: 500 },
      { seq: 0, limit: 7 },
      { seq: 0, limit: 64 },
    ];
    let random = 12345;
    const next = (n: number): number => {
      random = (random * 1103515245 + 12345) % 2147483648;
      return random % n;
    };
    for (let round = 0; round < 400; round++) {
      if (next(3) === 0) log.grow(log.state.horizon + 1 + next(40));
      const r = runners[next(runners.length)]!;
      // Now and then a runner starts again from zero (a rebuild).
      if (next(50) === 0) r.seq = 0;
      const expected = log.findLog({ afterSeq: r.seq, upToSeq: log.state.horizon, limit: r.limit });
      const page = await window.page(r.seq, r.limit);
      expect(page.entries.map((e) => e.statement.seq)).toEqual(expected.map((e) => e.statement.seq));
      if (page.entries.length < r.limit) expect(page.horizon).toBe(log.state.horizon);
      // The runner moves to the end of what it was given (as runner.ts cuts a page).
      r.seq = page.entries.length < r.limit ? page.horizon : page.entries.at(-1)!.statement.seq;
    }
  });

  it('reads the head of the log once for runners that wake together', async () => {
    const log = fakeLog();
    const window = new LogWindow(log.store);
    log.grow(10);
    await window.page(0, 500);
    expect(log.state.reads).toBe(1);
    log.grow(12);
    const pages = await Promise.all([window.page(10, 500), window.page(10, 500), window.page(10, 100)]);
    expect(pages.map((p) => p.entries.map((e) => e.statement.seq))).toEqual([[11], [11], [11]]);
    expect(log.state.reads).toBe(2);
    // The parsed statement itself is shared, not read again.
    expect(pages[0]!.entries[0]).toBe(pages[1]!.entries[0]);
  });

  it('forgets its entries when cleared (an erasure), and reads them again from the store', async () => {
    const log = fakeLog();
    const window = new LogWindow(log.store);
    log.grow(5);
    await window.page(0, 500);
    window.clear();
    const page = await window.page(0, 500);
    expect(page.entries.map((e) => e.statement.seq)).toEqual([1, 2, 4, 5]);
    expect(log.state.reads).toBe(2);
  });
});
