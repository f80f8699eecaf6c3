/**
 * Erasure support of the MongoDB StatementStore (issue 4): restriction checks on single reads,
 * deletion of every statement carrying one index key, and clean-up of orphaned attachments.
 */
import type { Filter } from 'mongodb';
import type { Collections, StatementDoc } from './collections';
import { guard, isDuplicateKeyError } from './errors';

/** The erasure-related methods of the Mongo StatementStore. */
export interface MongoStatementErase {
  findStatementIdsWithRefs(ids: readonly string[], allRefs: readonly string[]): Promise<string[]>;
  deleteStatementsWithRef(ref: string): Promise<number>;
  deleteUnreferencedAttachments(sha2s: readonly string[]): Promise<number>;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createMongoStatementErase(c: Collections): MongoStatementErase {
  return {
    async findStatementIdsWithRefs(ids, allRefs) {
      if (ids.length === 0) return [];
      const filter: Filter<StatementDoc> = { _id: { $in: [...ids] } };
      const refs = [...new Set(allRefs)];
      if (refs.length > 0) filter.refs = { $all: refs };
      const rows = await guard('checking statement keys', () => c.statements.find(filter, { projection: { _id: 1 } }).toArray());
      return rows.map((r) => r._id);
    },

    async deleteStatementsWithRef(ref) {
      return guard('erasing statements', async () => {
        const top = await c.statements.find({}, { projection: { seq: 1, stored: 1 } }).sort({ seq: -1 }).limit(1).next();
        const gone = (await c.statements.find({ refs: ref, targetId: { $exists: true } }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
        const res = await c.statements.deleteMany({ refs: ref });
        if (gone.length > 0) await c.statementLinks.deleteMany({ _id: { $in: gone } });
        // Seq numbers are claimed as top + 1 (sequence.ts): if the newest statement went, an empty
        // voided placeholder takes its seq back so no later statement reuses it (a `more` cursor
        // past it would skip the newcomer). Another instance may win that seq in the instant
        // between the two writes; then it is taken anyway, which is all that matters.
        if (top && res.deletedCount > 0 && !(await c.statements.findOne({ seq: top.seq }, { projection: { _id: 1 } }))) {
          try {
            await c.statements.insertOne({ _id: `erased:${top.seq}`, seq: top.seq, stored: top.stored, voided: true, voiding: false, refs: [], json: '{}' });
          } catch (err) {
            if (!isDuplicateKeyError(err)) throw err;
          }
        }
        return res.deletedCount;
      });
    },

    async deleteUnreferencedAttachments(sha2s) {
      let n = 0;
      for (const sha of new Set(sha2s.map((s) => s.toLowerCase()))) {
        const used = await guard('checking attachment use', () =>
          c.statements.findOne({ json: { $regex: escapeRegex(sha), $options: 'i' } }, { projection: { _id: 1 } }),
        );
        if (!used) n += (await guard('erasing attachments', () => c.attachments.deleteOne({ _id: sha }))).deletedCount;
      }
      return n;
    },
  };
}
