import type { AttachmentContent, StatementStore } from '../ports';
import type { Collections } from './collections';
import { guard } from './errors';
import type { SeqClaims } from './sequence';
import { createMongoStatementErase } from './statement-erase';
import { createStatementInserter, type BeforeInsertHook } from './statement-insert';
import { createStatementFinder, ROW_PROJECTION, rowToStored } from './statement-query';
import { findByIds } from './by-ids';

/** The MongoDB StatementStore; safe to use from several processes on one database. */
export function createMongoStatementStore(c: Collections, claims: SeqClaims, beforeInsert?: BeforeInsertHook): StatementStore {
  const insert = createStatementInserter(c, claims, beforeInsert);
  const find = createStatementFinder(c, claims.math);
  const erase = createMongoStatementErase(c);
  return {
    findStatementIdsWithRefs: erase.findStatementIdsWithRefs,
    deleteStatementsWithRef: erase.deleteStatementsWithRef,
    deleteUnreferencedAttachments: erase.deleteUnreferencedAttachments,
    async insertStatements(batch, attachments) {
      return insert(batch, attachments);
    },
    async findStatementsByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await guard('reading statements', () =>
        findByIds(c.statements, ids, { projection: ROW_PROJECTION }),
      );
      return rows.map(rowToStored);
    },
    async findStatements(query) {
      return guard('querying statements', () => find(query, rowToStored));
    },
    async findStatementTexts(query) {
      return guard('querying statements', () => find(query, (r) => ({ id: r._id, seq: r.seq, stored: r.stored, json: r.json })));
    },
    async findAttachments(sha2s): Promise<AttachmentContent[]> {
      if (sha2s.length === 0) return [];
      const rows = await guard('reading attachments', () => c.attachments.find({ _id: { $in: [...sha2s] } }).toArray());
      return rows.map((r) => {
        const bytes = r.content.value();
        return { sha2: r._id, contentType: r.contentType, content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
      });
    },
    async findConsistentThrough() {
      return guard('reading consistent-through', async () => (await claims.horizon(false)).through);
    },
    async findVisibleSeq() {
      return guard('reading the visibility horizon', async () => (await claims.horizon(true)).visible);
    },
    async countStatements() {
      return guard('counting statements', () => c.statements.countDocuments({ gap: { $exists: false } }));
    },
  };
}
