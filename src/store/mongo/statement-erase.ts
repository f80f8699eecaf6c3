/**
 * Erasure support of the MongoDB StatementStore (issue 4): restriction checks on single reads,
 * deletion of every statement carrying one index key, and clean-up of orphaned attachments.
 */
import type { Filter } from 'mongodb';
import type { Collections, StatementDoc } from './collections';
import { guard } from './errors';

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
        // Seqs are never handed out twice (blocks are claimed once, seq-blocks.ts), so deleting the
        // newest statement needs no placeholder to keep its seq taken.
        const gone = (await c.statements.find({ refs: ref, targetId: { $exists: true } }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
        const res = await c.statements.deleteMany({ refs: ref });
        if (gone.length > 0) await c.statementLinks.deleteMany({ _id: { $in: gone } });
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
