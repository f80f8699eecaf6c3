/**
 * The statement pipeline (issue 13, docs/adr/0020-statement-pipeline.md): subscribers register by
 * name; each follows the log from its own cursor, on the one instance that holds its lease.
 * The LRS calls `afterStatementsStored` after every insert (through the XapiDeps port): runners
 * wake at once, and the request waits for the read-your-writes subscribers of this instance.
 */
import { randomUUID } from 'node:crypto';
import { badRequest } from '../errors';
import type { Logger } from '../logger';
import type { Store } from '../store/ports';
import { LogWindow } from './log-window';
import { Runner, type RunnerTiming } from './runner';
import type { Subscriber } from './types';

/** One subscriber's state for the status page. */
export interface SubscriberStatus {
  readonly name: string;
  readonly cursor: number;
  readonly horizon: number;
  /** Seqs between the cursor and the horizon (gaps count: an upper bound of statements). */
  readonly lagStatements: number;
  /** Age of the oldest statement not yet handled, seconds (0 when none). */
  readonly lagSeconds: number;
  readonly lastError?: string;
  readonly lastErrorAt?: string;
  readonly failures: number;
  readonly holder?: string;
  readonly rebuildRequestedAt?: string;
  /** Registered in this process (a cursor may outlive its subscriber). */
  readonly registered: boolean;
}

export interface PipelineOptions extends Partial<RunnerTiming> {
  readonly store: Store;
  readonly logger: Logger;
  /** This instance's name in leases (default: a random UUID). */
  readonly instance?: string;
  /** Longest a write waits for read-your-writes subscribers (ms, default 5000). */
  readonly waitMs?: number;
}

/** Idle poll of subscribers no request waits for (ms). */
const LAZY_POLL_MS = 1000;
/** Delay before waking those subscribers after a write (ms). */
const LAZY_WAKE_MS = 50;

/** Pipelines started in this process and not stopped yet (test harnesses stop them after a file). */
const RUNNING = new Set<Pipeline>();

/** Stops every pipeline of this process that is still running (waits at most `ms` for each). */
export async function stopAllPipelines(ms = 5000): Promise<void> {
  await Promise.all([...RUNNING].map((p) => Promise.race([p.stop(), new Promise<void>((r) => setTimeout(r, ms).unref())])));
}

export class Pipeline {
  readonly instance: string;
  private readonly runners = new Map<string, Runner>();
  private readonly timing: RunnerTiming;
  private started = false;
  private readonly waitMs: number;
  private lazyWake: NodeJS.Timeout | undefined;
  /** The runners read the log through one shared window (log-window.ts). */
  private readonly log: LogWindow;
  /** Stops the store's feed of committed statements into the window (while running). */
  private unwatch: (() => void) | undefined;

  constructor(private readonly o: PipelineOptions) {
    this.instance = o.instance ?? randomUUID();
    const mongo = o.store.engine === 'mongo';
    this.timing = {
      leaseMs: o.leaseMs ?? 10_000,
      pollMs: o.pollMs ?? (mongo ? 200 : 1000),
      backoffMs: o.backoffMs ?? 100,
      maxBackoffMs: o.maxBackoffMs ?? 30_000,
      batchSize: o.batchSize ?? 500,
    };
    this.waitMs = o.waitMs ?? 5000;
    this.log = new LogWindow(o.store);
  }

  /** Adds a subscriber (names are unique); it starts with the pipeline, or at once when running. */
  register(sub: Subscriber): void {
    if (!/^[a-z0-9][a-z0-9._:-]{0,99}$/.test(sub.name)) throw new Error(`pipeline subscriber name "${sub.name}" must be lower-case letters, digits, . _ : -`);
    if (this.runners.has(sub.name)) throw new Error(`pipeline subscriber "${sub.name}" is registered twice`);
    // A subscriber nobody waits for looks for other instances' statements at most once a second:
    // idle runners cost round trips, and only read-your-writes ones need the short poll.
    const lazy = sub.readYourWrites === undefined || sub.readYourWrites === false;
    const timing = lazy ? { ...this.timing, pollMs: Math.max(this.timing.pollMs, LAZY_POLL_MS) } : this.timing;
    const r = new Runner(sub, this.o.store, this.o.logger, this.instance, timing, this.log);
    this.runners.set(sub.name, r);
    if (this.started) r.start();
  }

