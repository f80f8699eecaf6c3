/**
 * The log as the runners of one process read it: one shared window of recently read entries, so
 * that the subscribers following the head of the log (all of them, when they keep up) read and
 * parse each statement once between them instead of once each. Measured on bench/ingest at
 * batch 1: six runners each reading the log made the pipeline cost more server CPU than the rest
 * of the write path together.
 *
 * Why a shared page is as good as a page read now: the window holds, for a seq range
 * (from, to], every entry of the log at or below a visibility horizon read before it (ADR 0016:
 * nothing appears at or below the horizon later). The only changes an entry can see after that
 * are its voiding and its person's erasure, and both reach every subscriber later in the log, as
 * events after the entry (a voided event at the voiding statement's seq; an erasure once the
 * cursor reaches the horizon it was recorded at). A runner served from the window behaves as if it
 * had read the entry just before the change, which it could have. Erasure still clears the
 * window, so no erased person's statement stays in memory.
 *
 * Entries are shared between subscribers: they are read-only (see Subscriber.handle).
 */
import type { LogAppend, LogEntry, Store } from '../store/ports';
import { entryEvents } from './events';
import type { PipelineEvent } from './types';

/** A page of the log and the seq up to which it is complete when shorter than asked. */
export interface LogPage {
  readonly horizon: number;
  readonly entries: readonly LogEntry[];
  /**
   * The events of each entry (entryEvents), when the page comes from the window: built once when
   * the entry came in, shared by every runner (read-only, as the entries).
   */
  readonly events?: readonly (readonly PipelineEvent[])[];
}

/** Entries kept (a few batches of the default size; older ones are read from the store), up to a quarter more between trims. */
const WINDOW_ENTRIES = 2000;

export class LogWindow {
  /** Exclusive lower bound of the window; -1 while it holds nothing. */
  private from = -1;
  /** Inclusive upper bound: every log entry with from < seq <= to is in `entries`. */
  private to = -1;
  private entries: LogEntry[] = [];
  /** events[i]: the events of entries[i], built once for every runner (kept in step with `entries`). */
  private events: (readonly PipelineEvent[])[] = [];
  /** The read that extends the window, shared by the runners that need it. */
  private extending: Promise<void> | undefined;
  /** The store hands this process's commits over (watch()). */
  private fed = false;
  /** The highest seq this process said it stored (stored()). */
  private known = 0;

  constructor(
    private readonly store: Store,
    private readonly maxEntries = WINDOW_ENTRIES,
  ) {}

  /**
   * Up to `limit` entries after `afterSeq` in seq order, as Store.pipeline.findLog would give them
   * up to a visibility horizon: `horizon`, the seq the page is complete up to when it holds fewer
   * than `limit` entries. It is the current horizon, or when the window already holds entries
   * after `afterSeq`, the window's top (at or below the current horizon: a runner that reaches
   * it asks again, and then reads the horizon).
   */
  async page(afterSeq: number, limit: number, fresh = true): Promise<LogPage> {
    // Inside the window and below its top: served without reading the horizon first. The window
    // is complete up to `to`, which was at or below the horizon when it was read or committed, so
    // `to` is a horizon the page may answer with; a runner that reaches it asks again.
    if (afterSeq >= this.from && afterSeq < this.to) return { horizon: this.to, ...this.slice(afterSeq, limit) };
    // At the top of a window the store feeds: this process's commits come here as they commit (a
    // runner is woken after that), so unless the caller asks for the store's own horizon (`fresh`:
    // the runners' periodic look, for other processes' commits), or a commit this process made has
    // not come (stored()), there is nothing to read. Reading the horizon here would find a commit
    // of the writer thread before its feed arrives, and read it back instead of waiting for it.
    if (!fresh && this.fed && afterSeq === this.to && this.known <= this.to) return { horizon: this.to, entries: [] };
    const horizon = await this.store.statements.findVisibleSeq();
    if (horizon <= afterSeq) return { horizon, entries: [] };
    // The horizon read stays good while the window catches up with it (nothing appears at or
    // below it later), so it is read once per page.
    for (;;) {
      if (afterSeq < this.from || afterSeq > this.to) return this.direct(afterSeq, limit, horizon);
      const take = this.slice(afterSeq, limit);
      if (take.entries.length === limit) return { horizon: Math.max(horizon, this.to), ...take };
      if (this.to >= horizon) return { horizon: this.to, ...take };
      const ext = this.extending ?? (this.extending = this.extend(horizon).finally(() => (this.extending = undefined)));
      await ext;
    }
  }

  /**
   * The log as it is now, never from the window: for a rebuild, which must derive its projection
   * from the log as it stands (an entry the window read before its voiding would replay the
   * voided statement and then its voiding, the same end state but other side effects on the way,
   * such as statements a subscriber writes). The window is left as it is.
   */
  async pageNow(afterSeq: number, limit: number): Promise<LogPage> {
    const horizon = await this.store.statements.findVisibleSeq();
    if (horizon <= afterSeq) return { horizon, entries: [] };
    return { horizon, entries: await this.store.pipeline.findLog({ afterSeq, upToSeq: horizon, limit }) };
  }

