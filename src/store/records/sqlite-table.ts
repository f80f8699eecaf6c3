import type { Database, Statement } from 'better-sqlite3';
import { badRequest } from '../../errors';
import { FIELD, matchesNothing, prefixEnd, type KeyValue, type OpenRecordTable, type RecordFilter, type RecordRow, type RecordTableSpec, type RecordUnitOfWork } from './table';

const NAME = /^[a-z][a-z0-9_]*$/;
/** SQLite's default bound-parameter limit is far higher, but big IN lists are cut anyway. */
const CHUNK = 500;

function check(name: string): string {
  if (!NAME.test(name)) throw new Error(`bad record table or key name ${name}`);
  return name;
}

/** Record tables on SQLite: `rec_<name>` with one column per key (each indexed) and the JSON. */
export function sqliteRecordTables(db: Database): OpenRecordTable {
  return (spec: RecordTableSpec) => {
    const table = `rec_${check(spec.name)}`;
    const indexed = spec.keys.map(check);
    const plain = (spec.columns ?? []).map(check);
    const keys = [...indexed, ...plain];
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, ${keys.map((k) => `${k}`).join(', ')}${keys.length ? ',' : ''} json TEXT NOT NULL)`);
    // A table made before a field was declared gets its column (null in older rows; ADR 0035).
    const have = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
    for (const k of keys) if (!have.has(k)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${k}`);
    for (const k of indexed) db.exec(`CREATE INDEX IF NOT EXISTS ${table}_${k} ON ${table} (${k})`);
    for (const k of plain) db.exec(`DROP INDEX IF EXISTS ${table}_${k}`);
    const cols = ['id', ...keys, 'json'];
    const placeholders = cols.map(() => '?').join(', ');
    // An update in place (not OR REPLACE, which deletes and reinserts under a new rowid): the id's
    // index is left alone, so rewriting a row dirties its table page only (ADR 0035).
    const upsert = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${placeholders}) ON CONFLICT (id) DO UPDATE SET ${[...keys, 'json'].map((c) => `${c} = excluded.${c}`).join(', ')}`);
    const insertIgnore = db.prepare(`INSERT OR IGNORE INTO ${table} (${cols.join(', ')}) VALUES (${placeholders})`);
    const cache = new Map<string, Statement>();
    const prepared = (sql: string): Statement => {
      let s = cache.get(sql);
      if (!s) {
        s = db.prepare(sql);
        cache.set(sql, s);
      }
      return s;
    };
    const values = (r: RecordRow): KeyValue[] => [r.id, ...keys.map((k) => r.keys[k] ?? null), r.json];
    const where = (filter: RecordFilter): { sql: string; args: KeyValue[] } => {
      const parts: string[] = [];
      const args: KeyValue[] = [];
      for (const [k, v] of Object.entries(filter)) {
        if (!keys.includes(k) && k !== 'id') throw badRequest(`${spec.name} has no key ${k}`);
        if (Array.isArray(v)) {
          parts.push(`${k} IN (${v.map(() => '?').join(', ')})`);
          args.push(...(v as KeyValue[]));
        } else if (v === null) {
          parts.push(`${k} IS NULL`);
        } else {
          parts.push(`${k} = ?`);
          args.push(v as KeyValue);
        }
      }
      return { sql: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', args };
    };
    const putAll = db.transaction((rows: readonly RecordRow[]) => {
      for (const r of rows) upsert.run(values(r));
    });
    const insertAll = db.transaction((rows: readonly RecordRow[]) => rows.filter((r) => insertIgnore.run(values(r)).changes > 0).map((r) => r.id));
    return {
      async put(rows) {
        putAll(rows);
      },
      async insertNew(rows) {
        return insertAll(rows);
      },
      async get(ids) {
        const out: string[] = [];
        for (let i = 0; i < ids.length; i += CHUNK) {
          const chunk = ids.slice(i, i + CHUNK);
          const rows = prepared(`SELECT json FROM ${table} WHERE id IN (${chunk.map(() => '?').join(', ')})`).all(...chunk) as { json: string }[];
          out.push(...rows.map((r) => r.json));
        }
        return out;
      },
      async find(filter, limit) {
        if (matchesNothing(filter)) return [];
        const w = where(filter);
        const lim = limit !== undefined ? ` LIMIT ${Math.max(0, Math.trunc(limit))}` : '';
        return (prepared(`SELECT json FROM ${table}${w.sql}${lim}`).all(...w.args) as { json: string }[]).map((r) => r.json);
      },
      async findFields(filter, fields) {
        if (matchesNothing(filter) || fields.length === 0) return [];
        for (const f of fields) if (!FIELD.test(f)) throw new Error(`bad record field name ${f}`);
        const w = where(filter);
        // json_extract with several paths answers a JSON array of their values (parsed by SQLite, not here).
        const paths = fields.length === 1 ? [...fields, fields[0] as string] : fields;
        const rows = prepared(`SELECT json_extract(json, ${paths.map((f) => `'$.${f}'`).join(', ')}) AS v FROM ${table}${w.sql}`).all(...w.args) as { v: string }[];
        return rows.map((r) => {
          const values = JSON.parse(r.v) as unknown[];
          return fields.length === 1 ? values.slice(0, 1) : values;
        });
      },
      async findColumns(filter, names) {
        if (matchesNothing(filter) || names.length === 0) return [];
        for (const n of names) if (n !== 'id' && !keys.includes(n)) throw new Error(`${spec.name} has no column ${n}`);
        const w = where(filter);
        return prepared(`SELECT ${names.join(', ')} FROM ${table}${w.sql}`).raw(true).all(...w.args) as KeyValue[][];
      },
      async findIdPrefixes(prefixes) {
        const range = prepared(`SELECT json FROM ${table} WHERE id >= ? AND id < ?`);
        const out: string[] = [];
        for (const p of new Set(prefixes)) {
          if (p === '') throw new Error('an empty id prefix');
          for (const r of range.all(p, prefixEnd(p)) as { json: string }[]) out.push(r.json);
        }
        return out;
      },
      async delete(filter) {
        if (matchesNothing(filter)) return 0;
        const w = where(filter);
        return prepared(`DELETE FROM ${table}${w.sql}`).run(...w.args).changes;
      },
      async deleteIds(ids) {
        let n = 0;
        for (let i = 0; i < ids.length; i += CHUNK) {
          const chunk = ids.slice(i, i + CHUNK);
          n += prepared(`DELETE FROM ${table} WHERE id IN (${chunk.map(() => '?').join(', ')})`).run(...chunk).changes;
        }
        return n;
      },
    };
  };
}

/**
 * One transaction around several record-table calls (ADR 0035). Those calls are synchronous
 * underneath (their promises settle in microtasks), so nothing else runs on this connection
 * between BEGIN and COMMIT; inside an open transaction the calls simply join it.
 */
export function sqliteUnitOfWork(db: Database): RecordUnitOfWork {
  return async (fn) => {
    if (db.inTransaction) return fn();
    db.exec('BEGIN IMMEDIATE');
    try {
      const out = await fn();
      db.exec('COMMIT');
      return out;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  };
}
