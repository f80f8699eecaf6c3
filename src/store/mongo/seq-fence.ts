import type { Collection } from 'mongodb';
import type { StatementDoc } from './collections';
import { isDuplicateKeyError, isOnlyDuplicateKeyErrors } from './errors';
import type { SeqBlocks } from './seq-blocks';
import { fenceId, leaseId, type FenceDoc, type LeaseDoc, type SeqStateDoc } from './seq-lease';

/** The `_id` of the placeholder that takes an abandoned seq (never a statement id: those are UUIDs). */
export const gapId = (seq: number): string => `~gap:${seq}`;

/**
 * Abandons the claims of an instance whose lease expired, so the horizon can pass them without a
 * late commit of theirs ever appearing below it:
 * 1. a fence document records the horizon `from` (every claim of the victim is above it); readers
 *    keep the horizon at or below it until step 4;
 * 2. the victim's lease is deleted: its next lease write matches nothing, and it confirms its
 *    lease after claiming any block and before writing into it, so it can claim nothing new;
 * 3. every seq above `from` in the victim's blocks that holds no statement gets a placeholder
 *    (voided, no refs): the unique seq index then refuses the victim's late insert there;
 * 4. the fence document is deleted.
 * Every step is idempotent, so a fence whose fencer died is simply run again by another instance.
 * A victim's insert that lands before step 3 is a normal, visible commit (it is below no horizon
 * yet); one that lands after it fails, and the victim stores the batch again under new seqs.
 */
export async function fenceInstance(
  statements: Collection<StatementDoc>,
  state: Collection<SeqStateDoc>,
  blocks: SeqBlocks,
  victim: LeaseDoc,
  horizon: number,
  takeOverAfterMs: number,
): Promise<void> {
  const instance = victim._id.slice('lease:'.length);
  const fence: FenceDoc = { _id: fenceId(instance), kind: 'fence', victim: instance, from: horizon, through: victim.through, at: Date.now() };
  let from = horizon;
  try {
    await state.insertOne(fence);
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const running = (await state.findOne({ _id: fenceId(instance) })) as FenceDoc | null;
    if (running && Date.now() - running.at < takeOverAfterMs) return; // another instance is on it
    if (running) {
      from = running.from;
      await state.updateOne({ _id: fence._id }, { $set: { at: Date.now() } });
    }
  }
  await state.deleteOne({ _id: leaseId(instance) });
  await fenceVictimBlocks(statements, blocks, instance, from);
  await state.deleteOne({ _id: fence._id });
}

/** Step 3: placeholders in every block of `instance` above seq `from`, and the blocks closed. */
async function fenceVictimBlocks(statements: Collection<StatementDoc>, blocks: SeqBlocks, instance: string, from: number): Promise<void> {
  const { math } = blocks;
  const top = await blocks.firstFree();
  for (let k = math.of(from + 1); k < top; k++) {
    const block = await blocks.find(k);
    if (!block || block.owner !== instance) continue;
    const placeholders: StatementDoc[] = [];
    for (let seq = Math.max(from + 1, math.first(k)); seq <= math.last(k); seq++) {
      placeholders.push({ _id: gapId(seq), seq, stored: block.lo, voided: true, voiding: false, refs: [], json: '{}', gap: true });
    }
    try {
      await statements.insertMany(placeholders, { ordered: false });
    } catch (err) {
      // Seqs the victim did commit (or another fencer took) refuse their placeholder: wanted.
      if (!isOnlyDuplicateKeyErrors(err)) throw err;
    }
    const newest = await statements
      .find({ seq: { $gte: math.first(k), $lte: math.last(k) } }, { projection: { stored: 1 } })
      .sort({ stored: -1 })
      .limit(1)
      .next();
    await blocks.close(k, newest && newest.stored > block.lo ? newest.stored : block.lo);
  }
}
