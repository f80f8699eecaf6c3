/**
 * Erasure support of the SQLite StatementStore (issue 4): restriction checks on single reads,
 * deletion of every statement carrying one index key, and clean-up of orphaned attachments.
 */
import type { Database } from 'better-sqlite3';
import { copiedBelowReader, readBuckets } from './buckets';
import type { RefIds } from './ref-ids';

/** The erasure-related methods, bound to one database. */
export interface SqliteStatementErase {
  findStatementIdsWithRefs(ids: readonly string[], allRefs: readonly string[]): string[];
  deleteStatementsWithRef(ref: string): number;
  deleteUnreferencedAttachments(sha2s: readonly string[]): number;
}

/**
 * `beforeWrite` commits batches still waiting for their group commit, so that an erasure also
 * covers statements accepted just before it; `refIds` is forgotten after a deletion because the
 * erased key's interned id is deleted with it.
 */
export function createSqliteStatementErase(db: Database, refIds: RefIds, beforeWrite: () => void): SqliteStatementErase {
  const bucketing = readBuckets(db);
  const copiedBelow = copiedBelowReader(db);
  const seqsOfIds = db.prepare<[string], { seq: number; id: string }>(
    'SELECT seq, id FROM statements WHERE id IN (SELECT value FROM json_each(?))',
  );
  const hasRef = db.prepare<[number, number, number], number>(
    'SELECT 1 FROM statement_refs WHERE bucket = ? AND ref = ? AND seq = ?',
  ).pluck();
  const maxSeq = db.prepare<[], number | null>('SELECT max(seq) FROM statements').pluck();
  // The key's rows, bucket by bucket (the primary key leads with bucket, so each bucket is one seek).
  const seqsWithRef = db.prepare<[string, number], number>(
    'SELECT seq FROM statement_refs WHERE bucket IN (SELECT value FROM json_each(?)) AND ref = ?',
  ).pluck();
  const deleteRefRows = db.prepare<[number, string], { ref: number; seq: number }>(
    'DELETE FROM statement_refs WHERE bucket = ? AND seq IN (SELECT value FROM json_each(?)) RETURNING ref, seq',
  );
  // Copies of those rows in a sealed span, or one being sealed (seal.ts).
  const deleteSealedRow = db.prepare<[number, number, number]>('DELETE FROM sealed_refs WHERE span = ? AND ref = ? AND seq = ?');
  const deleteVoided = db.prepare<[string]>('DELETE FROM voided_seqs WHERE seq IN (SELECT value FROM json_each(?))');
  const deleteRows = db.prepare<[string]>('DELETE FROM statements WHERE seq IN (SELECT value FROM json_each(?))');
  // Keeps the newest seq taken: seq is the rowid, which SQLite would hand out again after the
  // largest row is deleted, and a `more` cursor past that seq would then skip the newcomer.
  const placeholder = db.prepare<[string, number]>(
    `UPDATE statements SET id = ?, voided = 1, voiding = 0, target_id = NULL, refs = '[]', json = '{}' WHERE seq = ?`,
  );
  const insertVoided = db.prepare<[number]>('INSERT OR IGNORE INTO voided_seqs (seq) VALUES (?)');
  const refStillUsed = db.prepare<[string, number], number>(
    'SELECT 1 FROM statement_refs WHERE bucket IN (SELECT value FROM json_each(?)) AND ref = ? LIMIT 1',
  ).pluck();
  const deleteRefId = db.prepare<[number]>('DELETE FROM ref_ids WHERE id = ?');
  const declares = db.prepare<[string], number>(
    `SELECT 1 FROM statements WHERE instr(lower(json), ?) > 0 LIMIT 1`,
  ).pluck();
  const deleteAttachment = db.prepare<[string]>('DELETE FROM attachments WHERE sha2 = ?');

  const allBuckets = (): string => {
    const top = maxSeq.get() ?? 0;
    return JSON.stringify(Array.from({ length: bucketing.of(top) + 1 }, (_, i) => i));
  };

  const erase = db.transaction((ref: string): number => {
    const id = refIds.lookup(ref);
    if (id === undefined) return 0;
    const buckets = allBuckets();
    const seqs = seqsWithRef.all(buckets, id);
    if (seqs.length > 0) {
      const top = maxSeq.get() ?? 0;
      const byBucket = new Map<number, number[]>();
      for (const s of seqs) byBucket.set(bucketing.of(s), [...(byBucket.get(bucketing.of(s)) ?? []), s]);
      const below = copiedBelow();
      for (const [bucket, list] of byBucket) {
        const rows = deleteRefRows.all(bucket, JSON.stringify(list));
        if (bucket < below) for (const r of rows) deleteSealedRow.run(bucketing.spanOf(bucket), r.ref, r.seq);
      }
      const keepTop = seqs.includes(top);
      const gone = keepTop ? seqs.filter((s) => s !== top) : seqs;
      deleteVoided.run(JSON.stringify(gone));
      deleteRows.run(JSON.stringify(gone));
      if (keepTop) {
        placeholder.run(`erased:${top}`, top);
        insertVoided.run(top);
      }
    }
    if (refStillUsed.get(buckets, id) === undefined) deleteRefId.run(id);
    return seqs.length;
  });

  return {
    findStatementIdsWithRefs(ids, allRefs) {
      if (ids.length === 0) return [];
      const keys: number[] = [];
      for (const r of new Set(allRefs)) {
        const k = refIds.lookup(r);
        if (k === undefined) return [];
        keys.push(k);
      }
      return seqsOfIds
        .all(JSON.stringify(ids))
        .filter((row) => keys.every((k) => hasRef.get(bucketing.of(row.seq), k, row.seq) !== undefined))
        .map((row) => row.id);
    },
    deleteStatementsWithRef(ref) {
      beforeWrite();
      try {
        return erase.immediate(ref);
      } finally {
        refIds.forget();
      }
    },
    deleteUnreferencedAttachments(sha2s) {
      let n = 0;
      for (const sha of new Set(sha2s.map((s) => s.toLowerCase()))) {
        // A declaration carries "sha2":"<hex>"; matching the hex alone (64+ hex digits) is
        // precise enough and keeps the scan one instr() per row.
        if (declares.get(sha) === undefined) n += deleteAttachment.run(sha).changes;
      }
      return n;
    },
  };
}
