import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { StatementDoc } from './collections';
import { createKeyedQueue } from './queue';
import { BlockMath, SeqBlocks, type SeqBlockDoc } from './seq-blocks';
import { fenceInstance } from './seq-fence';
import { FencedError, LeasePublisher, leaseId, type LeaseDoc, type SeqStateDoc } from './seq-lease';
import { migrateLegacySeqs } from './seq-legacy';

/** Tuning of seq claims; see docs/adr (the scale-out ADR) for why each default. */
export interface SeqOptions {
  /** Seqs per block (one unique insert claims a block). */
  readonly blockSize: number;
  /** An instance that has not renewed its lease for this long (ms) is fenced by the others. */
  readonly leaseMs: number;
  /** A block held this long (ms) with nothing in flight is given up, so the horizon can pass it. */
  readonly idleReleaseMs: number;
  /** A block is used for at most this long (ms) after its claim (keeps since/until bounds tight). */
  readonly blockMaxAgeMs: number;
  /**
   * A statement whose requested stored time is older than this (ms) when nothing is in flight
   * may be raised: Consistent-Through then runs this far behind the clock on an idle instance.
   */
  readonly storedMarginMs: number;
  /** Shortest interval (ms) between two lease writes that only advance `low`/`through`. */
  readonly publishEveryMs: number;
}

export const DEFAULT_SEQ_OPTIONS: SeqOptions = {
  blockSize: 256,
  leaseMs: 10000,
  idleReleaseMs: 100,
  blockMaxAgeMs: 1000,
  storedMarginMs: 2000,
  publishEveryMs: 200,
};

/** Seqs and stored times for one batch, in flight until settled. */
export interface Claim {
  readonly seqs: readonly number[];
  readonly stored: readonly string[];
  /** The lease id the claim was made under (to recognise a fence that abandoned it). */
  readonly instance: string;
  /** Ends the claim, committed or rolled back (then its seqs are gaps). Idempotent. */
  settle(): void;
}

/** What readers may rely on right now. */
export interface Horizon {
  /** Every statement with seq <= visible that will ever be committed is committed and visible. */
  readonly visible: number;
  /** Every statement with stored <= through that will ever be committed is committed and visible. */
  readonly through: string;
}

interface Held {
  readonly k: number;
  next: number;
  readonly last: number;
  readonly at: number;
  readonly lo: string;
  maxStored: string;
}

interface InFlight {
  readonly instance: string;
  readonly seq: number;
  readonly stored: string;
}

/** Claims tried under new leases when a fence keeps taking ours (a database too slow for the lease time). */
const MAX_FENCED_ATTEMPTS = 5;

const isoMs = (ms: number): string => new Date(ms).toISOString();
const shift = (iso: string, ms: number): string => isoMs(Date.parse(iso) + ms);
const maxIso = (a: string, b: string): string => (a > b ? a : b);

/**
 * This process's seq claims on a MongoDB store shared by several instances (ADR 0016):
 * blocks of seqs claimed by unique insert (seq-blocks.ts), a lease per instance that publishes
 * how far its claims are settled (seq-lease.ts), fencing of instances that stopped renewing
 * (seq-fence.ts), and the horizon readers derive from all of them. No statement is ever read to
 * find the top, so nothing here scans the statements collection.
 *
 * Within this process: seqs are handed out in increasing order and `stored` never decreases as
 * seq grows. Across instances, seqs of parallel blocks interleave, so `stored` is ordered only
 * within one instance's claims; every statement of a block has stored within the block's
 * [lo, hi] (recorded on the block), which is what since/until queries rely on.
 */
export class SeqClaims {
  private instance = newInstanceId();
  private block: Held | null = null;
  /** The `low` to publish while a block is being claimed and nothing is in flight. */
  private claimingLow: number | null = null;
  private readonly inflight = new Set<InFlight>();
  private floorStored = '';
  private strictAfter = '';
  private lastVisible = 0;
  private readonly queue = createKeyedQueue();
  private readonly publisher: LeasePublisher;
  private readonly blocks: SeqBlocks;
  private readonly fencing = new Set<string>();
  private reRegistering: Promise<void> | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private publishTimer: NodeJS.Timeout | undefined;
  private lastPublish = 0;
  private closed = false;

  constructor(
    private readonly statements: Collection<StatementDoc>,
    private readonly state: Collection<SeqStateDoc>,
    blocks: Collection<SeqBlockDoc>,
    private readonly options: SeqOptions = DEFAULT_SEQ_OPTIONS,
  ) {
    this.blocks = new SeqBlocks(blocks, state as unknown as Collection<{ _id: string; kind: 'hint'; k: number }>, new BlockMath(options.blockSize));
    this.publisher = new LeasePublisher(state, options.leaseMs, () => ({ low: this.localLow(), through: this.localThrough() }), () => this.instance);
  }

