import type { Db } from 'mongodb';
import type { ErasureRecord, LogEntry, PipelineCursor, PipelineStore } from '../ports';
import type { StatementDoc } from './collections';
import { guard, isDuplicateKeyError, toAppError } from './errors';
import { rowToStored } from './statement-query';

interface CursorDoc {
  _id: string; seq: number; updatedAt?: string; lastError?: string; lastErrorAt?: string; failures: number;
  rebuildRequestedAt?: string;
}
/** A subscriber's lease: taken by insert (unique `_id`), renewed by its holder only, taken over by delete + insert. */
interface LeaseDoc { _id: string; holder: string; until: number }
interface ErasureDoc { _id: string; n: number; userId: string; seq: number; at: string; doneBy: string[] }

/** Creates the pipeline indexes; idempotent. */
export async function ensureMongoPipelineIndexes(db: Db): Promise<void> {
  await db.collection('pipeline_erasures').createIndex({ n: 1 }, { name: 'n' });
}

let lastOrder = 0;
function nextOrder(): number {
  lastOrder = Math.max(Date.now() * 1000, lastOrder + 1);
  return lastOrder;
}

function toCursor(d: CursorDoc, lease: LeaseDoc | undefined): PipelineCursor {
  return {
    name: d._id, seq: d.seq, failures: d.failures ?? 0,
    ...(d.updatedAt !== undefined ? { updatedAt: d.updatedAt } : {}),
    ...(d.lastError !== undefined ? { lastError: d.lastError } : {}),
    ...(d.lastErrorAt !== undefined ? { lastErrorAt: d.lastErrorAt } : {}),
    ...(d.rebuildRequestedAt !== undefined ? { rebuildRequestedAt: d.rebuildRequestedAt } : {}),
    ...(lease ? { holder: lease.holder, leaseUntil: lease.until } : {}),
  };
}

/**
 * The MongoDB PipelineStore. Leases avoid conditional updates racing each other (FerretDB lets
 * two conditional updates of one document both "win", ADR 0016): a free lease is taken by an
 * insert, which the unique `_id` lets only one instance do; an expired one is deleted (matching
 * its holder and expiry, so a fresh lease is never deleted) and then inserted again.
 */
export function createMongoPipelineStore(db: Db): PipelineStore {
  const statements = db.collection<StatementDoc>('statements');
  const cursors = db.collection<CursorDoc>('pipeline_cursors');
  const leases = db.collection<LeaseDoc>('pipeline_leases');
  const erasures = db.collection<ErasureDoc>('pipeline_erasures');

  async function ensure(name: string): Promise<void> {
    try {
      await cursors.updateOne({ _id: name }, { $setOnInsert: { seq: 0, failures: 0 } }, { upsert: true });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw toAppError(err, 'creating a pipeline cursor');
    }
  }

  async function insertLease(doc: LeaseDoc): Promise<boolean> {
    try {
      await leases.insertOne(doc);
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw toAppError(err, 'taking a pipeline lease');
    }
  }

  return {
    async findLog({ afterSeq, upToSeq, limit }) {
      if (upToSeq <= afterSeq || limit < 1) return [];
      const docs = await guard('reading the statement log', () => statements
        .find({ seq: { $gt: afterSeq, $lte: upToSeq }, gap: { $exists: false } }, { projection: { _id: 1, seq: 1, stored: 1, voided: 1, json: 1, refs: 1 } })
        .sort({ seq: 1 }).limit(limit).toArray());
      return docs.map((d): LogEntry => ({
        statement: rowToStored(d),
        orgIds: d.refs.filter((r) => r.startsWith('g|')).map((r) => r.slice(2)).sort(),
      }));
    },
    async findCursor(name) {
      const [d, lease] = await guard('reading a pipeline cursor', () => Promise.all([cursors.findOne({ _id: name }), leases.findOne({ _id: name })]));
      return d ? toCursor(d, lease ?? undefined) : undefined;
    },
    async findCursors() {
      const [docs, ls] = await guard('reading pipeline cursors', () => Promise.all([cursors.find({}).toArray(), leases.find({}).toArray()]));
      const byName = new Map(ls.map((l) => [l._id, l]));
      return docs.map((d) => toCursor(d, byName.get(d._id))).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async updateCursor(name, u) {
      await ensure(name);
      const clear = { lastError: '' as const, lastErrorAt: '' as const };
      await guard('moving a pipeline cursor', () => (u.reset
        ? cursors.updateOne({ _id: name }, { $set: { seq: u.seq, updatedAt: u.at, failures: 0 }, $unset: { ...clear, rebuildRequestedAt: '' } })
        : cursors.updateOne({ _id: name }, { $max: { seq: u.seq }, $set: { updatedAt: u.at, failures: 0 }, $unset: clear })));
    },
    async recordCursorError(name, e) {
      await ensure(name);
      await guard('recording a pipeline error', () =>
        cursors.updateOne({ _id: name }, { $set: { lastError: e.message.slice(0, 2000), lastErrorAt: e.at }, $inc: { failures: 1 } }));
    },
    async requestRebuild(name, at) {
      await ensure(name);
      await guard('requesting a rebuild', () => cursors.updateOne({ _id: name }, { $set: { rebuildRequestedAt: at } }));
    },
    async claimLease(name, holder, ttlMs) {
      await ensure(name);
      const now = Date.now();
      const current = await guard('reading a pipeline lease', () => leases.findOne({ _id: name }));
      if (!current) return insertLease({ _id: name, holder, until: now + ttlMs });
      if (current.holder === holder) {
        const res = await guard('renewing a pipeline lease', () => leases.updateOne({ _id: name, holder }, { $set: { until: now + ttlMs } }));
        return res.matchedCount === 1;
      }
      if (current.until >= now) return false;
      await guard('taking over a pipeline lease', () => leases.deleteOne({ _id: name, holder: current.holder, until: current.until }));
      return insertLease({ _id: name, holder, until: now + ttlMs });
    },
    async releaseLease(name, holder) {
      await guard('releasing a pipeline lease', () => leases.deleteOne({ _id: name, holder }));
    },
    async insertErasure(e) {
      try {
        await erasures.insertOne({ _id: e.id, n: nextOrder(), userId: e.userId, seq: e.seq, at: e.at, doneBy: [] });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw toAppError(err, 'recording an erasure');
      }
    },
    async findPendingErasures(name, limit) {
      const docs = await guard('reading erasures', () => erasures.find({ doneBy: { $ne: name } }).sort({ n: 1 }).limit(limit).toArray());
      return docs.map((d): ErasureRecord => ({ id: d._id, userId: d.userId, seq: d.seq, at: d.at }));
    },
    async markErasureDone(id, name) {
      await guard('marking an erasure done', () => erasures.updateOne({ _id: id }, { $addToSet: { doneBy: name } }));
    },
  };
}
