import { MongoBulkWriteError, type AnyBulkWriteOperation, type Db } from 'mongodb';
import type { ActivityRecord, ActivityStore } from '../ports';
import { findByIds } from './by-ids';
import { isDuplicateKeyError } from './errors';

/** How an activity is kept; the definition is JSON text because extension keys are IRIs with
 * dots, which FerretDB (and older MongoDB) refuse as field names. */
interface ActivityDoc {
  _id: string;
  definition: string;
  updated: string;
}

const COLLECTION = 'activities';

function toRecord(d: ActivityDoc): ActivityRecord {
  return { id: d._id, definition: JSON.parse(d.definition) as Record<string, unknown>, updated: d.updated };
}

/** Nothing beyond the _id index is needed (look-ups are by id only); kept for symmetry. Idempotent. */
export async function ensureMongoActivityIndexes(_db: Db): Promise<void> {
  // The activity id is the _id; its index is created with the collection.
}

/** Canonical activity definitions on MongoDB, one document per activity id. */
export function createMongoActivityStore(db: Db): ActivityStore {
  const col = db.collection<ActivityDoc>(COLLECTION);
  return {
    async findActivity(id) {
      const d = await col.findOne({ _id: id });
      return d ? toRecord(d) : undefined;
    },
    async findActivities(ids) {
      if (ids.length === 0) return [];
      const docs = await findByIds(col, ids);
      return docs.map(toRecord);
    },
    async upsertActivities(records) {
      if (records.length === 0) return;
      // Last write wins also inside one batch: keep only the last record of each id.
      const last = new Map<string, ActivityRecord>();
      for (const r of records) last.set(r.id, r);
      const docs: ActivityDoc[] = [...last.values()].map((r) => ({ _id: r.id, definition: JSON.stringify(r.definition), updated: r.updated }));
      // Insert first: most definitions are new, and FerretDB 1.x inserts by primary key but scans
      // the collection for every update (about 30 ms each at 3,000 activities). Only the ids that
      // already exist are replaced.
      let existing = docs;
      try {
        await col.insertMany(docs, { ordered: false });
        return;
      } catch (err) {
        const failed = duplicateIndexes(err, docs.length);
        if (!failed) throw err;
        existing = docs.filter((_, i) => failed.has(i));
      }
      const ops: AnyBulkWriteOperation<ActivityDoc>[] = existing.map((d) => ({
        replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true },
      }));
      if (ops.length > 0) await col.bulkWrite(ops, { ordered: false });
    },
  };
}

/** Indexes of the documents an unordered insertMany refused as duplicates; undefined for any other error. */
function duplicateIndexes(err: unknown, count: number): Set<number> | undefined {
  if (!(err instanceof MongoBulkWriteError)) return isDuplicateKeyError(err) ? new Set(Array.from({ length: count }, (_, i) => i)) : undefined;
  const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
  if (writeErrors.length === 0 || writeErrors.some((w) => w.code !== 11000)) return undefined;
  return new Set(writeErrors.map((w) => w.index));
}
