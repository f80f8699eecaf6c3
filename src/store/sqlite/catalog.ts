import type { Database } from 'better-sqlite3';
import { conflict } from '../../errors';
import type {
  Assignment, CatalogEntry, CatalogHit, CatalogStore, LearningStore, LearningTarget,
} from '../ports';

/**
 * Catalog entries with an FTS5 index (issue 18), learning targets, assignments and reminder
 * marks. The entry is kept as JSON beside the columns search filters on; the FTS5 table holds the
 * searchable text of each entry (rowid = the entry's rowid).
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS catalog_entries (
    rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, org_id TEXT NOT NULL, state TEXT NOT NULL,
    visibility TEXT NOT NULL, visible_org_ids TEXT NOT NULL, json TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS catalog_entries_state ON catalog_entries (state, visibility);
  CREATE VIRTUAL TABLE IF NOT EXISTS catalog_fts USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
  CREATE TABLE IF NOT EXISTS learning_targets (org_id TEXT PRIMARY KEY, json TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS assignments (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, due_at TEXT, json TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS assignments_org ON assignments (org_id, due_at);
  CREATE TABLE IF NOT EXISTS reminder_marks (
    assignment_id TEXT NOT NULL, user_id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (assignment_id, user_id, kind)
  );
`;

/** Creates the catalog and learning tables; idempotent. */
export function migrateSqliteCatalog(db: Database): void {
  db.exec(SCHEMA);
}

/** The searchable text of an entry outside its title. */
export function entryBodyText(e: CatalogEntry): string {
  return [e.description, e.keywords.join(' '), e.provider, e.competencies.join(' ')].join('\n');
}

/** FTS5 query of free text: every word must match as a prefix; quotes keep FTS5 syntax out. */
export function ftsQuery(text: string): string | undefined {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return undefined;
  return words.slice(0, 12).map((w) => `"${w}"*`).join(' AND ');
}

interface EntryRow { rid: number; json: string }

export function createSqliteCatalogStore(db: Database): CatalogStore {
  const q = {
    find: db.prepare<[string], EntryRow>('SELECT rid, json FROM catalog_entries WHERE id = ?'),
    insert: db.prepare<[string, string, string, string, string, string]>(
      'INSERT INTO catalog_entries (id, org_id, state, visibility, visible_org_ids, json) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    update: db.prepare<[string, string, string, string, string, number]>(
      'UPDATE catalog_entries SET org_id = ?, state = ?, visibility = ?, visible_org_ids = ?, json = ? WHERE rid = ?',
    ),
    ftsDelete: db.prepare<[number]>('DELETE FROM catalog_fts WHERE rowid = ?'),
    ftsInsert: db.prepare<[number, string, string]>('INSERT INTO catalog_fts (rowid, title, body) VALUES (?, ?, ?)'),
  };
  const upsert = db.transaction((e: CatalogEntry) => {
    const json = JSON.stringify(e);
    const orgs = JSON.stringify(e.visibleOrgIds);
    const row = q.find.get(e.id);
    let rid: number;
    if (row) {
      q.update.run(e.orgId, e.state, e.visibility, orgs, json, row.rid);
      q.ftsDelete.run(row.rid);
      rid = row.rid;
    } else {
      rid = Number(q.insert.run(e.id, e.orgId, e.state, e.visibility, orgs, json).lastInsertRowid);
    }
    q.ftsInsert.run(rid, e.title, entryBodyText(e));
  });
  return {
    async upsertCatalogEntry(entry) {
      upsert(entry);
    },
    async findCatalogEntry(id) {
      const r = q.find.get(id);
      return r ? (JSON.parse(r.json) as CatalogEntry) : undefined;
    },
    async findCatalogEntries(ids) {
      if (ids.length === 0) return [];
      const rows = db.prepare<string[], EntryRow>(`SELECT rid, json FROM catalog_entries WHERE id IN (${ids.map(() => '?').join(', ')})`).all(...ids);
      return rows.map((r) => JSON.parse(r.json) as CatalogEntry);
    },
    async searchCatalog(query) {
      const args: string[] = [];
      let visible = '';
      if (!query.viewer.everything) {
        const orgs = [...query.viewer.orgIds];
        const marks = orgs.map(() => '?').join(', ');
        visible = orgs.length === 0
          ? ` AND e.visibility = 'all'`
          : ` AND (e.visibility = 'all' OR e.org_id IN (${marks}) OR (e.visibility = 'orgs' AND EXISTS (SELECT 1 FROM json_each(e.visible_org_ids) j WHERE j.value IN (${marks}))))`;
        if (orgs.length > 0) args.push(...orgs, ...orgs);
      }
      const match = query.text !== undefined ? ftsQuery(query.text) : undefined;
      if (query.text !== undefined && query.text.trim() !== '' && match === undefined) return [];
      let rows: { json: string; score: number }[];
      if (match !== undefined) {
        // bm25 is lower for better matches; titles weigh three times the rest.
        rows = db.prepare<string[], { json: string; score: number }>(
          `SELECT e.json AS json, -bm25(catalog_fts, 3.0, 1.0) AS score FROM catalog_fts f JOIN catalog_entries e ON e.rid = f.rowid
           WHERE catalog_fts MATCH ? AND e.state = 'published'${visible}`,
        ).all(match, ...args);
      } else {
        rows = db.prepare<string[], { json: string; score: number }>(
          `SELECT e.json AS json, 0 AS score FROM catalog_entries e WHERE e.state = 'published'${visible}`,
        ).all(...args);
      }
      return rows.map((r): CatalogHit => ({ entry: JSON.parse(r.json) as CatalogEntry, score: r.score }));
    },
  };
}

