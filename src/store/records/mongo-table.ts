import { MongoBulkWriteError, type Db, type Filter } from 'mongodb';
import { badRequest } from '../../errors';
import { guard, isOnlyDuplicateKeyErrors, toAppError } from '../mongo/errors';
import { FIELD, matchesNothing, prefixEnd, type KeyValue, type OpenRecordTable, type RecordFilter, type RecordTableSpec } from './table';

/** A row as a document: `_id`, the key fields, and the JSON as a string (CASE and credential JSON may hold keys MongoDB refuses). */
type RecordDoc = { _id: string; json: string } & Record<string, unknown>;

/**
 * Record tables on MongoDB: collection `rec_<name>`, one single-field index per key.
 * `ready` resolves once the indexes exist (the store awaits it when it opens).
 */
export function mongoRecordTables(db: Db, pending: Promise<unknown>[]): OpenRecordTable {
  return (spec: RecordTableSpec) => {
    const coll = db.collection<RecordDoc>(`rec_${spec.name}`);
    const plain = spec.columns ?? [];
    const fields = [...spec.keys, ...plain];
    for (const k of spec.keys) pending.push(coll.createIndex({ [k]: 1 }, { name: k }));
    // A field that was a key before loses its index (ADR 0035); none there is fine.
    for (const k of plain) pending.push(coll.dropIndex(k).catch(() => undefined));
    const toFilter = (filter: RecordFilter): Filter<RecordDoc> => {
      const f: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(filter)) {
        if (!fields.includes(k) && k !== 'id') throw badRequest(`${spec.name} has no key ${k}`);
        const field = k === 'id' ? '_id' : k;
        f[field] = Array.isArray(v) ? { $in: v } : v;
      }
      return f as Filter<RecordDoc>;
    };
    const doc = (r: { id: string; keys: Readonly<Record<string, KeyValue>>; json: string }): RecordDoc => {
      const d: RecordDoc = { _id: r.id, json: r.json };
      for (const k of fields) d[k] = r.keys[k] ?? null;
      return d;
    };
    const what = `record table ${spec.name}`;
    return {
      async put(rows) {
        if (rows.length === 0) return;
        await guard(`writing ${what}`, () => coll.bulkWrite(rows.map((r) => ({ replaceOne: { filter: { _id: r.id }, replacement: doc(r), upsert: true } })), { ordered: false }));
      },
      async insertNew(rows) {
        if (rows.length === 0) return [];
        const existing = new Set(
          (await guard(`reading ${what}`, () => coll.find({ _id: { $in: rows.map((r) => r.id) } }, { projection: { _id: 1 } }).toArray())).map((d) => d._id),
        );
        const fresh = rows.filter((r) => !existing.has(r.id));
        if (fresh.length === 0) return [];
        try {
          await coll.insertMany(fresh.map(doc), { ordered: false });
          return fresh.map((r) => r.id);
        } catch (err) {
          // Another instance inserted some of them meanwhile: those are not ours.
          if (!(err instanceof MongoBulkWriteError) || !isOnlyDuplicateKeyErrors(err)) throw toAppError(err, `writing ${what}`);
          const failed = new Set((Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors]).map((w) => w.index));
          return fresh.filter((_, i) => !failed.has(i)).map((r) => r.id);
        }
      },
      async get(ids) {
        if (ids.length === 0) return [];
        return (await guard(`reading ${what}`, () => coll.find({ _id: { $in: [...ids] } }).toArray())).map((d) => d.json);
      },
      async find(filter, limit) {
        if (matchesNothing(filter)) return [];
        if (limit !== undefined && limit <= 0) return [];
        const cursor = coll.find(toFilter(filter), { projection: { json: 1 } });
        if (limit !== undefined) cursor.limit(Math.trunc(limit));
        return (await guard(`reading ${what}`, () => cursor.toArray())).map((d) => d.json);
      },
      async findFields(filter, fields) {
        if (matchesNothing(filter) || fields.length === 0) return [];
        for (const f of fields) if (!FIELD.test(f)) throw new Error(`bad record field name ${f}`);
        // The JSON is a string here (see RecordDoc): read it whole and pick.
        const docs = await guard(`reading ${what}`, () => coll.find(toFilter(filter), { projection: { json: 1 } }).toArray());
        return docs.map((d) => {
          const o = JSON.parse(d.json) as Record<string, unknown>;
          return fields.map((f) => o[f] ?? null);
        });
      },
      async findColumns(filter, names) {
        if (matchesNothing(filter) || names.length === 0) return [];
        for (const n of names) if (n !== 'id' && !fields.includes(n)) throw new Error(`${spec.name} has no column ${n}`);
        const projection: Record<string, 1> = { _id: 1 };
        for (const n of names) if (n !== 'id') projection[n] = 1;
        const docs = await guard(`reading ${what}`, () => coll.find(toFilter(filter), { projection }).toArray());
        return docs.map((d) => names.map((n) => ((n === 'id' ? d._id : d[n]) ?? null) as KeyValue));
      },
      async findIdPrefixes(prefixes) {
        const list = [...new Set(prefixes)];
        if (list.some((p) => p === '')) throw new Error('an empty id prefix');
        const out: string[] = [];
        for (let i = 0; i < list.length; i += 100) {
          const ranges = list.slice(i, i + 100).map((p) => ({ _id: { $gte: p, $lt: prefixEnd(p) } }));
          const docs = await guard(`reading ${what}`, () => coll.find({ $or: ranges } as Filter<RecordDoc>, { projection: { json: 1 } }).toArray());
          out.push(...docs.map((d) => d.json));
        }
        return out;
      },
      async delete(filter) {
        if (matchesNothing(filter)) return 0;
        return (await guard(`deleting from ${what}`, () => coll.deleteMany(toFilter(filter)))).deletedCount;
      },
      async deleteIds(ids) {
        if (ids.length === 0) return 0;
        return (await guard(`deleting from ${what}`, () => coll.deleteMany({ _id: { $in: [...ids] } }))).deletedCount;
      },
    };
  };
}
