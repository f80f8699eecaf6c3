import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from './errors';

/**
 * One block of seq numbers: block k holds seqs k*size+1 … (k+1)*size and belongs to the one
 * instance whose insert of this document won (the unique `_id` decides; FerretDB 1.24 applies
 * concurrent `$inc` and findOneAndUpdate non-atomically, but its unique indexes hold). Blocks are
 * claimed densely from 0 upwards, so "the first block without a document" is the top of the
 * claimed range.
 */
export interface SeqBlockDoc {
  /** blockKey(k): a string, because FerretDB answers only string/ObjectId `_id` equality from its primary key. */
  _id: string;
  k: number;
  /** Instance (lease id) that claimed it; 'legacy' for seqs handed out before blocks existed. */
  owner: string;
  /** Every statement of the block has stored >= lo. */
  lo: string;
  /** Every statement of the block has stored <= hi; OPEN_HI while the owner may still assign. */
  hi: string;
  /** Claim time, ms since the epoch (owner's clock). */
  at: number;
}

/** Greater than any ISO 8601 time, so an open block matches every "hi > since" bound. */
export const OPEN_HI = '~';

export function blockKey(k: number): string {
  return `b${String(k).padStart(15, '0')}`;
}

/** Seq arithmetic for one block size. */
export class BlockMath {
  constructor(readonly size: number) {}

  first(k: number): number {
    return k * this.size + 1;
  }

  last(k: number): number {
    return (k + 1) * this.size;
  }

  of(seq: number): number {
    return Math.floor((seq - 1) / this.size);
  }
}

/** Where a process starts probing for the first free block (lives in the seq_state collection). */
interface HintDoc {
  _id: string;
  kind: 'hint';
  k: number;
}

const HINT_ID = 'hint';

/**
 * Finding and claiming blocks with point look-ups and unique inserts only: no query ever sorts
 * or scans the statements or the blocks. A shared hint document says where to start probing; it
 * is updated without atomicity (a stale hint costs one more look-up, never a wrong answer).
 */
export class SeqBlocks {
  private known = 0;

  constructor(
    private readonly blocks: Collection<SeqBlockDoc>,
    private readonly state: Collection<HintDoc>,
    readonly math: BlockMath,
  ) {}

  /** The first block nobody has claimed: every block below it is claimed (blocks are dense). */
  async firstFree(): Promise<number> {
    const hint = await this.state.findOne({ _id: HINT_ID });
    let k = Math.max(this.known, hint?.k ?? 0);
    while (await this.blocks.findOne({ _id: blockKey(k) }, { projection: { _id: 1 } })) k++;
    this.known = k;
    return k;
  }

  /**
   * Claims the first free block at or above `from` for `owner`; returns its number. It starts at
   * the first free block by look-ups, which are cheaper than inserts refused by another instance.
   */
  async claim(owner: string, lo: string, from = 0): Promise<number> {
    let k = Math.max(from, await this.firstFree());
    for (;;) {
      try {
        await this.blocks.insertOne({ _id: blockKey(k), k, owner, lo, hi: OPEN_HI, at: Date.now() });
        break;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        k++;
      }
    }
    this.known = Math.max(this.known, k + 1);
    await this.raiseHint(k + 1);
    return k;
  }

  find(k: number): Promise<SeqBlockDoc | null> {
    return this.blocks.findOne({ _id: blockKey(k) });
  }

  /** Records the latest stored time the block received: the owner assigns nothing more in it. */
  async close(k: number, hi: string): Promise<void> {
    await this.blocks.updateOne({ _id: blockKey(k) }, { $set: { hi } });
  }

  /** Blocks handed out before this scheme existed (one document each, all owned by 'legacy'). */
  async recordLegacy(docs: readonly SeqBlockDoc[]): Promise<void> {
    for (const d of docs) await this.blocks.replaceOne({ _id: d._id }, d, { upsert: true });
    if (docs.length > 0) await this.raiseHint(Math.max(...docs.map((d) => d.k)) + 1);
  }

  private async raiseHint(k: number): Promise<void> {
    try {
      await this.state.updateOne({ _id: HINT_ID }, { $max: { k }, $set: { kind: 'hint' } }, { upsert: true });
    } catch (err) {
      // Two first upserts race to insert the hint: the other one's value serves as well.
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
}