  get math(): BlockMath {
    return this.blocks.math;
  }

  /** Adopts seqs of an older store, registers this instance's lease and starts renewing it. */
  async start(): Promise<void> {
    await migrateLegacySeqs(this.statements, this.state, this.blocks);
    this.strictAfter = isoMs(Date.now());
    await this.publisher.register();
    // Also how often an idle instance moves its `through` on (Consistent-Through lags by this + the margin).
    this.renewTimer = setInterval(() => void this.renew(), Math.max(50, Math.min(1000, Math.floor(this.options.leaseMs / 3))));
    this.renewTimer.unref();
  }

  /** Seqs and stored times (each >= requested, non-decreasing) for a batch; in flight until settled. */
  claim(requested: readonly string[]): Promise<Claim> {
    return this.queue('assign', () => this.assign(requested));
  }

  /** A claim's insert found a seq taken: only a fence does that, so the claim was abandoned. */
  async abandoned(claim: Claim): Promise<void> {
    claim.settle();
    await this.reRegister(claim.instance);
  }

  /** The horizon: reads the top block and every lease (a handful of small documents). */
  async horizon(withVisible = true): Promise<Horizon> {
    const top = withVisible ? await this.blocks.firstFree() : 0;
    const docs = await this.state.find({ kind: { $in: ['lease', 'fence'] } }).toArray();
    const now = Date.now();
    let visible = withVisible ? top * this.options.blockSize : Number.MAX_SAFE_INTEGER;
    let through = this.localThrough();
    const expired: LeaseDoc[] = [];
    for (const d of docs) {
      if (d._id === leaseId(this.instance)) continue;
      if (d.kind === 'lease') {
        if (d.low !== null) visible = Math.min(visible, d.low - 1);
        if (now - d.renewedAt > d.ttl) expired.push(d);
      } else {
        visible = Math.min(visible, d.from);
        if (now - d.at > this.options.leaseMs) {
          expired.push({ _id: leaseId(d.victim), kind: 'lease', low: null, through: d.through, renewedAt: d.at, ttl: 0 });
        }
      }
      if (d.through < through) through = d.through;
    }
    const low = this.localLow();
    if (low !== null) visible = Math.min(visible, low - 1);
    if (withVisible) {
      visible = Math.max(this.lastVisible, visible);
      this.lastVisible = visible;
      for (const victim of expired) this.fence(victim, visible);
    }
    return { visible, through };
  }

  /** Stops renewing; waits (a while) for claims in flight, then gives the lease back. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.renewTimer);
    clearTimeout(this.idleTimer);
    clearTimeout(this.publishTimer);
    const until = Date.now() + 5000;
    while (this.localInFlight() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    if (this.block) await this.retire(this.block);
    // With a claim still in flight the lease stays: it expires and another instance fences it.
    if (!this.localInFlight()) await this.publisher.remove().catch(() => undefined);
  }

  private async assign(requested: readonly string[]): Promise<Claim> {
    for (let attempt = 0; ; attempt++) {
      const instance = this.instance;
      const seqs: number[] = [];
      const stored: string[] = [];
      let entry: InFlight | undefined;
      try {
        for (const want of requested) {
          const b = this.block;
          if (!b || b.next > b.last || Date.now() - b.at > this.options.blockMaxAgeMs) await this.nextBlock();
          const held = this.block as Held | null;
          if (!held || this.instance !== instance) throw new FencedError(instance);
          const seq = held.next++;
          const st = this.nextStored(want);
          if (st > held.maxStored) held.maxStored = st;
          seqs.push(seq);
          stored.push(st);
          if (!entry) {
            entry = { instance, seq, stored: st };
            this.inflight.add(entry);
          }
        }
        return this.settleable(seqs, stored, instance, entry);
      } catch (err) {
        if (entry) this.inflight.delete(entry);
        if (!(err instanceof FencedError) || attempt >= MAX_FENCED_ATTEMPTS - 1) throw err;
        await this.reRegister(err.instance);
      }
    }
  }

  /**
   * Claims the next block. From the released state (no block, nothing in flight) the lease first
   * publishes a `low` at the first free block, so no reader's horizon passes the claim being made;
   * after the insert the lease is written again, which also proves it was not fenced meanwhile
   * (a fencer deletes it before it looks for the victim's blocks).
   */
  private async nextBlock(): Promise<void> {
    const old = this.block;
    try {
      if (old) {
        this.claimingLow = old.last + 1;
        void this.retire(old);
      } else if (this.localLow() === null) {
        this.claimingLow = this.math.first(await this.blocks.firstFree());
        await this.publisher.publish();
      }
      const lo = maxIso(this.floorStored, shift(this.strictAfter, 1));
      const owner = this.instance;
      const k = await this.blocks.claim(owner, lo, old ? old.k + 1 : undefined);
      if (this.instance !== owner) throw new FencedError(owner);
      this.block = { k, next: this.math.first(k), last: this.math.last(k), at: Date.now(), lo, maxStored: '' };
      this.claimingLow = null;
      await this.publisher.publish();
    } finally {
      this.claimingLow = null;
    }
  }

