import type { Collection } from 'mongodb';

/**
 * What one instance promises the others, in the seq_state collection (`_id` 'lease:<id>'):
 * - `low`: every seq below it that this instance will ever commit is committed; null when it
 *   holds no block and has nothing in flight (its next block will be above every claimed one);
 * - `through`: every statement it has in flight or will store later has stored > through;
 * - `renewedAt` + `ttl`: after that (its own clock, ms) the others may fence it (seq-fence.ts).
 * Only its owner updates it, never with upsert: once a fencer has deleted it, the owner's next
 * write matches nothing and the owner knows its claims were abandoned.
 */
export interface LeaseDoc {
  _id: string;
  kind: 'lease';
  low: number | null;
  through: string;
  renewedAt: number;
  ttl: number;
}

/** A fence in progress (`_id` 'fence:<victim>'): bounds the horizon until the fencer is done. */
export interface FenceDoc {
  _id: string;
  kind: 'fence';
  victim: string;
  /** The horizon when the fence began: every claim of the victim is above it. */
  from: number;
  /** The victim's last `through`. */
  through: string;
  /** When the fencer (re)started, ms: a fence older than a lease ttl is taken over. */
  at: number;
}

export type SeqStateDoc = LeaseDoc | FenceDoc;

export const leaseId = (instance: string): string => `lease:${instance}`;
export const fenceId = (instance: string): string => `fence:${instance}`;

/** Thrown when this instance's lease is gone: another instance fenced it. */
export class FencedError extends Error {
  constructor(readonly instance: string) {
    super('this instance was fenced: its seq claims were abandoned');
  }
}

/** The values a lease write publishes, computed when the write starts. */
export interface LeaseValues {
  readonly low: number | null;
  readonly through: string;
}

/**
 * Serialised writes of one instance's lease. `publish()` resolves once a write that STARTED after
 * the call has finished, so it carries the caller's state (or a later one); concurrent calls share
 * one write. Writes never overlap, so an older state can never overwrite a newer one.
 */
export class LeasePublisher {
  private running: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(
    private readonly state: Collection<SeqStateDoc>,
    private readonly ttl: number,
    private readonly values: () => LeaseValues,
    private readonly id: () => string,
  ) {}

  /** Inserts a fresh lease for the current id (a new instance, or one that was fenced), in turn with the writes. */
  register(): Promise<void> {
    const next = this.running
      .catch(() => undefined)
      .then(async () => {
        const { low, through } = this.values();
        await this.state.insertOne({ _id: leaseId(this.id()), kind: 'lease', low, through, renewedAt: Date.now(), ttl: this.ttl });
      });
    this.queued = undefined;
    this.running = next;
    return next;
  }

  publish(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.write();
      });
    this.queued = next;
    this.running = next;
    return next;
  }

  /** Deletes the lease (clean shutdown: nothing of ours is in flight any more). */
  async remove(): Promise<void> {
    await this.running.catch(() => undefined);
    await this.state.deleteOne({ _id: leaseId(this.id()) });
  }

  private async write(): Promise<void> {
    const id = this.id();
    const { low, through } = this.values();
    const res = await this.state.updateOne(
      { _id: leaseId(id) },
      { $set: { low, through, renewedAt: Date.now(), ttl: this.ttl } },
    );
    if (res.matchedCount === 0) throw new FencedError(id);
  }
}
