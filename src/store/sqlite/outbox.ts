import type { Database } from 'better-sqlite3';
import { conflict } from '../../errors';
import type { OutboxMail, OutboxStore } from '../ports';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS outbox_mail (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, at TEXT NOT NULL, to_addr TEXT NOT NULL,
    subject TEXT NOT NULL, body TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS outbox_mail_at ON outbox_mail (at, seq);
`;

/** Creates the outbox table; idempotent. */
export function migrateSqliteOutbox(db: Database): void {
  db.exec(SCHEMA);
}

interface Row { id: string; at: string; to_addr: string; subject: string; body: string }

/** The SQLite OutboxStore. */
export function createSqliteOutboxStore(db: Database): OutboxStore {
  const insert = db.prepare('INSERT INTO outbox_mail (id, at, to_addr, subject, body) VALUES (?, ?, ?, ?, ?)');
  const newest = db.prepare<[number], Row>('SELECT id, at, to_addr, subject, body FROM outbox_mail ORDER BY at DESC, seq DESC LIMIT ?');
  return {
    async insertOutboxMail(m) {
      try {
        insert.run(m.id, m.at, m.to.toLowerCase(), m.subject, m.text);
      } catch (err) {
        if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict(`mail ${m.id} already exists`);
        throw err;
      }
    },
    async findOutboxMails(filter) {
      const limit = Math.max(0, Math.trunc(filter.limit));
      return newest.all(limit).map((r): OutboxMail => ({ id: r.id, at: r.at, to: r.to_addr, subject: r.subject, text: r.body }));
    },
  };
}