  /** Gives up a block: this instance assigns nothing more in it, so its stored range is final. */
  private retire(b: Held): Promise<void> {
    if (this.block === b) this.block = null;
    return this.blocks.close(b.k, b.maxStored || b.lo).catch(() => undefined);
  }

  private nextStored(requested: string): string {
    let s = requested < this.floorStored ? this.floorStored : requested;
    if (s <= this.strictAfter) s = shift(this.strictAfter, 1);
    this.floorStored = s;
    return s;
  }

  private settleable(seqs: number[], stored: string[], instance: string, entry: InFlight | undefined): Claim {
    let done = false;
    return {
      seqs,
      stored,
      instance,
      settle: () => {
        if (done) return;
        done = true;
        if (entry) this.inflight.delete(entry);
        this.afterSettle();
      },
    };
  }

  /** Lets the other instances' horizon advance soon (throttled), and gives up an idle block. */
  private afterSettle(): void {
    if (this.closed) return;
    if (!this.publishTimer) {
      const wait = Math.max(0, this.lastPublish + this.options.publishEveryMs - Date.now());
      this.publishTimer = setTimeout(() => {
        this.publishTimer = undefined;
        this.lastPublish = Date.now();
        this.publisher.publish().catch((err: unknown) => this.onLeaseError(err));
      }, wait);
      this.publishTimer.unref();
    }
    if (!this.localInFlight() && this.block && !this.idleTimer) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = undefined;
        if (this.closed || this.localInFlight() || !this.block) return;
        void this.retire(this.block);
        this.publisher.publish().catch((err: unknown) => this.onLeaseError(err));
      }, this.options.idleReleaseMs);
      this.idleTimer.unref();
    }
  }

  private async renew(): Promise<void> {
    try {
      await this.publisher.publish();
      await this.horizon(true);
    } catch (err) {
      this.onLeaseError(err);
    }
  }

  private onLeaseError(err: unknown): void {
    if (err instanceof FencedError && !this.closed) void this.reRegister(err.instance).catch(() => undefined);
  }

  /** Our lease was deleted by a fencer: continue under a new id (claims of the old one are gaps). */
  private reRegister(old: string): Promise<void> {
    if (this.instance !== old) return this.reRegistering ?? Promise.resolve();
    this.instance = newInstanceId();
    this.block = null;
    this.claimingLow = null;
    const done = this.publisher.register().finally(() => {
      if (this.reRegistering === done) this.reRegistering = undefined;
    });
    this.reRegistering = done;
    return done;
  }

  private fence(victim: LeaseDoc, horizon: number): void {
    if (this.fencing.has(victim._id) || this.closed) return;
    this.fencing.add(victim._id);
    void fenceInstance(this.statements, this.state, this.blocks, victim, horizon, this.options.leaseMs)
      .catch(() => undefined)
      .finally(() => this.fencing.delete(victim._id));
  }

  private localInFlight(): boolean {
    for (const f of this.inflight) if (f.instance === this.instance) return true;
    return false;
  }

  /** The lowest seq this instance may still commit; null when it holds nothing. */
  private localLow(): number | null {
    let low: number | null = null;
    for (const f of this.inflight) if (f.instance === this.instance && (low === null || f.seq < low)) low = f.seq;
    if (low !== null) return low;
    if (this.block) return this.block.next;
    return this.claimingLow;
  }

  /**
   * A time every statement this instance has in flight or stores later is stored after. Idle,
   * that is the clock minus the margin (or the newest stored time, if later), and later
   * statements are raised above it.
   */
  private localThrough(): string {
    let min: string | null = null;
    for (const f of this.inflight) if (f.instance === this.instance && (min === null || f.stored < min)) min = f.stored;
    if (min !== null) return shift(min, -1);
    const idle = maxIso(this.floorStored, isoMs(Date.now() - this.options.storedMarginMs));
    if (idle > this.strictAfter) this.strictAfter = idle;
    return idle;
  }
}

function newInstanceId(): string {
  return randomBytes(9).toString('base64url');
}
