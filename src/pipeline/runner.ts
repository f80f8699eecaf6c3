/**
 * One subscriber following the log: lease, cursor, batches, retries. A runner never waits for
 * another, so a slow or failing subscriber holds back only itself.
 */
import type { Logger } from '../logger';
import type { Store } from '../store/ports';
import { eventsOf } from './events';
import type { LogPage, LogWindow } from './log-window';
import type { PipelineEvent, Subscriber } from './types';

/** Timing of runners (ms). */
export interface RunnerTiming {
  /** A lease lasts this long; the holder renews it every third of it. */
  readonly leaseMs: number;
  /** Idle runners look for other instances' statements, rebuild requests and erasures this often. */
  readonly pollMs: number;
  /** First retry delay after a failure; doubles per failure in a row up to maxBackoffMs. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** Events per batch when the subscriber names none. */
  readonly batchSize: number;
}

/**
 * Cursor writes of one runner are at least this far apart (ms). A write waiting for a
 * read-your-writes subscriber whose lease another instance holds polls its stored cursor, so those
 * write often; the others less (each write is a commit: at 50 ms, six runners made ~120 a second,
 * 24 us per statement at batch 1). A crash repeats at most that much (subscribers are idempotent).
 */
const PERSIST_MS = 50;
const LAZY_PERSIST_MS = 250;

/** The next page, read while the current batch is in flight (a full page was just read). */
interface Prefetch {
  readonly afterSeq: number;
  readonly limit: number;
  readonly page: Promise<Page>;
}

type Page = LogPage;

interface Waiter {
  readonly seq: number;
  readonly resolve: () => void;
}

export class Runner {
  /** The cursor as this holder knows it; undefined while it holds no lease. */
  seq: number | undefined;
  holding = false;
  failures = 0;
  private stopped = false;
  private woken = false;
  private wake: (() => void) | undefined;
  private nextRenew = 0;
  private nextLook = 0;
  /** A pending erasure is newer than the cursor: it is told once the log reaches it. */
  private erasureWaiting = false;
  private waiters: Waiter[] = [];
  private loop: Promise<void> | undefined;
  /** Cursor writes: at most one per PERSIST_MS (LAZY_PERSIST_MS); the latest seq not yet written waits in `unsaved`. */
  private savedAt = 0;
  private unsaved: number | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private prefetch: Prefetch | undefined;
  /** After a rebuild request: pages below this seq are read from the store, not the shared window. */
  private freshBelow: number | undefined;

  constructor(
    readonly sub: Subscriber,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly instance: string,
    private readonly t: RunnerTiming,
    /** The log as this process's runners share it (log-window.ts). */
    private readonly log: LogWindow,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** New statements (or an erasure, or a rebuild request) may be there: run now. */
  notify(look = false): void {
    if (look) {
      this.nextLook = 0;
      // An erasure or a rebuild may have changed what the page read ahead holds.
      this.dropPrefetch();
    }
    this.woken = true;
    this.wake?.();
  }

  /** Resolves once this holder's cursor is at or past `seq`, or at once when it cannot promise that. */
  reached(seq: number): Promise<void> | undefined {
    if (!this.holding || this.seq === undefined || this.failures > 0) return undefined;
    if (this.seq >= seq) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.save().catch(() => undefined);
    this.release();
    if (this.holding) {
      this.holding = false;
      await this.store.pipeline.releaseLease(this.sub.name, this.instance).catch(() => undefined);
    }
  }

  private release(upTo = Number.POSITIVE_INFINITY): void {
    const keep: Waiter[] = [];
    for (const w of this.waiters) (w.seq <= upTo ? w.resolve() : keep.push(w));
    this.waiters = keep;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let busy = false;
      try {
        busy = await this.step();
      } catch (err) {
        await this.failed(err);
        continue;
      }
      if (!busy && !this.stopped) await this.sleep(this.t.pollMs);
    }
  }

  private dropPrefetch(): void {
    // A read ahead that failed is read again by the next step; its rejection is not an error here.
    this.prefetch?.page.catch(() => undefined);
    this.prefetch = undefined;
  }

  private async failed(err: unknown): Promise<void> {
    this.failures++;
    this.dropPrefetch();
    // Waiters are answered: a failing subscriber must not hold HTTP answers.
    this.release();
    const message = err instanceof Error ? err.message : String(err);
    this.logger.error({ err, subscriber: this.sub.name, failures: this.failures }, 'pipeline: subscriber failed; retrying');
    if (!this.stopped) {
      await this.store.pipeline.recordCursorError(this.sub.name, { message, at: new Date().toISOString() }).catch(async (e: unknown) => {
        // The store went away (closed at shutdown or in a test): stop quietly.
        if (await this.store.ping().then(() => false, () => true)) this.stopped = true;
        else this.logger.warn({ err: e, subscriber: this.sub.name }, 'pipeline: could not record a failure');
      });
    }
    const delay = Math.min(this.t.maxBackoffMs, this.t.backoffMs * 2 ** Math.min(20, this.failures - 1));
    if (!this.stopped) await this.sleep(delay, true);
  }