  /** Stops and removes a subscriber (its cursor stays in the store); false when unknown. */
  async unregister(name: string): Promise<boolean> {
    const r = this.runners.get(name);
    if (!r) return false;
    this.runners.delete(name);
    await r.stop();
    return true;
  }

  /** True between start() and stop(). */
  get running(): boolean {
    return this.started;
  }

  /** The registered names, in registration order. */
  names(): string[] {
    return [...this.runners.keys()];
  }

  start(): void {
    this.started = true;
    RUNNING.add(this);
    // Statements this process commits reach the window in memory where the store can tell
    // (SQLite); the runners then serve them without reading them back.
    this.unwatch ??= this.log.watch();
    for (const r of this.runners.values()) r.start();
  }

  /** Stops every runner (finishing its batch) and gives the leases back. */
  async stop(): Promise<void> {
    this.started = false;
    RUNNING.delete(this);
    this.unwatch?.();
    this.unwatch = undefined;
    if (this.lazyWake !== undefined) clearTimeout(this.lazyWake);
    this.lazyWake = undefined;
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
  }

  /**
   * Wakes the runners (statements were stored): the read-your-writes ones the statements concern
   * at once (all of them when `statements` is not given), the others after LAZY_WAKE_MS, so that a
   * burst of single-statement writes reaches them as one batch and they do not compete with the
   * answer's own projection for the database.
   */
  notify(statements?: readonly Readonly<Record<string, unknown>>[]): void {
    this.wake(this.waitingRunners(statements));
  }

  /** notify() with the read-your-writes runners a write waits for already known. */
  private wake(now: ReadonlySet<Runner>): void {
    let later = false;
    for (const r of this.runners.values()) {
      if (now.has(r)) r.notify();
      else later = true;
    }
    if (!later || this.lazyWake !== undefined) return;
    this.lazyWake = setTimeout(() => {
      this.lazyWake = undefined;
      // Those woken on every write need no second call.
      for (const r of this.runners.values()) if (r.sub.readYourWrites !== true) r.notify();
    }, LAZY_WAKE_MS);
    this.lazyWake.unref();
  }

  /**
   * The runners a write of `statements` (any write when undefined) waits for: the read-your-writes
   * ones, those with a predicate only when it holds for one of the statements. Asked once per
   * write (its predicates run once per statement, however many times the runners are woken).
   */
  private waitingRunners(statements: readonly Readonly<Record<string, unknown>>[] | undefined): Set<Runner> {
    const out = new Set<Runner>();
    for (const r of this.runners.values()) {
      const ryw = r.sub.readYourWrites;
      if (ryw === undefined || ryw === false) continue;
      if (ryw === true || statements === undefined || statements.some((st) => ryw(st))) out.add(r);
    }
    return out;
  }

  /**
   * The LRS's hook after an insert: wakes the runners, then waits until every read-your-writes
   * subscriber has handled `lastSeq`. A subscriber that writes statements (cmi5 moveOn) passes its
   * own name as `writer` (src/compose.ts gives each subscriber services whose hook does): it never
   * waits for itself, only for the others, so the request that triggered it answers once the
   * statements it caused are projected too.
   */
  async afterStatementsStored(lastSeq: number | undefined, statements?: readonly Readonly<Record<string, unknown>>[], writer?: string): Promise<void> {
    if (lastSeq !== undefined) this.log.stored(lastSeq);
    const waiting = this.waitingRunners(statements);
    this.wake(waiting);
    if (lastSeq === undefined) return;
    await this.until(lastSeq, [...waiting].filter((r) => r.sub.name !== writer));
  }