  /**
   * Statements this process just committed (PipelineStore.watchAppends), taken without reading
   * them back: appended when they extend the window, or in its place when the window is empty or
   * behind them (the head moved on; a runner behind reads the gap from the store). An append that
   * ends at or below the window's top is already in it (read from the store after its commit).
   * Voidings of entries the window holds are applied to copies (entries are shared, read-only).
   */
  append(a: LogAppend): void {
    if (a.voidedSeqs.length > 0 && this.to >= 0) this.markVoided(a.voidedSeqs);
    if (a.upToSeq <= this.to) return;
    if (a.afterSeq === this.to) {
      // In place (pages given out are slices of their own): a copy of the whole window per
      // commit cost more than the rest of the feed at batch 1.
      for (const e of a.entries) {
        this.entries.push(e);
        this.events.push(entryEvents(e));
      }
    } else if (a.afterSeq > this.to) {
      this.from = a.afterSeq;
      this.entries = [...a.entries];
      this.events = this.entries.map(entryEvents);
    } else {
      // It overlaps the window's top (an append out of order): the window stays as it is.
      return;
    }
    this.to = a.upToSeq;
    this.trim();
  }

  /**
   * Takes this process's commits from the store as they happen, where the store offers them
   * (PipelineStore.watchAppends); returns the call that stops it.
   */
  watch(): () => void {
    const stop = this.store.pipeline.watchAppends?.((a) => this.append(a));
    if (!stop) return () => undefined;
    this.fed = true;
    return () => {
      this.fed = false;
      stop();
    };
  }

  /** This process stored statements up to `seq` (and told the pipeline): a page must reach it. */
  stored(seq: number): void {
    if (seq > this.known) this.known = seq;
  }

  /** Forgets every entry (after an erasure). */
  clear(): void {
    this.from = -1;
    this.to = -1;
    this.entries = [];
    this.events = [];
  }

  /** Entries after `afterSeq` (within the window), at most `limit`, with their events. */
  private slice(afterSeq: number, limit: number): { entries: LogEntry[]; events: (readonly PipelineEvent[])[] } {
    const lo = this.indexAfter(afterSeq);
    return { entries: this.entries.slice(lo, lo + limit), events: this.events.slice(lo, lo + limit) };
  }

  /** Index of the first entry with seq > afterSeq (binary search: entries are in seq order). */
  private indexAfter(afterSeq: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.statement.seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Reads what follows the window up to `horizon` (a page at most) and appends it. */
  private async extend(horizon: number): Promise<void> {
    const start = this.to;
    const got = await this.store.pipeline.findLog({ afterSeq: start, upToSeq: horizon, limit: this.maxEntries });
    // Cleared (or replaced) while reading: the read may hold what an erasure removed since.
    if (this.to !== start) return;
    this.entries = this.entries.concat(got);
    this.events = this.events.concat(got.map(entryEvents));
    this.to = got.length < this.maxEntries ? horizon : got[got.length - 1]!.statement.seq;
    this.trim();
  }

  /** A read outside the window; it becomes the window when it is ahead of it (the head moved on). */
  private async direct(afterSeq: number, limit: number, horizon: number): Promise<LogPage> {
    const before = this.to;
    const entries = await this.store.pipeline.findLog({ afterSeq, upToSeq: horizon, limit });
    const to = entries.length < limit ? horizon : entries[entries.length - 1]!.statement.seq;
    // A runner behind the window (a rebuild, a subscriber catching up) leaves it to the others.
    if (afterSeq > this.to && this.to === before) {
      this.from = afterSeq;
      this.to = to;
      this.entries = [...entries];
      this.events = this.entries.map(entryEvents);
      this.trim();
    }
    return { horizon, entries };
  }

  /** Replaces the entries at these seqs by voided copies. */
  private markVoided(seqs: readonly number[]): void {
    for (const seq of seqs) {
      if (seq <= this.from || seq > this.to) continue;
      const i = this.indexAfter(seq - 1);
      const e = this.entries[i];
      if (e === undefined || e.statement.seq !== seq || e.statement.voided) continue;
      // In place: pages already given out are slices of their own.
      const copy = { ...e, statement: { ...e.statement, voided: true } };
      this.entries[i] = copy;
      this.events[i] = entryEvents(copy);
    }
  }

  /** Drops the oldest entries past maxEntries, once a quarter more has piled up (not one copy per append). */
  private trim(): void {
    if (this.entries.length <= this.maxEntries + (this.maxEntries >> 2)) return;
    const extra = this.entries.length - this.maxEntries;
    this.from = this.entries[extra - 1]!.statement.seq;
    this.entries = this.entries.slice(extra);
    this.events = this.events.slice(extra);
  }
}
