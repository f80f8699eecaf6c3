import type { Database, Statement } from 'better-sqlite3';
import type { DocumentKey, DocumentScope, DocumentStore, StoredDocument, WriteCondition } from '../ports';

interface DocumentRow {
  kind: string;
  activity_id: string;
  agent_key: string;
  registration: string;
  doc_id: string;
  content_type: string;
  content: Buffer;
  etag: string;
  updated: string;
}

/**
 * Creates the documents table when missing. Idempotent (CREATE … IF NOT EXISTS), so it can run at
 * every open or from the numbered migrations.
 */
export function migrateSqliteDocuments(db: Database): void {
  db.exec(`
    -- One row per State / Activity Profile / Agent Profile document. Unused key parts are ''
    -- so the unique key compares plainly (NULLs would never collide).
    CREATE TABLE IF NOT EXISTS documents (
      kind         TEXT NOT NULL,
      activity_id  TEXT NOT NULL,
      agent_key    TEXT NOT NULL,
      registration TEXT NOT NULL,
      doc_id       TEXT NOT NULL,
      content_type TEXT NOT NULL,
      content      BLOB NOT NULL,
      etag         TEXT NOT NULL,
      updated      TEXT NOT NULL
    );
    -- The key; its prefix also serves listing and bulk deletes of one activity+agent scope.
    CREATE UNIQUE INDEX IF NOT EXISTS documents_key
      ON documents (kind, activity_id, agent_key, registration, doc_id);
  `);
}

function toDocument(r: DocumentRow): StoredDocument {
  return {
    key: { kind: r.kind as DocumentKey['kind'], activityId: r.activity_id, agentKey: r.agent_key, registration: r.registration, docId: r.doc_id },
    contentType: r.content_type,
    content: r.content,
    etag: r.etag,
    updated: r.updated,
  };
}

const KEY_WHERE = 'kind = ? AND activity_id = ? AND agent_key = ? AND registration = ? AND doc_id = ?';

function keyParams(k: DocumentKey): [string, string, string, string, string] {
  return [k.kind, k.activityId, k.agentKey, k.registration, k.docId];
}

/**
 * Document store on SQLite. Every conditional write is one SQL statement, so the compare and the
 * set are atomic even when several processes share the file.
 */
export function createSqliteDocumentStore(db: Database): DocumentStore {
  const find = db.prepare<[string, string, string, string, string], DocumentRow>(`SELECT * FROM documents WHERE ${KEY_WHERE}`);
  const exists = db.prepare<[string, string, string, string, string], { one: number }>(
    `SELECT 1 AS one FROM documents WHERE ${KEY_WHERE}`,
  );
  const insertCols = '(kind, activity_id, agent_key, registration, doc_id, content_type, content, etag, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const upsert = db.prepare(
    `INSERT INTO documents ${insertCols}
     ON CONFLICT (kind, activity_id, agent_key, registration, doc_id)
     DO UPDATE SET content_type = excluded.content_type, content = excluded.content, etag = excluded.etag, updated = excluded.updated`,
  );
  const insertIfAbsent = db.prepare(
    `INSERT INTO documents ${insertCols} ON CONFLICT (kind, activity_id, agent_key, registration, doc_id) DO NOTHING`,
  );
  const updateIfEtag = db.prepare(
    `UPDATE documents SET content_type = ?, content = ?, etag = ?, updated = ? WHERE ${KEY_WHERE} AND etag = ?`,
  );
  const deleteOne = db.prepare(`DELETE FROM documents WHERE ${KEY_WHERE}`);
  const deleteIfEtag = db.prepare(`DELETE FROM documents WHERE ${KEY_WHERE} AND etag = ?`);

  function scopeWhere(scope: DocumentScope): { sql: string; params: string[] } {
    const params = [scope.kind, scope.activityId, scope.agentKey];
    let sql = 'kind = ? AND activity_id = ? AND agent_key = ?';
    if (scope.registration !== undefined) {
      sql += ' AND registration = ?';
      params.push(scope.registration);
    }
    return { sql, params };
  }
  // The scoped statements come in a few shapes only (with/without registration, since).
  const listCache = new Map<string, Statement<string[]>>();
  function prepared(sql: string): Statement<string[]> {
    let s = listCache.get(sql);
    if (!s) {
      s = db.prepare<string[]>(sql);
      listCache.set(sql, s);
    }
    return s;
  }

  return {
    async findDocument(key) {
      const row = find.get(...keyParams(key));
      return row ? toDocument(row) : undefined;
    },

    async findDocumentIds(scope, since) {
      const w = scopeWhere(scope);
      let sql = `SELECT DISTINCT doc_id FROM documents WHERE ${w.sql}`;
      const params = [...w.params];
      if (since !== undefined) {
        sql += ' AND updated > ?';
        params.push(since);
      }
      sql += ' ORDER BY doc_id';
      return (prepared(sql).all(...params) as { doc_id: string }[]).map((r) => r.doc_id);
    },

    async findLastUpdated(scope, since) {
      const w = scopeWhere(scope);
      let sql = `SELECT max(updated) AS last FROM documents WHERE ${w.sql}`;
      const params = [...w.params];
      if (since !== undefined) {
        sql += ' AND updated > ?';
        params.push(since);
      }
      return (prepared(sql).get(...params) as { last: string | null } | undefined)?.last ?? undefined;
    },

    async upsertDocument(doc: StoredDocument, condition: WriteCondition) {
      const k = keyParams(doc.key);
      if (condition === undefined) {
        upsert.run(...k, doc.contentType, doc.content, doc.etag, doc.updated);
        return true;
      }
      if ('absent' in condition) {
        return insertIfAbsent.run(...k, doc.contentType, doc.content, doc.etag, doc.updated).changes === 1;
      }
      return updateIfEtag.run(doc.contentType, doc.content, doc.etag, doc.updated, ...k, condition.etag).changes === 1;
    },

    async deleteDocument(key, condition) {
      const k = keyParams(key);
      if (condition === undefined) {
        deleteOne.run(...k);
        return true;
      }
      if ('absent' in condition) return exists.get(...k) === undefined;
      return deleteIfEtag.run(...k, condition.etag).changes === 1;
    },

    async deleteDocuments(scope) {
      const w = scopeWhere(scope);
      return prepared(`DELETE FROM documents WHERE ${w.sql}`).run(...w.params).changes;
    },

    // Erasure and the learner's export (issue 4): rare, so a scan of the agent's kinds is fine.
    async findDocumentsByAgent(agentKey) {
      return (
        prepared(
          `SELECT * FROM documents WHERE kind IN ('state', 'agentProfile') AND agent_key = ?
           ORDER BY kind, activity_id, registration, doc_id`,
        ).all(agentKey) as DocumentRow[]
      ).map(toDocument);
    },

    async deleteDocumentsByAgent(agentKey) {
      return prepared(`DELETE FROM documents WHERE kind IN ('state', 'agentProfile') AND agent_key = ?`).run(agentKey).changes;
    },
  };
}
