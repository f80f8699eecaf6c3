import type { Collection } from 'mongodb';
import type { StatementDoc } from './collections';
import { isDuplicateKeyError } from './errors';
import { blockKey, type SeqBlocks, type SeqBlockDoc } from './seq-blocks';
import type { SeqStateDoc } from './seq-lease';

interface LegacyMarker {
  _id: 'legacy';
  kind: 'legacy';
  /** The highest seq handed out before blocks existed (0: none). */
  top: number;
  done: boolean;
}

/**
 * A store written before seq blocks existed has seqs 1…top without block documents. They are
 * recorded once as blocks owned by 'legacy' (with the stored range each really holds), so new
 * blocks start above them and since/until bounds cover them. The first instance fixes `top` with
 * a unique insert before it claims anything; any instance finishes an unfinished record (the
 * writes are idempotent). Old and new versions must not write to one store at the same time.
 */
export async function migrateLegacySeqs(
  statements: Collection<StatementDoc>,
  stateDocs: Collection<SeqStateDoc>,
  blocks: SeqBlocks,
): Promise<void> {
  const state = stateDocs as unknown as Collection<LegacyMarker>;
  let marker = await state.findOne({ _id: 'legacy' });
  if (marker?.done) return;
  if (!marker) {
    const newest = await statements.find({}, { projection: { seq: 1 } }).sort({ seq: -1 }).limit(1).next();
    try {
      await state.insertOne({ _id: 'legacy', kind: 'legacy', top: newest?.seq ?? 0, done: false });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    marker = await state.findOne({ _id: 'legacy' });
  }
  const top = marker?.top ?? 0;
  if (top > 0) {
    const { math } = blocks;
    const docs = new Map<number, SeqBlockDoc>();
    const rows = statements.find({ seq: { $lte: top } }, { projection: { seq: 1, stored: 1 } }).sort({ seq: 1 });
    for await (const r of rows) {
      const k = math.of(r.seq);
      const d = docs.get(k);
      if (!d) docs.set(k, { _id: blockKey(k), k, owner: 'legacy', lo: r.stored, hi: r.stored, at: 0 });
      else {
        if (r.stored < d.lo) d.lo = r.stored;
        if (r.stored > d.hi) d.hi = r.stored;
      }
    }
    // Blocks whose statements were all erased still count as claimed: the claimed range stays dense.
    for (let k = 0; k <= math.of(top); k++) {
      if (!docs.has(k)) docs.set(k, { _id: blockKey(k), k, owner: 'legacy', lo: '', hi: '', at: 0 });
    }
    await blocks.recordLegacy([...docs.values()]);
  }
  await state.updateOne({ _id: 'legacy' }, { $set: { done: true } });
}
