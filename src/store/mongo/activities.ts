import type { AnyBulkWriteOperation, Db } from 'mongodb';
import type { ActivityRecord, ActivityStore } from '../ports';

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
      const docs = await col.find({ _id: { $in: [...new Set(ids)] } }).toArray();
      return docs.map(toRecord);
    },
    async upsertActivities(records) {
      if (records.length === 0) return;
      // Last write wins also inside one batch: keep only the last record of each id.
      const last = new Map<string, ActivityRecord>();
      for (const r of records) last.set(r.id, r);
      const ops: AnyBulkWriteOperation<ActivityDoc>[] = [...last.values()].map((r) => ({
        replaceOne: {
          filter: { _id: r.id },
          replacement: { _id: r.id, definition: JSON.stringify(r.definition), updated: r.updated },
          upsert: true,
        },
      }));
      await col.bulkWrite(ops, { ordered: false });
    },
  };
}
