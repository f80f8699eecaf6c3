import type { Database, Statement } from 'better-sqlite3';
import { conflict } from '../../errors';
import type { AttachmentContent, InsertResult, NewStatement } from '../ports';
import { copiedBelowReader, readBuckets, SEALED_KIND_SQL } from './buckets';
import { toIsoMillis } from './iso-time';
import type { RefIds } from './ref-ids';
import { isInheritableRef } from '../ref-kinds';

/** Rows per multi-row statement_refs INSERT (3 parameters each). */
const MAX_ROWS_PER_INSERT = 32;

interface LinkRow {
  seq: number;
  id: string;
  voiding: number;
  refs: string;
}

/**
 * A statement ready for the table: its JSON already serialised, so that it can be handed to the
 * writer thread as a string (cheap to pass between threads) instead of an object graph.
 */
export interface StatementRow {
  readonly id: string;
  readonly stored: string;
  /** JSON.stringify of the statement. */
  readonly json: string;
  /** The `stored` property inside `json` (the writer rewrites it when it raises stored). */
  readonly jsonStored: unknown;
  readonly refs: readonly string[];
  readonly targetId?: string;
  readonly voidsId?: string;
}

/** The row of a statement handed to the store. */
export function toStatementRow(s: NewStatement): StatementRow {
  return {
    id: s.id,
    stored: s.stored,
    json: JSON.stringify(s.statement),
    jsonStored: s.statement['stored'],
    refs: s.refs,
    ...(s.targetId !== undefined ? { targetId: s.targetId } : {}),
    ...(s.voidsId !== undefined ? { voidsId: s.voidsId } : {}),
  };
}

/**
 * What a batch wrote, for the log feed (log-feed.ts): enough to give its statements to the
 * pipeline as findLog would read them back, without reading them back.
 */
export interface BatchLog {
  /** The highest seq when the batch began (its transaction holds the write lock: every seq above it up to the last is the batch's). */
  readonly before: number;
  /** Per statement of the batch, in order: its seq and its `stored` (raised to keep stored non-decreasing). */
  readonly seqs: readonly number[];
  readonly stored: readonly string[];
  /** Seqs the batch left voided: targets of its voiding statements, and its statements stored already voided. */
  readonly voided: readonly number[];
}

/** InsertResult, and what the log feed needs of the batch. */
export interface BatchResult extends InsertResult {
  readonly log: BatchLog;
}

/** Writes one batch; must run inside a write transaction (the caller owns commit/rollback). */
export type BatchWriter = (batch: readonly StatementRow[], attachments: readonly AttachmentContent[]) => BatchResult;

/**
 * Creates the batch writer: prepared statements reused, `stored` kept non-decreasing with seq,
 * voiding and StatementRef inheritance applied whatever order statements arrive in.
 */
