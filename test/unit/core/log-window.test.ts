import { entryEvents, eventsOf } from '../../../src/pipeline/events';
import { LogWindow, type LogPage } from '../../../src/pipeline/log-window';
import type { LogAppend, LogEntry, Store } from '../../../src/store/ports';

/** A log in memory: entries with gaps in seq (rolled back or erased seqs), and a horizon the test moves. */
function fakeLog() {
  const entries: LogEntry[] = [];
  const state = { horizon: 0, reads: 0, horizonReads: 0 };
  const entry = (seq: number): LogEntry => ({
    statement: { id: `id-${seq}`, seq, stored: new Date(seq * 1000).toISOString(), voided: false, statement: { n: seq } },
    orgIds: [],
  });
  const findLog = ({ afterSeq, upToSeq, limit }: { afterSeq: number; upToSeq: number; limit: number }): LogEntry[] =>
    entries.filter((e) => e.statement.seq > afterSeq && e.statement.seq <= upToSeq).slice(0, limit);
  const store = {
    statements: {
      findVisibleSeq: async () => {
        state.horizonReads++;
        return state.horizon;
      },
    },
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

/** A page's shared events are its entries' events, built from the very entry objects it holds. */
function expectEventsOfEntries(page: LogPage): void {
  if (page.events === undefined) return;
  expect(page.events).toHaveLength(page.entries.length);
  expect(page.events).toEqual(page.entries.map((e) => entryEvents(e)));
  page.events.forEach((evs, i) => expect(evs[0]!.kind === 'stored' && evs[0]!.statement).toBe(page.entries[i]!.statement));
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
      const page = await window.page(r.seq, r.limit);
      // A short page is complete up to its horizon: the current one, or the window's top when the
      // window already held entries after the cursor (never above the current one, and ahead of
      // the cursor whenever the log is).
      expect(page.horizon).toBeLessThanOrEqual(log.state.horizon);
      if (log.state.horizon > r.seq) expect(page.horizon).toBeGreaterThan(r.seq);
      const upTo = page.entries.length < r.limit ? page.horizon : log.state.horizon;
      const expected = log.findLog({ afterSeq: r.seq, upToSeq: upTo, limit: r.limit });
      expect(page.entries.map((e) => e.statement.seq)).toEqual(expected.map((e) => e.statement.seq));
      expectEventsOfEntries(page);
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

  it('serves a page inside the window without asking for the horizon; at its top it asks', async () => {
    const log = fakeLog();
    const window = new LogWindow(log.store);
    log.grow(20);
    await window.page(0, 500);
    log.grow(30);
    const asked = log.state.horizonReads;
    // A runner behind the window's top (20): served from it, up to its top.
    const page = await window.page(7, 500);
    expect(page.entries.map((e) => e.statement.seq)).toEqual([8, 10, 11, 13, 14, 16, 17, 19, 20]);
    expect(page.horizon).toBe(20);
    expect(log.state.horizonReads).toBe(asked);
    // At the top: the horizon is read and the window extended.
    const next = await window.page(20, 500);
    expect(next.entries.map((e) => e.statement.seq)).toEqual([22, 23, 25, 26, 28, 29]);
    expect(next.horizon).toBe(30);
    expect(log.state.horizonReads).toBe(asked + 1);
  });

  it('takes appended commits that extend it (or replace it when ahead), marks voidings, and ignores overlaps', async () => {
    const log = fakeLog();
    const window = new LogWindow(log.store);
    log.grow(10);
    await window.page(0, 500);
    const reads = log.state.reads;
    const made = (seqs: number[]): LogEntry[] => seqs.map((seq) => ({ statement: { id: `id-${seq}`, seq, stored: '', voided: false, statement: {} }, orgIds: ['o'] }));
    // Extends the window (10 -> 13): a runner at 10 is served without reading the log.
    window.append({ afterSeq: 10, upToSeq: 13, entries: made([11, 13]), voidedSeqs: [4] });
    log.state.horizon = 13;
    const page = await window.page(10, 500);
    expect(page.entries.map((e) => e.statement.id)).toEqual(['id-11', 'id-13']);
    expect(log.state.reads).toBe(reads);
    // The voided entry is a voided copy; the others are left as they were.
    const oldPage = await window.page(0, 500);
    const old = oldPage.entries;
    expect(old.find((e) => e.statement.seq === 4)!.statement.voided).toBe(true);
    // Its shared event carries the voided copy too.
    expect(oldPage.events).toBeDefined();
    expectEventsOfEntries(oldPage);
    expect(old.find((e) => e.statement.seq === 5)!.statement.voided).toBe(false);
    // An append that overlaps the top is ignored; one ahead (a gap: another writer) replaces the window.
    window.append({ afterSeq: 12, upToSeq: 14, entries: made([14]), voidedSeqs: [] });
    expect((await window.page(10, 500)).entries.map((e) => e.statement.seq)).toEqual([11, 13]);
    window.append({ afterSeq: 20, upToSeq: 21, entries: made([21]), voidedSeqs: [] });
    log.state.horizon = 21;
    expect((await window.page(20, 500)).entries.map((e) => e.statement.id)).toEqual(['id-21']);
    expect(log.state.reads).toBe(reads);
    // A runner in the gap reads the store.
    log.grow(21);
    await window.page(13, 500);
    expect(log.state.reads).toBe(reads + 1);
    // After clear() (an erasure), an append starts the window again.
    window.clear();
    window.append({ afterSeq: 21, upToSeq: 22, entries: made([22]), voidedSeqs: [] });
    log.state.horizon = 22;
    expect((await window.page(21, 500)).entries.map((e) => e.statement.id)).toEqual(['id-22']);
    expect(log.state.reads).toBe(reads + 1);
  });

  it('at the top of a fed window, waits for the feed instead of reading what the writer just committed', async () => {
    const log = fakeLog();
    let listener: ((a: LogAppend) => void) | undefined;
    const store = { ...log.store, pipeline: { ...log.store.pipeline, watchAppends: (l: (a: LogAppend) => void) => ((listener = l), () => (listener = undefined)) } } as Store;
    const window = new LogWindow(store);
    const stop = window.watch();
    log.grow(10);
    await window.page(0, 500);
    // Committed (the horizon moved) but not handed over yet: a runner woken by something else
    // gets nothing rather than reading it back; the feed then serves it.
    log.grow(14);
    const asked = log.state.horizonReads;
    const reads = log.state.reads;
    expect(await window.page(10, 500, false)).toEqual({ horizon: 10, entries: [] });
    expect(log.state.horizonReads).toBe(asked);
    listener!({ afterSeq: 10, upToSeq: 14, entries: log.findLog({ afterSeq: 10, upToSeq: 14, limit: 500 }), voidedSeqs: [] });
    expect((await window.page(10, 500, false)).entries.map((e) => e.statement.seq)).toEqual([11, 13, 14]);
    // The runners' periodic look reads the store's horizon (another process's commits).
    log.grow(16);
    expect((await window.page(14, 500, true)).entries.map((e) => e.statement.seq)).toEqual([16]);
    expect(log.state.reads).toBe(reads + 1);
    // A commit this process reported that never came (its feed was dropped) is read from the store.
    log.grow(17);
    window.stored(17);
    expect((await window.page(16, 500, false)).entries.map((e) => e.statement.seq)).toEqual([17]);
    expect(log.state.reads).toBe(reads + 2);
    // Not fed any more: the top is read again.
    stop();
    expect(listener).toBeUndefined();
    log.grow(19);
    expect((await window.page(17, 500, false)).entries.map((e) => e.statement.seq)).toEqual([19]);
  });
});

describe('eventsOf (src/pipeline/events.ts)', () => {
  const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';
  const entry = (seq: number, voids?: string): LogEntry => ({
    statement: {
      id: `id-${seq}`, seq, stored: '', voided: false,
      statement: voids ? { verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: voids.toUpperCase() } } : { n: seq },
    },
    orgIds: ['o'],
  });

  it('gives a voiding statement its stored and voided events, keeps both in one batch, and takes shared events as given', () => {
    const entries = [entry(1), entry(2, 'abc'), entry(3)];
    const fresh = eventsOf(entries, 500);
    expect(fresh.events.map((e) => [e.kind, e.seq])).toEqual([['stored', 1], ['stored', 2], ['voided', 2], ['stored', 3]]);
    expect(fresh.events[2]).toEqual({ kind: 'voided', seq: 2, voidedId: 'abc', voidingId: 'id-2' });
    // A limit that would split a voiding statement's two events ends the batch before it.
    expect(eventsOf(entries, 2)).toMatchObject({ entries: 1 });
    expect(eventsOf(entries, 1).events).toHaveLength(1);
    // The first entry's events always come whole, even above the limit.
    expect(eventsOf(entries.slice(1), 1)).toMatchObject({ entries: 1, events: [{ kind: 'stored' }, { kind: 'voided' }] });
    // Events built once (as the window does) are handed out as they are, the same objects.
    const built = entries.map((e) => entryEvents(e));
    const shared = eventsOf(entries, 500, built);
    expect(shared.events).toEqual(fresh.events);
    expect(shared.events[0]).toBe(built[0]![0]);
  });
});
