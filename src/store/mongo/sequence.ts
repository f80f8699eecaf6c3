import type { Collection } from 'mongodb';
import type { StatementDoc } from './collections';
import { createKeyedQueue } from './queue';

/** The highest claimed seq and its stored time; seq 0 / '' on an empty store. */
export interface Top {
  readonly seq: number;
  readonly stored: string;
}

/**
 * Seq numbers are claimed by the insert itself: a batch takes top.seq + 1 … top.seq + n and the
 * unique index on seq decides who wins. No read-modify-write of a counter is involved, because
 * FerretDB 1.24 (SQLite backend) applies concurrent `$inc`/findOneAndUpdate non-atomically
 * (measured: 50 concurrent `$inc` of one counter ended at 5) while its unique indexes hold.
 * On MongoDB the same scheme is simply correct too.
 *
 * Claims are contiguous from the top, so a batch that wins has seen every lower seq, and
 * `stored` can be raised to the top's stored time: stored never decreases as seq grows, across
 * instances. Inside one process claims are serialised by a queue, so only writers of other
 * instances can collide (then the loser re-reads the top and retries).
 */
export class SeqClaims {
  private cached: Top | undefined;
  private readonly queue = createKeyedQueue();

  constructor(private readonly statements: Collection<StatementDoc>) {}

  /** The current top, read from the database (never from the cache). */
  async readTop(): Promise<Top> {
    const doc = await this.statements.find({}, { projection: { seq: 1, stored: 1 } }).sort({ seq: -1 }).limit(1).next();
    return doc ? { seq: doc.seq, stored: doc.stored } : { seq: 0, stored: '' };
  }

  /** The top this process last saw; a wrong guess only costs a collision and a retry. */
  async guessTop(): Promise<Top> {
    return this.cached ?? this.readTop();
  }

  /** Records the top after a successful claim, or forgets it (collision, rollback). */
  remember(top: Top | undefined): void {
    this.cached = top;
  }

  /** Runs `work` after every earlier claim of this process has finished. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.queue('claims', work);
  }

  /**
   * Every statement stored strictly before the returned time is visible (the spec's "before
   * that time"). A claim is visible the moment it is inserted and later claims get stored >=
   * the top's, so the top's stored time is always safe. It is raised to now - margin (with
   * "reasonable certainty", the spec's words): a batch whose stored time the service chose
   * more than `marginMs` ago and that is still not inserted would break that claim.
   */
  async consistentThrough(marginMs: number): Promise<string> {
    const top = await this.readTop();
    const recent = new Date(Date.now() - marginMs).toISOString();
    return top.stored > recent ? top.stored : recent;
  }
}
