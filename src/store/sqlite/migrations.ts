import { BUCKET_SIZE, LEGACY_BUCKET_SIZE, SPAN_BUCKETS } from './buckets';
import type { Database } from 'better-sqlite3';

/** One schema step. Applied once, in `version` order, inside its own transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Numbered migrations of the statement, credential and activity tables (documents migrate in
 * documents.ts). Never edit a released step: add a
 * new one. Steps that touch a large table must stay cheap (new tables, new nullable columns,
 * indexes built in a later step) so opening an existing database never holds the lock for long.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'statements',
    sql: `
      -- The statement JSON is stored once; seq is the rowid, so it is monotonic (rows are never
      -- deleted). refs holds the JSON array of own + inherited ref ids so that inheritance never
      -- needs an index of statement_refs by seq.
      CREATE TABLE statements (
        seq       INTEGER PRIMARY KEY,
        id        TEXT    NOT NULL UNIQUE,
        stored    TEXT    NOT NULL,
        voided    INTEGER NOT NULL DEFAULT 0,
        voiding   INTEGER NOT NULL DEFAULT 0,
        target_id TEXT,
        refs      TEXT    NOT NULL,
        json      TEXT    NOT NULL
      );
      -- stored is non-decreasing with seq, so since/until become seq bounds through this index.
      CREATE INDEX statements_stored ON statements (stored);
      -- Statements that point at another one (StatementRef objects, voiding statements): used for
      -- late inheritance and late voiding when the target arrives after them.
      CREATE INDEX statements_target ON statements (target_id) WHERE target_id IS NOT NULL;
      -- Index keys are interned: integer rows keep statement_refs small, so a batch dirties far
      -- fewer pages, and new keys get increasing ids (their rows append at the end of the tree).
      CREATE TABLE ref_ids (
        id  INTEGER PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE
      );
      -- One row per (index key, statement). The leading bucket (seq / 4096, see buckets.ts)
      -- keeps every write of a batch inside the few pages of the newest bucket instead of one
      -- page per key tail across the whole tree; a filter scans (bucket, ref, seq) bucket by
      -- bucket in seq order.
      CREATE TABLE statement_refs (
        bucket INTEGER NOT NULL,
        ref    INTEGER NOT NULL,
        seq    INTEGER NOT NULL,
        PRIMARY KEY (bucket, ref, seq)
      ) WITHOUT ROWID;
      -- seq of every voided statement (few): lets key scans skip voided statements without
      -- reading the wide statements rows of candidates that end up filtered out.
      CREATE TABLE voided_seqs (
        seq INTEGER PRIMARY KEY
      );
      CREATE TABLE attachments (
        sha2         TEXT PRIMARY KEY,
        content_type TEXT NOT NULL,
        content      BLOB NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'credentials',
    sql: `
      CREATE TABLE credentials (
        seq         INTEGER PRIMARY KEY,
        key         TEXT NOT NULL UNIQUE,
        secret_hash TEXT NOT NULL,
        name        TEXT NOT NULL,
        scopes      TEXT NOT NULL,
        authority   TEXT NOT NULL,
        org_id      TEXT,
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
      );
      CREATE INDEX credentials_org ON credentials (org_id) WHERE org_id IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'activities',
    sql: `
      CREATE TABLE activities (
        id         TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        updated    TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'bucket size',
    // A database that already holds index keys keeps the size they were written with; a new one
    // gets the current size (src/store/sqlite/buckets.ts).
    sql: `
      CREATE TABLE store_settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      INSERT INTO store_settings (key, value)
        SELECT 'bucket_size', CASE WHEN EXISTS (SELECT 1 FROM statement_refs) THEN '${LEGACY_BUCKET_SIZE}' ELSE '${BUCKET_SIZE}' END;
    `,
  },
  {
    version: 5,
    name: 'sealed spans',
    // Nothing is sealed yet: the writer seals complete spans oldest first (seal.ts); a database
    // that already holds many is sealed a span per idle look of the schedule.
    sql: `
      -- The rows of the sparse kinds of key (buckets.ts SEALED_KINDS) of every complete span,
      -- copied from statement_refs (which keeps them): one range per key and span. verb: the
      -- ref id of the statement's one verb key, or -1 when it has more than one (a StatementRef
      -- inherits its target's), so a scan filters a verb without a probe per row.
      CREATE TABLE sealed_refs (
        span INTEGER NOT NULL,
        ref  INTEGER NOT NULL,
        seq  INTEGER NOT NULL,
        verb INTEGER NOT NULL,
        PRIMARY KEY (span, ref, seq)
      ) WITHOUT ROWID;
      INSERT INTO store_settings (key, value) VALUES ('span_buckets', '${SPAN_BUCKETS}'), ('sealed_below', '0');
    `,
  },
  {
    version: 6,
    name: 'sealing a span in steps',
    // The sealer copies a span a few buckets per transaction (seal.ts): copied_below is how far
    // it got, sealed_below still where scans stop reading sealed_refs.
    sql: `
      INSERT INTO store_settings (key, value) SELECT 'copied_below', value FROM store_settings WHERE key = 'sealed_below';
    `,
  },
];

/**
 * Brings the database to the latest version. Idempotent; safe when several processes open the
 * same file at once (the version check and each step run under an immediate write lock).
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM schema_migrations WHERE version = ?');
  const record = db.prepare<[number, string, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const m of sorted) {
    const step = db.transaction(() => {
      if ((applied.get(m.version)?.n ?? 0) > 0) return;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    });
    step.immediate();
  }
}