export function createBatchWriter(db: Database, refIds: RefIds): BatchWriter {
  const bucketing = readBuckets(db);
  const copiedBelow = copiedBelowReader(db);
  // Keys a statement inherits late (its StatementRef's target arrived after it), copied into its
  // sealed span when its bucket is copied there already (the span sealed, or being sealed: seal.ts).
  // Its verb is then not known from one row (it may have inherited a second): -1 on all its sealed
  // rows, so scans probe its verb keys.
  const insertSealed = db.prepare<[number, number, string]>(
    `INSERT OR IGNORE INTO sealed_refs (span, ref, seq, verb)
     SELECT ?, k.id, ?, -1 FROM ref_ids k WHERE k.id IN (SELECT value FROM json_each(?)) AND ${SEALED_KIND_SQL}`,
  );
  const unknownVerb = db.prepare<[number, number, string]>('UPDATE sealed_refs SET verb = -1 WHERE span = ? AND seq = ? AND ref IN (SELECT value FROM json_each(?))');
  const last = db.prepare<[], { seq: number; stored: string }>('SELECT seq, stored FROM statements ORDER BY seq DESC LIMIT 1');
  const insertRow = db.prepare<[string, string, number, number, string | null, string, string]>(
    'INSERT INTO statements (id, stored, voided, voiding, target_id, refs, json) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  // One multi-row INSERT per statement instead of one per key: each native call has a fixed cost
  // that a statement's ~10 keys would otherwise pay ten times.
  const refInserts: Statement<number[]>[] = [];
  const refInsert = (n: number): Statement<number[]> =>
    (refInserts[n] ??= db.prepare<number[]>(
      `INSERT OR IGNORE INTO statement_refs (bucket, ref, seq) VALUES ${Array.from({ length: n }, () => '(?, ?, ?)').join(', ')}`,
    ));
  const insertRefs = (refs: readonly number[], seq: number): void => {
    const bucket = bucketing.of(seq);
    for (let i = 0; i < refs.length; i += MAX_ROWS_PER_INSERT) {
      const part = refs.slice(i, i + MAX_ROWS_PER_INSERT);
      const args: number[] = [];
      for (const ref of part) args.push(bucket, ref, seq);
      refInsert(part.length).run(...args);
    }
  };
  const findById = db.prepare<[string], LinkRow>('SELECT seq, id, voiding, refs FROM statements WHERE id = ?');
  const findPointingAt = db.prepare<[string], LinkRow>(
    'SELECT seq, id, voiding, refs FROM statements WHERE target_id = ?',
  );
  const setRefs = db.prepare<[string, number]>('UPDATE statements SET refs = ? WHERE seq = ?');
  const setVoidedRow = db.prepare<[number]>('UPDATE statements SET voided = 1 WHERE seq = ?');
  const insertVoidedSeq = db.prepare<[number]>('INSERT OR IGNORE INTO voided_seqs (seq) VALUES (?)');
  const setVoided = (seq: number): void => {
    setVoidedRow.run(seq);
    insertVoidedSeq.run(seq);
  };
  const insertAttachment = db.prepare<[string, string, Buffer]>(
    'INSERT OR IGNORE INTO attachments (sha2, content_type, content) VALUES (?, ?, ?)',
  );

  /** Adds `added` ref ids to every statement pointing at `id`, and on down the chain. */
  function propagate(id: string, added: readonly number[], visited: Set<string>): void {
    if (visited.has(id)) return; // a cycle cannot come from valid data, but must not loop
    visited.add(id);
    for (const child of findPointingAt.all(id)) {
      const have = new Set(parseRefIds(child.refs));
      const fresh = added.filter((r) => !have.has(r));
      if (fresh.length === 0) continue;
      insertRefs(fresh, child.seq);
      const bucket = bucketing.of(child.seq);
      if (bucket < copiedBelow()) {
        unknownVerb.run(bucketing.spanOf(bucket), child.seq, JSON.stringify([...have]));
        insertSealed.run(bucketing.spanOf(bucket), child.seq, JSON.stringify(fresh));
      }
      setRefs.run(JSON.stringify([...have, ...fresh]), child.seq);
      propagate(child.id, fresh, visited);
    }
  }

  function insertOne(s: StatementRow, floorStored: string, voidedSeqs: number[]): { stored: string; seq: number } {
    const requested = toIsoMillis(s.stored, `statements[${s.id}].stored`);
    const stored = requested < floorStored ? floorStored : requested;
    const json = stored === s.jsonStored ? s.json : withStored(s.json, stored);

    // The refs column keeps only inheritable keys (own and inherited); ownership keys are indexed
    // for this statement alone (see src/store/ref-kinds.ts).
    const refs = new Set(s.refs.filter(isInheritableRef).map((r) => refIds.intern(r)));
    const ownerRefs = s.refs.filter((r) => !isInheritableRef(r)).map((r) => refIds.intern(r));
    if (s.targetId !== undefined) {
      const target = findById.get(s.targetId);
      if (target) for (const r of parseRefIds(target.refs)) refs.add(r);
    }
    // Statements that arrived earlier pointing at this one: a voiding one voids it now (unless
    // this one is itself voiding: a voiding statement cannot be voided).
    const pointing = findPointingAt.all(s.id);
    const isVoiding = s.voidsId !== undefined;
    const voided = !isVoiding && pointing.some((p) => p.voiding === 1);
    const allRefs = [...refs];

    let seq: number;
    try {
      const info = insertRow.run(
        s.id, stored, voided ? 1 : 0, isVoiding ? 1 : 0, s.targetId ?? null, JSON.stringify(allRefs),
        json,
      );
      seq = Number(info.lastInsertRowid);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`statement id ${s.id} is already stored`);
      throw err;
    }
    insertRefs(ownerRefs.length > 0 ? [...allRefs, ...ownerRefs] : allRefs, seq);
    if (voided) {
      insertVoidedSeq.run(seq);
      voidedSeqs.push(seq);
    }

    if (s.voidsId !== undefined) {
      const target = findById.get(s.voidsId);
      if (target && target.voiding === 0) {
        setVoided(target.seq);
        voidedSeqs.push(target.seq);
      }
    }
    if (pointing.length > 0) propagate(s.id, allRefs, new Set());
    return { stored, seq };
  }

  return (batch, attachments) => {
    const top = last.get();
    let floor = top?.stored ?? '';
    const seqs: number[] = [];
    const stored: string[] = [];
    const voided: number[] = [];
    for (const s of batch) {
      const one = insertOne(s, floor, voided);
      floor = one.stored;
      seqs.push(one.seq);
      stored.push(one.stored);
    }
    for (const a of attachments) insertAttachment.run(a.sha2, a.contentType, a.content);
    const lastSeq = seqs[seqs.length - 1];
    return {
      inserted: batch.map((s) => s.id),
      ...(lastSeq !== undefined ? { lastSeq } : {}),
      log: { before: top?.seq ?? 0, seqs, stored, voided },
    };
  };
}

/** The statement JSON with its `stored` property replaced. */
function withStored(json: string, stored: string): string {
  const statement = JSON.parse(json) as Record<string, unknown>;
  return JSON.stringify({ ...statement, stored });
}

function parseRefIds(text: string): number[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}

function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && 'code' in err &&
    (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}
