import type { Database, Statement } from 'better-sqlite3';
import { conflict } from '../../errors';
import { newestFirst } from '../catalog-order';
import type {
  Assignment, CatalogEntry, CatalogHit, CatalogStore, LearningStore, LearningTarget, OpportunityRegistration, SelfReport,
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
  CREATE INDEX IF NOT EXISTS catalog_entries_org ON catalog_entries (org_id);
  CREATE VIRTUAL TABLE IF NOT EXISTS catalog_fts USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
  CREATE TABLE IF NOT EXISTS learning_targets (org_id TEXT PRIMARY KEY, json TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS assignments (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, due_at TEXT, json TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS assignments_org ON assignments (org_id, due_at);
  CREATE TABLE IF NOT EXISTS opportunity_registrations (
    entry_id TEXT NOT NULL, user_id TEXT NOT NULL, registered_at TEXT NOT NULL, json TEXT NOT NULL,
    PRIMARY KEY (entry_id, user_id)
  );
  CREATE INDEX IF NOT EXISTS opportunity_registrations_user ON opportunity_registrations (user_id, registered_at);
  CREATE TABLE IF NOT EXISTS self_reports (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, org_id TEXT NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL, json TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS self_reports_org ON self_reports (org_id, created_at);
  CREATE INDEX IF NOT EXISTS self_reports_user ON self_reports (user_id, created_at);
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
  // Parsed entries by rowid, so a search reads rowids only and parses (and copies out of SQLite)
  // just the entries it has not seen: moving thousands of JSON texts per search was most of its
  // time (bench/catalog-search). This connection's writes drop their row; a commit by any other
  // connection (another process on the same file) changes PRAGMA data_version and drops them all.
  const byRid = new Map<number, CatalogEntry>();
  let seenVersion: unknown;
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  const entriesOf = db.prepare<[string], EntryRow>('SELECT rid, json FROM catalog_entries WHERE rid IN (SELECT value FROM json_each(?))');
  // Search statements by their SQL (its shape varies with the viewer's number of organizations).
  const searches = new Map<string, Statement<unknown[], { rid: number; score: number }>>();
  const searchStatement = (sql: string): Statement<unknown[], { rid: number; score: number }> => {
    let st = searches.get(sql);
    if (!st) {
      if (searches.size > 200) searches.clear();
      st = db.prepare<unknown[], { rid: number; score: number }>(sql);
      searches.set(sql, st);
    }
    return st;
  };
  const hydrate = (rids: readonly number[]): CatalogEntry[] => {
    const v = dataVersion.get();
    if (v !== seenVersion || byRid.size > 50_000) {
      byRid.clear();
      seenVersion = v;
    }
    const missing = rids.filter((rid) => !byRid.has(rid));
    if (missing.length > 0) for (const r of entriesOf.all(JSON.stringify(missing))) byRid.set(r.rid, JSON.parse(r.json) as CatalogEntry);
    return rids.map((rid) => byRid.get(rid)!);
  };
  const q = {
    find: db.prepare<[string], EntryRow>('SELECT rid, json FROM catalog_entries WHERE id = ?'),
    ofOrg: db.prepare<[string], EntryRow>('SELECT rid, json FROM catalog_entries WHERE org_id = ?'),
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
      byRid.delete(row.rid);
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
    async findOrgCatalogEntries(query) {
      const kinds = query.kinds ? new Set<string>(query.kinds) : undefined;
      return newestFirst(q.ofOrg.all(query.orgId).map((r) => JSON.parse(r.json) as CatalogEntry).filter((e) => !kinds || kinds.has(e.kind)));
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
      let rows: { rid: number; score: number }[];
      if (match !== undefined) {
        // bm25 is lower for better matches; titles weigh three times the rest.
        rows = searchStatement(
          `SELECT e.rid AS rid, -bm25(catalog_fts, 3.0, 1.0) AS score FROM catalog_fts f JOIN catalog_entries e ON e.rid = f.rowid
           WHERE catalog_fts MATCH ? AND e.state = 'published'${visible}`,
        ).all(match, ...args);
      } else {
        rows = searchStatement(
          `SELECT e.rid AS rid, 0 AS score FROM catalog_entries e WHERE e.state = 'published'${visible}`,
        ).all(...args);
      }
      const entries = hydrate(rows.map((r) => r.rid));
      return rows.map((r, i): CatalogHit => ({ entry: entries[i]!, score: r.score }));
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
    async deleteReminderMark(assignmentId, userId, kind) {
      return db.prepare('DELETE FROM reminder_marks WHERE assignment_id = ? AND user_id = ? AND kind = ?').run(assignmentId, userId, kind).changes > 0;
    },
    async hasReminderMark(assignmentId, userId, kind) {
      return db.prepare('SELECT 1 FROM reminder_marks WHERE assignment_id = ? AND user_id = ? AND kind = ?').get(assignmentId, userId, kind) !== undefined;
    },
    async upsertOpportunityRegistration(r) {
      db.prepare('INSERT INTO opportunity_registrations (entry_id, user_id, registered_at, json) VALUES (?, ?, ?, ?) ON CONFLICT (entry_id, user_id) DO UPDATE SET registered_at = excluded.registered_at, json = excluded.json')
        .run(r.entryId, r.userId, r.registeredAt, JSON.stringify(r));
    },
    async findOpportunityRegistrations(filter) {
      const where: string[] = [];
      const args: string[] = [];
      if (filter.entryId !== undefined) { where.push('entry_id = ?'); args.push(filter.entryId); }
      if (filter.userId !== undefined) { where.push('user_id = ?'); args.push(filter.userId); }
      if (filter.userIds !== undefined) {
        if (filter.userIds.length === 0) return [];
        where.push('user_id IN (SELECT value FROM json_each(?))');
        args.push(JSON.stringify(filter.userIds));
      }
      if (where.length === 0) return [];
      return db.prepare<string[], { json: string }>(`SELECT json FROM opportunity_registrations WHERE ${where.join(' AND ')} ORDER BY registered_at, user_id`)
        .all(...args).map((r) => JSON.parse(r.json) as OpportunityRegistration);
    },
    async insertSelfReport(r) {
      try {
        db.prepare('INSERT INTO self_reports (id, user_id, org_id, state, created_at, json) VALUES (?, ?, ?, ?, ?, ?)').run(r.id, r.userId, r.orgId, r.state, r.createdAt, JSON.stringify(r));
      } catch (err) {
        if (typeof err === 'object' && err !== null && 'code' in err && String(err.code).startsWith('SQLITE_CONSTRAINT')) throw conflict(`self-report ${r.id} exists`);
        throw err;
      }
    },
    async findSelfReport(id) {
      const r = db.prepare<[string], { json: string }>('SELECT json FROM self_reports WHERE id = ?').get(id);
      return r ? (JSON.parse(r.json) as SelfReport) : undefined;
    },
    async findSelfReports(filter) {
      const where: string[] = [];
      const args: string[] = [];
      if (filter.userId !== undefined) { where.push('user_id = ?'); args.push(filter.userId); }
      if (filter.orgIds !== undefined) {
        if (filter.orgIds.length === 0) return [];
        where.push(`org_id IN (${filter.orgIds.map(() => '?').join(', ')})`);
        args.push(...filter.orgIds);
      }
      if (where.length === 0) return [];
      return db.prepare<string[], { json: string }>(`SELECT json FROM self_reports WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC`)
        .all(...args).map((r) => JSON.parse(r.json) as SelfReport);
    },
    async decideSelfReport(next) {
      return db.prepare("UPDATE self_reports SET state = ?, json = ? WHERE id = ? AND state = 'pending'").run(next.state, JSON.stringify(next), next.id).changes > 0;
    },
  };
}
