import type { Database } from 'better-sqlite3';
import type { AttachmentContent, StatementStore } from '../ports';
import { createGroupCommit } from './group-commit';
import { createRefIds } from './ref-ids';
import { createBatchWriter } from './statement-insert';
import { createSqliteStatementErase } from './statement-erase';
import { createStatementFinder, rowToStored, type StatementRow } from './statement-query';

/** The SQLite StatementStore, plus what closing it needs. */
export interface SqliteStatementStore extends StatementStore {
  /** Commits batches still waiting for their group commit (before the database closes). */
  drain(): void;
}

/** The SQLite StatementStore. Inserts resolve after their (group) commit. */
export function createSqliteStatementStore(db: Database): SqliteStatementStore {
  const refIds = createRefIds(db);
  const writer = createGroupCommit(db, createBatchWriter(db, refIds), () => refIds.forget());
  const find = createStatementFinder(db, refIds);
  const erase = createSqliteStatementErase(db, refIds, () => writer.drain());
  // json_each lets one prepared statement take any number of ids.
  const byIds = db.prepare<[string], StatementRow>(
    'SELECT seq, id, stored, voided, json FROM statements WHERE id IN (SELECT value FROM json_each(?))',
  );
  const attachmentsByHash = db.prepare<[string], { sha2: string; content_type: string; content: Buffer }>(
    'SELECT sha2, content_type, content FROM attachments WHERE sha2 IN (SELECT value FROM json_each(?))',
  );
  const lastStored = db.prepare<[], { stored: string }>('SELECT stored FROM statements ORDER BY seq DESC LIMIT 1');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM statements');

  return {
    async insertStatements(batch, attachments) {
      if (batch.length === 0 && attachments.length === 0) return { inserted: [] };
      return writer.insert(batch, attachments);
    },
    async findStatementsByIds(ids) {
      if (ids.length === 0) return [];
      return byIds.all(JSON.stringify(ids)).map(rowToStored);
    },
    async findStatements(query) {
      return find(query);
    },
    async findAttachments(sha2s): Promise<AttachmentContent[]> {
      if (sha2s.length === 0) return [];
      return attachmentsByHash
        .all(JSON.stringify(sha2s))
        .map((r) => ({ sha2: r.sha2, contentType: r.content_type, content: r.content }));
    },
    async findConsistentThrough() {
      // Every committed SQLite write is visible to the next read, so "now" is consistent; the
      // last stored time can be later when a client clock pushed it ahead.
      const now = new Date().toISOString();
      const last = lastStored.get()?.stored;
      return last !== undefined && last > now ? last : now;
    },
    async countStatements() {
      return count.get()?.n ?? 0;
    },
    async findStatementIdsWithRefs(ids, allRefs) {
      return erase.findStatementIdsWithRefs(ids, allRefs);
    },
    async deleteStatementsWithRef(ref) {
      return erase.deleteStatementsWithRef(ref);
    },
    async deleteUnreferencedAttachments(sha2s) {
      return erase.deleteUnreferencedAttachments(sha2s);
    },
    drain() {
      writer.drain();
    },
  };
}