  private sleep(ms: number, ignoreNotify = false): Promise<void> {
    if (this.woken && !ignoreNotify) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        if (ignoreNotify && !this.stopped) return;
        this.wake = undefined;
        this.woken = false;
        done();
      };
    });
  }

  /** One round; true when it did work (another round follows at once). */
  private async step(): Promise<boolean> {
    const p = this.store.pipeline;
    const name = this.sub.name;
    const now = Date.now();
    if (now >= this.nextRenew) {
      const held = await p.claimLease(name, this.instance, this.t.leaseMs);
      this.nextRenew = now + Math.floor(this.t.leaseMs / 3);
      if (held !== this.holding) this.logger.info({ subscriber: name, instance: this.instance, held }, held ? 'pipeline: lease taken' : 'pipeline: lease lost');
      this.holding = held;
      if (!held) {
        this.seq = undefined;
        this.dropPrefetch();
        this.release();
        return false;
      }
    }
    if (!this.holding) return false;

    // A look also reads the store's horizon rather than trusting the fed window (log-window.ts).
    const look = this.seq === undefined || now >= this.nextLook;
    if (this.seq === undefined || look) {
      this.nextLook = now + this.t.pollMs;
      const cursor = await p.findCursor(name);
      if (cursor?.rebuildRequestedAt !== undefined) {
        this.logger.info({ subscriber: name }, 'pipeline: rebuilding from seq 0');
        // A deferred cursor write must not land after the reset (it only ever moves the cursor up).
        clearTimeout(this.saveTimer);
        this.saveTimer = undefined;
        this.unsaved = undefined;
        this.dropPrefetch();
        await this.saving;
        await this.sub.reset?.();
        await p.updateCursor(name, { seq: 0, at: new Date().toISOString(), reset: true });
        this.freshBelow = await this.store.statements.findVisibleSeq();
        this.seq = 0;
        this.failures = 0;
        return true;
      }
      this.seq = Math.max(this.seq ?? 0, cursor?.seq ?? 0);
      // An erasure is told once the statements stored before it (seq <= its seq) were handled, so
      // a projection never receives a person's earlier statement after their erasure.
      const pending = await p.findPendingErasures(name, 100);
      const erasures = pending.filter((e) => e.seq <= (this.seq ?? 0));
      this.erasureWaiting = erasures.length < pending.length;
      if (erasures.length > 0) {
        this.dropPrefetch();
        await this.handle(erasures.map((e): PipelineEvent => ({ kind: 'erased', seq: e.seq, userId: e.userId })));
        for (const e of erasures) await p.markErasureDone(e.id, name);
        return true;
      }
    }
    const from = this.seq;
    const limit = this.sub.batchSize ?? this.t.batchSize;
    const ahead = this.prefetch;
    this.prefetch = undefined;
    // A page read while the previous batch was in flight: everything at or below its horizon was
    // visible then and still is (ADR 0016), so it is as good as a page read now.
    const { horizon, entries, events: built } = ahead && ahead.afterSeq === from && ahead.limit === limit ? await ahead.page : await this.read(from, limit, look);
    if (horizon <= from) {
      this.release(from);
      return false;
    }
    // Pages from the shared window come with their entries' events (built once for all runners).
    const { events, entries: used } = eventsOf(entries, limit, built);
    // A short page reached the horizon: nothing can appear at or below it later (ADR 0016).
    const cut = used === entries.length && entries.length < limit ? horizon : entries[used - 1]!.statement.seq;
    if (events.length > 0) {
      const handled = this.handle(events);
      // More is waiting: read the next page while this batch is handled (a target's round trip,
      // a projection's writes). Dropped on failure, rebuild, erasure or a lost lease.
      if (cut < horizon) {
        const page = this.read(cut, limit, false);
        page.catch(() => undefined);
        this.prefetch = { afterSeq: cut, limit, page };
      }
      await handled;
    }
    const to = cut;
    // After a failure the cursor is written at once (it clears the recorded error).
    if (this.failures > 0) {
      this.unsaved = to;
      await this.save();
      this.logger.info({ subscriber: name }, 'pipeline: subscriber recovered');
    } else {
      await this.persist(to);
    }
    this.failures = 0;
    this.seq = to;
    this.release(to);
    // An erasure waited for this batch: look again at once.
    if (this.erasureWaiting) this.nextLook = 0;
    return true;
  }

  private read(afterSeq: number, limit: number, fresh: boolean): Promise<Page> {
    // A rebuild reads the log as it is now up to the horizon it started at: the shared window may
    // hold entries read before a voiding or erasure that the rebuild must not replay.
    if (this.freshBelow !== undefined && afterSeq < this.freshBelow) return this.log.pageNow(afterSeq, limit);
    this.freshBelow = undefined;
    return this.log.page(afterSeq, limit, fresh);
  }

  /** Writes the cursor now when the last write is PERSIST_MS (LAZY_PERSIST_MS) old, else soon (at least once, so a crash repeats at most that much). */
  private async persist(seq: number): Promise<void> {
    this.unsaved = seq;
    const every = this.sub.readYourWrites === undefined || this.sub.readYourWrites === false ? LAZY_PERSIST_MS : PERSIST_MS;
    if (Date.now() - this.savedAt >= every) return this.save();
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      this.save().catch((err: unknown) => this.logger.warn({ err, subscriber: this.sub.name }, 'pipeline: could not write the cursor'));
    }, every);
    this.saveTimer.unref();
  }

  private save(): Promise<void> {
    const seq = this.unsaved;
    if (seq === undefined) return this.saving;
    this.unsaved = undefined;
    this.savedAt = Date.now();
    const write = this.saving.catch(() => undefined).then(() => this.store.pipeline.updateCursor(this.sub.name, { seq, at: new Date().toISOString() }));
    this.saving = write.catch(() => undefined);
    return write;
  }

  private handle(events: readonly PipelineEvent[]): Promise<void> {
    return this.sub.handle(events);
  }
}