export function createSqliteLearningStore(db: Database): LearningStore {
  const q = {
    upsertTarget: db.prepare<[string, string]>('INSERT INTO learning_targets (org_id, json) VALUES (?, ?) ON CONFLICT (org_id) DO UPDATE SET json = excluded.json'),
    insertAssignment: db.prepare<[string, string, string | null, string]>('INSERT INTO assignments (id, org_id, due_at, json) VALUES (?, ?, ?, ?)'),
    assignment: db.prepare<[string], { json: string }>('SELECT json FROM assignments WHERE id = ?'),
    deleteAssignment: db.prepare<[string]>('DELETE FROM assignments WHERE id = ?'),
    mark: db.prepare<[string, string, string, string]>('INSERT OR IGNORE INTO reminder_marks (assignment_id, user_id, kind, at) VALUES (?, ?, ?, ?)'),
  };
  return {
    async upsertLearningTarget(t: LearningTarget) {
      q.upsertTarget.run(t.orgId, JSON.stringify(t));
    },
    async findLearningTargets(orgIds) {
      if (orgIds.length === 0) return [];
      return db.prepare<string[], { json: string }>(`SELECT json FROM learning_targets WHERE org_id IN (${orgIds.map(() => '?').join(', ')})`)
        .all(...orgIds).map((r) => JSON.parse(r.json) as LearningTarget);
    },
    async insertAssignment(a) {
      try {
        q.insertAssignment.run(a.id, a.orgId, a.dueAt ?? null, JSON.stringify(a));
      } catch (err) {
        if (typeof err === 'object' && err !== null && 'code' in err && String(err.code).startsWith('SQLITE_CONSTRAINT')) throw conflict(`assignment ${a.id} exists`);
        throw err;
      }
    },
    async findAssignment(id) {
      const r = q.assignment.get(id);
      return r ? (JSON.parse(r.json) as Assignment) : undefined;
    },
    async findAssignments(filter) {
      if (filter.orgIds.length === 0) return [];
      return db.prepare<string[], { json: string }>(
        `SELECT json FROM assignments WHERE org_id IN (${filter.orgIds.map(() => '?').join(', ')}) ORDER BY due_at IS NULL, due_at, id`,
      ).all(...filter.orgIds).map((r) => JSON.parse(r.json) as Assignment);
    },
    async deleteAssignment(id) {
      return q.deleteAssignment.run(id).changes > 0;
    },
    async insertReminderMark(assignmentId, userId, kind, at) {
      return q.mark.run(assignmentId, userId, kind, at).changes > 0;
    },
  };
}