  /**
   * Resolves when every read-your-writes subscriber (but `except`) is at or past `seq`, or after
   * waitMs. With `statements`, a subscriber whose readYourWrites is a predicate is waited for only
   * when one of them matches.
   */
  async reached(seq: number, except?: string, statements?: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
    await this.until(seq, [...this.waitingRunners(statements)].filter((r) => r.sub.name !== except));
  }

  /** Resolves when each of `runners` is at or past `seq`, or after waitMs. */
  private async until(seq: number, runners: readonly Runner[]): Promise<void> {
    if (runners.length === 0) return;
    const deadline = Date.now() + this.waitMs;
    const waits = runners.map((r) => r.reached(seq) ?? this.pollCursor(r, seq, deadline));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.waitMs);
      timer.unref();
    });
    await Promise.race([Promise.all(waits), timeout]);
    clearTimeout(timer);
  }

  /** Another instance holds the lease: read its cursor until it passes `seq`. */
  private async pollCursor(r: Runner, seq: number, deadline: number): Promise<void> {
    // Not started (a CLI, a test without runners) or failing: nobody will move it soon.
    if (!this.started) return;
    while (Date.now() < deadline) {
      const c = await this.o.store.pipeline.findCursor(r.sub.name).catch(() => undefined);
      if (!c || c.seq >= seq || c.failures > 0) return;
      const local = r.reached(seq);
      if (local) return local;
      await new Promise((res) => setTimeout(res, 25).unref());
    }
  }

  /** Asks for a rebuild of `name` from seq 0 (the lease holder runs it) and wakes the local runner. */
  async rebuild(name: string): Promise<void> {
    const known = this.runners.get(name) ?? (await this.o.store.pipeline.findCursor(name));
    if (!known) throw badRequest(`no pipeline subscriber is named "${name}"`);
    await this.o.store.pipeline.requestRebuild(name, new Date().toISOString());
    this.runners.get(name)?.notify(true);
  }

  /** Records an erasure every subscriber will be told about, and wakes the runners. */
  async recordErasure(userId: string): Promise<void> {
    const seq = await this.o.store.statements.findVisibleSeq();
    await this.o.store.pipeline.insertErasure({ id: randomUUID(), userId, seq, at: new Date().toISOString() });
    // The person's statements are gone from the store: not kept in memory either.
    this.log.clear();
    for (const r of this.runners.values()) r.notify(true);
  }

  /** Every cursor in the store with its lag, registered subscribers first known or not. */
  async status(): Promise<SubscriberStatus[]> {
    return pipelineStatus(this.o.store, this.names());
  }
}

/** Status of every subscriber known to the store or registered here, by name. */
export async function pipelineStatus(store: Store, registered: readonly string[]): Promise<SubscriberStatus[]> {
  const [cursors, horizon] = await Promise.all([store.pipeline.findCursors(), store.statements.findVisibleSeq()]);
  const byName = new Map(cursors.map((c) => [c.name, c]));
  const names = [...new Set([...registered, ...byName.keys()])].sort();
  const now = Date.now();
  return Promise.all(names.map(async (name): Promise<SubscriberStatus> => {
    const c = byName.get(name);
    const cursor = c?.seq ?? 0;
    const next = cursor < horizon ? (await store.pipeline.findLog({ afterSeq: cursor, upToSeq: horizon, limit: 1 }))[0] : undefined;
    return {
      name, cursor, horizon,
      lagStatements: Math.max(0, horizon - cursor),
      lagSeconds: next ? Math.max(0, (now - Date.parse(next.statement.stored)) / 1000) : 0,
      failures: c?.failures ?? 0,
      ...(c?.lastError !== undefined ? { lastError: c.lastError } : {}),
      ...(c?.lastErrorAt !== undefined ? { lastErrorAt: c.lastErrorAt } : {}),
      ...(c?.holder !== undefined && (c.leaseUntil ?? 0) >= now ? { holder: c.holder } : {}),
      ...(c?.rebuildRequestedAt !== undefined ? { rebuildRequestedAt: c.rebuildRequestedAt } : {}),
      registered: registered.includes(name),
    };
  }));
}
