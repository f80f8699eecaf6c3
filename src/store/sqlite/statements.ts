import type { Database } from 'better-sqlite3';
import type { AttachmentContent, StatementStore } from '../ports';
import { createGroupCommit } from './group-commit';
import type { LogFeed } from './log-feed';
import { createRefIds } from './ref-ids';
import { createBatchWriter, toStatementRow } from './statement-insert';
import type { StatementWriter } from './statement-writer';
import { createSqliteStatementErase } from './statement-erase';
import { createStatementFinder, rowToStored, type StatementRow } from './statement-query';
import { walCapPolicy, walSizeProbe } from './wal-cap';

/** Statements per insert from which the writer thread takes it (see useThread). */
const THREAD_BATCH_MIN = 10;

/** The SQLite StatementStore, plus what closing it needs. */
export interface SqliteStatementStore extends StatementStore {
  /** Commits batches still waiting for this connection's group commit (before it closes). */
  drain(): void;
}

/**
 * The SQLite StatementStore. Inserts resolve after their (group) commit. With `thread` (a database
 * file), writes run in the statement writer thread; an in-memory database (tests) writes on this
 * connection, the only one that sees it.
 */
export function createSqliteStatementStore(
  db: Database,
  thread?: StatementWriter,
  threadBatchMin = THREAD_BATCH_MIN,
  wal?: { readonly path: string; readonly capBytes: number },
  feed?: LogFeed,
): SqliteStatementStore {
  const refIds = createRefIds(db);
  // The WAL cap (wal-cap.ts): this connection never checkpoints itself (that would stall the event
  // loop); past the soft size it asks the thread, and while that request is pending the thread is
  // busy(), so the statement writes go there, behind the checkpoint, instead of waiting for it.
  const softWal = wal ? walCapPolicy(wal.capBytes).softBytes : Infinity;
  let checkpointAsked = false;
  const probe = wal ? walSizeProbe(wal.path) : undefined;
  const afterGroup =
    thread && probe
      ? (): void => {
          if (checkpointAsked) return;
          const size = probe();
          if (size === undefined || size <= softWal) return;
          checkpointAsked = true;
          void thread.checkpoint().then(
            () => (checkpointAsked = false),
            () => (checkpointAsked = false),
          );
        }
      : undefined;
  const local = createGroupCommit(db, createBatchWriter(db, refIds), () => refIds.forget(), undefined, afterGroup);
  // Large batches go to the thread, where their inserts run beside the next requests' validation;
  // small ones are written here (a round trip to the thread costs more than it saves), but only
  // while the thread is idle. The two connections then never wait for each other's lock: the
  // thread gets work only when nothing waits here, and this group commits only while the thread
  // owes nothing.
  const useThread = (statements: number): boolean =>
    thread !== undefined && (thread.busy() || (statements >= threadBatchMin && !local.waiting()));
  const find = createStatementFinder(db, refIds);
  const erase = createSqliteStatementErase(db, refIds, () => local.drain());
  // json_each lets one prepared statement take any number of ids.
  const byIds = db.prepare<[string], StatementRow>(
    'SELECT seq, id, stored, voided, json FROM statements WHERE id IN (SELECT value FROM json_each(?))',
  );
  const attachmentsByHash = db.prepare<[string], { sha2: string; content_type: string; content: Buffer }>(
    'SELECT sha2, content_type, content FROM attachments WHERE sha2 IN (SELECT value FROM json_each(?))',
  );
  const lastStored = db.prepare<[], { stored: string }>('SELECT stored FROM statements ORDER BY seq DESC LIMIT 1');
  const topSeq = db.prepare<[], { seq: number }>('SELECT seq FROM statements ORDER BY seq DESC LIMIT 1');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM statements');

  // Erasures begun so far: a batch whose commit an erasure may have overtaken is not fed to the
  // pipeline (its entries could hold what the erasure removed, after the window was cleared).
  let erasures = 0;

  return {
    async insertStatements(batch, attachments) {
      if (batch.length === 0 && attachments.length === 0) return { inserted: [] };
      const rows = batch.map(toStatementRow);
      const era = erasures;
      const r = await (useThread(rows.length) ? thread!.insert(rows, attachments) : local.insert(rows, attachments));
      if (feed?.listening() && era === erasures) feed.committed(batch, r.log);
      return { inserted: r.inserted, ...(r.lastSeq !== undefined ? { lastSeq: r.lastSeq } : {}) };
    },
    async findStatementsByIds(ids) {
      if (ids.length === 0) return [];
      return byIds.all(JSON.stringify(ids)).map(rowToStored);
    },
    async findStatements(query) {
      return find(query, rowToStored);
    },
    async findStatementTexts(query) {
      return find(query, (r) => ({ id: r.id, seq: r.seq, stored: r.stored, json: r.json }));
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
    async findVisibleSeq() {
      // One writer, and a commit is visible to the next read: the highest committed seq.
      return topSeq.get()?.seq ?? 0;
    },
    async countStatements() {
      return count.get()?.n ?? 0;
    },
    async findStatementIdsWithRefs(ids, allRefs) {
      return erase.findStatementIdsWithRefs(ids, allRefs);
    },
    async deleteStatementsWithRef(ref) {
      erasures++;
      if (!thread) return erase.deleteStatementsWithRef(ref);
      // Statements accepted here just before are committed first, so that the erasure covers them.
      local.drain();
      try {
        return await thread.erase(ref);
      } finally {
        // The erased key's interned id was deleted with it (and may be handed out again).
        refIds.forget();
      }
    },
    async deleteUnreferencedAttachments(sha2s) {
      if (!thread) return erase.deleteUnreferencedAttachments(sha2s);
      local.drain();
      return thread.deleteUnreferencedAttachments(sha2s);
    },
    drain() {
      local.drain();
    },
  };
}
